"""Inspection reminders: each model's inspector is told once per due period that the
model is due an inspection, with a button that opens the inspection of that model.

Like the visit and meeting reminders, nothing is remembered in jobs: a sweep asks
storage/inspections.py which open models are due (domain/inspections.py's rule) and
claims each reminder just before it is sent (storage/inspection_reminders.py) — claim,
send, mark — so overlapping sweeps, a crash or a restart never send one twice. Nothing
goes out in the quiet hours or on a day off (``is_quiet``: weekends, public holidays,
the committee's days off); a reminder due then goes on the next working morning, since
the due period lasts weeks. Converted and dropped models are never reminded (they are
not planned; the claim checks again), nor a model without an inspector.

Each inspector is written on the messenger used last, then on the next one when that
one is blocked or unknown there (scheduler/routes.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Bot

from bot.config import Config
from bot.screens import Option, Screen, inline_markup
from bot.texts import pick_language, t
from domain.callbacks import CB_INSPECT_MODEL
from domain.clock import Clock, utc_stamp
from domain.dates import format_date
from scheduler.routes import BotRegistry, deliver_on, registry_of, routes_to_cadre
from scheduler.schedule import is_quiet
from scheduler.sending import Outcome, Sleep, Throttle, claim_status
from scheduler.settings import load_settings
from storage import inspection_reminders as claims
from storage import inspections, roster
from storage.db import Database
from storage.inspections import OverdueInspection

log = logging.getLogger(__name__)

@dataclass
class InspectionSweep:
    """What one sweep did, for the log and the tests."""

    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    skipped: int = 0  # claimed meanwhile by another sweep, or reminded already this period
    quiet: bool = False
    stopped: bool = False


def reminder_screen(item: OverdueInspection, lang: str) -> Screen:
    """The reminder: which model, its plan, since when it is due; one button."""
    model, due = item.model, item.due
    since = (
        t("insp.remind.since", lang, day=format_date(due.since)) if due.since else t("insp.remind.never", lang)
    )
    text = t("insp.remind", lang, model=model.name, level=t(f"insp.level.{model.level}", lang),
             per_year=item.per_year, since=since)
    return Screen.of(text, Option(t("insp.btn.inspect", lang), f"{CB_INSPECT_MODEL}{model.id}"))


async def sweep(
    bots: Bot | BotRegistry,
    db: Database,
    config: Config,
    clock: Clock,
    *,
    sleep: Sleep = asyncio.sleep,
    throttle: Throttle | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> InspectionSweep:
    """Reminds every inspector of each model due now, once per due period; safe to run
    at any time, and at the same time as another sweep."""
    settings = await load_settings(db, config)
    now = clock.now().astimezone(settings.tz)
    result = InspectionSweep()
    if is_quiet(now, settings):
        result.quiet = True
        return result
    registry, throttle = registry_of(bots), throttle or Throttle(clock, sleep)
    for item in await inspections.overdue_inspections(db, None, now.date()):
        if item.model.inspector_id is None:
            continue
        if not keep_going() or is_quiet(clock.now(), settings):
            result.stopped = True
            break
        await _remind(registry, db, config, clock, throttle, item, result)
    if result.sent or result.failed:
        log.info("inspection reminders: %d sent, %d failed", result.sent, result.failed)
    return result


async def _remind(
    bots: BotRegistry, db: Database, config: Config, clock: Clock, throttle: Throttle,
    item: OverdueInspection, result: InspectionSweep,
) -> None:
    """Claim, send, mark; an inspector on no messenger of this process waits for a later sweep."""
    cadre_id = item.model.inspector_id
    assert cadre_id is not None
    routes = await routes_to_cadre(db, bots, cadre_id)
    if not routes:
        return
    key = (item.model.id, item.due.period, cadre_id)
    if not await claims.claim(db, *key, now=utc_stamp(clock.now())):
        result.skipped += 1
        return
    cadre = await roster.get_cadre(db, cadre_id)
    screen = reminder_screen(item, pick_language(cadre.language if cadre else None, None, config.default_language))
    await throttle.turn(routes[0].chat_id)
    _, delivery = await deliver_on(
        throttle, routes,
        lambda route: route.bot.send_message(route.chat_id, screen.text, reply_markup=inline_markup(screen)),
    )
    status = claim_status(delivery.outcome)
    await claims.finish(db, *key, status=status, error=delivery.error, now=utc_stamp(clock.now()))
    if delivery.outcome is Outcome.SENT:
        result.sent += 1
    elif status == "unreachable":
        result.unreachable += 1
    elif status == "failed":
        result.failed += 1
