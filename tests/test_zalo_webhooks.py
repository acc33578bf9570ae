"""Both channels in one process, as ``baocao run`` serves them: Zalo's webhook over real
HTTP (the simulator POSTs its events with the secret header the bot registered), the
health of each channel, charts by URL, and both channels polling when there is no
public URL."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.channels import TELEGRAM, ZALO
from bot.channels import zalo as zalo_channel
from bot.config import Config
from bot.harness import UpdateWaiter, simulator_config
from bot.runner import Served, build_channels, serving
from bot.simulator import TelegramSimulator
from domain.clock import ManualClock, utc_stamp
from storage.db import Database
from tests.conftest import CADRE_TG

PUBLIC_URL = "https://baocao.example.vn"
ZALO_HEADER = "X-Bot-Api-Secret-Token"
ZALO_USER = "8127364500112233"
PNG = b"\x89PNG\r\n\x1a\n" + b"chart" * 50


@dataclass
class TwoChannels:
    sim: TelegramSimulator
    applications: dict[str, Application]
    waiters: dict[str, UpdateWaiter]
    served: Served

    @property
    def url(self) -> str:
        assert self.served.server is not None
        return self.served.server.url

    async def zalo_says(self, text: str, user: str = ZALO_USER) -> str:
        """A Zalo user writes; returns the event's message id once the bot has handled it."""
        message_id = await self.sim.zalo.user(user, "Chị Lan").send_text(text)
        await self.waiters[ZALO].wait(message_id)
        return message_id

    def zalo_replies(self, user: str = ZALO_USER) -> list[str]:
        return [m.content for m in self.sim.zalo.sent_to(user)]

    async def post_zalo(self, body: Any, secret: str | None = None) -> httpx.Response:
        headers = {} if secret == "" else {ZALO_HEADER: secret or self.sim.zalo.webhook_secret}
        async with httpx.AsyncClient() as client:
            if isinstance(body, bytes):
                return await client.post(self.url + "/zalo", content=body, headers=headers)
            return await client.post(self.url + "/zalo", json=body, headers=headers)

    async def health(self) -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            return (await client.get(self.url + "/healthz")).json()


@asynccontextmanager
async def two_channels(config: Config, clock: ManualClock, **settings: Any) -> AsyncIterator[TwoChannels]:
    """Telegram and Zalo in one process on one database, each against the simulator."""
    async with TelegramSimulator() as sim:
        settings = {"listen": ("127.0.0.1", 0), **settings}
        both = replace(simulator_config(config, sim), **settings)
        db = Database(both.db_path)
        applications = {
            name: build_application(both, clock=clock, rate_limit=False, channel=name, db=db)
            for name in (TELEGRAM, ZALO)
        }
        waiters = {name: UpdateWaiter() for name in applications}
        for name, application in applications.items():
            waiters[name].install(application)
        async with serving(both, applications, db=db, clock=clock, poll_timeout=1) as served:
            running = TwoChannels(sim, applications, waiters, served)
            if both.public_url:
                # The reverse proxy: what Zalo POSTs to the public URL reaches our server.
                sim.zalo.set_webhook(running.url + "/zalo", sim.zalo.webhook_secret)
            yield running
        await sim.zalo.close()


@pytest.fixture
async def webhooks(config: Config, clock: ManualClock, roster_db: Database) -> AsyncIterator[TwoChannels]:
    async with two_channels(config, clock, public_url=PUBLIC_URL) as running:
        yield running


async def test_both_webhooks_are_registered_each_with_its_own_secret(webhooks: TwoChannels) -> None:
    assert webhooks.sim.webhook_url == PUBLIC_URL + "/telegram"
    (registered,) = webhooks.sim.zalo.calls_of("setWebhook")
    assert registered.params["url"] == PUBLIC_URL + "/zalo"
    zalo_secret, telegram_secret = webhooks.sim.zalo.webhook_secret, webhooks.sim.webhook_secret
    assert registered.params["secret_token"] == zalo_secret
    assert len(zalo_secret) >= 40 and len(telegram_secret) >= 40 and zalo_secret != telegram_secret


async def test_a_zalo_event_posted_with_the_secret_is_answered(webhooks: TwoChannels) -> None:
    await webhooks.zalo_says("xin chào")
    assert webhooks.sim.zalo.deliveries == [200]
    assert webhooks.zalo_replies(), "the bot answered on Zalo"


async def test_a_redelivered_zalo_event_is_handled_once(webhooks: TwoChannels) -> None:
    await webhooks.zalo_says("xin chào")
    answered = len(webhooks.zalo_replies())
    assert await webhooks.sim.zalo.deliver(webhooks.sim.zalo.last_event) == 200
    assert await webhooks.sim.zalo.deliver(webhooks.sim.zalo.last_event) == 200
    await webhooks.zalo_says("xin chào")  # the chat's next event comes after any repeat
    assert len(webhooks.zalo_replies()) == 2 * answered


async def test_a_wrapped_zalo_event_is_accepted_too(webhooks: TwoChannels) -> None:
    user = webhooks.sim.zalo.user(ZALO_USER, "Chị Lan")
    bare = await user.send_text("xin chào")
    await webhooks.waiters[ZALO].wait(bare)
    answered = len(webhooks.zalo_replies())
    event = dict(webhooks.sim.zalo.last_event or {})
    event["message"] = dict(event["message"], message_id="wrapped-1")
    response = await webhooks.post_zalo({"ok": True, "result": event})
    assert response.status_code == 200
    await webhooks.waiters[ZALO].wait("wrapped-1")
    assert len(webhooks.zalo_replies()) == 2 * answered


