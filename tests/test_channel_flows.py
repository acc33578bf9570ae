"""The key conversations on both messengers (``channel_harness``: Telegram, then Zalo).

One test body each, through the real Application, the channel code and the simulator:
on Telegram a person presses buttons; on Zalo they type the numbers of the choices.
"""

from __future__ import annotations

from bot.harness import Harness
from domain.clock import ManualClock
from scheduler import digests, reminders
from storage import audit, groups, model_updates
from storage.db import Database
from tests.channels import person
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.test_reminders import Q4_START, ClockSleep

CELL = "Chi bộ thôn 9"
TRAFFIC = "Khu dân cư đảm bảo an toàn giao thông"


async def test_visit_report_with_an_escalation_answered_by_an_admin(channel_harness: Harness, roster_db: Database) -> None:
    admin = person(channel_harness, ADMIN_TG, "Văn phòng")
    await admin.send("/start")
    cadre = person(channel_harness, CADRE_TG)
    await cadre.send("/baocao")
    await cadre.press(CELL)
    await cadre.press("Hôm nay")
    await cadre.send("Nghị quyết Trung ương 4")
    await cadre.press("Tiếp")
    await cadre.press("➕")
    await cadre.send("Đường liên thôn sạt lở")
    await cadre.press("⬆")
    await cadre.press("Tiếp")
    await cadre.press("Bỏ qua")
    await cadre.press("✅ Gửi")
    assert "1 kiến nghị đã được chuyển Ban Thường vụ" in cadre.text

    assert "Kiến nghị số 1" in admin.text and "Đường liên thôn sạt lở" in admin.text
    await admin.press("👌")
    assert "Ban Thường vụ đã tiếp nhận kiến nghị số 1" in cadre.text
    await admin.press("✍")
    assert "Gõ câu trả lời" in admin.text
    await admin.send("Huyện bố trí kinh phí trong tháng 12.")
    assert "Huyện bố trí kinh phí trong tháng 12." in admin.text  # shown back before it is sent
    await admin.press("✅ Gửi")
    assert cadre.text.startswith("📩 Ban Thường vụ trả lời kiến nghị số 1")
    assert "Huyện bố trí kinh phí trong tháng 12." in cadre.text
    status = await roster_db.fetchval("SELECT status FROM visit_issues")
    assert status == "answered"


async def test_model_update_with_notes_a_proposal_and_a_photo(channel_harness: Harness, roster_db: Database) -> None:
    chat = person(channel_harness, CADRE_TG)
    await chat.send("/mohinh")
    assert chat.text.startswith("🌱 Cập nhật mô hình — Quý IV/2026\nBước 1/6")
    await chat.press(TRAFFIC)
    await chat.press("Tốt")
    await chat.send("Đã lắp 12 đèn đường ở ngã ba")
    await chat.press("Nhân rộng")
    await chat.send("Thôn 5, Thôn 7 xã Đăk Ruồng")
    await chat.photo()
    assert "Đã nhận: 1 ảnh" in chat.text
    await chat.press("Tiếp")
    assert "Nhân rộng tới Thôn 5, Thôn 7 xã Đăk Ruồng" in chat.text
    await chat.press("✅ Gửi")
    assert chat.text.startswith(f"✅ Đã lưu cập nhật mô hình số 1: «{TRAFFIC}» — Tốt.")
    [row] = await roster_db.fetchall("SELECT id, notes, proposal FROM model_updates")
    assert (row["notes"], row["proposal"]) == ("Đã lắp 12 đèn đường ở ngã ba", "replicate")
    [photo] = await model_updates.attachments_of_update(roster_db, row["id"])
    assert photo.kind == "photo" and photo.file_id


async def test_reminder_button_starts_the_report_for_that_cell(
    channel_harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    chat = person(channel_harness, CADRE_TG)
    app = channel_harness.application
    clock.set(Q4_START)
    result = await reminders.sweep(
        app.bot_data.channels, app.bot_data.db, app.bot_data.config, clock, sleep=ClockSleep(clock)
    )
    assert (result.kind, result.sent, result.failed) == ("start", 2, 0)
    assert "Quý IV/2026" in chat.text and chat.buttons
    await chat.press("📝")
    assert "Bước 2/6" in chat.text  # the cell is already chosen: straight to the date
    again = await reminders.sweep(
        app.bot_data.channels, app.bot_data.db, app.bot_data.config, clock, sleep=ClockSleep(clock)
    )
    assert again.sent == 0  # exactly once per (cadre, cell, quarter, kind)
