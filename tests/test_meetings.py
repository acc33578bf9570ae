"""Cell meetings (/hop): announced by the secretary, invitations answered once, reminders
the day before and that morning, moves and cancels told once, «📝 Báo cáo ngay» after —
the real Application on the simulator, the real sweep, time from the ManualClock."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from bot.harness import Harness
from bot.roster_import import RosterError, import_roster
from domain.callbacks import CB_MEETING_YES
from domain.clock import VIETNAM, ManualClock, utc_stamp
from domain.meetdays import MeetDayError, RegularDay, parse_regular, parse_time, same_next_month
from scheduler import meetings, reminders
from storage import audit
from storage.db import Database
from storage.reports import VisitReportInput, submit_visit
from tests.channels import ZaloChat, link_on_zalo, person, zalo_id
from scheduler.schedule import Settings, reminder_slots
from scheduler.xlsx import FIRST_ROW
from domain.quarters import Quarter
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat, forge_callback

SECRETARY_T9, MEMBER_T9 = 2023, 2039  # CAN-023 (thôn 9's secretary), CAN-039 (assigned with CAN-001)


def app_db(harness: Harness) -> Database:
    return harness.application.bot_data.db


async def link(harness: Harness, code: str, telegram_id: int) -> None:
    """The cadre linked on the harness's messenger, and a person there who has opened the bot."""
    if harness.channel == "zalo":
        await link_on_zalo(app_db(harness), code, zalo_id(telegram_id))
    else:
        await app_db(harness).execute("UPDATE cadres SET telegram_id = ? WHERE code = ?", (telegram_id, code))
        harness.simulator.user(telegram_id, code)


async def sweep(harness: Harness, clock: ManualClock, at: datetime | None = None) -> meetings.MeetingResult:
    if at is not None:
        clock.set(at)
    app = harness.application

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    return await meetings.sweep(app.bot_data.channels, app_db(harness), app.bot_data.config, clock, sleep=sleep)


def local(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VIETNAM)


async def announce(secretary: Chat | ZaloChat, day: str = "03/12", *, agenda: str | None = "Nghị quyết Đại hội") -> None:
    await secretary.send("/hop")
    assert "Chi bộ thôn 9" in secretary.text and "(chưa có)" in secretary.text
    await secretary.press("➕ Thông báo cuộc họp")
    assert "Bước 1/4" in secretary.text
    await secretary.send("31/02")
    assert "Không đọc được ngày «31/02»" in secretary.text
    await secretary.send(day)
    assert "Bước 2/4" in secretary.text
    await secretary.press("19:30")
    assert "Bước 3/4" in secretary.text
    await secretary.send("Nhà văn hóa thôn 9")
    if agenda is None:
        await secretary.press("Bỏ qua")
    else:
        await secretary.send(agenda)
    assert "Xem lại:" in secretary.text


