"""What is particular to Zalo, end to end: the real Application, bot/channels/zalo and the
simulator's Zalo side (string ids, one event per poll, no buttons, 2,000 characters)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.channels import ZALO
from bot.channels.zalo import MalformedEvent, channel_of, feed_event
from bot.harness import Harness, bot_with_simulator
from bot.config import Config
from bot.simulator import TINY_PNG
from domain.clock import ManualClock
from scheduler import digests
from storage import audit, channel_state, groups
from storage.db import Database
from tests.channels import ZaloChat, link_on_zalo, zalo_id
from tests.conftest import ADMIN_CODE, ADMIN_TG, CADRE_CODE, CADRE_TG
from tests.test_registration import UNLINKED_CODE, UNLINKED_NAME, invite_for
from tests.test_summaries import MONDAY_DIGEST, PNG_MAGIC

CELL = "Chi bộ thôn 9"


@pytest.fixture
async def zalo(config: Config, clock: ManualClock, roster_db: Database) -> Harness:
    await link_on_zalo(roster_db, CADRE_CODE, zalo_id(CADRE_TG))
    await link_on_zalo(roster_db, ADMIN_CODE, zalo_id(ADMIN_TG))
    async with bot_with_simulator(config, clock=clock, poll_timeout=1, channel=ZALO) as running:
        yield running


def cadre(zalo: Harness) -> ZaloChat:
    return ZaloChat(zalo, zalo_id(CADRE_TG), "Hùng")


async def test_choices_are_numbered_and_picked_by_number_or_by_their_words(zalo: Harness) -> None:
    chat = cadre(zalo)
    await chat.send("/baocao")
    shown = chat.screen.message.content
    assert "\n1. Chi bộ thôn 9 — Đăk Ruồng\n2. Chi bộ thôn 12 — Đăk Ruồng\n" in shown
    await chat.send(" 1. ")
    assert "Bước 2/6: Chi bộ thôn 9" in chat.text
    await chat.send("hom qua (22/11)")  # the option's own words, without diacritics
    assert "Bước 3/6" in chat.text


async def test_a_number_not_on_screen_gets_the_choices_again(zalo: Harness) -> None:
    chat = cadre(zalo)
    await chat.send("/baocao")
    await chat.send("9")
    hint = chat.screen.message.content
    assert hint.startswith("Không có lựa chọn số 9.") and "1. Chi bộ thôn 9 — Đăk Ruồng" in hint
    await chat.send("1")  # the screen is still the same one
    assert "Bước 2/6" in chat.text


async def test_commands_work_without_the_slash_and_a_greeting_shows_the_menu(zalo: Harness) -> None:
    chat = cadre(zalo)
    await chat.send("xin chào")
    assert chat.text.startswith("Xin chào đồng chí Nguyễn Văn Hùng!")
    assert chat.buttons[:2] == ["Báo cáo dự sinh hoạt chi bộ", "Cập nhật tình hình mô hình"]
    await chat.send("giúp tôi với")  # text that fits no step: the menu
    assert chat.text.startswith("Đồng chí muốn làm gì?") and chat.buttons[0] == "Báo cáo dự sinh hoạt chi bộ"
    await chat.press("Báo cáo dự sinh hoạt")
    assert chat.text.startswith("📝 Báo cáo dự sinh hoạt chi bộ")
    await chat.send("huy")
    await chat.send("Báo Cáo")  # /baocao again: it offers the draft it kept
    assert "một báo cáo đang làm dở" in chat.text


async def test_an_edit_is_a_new_message_only_when_something_changed(zalo: Harness) -> None:
    chat = cadre(zalo)
    await chat.send("/baocao")
    await chat.press(CELL)
    before = len(chat.user.messages())
    await chat.press("⬅")  # back: the first screen again, sent anew
    assert len(chat.user.messages()) == before + 1 and "Bước 1/6" in chat.text


async def test_unreadable_content_is_answered_politely(zalo: Harness) -> None:
    chat = cadre(zalo)
    await zalo.handled(await chat.user.send_unsupported())
    assert "không đọc được loại tin nhắn này" in chat.text
    await chat.sticker()
    assert chat.user.messages()[-1].content  # an answer, never silence


async def test_a_redelivered_event_is_handled_once(zalo: Harness, roster_db: Database) -> None:
    chat = cadre(zalo)
    await chat.send("/baocao")
    event = zalo.simulator.zalo.last_event
    count = len(chat.user.messages())
    assert await feed_event(zalo.application, event) is False
    assert await feed_event(zalo.application, {"ok": True, "result": event}) is False
    assert len(chat.user.messages()) == count
    with pytest.raises(MalformedEvent):
        await feed_event(zalo.application, {"event_name": "message.text.received", "message": {"text": "x"}})


async def test_a_webhook_event_reaches_the_handlers(zalo: Harness) -> None:
    event = {
        "event_name": "message.text.received",
        "message": {"message_id": "wh-1", "date": 1_795_000_000_000, "text": "/baocao",
                    "from": {"id": zalo_id(CADRE_TG), "display_name": "Hùng"},
                    "chat": {"id": zalo_id(CADRE_TG), "chat_type": "PRIVATE"}},
    }
    chat = cadre(zalo)
    assert await feed_event(zalo.application, {"ok": True, "result": event}) is True
    await zalo.handled("wh-1")
    assert chat.text.startswith("📝 Báo cáo dự sinh hoạt chi bộ")


async def test_zalo_ids_never_collide_with_telegram_ids(zalo: Harness, roster_db: Database) -> None:
    chat = cadre(zalo)
    await chat.send("/kiennghi")  # a cadre is refused, and the refusal audit-logged
    [entry] = await audit.entries(roster_db, action="denied.admin_command")
    assert entry.telegram_id is not None and entry.telegram_id >= channel_state.ID_BASE
    assert await channel_state.external_id(roster_db, ZALO, entry.telegram_id) == zalo_id(CADRE_TG)
    seen = await roster_db.fetchall("SELECT update_id FROM processed_updates")
    assert seen and all(row["update_id"] > channel_state.ID_BASE for row in seen)


async def test_a_long_text_is_split_at_line_ends_and_numbered(zalo: Harness) -> None:
    chat_id = await channel_state.internal_id(zalo.application.bot_data.db, ZALO, zalo_id(CADRE_TG))
    zalo.simulator.zalo.user(zalo_id(CADRE_TG))
    lines = [f"Dòng số {n}: " + "nội dung " * 20 for n in range(30)]
    await zalo.application.bot.send_message(chat_id, "\n".join(lines))
    parts = zalo.simulator.zalo.sent_to(zalo_id(CADRE_TG))
    assert len(parts) == 3 and all(len(p.content) <= 2000 for p in parts)
    assert [p.content[:6] for p in parts] == ["(1/3) ", "(2/3) ", "(3/3) "]
    assert all(p.content.split("\n")[-1].startswith("Dòng số") for p in parts[:-1])  # whole lines


async def test_registration_on_zalo_is_by_invite_code(zalo: Harness, roster_db: Database, clock: ManualClock) -> None:
    code = await invite_for(roster_db, clock, UNLINKED_CODE)
    newcomer = ZaloChat(zalo, "z-newcomer", "Thắng")
    await newcomer.send("xin chào")
    assert "gửi mã mời" in newcomer.text and "Zalo không gửi số điện thoại" in newcomer.text
    await newcomer.send(code.lower())
    assert newcomer.text.startswith(f"Xin chào đồng chí {UNLINKED_NAME}")
    user_id = await channel_state.internal_id(roster_db, ZALO, "z-newcomer")
    cadre_id = await roster_db.fetchval(
        "SELECT cadre_id FROM accounts WHERE channel = 'zalo' AND user_id = ?", (user_id,)
    )
    assert cadre_id == await roster_db.fetchval("SELECT id FROM cadres WHERE code = ?", (UNLINKED_CODE,))
    [entry] = await audit.entries(roster_db, action="cadre.link")
    assert entry.details == {"method": "invite", "channel": "zalo"}
    await newcomer.send("/baocao")
    assert newcomer.text.startswith("📝 Báo cáo dự sinh hoạt chi bộ")


async def test_a_zalo_group_registers_asks_for_a_summary_and_gets_the_digest(
    zalo: Harness, roster_db: Database, clock: ManualClock
) -> None:
    sim = zalo.simulator.zalo
    admin = sim.user(zalo_id(ADMIN_TG), "Hà")
    group = sim.group("zg-1", "Văn phòng")
    assert await group.send_text(admin, "/dangkynhom", mention=False) is None  # not delivered
    await zalo.handled(await group.send_text(admin, "/dangkynhom"))
    assert "Đã đăng ký nhóm" in group.messages()[-1].content
    chat_id = await channel_state.internal_id(roster_db, ZALO, "zg-1")
    registered = await groups.get(roster_db, -chat_id)
    assert registered is not None and registered.active

    hosted: list[bytes] = []

    async def publish(data: bytes, mime: str) -> str:
        hosted.append(data)
        return sim.host_image(data)

    channel_of(zalo.application).photo_publisher = publish
    await zalo.handled(await group.send_text(admin, "tonghop"))
    assert any(m.content.startswith("📊") for m in group.messages())
    assert hosted and hosted[0].startswith(PNG_MAGIC)
    assert group.messages()[-1].photo_url is not None

    clock.set(MONDAY_DIGEST)
    channel_of(zalo.application).photo_publisher = None  # no public URL: the caption alone
    app = zalo.application

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    result = await digests.sweep(app.bot_data.channels, roster_db, app.bot_data.config, clock, sleep=sleep)
    assert result.sent == 1
    assert any("TỔNG HỢP TUẦN" in m.content for m in group.messages())
    assert "Tỷ lệ dự sinh hoạt theo xã" in group.messages()[-1].content


async def test_a_photo_is_downloaded_and_kept(zalo: Harness, roster_db: Database) -> None:
    chat = cadre(zalo)
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.press("Hôm nay")
    await chat.send("Chỉ thị 05")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.photo()
    [row] = await roster_db.fetchall("SELECT file_id, data FROM channel_files")
    assert bytes(row["data"]) == TINY_PNG
    file = await zalo.application.bot.get_file(row["file_id"])
    assert bytes(await file.download_as_bytearray()) == TINY_PNG


async def test_cli_invites_a_telegram_cadre_to_link_zalo_too(
    roster_db: Database, config: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from bot.cli import main

    monkeypatch.setenv("BAOCAO_DB", str(config.db_path))
    assert await asyncio.to_thread(main, ["invite", "--cadre", CADRE_CODE]) == 1
    assert "linked to Telegram already" in capsys.readouterr().err
    assert await asyncio.to_thread(main, ["invite", "--channel", "zalo", "--cadre", CADRE_CODE]) == 0
    assert await roster_db.fetchval("SELECT count(*) FROM invite_codes") == 1
    await link_on_zalo(roster_db, CADRE_CODE, zalo_id(CADRE_TG))
    assert await asyncio.to_thread(main, ["invite", "--channel", "zalo", "--cadre", CADRE_CODE]) == 1
    assert "linked to Zalo already" in capsys.readouterr().err


async def test_an_admin_unlinks_both_messengers(zalo: Harness, roster_db: Database) -> None:
    admin = ZaloChat(zalo, zalo_id(ADMIN_TG), "Hà")
    await admin.send(f"/golienket {CADRE_CODE}")
    cadre_id = await roster_db.fetchval("SELECT id FROM cadres WHERE code = ?", (CADRE_CODE,))
    assert await roster_db.fetchval("SELECT count(*) FROM accounts WHERE cadre_id = ?", (cadre_id,)) == 0
    chat = cadre(zalo)
    await chat.send("/baocao")
    assert "gửi mã mời" in chat.text  # a stranger again on Zalo: registration by invite code


async def test_hints_speak_of_numbers_not_buttons(zalo: Harness) -> None:
    chat = cadre(zalo)
    await chat.send("/baocao")
    await chat.sticker()
    assert chat.text.startswith("Xin gõ số của một lựa chọn")



async def test_an_old_choice_is_answered_once(zalo: Harness) -> None:
    """A handler answers the button and shows the same words: on Zalo one message."""
    chat = cadre(zalo)
    await chat.send("/baocao")
    await chat.send("/huy")  # the flow stops; its last screen's choices are still on screen
    count = len(chat.user.messages())
    await chat.send("1")
    texts = [m.content for m in chat.user.messages()[count:]]
    assert texts and len(texts) == len(set(texts)), texts


async def test_a_polled_repeat_or_malformed_event_is_skipped_and_polling_goes_on(
    zalo: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    chat = cadre(zalo)
    await chat.send("/baocao")
    count = len(chat.user.messages())
    sim = zalo.simulator.zalo
    sim.inject_event(sim.last_event)  # Zalo delivers the same event twice
    sim.inject_event({"event_name": "message.text.received", "message": {"message_id": "bad-1", "text": "bí mật"}})
    await chat.send("1")  # handled after both: the poller went on
    assert "Bước 2/6" in chat.text and len(chat.user.messages()) == count + 1
    assert "bad-1" in caplog.text and "bí mật" not in caplog.text  # logged by id only
