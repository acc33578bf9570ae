"""Issue 12, items 10, 11 and 13: dates, going back, resuming and the photo step of the
report flows, end to end (items 5-9: tests/test_flow_hardening.py)."""

from __future__ import annotations

import json
from datetime import timedelta

from domain.clock import ManualClock
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from storage import reports
from storage.db import Database
from tests.conftest import CADRE_TG
from tests.helpers import Chat
from tests.test_model_updates import TRAFFIC, stored_updates
from tests.test_model_updates import fill_until_review as fill_model_until_review
from tests.test_visit_report import CELL, stored_reports

from tests.test_flow_hardening import PDF, until_step3


# --- item 10: dates -------------------------------------------------------------------------


async def go_to_typed_date(chat: Chat) -> None:
    await chat.send("/baocao")
    if "🆕 Làm báo cáo mới" in chat.buttons:
        await chat.press("🆕")
    await chat.press(CELL)
    await chat.press("📅 Ngày khác")


async def test_a_date_without_a_year_from_an_old_quarter_is_not_taken_silently(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    clock.advance(timedelta(days=8))  # Tuesday 01/12/2026
    chat = Chat(harness, CADRE_TG)
    await go_to_typed_date(chat)
    await chat.send("05/12")
    assert "Bước 3/6" not in chat.text and "2025" in chat.text
    await chat.send("20/08")  # last quarter: the nearest past date, shown with weekday and quarter
    assert "T5 20/08/2026" in chat.text and "Quý III/2026" in chat.text
    assert "Bước 3/6" not in chat.text
    await chat.press("✅")
    assert "Bước 3/6" in chat.text


async def test_an_earlier_quarter_date_needs_a_tap(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await go_to_typed_date(chat)
    await chat.send("28/09/2026")
    assert "T2 28/09/2026" in chat.text and "Quý III/2026" in chat.text and "nộp muộn" in chat.text
    await chat.press("⬅ Quay lại")
    assert "Chọn ngày" in chat.text or "Ngày dự sinh hoạt" in chat.text
    await chat.send("28/09/2026")
    await chat.press("✅")
    assert "Bước 3/6" in chat.text


async def test_iso_dashed_and_words_are_accepted_and_echoed(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    for typed, echoed in (
        ("2026-11-20", "T6 20/11/2026"),
        ("1-11-2026", "CN 01/11/2026"),
        ("hôm nay", "T2 23/11/2026"),
        ("Hom qua", "CN 22/11/2026"),
    ):
        await go_to_typed_date(chat)
        await chat.send(typed)
        assert "Bước 3/6" in chat.text and echoed in chat.text, typed
        await chat.send("/huy")


async def test_every_step_has_a_back_button(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await until_step3(chat)
    assert "⬅ Quay lại" in chat.buttons  # step 3
    await chat.press("⬅ Quay lại")
    assert "Bước 2/6" in chat.text
    await chat.press("Hôm nay")
    await chat.send("Nghị quyết")
    await chat.press("Tiếp")
    await chat.press("⬅ Quay lại")
    assert "Bước 3/6" in chat.text and "Nghị quyết" in chat.text
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    assert "Bước 5/6" in chat.text
    await chat.press("⬅ Quay lại")
    assert "Bước 4/6" in chat.text
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")
    assert "⬅ Quay lại" in chat.buttons  # the review
    await chat.press("⬅ Quay lại")
    assert "Bước 5/6" in chat.text
    # The model update too.
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    await chat.send("/mohinh")
    await chat.press(TRAFFIC)
    await chat.press("Tốt")
    for step in ("Bước 3/6", "Bước 4/6", "Bước 5/6"):
        assert step in chat.text and "⬅ Quay lại" in chat.buttons, step
        if step == "Bước 3/6":
            await chat.press("Bỏ qua")
        elif step == "Bước 4/6":
            await chat.press("Duy trì")
    await chat.press("⬅ Quay lại")
    assert "Bước 4/6" in chat.text


# --- item 11: resume -------------------------------------------------------------------------


async def test_resume_lands_on_the_step_left_with_what_was_filled(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await until_step3(chat)
    await chat.send("Nghị quyết Trung ương 4")
    assert "Bước 3/6" in chat.text
    await chat.send("/huy")
    await chat.send("/baocao")
    await chat.press("▶ Tiếp tục")
    assert "Bước 3/6" in chat.text
    assert "Nghị quyết Trung ương 4" in chat.text and CELL in chat.text and "23/11/2026" in chat.text


async def test_a_persisted_old_shape_draft_still_resumes(config: Config, clock: ManualClock, roster_db: Database) -> None:
    cell_id = await roster_db.fetchval("SELECT id FROM cells WHERE code = 'CB-KR-DRUONG-T9'")
    old_draft = {
        "token": "oldtoken123",
        "cadre_id": await roster_db.fetchval("SELECT id FROM cadres WHERE telegram_id = ?", (CADRE_TG,)),
        "started_at": "2026-11-23T01:00:00Z",
        "touched_at": "2026-11-23T01:30:00Z",
        "cell_id": cell_id,
        "meeting_date": "2026-11-23",
        "topic_ids": [],
        "notes": "Chỉ thị 05",
        "issues": [],
        "pending_issue": None,
        "photos": [{"file_id": "AgAD", "file_unique_id": "u1"}],
        "latitude": None,
        "longitude": None,
        "editing_report_id": None,
        "filed_by_id": None,
        "reviewing": False,
    }
    await roster_db.execute(
        "INSERT INTO user_data (user_id, data) VALUES (?, ?)", (CADRE_TG, json.dumps({"visit_draft": old_draft}))
    )
    await roster_db.execute(
        "INSERT INTO conversation_states (name, key, state) VALUES ('visit', ?, ?)",
        (json.dumps([CADRE_TG, CADRE_TG]), json.dumps("visit.issues")),
    )
    async with bot_with_simulator(config, clock=clock, poll_timeout=1) as running:
        chat = Chat(running, CADRE_TG)
        await chat.send("/baocao")
        await chat.press("▶ Tiếp tục")
        await chat.press("Không có kiến nghị")
        await chat.press("Tiếp")  # one photo already there
        await chat.press("✅ Gửi")
    [report] = await stored_reports(roster_db)
    assert report.disseminated == "Chỉ thị 05" and report.attachment_count == 1


async def test_a_half_written_draft_at_the_review_resumes_at_what_is_missing(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    """A kill -9 can leave a draft whose step is the review but whose cell was never saved."""
    draft = {
        "token": "halfwritten1",
        "cadre_id": await roster_db.fetchval("SELECT id FROM cadres WHERE telegram_id = ?", (CADRE_TG,)),
        "started_at": "2026-11-23T01:00:00Z",
        "touched_at": "2026-11-23T01:30:00Z",
        "notes": "Chỉ thị 05",
        "reviewing": True,
        "step": "visit.review",
    }
    await roster_db.execute(
        "INSERT INTO user_data (user_id, data) VALUES (?, ?)", (CADRE_TG, json.dumps({"visit_draft": draft}))
    )
    async with bot_with_simulator(config, clock=clock, poll_timeout=1) as running:
        chat = Chat(running, CADRE_TG)
        await chat.send("/baocao")
        await chat.press("▶ Tiếp tục")
        assert "Bước 1/6" in chat.text
        await chat.press(CELL)
        assert "Bước 2/6" in chat.text
        await chat.press("Hôm nay")
        assert "Bước 6/6" in chat.text  # back to the review: the rest was there
        await chat.press("✅ Gửi")
    [report] = await stored_reports(roster_db)
    assert report.disseminated == "Chỉ thị 05"


# --- item 13: the photo step ----------------------------------------------------------------


async def test_the_photo_step_takes_a_pdf_and_its_hint_names_its_button(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await until_step3(chat)
    await chat.send("Nghị quyết")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.send("chữ")
    assert "«Bỏ qua»" in chat.text and "«Tiếp»" not in chat.text
    await harness.handled(await chat.user.send_document(PDF, "bien-ban.pdf", mime_type="application/pdf"))
    assert "Đã nhận: 1" in chat.text
    assert chat.buttons[-1].startswith("Tiếp") or "Tiếp ➡" in chat.buttons
    await chat.send("chữ")
    assert "«Tiếp»" in chat.text and "«Bỏ qua»" not in chat.text
    await chat.press("Tiếp")
    await chat.press("✅ Gửi")
    [report] = await stored_reports(roster_db)
    [attachment] = await reports.attachments_of_visit(roster_db, report.id)
    assert attachment.kind == "document"


async def test_the_model_photo_step_takes_a_pdf(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    await chat.press(TRAFFIC)
    await chat.press("Tốt")
    await chat.press("Bỏ qua")
    await chat.press("Duy trì")
    await chat.send("chữ")
    assert "«Bỏ qua»" in chat.text
    await harness.handled(await chat.user.send_document(PDF, "bien-ban.pdf", mime_type="application/pdf"))
    assert "Đã nhận: 1" in chat.text
    await chat.press("Tiếp")
    await chat.press("✅ Gửi")
    [update] = await stored_updates(roster_db)
    assert update.attachment_count == 1


async def test_model_resume_after_huy_lands_on_the_step_left(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill_model_until_review(chat)
    await chat.press("✏ Tình hình")
    await chat.send("/huy")
    await chat.send("/mohinh")
    await chat.press("▶ Tiếp tục")
    assert "Bước 3/6" in chat.text and TRAFFIC in chat.text