async def test_announced_two_invited_one_accepts_reminders_once_each_then_the_report_is_prefilled(
    harness: Harness, clock: ManualClock
) -> None:
    db = app_db(harness)
    await link(harness, "CAN-023", SECRETARY_T9)
    await link(harness, "CAN-039", MEMBER_T9)
    secretary, member, other = Chat(harness, SECRETARY_T9), Chat(harness, CADRE_TG), Chat(harness, MEMBER_T9)
    await announce(secretary)
    assert "Chi bộ thôn 9 họp 19:30 thứ Năm 03/12/2026" in secretary.text and "Sẽ mời 2 cán bộ" in secretary.text
    await secretary.press("✅ Thông báo")
    assert secretary.text.startswith("✅ Đã lưu cuộc họp số 1; đang mời 2 cán bộ")
    [entry] = await audit.entries(db, action="meeting.announce")
    assert entry.details["invited"] == 2

    assert (await sweep(harness, clock)).sent == {"invite": 2}
    assert "MỜI DỰ SINH HOẠT CHI BỘ" in member.text and "Tại: Nhà văn hóa thôn 9" in member.text
    assert member.buttons == ["✅ Tôi sẽ dự", "❌ Không dự được"] and other.buttons == member.buttons
    assert (await sweep(harness, clock)).sent == {}  # once
    invitation = member.keyboard
    await member.press("✅ Tôi sẽ dự")
    assert "Đã ghi nhận: anh/chị sẽ dự Chi bộ thôn 9" in member.text
    assert invitation.buttons() == []  # the buttons went with the answer
    # The same button again (another phone, a retry): answered, recorded once.
    await forge_callback(harness, CADRE_TG, f"{CB_MEETING_YES}1:1", invitation.message_id)
    assert "đã trả lời rồi: ✅ Tôi sẽ dự" in member.text
    assert await db.fetchval("SELECT count(*) FROM meeting_invites WHERE answer IS NOT NULL") == 1

    # The day before (Wednesday 02/12) at the reminder hour, then Thursday morning.
    assert (await sweep(harness, clock, local(2, 7, 59))).sent == {}
    assert (await sweep(harness, clock, local(2, 8, 0))).sent == {"eve": 2}
    assert "🔔 Nhắc lịch họp" in member.text and member.screen.buttons() == []  # accepted: no buttons
    assert other.screen.buttons()  # not answered yet: may answer from the reminder
    assert (await sweep(harness, clock, local(2, 15, 0))).sent == {}
    assert (await sweep(harness, clock, local(3, 8, 0))).sent == {"morning": 2}
    assert (await sweep(harness, clock, local(3, 12, 0))).sent == {}
    # After the meeting: the evening is quiet, the next morning brings «📝 Báo cáo ngay».
    assert (await sweep(harness, clock, local(3, 21, 40))).quiet
    assert (await sweep(harness, clock, local(4, 7, 0))).sent == {"after": 2}
    assert (await sweep(harness, clock, local(4, 9, 0))).sent == {}
    await member.press("📝 Báo cáo ngay")
    assert "Bước 3/6" in member.text  # cell and date filled: straight to what was disseminated
    await member.send("Quán triệt Nghị quyết Đại hội")
    await member.press("Tiếp")
    await member.press("Không có kiến nghị")
    await member.press("Bỏ qua")
    assert "Chi bộ thôn 9" in member.text and "03/12/2026" in member.text
    await member.press("✅ Gửi")
    row = await db.fetchone("SELECT r.meeting_date, c.code FROM visit_reports AS r JOIN cells AS c ON c.id = r.cell_id")
    assert tuple(row) == ("2026-12-03", "CB-KR-DRUONG-T9")


