"""Model proposals decided in the Standing Committee's group (issue 14 part 2), through
the real Application on the simulator: a decision reaches the owner, is recorded once,
a non-admin's press is refused and audited, and a replication becomes a place only once
approved."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from bot.harness import Harness
from bot.simulator import SimGroup, SimMessage, SimUser
from domain.clock import ManualClock, utc_stamp
from storage import audit, proposals, roster
from storage import proposal_posts as post_rows
from storage.db import Database
from storage.proposals import Proposal
from storage.registration import link_telegram
from tests.conftest import ADMIN_CODE, ADMIN_TG, CADRE_CODE, CADRE_TG
from tests.helpers import Chat

GROUP_ID = -3001
OFFICE_TG = 1500  # the Standing Committee's office, an admin by BAOCAO_ADMINS (whole roster)
COMMUNE_ADMIN_TG = 1035  # CAN-035, made an admin of commune Tân Lập: another commune


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(db_path=tmp_path / "baocao.sqlite3", admin_ids=frozenset({OFFICE_TG}))


async def setup_group(harness: Harness) -> tuple[SimGroup, SimUser]:
    """The Standing Committee's group, registered by the office."""
    sim = harness.simulator
    sim.user(CADRE_TG, "Hùng"), sim.user(ADMIN_TG, "Hà")  # both have opened the bot once
    office = sim.user(OFFICE_TG, "Văn phòng")
    group = sim.group(GROUP_ID, "Ban Thường vụ")
    await harness.handled(await group.send_command(office, "dangkynhom", "btv"))
    return group, office


async def file(db: Database, clock: ManualClock, kind: str, *, target: str | None = None, token: str = "insp-1") -> Proposal:
    """CAN-001 recommends it from an inspection of MH-ATGT (as the inspection flow does)."""
    model = await db.fetchval("SELECT id FROM models WHERE code = 'MH-ATGT'")
    cadre = await roster.cadre_by_code(db, CADRE_CODE)
    assert cadre is not None
    target_id = (await roster.unit_ids_by_code(db))[target] if target else None
    return await proposals.file_proposal(
        db, token=token, kind=kind, model_id=model, proposed_by=cadre.id, now=clock.now(),
        target_unit_id=target_id, detail="Ba năm không có tai nạn giao thông",
    )


async def posted(harness: Harness, group: SimGroup) -> SimMessage:
    from bot.context import BotContext
    from handlers.proposals import post_new_proposals

    await post_new_proposals(BotContext(harness.application))
    message = group.last_message()
    assert message is not None
    return message


async def press(harness: Harness, group: SimGroup, who: SimUser, label: str, message: SimMessage) -> None:
    await harness.handled(await group.press(who, label, message=message))


def told(user: SimUser) -> list[str]:
    return [m.text or "" for m in user.messages() if "mô hình «Khu dân cư đảm bảo an toàn giao thông»" in (m.text or "")]


