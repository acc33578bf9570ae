"""The built-in Telegram Bot API simulator called directly: a bare PTB ``Bot`` for the
Bot API's rules (lengths, limits, errors, files, 429s, offsets), then raw HTTP with httpx
and a bare asyncio socket. The end-to-end tests with an ``Application`` are in
tests/test_simulator.py, whose fixtures these share.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import json
import warnings

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Bot, InputMediaPhoto
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.simulator import TINY_PNG, RateLimit, TelegramSimulator, parse_html, parse_markdown, utf16_len
from tests.test_simulator import USER_ID, XLSX, bot, bot_for, keyboard, sim  # noqa: F401 - bot, sim: fixtures

# PTB itself warns inside RetryAfter.__init__ that retry_after becomes a timedelta in v23.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def _retry_after(error: RetryAfter) -> float:
    """retry_after in seconds, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# --------------------------------------------------------------------- direct Bot API calls


@pytest.mark.asyncio
async def test_send_photo_upload_and_download_round_trip(sim: TelegramSimulator, bot: Bot) -> None:
    sim.user(USER_ID, "An")
    message = await bot.send_photo(USER_ID, TINY_PNG, "<i>Biểu đồ</i>", parse_mode="HTML")
    assert message.caption == "Biểu đồ" and message.caption_entities[0].type == "italic"
    data = await (await bot.get_file(message.photo[-1].file_id)).download_as_bytearray()
    assert bytes(data) == TINY_PNG == sim.sent_messages(USER_ID)[0].photo_bytes
    again = await bot.send_photo(USER_ID, photo=message.photo[-1].file_id)
    assert again.photo[-1].file_id == message.photo[-1].file_id
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(USER_ID, photo=b"not an image")
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_photo(USER_ID, photo="no-such-file-id")


@pytest.mark.asyncio
async def test_send_document_keeps_vietnamese_file_name(sim: TelegramSimulator, bot: Bot) -> None:
    sim.user(USER_ID, "An")
    payload = bytes(range(256)) * 40 + b"\r\n--boundary\r\n"
    name = 'Báo cáo quý "3".xlsx'
    message = await bot.send_document(USER_ID, payload, filename=name, caption="Tổng hợp")
    assert message.document.file_name == name and message.caption == "Tổng hợp"
    stored = sim.sent_messages(USER_ID)[-1]
    assert (stored.kind, stored.document_name, stored.document_bytes) == ("document", name, payload)
    assert stored.document_mime == XLSX
    file = await bot.get_file(message.document.file_id)
    assert file.file_path.endswith(".xlsx")
    assert bytes(await file.download_as_bytearray()) == payload


@pytest.mark.asyncio
async def test_send_media_group(sim: TelegramSimulator, bot: Bot) -> None:
    sim.user(USER_ID, "An")
    album = [InputMediaPhoto(TINY_PNG, caption="1"), InputMediaPhoto(TINY_PNG)]
    messages = await bot.send_media_group(USER_ID, album)
    assert len(messages) == 2 and messages[0].media_group_id == messages[1].media_group_id
    assert [m.caption for m in sim.sent_messages(USER_ID)] == ["1", None]
    assert all(m.photo_bytes == TINY_PNG for m in sim.sent_messages(USER_ID))


@pytest.mark.asyncio
async def test_text_length_counts_utf16_units(sim: TelegramSimulator, bot: Bot) -> None:
    sim.user(USER_ID, "An")
    await bot.send_message(USER_ID, "x" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER_ID, "x" * 4097)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER_ID, "😀" * 2049)  # 2049 characters but 4098 UTF-16 units
    await bot.send_message(USER_ID, f"<b>{'y' * 4096}</b>", parse_mode="HTML")  # tags don't count
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER_ID, "   ")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(USER_ID, TINY_PNG, caption="c" * 1025)


