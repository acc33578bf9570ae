"""``baocao run``: every channel whose token is set, in one process, on one database.

Each channel is its own python-telegram-bot ``Application`` (one bot each), sharing the
database. Without ``BAOCAO_PUBLIC_URL`` every channel long-polls; with it, each gets its
updates by webhook at ``PUBLIC_URL/<channel>`` through the bot's own HTTP server
(bot/web/), which also answers ``/healthz`` and serves charts by URL in both modes.

Webhook secrets: ``BAOCAO_<CHANNEL>_WEBHOOK_SECRET`` when the operator sets one;
otherwise a fresh random secret at every start, registered with ``setWebhook`` before
the first delivery can use it. It is not stored in the database on purpose: the
database is copied into backups and handed around, the environment is not; and since
``setWebhook`` runs at every start, nothing about it needs to survive a restart (a
delivery still signed with the previous process's secret gets 401 and is retried by
the platform with the new one). One process per database, so one secret per channel.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from telegram.ext import Application

from bot.app import build_application, post_init
from bot.channels import TELEGRAM, ZALO, link_applications
from bot.channels import zalo as zalo_channel
from bot.config import Config, ConfigError
from bot.web.files import FileHost
from bot.web.health import Health
from bot.web.server import BotWebServer
from bot.web.webhooks import WebhookEndpoint, telegram_endpoint, zalo_endpoint
from domain.clock import Clock, SystemClock
from storage.db import Database

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds of a long poll


@dataclass
class Served:
    """What a running ``serving()`` exposes: the server (None if not listening) and health."""

    server: BotWebServer | None
    health: Health
    files: FileHost
    applications: Mapping[str, Application]


def channel_tokens(config: Config) -> dict[str, str]:
    """The channels to serve: those whose token is set."""
    tokens = {TELEGRAM: config.telegram_token, ZALO: config.zalo_token}
    return {name: token for name, token in tokens.items() if token}


def build_channels(config: Config, db: Database) -> dict[str, Application]:
    """One Application per channel with a token, linked so that the first, which runs the
    reminder and digest jobs, reaches cadres on either messenger."""
    tokens = channel_tokens(config)
    if not tokens:
        raise ConfigError("config.no_token")
    applications = {
        name: build_application(config, token=token, channel=name, db=db, jobs=index == 0)
        for index, (name, token) in enumerate(tokens.items())
    }
    link_applications(applications.values())
    return applications


async def run(config: Config) -> int:
    """Serves until SIGINT or SIGTERM."""
    db = Database(config.db_path)
    applications = build_channels(config, db)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with serving(config, applications, db=db, clock=SystemClock(config.tz)):
        await stop.wait()
    log.info("stopped")
    return 0


@asynccontextmanager
async def serving(
    config: Config,
    applications: Mapping[str, Application],
    *,
    db: Database,
    clock: Clock,
    poll_timeout: int = POLL_TIMEOUT,
) -> AsyncIterator[Served]:
    """Starts the HTTP server and every channel (webhook or polling); stops them all after."""
    if config.public_url and config.listen is None:
        raise ConfigError("config.public_url_needs_listen")
    health = Health(clock)
    files = FileHost(config.public_url, clock, db=db)
    server = None
    if config.listen is not None:
        server = BotWebServer(host=config.listen[0], port=config.listen[1], db=db, health=health, files=files)
    started: list[Application] = []
    try:
        for name, application in applications.items():
            _publish_photos(name, application, files)
            await application.initialize()
            started.append(application)
            await post_init(application)
        await _start_server(server, webhook=bool(config.public_url))
        for name, application in applications.items():
            await _start_channel(config, name, application, server, health, poll_timeout)
            await application.start()
        log.info("serving %s (%s)", ", ".join(applications), "webhook" if config.public_url else "polling")
        yield Served(server, health, files, applications)
    finally:
        await _stop(started, server)
        await db.close()


async def _start_server(server: BotWebServer | None, *, webhook: bool) -> None:
    """Without webhooks the server only answers /healthz: a port in use is no reason to
    stop the bot, as it is when the messengers must reach it."""
    if server is None:
        return
    try:
        await server.start()
    except OSError as exc:
        if webhook:
            raise ConfigError("config.cannot_listen", reason=exc.strerror) from None
        log.warning("HTTP server not started (%s): no /healthz; polling goes on", exc.strerror)


async def _start_channel(
    config: Config, name: str, application: Application, server: BotWebServer | None,
    health: Health, poll_timeout: int,
) -> None:  # fmt: skip
    """Webhook when there is a public URL, else long polling; either way, health is told."""
    if config.public_url and server is not None:
        secret = getattr(config, f"{name}_webhook_secret", None) or secrets.token_urlsafe(32)
        endpoint = _endpoint(name, application, secret, health)
        server.add_endpoint(endpoint)
        health.register(name, "webhook")
        await application.bot.set_webhook(url=config.public_url + endpoint.path, secret_token=secret)
        log.info("%s: webhook at %s%s", name, config.public_url, endpoint.path)
        return
    health.register(name, "polling")
    listeners = getattr(application.bot, "poll_listeners", None)
    if listeners is not None:
        listeners.append(health.poll_listener(name))
    await application.updater.start_polling(poll_interval=0, timeout=poll_timeout, bootstrap_retries=-1)


def _publish_photos(name: str, application: Application, files: FileHost) -> None:
    """Zalo's sendPhoto takes a URL: charts are served by our server under the public URL,
    and so are documents (Zalo takes no files: they go as links). Without one the channel
    sends the caption alone, or says where to get the document (and says once why, in the log)."""
    if name != ZALO or not files.available:
        return

    async def publish(data: bytes, content_type: str) -> str | None:
        return files.publish(data, content_type)

    channel = zalo_channel.channel_of(application)
    channel.photo_publisher = publish
    channel.file_publisher = files.publish_file  # documents: a link that lasts (bot/web/files.py)


def _endpoint(name: str, application: Application, secret: str, health: Health) -> WebhookEndpoint:
    if name == TELEGRAM:
        return telegram_endpoint(application, secret, health)
    return zalo_endpoint(application, secret, health)


async def _stop(started: list[Application], server: BotWebServer | None) -> None:
    """Stops taking updates first (server, polls), then lets each Application finish."""
    if server is not None:
        await server.stop()
    for application in reversed(started):
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
    for application in reversed(started):
        await application.shutdown()
