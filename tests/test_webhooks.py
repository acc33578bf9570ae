"""The bot's own HTTP server on Telegram webhooks: real HTTP requests to a real server.

The bot runs as ``baocao run`` runs it (bot/runner.py) with a public URL: it registers its
webhook and secret with the simulator, and each test plays Telegram's part by POSTing
the simulator's queued updates to the bot's server with the secret it registered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.config import Config
from bot.harness import UpdateWaiter, simulator_config
from bot.runner import Served, serving
from bot.simulator import TelegramSimulator
from domain.clock import ManualClock
from storage.db import Database
from tests.conftest import CADRE_TG, STRANGER_TG

PUBLIC_URL = "https://baocao.example.vn"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class WebhookBot:
    sim: TelegramSimulator
    application: Application
    waiter: UpdateWaiter
    served: Served
    db: Database

    @property
    def url(self) -> str:
        assert self.served.server is not None
        return self.served.server.url

    async def post(self, update: Any, secret: str | None = None, *, raw: bytes | None = None) -> httpx.Response:
        """One webhook delivery, signed with the registered secret unless told otherwise."""
        headers = {} if secret == "" else {SECRET_HEADER: secret or self.sim.webhook_secret}
        async with httpx.AsyncClient() as client:
            if raw is not None:
                return await client.post(self.url + "/telegram", content=raw, headers=headers)
            return await client.post(self.url + "/telegram", json=update, headers=headers)

    async def says(self, user_id: int, text: str) -> dict[str, Any]:
        """A person writes; the update Telegram would deliver (taken off its queue)."""
        await self.sim.user(user_id, "Người dùng").send_text(text)
        (update,) = self.sim.take_updates()
        return update

    def replies(self, user_id: int) -> list[str]:
        return [m.text or "" for m in self.sim.user(user_id, "Người dùng").messages()]


@asynccontextmanager
async def webhook_bot(config: Config, clock: ManualClock, **settings: Any) -> AsyncIterator[WebhookBot]:
    """The Telegram channel served with a public URL, against a fresh simulator."""
    async with TelegramSimulator() as sim:
        settings = {"public_url": PUBLIC_URL, "listen": ("127.0.0.1", 0), **settings}
        bot_config = replace(simulator_config(config, sim), **settings)
        db = Database(bot_config.db_path)
        application = build_application(bot_config, clock=clock, rate_limit=False, db=db)
        waiter = UpdateWaiter()
        waiter.install(application)
        async with serving(bot_config, {"telegram": application}, db=db, clock=clock) as served:
            yield WebhookBot(sim, application, waiter, served, db)


@pytest.fixture
async def bot(config: Config, clock: ManualClock, roster_db: Database) -> AsyncIterator[WebhookBot]:
    async with webhook_bot(config, clock) as running:
        yield running


async def test_the_webhook_is_registered_with_a_strong_secret_never_logged(
    config: Config, clock: ManualClock, roster_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # what `baocao run` logs (-v adds PTB's own call dumps)
    async with webhook_bot(config, clock) as bot:
        assert bot.sim.webhook_url == PUBLIC_URL + "/telegram"
        secret = bot.sim.webhook_secret
        assert len(secret) >= 40
        update = await bot.says(CADRE_TG, "/start")
        assert (await bot.post(update)).status_code == 200
        await bot.waiter.wait(update["update_id"])
    assert secret not in caplog.text
    # A fresh secret each start, unless the operator gives one.
    async with webhook_bot(config, clock) as again:
        assert again.sim.webhook_secret not in ("", secret)
    async with webhook_bot(config, clock, telegram_webhook_secret="operator-chosen_secret") as given:
        assert given.sim.webhook_secret == "operator-chosen_secret"


async def test_a_signed_update_is_answered(bot: WebhookBot) -> None:
    update = await bot.says(CADRE_TG, "/start")
    response = await bot.post(update)
    assert response.status_code == 200
    await bot.waiter.wait(update["update_id"])
    assert len(bot.replies(CADRE_TG)) == 1


@pytest.mark.parametrize("secret", ["", "wrong-secret-0123456789", "x"])
async def test_a_wrong_or_missing_secret_gets_401_and_no_body(bot: WebhookBot, secret: str) -> None:
    update = await bot.says(STRANGER_TG, "/start")
    response = await bot.post(update, secret)
    assert response.status_code == 401
    assert response.content == b""
    # Nothing was queued: the next, signed update is the first the bot answers.
    follow_up = await bot.says(STRANGER_TG, "/start")
    assert (await bot.post(follow_up)).status_code == 200
    await bot.waiter.wait(follow_up["update_id"])
    assert update["update_id"] not in bot.waiter.done
    assert len(bot.replies(STRANGER_TG)) == 1


async def test_the_secret_is_checked_before_anything_else(bot: WebhookBot) -> None:
    async with httpx.AsyncClient() as client:
        unsigned_get = await client.get(bot.url + "/telegram")
        signed_get = await client.get(bot.url + "/telegram", headers={SECRET_HEADER: bot.sim.webhook_secret})
        unsigned_junk = await client.post(bot.url + "/telegram", content=b"{not json")
    assert (unsigned_get.status_code, unsigned_get.content) == (401, b"")
    assert signed_get.status_code == 405
    assert (unsigned_junk.status_code, unsigned_junk.content) == (401, b"")


async def test_a_redelivered_update_is_handled_once(bot: WebhookBot) -> None:
    update = await bot.says(CADRE_TG, "/start")
    assert (await bot.post(update)).status_code == 200
    assert (await bot.post(update)).status_code == 200  # Telegram did not see the first 200
    await bot.waiter.wait(update["update_id"])
    # Delivered at the same moment, twice more: still nothing new.
    twice = await asyncio.gather(bot.post(update), bot.post(update))
    assert [r.status_code for r in twice] == [200, 200]
    # The chat's next update is handled after anything queued before it in that chat.
    marker = await bot.says(CADRE_TG, "/help")
    assert (await bot.post(marker)).status_code == 200
    await bot.waiter.wait(marker["update_id"])
    assert len(bot.replies(CADRE_TG)) == 2


async def test_a_redelivery_after_a_restart_is_dropped_by_the_handled_record(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    async with webhook_bot(config, clock) as bot:
        update = await bot.says(CADRE_TG, "/start")
        assert (await bot.post(update)).status_code == 200
        await bot.waiter.wait(update["update_id"])
    async with webhook_bot(config, clock) as restarted:
        restarted.sim.user(CADRE_TG, "Người dùng")  # the same person, in the new simulator
        # The new process's memory is empty: the update is queued, and the handlers drop it.
        assert (await restarted.post(update)).status_code == 200
        marker = dict(update, update_id=update["update_id"] + 1000)
        marker["message"] = dict(update["message"], text="/help", message_id=9999)
        assert (await restarted.post(marker)).status_code == 200
        await restarted.waiter.wait(marker["update_id"])
        assert update["update_id"] not in restarted.waiter.done
        assert len(restarted.replies(CADRE_TG)) == 1  # only the answer to /help


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'{"message": {"text": "no update id"}}',
        b'{"update_id": "12", "message": {}}',
        b'\xff\xfe',
    ],
)
async def test_a_malformed_body_gets_400(bot: WebhookBot, body: bytes) -> None:
    response = await bot.post(None, raw=body)
    assert response.status_code == 400
    assert response.content == b""


async def test_a_malformed_update_is_logged_by_id_only(bot: WebhookBot, caplog: pytest.LogCaptureFixture) -> None:
    private = "Nguyễn Văn Bí Mật 0912345678"
    broken = {"update_id": 777, "message": {"message_id": 1, "text": private}}  # no chat, no date
    with caplog.at_level(logging.INFO):
        response = await bot.post(broken)
    assert response.status_code == 400
    assert "777" in caplog.text
    assert private not in caplog.text and "0912345678" not in caplog.text
    # The bot goes on: the next good update is answered.
    update = await bot.says(CADRE_TG, "/start")
    assert (await bot.post(update)).status_code == 200
    await bot.waiter.wait(update["update_id"])


async def test_unknown_paths_get_404_with_no_body(bot: WebhookBot) -> None:
    async with httpx.AsyncClient() as client:
        for path in ("/", "/telegram/x", "/admin", "/f/", "/healthz/x"):
            response = await client.get(bot.url + path)
            assert (path, response.status_code, response.content) == (path, 404, b"")