async def test_a_move_is_told_once_and_a_cancel_stops_the_reminders(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    await link(harness, "CAN-023", SECRETARY_T9)
    await link(harness, "CAN-039", MEMBER_T9)
    secretary, member = Chat(harness, SECRETARY_T9), Chat(harness, CADRE_TG)
    await announce(secretary, agenda=None)
    await secretary.press("✅ Thông báo")
    await sweep(harness, clock)
    old_invitation = member.keyboard

    await secretary.send("/hop")
    assert "• 19:30 thứ Năm 03/12/2026 — Nhà văn hóa thôn 9" in secretary.text
    await secretary.press("✏️ Dời")
    await secretary.send("04/12")
    await secretary.send("19h")
    await secretary.press("Dùng: Nhà văn hóa thôn 9")
    assert "Chi bộ thôn 9 họp 19:00 thứ Sáu 04/12/2026" in secretary.text
    await secretary.press("✅ Dời lịch")
    assert "Đã dời cuộc họp sang 19:00 thứ Sáu 04/12/2026" in secretary.text
    assert (await sweep(harness, clock)).sent == {"moved": 2}
    assert "ĐỔI LỊCH HỌP" in member.text and member.buttons == ["✅ Tôi sẽ dự", "❌ Không dự được"]
    assert (await sweep(harness, clock)).sent == {}
    await member.press("✅ Tôi sẽ dự", message=old_invitation)  # the old invitation's button
    assert "Lịch họp đã thay đổi, nay là 19:00 thứ Sáu 04/12/2026" in member.text
    assert await db.fetchval("SELECT count(*) FROM meeting_invites WHERE answer IS NOT NULL") == 0
    await member.press("❌ Không dự được")
    # The old day brings nothing; the new eve reminds only the one who did not say no.
    assert (await sweep(harness, clock, local(2, 8, 0))).sent == {}
    assert (await sweep(harness, clock, local(3, 8, 0))).sent == {"eve": 1}

    await secretary.send("/hop")
    await secretary.press("✖ Hủy họp")
    await secretary.press("✖ Hủy cuộc họp")
    assert "Đã hủy cuộc họp 19:00 thứ Sáu 04/12/2026" in secretary.text
    assert (await sweep(harness, clock)).sent == {"cancelled": 2}
    assert "HỦY CUỘC HỌP" in member.text
    assert (await sweep(harness, clock, local(4, 8, 0))).sent == {}
    assert (await sweep(harness, clock, local(5, 8, 0, month=12) + timedelta(days=2))).sent == {}  # no «after»
    assert [e.action for e in await audit.entries(db, action="meeting.cancel")] == ["meeting.cancel"]


async def test_a_member_who_already_reported_this_quarter_is_not_invited(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    await link(harness, "CAN-023", SECRETARY_T9)
    await link(harness, "CAN-039", MEMBER_T9)
    member_id = await db.fetchval("SELECT id FROM cadres WHERE code = 'CAN-039'")
    cell_id = await db.fetchval("SELECT id FROM cells WHERE code = 'CB-KR-DRUONG-T9'")
    await submit_visit(db, VisitReportInput(
        token="already", cadre_id=member_id, filed_by_id=member_id, cell_id=cell_id, meeting_date=date(2026, 11, 5),
        quarter="2026-Q4", late=False, disseminated="Nghị quyết",
    ), now=utc_stamp(clock.now()))
    secretary, _ = Chat(harness, SECRETARY_T9), Chat(harness, CADRE_TG)
    await announce(secretary)
    assert "Sẽ mời 1 cán bộ" in secretary.text
    await secretary.press("✅ Thông báo")
    assert (await sweep(harness, clock)).sent == {"invite": 1}
    assert harness.simulator.calls("sendMessage")
    assert not [m for m in Chat(harness, MEMBER_T9).user.messages() if "MỜI DỰ" in (m.text or "")]


async def test_strangers_cannot_announce_and_the_uninvited_cannot_answer(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    member = Chat(harness, CADRE_TG)
    await member.send("/hop")
    assert "Chỉ bí thư chi bộ" in member.text
    assert [e.telegram_id for e in await audit.entries(db, action="denied.meetings")] == [CADRE_TG]
    await link(harness, "CAN-023", SECRETARY_T9)
    secretary = Chat(harness, SECRETARY_T9)
    await announce(secretary)
    await secretary.press("✅ Thông báo")
    await forge_callback(harness, SECRETARY_T9, f"{CB_MEETING_YES}1:1", 1)  # the announcer is not invited
    assert "không có trong danh sách mời" in secretary.text
    assert await db.fetchval("SELECT count(*) FROM meeting_invites WHERE answer IS NOT NULL") == 0


async def test_on_both_channels_the_invitation_and_the_answer_are_choices(
    channel_harness: Harness, clock: ManualClock
) -> None:
    harness = channel_harness
    db = app_db(harness)
    await link(harness, "CAN-023", SECRETARY_T9)
    secretary, member = person(harness, SECRETARY_T9), person(harness, CADRE_TG)
    await announce(secretary)
    await secretary.press("✅ Thông báo")
    assert "đang mời 2 cán bộ" in secretary.text
    assert (await sweep(harness, clock)).sent == {"invite": 1}  # CAN-039 is on no messenger yet
    assert "MỜI DỰ SINH HOẠT CHI BỘ" in member.text
    assert member.buttons == ["✅ Tôi sẽ dự", "❌ Không dự được"]
    await member.press("❌ Không dự được")
    assert "Đã ghi nhận: anh/chị không dự Chi bộ thôn 9" in member.text
    assert await db.fetchval("SELECT answer FROM meeting_invites WHERE answer IS NOT NULL") == "no"
    await member.send("/lichhop")
    texts = [getattr(m, "content", None) or getattr(m, "text", None) or "" for m in member.user.messages()]
    assert any("Chi bộ thôn 9 họp 19:30 thứ Năm 03/12/2026" in text and "Anh/chị: không dự" in text for text in texts)


async def test_lichhop_sends_an_ics_file_on_telegram(harness: Harness, clock: ManualClock) -> None:
    await link(harness, "CAN-023", SECRETARY_T9)
    secretary = Chat(harness, SECRETARY_T9)
    await announce(secretary)
    await secretary.press("✅ Thông báo")
    member = Chat(harness, CADRE_TG)
    await member.send("/lichhop")
    assert member.screen.kind == "document"
    ics = member.screen.document_bytes.decode()
    assert "BEGIN:VEVENT" in ics and "DTSTART;TZID=" in ics and "20261203T193000" in ics
    texts = [m.text or "" for m in member.user.messages() if m.kind == "text"]
    assert any("Chi bộ thôn 9 họp 19:30 thứ Năm 03/12/2026" in text and "chưa trả lời" in text for text in texts)


def test_regular_days_and_times_parse() -> None:
    assert parse_regular("ngày 5 hằng tháng 19:30") == RegularDay(5, parse_time("19:30"))
    assert parse_regular("Ngay 20 hang thang 7h") == RegularDay(20, parse_time("07:00"))
    assert parse_regular("day 31 19h30").on(2026, 11) == datetime(2026, 11, 30, 19, 30)
    assert RegularDay(5, parse_time("19:30")).next_after(datetime(2026, 12, 5, 20, 0)) == datetime(2027, 1, 5, 19, 30)
    assert same_next_month(datetime(2026, 1, 31, 19, 30)) == datetime(2026, 2, 28, 19, 30)
    for bad in ("mỗi tháng", "ngày 32 19:30", "ngày 5 25:00"):
        with pytest.raises(MeetDayError):
            parse_regular(bad)


async def test_the_roster_sets_a_regular_day_and_the_bot_derives_the_meeting(
    harness: Harness, clock: ManualClock, tmp_path: Path
) -> None:
    db = app_db(harness)
    good = tmp_path / "good" / "cells.csv"
    good.parent.mkdir()
    good.write_text("code,name,unit_code,meets_on\nCB-KR-DRUONG-T9,Chi bộ thôn 9,KR-DRUONG-T9,Ngay 3 hang thang 19h30\n")
    await import_roster(db, [good], now=utc_stamp(clock.now()))
    assert await db.fetchval("SELECT meets_on FROM cells WHERE code = 'CB-KR-DRUONG-T9'") == "ngày 3 hằng tháng 19:30"
    bad = tmp_path / "bad" / "cells.csv"
    bad.parent.mkdir()
    bad.write_text("code,name,unit_code,meets_on\nCB-KR-DRUONG-T9,Chi bộ thôn 9,KR-DRUONG-T9,hằng tháng\n")
    with pytest.raises(RosterError) as caught:
        await import_roster(db, [bad], now=utc_stamp(clock.now()))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "meets_on")]
    member = Chat(harness, CADRE_TG)
    # 23/11: the 03/12 meeting is less than two weeks away: derived once, invitations go out.
    result = await sweep(harness, clock)
    assert result.derived == 1 and result.sent == {"invite": 1}
    assert "Chi bộ thôn 9 họp 19:30 thứ Năm 03/12/2026" in member.text
    assert (await sweep(harness, clock)).derived == 0
    # The secretary's /hop offers the regular day.
    await link(harness, "CAN-023", SECRETARY_T9)
    secretary = Chat(harness, SECRETARY_T9)
    await secretary.send("/hop")
    assert "• 19:30 thứ Năm 03/12/2026" in secretary.text
    await secretary.press("➕ Thông báo cuộc họp")
    assert "Ngày thường lệ: 19:30 thứ Năm 03/12/2026" in secretary.buttons


async def test_the_quarterly_reminder_names_the_cells_next_meeting(harness: Harness, clock: ManualClock) -> None:
    await link(harness, "CAN-024", 2024)  # thôn 12's secretary
    secretary, member = Chat(harness, 2024), Chat(harness, CADRE_TG)
    await secretary.send("/hop")
    await secretary.press("➕ Thông báo cuộc họp")
    await secretary.send("05/12/2026")
    await secretary.send("19:30")
    await secretary.send("Hội trường thôn 12")
    await secretary.press("Bỏ qua")
    await secretary.press("✅ Thông báo")
    clock.set(local(2, 8, 0))  # 30 days before the quarter's end: CAN-001 owes thôn 9 and thôn 12
    result = await reminders.sweep(harness.application.bot_data.channels, app_db(harness),
                                   harness.application.bot_data.config, clock)
    assert result.sent == 1  # one message about both cells
    [text] = [m.text or "" for m in member.user.messages() if "Còn 30 ngày" in (m.text or "")]
    assert "• Chi bộ thôn 12 (Đăk Ruồng) — 📅 họp 19:30 thứ Bảy 05/12" in text
    assert "• Chi bộ thôn 9 (Đăk Ruồng) — thường sinh hoạt" in text  # none announced: the usual day
    single = reminders.reminder_screen(
        reminders.ReminderMessage((reminders.ReminderTarget(
            cadre_id=1, cell_id=7, cadre_code="CAN-001", cadre_name="Nguyễn Văn Hùng", telegram_id=1001,
            language="vi", cell_name="Chi bộ thôn 9", meeting_day=None, commune_name=None),)),
        next(s for s in reminder_slots(Quarter(2026, 4), Settings.from_config(harness.application.bot_data.config))
             if s.kind == "before30"),
        date(2026, 12, 2), "vi", meetings_next={7: datetime(2026, 12, 4, 19, 30)})
    assert "📅 Chi bộ thôn 9 họp 19:30 thứ Sáu 04/12." in single.text


async def test_summaries_and_the_workbook_show_meetings_held_and_cells_that_announced_none(
    harness: Harness, clock: ManualClock
) -> None:
    await link(harness, "CAN-023", SECRETARY_T9)
    secretary = Chat(harness, SECRETARY_T9)
    await announce(secretary, "25/11")  # Wednesday 25/11 19:30: held by the time of the summary
    await secretary.press("✅ Thông báo")
    await announce_again(secretary, "03/12")
    clock.set(local(26, 9, 0, month=11))
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/tonghop")
    summary = "\n".join(m.text or "" for m in admin.user.messages() if m.kind == "text")
    assert "📅 Họp chi bộ trong quý: 1 cuộc đã họp, 2 cuộc đã thông báo; 1/" in summary
    [silent] = [line for line in summary.split("\n") if line.startswith("Chưa thông báo cuộc họp nào (")]
    assert "thôn 9 (Đăk Ruồng)" not in silent and "chi bộ khác" in silent
    await admin.send("/baocaoquy")
    book = openpyxl.load_workbook(io.BytesIO(admin.screen.document_bytes))
    sheet = book["Họp chi bộ"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=FIRST_ROW, values_only=True) if row[1]}
    assert rows["Chi bộ thôn 9"][2:5] == (2, 1, None)
    assert rows["Chi bộ thôn 12"][2:5] == (0, 0, "Chưa thông báo cuộc họp nào")


