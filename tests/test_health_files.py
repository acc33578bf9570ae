"""/healthz and the short-lived files of the bot's own HTTP server, over real HTTP."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from bot.app import build_application
from bot.config import Config
from bot.harness import UpdateWaiter, simulator_config
from bot.runner import serving
from bot.simulator import TelegramSimulator
from bot.web.files import FILE_TTL, FileHost
from domain.clock import ManualClock, utc_stamp
from storage.db import Database
from tests.conftest import CADRE_TG
from tests.test_webhooks import PUBLIC_URL, webhook_bot

PNG = b"\x89PNG\r\n\x1a\n" + b"chart" * 100


async def get(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(url)


# --------------------------------------------------------------------------- /healthz


async def test_healthz_reports_the_database_and_the_last_webhook_call(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    async with webhook_bot(config, clock) as bot:
        before = await get(bot.url + "/healthz")
        assert before.status_code == 200
        assert before.headers["content-type"] == "application/json"
        assert before.json() == {
            "status": "ok",
            "database": True,
            "channels": {"telegram": {"mode": "webhook", "last_ok": None, "age_seconds": None}},
        }
        update = await bot.says(CADRE_TG, "/start")
        await bot.post(update)
        delivered_at = clock.now()
        clock.advance(timedelta(seconds=90))
        after = (await get(bot.url + "/healthz")).json()
        assert after["channels"]["telegram"] == {
            "mode": "webhook", "last_ok": utc_stamp(delivered_at), "age_seconds": 90,
        }  # fmt: skip


async def test_healthz_is_503_when_the_database_does_not_answer(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    async with webhook_bot(config, clock) as bot:
        await bot.db.close()  # the bot's connection is gone (a lost volume, a crash below)
        response = await get(bot.url + "/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
        assert response.json()["database"] is False
        await bot.db.open()  # so that the bot can shut down and flush cleanly


async def test_healthz_in_polling_mode_shows_the_last_successful_poll(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    async with TelegramSimulator() as sim:
        polling = replace(simulator_config(config, sim), listen=("127.0.0.1", 0))
        db = Database(polling.db_path)
        application = build_application(polling, clock=clock, rate_limit=False, db=db)
        waiter = UpdateWaiter()
        waiter.install(application)
        async with serving(polling, {"telegram": application}, db=db, clock=clock, poll_timeout=1) as served:
            assert served.server is not None
            update_id = await sim.user(CADRE_TG, "Cán bộ").send_text("/start")
            await waiter.wait(update_id)  # a poll brought it: that poll succeeded
            body = (await get(served.server.url + "/healthz")).json()
    assert body["channels"]["telegram"] == {"mode": "polling", "last_ok": utc_stamp(clock.now()), "age_seconds": 0}
    assert sim.webhook_url == ""


async def test_without_a_listen_address_there_is_no_server(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    async with TelegramSimulator() as sim:
        quiet = replace(simulator_config(config, sim), listen=None)
        db = Database(quiet.db_path)
        application = build_application(quiet, clock=clock, rate_limit=False, db=db)
        async with serving(quiet, {"telegram": application}, db=db, clock=clock, poll_timeout=1) as served:
            assert served.server is None


# ------------------------------------------------------------------------------ files


async def test_a_published_file_is_served_until_it_expires(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    async with webhook_bot(config, clock) as bot:
        public = bot.served.files.publish(PNG, "image/png")
        assert public is not None and public.startswith(PUBLIC_URL + "/f/")
        local = bot.url + public[len(PUBLIC_URL):]  # what the reverse proxy forwards
        served = await get(local)
        assert served.status_code == 200
        assert served.content == PNG
        assert served.headers["content-type"] == "image/png"
        assert "no-store" in served.headers["cache-control"]
        clock.advance(FILE_TTL - timedelta(seconds=1))
        assert (await get(local)).status_code == 200
        clock.advance(timedelta(seconds=1))
        expired = await get(local)
        assert (expired.status_code, expired.content) == (404, b"")


async def test_file_paths_cannot_be_guessed(config: Config, clock: ManualClock, roster_db: Database) -> None:
    async with webhook_bot(config, clock) as bot:
        first = bot.served.files.publish(PNG)
        second = bot.served.files.publish(PNG)
        assert first is not None and second is not None and first != second
        token = first.rsplit("/", 1)[1]
        assert len(token) >= 43  # 256 random bits, URL-safe base64
        near_misses = [
            token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character off
            token[:-1],  # a prefix
            token.upper() if token.upper() != token else token.lower(),
            "0" * len(token),
        ]
        for guess in near_misses:
            response = await get(bot.url + "/f/" + guess)
            assert (response.status_code, response.content) == (404, b"")
        assert (await get(bot.url + "/f/" + token)).status_code == 200


def test_without_a_public_url_files_are_not_published_and_the_log_says_why_once(
    clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    host = FileHost(None, clock)
    with caplog.at_level(logging.INFO, logger="bot.web.files"):
        assert host.publish(PNG) is None
        assert host.publish(PNG) is None
    warnings = [r for r in caplog.records if "BAOCAO_PUBLIC_URL" in r.getMessage()]
    assert len(warnings) == 1
    assert "text only" in warnings[0].getMessage()


def test_old_files_make_room_when_memory_runs_short(clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.web.files.MAX_BYTES", 2 * len(PNG))
    host = FileHost(PUBLIC_URL, clock)
    urls = [host.publish(PNG) for _ in range(3)]
    tokens = [url.rsplit("/", 1)[1] for url in urls if url]
    assert host.get(tokens[0]) is None
    assert host.get(tokens[1]) is not None and host.get(tokens[2]) is not None


# ------------------------------------------------------------------------ raw HTTP


async def raw_exchange(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    return answer


async def test_garbage_and_oversized_requests_are_refused(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    async with webhook_bot(config, clock) as bot:
        garbage = await raw_exchange(bot.url, b"HELLO THERE\r\n\r\n")
        assert garbage.startswith(b"HTTP/1.1 400")
        too_big = await raw_exchange(
            bot.url,
            b"POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n" + b"x" * 1000,
        )
        assert too_big.startswith(b"HTTP/1.1 413")
        # The server still answers afterwards.
        assert (await get(bot.url + "/healthz")).status_code == 200
