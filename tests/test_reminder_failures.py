"""Visit reminders when sending fails: a blocked bot, a 429, transient errors and a lost
answer; the real Application on the simulator, sleeping replaced by moving the clock."""

from __future__ import annotations

from datetime import timedelta

import httpx
from telegram.error import NetworkError, TimedOut

from domain.clock import ManualClock, utc_stamp
from bot.harness import Harness
from scheduler.sending import answer_lost
from storage import reminders as log_store
from tests.conftest import CADRE_CODE, CADRE_TG
from tests.test_reminders import BEFORE_30, Q4, Q4_START, ClockSleep, app_db, sweep


async def test_blocked_bot_marks_the_cadre_unreachable_and_the_summary_shows_it(
    harness: Harness, clock: ManualClock
) -> None:
    db = app_db(harness)
    harness.simulator.user(CADRE_TG, "Hùng").block()
    clock.set(Q4_START)
    result = await sweep(harness, clock)
    assert (result.sent, result.unreachable) == (0, 1)
    cadre_row = await db.fetchone("SELECT unreachable_since FROM cadres WHERE code = ?", (CADRE_CODE,))
    assert cadre_row is not None and cadre_row["unreachable_since"] == utc_stamp(Q4_START)
    assert await log_store.status_counts(db, Q4.key) == {"unreachable": 2}
    assert (await sweep(harness, clock)).unreachable == 0  # not tried again for this slot

    admin = harness.simulator.user(1002, "Hà")
    group = harness.simulator.group(-3001, "Văn phòng Huyện ủy")
    await harness.handled(await group.send_command(admin, "dangkynhom"))
    await harness.handled(await group.send_command(admin, "tonghop"))
    text = "\n".join(m.text or "" for m in group.messages())
    assert "Bot không nhắn được 1 cán bộ" in text and "Nguyễn Văn Hùng (từ 01/10/2026)" in text

    # Unblocked (the cadre wrote to the bot): the next reminder arrives and clears the mark.
    harness.simulator.unblock(CADRE_TG)
    clock.set(BEFORE_30)
    assert (await sweep(harness, clock)).sent == 1
    cadre_row = await db.fetchone("SELECT unreachable_since FROM cadres WHERE code = ?", (CADRE_CODE,))
    assert cadre_row is not None and cadre_row["unreachable_since"] is None


async def test_429_waits_retry_after_then_sends(harness: Harness, clock: ManualClock) -> None:
    sim = harness.simulator
    sim.inject_fault("sendMessage", status=429, description="Too Many Requests: retry after 3", retry_after=3)
    clock.set(Q4_START)
    sleep = ClockSleep(clock)
    result = await sweep(harness, clock, sleep)
    assert result.sent == 1 and result.failed == 0
    assert 3 in [round(s) for s in sleep.slept]
    assert clock.now() >= Q4_START + timedelta(seconds=3)
    statuses = [c.status for c in sim.calls("sendMessage") if c.chat_id == CADRE_TG]
    assert sorted(statuses) == [200, 429]  # refused, then delivered (one message for both cells)


async def test_transient_errors_are_retried_with_backoff_and_failures_kept_for_later(
    harness: Harness, clock: ManualClock
) -> None:
    sim = harness.simulator
    db = app_db(harness)
    clock.set(Q4_START)
    sim.inject_fault("sendMessage", status=502, description="Bad Gateway", times=2)
    sleep = ClockSleep(clock)
    result = await sweep(harness, clock, sleep, workers=1)
    assert result.sent == 1 and sleep.slept[:2] == [2.0, 4.0]

    clock.set(BEFORE_30)
    sim.inject_fault("sendMessage", status=500, description="Internal Server Error", times=3)
    result = await sweep(harness, clock, workers=1)
    assert (result.sent, result.failed) == (0, 1)
    failed = [e for e in await log_store.unsettled(db, Q4.key) if e.status == "failed"]
    assert len(failed) == 2 and "Internal Server Error" in (failed[0].last_error or "")  # both cells' claims
    clock.advance(timedelta(minutes=10))
    assert (await sweep(harness, clock)).sent == 1  # the next sweep retries it
    assert await log_store.status_counts(db, Q4.key) == {"sent": 4}


def test_a_lost_answer_counts_as_maybe_delivered() -> None:
    """A read timeout may come after Telegram delivered: that reminder is not resent."""
    request = httpx.Request("POST", "https://api.telegram.org/bot1:x/sendMessage")
    lost = TimedOut()
    lost.__cause__ = httpx.ReadTimeout("read", request=request)
    never_sent = NetworkError("httpx.ConnectError: refused")
    never_sent.__cause__ = httpx.ConnectError("refused", request=request)
    assert answer_lost(lost) and not answer_lost(never_sent)
    assert not answer_lost(NetworkError("Bad Gateway"))
