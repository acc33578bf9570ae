"""The visit report conversation end to end: the real Application on the simulator."""

from __future__ import annotations

from datetime import timedelta

from domain.clock import ManualClock
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.simulator import TelegramSimulator
from storage import audit, reports
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_TG, STRANGER_TG
from tests.helpers import Chat, forge_callback

CELL = "Chi bộ thôn 9"


async def fill_until_review(chat: Chat, *, issue: str | None = None, escalate: bool = False) -> None:
    """Goes through the six steps with the fewest taps a cadre can use."""
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.press("Hôm nay")
    await chat.send("Nghị quyết Trung ương 4")
    await chat.press("Tiếp")
    if issue is None:
        await chat.press("Không có kiến nghị")
    else:
        await chat.press("➕")
        await chat.send(issue)
        await chat.press("⬆" if escalate else "✅")
        await chat.press("Tiếp")
    await chat.press("Bỏ qua")
    assert "Bước 6/6" in chat.text


async def stored_reports(db: Database) -> list[reports.VisitReport]:
    rows = await db.fetchall("SELECT id FROM visit_reports ORDER BY id")
    return [r for r in [await reports.get_visit(db, row["id"]) for row in rows] if r]


async def test_full_report_is_stored_with_its_receipt(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/baocao")
    assert chat.text.startswith("📝 Báo cáo dự sinh hoạt chi bộ — Quý IV/2026")
    await chat.press(CELL)
    await chat.press("Hôm qua")
    await chat.send("Nghị quyết Trung ương 4")
    await chat.press("Tiếp")
    await chat.press("➕")
    await chat.send("Xin hỗ trợ giống lúa")
    await chat.press("✅")
    await chat.press("Tiếp")
    await chat.photo()
    await chat.location(14.5, 107.9)
    assert "Đã nhận: 1 ảnh, vị trí" in chat.text
    await chat.press("Tiếp")
    review = chat.text
    assert "Chi bộ thôn 9 — Đăk Ruồng" in review and "22/11/2026" in review
    assert "Xin hỗ trợ giống lúa — đã giải quyết tại chỗ" in review
    await chat.press("✅ Gửi")
    assert chat.text.startswith("✅ Đã lưu báo cáo số 1")

    [report] = await stored_reports(roster_db)
    assert report.meeting_date.isoformat() == "2026-11-22" and report.quarter == "2026-Q4"
    assert report.disseminated == "Nghị quyết Trung ương 4" and not report.late
    assert [(i.description, i.escalated, i.status) for i in report.issues] == [
        ("Xin hỗ trợ giống lúa", False, "closed")
    ]
    assert report.attachment_count == 1 and report.latitude == 14.5
    assert [e.action for e in await audit.entries(roster_db)] == ["visit.submit"]


async def test_escalation_reaches_the_admins_and_the_answer_comes_back(harness: Harness, roster_db: Database) -> None:
    admin = Chat(harness, ADMIN_TG, "Văn phòng")
    await admin.send("/start")  # the admin has opened the bot
    cadre = Chat(harness, CADRE_TG)
    await fill_until_review(cadre, issue="Đường liên thôn sạt lở", escalate=True)
    await cadre.press("✅ Gửi")
    assert "1 kiến nghị đã được chuyển Ban Thường vụ" in cadre.text

    post = admin.screen
    assert "Kiến nghị số 1" in post.text and "Đường liên thôn sạt lở" in post.text
    await admin.press("👌", message=post)
    assert "Ban Thường vụ đã tiếp nhận kiến nghị số 1" in cadre.text
    post = next(m for m in admin.user.messages() if m.message_id == post.message_id)
    assert "👌 Đã tiếp nhận" in post.text and post.buttons() == [["✍ Trả lời"]]
    await admin.press("✍", message=post)
    assert "Gõ câu trả lời" in admin.text
    await admin.send("Huyện bố trí kinh phí trong tháng 12.")
    assert "Huyện bố trí kinh phí trong tháng 12." in admin.text  # shown back before it is sent
    await admin.press("✅ Gửi")
    assert any("Đã lưu câu trả lời kiến nghị số 1" in (m.text or "") for m in admin.user.messages())
    post = next(m for m in admin.user.messages() if m.message_id == post.message_id)
    assert "📩 Đã trả lời" in post.text and not post.buttons()
    assert cadre.text.startswith("📩 Ban Thường vụ trả lời kiến nghị số 1")
    assert "Huyện bố trí kinh phí trong tháng 12." in cadre.text
    [report] = await stored_reports(roster_db)
    assert report.issues[0].status == "answered"


async def test_a_cadre_cannot_acknowledge_or_list_escalations(harness: Harness) -> None:
    cadre = Chat(harness, CADRE_TG)
    assert "chỉ dành cho quản trị viên" in (await cadre.send("/kiennghi")).text
    [denied] = await audit.entries(harness.application.bot_data.db, action="denied.admin_command")
    assert denied.telegram_id == CADRE_TG


async def test_double_confirm_stores_once(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill_until_review(chat)
    review = chat.screen
    label = next(b for row in review.buttons() for b in row if b.startswith("✅ Gửi"))
    confirm_data = next(d for row in review.button_data() for d in row if d.startswith("v:ok:"))
    # Two taps sent before the bot answered either (a slow network, an impatient thumb).
    first = await chat.user.press(label, message=review)
    second = await chat.user.press(label, message=review)
    await harness.handled(first)
    await harness.handled(second)
    assert len(await stored_reports(roster_db)) == 1
    texts = [m.text or "" for m in chat.user.messages()]
    assert any(text.startswith("✅ Đã lưu báo cáo số 1") for text in texts)
    assert "đã được lưu rồi (số 1)" in chat.text
    # A tap on the old review much later (its buttons are long gone) stores nothing either.
    await forge_callback(harness, CADRE_TG, confirm_data, review.message_id)
    assert "đã được lưu rồi (số 1)" in chat.text
    assert len(await stored_reports(roster_db)) == 1


async def test_restart_in_the_middle_of_a_report_continues_where_it_was(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    telegram = TelegramSimulator()  # Telegram stays up while the bot restarts
    await telegram.start()
    async with bot_with_simulator(config, clock=clock, simulator=telegram, poll_timeout=1) as first:
        chat = Chat(first, CADRE_TG)
        await chat.send("/baocao")
        await chat.press(CELL)
        await chat.press("Hôm nay")
        await chat.send("Chỉ thị 05")
    # The bot stops (a restart, a crash after the last update was handled) and comes back.
    async with bot_with_simulator(config, clock=clock, simulator=telegram, poll_timeout=1) as second:
        chat = Chat(second, CADRE_TG)
        await chat.send("/baocao")
        assert "báo cáo đang làm dở" in chat.text
        await chat.press("▶ Tiếp tục")
        assert "Bước 3/6" in chat.text and "Chỉ thị 05" in chat.text  # cell, date and topic were kept
        await chat.press("Tiếp")
        await chat.press("Không có kiến nghị")
        await chat.press("Bỏ qua")
        assert "Chỉ thị 05" in chat.text
        await chat.press("✅ Gửi")
    await telegram.stop()
    [report] = await stored_reports(roster_db)
    assert report.disseminated == "Chỉ thị 05"


async def test_stop_keeps_the_draft_and_a_new_report_can_replace_it(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/baocao")
    await chat.press(CELL)
    assert "Bản nháp vẫn được giữ" in (await chat.send("/huy")).text
    await chat.send("/baocao")
    await chat.press("🆕 Làm báo cáo mới")
    assert "Bước 1/6" in chat.text


async def test_unexpected_input_gets_hints_and_nothing_breaks(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/baocao")
    assert "Xin bấm một nút" in (await chat.sticker()).text
    assert "Xin bấm một nút" in (await chat.voice()).text
    assert "đang làm báo cáo dở" in (await chat.send("/mohinh_khong_co")).text
    await chat.press(CELL)
    await chat.press("📅 Ngày khác")
    assert "không có trên lịch" in (await chat.send("31/02/2026")).text
    assert "Chưa đọc được ngày" in (await chat.send("hôm kia")).text
    assert "chưa tới" in (await chat.send("30/11/2026")).text
    assert "nộp muộn" in (await chat.send("28/09/2026")).text
    await chat.press("✅ Đúng ngày này")
    assert "Bước 3/6" in chat.text
    long_text = "a" * 1500
    assert "quá giới hạn 1000" in (await chat.send(long_text)).text
    await chat.send("Nghị quyết")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.send("chữ ở bước ảnh")
    assert "xin gửi ảnh" in chat.text and "«Bỏ qua»" in chat.text
    await chat.press("Bỏ qua")
    assert "nộp muộn" in chat.text  # the review marks the September meeting late
    await chat.press("✅ Gửi")
    [report] = await stored_reports(roster_db)
    assert report.late and report.quarter == "2026-Q3"


async def test_a_button_of_an_old_message_gets_a_hint(harness: Harness) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/baocao")
    old = chat.screen
    await chat.press(CELL)
    await chat.press("Hôm nay")
    # "Chi bộ khác" belongs to step 1; the conversation is at step 3 now.
    await forge_callback(harness, CADRE_TG, "v:cp:0", old.message_id)
    assert "Nút này đã cũ" in chat.text


async def test_typed_text_after_a_long_pause_ends_the_flow_but_keeps_the_draft(
    harness: Harness, clock: ManualClock
) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.press("📅 Ngày khác")
    clock.advance(timedelta(hours=3))
    assert "tạm dừng vì lâu không thao tác" in (await chat.send("20/11")).text
    await chat.send("/baocao")
    assert "báo cáo đang làm dở" in chat.text


async def test_strangers_cannot_report(harness: Harness) -> None:
    chat = Chat(harness, STRANGER_TG)
    assert "chỉ dành cho cán bộ" in (await chat.send("/baocao")).text


async def test_choosing_another_cell_by_commune_then_village(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/baocao")
    await chat.press("🔎 Chi bộ khác")
    assert chat.text == "Chọn xã, thị trấn:"
    await chat.press("Đăk Pne")  # in Vietnamese order, on the first page
    assert chat.text.startswith("Chọn chi bộ ở")
    cell_label = chat.buttons[0]
    await chat.press(cell_label)
    assert "Bước 2/6" in chat.text and cell_label in chat.text


async def test_cuatoi_shows_progress_and_allows_withdraw_within_48_hours(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill_until_review(chat)
    await chat.press("✅ Gửi")
    await chat.send("/cuatoi")
    assert "✅ Chi bộ thôn 9 — Đăk Ruồng — đã báo cáo" in chat.text
    assert "⏳ Chi bộ thôn 12 — Đăk Ruồng — còn 39 ngày" in chat.text
    await chat.press("🗑 Rút #1")
    await chat.press("🗑 Rút báo cáo")
    assert "Đã rút báo cáo số 1" in chat.text
    [report] = await stored_reports(roster_db)
    assert report.status == "withdrawn"
    assert "visit.withdraw" in [e.action for e in await audit.entries(roster_db)]


async def test_edit_within_48_hours_then_refused_after(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill_until_review(chat)
    await chat.press("✅ Gửi")
    await chat.send("/cuatoi")
    await chat.press("✏ Sửa #1")
    assert "Bước 6/6" in chat.text
    await chat.press("✏ Ngày")
    await chat.press("Hôm qua")
    await chat.press("✅ Gửi")
    assert "Đã sửa báo cáo số 1" in chat.text
    [report] = await stored_reports(roster_db)
    assert report.meeting_date.isoformat() == "2026-11-22"
    assert "visit.edit" in [e.action for e in await audit.entries(roster_db)]
    await chat.send("/cuatoi")
    clock.advance(timedelta(hours=49))
    await chat.press("✏ Sửa #1")  # the listing shown before the 48 hours ran out
    assert "quá 48 giờ" in chat.text


async def test_a_cadre_cannot_change_another_cadres_report(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill_until_review(chat)
    await chat.press("✅ Gửi")
    # Another cadre of the roster, linked now, forges the withdraw button of report 1.
    other_id = await roster_db.fetchval("SELECT id FROM cadres WHERE telegram_id IS NULL AND role = 'cadre' LIMIT 1")
    await roster_db.execute("UPDATE cadres SET telegram_id = 3003 WHERE id = ?", (other_id,))
    other = Chat(harness, 3003)
    await other.send("/cuatoi")
    await forge_callback(harness, 3003, "me:wy:1", other.screen.message_id)
    assert "chỉ xem, sửa được báo cáo của mình" in other.text
    [report] = await stored_reports(roster_db)
    assert report.status == "submitted"
    [denied] = await audit.entries(roster_db, action="denied.other_cadres_report")
    assert denied.telegram_id == 3003 and denied.actor_id == other_id


async def test_a_day_of_last_week_can_be_picked(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.press("📅 Ngày khác")
    assert "T4 18/11" in chat.buttons  # Monday 23/11 minus five days
    await chat.press("T4 18/11")
    assert "Bước 3/6" in chat.text


async def test_view_report_own_or_as_admin_after_48_hours(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    cadre = Chat(harness, CADRE_TG)
    await fill_until_review(cadre)
    await cadre.press("✅ Gửi")
    view = await cadre.send("/xembaocao 1")
    assert view.text.startswith("Báo cáo số 1") and "Nghị quyết Trung ương 4" in view.text
    assert cadre.buttons == ["✏ Sửa #1", "🗑 Rút #1"]
    clock.advance(timedelta(hours=50))
    assert (await cadre.send("/xembaocao 1")).buttons() == []
    stranger_id = await roster_db.fetchval("SELECT id FROM cadres WHERE telegram_id IS NULL AND role = 'cadre' LIMIT 1")
    await roster_db.execute("UPDATE cadres SET telegram_id = 3004 WHERE id = ?", (stranger_id,))
    assert "Không tìm thấy báo cáo số 1" in (await Chat(harness, 3004).send("/xembaocao 1")).text
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/xembaocao 1")
    await admin.press("🗑 Rút #1")
    await admin.press("🗑 Rút báo cáo")
    assert "Đã rút báo cáo số 1" in admin.text
    assert await roster_db.fetchval("SELECT status FROM visit_reports WHERE id = 1") == "withdrawn"


async def test_how_many_taps_a_report_takes(harness: Harness, roster_db: Database) -> None:
    """The effort a cadre spends on a phone: counted, so a change that adds steps shows."""
    await roster_db.execute(
        "INSERT INTO quarter_topics (quarter, title, created_at) VALUES ('2026-Q4', 'Chỉ thị 05-CT/TW', 'x')"
    )
    chat = Chat(harness, CADRE_TG)
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.press("Hôm nay")
    await chat.press("☐ Chỉ thị 05")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    assert chat.text.startswith("✅ Đã lưu báo cáo số 1")
    assert (chat.taps, chat.typed) == (7, 1)  # the /baocao command is the one typed message
