"""The fake Telegram behind the simulator: people, chats, messages, the update queue and the
Bot API methods, with Telegram's own checks and fault injection.

Pure logic plus asyncio primitives; the HTTP layer lives in :mod:`bot.simulator.server`.
Everything here answers in Telegram's real wire format so that an unmodified
python-telegram-bot ``Application`` cannot tell the difference.

SimulatorState is assembled from one module per concern:

- :mod:`~bot.simulator.wire`: limits, error answers, parameter decoding, markup checks;
- :mod:`~bot.simulator.markup`: entities (HTML, Markdown, commands), UTF-16 lengths;
- :mod:`~bot.simulator.media`: images and the file store;
- :mod:`~bot.simulator.people` and :mod:`~bot.simulator.chats`: people, chats, messages;
- :mod:`~bot.simulator.faults`: injected errors and timeouts, flood limits;
- :mod:`~bot.simulator.registry`, :mod:`~bot.simulator.api_bot`,
  :mod:`~bot.simulator.api_messages`: the Bot API methods, by Telegram's names.

This module keeps the core (the update queue, long polls, waiting, dispatch) and re-exports
the public names, so ``from bot.simulator.state import X`` keeps working.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any

from bot.simulator.api_bot import BotMethods
from bot.simulator.api_messages import MessageMethods
from bot.simulator.chats import ChatsMixin
from bot.simulator.faults import FaultsMixin, RateLimit, _Fault, _RateLimiter, _Timeout
from bot.simulator.markup import (
    EntityParseError,
    command_entities,
    parse_html,
    parse_markdown,
    parse_text,
    utf16_len,
)
from bot.simulator.media import FAKE_OGG, FAKE_WEBP, TINY_PNG, FilesMixin, StoredFile, image_size
from bot.simulator.people import SimGroup, SimMessage, SimUser, _Chat, _Query
from bot.simulator.registry import ApiHandler, api_method, find_method
from bot.simulator.wire import (
    ApiCall,
    ApiError,
    DroppedRequest,
    UploadedFile,
    check_reply_markup,
    normalize_params,
)

__all__ = [
    "FAKE_OGG",
    "FAKE_WEBP",
    "TINY_PNG",
    "ApiCall",
    "ApiError",
    "ApiHandler",
    "DroppedRequest",
    "EntityParseError",
    "RateLimit",
    "SimGroup",
    "SimMessage",
    "SimUser",
    "SimulatorState",
    "StoredFile",
    "UploadedFile",
    "api_method",
    "check_reply_markup",
    "command_entities",
    "image_size",
    "normalize_params",
    "parse_html",
    "parse_markdown",
    "parse_text",
    "utf16_len",
]


class SimulatorState(ChatsMixin, FilesMixin, FaultsMixin, BotMethods, MessageMethods):
    """Telegram's side of the conversation, without the HTTP transport."""

    def __init__(
        self,
        *,
        token: str = "123456:SIMULATED-TOKEN",
        bot_id: int = 123456,
        bot_username: str = "baocao_bot",
        bot_first_name: str = "Báo cáo",
        rate_limit: RateLimit | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], int] = lambda: int(time.time()),
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.rate_limit = rate_limit
        self.rate_limited_count = 0
        self.held_polls = 0
        self.internal_errors: list[Exception] = []
        self.webhook_url = ""
        self.webhook_secret = ""
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.bot_settings: dict[Any, Any] = {}
        self._clock = clock
        self._now = now
        self._limiter = _RateLimiter(rate_limit, clock) if rate_limit else None
        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, SimUser] = {}
        self._groups: dict[int, SimGroup] = {}
        self._bot_messages: list[SimMessage] = []
        self._seq = 0
        self._updates: deque[dict[str, Any]] = deque()
        self._update_seq: dict[int, int] = {}
        self._next_update_id = 1
        self._poll_waiters: set[asyncio.Future[None]] = set()
        self._poll_generation = 0
        self._closed = False
        self._files: dict[str, StoredFile] = {}
        self._paths: dict[str, StoredFile] = {}
        self._queries: dict[str, _Query] = {}
        self._counters: dict[str, int] = {"file": 0, "query": 0, "album": 0}
        self._faults: list[_Fault] = []
        self._timeouts: list[_Timeout] = []
        self._calls: list[ApiCall] = []
        self._conds: dict[Hashable, asyncio.Condition] = {}

    # ----------------------------------------------------------------- what the bot did

    def call_log(self) -> list[ApiCall]:
        """Every Bot API call received, in completion order."""
        return list(self._calls)

    def calls(self, method: str) -> list[ApiCall]:
        """Calls of one method (case-insensitive)."""
        return [c for c in self._calls if c.method.lower() == method.lower()]

    @property
    def pending_updates(self) -> int:
        """Updates queued but not yet confirmed by the bot."""
        return len(self._updates)

    def take_updates(self) -> list[dict[str, Any]]:
        """The queued updates, removed from the queue: what Telegram POSTs to a webhook."""
        taken = list(self._updates)
        self._updates.clear()
        return taken

    # ------------------------------------------------------------------------ waiting

    async def wait_until(self, key: Hashable, ready: Callable[[], bool], timeout: float) -> None:
        """Wait on the condition `key` until ready() holds; TimeoutError otherwise (no polling)."""
        cond = self._conds.setdefault(key, asyncio.Condition())
        async with cond:
            async with asyncio.timeout(timeout):
                await cond.wait_for(ready)

    async def wait_for_long_poll(self, timeout: float = 5.0) -> None:
        """Wait until a getUpdates request is being held open (the bot is idle and listening)."""
        await self.wait_until("polls", lambda: self.held_polls > 0, timeout)

    async def wait_for_calls(self, count: int, timeout: float = 5.0) -> None:
        """Wait until the call log holds at least `count` calls (TimeoutError otherwise)."""
        await self.wait_until("calls", lambda: len(self._calls) >= count, timeout)

    async def _notify(self, key: Hashable) -> None:
        """Wake whoever waits on `key` (only if someone ever waited)."""
        cond = self._conds.get(key)
        if cond is not None:
            async with cond:
                cond.notify_all()

    # ---------------------------------------------------------------------- dispatch

    async def api(
        self, token: str, method: str, raw_params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API request: (HTTP status, JSON body). Used by the HTTP server.

        Raises DroppedRequest when an injected timeout says the request gets no answer.
        """
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        entry = find_method(method)
        if entry is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        name, handler = entry
        received, params, timeout = self._clock(), raw_params, None
        status, body = 0, {}
        try:
            params = normalize_params(raw_params)
            timeout = self._take_timeout(name, params)
            if timeout is not None and not timeout.effective:
                raise DroppedRequest(name)
            self._take_fault(name, params)
            status, body = 200, {"ok": True, "result": await handler(self, params)}
        except DroppedRequest:
            pass  # answered below: nothing at all
        except ApiError as err:
            status, body = err.status, err.payload()
        except Exception as err:  # a simulator bug or unmodelled input: answer, keep serving
            self.internal_errors.append(err)
            description = f"Internal Server Error: {err!r}"
            status, body = 500, {"ok": False, "error_code": 500, "description": description}
        if timeout is not None:
            self._calls.append(ApiCall(name, params, 0, received, None))
            await self._notify("calls")
            if timeout.delay > 0:
                await asyncio.sleep(timeout.delay)  # the network holds the request this long
            raise DroppedRequest(name)
        self.rate_limited_count += int(status == 429)
        self._calls.append(ApiCall(name, params, status, received, body))
        await self._notify("calls")
        return status, body

    def release_polls(self) -> None:
        """Mark the simulator closed and answer pending long polls with [] right away."""
        self._closed = True
        self._wake_polls()

    def reopen(self) -> None:
        """Accept long polls again after release_polls (the server was restarted)."""
        self._closed = False

    # ------------------------------------------------------------------- updates

    def seq_of_update(self, update_id: int) -> int:
        """The global message seq at the moment an update was queued."""
        return self._update_seq.get(update_id, self._seq)

    def _push_update(self, update: dict[str, Any]) -> int:
        """Append to the queue and wake long polls."""
        self._updates.append(update)
        self._update_seq[update["update_id"]] = self._seq
        self._wake_polls()
        return int(update["update_id"])

    def _wake_polls(self) -> None:
        """Resolve every waiting long poll's future; each re-checks its own condition."""
        for waiter in self._poll_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._poll_waiters.clear()

    async def _queue(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an Update of `kind` and wake long polls."""
        update_id = self._next_update_id
        self._next_update_id += 1
        return self._push_update({"update_id": update_id, kind: payload})

    def _confirm(self, offset: int) -> None:
        """Telegram forgets updates below offset (negative: keep only the last -offset)."""
        if offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
        elif offset > 0 and self._updates and self._updates[0]["update_id"] < offset:
            self._updates = deque(u for u in self._updates if u["update_id"] >= offset)

    async def _hold_poll(self, generation: int, timeout: float) -> None:
        """Wait for an update, closure or a newer poll - on futures, never by sleeping."""
        loop = asyncio.get_running_loop()
        self.held_polls += 1
        await self._notify("polls")
        try:
            async with asyncio.timeout(timeout):
                while not (self._updates or self._closed or self._poll_generation != generation):
                    waiter: asyncio.Future[None] = loop.create_future()
                    self._poll_waiters.add(waiter)
                    await waiter
        except TimeoutError:
            pass
        finally:
            self.held_polls -= 1

    def _next(self, counter: str) -> int:
        self._counters[counter] += 1
        return self._counters[counter]

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq
