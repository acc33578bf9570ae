"""The main cadre and admin flows on both messengers (issue 10), beyond the key ones of
tests/test_channel_flows.py: going back and resuming a report, an answer that fits no
current choice, /cuatoi, a group's /tonghop, the savings fund. One body per flow, run on
Telegram (buttons) and on Zalo (numbered choices, typed), through the real Application,
the channel code and the simulator; each asserts what the person sees on each channel,
and on Zalo that nothing they were shown tells them to press a button.
"""

from __future__ import annotations

from datetime import timedelta

from bot.channels import ZALO
from bot.harness import Harness
from domain.clock import ManualClock
from domain.money import format_dong
from storage import audit, fund, scope
from storage.db import Database
from tests.channels import GroupChat, ZaloChat, link_on, person
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat, forge_callback
from tests.test_zalo_wording import BUTTON_WORDS

CELL = "Chi bộ thôn 9"
TREASURER_TG = 3001


def says_no_press(*chats: Chat | ZaloChat) -> bool:
    """On Zalo: no message the person got says «bấm»/«nút»… (on Telegram: nothing to check)."""
    for chat in chats:
        if isinstance(chat, ZaloChat):
            pressing = [m.content for m in chat.user.messages() if BUTTON_WORDS.search(m.content)]
            assert pressing == [], pressing
    return True


async def test_going_back_stopping_and_resuming_a_visit_report(channel_harness: Harness, roster_db: Database) -> None:
    chat = person(channel_harness, CADRE_TG)
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.press("Hôm nay")
    assert "Bước 3/6" in chat.text and "⬅ Quay lại" in chat.buttons
    await chat.press("⬅ Quay lại")
    assert "Bước 2/6" in chat.text
    await chat.press("Hôm nay")
    await chat.send("Nghị quyết Trung ương 4")
    await chat.press("Tiếp")
    assert "Bước 4/6" in chat.text
    await chat.send("/huy")
    assert "Bản nháp vẫn được giữ" in chat.text
    await chat.send("/baocao")
    assert "báo cáo đang làm dở" in chat.text
    await chat.press("▶ Tiếp tục")
    assert "Bước 4/6" in chat.text
    await chat.press("⬅ Quay lại")
    assert "Bước 3/6" in chat.text and "Nghị quyết Trung ương 4" in chat.text  # what was typed is kept
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    assert chat.text.startswith("✅ Đã lưu báo cáo số 1")
    assert await roster_db.fetchval("SELECT disseminated FROM visit_reports") == "Nghị quyết Trung ương 4"
    assert says_no_press(chat)


