"""Materials (/tailieu) on both messengers (issue 10): each cell's copy goes to its
recipient's messenger used last; on Zalo, which takes no files, a document is a link
under BAOCAO_PUBLIC_URL served by the bot's own /f/<token> (unguessable, expiring), and
without a public URL the message says where to get it (the log says why, once).
Through the real Applications, the channel code, the simulator and the real sweep."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx

from bot.channels import ZALO
from bot.config import Config
from bot.harness import Harness
from bot.web.files import FileHost
from bot.channels import zalo as zalo_channel
from domain.clock import ManualClock
from scheduler import materials
from storage.db import Database
from tests.channels import ZaloChat, link_on_zalo, person, zalo_id
from tests.conftest import ADMIN_TG
from tests.helpers import Chat
from tests.test_materials import PDF, SECRETARY_T3, THANG_T1, NHUNG_T2, VUONG_T45, TITLE, send_to_tan_lap
from tests.test_two_messengers import Both, both  # noqa: F401 - the fixture
from tests.test_zalo_webhooks import PUBLIC_URL, ZALO_USER, TwoChannels, two_channels

TAN_LAP = (("CAN-025", SECRETARY_T3), ("CAN-003", THANG_T1), ("CAN-004", NHUNG_T2), ("CAN-005", VUONG_T45))


async def sweep(application: object, clock: ManualClock) -> materials.MaterialResult:
    services = application.bot_data  # type: ignore[attr-defined]

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    return await materials.sweep(services.channels, services.db, services.config, clock, sleep=sleep)


async def link_tan_lap_on(harness: Harness, db: Database) -> None:
    """Tân Lập's recipients on the harness's messenger."""
    for code, telegram_id in TAN_LAP:
        if harness.channel == ZALO:
            await link_on_zalo(db, code, zalo_id(telegram_id))
        else:
            await db.execute("UPDATE cadres SET telegram_id = ? WHERE code = ?", (telegram_id, code))
        person(harness, telegram_id, code)


async def test_a_picture_reaches_the_cells_and_is_confirmed_on_either_messenger(
    channel_harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await link_tan_lap_on(channel_harness, roster_db)
    admin = person(channel_harness, ADMIN_TG, "Văn phòng")
    await admin.send("/tailieu")
    await admin.press("➕ Gửi tài liệu mới")
    await admin.photo()  # the one kind of file Zalo can send the bot
    assert "Bước 2/4" in admin.text
    await admin.send(TITLE)
    await admin.press("Chi bộ của một xã")
    await admin.press("Tân Lập (5)")
    await admin.press("✅ Gửi")
    assert admin.text.startswith("✅ Đã lưu tài liệu số 1; đang gửi tới 5 chi bộ")

    result = await sweep(channel_harness.application, clock)
    assert (result.sent, result.failed) == (5, 0)
    secretary = person(channel_harness, SECRETARY_T3)
    shown = secretary.text if isinstance(secretary, ZaloChat) else secretary.screen.content
    assert TITLE in shown and "Chi bộ thôn 3 (Tân Lập)" in shown
    assert secretary.buttons == ["✅ Đã nhận"]
    on_zalo = channel_harness.channel == ZALO
    assert ("gõ số của «✅ Đã nhận»" if on_zalo else "bấm «✅ Đã nhận»") in shown
    if on_zalo:  # the picture itself, by the URL Zalo gave for the admin's photo
        [photo] = [m for m in secretary.user.messages() if m.photo_url]
        assert photo.photo_url.startswith("http")
    await secretary.press("✅ Đã nhận")
    assert f"Đã ghi nhận: Chi bộ thôn 3 đã nhận «{TITLE}»" in secretary.text
    assert (await sweep(channel_harness.application, clock)).sent == 0  # each cell once
    await admin.send("/tailieu")
    assert "1/5" in admin.text
    received = await roster_db.fetchval(
        "SELECT k.code FROM material_deliveries AS d JOIN cadres AS k ON k.id = d.received_by"
    )
    assert received == "CAN-025"


async def test_a_pdf_from_telegram_reaches_zalo_as_a_link_of_its_own_per_copy(
    both: Both, roster_db: Database, clock: ManualClock
) -> None:
    """Secretary of thôn 3 on Zalo only; Nhung on both, Zalo used last; the rest on
    Telegram. The Zalo channel publishes as ``baocao run`` wires it (bot/runner.py)."""
    await link_on_zalo(roster_db, "CAN-025", zalo_id(SECRETARY_T3))
    for code, telegram_id in TAN_LAP[1:]:
        await roster_db.execute("UPDATE cadres SET telegram_id = ? WHERE code = ?", (telegram_id, code))
        Chat(both.telegram, telegram_id)  # they opened the bot on Telegram
    await roster_db.execute("UPDATE accounts SET last_used_at = '2026-09-01T00:00:00Z'")
    await link_on_zalo(roster_db, "CAN-004", zalo_id(NHUNG_T2), now="2026-11-20T00:00:00Z")
    secretary, nhung = ZaloChat(both.zalo, zalo_id(SECRETARY_T3)), ZaloChat(both.zalo, zalo_id(NHUNG_T2))
    files = FileHost(PUBLIC_URL, clock, db=both.zalo.application.bot_data.db)
    zalo_channel.channel_of(both.zalo.application).file_publisher = files.publish_file

    await send_to_tan_lap(Chat(both.telegram, ADMIN_TG))
    result = await sweep(both.zalo.application, clock)  # either application's sweep reaches both
    assert (result.sent, result.failed) == (5, 0)
    telegram_calls = both.telegram.simulator.calls("sendDocument")
    assert sorted(int(c.chat_id) for c in telegram_calls) == [THANG_T1, VUONG_T45, VUONG_T45]
    assert all(isinstance(c.params["document"], str) for c in telegram_calls)  # by file id, uploaded once
    assert "Chi bộ thôn 2 (Tân Lập)" in nhung.text  # Zalo was used last
    text = secretary.text
    assert TITLE in text and "gõ số của «✅ Đã nhận»" in text and secretary.buttons == ["✅ Đã nhận"]
    assert "📎 Tệp «huong-dan-12.pdf»: " + PUBLIC_URL + "/f/" in text
    token = link_token(text)
    assert len(token) >= 40 and token != link_token(nhung.text)  # unguessable, one per copy
    hosted = await files.find(token)
    assert hosted is not None and (hosted.data, hosted.file_name) == (PDF, "huong-dan-12.pdf")
    assert await roster_db.fetchval("SELECT count(*) FROM public_files") == 1  # the bytes once

    await secretary.press("✅ Đã nhận")
    assert f"Đã ghi nhận: Chi bộ thôn 3 đã nhận «{TITLE}»" in secretary.text
    received_by = await roster_db.fetchval(
        "SELECT k.code FROM material_deliveries AS d JOIN cadres AS k ON k.id = d.received_by")
    assert received_by == "CAN-025"
    assert (await sweep(both.telegram.application, clock)).sent == 0  # each cell once
    clock.advance(timedelta(days=31))
    assert await files.find(token) is None  # expired


def link_token(text: str) -> str:
    [url] = [word for word in text.split() if word.startswith(PUBLIC_URL + "/f/")]
    return url.removeprefix(PUBLIC_URL + "/f/")


async def test_baocao_run_serves_a_document_sent_on_zalo_by_link_until_it_expires(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    """The quarterly workbook (/baocaoquy) and the materials take this path: sendDocument
    on Zalo is a link below BAOCAO_PUBLIC_URL, fetched over real HTTP from the bot's server."""
    async with two_channels(config, clock, public_url=PUBLIC_URL) as running:
        await running.zalo_says("xin chào")
        zalo_app = running.applications[ZALO]
        chat_id = await zalo_channel.channel_of(zalo_app).internal(ZALO_USER)
        await zalo_app.bot.send_document(chat_id, document=PDF, filename="bao-cao-quy-IV.pdf", caption="Báo cáo")
        [sent] = [c for c in running.sim.zalo.calls_of("sendMessage") if "📎" in c.params["text"]]
        assert sent.params["text"].startswith("Báo cáo\n\n📎 Tệp «bao-cao-quy-IV.pdf»: " + PUBLIC_URL + "/f/")
        url = PUBLIC_URL + "/f/" + link_token(sent.params["text"])
        fetched = await fetch(running, url)
        assert (fetched.status_code, fetched.content) == (200, PDF)
        assert "bao-cao-quy-IV.pdf" in fetched.headers["content-disposition"]
        assert (await fetch(running, url[:-4] + "AAAA")).status_code == 404  # unguessable
        clock.advance(timedelta(days=31))
        assert (await fetch(running, url)).status_code == 404  # expired


