"""Reminders in batches (issue 15): one statement claims a batch, one transaction marks
it, each cadre gets one message per slot, and nothing is ever sent twice — also when two
sweeps overlap. The throttle is a token bucket that never lets more than its rate
through in any second of the (injected) clock."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from domain.callbacks import CB_START_FOR_CELL
from domain.clock import ManualClock, utc_stamp
from bot.harness import Harness
from scheduler import reminders
from scheduler.sending import Throttle
from storage import reminders as log_store
from storage.db import Database
from storage.obligations import TransferRule
from tests.test_reminders import BEFORE_30, Q4, Q4_START, ClockSleep, app_db, everyone_linked, reminders_in


def reminder_messages(harness: Harness, chats: dict[int, int]) -> dict[int, list[list[int]]]:
    """cadre id → the cells of each reminder message they got."""
    found: dict[int, list[list[int]]] = {}
    for cadre_id, chat in chats.items():
        for message in reminders_in(harness.simulator.user(chat, "x").messages()):
            cells = [int(d[len(CB_START_FOR_CELL) :]) for row in message.button_data() for d in row if d]
            found.setdefault(cadre_id, []).append(sorted(cells))
    return found


async def due_cells(db: Database, clock: ManualClock) -> dict[int, list[int]]:
    config_free = await log_store.due_targets(db, quarter=Q4.key, kind="start", today=clock.now().date(), limit=10_000)
    cells: dict[int, list[int]] = {}
    for target in config_free:
        cells.setdefault(target.cadre_id, []).append(target.cell_id)
    return {cadre: sorted(found) for cadre, found in cells.items()}


async def test_one_message_per_cadre_per_slot_listing_every_due_cell(harness: Harness, clock: ManualClock) -> None:
    chats = await everyone_linked(harness, clock)
    clock.set(Q4_START)
    expected = await due_cells(app_db(harness), clock)
    assert any(len(cells) > 1 for cells in expected.values())  # the sample has cadres with two cells
    result = await reminders.sweep(
        harness.application.bot, app_db(harness), harness.application.bot_data.config, clock, sleep=ClockSleep(clock)
    )
    got = reminder_messages(harness, chats)
    assert {cadre: messages for cadre, messages in got.items()} == {cadre: [cells] for cadre, cells in expected.items()}
    assert result.sent == len(expected)


async def test_two_overlapping_sweeps_with_batch_claims_never_send_twice(harness: Harness, clock: ManualClock) -> None:
    """Two bot processes (two connections) sweep at once: every due cell is reminded
    exactly once, and no cadre gets two messages."""
    chats = await everyone_linked(harness, clock)
    clock.set(Q4_START)
    expected = await due_cells(app_db(harness), clock)
    app = harness.application
    other = Database(app.bot_data.config.db_path)
    await other.open()
    try:
        first, second = await asyncio.gather(
            reminders.sweep(app.bot, app_db(harness), app.bot_data.config, clock, sleep=ClockSleep(clock)),
            reminders.sweep(app.bot, other, app.bot_data.config, clock, sleep=ClockSleep(clock)),
        )
    finally:
        await other.close()
    got = reminder_messages(harness, chats)
    assert all(len(messages) == 1 for messages in got.values()), "a cadre got two messages"
    cells = Counter(cell for messages in got.values() for message in messages for cell in message)
    assert sum(cells.values()) == sum(len(c) for c in expected.values())
    assert first.sent + second.sent == len(expected)
    counts = await log_store.status_counts(app_db(harness), Q4.key)
    assert counts == {"sent": sum(len(c) for c in expected.values())}


async def test_a_batch_claim_takes_each_pair_once_and_retakes_only_failed_ones(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    await everyone_linked(harness, clock)
    clock.set(BEFORE_30)
    today = clock.now().date()
    pairs = [(t.cadre_id, t.cell_id) for t in await log_store.due_targets(db, quarter=Q4.key, kind="before30", today=today)]
    assert len(pairs) > 3
    claim = dict(quarter=Q4.key, kind="before30", now=utc_stamp(clock.now()), today=today, rule=TransferRule.ANY_DAY)
    assert await log_store.claim_batch(db, pairs, **claim) == set(pairs)
    assert await log_store.claim_batch(db, pairs, **claim) == set()  # held: never twice
    outcome = log_store.BatchOutcome(sent=pairs[:1], failed=[(pairs[1], "Bad Request")], released=[pairs[2]])
    await log_store.finish_batch(db, outcome, quarter=Q4.key, kind="before30", now=utc_stamp(clock.now()))
    # The failed one is retried, the released one was never sent and is taken afresh;
    # the sent one and the ones still claimed (maybe sent) are not.
    assert await log_store.claim_batch(db, pairs, **claim) == {pairs[1], pairs[2]}
    entry = await log_store.get_entry(db, log_store.ReminderKey(*pairs[2], Q4.key, "before30"))
    assert entry is not None and entry.attempts == 1  # the released claim did not count as a try


async def test_the_token_bucket_never_lets_more_than_its_rate_through_in_a_second(clock: ManualClock) -> None:
    sleep = ClockSleep(clock)
    throttle = Throttle(clock, sleep, per_second=29.1)
    stamps = []
    for chat in range(200):
        await throttle.turn(chat + 1)
        stamps.append(clock.now())
    for n, stamp in enumerate(stamps):
        in_a_second = [s for s in stamps[n:] if s - stamp < timedelta(seconds=1)]
        assert len(in_a_second) <= 30
    assert stamps[-1] - stamps[0] < timedelta(seconds=200 / 29.1)  # and it does not dawdle


async def test_a_pinned_clock_does_not_stall_the_throttle(clock: ManualClock) -> None:
    """A summary sent on demand uses real sleeps while a test pins the clock: the waits
    themselves refill the bucket."""
    throttle = Throttle(clock, per_second=1000)
    for chat in range(5):
        await asyncio.wait_for(throttle.turn(-100), timeout=5)
