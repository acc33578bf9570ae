"""The simulator's Zalo side speaks the platform's shapes (../shared/ZALO.md), over HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.simulator import TelegramSimulator


@pytest.fixture
async def sim() -> AsyncIterator[TelegramSimulator]:
    async with TelegramSimulator() as running:
        yield running


async def call(sim: TelegramSimulator, method: str, **params: Any) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{sim.zalo.base_url}{sim.zalo.token}/{method}", json=params)
    assert response.status_code == 200
    return response.json()


async def test_get_me_has_a_string_id_and_an_account_name(sim: TelegramSimulator) -> None:
    me = await call(sim, "getMe")
    assert me["ok"] is True and isinstance(me["result"]["id"], str) and me["result"]["account_name"]


async def test_a_wrong_token_is_refused(sim: TelegramSimulator) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{sim.zalo.base_url}nope/getMe", json={})
    assert response.status_code == 401


async def test_get_updates_gives_one_event_per_call_and_408_when_empty(sim: TelegramSimulator) -> None:
    assert await call(sim, "getUpdates", timeout="0") == {
        "ok": False, "error_code": 408, "description": "Request timeout"}
    user = sim.zalo.user("u-1", "An")
    await user.send_text("một")
    await user.send_text("hai")
    first, second = await call(sim, "getUpdates", timeout="1"), await call(sim, "getUpdates", timeout="1")
    assert first["result"]["message"]["text"] == "một" and second["result"]["message"]["text"] == "hai"
    message = first["result"]["message"]
    assert first["result"]["event_name"] == "message.text.received"
    assert message["from"]["id"] == "u-1" and message["chat"] == {"id": "u-1", "chat_type": "PRIVATE"}
    assert message["date"] > 10**12  # milliseconds


async def test_texts_are_one_to_two_thousand_characters(sim: TelegramSimulator) -> None:
    sim.zalo.user("u-1")
    assert (await call(sim, "sendMessage", chat_id="u-1", text="x" * 2000))["ok"] is True
    too_long = await call(sim, "sendMessage", chat_id="u-1", text="x" * 2001)
    assert too_long["ok"] is False and too_long["error_code"] == 400
    assert (await call(sim, "sendMessage", chat_id="u-1", text=""))["ok"] is False
    assert (await call(sim, "sendMessage", chat_id="nobody", text="x"))["error_code"] == 404
    sim.zalo.user("u-1").block()
    assert (await call(sim, "sendMessage", chat_id="u-1", text="x"))["error_code"] == 403


async def test_photos_go_by_url_only(sim: TelegramSimulator) -> None:
    sim.zalo.user("u-1")
    assert (await call(sim, "sendPhoto", chat_id="u-1", photo="file-id-123"))["ok"] is False
    sent = await call(sim, "sendPhoto", chat_id="u-1", photo="https://example.org/a.png", caption="c")
    assert sent["ok"] is True and sim.zalo.sent_to("u-1")[-1].photo_url == "https://example.org/a.png"


async def test_a_group_message_reaches_the_bot_only_when_it_mentions_it(sim: TelegramSimulator) -> None:
    user, group = sim.zalo.user("u-1"), sim.zalo.group("g-1", "Nhóm")
    assert await group.send_text(user, "chào cả nhóm", mention=False) is None
    assert await group.send_text(user, "/tonghop") is not None
    event = (await call(sim, "getUpdates", timeout="1"))["result"]
    assert event["message"]["chat"]["chat_type"] == "GROUP" and "@Báo cáo" in event["message"]["text"]


async def test_webhook_delivery_carries_the_secret_header(sim: TelegramSimulator) -> None:
    received: list[tuple[str, dict[str, Any]]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        length = int(head.split("content-length:")[1].split("\r\n")[0])
        secret = head.split("x-bot-api-secret-token:")[1].split("\r\n")[0].strip()
        received.append((secret, json.loads(await reader.readexactly(length))))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    short = await call(sim, "setWebhook", url=f"http://127.0.0.1:{port}/zalo", secret_token="short")
    assert short["ok"] is False
    ok = await call(sim, "setWebhook", url=f"http://127.0.0.1:{port}/zalo", secret_token="s3cret-s3cret")
    assert ok["ok"] is True
    assert (await call(sim, "getWebhookInfo"))["result"]["url"].endswith("/zalo")
    await sim.zalo.user("u-1").send_text("xin chào")
    assert (await call(sim, "getUpdates", timeout="0"))["error_code"] == 409  # webhook excludes polling
    server.close()
    [(secret, event)] = received
    assert secret == "s3cret-s3cret" and event["message"]["text"] == "xin chào"
    assert sim.zalo.deliveries == [200]