@pytest.mark.asyncio
async def test_callback_data_limit_is_64_bytes(sim: TelegramSimulator, bot: Bot) -> None:
    sim.user(USER_ID, "An")
    await bot.send_message(USER_ID, "fine", reply_markup=keyboard(("ok", "d" * 64)))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        too_long = keyboard(("bad", "ă" * 33))  # 33 characters, 66 bytes
        await bot.send_message(USER_ID, "bad", reply_markup=too_long)
    no_action = {"inline_keyboard": [[{"text": "no action"}]]}
    with pytest.raises(BadRequest, match="Text buttons are unallowed"):
        await bot.send_message(USER_ID, "bad", reply_markup=no_action)


@pytest.mark.asyncio
async def test_unknown_chat_blocked_user_and_left_group(sim: TelegramSimulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hello")
    user = sim.user(USER_ID, "An")
    sim.block(USER_ID)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER_ID, "hello")
    await user.send_text("writing to the bot again unblocks it")
    await bot.send_message(USER_ID, "hello again")
    sim.user(2002, "Bình", started=False)
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(2002, "hi")
    sim.group(-77, "Chi bộ")
    assert await bot.leave_chat(-77)
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(-77, "hi")


@pytest.mark.asyncio
async def test_edit_and_delete_errors(sim: TelegramSimulator, bot: Bot) -> None:
    sim.user(USER_ID, "An")
    markup = keyboard(("x", "x"))
    message = await bot.send_message(USER_ID, "same", reply_markup=markup)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("same", USER_ID, message.message_id, reply_markup=markup)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER_ID, 999)
    edited = await bot.edit_message_reply_markup(USER_ID, message.message_id, reply_markup=None)
    assert edited.reply_markup is None and sim.sent_messages(USER_ID)[0].edited
    assert await bot.delete_message(USER_ID, message.message_id)
    assert sim.sent_messages(USER_ID) == [] and len(sim.deleted_messages(USER_ID)) == 1
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER_ID, message.message_id)


@pytest.mark.asyncio
async def test_html_parse_errors_and_markdown(sim: TelegramSimulator, bot: Bot) -> None:
    sim.user(USER_ID, "An")
    for broken in ("<b>open", "<b>x</i>", "a <script> b", "x</b>"):
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(USER_ID, broken, parse_mode="HTML")
    with pytest.raises(BadRequest, match="reserved"):
        await bot.send_message(USER_ID, "Tổng: 5.", parse_mode="MarkdownV2")
    message = await bot.send_message(USER_ID, "*Tổng* \\= 5\\.", parse_mode="MarkdownV2")
    assert message.text == "Tổng = 5." and message.entities[0].type == "bold"


def test_parse_html_entities_and_offsets() -> None:
    source = '😀 <b>đậm <i>nghiêng</i></b> &lt;3 <a href="https://x.org">link</a>'
    text, entities = parse_html(source)
    assert text == "😀 đậm nghiêng <3 link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 11},
        {"type": "italic", "offset": 7, "length": 7},
        {"type": "text_link", "url": "https://x.org", "offset": 18, "length": 4},
    ]
    assert parse_html('<pre><code class="language-python">x = 1</code></pre>')[1] == [
        {"type": "pre", "language": "python", "offset": 0, "length": 5}
    ]
    assert parse_markdown("_a_ [b](https://y.org)")[1][1]["url"] == "https://y.org"


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1))
def test_escaped_text_survives_html_parsing(raw: str) -> None:
    text, entities = parse_html(f"<b>{html.escape(raw)}</b>")
    assert text == raw
    assert entities == [{"type": "bold", "offset": 0, "length": utf16_len(raw)}]


@pytest.mark.asyncio
async def test_injected_429_raises_retry_after(sim: TelegramSimulator, bot: Bot) -> None:
    sim.user(USER_ID, "An")
    sim.user(USER_ID + 1, "Bình")
    sim.inject_fault(
        "sendMessage", status=429, description="Too Many Requests: retry after 7",
        retry_after=7, times=2, chat_id=USER_ID,
    )  # fmt: skip
    await bot.send_message(USER_ID + 1, "other chat is unaffected")
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(USER_ID, "hi")
        assert _retry_after(caught.value) == 7
    await bot.send_message(USER_ID, "third call passes")
    assert sim.rate_limited_count == 2
    assert [c.status for c in sim.calls("sendMessage")] == [200, 429, 429, 200]


