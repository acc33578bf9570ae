"""The Zalo side of the simulator: a fake Zalo Bot Platform with the platform's own shapes.

What makes Zalo different from Telegram, and what the channel code must survive, is
modelled here (see ../shared/ZALO.md): ``POST {base}{token}/{method}`` with a JSON body;
answers ``{ok, result}`` or ``{ok: false, error_code, description}``; string ids and
millisecond dates; ``getUpdates`` hands out ONE event per call, has no offset, and
answers an empty poll with ``error_code: 408``; texts of 1–2,000 characters; photos sent
by URL; no buttons, no edits; group messages delivered only when they mention the bot;
and, once ``setWebhook`` is set, every event POSTed to the webhook with the
``X-Bot-Api-Secret-Token`` header instead of being queued for polling.

It is served by the same HTTP server as the Telegram side (``bot/simulator/server.py``)
under ``/zalo/``, so one simulator can play both messengers of one cadre.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.simulator.zalo_people import (  # noqa: F401 (re-exported)
    IMAGE,
    STICKER,
    TEXT,
    UNSUPPORTED,
    VOICE,
    ZaloSimGroup,
    ZaloSimMessage,
    ZaloSimUser,
)

MAX_TEXT = 2000
EMPTY_POLL = {"ok": False, "error_code": 408, "description": "Request timeout"}
SECRET_HEADER = "X-Bot-Api-Secret-Token"
class ZaloError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description

    def payload(self) -> dict[str, Any]:
        return {"ok": False, "error_code": self.code, "description": self.description}


@dataclass
class ZaloCall:
    method: str
    params: dict[str, Any]
    status: int
    body: dict[str, Any]
    time: float = 0.0  # on the simulator's ``clock``


@dataclass
class ZaloRateLimit:
    """Zalo publishes no rate limit, but answers 429 "quota exceeded" past one
    (../shared/ZALO.md). Tests and benchmarks set one like Telegram's: at most
    ``per_second`` sends in any second (a sliding window on the simulator's clock)."""

    per_second: float


_SENDS = {"sendMessage", "sendPhoto", "sendSticker"}


@dataclass
class ZaloSimulator:
    """The platform's state. ``root`` (http://host:port) is set by the HTTP server."""

    token: str = "zalo-sim-token"
    bot_id: str = "2750001112223334445"
    bot_name: str = "Báo cáo"
    now_ms: Callable[[], int] = field(default=lambda: int(time.time() * 1000))
    root: str = "http://127.0.0.1:0"
    blocked: set[str] = field(default_factory=set)
    webhook_url: str = ""
    webhook_secret: str = ""
    calls: list[ZaloCall] = field(default_factory=list)
    last_event: dict[str, Any] | None = None
    deliveries: list[int] = field(default_factory=list)  # webhook answers' HTTP statuses
    rate_limit: ZaloRateLimit | None = None
    clock: Callable[[], float] = time.monotonic  # for the rate limit: a test's ManualClock
    rate_limited_count: int = 0  # 429s answered

    def __post_init__(self) -> None:
        self._users: dict[str, ZaloSimUser] = {}
        self._groups: dict[str, ZaloSimGroup] = {}
        self._sent: list[ZaloSimMessage] = []
        self._events: deque[dict[str, Any]] = deque()
        self._images: dict[str, bytes] = {}
        self._counter = itertools.count(1)
        self._changed = asyncio.Event()
        self._closed = False
        self._client: httpx.AsyncClient | None = None
        self._sends: deque[float] = deque()  # the times of the sends of the last second

    # ------------------------------------------------------------------ people

    @property
    def base_url(self) -> str:
        """BAOCAO_ZALO_API_URL for the bot: the token and the method are appended."""
        return f"{self.root}/zalo/bot"

    def user(self, user_id: str, name: str = "Người dùng Zalo") -> ZaloSimUser:
        if user_id not in self._users:
            self._users[user_id] = ZaloSimUser(self, user_id, name)
        return self._users[user_id]

    def group(self, group_id: str, title: str) -> ZaloSimGroup:
        if group_id not in self._groups:
            self._groups[group_id] = ZaloSimGroup(self, group_id, title)
        return self._groups[group_id]

    def sent_to(self, chat_id: str) -> list[ZaloSimMessage]:
        return [m for m in self._sent if m.chat_id == chat_id]

    @property
    def sent(self) -> list[ZaloSimMessage]:
        return list(self._sent)

    def calls_of(self, method: str) -> list[ZaloCall]:
        return [c for c in self.calls if c.method == method]

    def host_image(self, data: bytes) -> str:
        """Keeps the bytes and returns the URL the bot downloads them from."""
        name = f"img-{next(self._counter)}.png"
        self._images[name] = data
        return f"{self.root}/zalo/img/{name}"

    def image(self, name: str) -> bytes | None:
        return self._images.get(name)

    # ------------------------------------------------------------------ events

    async def user_event(
        self, name: str, sender: dict[str, Any], chat: dict[str, Any], extra: dict[str, Any]
    ) -> str:
        """A person acts: the event is queued for polling, or POSTed to the webhook."""
        message_id = f"zm{next(self._counter)}"
        message = {"message_id": message_id, "date": self.now_ms(), "from": sender, "chat": chat, **extra}
        event = {"event_name": name, "message": message}
        self.last_event = event
        if self.webhook_url:
            await self.deliver(event)
        else:
            self._events.append(event)
            self._wake()
        return message_id

    async def deliver(self, event: dict[str, Any]) -> int:
        """POSTs one event to the webhook with the secret header; returns the HTTP status.

        Also the way to redeliver an event (Zalo may deliver the same one twice).
        """
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=10.0)
        headers = {SECRET_HEADER: self.webhook_secret}
        response = await self._client.post(self.webhook_url, json=event, headers=headers)
        self.deliveries.append(response.status_code)
        return response.status_code

    def inject_event(self, raw: object) -> None:
        """Queues anything as the next polled event (a malformed one, a repeat)."""
        self._events.append(raw)  # type: ignore[arg-type]
        self._wake()

    def set_webhook(self, url: str, secret: str) -> None:
        self.webhook_url, self.webhook_secret = url, secret

    def pending_events(self) -> int:
        return len(self._events)

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def release_polls(self) -> None:
        self._closed = True
        self._wake()

    def reopen(self) -> None:
        self._closed = False

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def wait_for_message(self, chat_id: str, after: int = 0, timeout: float = 5.0) -> ZaloSimMessage:
        """The first bot message to ``chat_id`` with a seq above ``after``."""
        async with asyncio.timeout(timeout):
            while True:
                for message in self.sent_to(chat_id):
                    if message.seq > after:
                        return message
                await self._changed.wait()

    # ------------------------------------------------------------------ the API

    async def api(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """One call: (HTTP status, JSON body). Zalo answers errors with 200 and ok: false."""
        if token != self.token:
            status, body = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        elif (handler := _METHODS.get(method)) is None:
            status, body = 404, {"ok": False, "error_code": 404, "description": "Method not found"}
        else:
            try:
                if method in _SENDS:
                    self._check_quota()
                status, body = 200, {"ok": True, "result": await handler(self, params)}
            except ZaloError as err:
                status, body = 200, err.payload()
                self.rate_limited_count += int(err.code == 429)
        if method != "getUpdates":
            self.calls.append(ZaloCall(method, params, status, body, self.clock()))
        return status, body

    def _check_quota(self) -> None:
        """429 past the rate limit; an accepted send counts (a refused one does not)."""
        if self.rate_limit is None:
            return
        now = self.clock()
        while self._sends and self._sends[0] <= now - 1.0:
            self._sends.popleft()
        if len(self._sends) >= self.rate_limit.per_second:
            raise ZaloError(429, "Quota exceeded")
        self._sends.append(now)

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": self.bot_id, "account_name": self.bot_name, "account_type": "BASIC"}

    async def _get_updates(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.webhook_url:
            raise ZaloError(409, "Conflict: webhook is active")
        try:
            timeout = float(params.get("timeout", 30))
        except (TypeError, ValueError):
            raise ZaloError(400, "Bad Request: timeout must be a number") from None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while not self._events and not self._closed:
                    await self._changed.wait()
        if not self._events:
            raise ZaloError(408, "Request timeout")
        return self._events.popleft()

    async def _set_webhook(self, params: dict[str, Any]) -> dict[str, Any]:
        url, secret = str(params.get("url", "")), str(params.get("secret_token", ""))
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ZaloError(400, "Bad Request: webhook url must be https")
        if not 8 <= len(secret) <= 256:
            raise ZaloError(400, "Bad Request: secret_token must be 8-256 characters")
        self.set_webhook(url, secret)
        return {"url": url, "updated_at": self.now_ms()}

    async def _delete_webhook(self, params: dict[str, Any]) -> dict[str, Any]:
        self.set_webhook("", "")
        return {"url": "", "updated_at": self.now_ms()}

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook_url, "updated_at": self.now_ms()}

    def _chat(self, params: dict[str, Any]) -> str:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, str) or not chat_id:
            raise ZaloError(400, "Bad Request: chat_id is required")
        if chat_id in self.blocked:
            raise ZaloError(403, "Forbidden: the user has blocked the bot")
        if chat_id not in self._users and chat_id not in self._groups:
            raise ZaloError(404, "Not Found: user or chat not found")
        return chat_id

    def _record(self, chat_id: str, **fields: Any) -> dict[str, Any]:
        message = ZaloSimMessage(next(self._counter), chat_id, f"bm{next(self._counter)}", **fields)
        self._sent.append(message)
        self._wake()
        return {"message_id": message.message_id, "date": self.now_ms()}

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat(params)
        text = params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            raise ZaloError(400, f"Bad Request: text must be 1-{MAX_TEXT} characters")
        return self._record(chat_id, text=text)

    async def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat(params)
        photo, caption = params.get("photo"), params.get("caption")
        if not isinstance(photo, str) or not photo.startswith(("http://", "https://")):
            raise ZaloError(400, "Bad Request: photo must be a URL")
        if caption is not None and len(str(caption)) > MAX_TEXT:
            raise ZaloError(400, f"Bad Request: caption must be at most {MAX_TEXT} characters")
        return self._record(chat_id, photo_url=photo, caption=caption)

    async def _send_sticker(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._record(self._chat(params), text=f"[sticker {params.get('sticker')}]")

    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._chat(params)
        return True


_METHODS: dict[str, Callable[[ZaloSimulator, dict[str, Any]], Any]] = {
    "getMe": ZaloSimulator._get_me,
    "getUpdates": ZaloSimulator._get_updates,
    "setWebhook": ZaloSimulator._set_webhook,
    "deleteWebhook": ZaloSimulator._delete_webhook,
    "getWebhookInfo": ZaloSimulator._get_webhook_info,
    "sendMessage": ZaloSimulator._send_message,
    "sendPhoto": ZaloSimulator._send_photo,
    "sendSticker": ZaloSimulator._send_sticker,
    "sendChatAction": ZaloSimulator._send_chat_action,
}
