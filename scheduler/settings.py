"""The scheduling settings as the sweeps use them: the configuration plus the working
calendar, whose local days off an admin adds at run time (/ngaynghi) and so live in the
database. schedule.py stays pure; this is the one place that reads them."""

from __future__ import annotations

from bot.config import Config
from domain.workdays import WorkCalendar
from scheduler.schedule import Settings
from storage import obligations
from storage.db import Executor


async def load_settings(db: Executor, config: Config) -> Settings:
    """Settings with the committee's days off; read on every sweep (one small query), so a
    day added by /ngaynghi counts from the next sweep on."""
    calendar = WorkCalendar.with_days_off(await obligations.local_days_off(db))
    return Settings.from_config(config, calendar)
