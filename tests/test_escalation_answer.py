"""Answering an escalation (issue 12, item 3 and item 20's English frame): the typed
answer is shown back and sent only after «Gửi»; another command ends the answer; a long
pause ends it too. Through the real Application on the simulator."""

from __future__ import annotations

from datetime import timedelta

from bot.harness import Harness
from domain.clock import ManualClock, utc_stamp
from domain.quarters import Quarter
from storage import escalations, roster
from storage.db import Database
from storage.reports import IssueInput, VisitReportInput, submit_visit
from tests.conftest import ADMIN_TG, CADRE_CODE, CADRE_TG
from tests.helpers import Chat

QUESTION = "Đường liên thôn sạt lở"


async def escalate(db: Database, clock: ManualClock) -> int:
    """CAN-001 has filed a report with one escalated issue; returns the issue's id."""
    cadre = await roster.cadre_by_code(db, CADRE_CODE)
    assert cadre is not None
    now = clock.now()
    await submit_visit(
        db,
        VisitReportInput(
            token="t-escalation", cadre_id=cadre.id, filed_by_id=cadre.id,
            cell_id=(await roster.cell_ids_by_code(db))["CB-KR-DRUONG-T9"], meeting_date=now.date(),
            quarter=Quarter.of(now.date()).key, late=False, disseminated="Nghị quyết",
            issues=(IssueInput(QUESTION, escalate=True),),
        ),
        now=utc_stamp(now),
    )
    [issue] = await escalations.open_ones(db, None, limit=5)
    return issue.issue_id


async def start_answer(harness: Harness, roster_db: Database, clock: ManualClock) -> tuple[Chat, Chat, int]:
    issue_id = await escalate(roster_db, clock)
    cadre = Chat(harness, CADRE_TG, "Hùng")
    admin = Chat(harness, ADMIN_TG, "Hà")
    await admin.send("/kiennghi")
    await admin.press(f"✍ Trả lời #{issue_id}")
    assert "Gõ câu trả lời" in admin.text
    return admin, cadre, issue_id


def answers_to(cadre: Chat) -> list[str]:
    return [m.text or "" for m in cadre.user.messages() if "📩" in (m.text or "") or "answered" in (m.text or "")]


async def test_another_command_ends_the_answer(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    admin, cadre, issue_id = await start_answer(harness, roster_db, clock)
    await admin.send("/mienbaocao")
    assert "Gõ câu trả lời" not in admin.text
    await admin.send("Hùng")
    assert "Nguyễn Văn Hùng" in admin.buttons  # the excusal's search took the name
    assert answers_to(cadre) == []
    escalation = await escalations.get(roster_db, issue_id)
    assert escalation is not None and escalation.status == "open" and escalation.answer is None


async def test_the_answer_is_sent_only_after_the_admin_confirms(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    admin, cadre, issue_id = await start_answer(harness, roster_db, clock)
    await admin.send("Huyện bố trí kinh phí.")
    assert "Huyện bố trí kinh phí." in admin.text
    assert [label.split(" ", 1)[-1] for label in admin.buttons] == ["Gửi", "Sửa", "Hủy"]
    assert answers_to(cadre) == []
    await admin.press("✏")
    assert "Gõ câu trả lời" in admin.text
    await admin.send("Huyện bố trí kinh phí trong tháng 12.")
    await admin.press("✅")
    assert "Đã lưu câu trả lời kiến nghị số" in admin.text
    [sent] = answers_to(cadre)
    assert sent.startswith("📩 Ban Thường vụ trả lời kiến nghị số") and "trong tháng 12." in sent
    escalation = await escalations.get(roster_db, issue_id)
    assert escalation is not None and escalation.answer == "Huyện bố trí kinh phí trong tháng 12."


async def test_cancelling_sends_and_stores_nothing(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    admin, cadre, issue_id = await start_answer(harness, roster_db, clock)
    await admin.send("Một câu trả lời vội")
    await admin.press("✖")
    assert "Đã thôi trả lời" in admin.text
    await admin.send("Một câu nữa")
    assert "chưa hiểu" in admin.text
    assert answers_to(cadre) == []
    escalation = await escalations.get(roster_db, issue_id)
    assert escalation is not None and escalation.answer is None


async def test_a_long_pause_ends_the_answer(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    admin, cadre, issue_id = await start_answer(harness, roster_db, clock)
    clock.advance(timedelta(hours=3))
    await admin.send("Tên một cán bộ")
    assert "quá lâu" in admin.text
    assert answers_to(cadre) == []
    escalation = await escalations.get(roster_db, issue_id)
    assert escalation is not None and escalation.answer is None


async def test_an_english_cadre_gets_the_answer_in_english(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await roster_db.execute("UPDATE cadres SET language = 'en' WHERE code = ?", (CADRE_CODE,))
    admin, cadre, _ = await start_answer(harness, roster_db, clock)
    await admin.send("The district funds it in December.")
    await admin.press("✅")
    [sent] = answers_to(cadre)
    assert sent.startswith("📩 The Standing Committee answered escalation no.")
    assert "The district funds it in December." in sent