async def test_a_commendation_approved_in_the_group_reaches_the_owner_once(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    group, office = await setup_group(harness)
    proposal = await file(roster_db, clock, "commend")
    post = await posted(harness, group)
    assert f"Đề xuất khen thưởng số {proposal.id}" in (post.text or "") and "Nguyễn Văn Hùng" in (post.text or "")
    assert [b for row in post.buttons() for b in row] == ["✅ Khen thưởng", "❌ Không duyệt"]
    await press(harness, group, office, "✅ Khen thưởng", post)
    forms = group.last_message()
    assert forms is not None and [b for row in forms.buttons() for b in row] == ["Giấy khen", "Bằng khen", "Biểu dương", "⬅ Quay lại"]
    merit = next(b["callback_data"] for row in forms.reply_markup["inline_keyboard"] for b in row if b["text"] == "Bằng khen")
    await press(harness, group, office, "Bằng khen", forms)
    await harness.handled(await group.press_data(office, merit, message=forms))  # the double tap
    decided = await proposals.get(roster_db, proposal.id)
    assert decided is not None and decided.status == "approved" and decided.decision_form == "merit"
    assert len(await audit.entries(roster_db, action="proposal.approved")) == 1
    final = group.last_message()
    assert final is not None and "✅ Đã quyết định khen thưởng" in (final.text or "") and not final.buttons()
    owner = harness.simulator.user(ADMIN_TG, "Hà")  # CAN-002, the admin of KR that owns the commune's model
    proposer = harness.simulator.user(CADRE_TG, "Hùng")
    for person in (owner, proposer):
        [text] = told(person)
        assert text.startswith("🏅 Ban Thường vụ quyết định khen thưởng") and "Bằng khen" in text
    answers = [answer.get("text") for answer in office.callback_answers]  # every press answered
    assert answers == ["Chọn hình thức khen thưởng.", "Đã ghi quyết định.", f"Đề xuất số {proposal.id} đã được quyết định rồi."]


async def test_a_rejected_commendation_is_announced_too(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    group, office = await setup_group(harness)
    proposal = await file(roster_db, clock, "commend")
    post = await posted(harness, group)
    await press(harness, group, office, "❌ Không duyệt", post)
    decided = await proposals.get(roster_db, proposal.id)
    assert decided is not None and decided.status == "rejected" and decided.decision_form is None
    [text] = told(harness.simulator.user(CADRE_TG, "Hùng"))
    assert "không được duyệt" in text
    assert len(told(harness.simulator.user(ADMIN_TG, "Hà"))) == 1


async def test_a_non_admins_press_is_refused_and_audited(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    group, _ = await setup_group(harness)
    proposal = await file(roster_db, clock, "commend")
    post = await posted(harness, group)
    cadre = harness.simulator.user(CADRE_TG, "Hùng")
    await press(harness, group, cadre, "✅ Khen thưởng", post)
    answer = await cadre.wait_callback_answer()
    assert "Chỉ quản trị viên" in (answer.get("text") or "")
    still = await proposals.get(roster_db, proposal.id)
    assert still is not None and still.status == "proposed"
    [denied] = await audit.entries(roster_db, action="denied.proposal_button")
    assert denied.telegram_id == CADRE_TG


async def test_an_admin_of_another_commune_is_refused(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    commune_admin = await roster.cadre_by_code(roster_db, "CAN-035")
    assert commune_admin is not None
    tan_lap = (await roster.unit_ids_by_code(roster_db))["KR-TLAP"]
    await roster_db.execute("UPDATE cadres SET unit_id = ? WHERE id = ?", (tan_lap, commune_admin.id))
    async with roster_db.transaction() as tx:
        await link_telegram(tx, commune_admin.id, COMMUNE_ADMIN_TG, utc_stamp(clock.now()))
    group, _ = await setup_group(harness)
    proposal = await file(roster_db, clock, "commend")
    post = await posted(harness, group)
    other = harness.simulator.user(COMMUNE_ADMIN_TG, "Linh")
    await press(harness, group, other, "❌ Không duyệt", post)
    assert "ngoài phạm vi" in ((await other.wait_callback_answer()).get("text") or "")
    still = await proposals.get(roster_db, proposal.id)
    assert still is not None and still.status == "proposed"
    assert len(await audit.entries(roster_db, action="denied.proposal_out_of_scope")) == 1


async def test_replication_becomes_a_place_only_once_approved(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    group, _ = await setup_group(harness)
    proposal = await file(roster_db, clock, "replicate", target="KR-DRUONG-T1")
    village = (await roster.unit_ids_by_code(roster_db))["KR-DRUONG-T1"]

    async def places() -> set[int]:
        rows = await roster_db.fetchall("SELECT unit_id FROM model_places WHERE model_id = ?", (proposal.model_id,))
        return {row["unit_id"] for row in rows}

    post = await posted(harness, group)
    assert "Nhân rộng đến: Thôn 1" in (post.text or "")
    assert village not in await places()
    admin = harness.simulator.user(ADMIN_TG, "Hà")  # CAN-002: KR-DRUONG-T1 is inside KR
    await press(harness, group, admin, "✅ Duyệt nhân rộng", post)
    assert village in await places()
    [approved] = await audit.entries(roster_db, action="proposal.approved")
    assert approved.details["place_added"] is True
    [text] = told(harness.simulator.user(CADRE_TG, "Hùng"))
    assert text.startswith("🌱 Đã duyệt nhân rộng")


async def test_an_admin_proposes_with_dexuat_and_it_is_posted(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    group, _ = await setup_group(harness)
    admin = Chat(harness, ADMIN_TG, "Hà")
    await admin.send("/dexuat nhanrong MH-ATGT KR-DRUONG-T1 Thôn 1 đã đăng ký")
    assert "Đã gửi đề xuất số" in admin.text
    [waiting] = await proposals.open_proposals(roster_db)
    assert waiting.kind == "replicate" and waiting.detail == "Thôn 1 đã đăng ký"
    assert waiting.proposed_by == (await roster.cadre_ids_by_code(roster_db))[ADMIN_CODE]
    post = group.last_message()
    assert post is not None and f"Đề xuất nhân rộng số {waiting.id}" in (post.text or "")
    await admin.send("/dexuat nhanrong MH-ATGT KR-DRUONG-T9")
    assert "đã thực hiện ở" in admin.text  # already one of its places
    await admin.send("/dexuat khen MH-KHONGCO lý do")
    assert "Không có mô hình" in admin.text
    assert len(await proposals.open_proposals(roster_db)) == 1


async def test_a_typed_form_of_commendation(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    group, _ = await setup_group(harness)
    proposal = await file(roster_db, clock, "commend")
    await posted(harness, group)
    admin = Chat(harness, ADMIN_TG, "Hà")
    await admin.send(f"/dexuat quyetdinh {proposal.id} Bằng khen của Chủ tịch UBND tỉnh")
    assert f"Đã ghi quyết định đề xuất số {proposal.id}" in admin.text
    decided = await proposals.get(roster_db, proposal.id)
    assert decided is not None and decided.decision_form == "other"
    assert decided.decision == "Bằng khen của Chủ tịch UBND tỉnh"
    final = group.last_message()
    assert final is not None and "Bằng khen của Chủ tịch UBND tỉnh" in (final.text or "") and not final.buttons()
    [text] = told(harness.simulator.user(CADRE_TG, "Hùng"))
    assert "Bằng khen của Chủ tịch UBND tỉnh" in text


async def test_a_cadre_cannot_use_dexuat(harness: Harness, roster_db: Database) -> None:
    cadre = Chat(harness, CADRE_TG, "Hùng")
    await cadre.send("/dexuat khen MH-ATGT tốt")
    assert "quản trị" in cadre.text
    assert await proposals.open_proposals(roster_db) == []
    assert len(await audit.entries(roster_db, action="denied.admin_command")) == 1


async def test_the_sweep_posts_what_is_unposted_once_and_never_in_the_quiet_hours(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    from datetime import timedelta

    from bot.context import BotContext
    from scheduler.jobs import _proposals_job

    group, _ = await setup_group(harness)
    proposal = await file(roster_db, clock, "commend")
    before = len(group.messages())
    clock.advance(timedelta(hours=13))  # Monday 22:00: quiet
    await _proposals_job(BotContext(harness.application))
    assert len(group.messages()) == before and await post_rows.posts(roster_db, proposal.id) == []
    clock.advance(timedelta(hours=11))  # Tuesday 24/11 09:00: a public holiday (Ngày Văn hóa Việt Nam)
    await _proposals_job(BotContext(harness.application))
    assert len(group.messages()) == before
    clock.advance(timedelta(days=1))  # Wednesday 09:00
    await _proposals_job(BotContext(harness.application))
    await _proposals_job(BotContext(harness.application))
    assert len(group.messages()) == before + 1
    assert [chat for chat, _ in await post_rows.posts(roster_db, proposal.id)] == [GROUP_ID]


async def test_a_mangled_or_unknown_proposal_button_is_answered(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    group, office = await setup_group(harness)
    await file(roster_db, clock, "commend")
    post = await posted(harness, group)
    for data in ("pr:ok:999999", "pr:no:abc", "pr:f:1:gold"):
        await harness.handled(await group.press_data(office, data, message=post))
    answers = [answer.get("text") for answer in office.callback_answers]
    assert answers == ["Không tìm thấy đề xuất này."] * 3
    assert (await proposals.open_proposals(roster_db))[0].status == "proposed"