async def announce_again(secretary: Chat, day: str) -> None:
    """A second meeting of the same cell: «➕» from its menu, which now lists the first."""
    await secretary.send("/hop")
    await secretary.press("➕ Thông báo cuộc họp")
    await secretary.send(day)
    await secretary.press("19:30")
    await secretary.send("Nhà văn hóa thôn 9")
    await secretary.press("Bỏ qua")
    await secretary.press("✅ Thông báo")
    assert "Đã lưu cuộc họp số" in secretary.text


async def test_a_scoped_admin_manages_only_the_cells_of_their_scope(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    tan_lap = await db.fetchval("SELECT id FROM units WHERE code = 'KR-TLAP'")
    await db.execute("UPDATE cadres SET role = 'admin', unit_id = ?, telegram_id = 2099 WHERE code = 'CAN-010'",
                     (tan_lap,))
    admin = Chat(harness, 2099)
    await admin.send("/hop")
    assert "chọn chi bộ" in admin.text
    assert [label for label in admin.buttons if label != "✖ Dừng" and "Hủy" not in label] == [
        f"Chi bộ thôn {n} (Tân Lập)" for n in (1, 2, 3, 4, 5)]
    t9 = await db.fetchval("SELECT id FROM cells WHERE code = 'CB-KR-DRUONG-T9'")
    await forge_callback(harness, 2099, f"hp:c:{t9}", admin.keyboard.message_id)
    assert "không phụ trách chi bộ này" in admin.text
    assert [e.telegram_id for e in await audit.entries(db, action="denied.meeting_cell")] == [2099]
    assert await db.fetchval("SELECT count(*) FROM meetings") == 0
