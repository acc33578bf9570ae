"""What goes wrong on a real network, on demand: injected error answers and timeouts, and
Telegram's flood limits (429 with retry_after) on the simulator's injectable clock.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.simulator.wire import ApiError

if TYPE_CHECKING:
    from bot.simulator.people import _Chat


@dataclass
class RateLimit:
    """Telegram's flood limits for send-type methods (sliding windows on the sim's clock)."""

    per_second: float = 30.0
    per_minute_per_group: int = 20
    per_second_per_chat: float | None = None


@dataclass
class _Fault:
    """An injected error answer waiting for its method to be called."""

    method: str
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: int | None


@dataclass
class _Timeout:
    """An injected timeout: no answer (after `delay`), the call carried out or not."""

    method: str
    times: int
    chat_id: int | None
    effective: bool
    delay: float




class _RateLimiter:
    """Sliding-window flood control on an injectable clock, like Telegram's 429s."""

    def __init__(self, limits: RateLimit, clock: Callable[[], float]) -> None:
        self.limits = limits
        self._clock = clock
        self._global: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}

    def check(self, chat_id: int, count: int = 1) -> None:
        """Raise 429 (with retry_after) if sending `count` more messages exceeds a limit."""
        now = self._clock()
        self._window(self._global, now, 1.0, self.limits.per_second, count)
        if chat_id < 0:
            self._window(self._chat(chat_id), now, 60.0, self.limits.per_minute_per_group, count)
        elif self.limits.per_second_per_chat is not None:
            self._window(self._chat(chat_id), now, 1.0, self.limits.per_second_per_chat, count)

    def record(self, chat_id: int, count: int = 1) -> None:
        """Count messages that were actually sent."""
        now = self._clock()
        for _ in range(count):
            self._global.append(now)
            self._chat(chat_id).append(now)

    def _chat(self, chat_id: int) -> deque[float]:
        return self._chats.setdefault(chat_id, deque())

    @staticmethod
    def _window(stamps: deque[float], now: float, span: float, limit: float, count: int) -> None:
        """Drop stamps older than `span`; 429 with the wait until the oldest one expires."""
        while stamps and stamps[0] <= now - span:
            stamps.popleft()
        if len(stamps) + count > limit:
            oldest = stamps[0] if stamps else now
            retry = max(1, math.ceil(oldest + span - now))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)



class FaultsMixin:
    """Injected faults and rate limits, consulted by SimulatorState.api before each call."""

    _faults: list[_Fault]
    _timeouts: list[_Timeout]
    _limiter: _RateLimiter | None
    _next_update_id: int

    def inject_fault(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` (optionally only for chat_id) answer this error."""
        fault = _Fault(method.lower(), status, description, retry_after, times, chat_id)
        self._faults.append(fault)

    def inject_timeout(
        self,
        method: str,
        *,
        times: int = 1,
        chat_id: int | None = None,
        effective: bool = False,
        delay: float = 0.0,
    ) -> None:
        """The next `times` calls of `method` (optionally only for chat_id) get no answer.

        After `delay` seconds the connection is closed without a response, as when a
        request times out. effective=True: the call was carried out first (the message was
        sent, the person sees it) and only the answer was lost - the case a bot cannot
        tell from a call that never arrived. Recorded in the call log with status 0.
        """
        self._timeouts.append(_Timeout(method.lower(), times, chat_id, effective, delay))

    def inject_malformed_update(self, raw: dict[str, Any]) -> int:
        """Queue a raw dict as the next update (an update_id is added if missing)."""
        update = dict(raw)
        if not isinstance(update.get("update_id"), int):
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, update["update_id"]) + 1
        return self._push_update(update)

    def _take_timeout(self, method: str, params: dict[str, Any]) -> _Timeout | None:
        """The first injected timeout matching this call, used up by one."""
        chat_id = params.get("chat_id")
        for timeout in self._timeouts:
            if timeout.method == method.lower() and timeout.chat_id in (None, chat_id):
                timeout.times -= 1
                if timeout.times <= 0:
                    self._timeouts.remove(timeout)
                return timeout
        return None

    def _take_fault(self, method: str, params: dict[str, Any]) -> None:
        """Raise the first injected fault matching this call."""
        for fault in self._faults:
            if fault.method == method.lower() and fault.chat_id in (None, params.get("chat_id")):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                raise ApiError(fault.status, fault.description, fault.retry_after)

    def _rate_check(self, chat: _Chat, count: int = 1) -> None:
        """429 before sending when a RateLimit is configured and exceeded."""
        if self._limiter is not None:
            self._limiter.check(chat.id, count)

    def _rate_record(self, chat: _Chat, count: int = 1) -> None:
        """Count only messages that were really sent."""
        if self._limiter is not None:
            self._limiter.record(chat.id, count)
