"""The sending throttle (scheduler/sending.py) on a ManualClock: a token bucket with a
small burst, so that a sender who fell behind catches up, and a sliding window, so that
the burst never makes a second with more sends than the limit. The clock moves only when
the throttle sleeps or a sender dawdles; nothing here waits for real time."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.clock import VIETNAM, ManualClock
from scheduler.sending import BURST, PER_SECOND, TELEGRAM_PER_SECOND, Throttle, deliver

START = datetime(2026, 12, 2, 9, 0, tzinfo=VIETNAM)


class Sleeper:
    """asyncio.sleep on the ManualClock: moves it instead of waiting, and counts the waits."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock, self.waits = clock, 0

    async def __call__(self, seconds: float) -> None:
        self.waits += 1
        self.clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)


def most_in_one_second(stamps: list[float]) -> int:
    """The most sends in any window (t - 1 s, t], as Telegram (and the simulator) count them."""
    most, first = 0, 0
    for last, stamp in enumerate(stamps):
        while stamps[first] <= stamp - 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


async def send_with_delays(per_second: float, late: list[float]) -> list[float]:
    """Sends one message per entry of ``late``, the sender dawdling that long (the event
    loop busy elsewhere) before asking for its turn; the moments the sends went."""
    clock = ManualClock(START)
    throttle = Throttle(clock, Sleeper(clock), per_second=per_second)
    stamps = []
    for n, dawdle in enumerate(late):
        clock.advance(timedelta(seconds=dawdle))
        await throttle.turn(n + 1)
        stamps.append(clock.now().timestamp())
    return stamps


@settings(max_examples=60, deadline=None)
@given(
    late=st.lists(st.sampled_from([0.0, 0.0, 0.0, 0.001, 0.004, 0.02, 0.05, 0.3, 1.5]), min_size=40, max_size=300),
    factor=st.sampled_from([1, 4]),
)
def test_no_second_ever_holds_more_sends_than_the_limit(late: list[float], factor: int) -> None:
    """However late the senders come (bursts after a stall included), no window of one
    second holds more than int(per_second) sends: under Telegram's 30 (×4 in the benchmark)."""
    stamps = asyncio.run(send_with_delays(PER_SECOND * factor, late))
    assert most_in_one_second(stamps) <= int(PER_SECOND * factor) < TELEGRAM_PER_SECOND * factor


async def test_a_sender_that_fell_behind_catches_up_with_a_short_burst() -> None:
    """After a stall the bucket holds BURST tokens: that many go at once, then the pace
    is even again. With one token, the time of every late turn was lost for good."""
    clock = ManualClock(START)
    sleeper = Sleeper(clock)
    throttle = Throttle(clock, sleeper, per_second=PER_SECOND)
    for chat in range(60):  # the bucket is empty and the pace even
        await throttle.turn(chat + 1)
    clock.advance(timedelta(seconds=0.5))  # the sender was busy for half a second
    waits = sleeper.waits
    for chat in range(BURST):
        await throttle.turn(100 + chat)
    assert sleeper.waits == waits  # BURST sends without a wait
    await throttle.turn(200)
    assert sleeper.waits == waits + 1  # and the next one waits for its token


async def test_the_throttle_keeps_its_average_rate_over_many_sends() -> None:
    """Prompt senders get the window's int(PER_SECOND) a second, not less."""
    stamps = await send_with_delays(PER_SECOND, [0.0] * 291)
    took = stamps[-1] - stamps[0]
    assert (291 - BURST) / PER_SECOND - 0.01 <= took <= 291 / int(PER_SECOND)


async def test_a_clock_set_back_does_not_let_a_second_burst_through() -> None:
    """A test (or an operator) moving the clock back must not make old sends look far
    away: the throttle's time never goes backwards."""
    clock = ManualClock(START)
    sleeper = Sleeper(clock)
    throttle = Throttle(clock, sleeper, per_second=PER_SECOND)
    for chat in range(int(PER_SECOND)):
        await throttle.turn(chat + 1)
    clock.set(START - timedelta(hours=1))
    waits = sleeper.waits
    await throttle.turn(99)
    assert sleeper.waits > waits


async def test_sends_held_back_by_a_pause_count_in_the_second_they_land() -> None:
    """PTB's rate limiter holds every request for a second after a 429. The sends that
    took their turns before the pause reach Telegram after it, in the same second as the
    next turns: they count there too, or the next second is over the limit (and the next
    429 makes the next pause)."""
    clock = ManualClock(START)
    throttle = Throttle(clock, Sleeper(clock), per_second=PER_SECOND)
    release, waiting, landed = asyncio.Event(), [], []

    async def answered() -> None:  # the link's usual round trip: none on this clock
        landed.append(clock.now().timestamp())

    for chat in range(3):
        await deliver(throttle, 50 + chat, answered)

    async def held() -> None:
        waiting.append(1)
        await release.wait()
        landed.append(clock.now().timestamp())

    tasks = [asyncio.create_task(deliver(throttle, n + 1, held)) for n in range(8)]
    while len(waiting) < len(tasks):
        await asyncio.sleep(0)
    clock.advance(timedelta(seconds=1.1))  # the pause
    release.set()
    assert all(d.outcome == "sent" for d in await asyncio.gather(*tasks))
    after = []
    for chat in range(60):
        await throttle.turn(100 + chat)
        after.append(clock.now().timestamp())
    assert most_in_one_second(sorted(landed + after)) <= int(PER_SECOND)


def test_a_claim_becomes_what_its_delivery_says_and_an_uncertain_send_stays_claimed() -> None:
    """An answer lost on the way must never be retried (it may have arrived): 'claimed'."""
    from scheduler.sending import Outcome, claim_status

    assert claim_status(Outcome.SENT) == "sent"
    assert claim_status(Outcome.UNREACHABLE) == "unreachable"
    assert claim_status(Outcome.UNCERTAIN) == "claimed"
    assert claim_status(Outcome.FAILED) == "failed"
    assert claim_status(Outcome.MIGRATED) == "failed"
