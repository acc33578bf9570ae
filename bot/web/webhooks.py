"""Webhook deliveries: checked, parsed, de-duplicated and queued for the Application.

Each messenger POSTs an event to its own path with a secret header it was given at
``setWebhook``. What is not signed with that secret gets 401 and nothing else: no body
that would tell a prober what runs here. A delivery is confirmed (200) only once its
update is on the Application's queue, so the platform retries anything not taken.

A platform that did not see our 200 in time delivers the same event again. A repeat
seen by this process is dropped here, before it is queued; one that arrives after a
restart is dropped by the handlers' ``processed_updates`` record (handlers/updates.py),
which also covers a repeat polled rather than posted.
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


ToUpdate = Callable[[dict[str, Any]], Awaitable[Update | None]]


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
    """One channel's webhook: where it is posted, how it is signed and read."""

    channel: str
    path: str
    secret_header: str
    secret: str
    application: Application
    to_update: ToUpdate  # a checked event (unwrapped) -> Update, or None: nothing to handle
    event_key: Callable[[dict[str, Any]], str]  # raises MalformedEvent
    health: Health
    recent: RecentKeys = field(default_factory=RecentKeys)

    async def handle(self, request: Request) -> Response:
        if not self._signed(request):
            return Response(401)
        if request.method != "POST":
            return Response(405, headers={"allow": "POST"})
        try:
            event = _json_object(request.body)
            key = self.event_key(event)
        except MalformedEvent as exc:
            log.warning("%s webhook: malformed delivery (id %s, %d bytes)", self.channel, exc.event_id, len(request.body))
            return Response(400)
        if not self.recent.claim(key):
            log.info("%s webhook: event %s delivered again; dropped", self.channel, key)
            self.health.touch(self.channel)
            return Response(200)
        try:
            update = await self.to_update(event)
        except MalformedEvent as exc:
            self.recent.release(key)
            log.warning("%s webhook: malformed event (id %s)", self.channel, exc.event_id or key)
            return Response(400)
        except BaseException:
            self.recent.release(key)
            raise
        if update is not None:
            await self.application.update_queue.put(update)
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

    async def to_update(event: dict[str, Any]) -> Update:
        try:
            update = Update.de_json(event, bot)
        except Exception:  # noqa: BLE001 - anything unreadable is the sender's problem: 400
            raise MalformedEvent(event.get("update_id")) from None
        if update is None:
            raise MalformedEvent(event.get("update_id"))
        bot.insert_callback_data(update)  # as PTB's own webhook handler does
        return update

    return WebhookEndpoint("telegram", path, TELEGRAM_SECRET_HEADER, secret, application,
                           to_update, _telegram_key, health)  # fmt: skip


def _telegram_key(event: dict[str, Any]) -> str:
    update_id = event.get("update_id")
    if type(update_id) is not int:
        raise MalformedEvent(update_id if isinstance(update_id, (int, str)) else None)
    return str(update_id)


# -------------------------------------------------------------------------- Zalo


def unwrap_zalo(event: dict[str, Any]) -> dict[str, Any]:
    """Zalo's documentation wraps events as {"ok": true, "result": {...}}; production
    deliveries come bare. Both are accepted."""
    result = event.get("result")
    if "event_name" not in event and isinstance(result, dict):
        return result
    return event


def zalo_key(event: dict[str, Any]) -> str:
    """A repeat is the same event_name with the same message.message_id."""
    event = unwrap_zalo(event)
    name = event.get("event_name")
    message = event.get("message")
    message_id = message.get("message_id") if isinstance(message, dict) else None
    if not isinstance(name, str) or not isinstance(message_id, (str, int)) or isinstance(message_id, bool):
        raise MalformedEvent(message_id if isinstance(message_id, (str, int)) else None)
    return f"{name}:{message_id}"


def zalo_endpoint(application: Application, secret: str, health: Health, to_update: ToUpdate,
                  path: str = "/zalo") -> WebhookEndpoint:  # fmt: skip
    """Zalo posts events signed with X-Bot-Api-Secret-Token; ``to_update`` is the Zalo
    channel's translation of one (unwrapped) event into a Telegram Update."""

    async def unwrapped(event: dict[str, Any]) -> Update | None:
        return await to_update(unwrap_zalo(event))

    return WebhookEndpoint("zalo", path, ZALO_SECRET_HEADER, secret, application, unwrapped, zalo_key, health)
