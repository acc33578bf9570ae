"""The model update conversation (/mohinh) end to end: the real Application on the simulator."""

from __future__ import annotations

from datetime import timedelta

from domain.clock import ManualClock
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.simulator import TelegramSimulator
from domain.textinput import fold
from storage import audit, model_updates
from storage.db import Database
from storage.model_updates import ModelUpdate, ModelUpdateInput
from tests.conftest import ADMIN_TG, CADRE_TG, STRANGER_TG
from tests.helpers import Chat, forge_callback

TRAFFIC = "Khu dân cư đảm bảo an toàn giao thông"  # at villages 9, 12, 13 of Đăk Ruồng
HA_MON = "Khu dân cư văn hóa kiểu mẫu không còn tà đạo Hà Mòn"  # village 12 among others
WATER = "Nước sạch vệ sinh môi trường"  # village 1 of Đăk Pne
DRUGS = "Khu dân cư phòng, chống ma túy"  # village 3 of Tân Lập
SECURITY = "Khu dân cư an toàn về an ninh trật tự"  # village 2 of Tân Lập


async def stored_updates(db: Database) -> list[ModelUpdate]:
    rows = await db.fetchall("SELECT id FROM model_updates ORDER BY id")
    return [u for u in [await model_updates.get_model_update(db, row["id"]) for row in rows] if u]


async def model_id(db: Database, name: str) -> int:
    return int(await db.fetchval("SELECT id FROM models WHERE name = ?", (name,)))


async def fill_until_review(chat: Chat) -> None:
    """A cadre's update with the fewest taps: own model, Good, no notes, maintain, no photo."""
    await chat.send("/mohinh")
    await chat.press(TRAFFIC)
    await chat.press("Tốt")
    await chat.press("Bỏ qua")
    await chat.press("Duy trì")
    await chat.press("Bỏ qua")
    assert "Bước 6/6: xem lại và gửi" in chat.text


