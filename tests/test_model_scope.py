"""Who may act on a model as a whole (review of issue 14 part 2): closing it (/chuyendoi),
setting its inspector (/nguoikiemtra) and deciding its commendation belong to the admins
of its owner unit. A commune where the district's model merely has a place (a replicated
village) is refused, and the refusal audited; /dexuat lists only what the admin may decide.
The real Application on the simulator, the sample roster in SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from bot.harness import Harness
from domain.clock import ManualClock
from storage import audit, proposals, roster
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_CODE
from tests.helpers import Chat
from tests.test_proposals import COMMUNE_ADMIN_TG, OFFICE_TG, file, posted, setup_group
from tests.test_review_proposals import commune_admin

MODEL = "MH-ATGT"  # owned by commune Đăk Ruồng (KR-DRUONG), inside the admin CAN-002's KR
PLACE = "KR-TLAP-T3"  # a village of Tân Lập, made one of its places here
OUT_OF_SCOPE = "không thuộc địa bàn"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(db_path=tmp_path / "baocao.sqlite3", admin_ids=frozenset({OFFICE_TG}))


async def place_in_tan_lap(db: Database, clock: ManualClock) -> int:
    """CAN-035 becomes an admin of Tân Lập, where MH-ATGT now has a place (as an approved
    replication leaves it); returns the model's id."""
    await commune_admin(db, clock)
    model_id = int(await db.fetchval("SELECT id FROM models WHERE code = ?", (MODEL,)))
    village = (await roster.unit_ids_by_code(db))[PLACE]
    await db.execute("INSERT INTO model_places (model_id, unit_id) VALUES (?, ?)", (model_id, village))
    assert await proposals.model_in_scope(db, model_id, (await roster.unit_ids_by_code(db))["KR-TLAP"])
    return model_id


async def test_a_place_only_commune_admin_cannot_convert_or_assign_but_the_owner_can(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await place_in_tan_lap(roster_db, clock)
    scoped = Chat(harness, COMMUNE_ADMIN_TG, "Linh")
    await scoped.send(f"/chuyendoi {MODEL} Đóng cho cả huyện")
    assert OUT_OF_SCOPE in scoped.text and not scoped.screen.buttons()
    assert len(await audit.entries(roster_db, action="denied.model_convert")) == 1
    await scoped.send(f"/nguoikiemtra {MODEL} CAN-025")  # a cadre of Tân Lập: only the model is out of scope
    assert OUT_OF_SCOPE in scoped.text
    assert len(await audit.entries(roster_db, action="denied.model_inspector")) == 1
    row = await roster_db.fetchone("SELECT status, inspector_id FROM models WHERE code = ?", (MODEL,))
    assert row is not None and row["status"] == "active" and row["inspector_id"] is None

    owner = Chat(harness, ADMIN_TG, "Hà")  # CAN-002, admin of KR (Đăk Ruồng is inside it)
    await owner.send(f"/nguoikiemtra {MODEL} {CADRE_CODE}")
    assert owner.text.startswith("✅ Người kiểm tra mô hình")
    await owner.send(f"/chuyendoi {MODEL} Đã sáp nhập vào mô hình khu dân cư an toàn")
    await owner.press("✅ Chuyển đổi")
    assert owner.text.startswith("✅ Đã chuyển đổi mô hình")
    row = await roster_db.fetchone("SELECT status, inspector_id FROM models WHERE code = ?", (MODEL,))
    assert row is not None and row["status"] == "converted" and row["inspector_id"] is not None
    assert len(await audit.entries(roster_db, action="model.convert")) == 1


async def test_a_place_only_commune_admin_cannot_decide_a_commendation_nor_sees_it_in_dexuat(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await place_in_tan_lap(roster_db, clock)
    group, _ = await setup_group(harness)
    commend = await file(roster_db, clock, "commend")
    post = await posted(harness, group)
    replicate = await file(roster_db, clock, "replicate", target="KR-TLAP-T1", token="insp-2")
    await posted(harness, group)

    scoped = Chat(harness, COMMUNE_ADMIN_TG, "Linh")
    await scoped.send("/dexuat")  # only the replication to their own village, which they may decide
    assert "Đề xuất chờ quyết định: 1" in "\n".join(m.text or "" for m in scoped.user.messages())
    assert f"Đề xuất nhân rộng số {replicate.id}" in scoped.text
    assert not any(f"Đề xuất khen thưởng số {commend.id}" in (m.text or "") for m in scoped.user.messages())

    linh = harness.simulator.user(COMMUNE_ADMIN_TG, "Linh")
    await harness.handled(await group.press(linh, "✅ Khen thưởng", message=post))
    assert "ngoài phạm vi" in ((await linh.wait_callback_answer()).get("text") or "")
    await scoped.send(f"/dexuat quyetdinh {commend.id} Bằng khen của Chủ tịch UBND tỉnh")
    assert "ngoài phạm vi" in scoped.text
    assert len(await audit.entries(roster_db, action="denied.proposal_out_of_scope")) == 2
    still = await proposals.get(roster_db, commend.id)
    assert still is not None and still.status == "proposed"

    owner = Chat(harness, ADMIN_TG, "Hà")
    await owner.send(f"/dexuat quyetdinh {commend.id} Bằng khen của Chủ tịch UBND tỉnh")
    decided = await proposals.get(roster_db, commend.id)
    assert decided is not None and decided.status == "approved" and decided.decision_form == "other"
