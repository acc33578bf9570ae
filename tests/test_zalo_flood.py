"""Zalo's flood limit (../shared/ZALO.md: none published, 429 "quota exceeded" exists):
the reminder sweep through the real Zalo channel, against the simulator's Zalo side
answering 429 past a few sends a second, backs off and retries; every due cadre gets
exactly one reminder, none is lost or sent twice. Time is the ManualClock's: the
simulator counts sends on it, and the throttle's waits move it."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest

from bot.channels import ZALO
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.simulator.zalo import ZaloRateLimit
from domain.clock import ManualClock
from scheduler import reminders
from storage import reminders as log_store
from storage.db import Database
from tests.channels import link_on_zalo
from tests.test_reminders import Q4, Q4_START, ClockSleep

ZALO_PER_SECOND = 5  # well under the throttle's 29 a second: the sweep runs into it


@pytest.fixture
async def zalo(config: Config, clock: ManualClock, roster_db: Database) -> AsyncIterator[Harness]:
    """The Zalo application, every cadre with an assignment linked on Zalo only."""
    codes = await roster_db.fetchall(
        "SELECT DISTINCT k.code FROM cadres AS k JOIN assignments AS a ON a.cadre_id = k.id WHERE k.active = 1"
    )
    for n, row in enumerate(codes):
        await link_on_zalo(roster_db, row["code"], f"zf{n}")
    async with bot_with_simulator(config, clock=clock, poll_timeout=1, channel=ZALO) as harness:
        for n in range(len(codes)):
            harness.simulator.zalo.user(f"zf{n}", f"Cán bộ {n}")
        harness.simulator.zalo.clock = lambda: clock.now().timestamp()
        harness.simulator.zalo.rate_limit = ZaloRateLimit(per_second=ZALO_PER_SECOND)
        yield harness


async def test_a_zalo_429_is_backed_off_and_retried_without_losing_or_doubling_a_reminder(
    zalo: Harness, clock: ManualClock
) -> None:
    clock.set(Q4_START)
    services = zalo.application.bot_data
    result = await reminders.sweep(services.channels, services.db, services.config, clock, sleep=ClockSleep(clock))

    sim = zalo.simulator.zalo
    sends = sim.calls_of("sendMessage")
    assert sim.rate_limited_count > 0  # the limit was hit
    delivered = Counter(call.params["chat_id"] for call in sends if call.status == 200 and call.body["ok"])
    due = await log_store.status_counts(services.db, Q4.key)
    assert result.failed == result.uncertain == 0 and result.sent == len(delivered) > ZALO_PER_SECOND
    assert set(delivered.values()) == {1}  # nobody reminded twice
    assert set(due) == {"sent"}  # nobody left claimed, failed or unsent
    # Backed off: after a 429, nothing is sent before Zalo's second is over (retry after 1 s),
    # apart from the sends already on their way at that moment.
    refused = [call.time for call in sends if not call.body["ok"]]
    for at in refused:
        assert not [call for call in sends if at < call.time < at + 1.0]
    # And a second sweep finds nothing left to send.
    again = await reminders.sweep(services.channels, services.db, services.config, clock, sleep=ClockSleep(clock))
    assert again.sent == 0 and len(sim.calls_of("sendMessage")) == len(sends)
