"""Sending within Telegram's limits, and telling what a failed send means.

Telegram allows about 30 messages a second overall and 20 a minute into one group; past
that it answers 429 (``RetryAfter``). ``Throttle`` keeps under both itself (so the bot
behaves the same with or without PTB's AIORateLimiter) and, after a 429, holds every
sender for the time Telegram asked. ``deliver`` sends one message and sorts the outcome:

- sent;
- unreachable: 403, the person blocked the bot or never opened it (or the bot left the
  group) — trying again will not help;
- failed: certainly not delivered (a 400, or an error that persisted through the
  retries) — a later sweep may try again;
- uncertain: the request reached Telegram but its answer was lost (a read timeout, a
  dropped connection), so it may have been delivered. Telegram has no idempotency key,
  so sending again could duplicate it: the caller keeps it at most once.

Waiting goes through an injectable ``sleep`` and time through the bot's clock, so tests
move a ManualClock instead of sleeping.
"""

from __future__ import annotations

import asyncio
import warnings
from bisect import bisect_left, bisect_right, insort
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from domain.clock import Clock

Sleep = Callable[[float], Awaitable[None]]

# Telegram's limits are 30 a second and 20 a minute into a group. The throttle tracks 30 a
# second closely with two rules. A token bucket refilled at the limit less a margin spaces
# the sends evenly and holds BURST tokens, so that a sender who fell behind (the event
# loop was busy building the previous request) catches up a few sends at once instead of
# losing that time for good: with one token every late turn was lost, and 10,000
# reminders took 1.13 x the floor. A sliding window then caps any one second at
# int(per_second) sends, counting each send where it reached Telegram (Throttle's
# docstring), so neither a burst nor a send held on its way makes a second Telegram
# would refuse. Counting sends at their turns instead, a loaded machine (the bot or
# Telegram's side late by 50 ms) made seconds of 121 at a limit of 120, and each 429
# holds every sender for a second (PTB's AIORateLimiter). The 3% margin leaves room for
# the clocks: 10,000 reminders at x4 the limit gave no 429 (bench/fanout.py).
TELEGRAM_PER_SECOND = 30
MARGIN = 0.03
PER_SECOND = TELEGRAM_PER_SECOND * (1 - MARGIN)
BURST = 8  # tokens the bucket holds: sends a late sender may make at once to catch up (one per worker)
# A token short by less than this is a whole one: clocks move in microseconds, and a
# wait shorter than one would never end on a clock that cannot show it.
_ALMOST_ONE = 1 - 1e-3
_NO_WAIT = 1e-6  # seconds: a shorter wait is none (float sums never quite meet a window's edge)
PER_GROUP_MINUTE = 19
TRANSIENT_ATTEMPTS = 3  # tries of one message on a flaky network, within one sweep
BACKOFF_SECONDS = 2.0  # 2 s, then 4 s between those tries
FLOOD_RETRIES = 5  # 429s accepted for one message before it counts as failed

# httpx errors raised after the request was (or may have been) sent: the answer was lost.
_ANSWER_LOST = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


class Outcome(StrEnum):
    SENT = "sent"
    UNREACHABLE = "unreachable"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    MIGRATED = "migrated"  # a group became a supergroup: new_chat_id says where it went


_CLAIM_STATUS = {Outcome.SENT: "sent", Outcome.UNREACHABLE: "unreachable", Outcome.UNCERTAIN: "claimed"}


def claim_status(outcome: Outcome) -> str:
    """What a claimed row becomes after its delivery. An uncertain send (the answer was
    lost) stays 'claimed', so no later sweep sends it again: a lost reminder is better
    than a doubled one. Anything else that did not arrive is 'failed', to be retried."""
    return _CLAIM_STATUS.get(outcome, "failed")


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: Outcome
    result: Any = None
    error: str | None = None
    new_chat_id: int | None = None


