"""Webhook deliveries: checked, parsed, de-duplicated and queued for the Application.

Each messenger POSTs an event to its own path with a secret header it was given at
``setWebhook``. What is not signed with that secret gets 401 and nothing else: no body
that would tell a prober what runs here. A delivery is confirmed (200) only once its
update is on the Application's queue, so the platform retries anything not taken.

A platform that did not see our 200 in time delivers the same event again. A Telegram
repeat seen by this process is dropped here, before it is queued; one that arrives after
a restart is dropped by the handlers' ``processed_updates`` record (handlers/updates.py),
which also covers a repeat polled rather than posted. The Zalo channel drops its repeats
itself (by event_name + message_id, stored), for polling and webhook alike.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.web.health import Health
from bot.web.http import Request, Response

log = logging.getLogger(__name__)

TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token"
ZALO_SECRET_HEADER = "x-bot-api-secret-token"
REMEMBERED_DELIVERIES = 10_000  # per channel; platforms redeliver within minutes


class MalformedEvent(ValueError):
    """The body is not an event of this channel; ``event_id`` is what may be logged."""

    def __init__(self, event_id: object = None) -> None:
        super().__init__(f"malformed event {event_id!r}")
        self.event_id = event_id


# Takes one parsed delivery: True when queued, False when it is a repeat (both 200);
# raises MalformedEvent for a body that is no event of the channel (400).
Feed = Callable[[dict[str, Any]], Awaitable[bool]]


@dataclass
class RecentKeys:
    """The last deliveries taken, oldest forgotten first."""

    limit: int = REMEMBERED_DELIVERIES
    _keys: OrderedDict[str, None] = field(default_factory=OrderedDict)

    def claim(self, key: str) -> bool:
        """True the first time ``key`` is seen (it is remembered from then on)."""
        if key in self._keys:
            return False
        self._keys[key] = None
        if len(self._keys) > self.limit:
            self._keys.popitem(last=False)
        return True

    def release(self, key: str) -> None:
        """Forget a key whose delivery was not taken after all, so a retry is."""
        self._keys.pop(key, None)


@dataclass
class WebhookEndpoint:
    """One channel's webhook: where it is posted, how it is signed, what takes it."""

    channel: str
    path: str
    secret_header: str
    secret: str
    feed: Feed
    health: Health

    async def handle(self, request: Request) -> Response:
        if not self._signed(request):
            return Response(401)
        if request.method != "POST":
            return Response(405, headers={"allow": "POST"})
        try:
            queued = await self.feed(_json_object(request.body))
        except MalformedEvent as exc:
            log.warning("%s webhook: malformed delivery (id %s, %d bytes)", self.channel, exc.event_id, len(request.body))
            return Response(400)
        if not queued:
            log.info("%s webhook: an event delivered again was dropped", self.channel)
        self.health.touch(self.channel)
        return Response(200)

    def _signed(self, request: Request) -> bool:
        """The secret header, compared in constant time."""
        given = request.headers.get(self.secret_header, "").encode("latin-1")
        return hmac.compare_digest(given, self.secret.encode("utf-8"))


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise MalformedEvent() from None
    if not isinstance(event, dict):
        raise MalformedEvent()
    return event


# ---------------------------------------------------------------------- Telegram


def telegram_endpoint(application: Application, secret: str, health: Health, path: str = "/telegram") -> WebhookEndpoint:
    """Telegram posts Update objects, signed with X-Telegram-Bot-Api-Secret-Token."""
    bot = application.bot
    recent = RecentKeys()

    async def feed(event: dict[str, Any]) -> bool:
        key = _telegram_key(event)
        try:
            update = Update.de_json(event, bot)
        except Exception:  # noqa: BLE001 - anything unreadable is the sender's problem: 400
            raise MalformedEvent(event.get("update_id")) from None
        if update is None:
            raise MalformedEvent(event.get("update_id"))
        if not recent.claim(key):
            return False
        bot.insert_callback_data(update)  # as PTB's own webhook handler does
        await application.update_queue.put(update)
        return True

    return WebhookEndpoint("telegram", path, TELEGRAM_SECRET_HEADER, secret, feed, health)


def _telegram_key(event: dict[str, Any]) -> str:
    update_id = event.get("update_id")
    if type(update_id) is not int:
        raise MalformedEvent(update_id if isinstance(update_id, (int, str)) else None)
    return str(update_id)


# -------------------------------------------------------------------------- Zalo


def zalo_endpoint(application: Application, secret: str, health: Health, path: str = "/zalo") -> WebhookEndpoint:
    """Zalo posts events signed with X-Bot-Api-Secret-Token. The Zalo channel reads them
    (wrapped in {"ok":true,"result":…} or bare) and drops a repeat of the same
    event_name + message.message_id (bot/channels/zalo)."""
    from bot.channels.zalo import MalformedEvent as MalformedZaloEvent, feed_event

    async def feed(event: dict[str, Any]) -> bool:
        try:
            return await feed_event(application, event)
        except MalformedZaloEvent as exc:
            raise MalformedEvent(exc.event_id) from None

    return WebhookEndpoint("zalo", path, ZALO_SECRET_HEADER, secret, feed, health)