@pytest.mark.asyncio
async def test_rate_limit_uses_injected_clock() -> None:
    fake_now = [1000.0]
    limits = RateLimit(per_second=3, per_minute_per_group=5)
    async with TelegramSimulator(rate_limit=limits, clock=lambda: fake_now[0]) as sim:
        async with bot_for(sim) as bot:
            for i in range(3):
                sim.user(USER_ID + i, "U")
                await bot.send_message(USER_ID + i, "ok")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(USER_ID, "fourth in the same second")
            assert _retry_after(caught.value) == 1
            fake_now[0] += 1.0
            sim.group(-1, "Chi bộ")
            for _ in range(3):
                await bot.send_message(-1, "group")
            fake_now[0] += 1.0
            for _ in range(2):
                await bot.send_message(-1, "group")
            fake_now[0] += 10.0
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(-1, "sixth in a minute")
            assert _retry_after(caught.value) == 49  # the oldest group message (t=1001) + 60 s
            fake_now[0] += 49.0
            await bot.send_message(-1, "the window has slid")
    assert sim.rate_limited_count == 2


@pytest.mark.asyncio
async def test_offsets_confirm_updates(sim: TelegramSimulator, bot: Bot) -> None:
    user = sim.user(USER_ID, "An")
    first = await user.send_text("one")
    await user.send_text("two")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["one", "two"] and updates[0].update_id == first
    redelivered = await bot.get_updates()  # offset not advanced: nothing was confirmed
    assert [u.update_id for u in redelivered] == [u.update_id for u in updates]
    next_offset = updates[-1].update_id + 1
    assert await bot.get_updates(offset=next_offset) == ()
    third = await user.send_text("/start deep")
    (update,) = await bot.get_updates(offset=next_offset)
    assert update.update_id == third and update.message.entities[0].type == "bot_command"
    assert sim.pending_updates == 1


@pytest.mark.asyncio
async def test_long_poll_waits_and_stop_releases_it(sim: TelegramSimulator, bot: Bot) -> None:
    user = sim.user(USER_ID, "An")
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await sim.wait_for_long_poll()
    await user.send_text("wake up")
    assert [u.message.text for u in await asyncio.wait_for(poll, 2)] == ["wake up"]
    poll = asyncio.create_task(bot.get_updates(offset=10_000, timeout=30))
    await sim.wait_for_long_poll()
    await sim.stop()
    assert await asyncio.wait_for(poll, 2) == ()
    await sim.stop()  # idempotent


@pytest.mark.asyncio
async def test_wait_for_bot_message_times_out(sim: TelegramSimulator) -> None:
    sim.user(USER_ID, "An")
    with pytest.raises(TimeoutError, match="no bot message in chat 1001"):
        await sim.wait_for_bot_message(USER_ID, timeout=0.05)