class Throttle:
    """At most ``per_second`` sends a second on average (a token bucket of ``burst``
    tokens), never more than ``int(per_second)`` in any one second (a sliding window),
    and PER_GROUP_MINUTE a minute into one group (a sliding window per group).

    Where a send is in the window: from its turn, and once ``deliver`` has sent it, from
    when it reached Telegram at the latest (its answer, less half the quickest round
    trip seen); while it is on its way it counts as sent now. So a send held between
    its turn and Telegram (the event loop busy, PTB's limiter pausing after a 429, a
    slow network) counts in the second it arrives, not in the second of its turn, and
    no second as Telegram counts it ever holds more than the window allows.
    """

    def __init__(
        self,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        *,
        per_second: float = PER_SECOND,
        per_group_minute: int = PER_GROUP_MINUTE,
        burst: int = BURST,
    ) -> None:
        self._clock = clock
        self.sleep = sleep
        self._per_second = per_second
        self._per_group_minute = per_group_minute
        self._burst = burst
        self._tokens = 1.0  # the burst is for catching up, not for starting
        self._filled_at: float | None = None
        self._in_a_second = max(1, int(per_second))
        self._recent: list[float] = []  # the times of the sends of the last second, in order
        self._flying = 0  # sends on their way: they count as sent now
        self._round_trip: float | None = None  # the quickest send seen, turn to answer
        self._groups: dict[int, deque[float]] = {}
        self._hold_until = 0.0
        self._latest = 0.0

    def _now(self) -> float:
        """The clock's time, never less than the time already seen: a clock set back
        cannot make a send count twice, and a clock that does not move while we sleep
        (a pinned one) still lets tokens refill, since ``turn`` counts such waits here."""
        self._latest = max(self._latest, self._clock.now().timestamp())
        return self._latest

    def hold(self, seconds: float) -> None:
        """Telegram said 'retry after': nobody sends until then."""
        self._hold_until = max(self._hold_until, self._now() + seconds)

    def _refill(self, now: float) -> None:
        if self._filled_at is not None:
            self._tokens = min(self._burst, self._tokens + (now - self._filled_at) * self._per_second)
        self._filled_at = now

    def _window(self, now: float) -> float:
        """How long until the last second (sends on their way included) has room for one more."""
        recent = self._recent
        del recent[: bisect_right(recent, now - 1.0)]
        over = len(recent) + self._flying - self._in_a_second  # >= 0: full
        if over < 0:
            return 0.0
        return recent[over] + 1.0 - now if over < len(recent) else 1.0 / self._per_second

    def _delay(self, chat_id: int, now: float) -> float:
        """How long until one more send keeps within every limit (0: now)."""
        return max(
            self._hold_until - now,
            (1 - self._tokens) / self._per_second if self._tokens < _ALMOST_ONE else 0.0,
            self._window(now),
            _window_delay(self._groups.setdefault(chat_id, deque()), now, 60.0, self._per_group_minute)
            if chat_id < 0
            else 0.0,
        )

    def took_off(self, turn: float) -> None:
        """The send of the turn taken at ``turn`` is on its way: it counts as sent now until it lands."""
        at = bisect_left(self._recent, turn)
        if at < len(self._recent) and self._recent[at] == turn:
            del self._recent[at]
        self._flying += 1

    def landed(self, turn: float) -> None:
        """That send was answered: it reached Telegram by now, less half a round trip."""
        now = self._now()
        self._flying -= 1
        quickest = now - turn if self._round_trip is None else min(self._round_trip, now - turn)
        self._round_trip = quickest
        insort(self._recent, max(turn, now - quickest / 2))

    async def turn(self, chat_id: int) -> float:
        """Waits until one more message to ``chat_id`` keeps within the limits, and counts
        it; returns the turn's time, for ``deliver`` to say when the send left and landed."""
        while True:
            now = self._now()
            self._refill(now)
            delay = self._delay(chat_id, now)
            if delay <= _NO_WAIT:
                self._tokens -= 1
                self._recent.append(now)
                if chat_id < 0:
                    self._groups[chat_id].append(now)
                return now
            before = self._clock.now().timestamp()
            await self.sleep(delay)
            if self._clock.now().timestamp() <= before:  # a pinned clock: the wait counts all the same
                self._latest = max(self._latest, now + delay)


def _window_delay(stamps: deque[float], now: float, span: float, limit: int) -> float:
    """How long until a sliding window of ``span`` seconds has room for one more."""
    while stamps and stamps[0] <= now - span:
        stamps.popleft()
    return stamps[0] + span - now if len(stamps) >= limit else 0.0


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int form is going away
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def answer_lost(error: NetworkError) -> bool:
    """Whether Telegram may have acted on the request even though we got no answer."""
    return isinstance(error.__cause__, _ANSWER_LOST)


def describe(error: TelegramError) -> str:
    """The error for the log table: its kind and Telegram's words, no message text."""
    return f"{type(error).__name__}: {error.message}"[:300]


async def deliver(
    throttle: Throttle, chat_id: int, send: Callable[[], Awaitable[Any]], *, turn_taken: bool | float = False
) -> Delivery:
    """Sends once, honouring 429s and retrying transient errors with backoff.

    ``turn_taken``: the caller already waited for its turn (to decide after the wait
    whether to send at all); the turn's time (what ``Throttle.turn`` returned) lets the
    throttle count the send where it lands.
    """
    transient = floods = 0
    while True:
        turn = await throttle.turn(chat_id) if turn_taken is False else turn_taken
        turn_taken = False
        if isinstance(turn, float):
            throttle.took_off(turn)
        try:
            return Delivery(Outcome.SENT, await send())
        except RetryAfter as error:
            floods += 1
            if floods > FLOOD_RETRIES:
                return Delivery(Outcome.FAILED, error=describe(error))
            throttle.hold(retry_after_seconds(error))
        except Forbidden as error:
            return Delivery(Outcome.UNREACHABLE, error=describe(error))
        except ChatMigrated as error:
            return Delivery(Outcome.MIGRATED, error=describe(error), new_chat_id=error.new_chat_id)
        except BadRequest as error:
            return Delivery(Outcome.FAILED, error=describe(error))
        except NetworkError as error:  # TimedOut included
            if answer_lost(error):
                return Delivery(Outcome.UNCERTAIN, error=describe(error))
            transient += 1
            if transient >= TRANSIENT_ATTEMPTS:
                return Delivery(Outcome.FAILED, error=describe(error))
            await throttle.sleep(BACKOFF_SECONDS * 2 ** (transient - 1))
        except TelegramError as error:  # an invalid token, a conflict: not ours to retry
            return Delivery(Outcome.FAILED, error=describe(error))
        finally:
            if isinstance(turn, float):
                throttle.landed(turn)
