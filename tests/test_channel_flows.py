"""The key conversations on both messengers (``channel_harness``: Telegram, then Zalo).

One test body each, through the real Application, the channel code and the simulator:
on Telegram a person presses buttons; on Zalo they type the numbers of the choices.
"""

from __future__ import annotations

import pytest

from bot.channels import TELEGRAM, ZALO
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.simulator import TelegramSimulator
from domain.clock import ManualClock
from scheduler import reminders
from storage import model_updates
from storage.db import Database
from tests.channels import link_on_zalo, person, zalo_id
from tests.conftest import ADMIN_TG, CADRE_CODE, CADRE_TG
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
    assert (result.kind, result.sent, result.failed) == ("start", 1, 0)  # one message for both cells
    assert "Quý IV/2026" in chat.text and chat.buttons
    await chat.press("📝 thôn 9")
    assert "Bước 2/6" in chat.text  # the cell is already chosen: straight to the date
    again = await reminders.sweep(
        app.bot_data.channels, app.bot_data.db, app.bot_data.config, clock, sleep=ClockSleep(clock)
    )
    assert again.sent == 0  # exactly once per (cadre, cell, quarter, kind)


@pytest.mark.parametrize("channel", [TELEGRAM, ZALO])
async def test_a_restart_keeps_the_screen_and_the_draft(
    channel: str, config: Config, clock: ManualClock, roster_db: Database
) -> None:
    """On Zalo the choices on screen live in SQLite: a number typed after a restart still
    picks the choice the cadre is looking at."""
    if channel == ZALO:
        await link_on_zalo(roster_db, CADRE_CODE, zalo_id(CADRE_TG))
    async with TelegramSimulator() as sim:
        async with bot_with_simulator(config, clock=clock, simulator=sim, poll_timeout=1, channel=channel) as first:
            chat = person(first, CADRE_TG)
            await chat.send("/baocao")
            await chat.press(CELL)
        async with bot_with_simulator(config, clock=clock, simulator=sim, poll_timeout=1, channel=channel) as second:
            chat = person(second, CADRE_TG)
            await chat.press("Hôm nay")  # the screen shown before the restart
            assert "Bước 3/6" in chat.text
            await chat.send("Chỉ thị 05")
            await chat.press("Tiếp")
            await chat.press("Không có kiến nghị")
            await chat.press("Bỏ qua")
            await chat.press("✅ Gửi")
            assert chat.text.startswith("✅ Đã lưu báo cáo số 1")
    assert await roster_db.fetchval("SELECT disseminated FROM visit_reports") == "Chỉ thị 05"


async def test_a_report_filed_on_behalf_is_told_to_the_cadre_and_counts(
    channel_harness: Harness, roster_db: Database
) -> None:
    """The notice reaches the cadre on the harness's messenger (their account there)."""
    admin = person(channel_harness, ADMIN_TG, "Văn phòng")
    cadre = person(channel_harness, CADRE_TG)
    await cadre.send("/cuatoi")  # has opened the bot before
    await admin.send("/baocaothay")
    await admin.send("nguyen van hung")  # typed without diacritics
    await admin.press("Nguyễn Văn Hùng")
    await admin.press(CELL)
    await admin.press("Hôm nay")
    await admin.send("Chỉ thị 05")
    await admin.press("Tiếp")
    await admin.press("Không có kiến nghị")
    await admin.press("Bỏ qua")
    assert "Báo cáo thay cho: Nguyễn Văn Hùng" in admin.text
    await admin.press("✅ Gửi")
    assert admin.text.startswith("✅ Đã lưu báo cáo số 1")
    assert "đã báo cáo thay đồng chí" in cadre.text and "/xembaocao 1" in cadre.text
    await cadre.send("/cuatoi")
    assert "✅ Chi bộ thôn 9 — Đăk Ruồng — đã báo cáo" in cadre.text
    await cadre.send("/xembaocao 1")
    assert "Chỉ thị 05" in cadre.text


async def test_stop_keeps_the_draft_and_the_language_can_be_switched(channel_harness: Harness) -> None:
    chat = person(channel_harness, CADRE_TG)
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.send("/huy")
    assert "Bản nháp vẫn được giữ" in chat.text
    await chat.send("/baocao")
    await chat.press("▶")
    assert "Bước 2/6: Chi bộ thôn 9" in chat.text
    await chat.send("/huy")
    await chat.send("/ngonngu")
    await chat.press("English")
    await chat.send("/cuatoi")
    assert "Assigned cells:" in chat.text  # the cadre's choice, on either messenger