async def test_an_answer_that_fits_no_current_choice_is_answered_and_a_pause_keeps_the_draft(
    channel_harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    """Telegram: a button of an older message. Zalo: a number that is not on the screen.
    Either way the person is told, and the report goes on; after a long pause typed text
    ends the flow, and the draft is offered again."""
    chat = person(channel_harness, CADRE_TG)
    await chat.send("/baocao")
    first = chat.screen
    await chat.press(CELL)
    await chat.press("Hôm nay")
    if isinstance(chat, ZaloChat):
        await chat.send("9")
        assert chat.text.startswith("Không có lựa chọn số 9. Đồng chí gõ số của một trong các lựa chọn:")
        assert "Tiếp" in chat.screen.message.content  # the choices, repeated
    else:
        await forge_callback(channel_harness, CADRE_TG, "v:cp:0", first.message_id)  # step 1's «Chi bộ khác»
        assert "Nút này đã cũ" in chat.text
    await chat.send("Chỉ thị 05")
    assert "Bước 3/6" in chat.text and "Chỉ thị 05" in chat.text
    clock.advance(timedelta(hours=3))
    await chat.send("và Nghị quyết 18")
    assert "tạm dừng vì lâu không thao tác" in chat.text
    await chat.send("/baocao")
    assert "báo cáo đang làm dở" in chat.text
    await chat.press("▶ Tiếp tục")
    assert "Bước 3/6" in chat.text and "Chỉ thị 05" in chat.text
    assert await roster_db.fetchval("SELECT count(*) FROM visit_reports") == 0
    assert says_no_press(chat)


async def test_cuatoi_shows_progress_and_a_report_can_be_withdrawn(channel_harness: Harness, roster_db: Database) -> None:
    chat = person(channel_harness, CADRE_TG)
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.press("Hôm nay")
    await chat.send("Nghị quyết Trung ương 4")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    await chat.send("cuatoi" if isinstance(chat, ZaloChat) else "/cuatoi")  # Zalo: typed without the slash
    assert "✅ Chi bộ thôn 9 — Đăk Ruồng — đã báo cáo" in chat.text
    assert "⏳ Chi bộ thôn 12 — Đăk Ruồng — còn 39 ngày" in chat.text
    await chat.press("🗑 Rút #1")
    await chat.press("🗑 Rút báo cáo")
    assert "Đã rút báo cáo số 1" in chat.text
    assert await roster_db.fetchval("SELECT status FROM visit_reports") == "withdrawn"
    assert "visit.withdraw" in [e.action for e in await audit.entries(roster_db)]
    assert says_no_press(chat)


async def test_a_group_registers_and_asks_for_the_summary(channel_harness: Harness) -> None:
    group = GroupChat(channel_harness)
    if channel_harness.channel == ZALO:  # Zalo delivers a group message only when it mentions the bot
        assert not await group.say(ADMIN_TG, "/dangkynhom", mention=False)
        assert group.texts() == []
    assert await group.say(ADMIN_TG, "/dangkynhom")
    title = "Zalo" if channel_harness.channel == ZALO else "Văn phòng Huyện ủy"  # Zalo's events name no group
    assert f"Đã đăng ký nhóm «{title}» nhận tổng hợp của Kon Rẫy" in group.texts()[-1]
    assert await group.say(CADRE_TG, "/tonghop")
    assert any(text.startswith("📊 TỔNG HỢP Quý IV/2026\nKon Rẫy") for text in group.texts())
    assert await group.say(CADRE_TG, "/huydangky")
    assert "Chỉ quản trị viên" in group.texts()[-1]


async def test_the_savings_fund_month_an_aid_and_its_approval(channel_harness: Harness, roster_db: Database) -> None:
    await roster_db.execute(
        "UPDATE cadres SET treasurer = 1, unit_id = (SELECT id FROM units WHERE code = 'KR') WHERE code = 'CAN-006'"
    )
    await link_on(channel_harness, roster_db, "CAN-006", TREASURER_TG)
    unit = int(await roster_db.fetchval("SELECT unit_id FROM cadres WHERE code = 'CAN-006'"))
    members = await scope.cadres_in_scope(roster_db, unit)
    treasurer, admin = person(channel_harness, TREASURER_TG), person(channel_harness, ADMIN_TG)
    await treasurer.send("/tietkiem")
    assert "QUỸ TIẾT KIỆM — Kon Rẫy" in treasurer.text and "Số dư: 0 đ" in treasurer.text
    await treasurer.press("Tháng 11/2026")
    await treasurer.press(f"✔️ {members[0].full_name}")  # the one who has not paid
    assert f"✖ {members[0].full_name} (chưa nộp)" in treasurer.buttons
    paying = len(members) - 1
    assert f"Sẽ ghi: {paying} người × 2.000 đ = {format_dong(2000 * paying)}" in treasurer.text
    await treasurer.press("✅ Xác nhận")
    assert f"Đã ghi tháng 11/2026: {paying} người" in treasurer.text
    assert await fund.balance(roster_db, unit) == 2000 * paying

    await treasurer.send("/tietkiem")
    await treasurer.press("🤝 Đề xuất hỗ trợ")
    await treasurer.press("Hộ nghèo")
    await treasurer.send("Hộ ông Nguyễn Văn A, thôn 3")
    await treasurer.send("Nhà bị sập do bão")
    await treasurer.send("1,5")
    assert "không có số lẻ" in treasurer.text
    await treasurer.send("5.000 đ")
    await treasurer.press("📨 Gửi đề xuất")
    assert "Đã ghi đề xuất số" in treasurer.text

    await admin.send("/quy")
    assert "Hộ ông Nguyễn Văn A, thôn 3" in admin.text and "5.000 đ" in admin.text
    await admin.press("✅ Duyệt")
    assert "Đã duyệt đề xuất" in admin.text
    assert f"Số dư quỹ: {format_dong(2000 * paying - 5000)}" in admin.text
    assert await fund.balance(roster_db, unit) == 2000 * paying - 5000
    assert says_no_press(treasurer, admin)
