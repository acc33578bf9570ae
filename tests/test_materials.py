"""/tailieu: materials to the cells, «✅ Đã nhận» receipts, one reminder, the rate in
the summary and the workbook — the real Application on the simulator, the real sweep."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import openpyxl

from bot.harness import Harness
from domain.areas import area_kind
from domain.callbacks import CB_MATERIAL_RECEIVED
from domain.clock import VIETNAM, ManualClock
from scheduler import materials
from scheduler.materials import sent_by
from domain.workdays import WorkCalendar
from scheduler.xlsx import FIRST_ROW
from storage import audit
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat, forge_callback

PDF = b"%PDF-1.4 huong dan sinh hoat chi bo thang 12"
TITLE = "Hướng dẫn sinh hoạt chi bộ tháng 12/2026"
# Tân Lập's five cells and who gets each: thôn 3's secretary, else the assigned cadre.
SECRETARY_T3, THANG_T1, NHUNG_T2, VUONG_T45 = 2025, 2003, 2004, 2005


def app_db(harness: Harness) -> Database:
    return harness.application.bot_data.db


async def link(harness: Harness, code: str, telegram_id: int) -> None:
    """The cadre linked to the bot, and a person in the simulator who has opened it."""
    await app_db(harness).execute("UPDATE cadres SET telegram_id = ? WHERE code = ?", (telegram_id, code))
    harness.simulator.user(telegram_id, code)


async def link_tan_lap(harness: Harness) -> None:
    for code, telegram_id in (("CAN-025", SECRETARY_T3), ("CAN-003", THANG_T1), ("CAN-004", NHUNG_T2),
                              ("CAN-005", VUONG_T45)):
        await link(harness, code, telegram_id)


async def sweep(harness: Harness, clock: ManualClock) -> materials.MaterialResult:
    app = harness.application

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    return await materials.sweep(app.bot, app_db(harness), app.bot_data.config, clock, sleep=sleep)


async def send_to_tan_lap(admin: Chat) -> None:
    await admin.send("/tailieu")
    assert "Chưa gửi tài liệu nào" in admin.text
    await admin.press("➕ Gửi tài liệu mới")
    assert "bước 1/4" in admin.text
    await admin.send("không có tệp")  # neither a file nor a link
    assert "Xin gửi tệp PDF, DOCX, ảnh" in admin.text
    await admin._done(await admin.user.send_document(b"x", "danh-sach.xlsx"))
    assert "không phải PDF, DOCX hay ảnh" in admin.text
    await admin._done(await admin.user.send_document(PDF, "huong-dan-12.pdf", caption="Tài liệu tháng 12"))
    assert "Bước 2/4" in admin.text and "Dùng: Tài liệu tháng 12" in admin.buttons
    await admin.send(TITLE)
    assert f"Bước 3/4: gửi «{TITLE}»" in admin.text
    await admin.press("Chi bộ của một xã")
    await admin.press("Tân Lập (5)")
    assert "Tệp: huong-dan-12.pdf" in admin.text and "các chi bộ của Tân Lập — 5 chi bộ" in admin.text
    await admin.press("✅ Gửi")
    assert admin.text.startswith("✅ Đã lưu tài liệu số 1; đang gửi tới 5 chi bộ")


async def press_received(harness: Harness, telegram_id: int) -> Chat:
    chat = Chat(harness, telegram_id)
    await chat.press("✅ Đã nhận")
    return chat


async def test_a_commune_gets_it_two_confirm_the_rest_are_reminded_once_and_the_summary_shows_it(
    harness: Harness, clock: ManualClock
) -> None:
    db = app_db(harness)
    await link_tan_lap(harness)
    admin = Chat(harness, ADMIN_TG)
    await send_to_tan_lap(admin)
    assert await db.fetchval("SELECT count(*) FROM material_deliveries WHERE status = 'pending'") == 5
    [entry] = await audit.entries(db, action="material.send")
    assert entry.details["cells"] == 5

    result = await sweep(harness, clock)
    assert result.sent == 5
    calls = harness.simulator.calls("sendDocument")
    assert sorted(int(c.chat_id) for c in calls) == sorted([SECRETARY_T3, THANG_T1, NHUNG_T2, VUONG_T45, VUONG_T45])
    assert all(isinstance(c.params["document"], str) for c in calls)  # the file id, never uploaded again
    secretary = Chat(harness, SECRETARY_T3)
    assert secretary.screen.kind == "document" and secretary.buttons == ["✅ Đã nhận"]
    assert TITLE in (secretary.screen.caption or "") and "Chi bộ thôn 3 (Tân Lập)" in (secretary.screen.caption or "")
    assert (await sweep(harness, clock)).sent == 0  # each cell once

    await press_received(harness, SECRETARY_T3)
    assert f"Đã ghi nhận: Chi bộ thôn 3 đã nhận «{TITLE}»" in secretary.text
    await press_received(harness, THANG_T1)
    received = await db.fetchall(
        "SELECT k.code, d.received_at FROM material_deliveries AS d JOIN cadres AS k ON k.id = d.received_by"
    )
    assert sorted(r["code"] for r in received) == ["CAN-003", "CAN-025"]

    # The reminder: 3 working days after Monday 23/11 (24/11 is a public holiday) is Friday.
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=VIETNAM))
    assert (await sweep(harness, clock)).reminded == 0
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=VIETNAM))
    assert (await sweep(harness, clock)).reminded == 3
    reminders = [c for c in harness.simulator.calls("sendMessage") if "🔔 Nhắc" in str(c.params.get("text"))]
    assert sorted(int(c.chat_id) for c in reminders) == [NHUNG_T2, VUONG_T45, VUONG_T45]
    assert "gửi ngày 23/11/2026" in Chat(harness, NHUNG_T2).text
    clock.advance(timedelta(days=3))
    assert (await sweep(harness, clock)).reminded == 0  # once

    # The rate: in /tailieu, in the summary, in the workbook.
    await admin.send("/tailieu")
    assert f"#1 «{TITLE}» — 23/11/2026: 2/5 chi bộ đã nhận (40%)" in admin.text
    await admin.send("/tonghop")
    summary = "\n".join(m.text or "" for m in admin.user.messages() if m.kind == "text")
    assert f"• «{TITLE}» (23/11/2026): 2/5 chi bộ đã nhận (40%)" in summary
    assert "Chưa nhận: thôn 2 (Tân Lập), thôn 4 (Tân Lập), thôn 5 (Tân Lập)" in summary
    await admin.send("/baocaoquy")
    book = openpyxl.load_workbook(io.BytesIO(admin.screen.document_bytes))
    row = next(book["Tài liệu"].iter_rows(min_row=FIRST_ROW, max_row=FIRST_ROW, values_only=True))
    assert row[:6] == (1, TITLE, datetime(2026, 11, 23), 5, 5, 2) and row[6] == 0.4
    assert row[7] == "Chi bộ thôn 2 (Tân Lập); Chi bộ thôn 4 (Tân Lập); Chi bộ thôn 5 (Tân Lập)"


async def test_a_stale_received_is_answered_and_changes_nothing_twice(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    await link_tan_lap(harness)
    await send_to_tan_lap(Chat(harness, ADMIN_TG))
    await sweep(harness, clock)
    secretary = Chat(harness, SECRETARY_T3)
    material_message = secretary.keyboard
    await secretary.press("✅ Đã nhận", message=material_message)
    first = await db.fetchone("SELECT received_by, received_at FROM material_deliveries WHERE received_at IS NOT NULL")
    assert secretary.screen.message_id != material_message.message_id
    assert material_message.buttons() == []  # the button went with the answer
    # Days later, the old message's button arrives again (a retry, another phone).
    clock.advance(timedelta(days=2))
    cell = await db.fetchval("SELECT cell_id FROM material_deliveries WHERE received_at IS NOT NULL")
    await forge_callback(harness, SECRETARY_T3, f"{CB_MATERIAL_RECEIVED}1:{cell}", material_message.message_id)
    assert "đã xác nhận nhận" in secretary.text and "ngày 23/11/2026 (Nguyễn Thị Kim Oanh)" in secretary.text
    again = await db.fetchone("SELECT received_by, received_at FROM material_deliveries WHERE received_at IS NOT NULL")
    assert tuple(again) == tuple(first)
    assert await db.fetchval("SELECT count(*) FROM material_deliveries WHERE received_at IS NOT NULL") == 1
    # A material that does not exist (an old, forged or mangled button): answered, nothing stored.
    await forge_callback(harness, SECRETARY_T3, f"{CB_MATERIAL_RECEIVED}99:{cell}", material_message.message_id)
    await forge_callback(harness, SECRETARY_T3, f"{CB_MATERIAL_RECEIVED}x:y", material_message.message_id)
    answers = [c for c in harness.simulator.calls("answerCallbackQuery") if c.params.get("text")]
    assert len(answers) >= 4
    assert await db.fetchval("SELECT count(*) FROM material_deliveries WHERE received_at IS NOT NULL") == 1


async def test_non_admins_and_strangers_to_the_cell_are_refused_and_logged(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    cadre = Chat(harness, CADRE_TG)
    await cadre.send("/tailieu")
    assert "quản trị" in cadre.text
    assert [e.telegram_id for e in await audit.entries(db, action="denied.materials")] == [CADRE_TG]
    await link_tan_lap(harness)
    await send_to_tan_lap(Chat(harness, ADMIN_TG))
    await sweep(harness, clock)
    cell = await db.fetchval(
        "SELECT d.cell_id FROM material_deliveries AS d JOIN cadres AS k ON k.id = d.recipient_id WHERE k.code = 'CAN-003'"
    )
    # CAN-001 works in Đăk Ruồng: Tân Lập's thôn 1 is not theirs to confirm.
    await forge_callback(harness, CADRE_TG, f"{CB_MATERIAL_RECEIVED}1:{cell}", 1)
    assert "không phụ trách chi bộ này" in cadre.text
    assert [e.telegram_id for e in await audit.entries(db, action="denied.material_receipt")] == [CADRE_TG]
    assert await db.fetchval("SELECT count(*) FROM material_deliveries WHERE received_at IS NOT NULL") == 0


async def test_a_link_to_the_cells_of_one_kind_of_area(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    await link(harness, "CAN-037", 2037)  # the secretary of tổ dân phố 1
    await link(harness, "CAN-033", 2033)  # assigned to tổ dân phố 2 and 3
    await link(harness, "CAN-035", 2035)  # an admin of Mộ Đức
    admin = Chat(harness, 2035)
    await admin.send("/tailieu")
    await admin.press("➕ Gửi tài liệu mới")
    await admin.send("Đề cương tuyên truyền https://example.gov.vn/de-cuong.pdf")
    await admin.press("Dùng: Đề cương tuyên truyền")
    await admin.press("Theo loại khu dân cư")
    assert "Tổ dân phố (3)" in admin.buttons
    await admin.press("Tổ dân phố (3)")
    assert "Link: https://example.gov.vn/de-cuong.pdf" in admin.text and "— 3 chi bộ" in admin.text
    await admin.press("✅ Gửi")
    assert (await sweep(harness, clock)).sent == 3
    texts = [c.params["text"] for c in harness.simulator.calls("sendMessage") if "TÀI LIỆU TUYÊN TRUYỀN" in str(c.params.get("text"))]
    assert len(texts) == 3 and all("https://example.gov.vn/de-cuong.pdf" in text for text in texts)
    await press_received(harness, 2037)
    await admin.send("/tailieu")
    assert "«Đề cương tuyên truyền» — 23/11/2026: 1/3 chi bộ đã nhận (33%)" in admin.text


async def test_nothing_goes_out_in_the_quiet_hours_and_a_cell_nobody_can_receive_waits(
    harness: Harness, clock: ManualClock
) -> None:
    db = app_db(harness)
    await link(harness, "CAN-025", SECRETARY_T3)
    clock.set(datetime(2026, 11, 23, 21, 30, tzinfo=VIETNAM))
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/tailieu")
    await admin.press("➕ Gửi tài liệu mới")
    await admin._done(await admin.user.send_photo())
    await admin.send("Ảnh tuyên truyền phòng chống ma túy")
    await admin.press("Chi bộ của một xã")
    await admin.press("Tân Lập (5)")
    await admin.press("✅ Gửi")
    assert "sẽ gửi tới 5 chi bộ từ 07:00 ngày 25/11/2026" in admin.text  # 24/11 is a holiday
    assert (await sweep(harness, clock)).quiet
    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=VIETNAM))
    assert (await sweep(harness, clock)).sent == 1  # only thôn 3 has someone on the bot
    assert harness.simulator.calls("sendPhoto")[-1].chat_id in (SECRETARY_T3, str(SECRETARY_T3))
    await link(harness, "CAN-004", NHUNG_T2)
    assert (await sweep(harness, clock)).sent == 1  # thôn 2, once its cadre has linked


def test_kinds_of_area_and_working_days_for_the_reminder() -> None:
    assert [area_kind(n) for n in ("Thôn 9", "Tổ dân phố 1", "Làng Kon Skôi", "TO DAN PHO 3", "Khối 2", "Đội 5")] == [
        "thôn", "tổ dân phố", "làng", "tổ dân phố", "khối", "khác"]
    calendar = WorkCalendar()
    friday = datetime(2026, 11, 27).date()
    assert sent_by(friday, 3, calendar) == datetime(2026, 11, 24).date()  # Mon 23/11 counts; 24/11 is a holiday
    assert sent_by(friday, 1, calendar) == datetime(2026, 11, 26).date()

