"""The operator's dry run (``baocao remind --dry-run``): who the reminder sweep would
remind now and why, with the same queries as the sweep and nothing claimed; and the
reminders claimed but never settled (a kill between claim and mark), which are never
sent again (scheduler/reminders.py says why)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import Config
from domain.quarters import Quarter
from scheduler.schedule import Settings, Slot, current_slot, is_quiet
from scheduler.settings import load_settings
from storage import obligations
from storage import reminders as store
from storage.db import Database
from storage.reminders import ReminderTarget

PAGE_SIZE = 500


@dataclass
class Plan:
    """What a sweep would do now, and why."""

    now: datetime
    slot: Slot | None
    quiet: bool
    targets: list[ReminderTarget]
    unsettled: list[store.LogEntry]
    settings: Settings


async def plan(db: Database, config: Config, now: datetime) -> Plan:
    """Who would be reminded at ``now``: the same queries as the sweep, nothing claimed."""
    settings = await load_settings(db, config)
    now = now.astimezone(settings.tz)
    slot = current_slot(now, settings)
    quarter = Quarter.of(now.date())
    targets: list[ReminderTarget] = []
    if slot is not None:
        rule = await obligations.transfer_rule(db)
        after = (0, 0)
        while page := await store.due_targets(
            db, quarter=slot.quarter.key, kind=slot.kind, today=now.date(), after=after, limit=PAGE_SIZE, rule=rule
        ):
            targets += page
            after = (page[-1].cadre_id, page[-1].cell_id)
    unsettled = await store.unsettled(db, quarter.key)
    return Plan(now, slot, is_quiet(now, settings), targets, unsettled, settings)
