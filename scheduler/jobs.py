"""The scheduler's jobs on PTB's JobQueue (which is APScheduler's AsyncIOScheduler).

Repeating jobs — reminders, digests, materials to the cells, meetings, inspections due,
proposals not yet posted — each first run a few seconds after start-up (the catch-up after downtime) and then every few minutes. None
remembers anything itself — what is due is derived from the clock and the database on
every run — so a restart loses nothing and an extra run sends nothing twice.
APScheduler never runs a job while its previous run is still going (max_instances=1),
so a long fan-out is not overlapped by the next tick. The JobQueue starts with the
application (after post_init has made the database ready) and stops with it; a sweep
in progress notices ``application.running`` turning false and stops between messages.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from telegram.ext import Application

from bot.context import BotContext
from scheduler import digests, inspections, materials, meetings, proposal_posts, reminders
from scheduler.schedule import Settings, is_quiet
from domain.clock import utc_stamp
from scheduler.sending import Throttle

log = logging.getLogger(__name__)

Result = TypeVar("Result")

SWEEP_INTERVAL = timedelta(minutes=10)
FIRST_RUN = timedelta(seconds=5)
REMINDER_JOB = "reminder-sweep"
DIGEST_JOB = "digest-sweep"
MATERIALS_JOB = "materials-sweep"
MEETINGS_JOB = "meetings-sweep"
INSPECTIONS_JOB = "inspections-sweep"
PROPOSALS_JOB = "proposals-sweep"


def schedule(application: Application) -> None:
    """Adds the jobs; they run once the application has started."""
    job_queue = application.job_queue
    if job_queue is None:  # python-telegram-bot installed without the job-queue extra
        log.warning("no JobQueue: reminders and digests will not be sent")
        return
    # One throttle for both sweeps: together they stay under Telegram's limits.
    throttle = Throttle(application.bot_data.clock)
    job_queue.run_repeating(
        _reminder_job, SWEEP_INTERVAL, first=FIRST_RUN, name=REMINDER_JOB, data=throttle
    )
    job_queue.run_repeating(
        _digest_job, SWEEP_INTERVAL, first=FIRST_RUN + timedelta(seconds=30), name=DIGEST_JOB, data=throttle
    )
    # Materials to the cells (/tailieu) and their reminders: the same throttle again.
    job_queue.run_repeating(
        _materials_job, SWEEP_INTERVAL, first=FIRST_RUN + timedelta(seconds=15), name=MATERIALS_JOB, data=throttle
    )
    # Cell meetings (/hop): invitations, their reminders, moves and cancellations.
    job_queue.run_repeating(
        _meetings_job, SWEEP_INTERVAL, first=FIRST_RUN + timedelta(seconds=20), name=MEETINGS_JOB, data=throttle
    )
    # Model inspections due (scheduler/inspections.py): their inspectors, once a due period.
    job_queue.run_repeating(
        _inspections_job, SWEEP_INTERVAL, first=FIRST_RUN + timedelta(seconds=35), name=INSPECTIONS_JOB,
        data=throttle,
    )
    # Model proposals not posted yet to the Standing Committee (a failed post, another flow's).
    job_queue.run_repeating(_proposals_job, SWEEP_INTERVAL, first=FIRST_RUN + timedelta(seconds=25), name=PROPOSALS_JOB)


def send_materials_now(application: Application) -> None:
    """An admin has just confirmed a material: run the materials sweep now rather than at
    its next tick (no-op without jobs, e.g. in tests, which run the sweep themselves)."""
    job_queue = application.job_queue
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(MATERIALS_JOB):
        job.job.modify(next_run_time=datetime.now(UTC))


def send_meetings_now(application: Application) -> None:
    """A meeting was just announced, moved or cancelled: run the meetings sweep now."""
    job_queue = application.job_queue
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(MEETINGS_JOB):
        job.job.modify(next_run_time=datetime.now(UTC))


async def _meetings_job(context: BotContext) -> None:
    await _run_sweep(meetings.sweep, context)


async def _inspections_job(context: BotContext) -> None:
    await _run_sweep(inspections.sweep, context)


async def _reminder_job(context: BotContext) -> None:
    await _run_sweep(reminders.sweep, context)


async def _digest_job(context: BotContext) -> None:
    result = await _run_sweep(digests.sweep, context)
    if result.sent or result.failed:
        log.info("digest sweep: %d sent, %d failed", result.sent, result.failed)


async def _materials_job(context: BotContext) -> None:
    await _run_sweep(materials.sweep, context)


async def _run_sweep(sweep: Callable[..., Awaitable[Result]], context: BotContext) -> Result:
    """Runs a sweep with every messenger's bot (a cadre, cell or inspector is written on
    the messenger used last, a group from its own), the throttle the sweeps share, and a
    stop between messages once the application stops."""
    application = context.application
    return await sweep(
        context.bot_data.channels,
        context.db,
        context.config,
        context.clock,
        throttle=_throttle(context),
        keep_going=lambda: application.running,
    )


async def _proposals_job(context: BotContext) -> None:
    """Posts the waiting proposals nobody has seen yet, outside the quiet hours."""
    now = context.clock.now()
    if is_quiet(now, Settings.from_config(context.config)):
        return
    await proposal_posts.post_unposted(
        context.db, context.bot_data.channels, admin_ids=context.config.admin_ids,
        lang=context.config.default_language, tz=context.clock.tz, now_stamp=utc_stamp(now),
    )


def _throttle(context: BotContext) -> Throttle:
    job = context.job
    assert job is not None and isinstance(job.data, Throttle)
    return job.data
