"""The live due list: a digest's "still due" message, edited in place as reports arrive
(at most once a minute), through the real Application on the simulator."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from domain.clock import VIETNAM, ManualClock, utc_stamp
from bot.config import Config
from bot.harness import Harness
from domain.quarters import Quarter
from bot.simulator import SimGroup, SimMessage
from scheduler import digests, live
from storage import groups, roster
from storage.db import Database
from storage.reports import VisitReportInput, submit_visit
from tests.conftest import CADRE_CODE, CADRE_TG
from tests.helpers import Chat

DRUONG = -4101  # the group of Đăk Ruồng, where CAN-001 visits thôn 9 and thôn 12
TAN_LAP = -4102
NGOC_TG = 2039  # CAN-039 Nguyễn Thị Bích Ngọc, also assigned to thôn 9
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM)  # a weekly digest is due
NEW_YEAR = datetime(2027, 1, 4, 8, 30, tzinfo=VIETNAM)  # the first working day of 2027: Q4's report


def app_db(harness: Harness) -> Database:
    return harness.application.bot_data.db


async def register(harness: Harness, chat_id: int, title: str, unit_code: str, clock: ManualClock) -> SimGroup:
    db = app_db(harness)
    await groups.register(
        db, chat_id=chat_id, title=title, unit_id=(await roster.unit_ids_by_code(db))[unit_code],
        purpose="summary", by=None, telegram_id=None, now=utc_stamp(clock.now()),
    )
    return harness.simulator.group(chat_id, title)


async def send_digests(harness: Harness, clock: ManualClock) -> None:
    app = harness.application

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    result = await digests.sweep(app.bot, app_db(harness), app.bot_data.config, clock, sleep=sleep)
    assert result.sent >= 1


async def due_message(harness: Harness, group: SimGroup) -> SimMessage:
    registered = await groups.get(app_db(harness), group.id)
    assert registered is not None and registered.last_digest_message_id is not None
    [message] = [m for m in group.messages() if m.message_id == registered.last_digest_message_id]
    return message


def edits_in(harness: Harness, chat_id: int) -> int:
    return len([c for c in harness.simulator.calls("editMessageText") if c.chat_id == chat_id])


async def report(chat: Chat, cell: str, *, day: str | None = None) -> None:
    """A visit report through the bot, fewest taps; ``day`` typed (dd/mm/yyyy) or today."""
    await chat.send("/baocao")
    await chat.press(cell)
    if day is None:
        await chat.press("Hôm nay")
    else:
        await chat.press("📅 Ngày khác")
        await chat.send(day)
        if "✅ Đúng ngày này" in chat.buttons:  # a day of an earlier quarter waits for a tap
            await chat.press("✅ Đúng ngày này")
    await chat.send("Nghị quyết Trung ương 4")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    assert chat.text.startswith("✅ Đã lưu báo cáo số")


async def file_on_time(db: Database, cadre_code: str, cell_code: str, day: date) -> None:
    cadre = await roster.cadre_by_code(db, cadre_code)
    assert cadre is not None
    await submit_visit(
        db,
        VisitReportInput(
            token=f"live-{cadre_code}-{cell_code}", cadre_id=cadre.id, filed_by_id=cadre.id,
            cell_id=(await roster.cell_ids_by_code(db))[cell_code], meeting_date=day,
            quarter=Quarter.of(day).key, late=False, disseminated="Nghị quyết",
        ),
        now="2026-12-10T02:00:00Z",
    )


async def test_late_reports_edit_the_quarter_end_due_list_at_most_once_a_minute(
    harness: Harness, clock: ManualClock
) -> None:
    db = app_db(harness)
    await file_on_time(db, CADRE_CODE, "CB-KR-DRUONG-T12", date(2026, 12, 10))
    await db.execute("UPDATE cadres SET telegram_id = ? WHERE code = 'CAN-039'", (NGOC_TG,))
    druong = await register(harness, DRUONG, "Đảng ủy xã Đăk Ruồng", "KR-DRUONG", clock)
    tan_lap = await register(harness, TAN_LAP, "Đảng ủy xã Tân Lập", "KR-TLAP", clock)
    clock.set(NEW_YEAR)
    await send_digests(harness, clock)
    listed = await due_message(harness, druong)
    assert listed.content.startswith("📋 DANH SÁCH CÒN PHẢI DỰ — Quý IV/2026\nĐăk Ruồng")
    assert "❌ Không dự trong quý: 13 lượt" in listed.content
    assert "• Nguyễn Văn Hùng: thôn 9\n" in listed.content
    assert "• Nguyễn Thị Bích Ngọc: thôn 9" in listed.content
    assert listed.content.endswith("🕒 Cập nhật lúc 08:30 04/01/2027") and not listed.edited

    # Hùng reports his December visit to thôn 9 in January: late, for Q4.
    clock.set(datetime(2027, 1, 4, 10, 0, tzinfo=VIETNAM))
    await report(Chat(harness, CADRE_TG), "Chi bộ thôn 9", day="28/12/2026")
    edited = await due_message(harness, druong)
    assert edited.edited and "Nguyễn Văn Hùng" not in edited.content
    assert "❌ Không dự trong quý: 12 lượt" in edited.content
    assert edited.content.endswith("🕒 Cập nhật lúc 10:00 04/01/2027")
    assert edits_in(harness, TAN_LAP) == 0  # thôn 9 is not in Tân Lập's scope
    assert tan_lap.messages()

    # Ngọc reports twenty seconds later: within the minute, so the edit waits.
    clock.advance(timedelta(seconds=20))
    await report(Chat(harness, NGOC_TG), "Chi bộ thôn 9", day="29/12/2026")
    assert edits_in(harness, DRUONG) == 1
    assert "Nguyễn Thị Bích Ngọc" in (await due_message(harness, druong)).content
    assert await live.flush(harness.application) == 0  # still within the minute

    clock.advance(timedelta(seconds=41))
    assert await live.flush(harness.application) == 1
    flushed = await due_message(harness, druong)
    assert "Nguyễn Thị Bích Ngọc" not in flushed.content and "❌ Không dự trong quý: 11 lượt" in flushed.content
    assert flushed.content.endswith("🕒 Cập nhật lúc 10:01 04/01/2027")
    assert edits_in(harness, DRUONG) == 2
    assert await live.flush(harness.application) == 0  # nothing pending: nothing sent


async def test_a_withdrawn_report_puts_the_cadre_back_on_the_list(harness: Harness, clock: ManualClock) -> None:
    druong = await register(harness, DRUONG, "Đảng ủy xã Đăk Ruồng", "KR-DRUONG", clock)
    clock.set(MONDAY)
    await send_digests(harness, clock)
    assert "• Nguyễn Văn Hùng: thôn 9, thôn 12" in (await due_message(harness, druong)).content
    cadre = Chat(harness, CADRE_TG)
    await report(cadre, "Chi bộ thôn 9")
    assert "• Nguyễn Văn Hùng: thôn 12\n" in (await due_message(harness, druong)).content
    clock.advance(timedelta(minutes=2))
    await cadre.send("/cuatoi")
    await cadre.press("🗑 Rút #1")
    await cadre.press("🗑 Rút báo cáo")
    again = await due_message(harness, druong)
    assert "• Nguyễn Văn Hùng: thôn 9, thôn 12" in again.content
    assert again.content.endswith("🕒 Cập nhật lúc 09:02 23/11/2026")


async def test_not_modified_is_swallowed(harness: Harness, clock: ManualClock, caplog: pytest.LogCaptureFixture) -> None:
    druong = await register(harness, DRUONG, "Đảng ủy xã Đăk Ruồng", "KR-DRUONG", clock)
    clock.set(MONDAY)
    await send_digests(harness, clock)
    before = (await due_message(harness, druong)).content
    harness.simulator.inject_fault(
        "editMessageText", status=400, chat_id=DRUONG,
        description="Bad Request: message is not modified: specified new message content and reply "
        "markup are exactly the same as a current content and reply markup of the message",
    )
    cadre = Chat(harness, CADRE_TG)
    with caplog.at_level(logging.INFO):
        await report(cadre, "Chi bộ thôn 9")
    [call] = [c for c in harness.simulator.calls("editMessageText") if c.chat_id == DRUONG]
    assert call.status == 400
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert cadre.text.startswith("✅ Đã lưu báo cáo số 1")  # no apology, no error shown
    assert (await due_message(harness, druong)).content == before
    registered = await groups.get(app_db(harness), DRUONG)
    assert registered is not None and registered.last_digest_message_id is not None  # still live


async def test_a_deleted_due_message_is_no_longer_edited(harness: Harness, clock: ManualClock) -> None:
    druong = await register(harness, DRUONG, "Đảng ủy xã Đăk Ruồng", "KR-DRUONG", clock)
    clock.set(MONDAY)
    await send_digests(harness, clock)
    listed = await due_message(harness, druong)
    await harness.application.bot.delete_message(DRUONG, listed.message_id)  # a group admin removed it
    cadre = Chat(harness, CADRE_TG)
    await report(cadre, "Chi bộ thôn 9")
    [call] = [c for c in harness.simulator.calls("editMessageText") if c.chat_id == DRUONG]
    assert call.status == 400 and "message to edit not found" in str(call.response)
    assert cadre.text.startswith("✅ Đã lưu báo cáo số 1")
    registered = await groups.get(app_db(harness), DRUONG)
    assert registered is not None and registered.active and registered.last_digest_message_id is None

    clock.advance(timedelta(minutes=5))
    await report(cadre, "Chi bộ thôn 12")
    assert await live.flush(harness.application) == 0
    assert edits_in(harness, DRUONG) == 1  # nothing more to edit until the next digest


async def test_in_production_a_job_flushes_the_pending_edit_once(config: Config, clock: ManualClock) -> None:
    from bot.app import build_application

    real = build_application(replace(config, telegram_token="1:x"), jobs=False)
    state = live.state_of(real).group(DRUONG)
    live._flush_later(real, DRUONG, state, timedelta(seconds=40))
    live._flush_later(real, DRUONG, state, timedelta(seconds=30))  # one is coming already
    assert real.job_queue is not None
    assert [job.name for job in real.job_queue.jobs()] == [f"{live.FLUSH_JOB}:{DRUONG}"]
    manual = build_application(replace(config, telegram_token="1:x"), clock=clock)
    live._flush_later(manual, DRUONG, live.state_of(manual).group(DRUONG), timedelta(seconds=40))
    assert manual.job_queue is not None and manual.job_queue.jobs() == ()  # tests flush by hand


def test_a_long_due_list_is_cut_politely_under_telegrams_limit() -> None:
    from scheduler.summaries import MESSAGE_LIMIT, Summary, render_due_message, utf16_len
    from storage.summaries import CommuneCoverage, DueVisit, ModelActivity

    due = [DueVisit(n, f"Đồng chí Cán Bộ Số {n:04d} 👩‍🌾", True, None, f"Chi bộ thôn {n}", "Đăk Ruồng") for n in range(600)]
    summary = Summary(
        kind="weekly", scope_name="Kon Rẫy", quarter=Quarter(2026, 4), today=date(2026, 11, 23), tz=VIETNAM,
        coverage=[CommuneCoverage(1, "Đăk Ruồng", 0, 0, 0, 600)], due=due, escalations=[],
        models=ModelActivity({}, []), unreachable=[],
    )
    text = render_due_message(summary, "vi", MONDAY)
    assert utf16_len(text) <= MESSAGE_LIMIT
    shown = text.count("\n• ")
    assert 50 < shown < 600
    assert text.endswith(f"… và {600 - shown} đồng chí khác.\n\n🕒 Cập nhật lúc 09:00 23/11/2026")
    assert "⏳ Còn phải dự: 600 lượt, còn 39 ngày" in text