@pytest.mark.asyncio
async def test_chat_info_commands_and_actions(sim: TelegramSimulator, bot: Bot) -> None:
    sim.user(USER_ID, "An", username="an")
    group = sim.group(-9, "Đảng bộ")
    group.add_member(sim.user(77, "Chủ"), "administrator")
    assert (await bot.get_me()).username == "baocao_bot"
    chat = await bot.get_chat(USER_ID)
    assert (chat.type, chat.first_name, chat.username) == ("private", "An", "an")
    assert (await bot.get_chat_member(-9, 77)).status == "administrator"
    assert (await bot.get_chat_member(-9, USER_ID)).status == "left"
    assert await bot.set_my_commands([("start", "Bắt đầu"), ("baocao", "Báo cáo")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "baocao"]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Bad-Command", "x")])
    assert await bot.send_chat_action(USER_ID, "typing")
    assert sim.chat_actions(USER_ID) == ["typing"]
    assert (await bot.get_webhook_info()).url == ""


# ------------------------------------------------------------------------------ raw HTTP


@pytest.mark.asyncio
async def test_http_form_json_multipart_and_errors(sim: TelegramSimulator) -> None:
    sim.user(USER_ID, "An")
    api, files = f"{sim.base_url}{sim.token}", f"{sim.base_file_url}{sim.token}"
    markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
    async with httpx.AsyncClient() as client:
        form = {"chat_id": str(USER_ID), "text": "form", "reply_markup": markup}
        sent = (await client.post(f"{api}/sendMessage", data=form)).json()["result"]
        assert sent["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
        body = await client.post(f"{api}/SENDMESSAGE", json={"chat_id": USER_ID, "text": "json"})
        assert body.json()["result"]["from"] == {
            "id": 123456, "is_bot": True, "first_name": "Báo cáo", "username": "baocao_bot"
        }  # fmt: skip
        upload = await client.post(
            f"{api}/sendDocument", data={"chat_id": str(USER_ID)},
            files={"document": ("r.csv", b"a,b\n1,2\n", "text/csv")},
        )  # fmt: skip
        file_id = upload.json()["result"]["document"]["file_id"]
        got = await client.get(f"{api}/getFile", params={"file_id": file_id})
        assert (await client.get(f"{files}/{got.json()['result']['file_path']}")).content == (
            b"a,b\n1,2\n"
        )
        unauthorized = await client.post(f"{sim.base_url}999:WRONG/getMe")
        assert unauthorized.status_code == 401
        assert unauthorized.json() == {
            "ok": False, "error_code": 401, "description": "Unauthorized"
        }  # fmt: skip
        missing = await client.post(f"{api}/noSuchMethod")
        assert missing.status_code == 404 and missing.json()["description"] == "Not Found"
        assert (await client.get(f"{files}/nope/file.jpg")).status_code == 404
        bad = await client.post(f"{api}/sendMessage", data={"chat_id": str(USER_ID), "text": ""})
        assert bad.status_code == 400
        assert bad.json()["description"] == "Bad Request: message text is empty"
    assert [m.text for m in sim.sent_messages(USER_ID)][:2] == ["form", "json"]
    assert sim.calls("sendMessage")[0].params["chat_id"] == USER_ID


@pytest.mark.asyncio
async def test_keep_alive_serves_several_requests_on_one_connection(
    sim: TelegramSimulator,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", sim.port)
    try:
        for i in range(3):
            body = f"chat_id=1&text=t{i}".encode()
            head = (
                f"POST /bot{sim.token}/getMe HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            writer.write(head.encode() + body)
            await writer.drain()
            answer = await reader.readuntil(b"\r\n\r\n")
            assert answer.startswith(b"HTTP/1.1 200 OK") and b"Connection: keep-alive" in answer
            length = int(answer.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            payload = json.loads(await reader.readexactly(length))
            assert payload["result"]["username"] == "baocao_bot"
    finally:
        writer.close()
    assert sim.connections_accepted == 1
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=1)) as client:
        for _ in range(5):
            assert (await client.get(f"{sim.base_url}{sim.token}/getMe")).status_code == 200
    assert sim.connections_accepted == 2


async def _raw_exchange(port: int, request: bytes) -> bytes:
    """Send raw bytes, read until the server closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()


@pytest.mark.asyncio
async def test_chunked_body_http10_and_garbage(sim: TelegramSimulator) -> None:
    sim.user(USER_ID, "An")
    body = json.dumps({"chat_id": USER_ID, "text": "chunked"}).encode()
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    answer = await _raw_exchange(
        sim.port,
        f"POST /bot{sim.token}/sendMessage HTTP/1.0\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n".encode() + chunked,
    )
    assert answer.startswith(b"HTTP/1.1 200 OK") and b"Connection: close" in answer
    assert sim.sent_messages(USER_ID)[-1].text == "chunked"
    garbage = await _raw_exchange(sim.port, b"NONSENSE\r\n\r\n")
    assert garbage.startswith(b"HTTP/1.1 400")
    not_json = await _raw_exchange(
        sim.port,
        f"POST /bot{sim.token}/getMe HTTP/1.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 3\r\nConnection: close\r\n\r\n{{{".encode(),
    )
    assert not_json.startswith(b"HTTP/1.1 400")