async def test_full_update_by_a_cadre_is_stored(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    assert chat.text.startswith("🌱 Cập nhật mô hình — Quý IV/2026\nBước 1/6")
    # The models at the villages of the cadre's cells (9 and 12 of Đăk Ruồng), and no other.
    assert chat.buttons == [TRAFFIC, HA_MON, "🔎 Tìm theo tên", "📍 Theo địa bàn", "✖ Dừng"]
    await chat.press(TRAFFIC)
    assert "Bước 2/6" in chat.text and TRAFFIC in chat.text
    assert chat.buttons[:3] == ["Tốt", "Cần củng cố", "Chưa hiệu quả"]
    await chat.press("Tốt")
    assert "Bước 3/6" in chat.text
    await chat.send("  Đã lắp 12 đèn   đường\u200b ở ngã ba  ")
    assert "Bước 4/6" in chat.text
    await chat.press("Nhân rộng")
    assert "Nhân rộng tới đâu" in chat.text
    await chat.send("Thôn 5, Thôn 7 xã Đăk Ruồng")
    assert "Bước 5/6" in chat.text
    await chat.photo()
    assert "Đã nhận: 1 ảnh" in chat.text
    await chat.press("Tiếp")
    review = chat.text
    assert "Bước 6/6" in review and f"Mô hình: {TRAFFIC}" in review and "Đánh giá: Tốt" in review
    assert "Đề xuất: Nhân rộng tới Thôn 5, Thôn 7 xã Đăk Ruồng" in review and "Loại:" not in review
    await chat.press("✅ Gửi")
    assert chat.text.startswith(f"✅ Đã lưu cập nhật mô hình số 1: «{TRAFFIC}» — Tốt.")

    [update] = await stored_updates(roster_db)
    assert update.model_id == await model_id(roster_db, TRAFFIC)
    assert (update.kind, update.assessment, update.proposal) == ("update", "good", "replicate")
    assert update.proposal_places == "Thôn 5, Thôn 7 xã Đăk Ruồng"
    assert update.notes == "Đã lắp 12 đèn đường ở ngã ba"  # cleaned: spaces, zero-width space
    assert update.quarter == "2026-Q4" and update.attachment_count == 1
    [photo] = await model_updates.attachments_of_update(roster_db, update.id)
    assert photo.kind == "photo" and photo.file_id
    cadre_id = await roster_db.fetchval("SELECT id FROM cadres WHERE telegram_id = ?", (CADRE_TG,))
    assert update.cadre_id == cadre_id
    [entry] = await audit.entries(roster_db, action="model.update")
    assert entry.subject_id == update.id and entry.actor_id == cadre_id
    # The next update of the same model shows the last one for comparison.
    await chat.send("/mohinh")
    await chat.press(TRAFFIC)
    assert "Lần gần nhất: 23/11/2026 — Tốt." in chat.text


async def test_a_non_admin_never_sees_the_kind_step(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill_until_review(chat)
    await chat.press("✅ Gửi")
    seen = [label for message in chat.user.messages() for row in message.buttons() for label in row]
    seen_texts = " ".join(message.text or "" for message in chat.user.messages())
    assert "Kiểm tra (giám sát)" not in seen and "Kiểm tra" not in seen_texts
    # A forged kind button is not taken: there is no such step for a cadre.
    await chat.send("/mohinh")
    await forge_callback(harness, CADRE_TG, "m:k:inspection", chat.screen.message_id)
    assert "Nút này đã cũ" in chat.text
    await chat.press(TRAFFIC)
    await chat.press("Cần củng cố")
    await chat.press("Bỏ qua")
    await chat.press("Duy trì")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    assert [u.kind for u in await stored_updates(roster_db)] == ["update", "update"]


async def test_name_search_without_diacritics(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    await chat.press("🔎 Tìm theo tên")
    assert "Gõ một phần tên mô hình" in chat.text
    await chat.send("nuoc sach")
    assert chat.text == "Các mô hình có «nuoc sach»:"
    assert chat.buttons == [WATER, "⬅ Quay lại"]
    # Typed on the first screen too, in capitals, words in any order.
    await chat.send("/mohinh")
    await chat.press("🆕 Làm mới")
    await chat.send("MA TUY PHONG")
    assert chat.buttons == [DRUGS, "⬅ Quay lại"]
    await chat.send("khong co mo hinh nay")
    assert "Không tìm thấy mô hình nào có «khong co mo hinh nay»" in chat.text
    await chat.send("khu dan cu")  # six models: one page
    assert chat.buttons[-1] == "⬅ Quay lại" and len(chat.buttons) == 7
    await chat.press(WATER if WATER in chat.buttons else chat.buttons[0])
    assert "Bước 2/6" in chat.text


async def test_search_folds_case_and_vietnamese_diacritics() -> None:
    assert fold("  Nước SẠCH  vệ sinh ") == "nuoc sach ve sinh"
    assert fold("Đăk Ruồng") == "dak ruong"
    # Decomposed input (some phones send it) folds the same way.
    assert fold("Nu\u031bo\u031b\u0301c") == "nuoc"


async def test_pick_by_place(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    await chat.press("📍 Theo địa bàn")
    assert "Chọn xã, thị trấn" in chat.text and "Sau ▶" in chat.buttons
    # A model of the whole district runs in each of its communes too.
    await chat.press("Đức Hòa")  # Vietnamese order: the Đ communes lead, Tân Lập is on page 2
    assert "Tiết kiệm hỗ trợ đảng viên khó khăn, hộ nghèo" in chat.buttons
    await chat.press("⬅ Quay lại")
    await chat.press("Sau ▶")
    await chat.press("Tân Lập")
    assert chat.text == "Các mô hình ở Tân Lập:"
    assert chat.buttons == [SECURITY, DRUGS, "⬅ Quay lại"]
    await chat.press(DRUGS)
    assert "Bước 2/6" in chat.text and DRUGS in chat.text
    await chat.press("Cần củng cố")
    await chat.press("Bỏ qua")
    await chat.press("Chuyển đổi")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    [update] = await stored_updates(roster_db)
    assert update.model_id == await model_id(roster_db, DRUGS)
    assert (update.assessment, update.proposal, update.notes, update.proposal_places) == ("fair", "convert", "", "")


async def test_an_admin_records_an_inspection(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, ADMIN_TG)
    await chat.send("/mohinh")
    assert "Bước 1/7" in chat.text
    assert chat.buttons == ["Cập nhật tình hình", "Kiểm tra (giám sát)", "✖ Dừng"]
    await chat.press("Kiểm tra (giám sát)")
    assert chat.text.startswith("🌱 Kiểm tra mô hình — Quý IV/2026\nBước 2/7")
    await chat.send("nuoc sach")
    await chat.press(WATER)
    await chat.press("Chưa hiệu quả")
    await chat.send("Bể lọc hỏng, chưa sửa.")
    await chat.press("Chuyển đổi")
    await chat.press("Bỏ qua")
    assert "Bước 7/7" in chat.text and "Loại: Kiểm tra (giám sát)" in chat.text
    await chat.press("✏ Đánh giá")
    await chat.press("Cần củng cố")  # back to the review at once
    assert "Bước 7/7" in chat.text and "Đánh giá: Cần củng cố" in chat.text
    await chat.press("✅ Gửi")
    assert chat.text.startswith("✅ Đã lưu kết quả kiểm tra mô hình số 1")
    [update] = await stored_updates(roster_db)
    assert (update.kind, update.assessment, update.notes) == ("inspection", "fair", "Bể lọc hỏng, chưa sửa.")
    assert [e.subject_id for e in await audit.entries(roster_db, action="model.inspection")] == [update.id]


async def test_double_confirm_and_an_old_review_store_one_row(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill_until_review(chat)
    old_review = chat.screen
    # The cadre leaves and comes back: the same draft, reviewed on a new message.
    await chat.send("/mohinh")
    await chat.press("▶ Tiếp tục")
    review = chat.screen
    assert review.message_id != old_review.message_id and "Bước 6/6" in review.text
    # Two taps sent before the bot answered either (a slow network, an impatient thumb).
    first = await chat.user.press("✅ Gửi", message=review)
    second = await chat.user.press("✅ Gửi", message=review)
    await harness.handled(first)
    await harness.handled(second)
    assert len(await stored_updates(roster_db)) == 1
    assert any((m.text or "").startswith("✅ Đã lưu cập nhật mô hình số 1") for m in chat.user.messages())
    assert "đã được lưu rồi (số 1)" in chat.text
    # The Confirm of the review shown before is the same draft: nothing new either.
    await chat.press("✅ Gửi", message=old_review)
    assert "đã được lưu rồi (số 1)" in chat.text
    assert len(await stored_updates(roster_db)) == 1


async def test_an_old_confirm_does_not_disturb_a_newer_draft(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill_until_review(chat)
    confirm_data = next(d for row in chat.screen.button_data() for d in row if d.startswith("m:ok:"))
    await chat.press("✅ Gửi")
    await chat.send("/mohinh")
    await chat.press(TRAFFIC)
    await forge_callback(harness, CADRE_TG, confirm_data, chat.screen.message_id)
    assert "đã được lưu rồi (số 1)" in chat.text
    await chat.press("Cần củng cố")  # the new draft goes on where it was
    assert "Bước 3/6" in chat.text


async def test_restart_mid_conversation_continues(config: Config, clock: ManualClock, roster_db: Database) -> None:
    telegram = TelegramSimulator()  # Telegram stays up while the bot restarts
    await telegram.start()
    try:
        async with bot_with_simulator(config, clock=clock, simulator=telegram, poll_timeout=1) as first:
            chat = Chat(first, CADRE_TG)
            await chat.send("/mohinh")
            await chat.press(HA_MON)
            assessment = chat.screen
            assert "Bước 2/6" in assessment.text
        # The bot stops and comes back; the cadre taps the message they were looking at.
        async with bot_with_simulator(config, clock=clock, simulator=telegram, poll_timeout=1) as second:
            chat = Chat(second, CADRE_TG)
            await chat.press("Chưa hiệu quả", message=assessment)
            assert "Bước 3/6" in chat.text
        async with bot_with_simulator(config, clock=clock, simulator=telegram, poll_timeout=1) as third:
            chat = Chat(third, CADRE_TG)
            await chat.send("Người dân chưa tham gia đều")  # the answer to the step they were at
            assert "Bước 4/6" in chat.text
            await chat.press("Duy trì")
            await chat.press("Bỏ qua")
            await chat.press("✅ Gửi")
    finally:
        await telegram.stop()
    [update] = await stored_updates(roster_db)
    assert (update.assessment, update.notes) == ("ineffective", "Người dân chưa tham gia đều")
    assert update.model_id == await model_id(roster_db, HA_MON)


async def test_huy_keeps_the_draft_and_mohinh_offers_to_continue(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    await chat.press(TRAFFIC)
    assessment = chat.screen
    assert "Bản nháp vẫn được giữ: gửi /mohinh" in (await chat.send("/huy")).text
    # The conversation is over: its old buttons and stray text get hints.
    await chat.press("Tốt", message=assessment)
    assert "Nút này đã cũ" in chat.text
    assert "chưa hiểu tin nhắn" in (await chat.send("Tốt")).text
    await chat.send("/mohinh")
    assert "cập nhật mô hình đang làm dở" in chat.text and TRAFFIC in chat.text
    await chat.press("▶ Tiếp tục")
    assert "Bước 2/6" in chat.text and TRAFFIC in chat.text
    # /cancel and the Stop button work as well, at any step.
    await chat.press("Tốt")
    assert "Bản nháp vẫn được giữ" in (await chat.send("/cancel")).text
    await chat.send("/model")
    await chat.press("🆕 Làm mới")
    assert "Bước 1/6" in chat.text
    await chat.press("✖ Dừng")
    assert "Bản nháp vẫn được giữ" in chat.text
    assert await stored_updates(roster_db) == []


async def test_unexpected_input_gets_hints(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    assert "Xin bấm một nút" in (await chat.sticker()).text
    await chat.press(TRAFFIC)
    assert "Xin bấm một nút" in (await chat.voice()).text
    assert "Xin bấm một nút" in (await chat.send("tốt lắm")).text
    await chat.press("Tốt")
    assert "Xin gõ nội dung bằng chữ" in (await chat.sticker()).text
    assert "dài 1500 ký tự, quá giới hạn 1000" in (await chat.send("x" * 1500)).text
    # Commands of other flows: a hint, and the model update stays where it was.
    assert "đang làm dở một báo cáo khác" in (await chat.send("/baocao")).text
    assert "đang cập nhật mô hình dở" in (await chat.send("/cuatoi")).text
    cell_id = await roster_db.fetchval("SELECT id FROM cells WHERE code = 'CB-KR-DRUONG-T9'")
    await forge_callback(harness, CADRE_TG, f"v:go:{cell_id}", chat.screen.message_id)  # a reminder
    assert "đang làm dở một báo cáo khác" in chat.text
    await chat.send("Đã làm được 2 km đường")
    assert "Bước 4/6" in chat.text
    await chat.press("Duy trì")
    assert "xin gửi ảnh" in (await chat.send("chữ ở bước ảnh")).text
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    [update] = await stored_updates(roster_db)
    assert update.notes == "Đã làm được 2 km đường"
    # And the other way round: /mohinh in the middle of a visit report.
    await chat.send("/baocao")
    assert "đang làm báo cáo dở" in (await chat.send("/mohinh")).text


async def test_typed_text_after_a_long_pause_ends_the_flow_but_keeps_the_draft(
    harness: Harness, clock: ManualClock
) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    await chat.press(TRAFFIC)
    await chat.press("Tốt")
    clock.advance(timedelta(hours=3))
    assert "tạm dừng vì lâu không thao tác" in (await chat.send("Ghi chú")).text
    await chat.send("/mohinh")
    assert "cập nhật mô hình đang làm dở" in chat.text
    await chat.press("▶ Tiếp tục")
    assert "Bước 3/6" in chat.text


async def test_a_stranger_is_refused(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, STRANGER_TG)
    assert "chỉ dành cho cán bộ" in (await chat.send("/mohinh")).text
    assert "chỉ dành cho cán bộ" in (await chat.send("/model")).text


async def test_submit_is_idempotent_by_token(roster_db: Database) -> None:
    cadre_id = int(await roster_db.fetchval("SELECT id FROM cadres WHERE telegram_id = ?", (CADRE_TG,)))
    update = ModelUpdateInput(
        token="tok-1",
        model_id=await model_id(roster_db, WATER),
        cadre_id=cadre_id,
        kind="update",
        assessment="good",
        notes="",
        proposal="maintain",
        proposal_places="",
        quarter="2026-Q4",
    )
    first = await model_updates.submit_model_update(roster_db, update, now="2026-11-23T02:00:00Z")
    again = await model_updates.submit_model_update(roster_db, update, now="2026-11-23T02:05:00Z")
    assert first.created and not again.created and again.update_id == first.update_id
    assert len(await model_updates.recent_updates(roster_db, update.model_id)) == 1
    assert len(await audit.entries(roster_db, action="model.update")) == 1