@pytest.mark.parametrize("secret", ["", "wrong-secret-0123456789", "telegram"])
async def test_a_wrong_or_missing_zalo_secret_gets_401_and_no_body(webhooks: TwoChannels, secret: str) -> None:
    if secret == "telegram":  # one channel's secret opens nothing on the other's path
        secret = webhooks.sim.webhook_secret
    event = {"event_name": "message.text.received",
             "message": {"message_id": "forged-1", "date": 0, "text": "xin chào",
                         "from": {"id": ZALO_USER, "display_name": "X"},
                         "chat": {"id": ZALO_USER, "chat_type": "PRIVATE"}}}  # fmt: skip
    response = await webhooks.post_zalo(event, secret)
    assert (response.status_code, response.content) == (401, b"")
    assert webhooks.zalo_replies() == []
    assert "forged-1" not in webhooks.waiters[ZALO].done


async def test_a_malformed_zalo_body_gets_400_and_is_logged_by_id_only(
    webhooks: TwoChannels, caplog: pytest.LogCaptureFixture
) -> None:
    private = "Trần Thị Riêng Tư 0987654321"
    broken = {"event_name": "message.text.received", "message": {"message_id": "zm-broken-7", "text": private}}
    with caplog.at_level(logging.INFO):
        for body in (broken, b"{oops", b'"just a string"', {"ok": True, "result": "nothing"}):
            response = await webhooks.post_zalo(body)
            assert (response.status_code, response.content) == (400, b"")
    assert "zm-broken-7" in caplog.text
    assert private not in caplog.text and "0987654321" not in caplog.text
    await webhooks.zalo_says("xin chào")  # and the bot goes on


async def test_healthz_shows_each_channel(webhooks: TwoChannels, clock: ManualClock) -> None:
    before = await webhooks.health()
    assert before["channels"] == {
        TELEGRAM: {"mode": "webhook", "last_ok": None, "age_seconds": None},
        ZALO: {"mode": "webhook", "last_ok": None, "age_seconds": None},
    }
    await webhooks.zalo_says("xin chào")
    after = await webhooks.health()
    assert after["channels"][ZALO]["last_ok"] == utc_stamp(clock.now())
    assert after["channels"][TELEGRAM]["last_ok"] is None


async def test_zalo_gets_charts_by_an_expiring_url_below_the_public_url(webhooks: TwoChannels) -> None:
    await webhooks.zalo_says("xin chào")
    zalo_app = webhooks.applications[ZALO]
    chat_id = await zalo_channel.channel_of(zalo_app).internal(ZALO_USER)
    await zalo_app.bot.send_photo(chat_id, photo=PNG, caption="Tổng hợp")
    (sent,) = webhooks.sim.zalo.calls_of("sendPhoto")
    url = sent.params["photo"]
    assert url.startswith(PUBLIC_URL + "/f/")
    async with httpx.AsyncClient() as client:
        fetched = await client.get(webhooks.url + url[len(PUBLIC_URL):])
    assert (fetched.status_code, fetched.content) == (200, PNG)


async def test_without_a_public_url_both_channels_poll(config: Config, clock: ManualClock, roster_db: Database) -> None:
    async with two_channels(config, clock) as polling:
        assert polling.sim.webhook_url == "" and polling.sim.zalo.webhook_url == ""
        await polling.zalo_says("xin chào")
        update_id = await polling.sim.user(CADRE_TG, "Cán bộ").send_text("/start")
        await polling.waiters[TELEGRAM].wait(update_id)
        assert polling.zalo_replies()
        assert polling.sim.user(CADRE_TG, "Cán bộ").messages()
        channels = (await polling.health())["channels"]
    assert {name: state["mode"] for name, state in channels.items()} == {TELEGRAM: "polling", ZALO: "polling"}
    assert all(state["last_ok"] == utc_stamp(clock.now()) for state in channels.values())


def test_run_builds_every_channel_whose_token_is_set(config: Config) -> None:
    db = Database(config.db_path)
    only_zalo = build_channels(replace(config, zalo_token="zalo-token"), db)
    assert list(only_zalo) == [ZALO]
    both = build_channels(replace(config, telegram_token="1:tg", zalo_token="zalo-token"), db)
    assert list(both) == [TELEGRAM, ZALO]
    # One registry of bots shared by both: the scheduler (run by the first) reaches either.
    assert both[TELEGRAM].bot_data.channels is both[ZALO].bot_data.channels
    assert set(both[TELEGRAM].bot_data.channels.names()) == {TELEGRAM, ZALO}
    assert both[ZALO].bot_data.db is both[TELEGRAM].bot_data.db is db
    # The reminder and digest jobs run once, in the first application.
    assert both[TELEGRAM].job_queue.jobs() and not both[ZALO].job_queue.jobs()


async def test_without_a_public_url_zalo_charts_go_as_text_and_the_log_says_why_once(
    config: Config, clock: ManualClock, roster_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with two_channels(config, clock) as polling:
        await polling.zalo_says("xin chào")
        before = len(polling.zalo_replies())
        zalo_app = polling.applications[ZALO]
        chat_id = await zalo_channel.channel_of(zalo_app).internal(ZALO_USER)
        with caplog.at_level(logging.WARNING):
            await zalo_app.bot.send_photo(chat_id, photo=PNG, caption="Tổng hợp quý IV")
            await zalo_app.bot.send_photo(chat_id, photo=PNG, caption="Tổng hợp quý IV")
        assert polling.sim.zalo.calls_of("sendPhoto") == []
        assert polling.zalo_replies()[before:] == ["Tổng hợp quý IV", "Tổng hợp quý IV"]
    why = [r for r in caplog.records if "BAOCAO_PUBLIC_URL" in r.getMessage()]
    assert len(why) == 1
