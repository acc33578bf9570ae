"""Issue 12, items 5-9: the report flows leave nobody hanging, end to end (items 10, 11
and 13, dates, resuming and the photo step: tests/test_flow_steps.py)."""

from __future__ import annotations

from datetime import timedelta

from domain.clock import ManualClock
from bot.harness import Harness
from handlers import model_states, visit_states
from storage.db import Database
from tests.conftest import CADRE_TG
from tests.helpers import Chat
from tests.test_model_updates import TRAFFIC
from tests.test_visit_report import CELL, fill_until_review, stored_reports

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def all_button_data(states: object) -> list[str]:
    """Every callback prefix a flow declares (its CB_* constants and the skeleton's), as a
    stale tap sends it."""
    flow = states.flow  # type: ignore[attr-defined]
    own = [value for name, value in vars(states).items() if name.startswith("CB_") and isinstance(value, str)]
    return own + [flow.cb_back, flow.cb_stop, flow.cb_resume, flow.cb_restart, flow.cb_confirm]


async def until_step3(chat: Chat) -> None:
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.press("Hôm nay")


# --- item 5: re-checked at confirm ------------------------------------------------------------


async def test_a_forged_topic_id_is_not_a_topic(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await until_step3(chat)
    step3 = chat.screen
    await harness.handled(await chat.user.press_data("v:t:999999", message=step3))
    await chat.press("Tiếp")
    assert "Bước 3/6" in chat.keyboard.text and "ít nhất một nội dung" in chat.text
    assert await stored_reports(roster_db) == []


async def test_a_topic_removed_before_confirm_is_rechecked(harness: Harness, roster_db: Database) -> None:
    topic_id = await roster_db.fetchval(
        "INSERT INTO quarter_topics (quarter, title, created_at) VALUES ('2026-Q4', 'Chỉ thị 05', 'x') RETURNING id"
    )
    chat = Chat(harness, CADRE_TG)
    await until_step3(chat)
    await chat.press("☐ Chỉ thị 05")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")
    await roster_db.execute("UPDATE quarter_topics SET active = 0 WHERE id = ?", (topic_id,))
    await chat.press("✅ Gửi")
    assert any("ít nhất một nội dung" in (m.text or "") for m in chat.user.messages())
    assert "Bước 3/6" in chat.keyboard.text
    assert await stored_reports(roster_db) == []


async def test_an_edit_confirmed_after_48_hours_is_refused(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill_until_review(chat)
    await chat.press("✅ Gửi")
    await chat.send("/cuatoi")
    await chat.press("✏ Sửa #1")
    await chat.press("✏ Ngày")
    await chat.press("Hôm qua")
    clock.advance(timedelta(hours=77))
    await chat.press("✅ Gửi")
    assert "quá 48 giờ" in chat.text
    [report] = await stored_reports(roster_db)
    assert report.meeting_date.isoformat() == "2026-11-23"  # unchanged
    await chat.send("/baocao")  # the edit draft is gone: a fresh report
    assert "Bước 1/6" in chat.text


# --- item 6: every callback query answered, once --------------------------------------------


async def test_a_finished_reports_step3_next_is_answered(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await until_step3(chat)
    step3 = chat.screen
    await chat.send("Nghị quyết")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    answers = len(chat.user.callback_answers)
    await harness.handled(await chat.user.press_data("v:td", message=step3))
    assert len(chat.user.callback_answers) == answers + 1
    assert "Nút này đã cũ" in (chat.user.callback_answers[-1].get("text") or "")


async def test_a_button_in_an_update_the_bot_cannot_read_is_still_answered(harness: Harness) -> None:
    """An emulator, or a newer Telegram, may send a shape this library cannot parse."""
    chat = Chat(harness, CADRE_TG)
    await chat.send("/cuatoi")
    sender = {"id": CADRE_TG, "language_code": "vi"}  # no first_name: not a User this library reads
    message = {"message_id": chat.screen.message_id, "date": 0, "chat": {"id": CADRE_TG, "type": "private"}}
    query = {"id": "q-unreadable", "from": sender, "chat_instance": "1", "data": "v:td", "message": message}
    harness.simulator.inject_malformed_update({"callback_query": query})
    await chat.send("/cuatoi")  # handled after the unreadable update was skipped
    [answer] = [c for c in harness.simulator.calls("answerCallbackQuery") if c.params.get("callback_query_id") == "q-unreadable"]
    assert "Nút này đã cũ" in str(answer.params.get("text"))


async def test_every_button_of_both_flows_pressed_stale_is_answered_once(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/cuatoi")
    old = chat.screen
    prefixes = all_button_data(visit_states) + all_button_data(model_states)
    assert len(prefixes) > 40
    for data in prefixes:
        before = len(chat.user.callback_answers)
        await harness.handled(await chat.user.press_data(data + "1", message=old))
        assert len(chat.user.callback_answers) == before + 1, data
    # ...and the same in the middle of the other flow, at a step they do not belong to.
    await chat.send("/mohinh")
    await chat.press(TRAFFIC)
    for data in all_button_data(visit_states):
        before = len(chat.user.callback_answers)
        await harness.handled(await chat.user.press_data(data + "1", message=old))
        assert len(chat.user.callback_answers) == before + 1, data
    await chat.press("Tốt", message=chat.keyboard)
    assert "Bước 3/6" in chat.text  # the model update went on untouched


# --- item 7: every private update gets an answer ------------------------------------------


async def test_a_sticker_voice_location_or_file_outside_any_flow_gets_a_hint(harness: Harness) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/cuatoi")
    for send in (chat.sticker, chat.voice, lambda: chat.location(14.0, 108.0)):
        before = len(chat.user.messages())
        await send()
        assert len(chat.user.messages()) == before + 1
        assert "chưa hiểu" in chat.text
    before = len(chat.user.messages())
    await harness.handled(await chat.user.send_document(PDF, "bien-ban.pdf", mime_type="application/pdf"))
    assert len(chat.user.messages()) == before + 1 and "chưa hiểu" in chat.text
    # A sticker of a shape this library cannot read (an emulator's, a newer Telegram's).
    sticker = {"file_id": "s1", "file_unique_id": "u1"}  # no width, height, type...
    message = {"message_id": 77_777, "date": 0, "chat": {"id": CADRE_TG, "type": "private"}, "sticker": sticker}
    harness.simulator.inject_malformed_update({"message": {**message, "from": {"id": CADRE_TG, "is_bot": False, "first_name": "An"}}})
    before = len(chat.user.messages())
    await chat.send("/cuatoi")  # handled after the unreadable update was skipped
    assert len(chat.user.messages()) == before + 2
    assert any("chưa hiểu" in (m.text or "") for m in chat.user.messages()[before:])


# --- item 8: a review too long to show ------------------------------------------------------


async def test_a_review_over_4096_characters_is_shown_and_can_be_sent(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await until_step3(chat)
    await chat.send("N" * 1000)
    await chat.press("Tiếp")
    for n in range(6):
        await chat.press("➕")
        await chat.send(f"{n} " + "k" * 498)
        await chat.press("✅")
    await chat.press("Tiếp")
    await chat.press("Bỏ qua")
    review = chat.keyboard
    assert any(b.startswith("✅ Gửi") for row in review.buttons() for b in row)
    assert len(review.text or "") <= 4096
    await chat.press("✅ Gửi")
    [report] = await stored_reports(roster_db)
    assert len(report.issues) == 6 and report.disseminated == "N" * 1000


async def test_the_error_handler_apologises_for_a_bad_request(harness: Harness) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/baocao")
    harness.simulator.inject_fault("editMessageText", status=400, description="Bad Request: boom", times=1)
    harness.simulator.inject_fault("sendMessage", status=400, description="Bad Request: boom", times=1)
    await chat.press(CELL)
    assert "Xin lỗi" in chat.text


# --- item 9: an over-long text --------------------------------------------------------------


async def test_after_a_too_long_text_the_steps_buttons_still_work(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await roster_db.execute(
        "INSERT INTO quarter_topics (quarter, title, created_at) VALUES ('2026-Q4', 'Chỉ thị 05', 'x')"
    )
    await until_step3(chat)
    await chat.press("☐ Chỉ thị 05")
    await chat.send("x" * 1500)
    assert "quá giới hạn 1000" in chat.text
    await chat.press("Tiếp")  # the step's button, right after the refusal
    assert "Bước 4/6" in chat.text


async def test_the_tail_of_a_split_message_is_not_stored_silently(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await until_step3(chat)
    await chat.send("x" * 4096)  # Telegram split a 5,000-character message: the head...
    assert "quá giới hạn 1000" in chat.text
    await chat.send("y" * 904)  # ...and its tail
    assert "phần cuối" in chat.text
    assert "Bước 3/6" in chat.keyboard.text and "y" * 50 not in chat.keyboard.text
    await chat.send("Nghị quyết")  # a new text is taken
    assert "Nghị quyết" in chat.keyboard.text
    await chat.press("Tiếp")
    assert "Bước 4/6" in chat.text