async def fetch(running: TwoChannels, url: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(running.url + url[len(PUBLIC_URL):])


async def test_without_a_public_url_zalo_is_told_where_to_get_the_file_and_the_log_says_why_once(
    both: Both, roster_db: Database, clock: ManualClock, caplog: object
) -> None:
    await link_on_zalo(roster_db, "CAN-025", zalo_id(SECRETARY_T3))
    await link_on_zalo(roster_db, "CAN-004", zalo_id(NHUNG_T2))
    chats = [ZaloChat(both.zalo, zalo_id(who)) for who in (SECRETARY_T3, NHUNG_T2)]  # they opened the bot
    await send_to_tan_lap(Chat(both.telegram, ADMIN_TG))
    with caplog.at_level(logging.WARNING):  # type: ignore[attr-defined]
        result = await sweep(both.telegram.application, clock)
    assert result.sent == 2 and result.failed == 0
    for chat in chats:
        assert "📎 Tệp «huong-dan-12.pdf» không gửi được qua Zalo. Xin nhận tệp tại Văn phòng" in chat.text
        assert chat.buttons == ["✅ Đã nhận"]
    why = [r for r in caplog.records if "BAOCAO_PUBLIC_URL" in r.getMessage()]  # type: ignore[attr-defined]
    assert len(why) == 1
    assert zalo_channel.channel_of(both.zalo.application).file_publisher is None
