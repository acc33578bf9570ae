"""Review fixes on /dexuat (issue 14 part 2): a typed decision is never met with silence,
and an admin's proposal outside their scope is refused *and audited*, like every refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from bot.harness import Harness
from domain.clock import ManualClock, utc_stamp
from storage import audit, proposals, roster
from storage.db import Database
from storage.registration import link_telegram
from tests.conftest import ADMIN_TG
from tests.helpers import Chat
from tests.test_proposals import COMMUNE_ADMIN_TG, OFFICE_TG, file, posted, setup_group


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(db_path=tmp_path / "baocao.sqlite3", admin_ids=frozenset({OFFICE_TG}))


async def test_a_typed_decision_on_a_closed_model_is_answered(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    group, _ = await setup_group(harness)
    proposal = await file(roster_db, clock, "commend")
    await posted(harness, group)
    await roster_db.execute("UPDATE models SET status = 'converted' WHERE id = ?", (proposal.model_id,))
    admin = Chat(harness, ADMIN_TG, "Hà")
    await admin.send(f"/dexuat quyetdinh {proposal.id} Bằng khen của Chủ tịch UBND tỉnh")
    assert "đã chuyển đổi hoặc dừng" in admin.text  # was: no answer at all
    still = await proposals.get(roster_db, proposal.id)
    assert still is not None and still.status == "proposed"


async def commune_admin(db: Database, clock: ManualClock) -> None:
    """CAN-035, an admin of commune Tân Lập (not the commune of MH-ATGT or KR-DRUONG-T1)."""
    cadre = await roster.cadre_by_code(db, "CAN-035")
    assert cadre is not None
    tan_lap = (await roster.unit_ids_by_code(db))["KR-TLAP"]
    await db.execute("UPDATE cadres SET unit_id = ? WHERE id = ?", (tan_lap, cadre.id))
    async with db.transaction() as tx:
        await link_telegram(tx, cadre.id, COMMUNE_ADMIN_TG, utc_stamp(clock.now()))


async def test_dexuat_outside_the_admins_scope_is_refused_and_audited(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await commune_admin(roster_db, clock)
    other = Chat(harness, COMMUNE_ADMIN_TG, "Linh")
    await other.send("/dexuat khen MH-ATGT Ba năm không có tai nạn")
    assert "ngoài phạm vi" in other.text
    await other.send("/dexuat nhanrong MH-ATGT KR-DRUONG-T1")
    assert "ngoài phạm vi" in other.text
    assert await proposals.open_proposals(roster_db) == []
    assert len(await audit.entries(roster_db, action="denied.proposal_out_of_scope")) == 2
    await other.send("/dexuat khen MH-KHONGCO lý do")  # unknown: said so, not a refusal
    assert "Không có mô hình" in other.text
    assert len(await audit.entries(roster_db, action="denied.proposal_out_of_scope")) == 2
