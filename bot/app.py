"""Application wiring: services, handlers, start-up and shutdown, in one place.

Modelled on python-telegram-bot's rules-bot: every handler is registered in
``register_handlers`` with its group and the reason for its order, and services (the
database, later the scheduler) start in ``post_init`` and stop in ``post_shutdown``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.request import HTTPXRequest
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from domain.clock import Clock, SystemClock
from bot.channels import TELEGRAM, ZALO, Channels
from bot.channels import zalo as zalo_channel
from bot.config import Config
from bot.texts import text_variant
from bot.texts import use_organisation
from bot.context import BotContext, BotData
from bot.processing import PerChatUpdateProcessor
from bot.tolerant_bot import TolerantBot
from handlers import errors, escalations, mine, models, notices, obligations, registration, start, topics, updates, visit
from handlers import private_only
from handlers import groups as group_chats  # /dangkynhom, /huydangky, /tonghop (scheduler)
from handlers import quarterly  # /baocaoquy: the quarterly workbook
from handlers import materials  # /tailieu: materials to the cells, with receipts
from handlers import fund, fund_view  # /tietkiem, /quy, /mucquy: the savings fund
from handlers import meeting_calendar, meetings  # /hop, /lichhop: cell meetings on the calendar
from handlers import proposals  # /dexuat and the decision buttons: replicating, commending models
from handlers import inspections  # /kiemtra, /nguoikiemtra, /chuyendoi: model inspections on a schedule
from handlers.menu import publish_commands
from scheduler import jobs as scheduler_jobs
from storage.db import Database
from storage.migrate import ensure_ready
from storage.persistence import SqlitePersistence

log = logging.getLogger(__name__)

# Handler groups, run in this order for every update.
# Connections to the Bot API for sending; httpx walks its whole pool on every request,
# so a small pool is faster than PTB's default of 256 (measured with the simulator).
CONNECTION_POOL = 32

GROUP_CHANNEL_TEXTS = -20  # the messenger's own wording of texts (bot.texts.text_variant)
GROUP_DEDUPLICATE = -10  # drop redelivered updates before anything acts on them
GROUP_NOTICES = -5  # hand a cadre what was kept for them (reports filed on their behalf...)
GROUP_INTERRUPT = -3  # a command ends an escalation answer being typed (handlers/escalations.py)
GROUP_MAIN = 0  # commands and conversations: the first that matches wins
GROUP_RECORD = 100  # after everything: remember the update id as handled



def build_application(
    config: Config,
    *,
    token: str | None = None,
    clock: Clock | None = None,
    rate_limit: bool = True,
    max_concurrent_updates: int = 64,
    jobs: bool | None = None,
    channel: str = TELEGRAM,
    db: Database | None = None,
) -> Application:
    """The bot of one messenger, ready for ``run_polling`` or ``running()``; nothing is opened yet.

    ``channel``: TELEGRAM, or ZALO (the same handlers behind bot/channels/zalo).
    ``jobs``: run the reminder and digest jobs (default: only on the real clock).
    ``db``: share one database between the channels of one process (bot/runner.py).
    """
    use_organisation(config.organisation)  # the texts name it from now on
    db = db or Database(config.db_path)
    real_time = clock is None
    clock = clock or SystemClock(config.tz)
    if channel == ZALO:
        bot = zalo_channel.build_bot(
            token=token or config.require_zalo_token(), api_url=config.zalo_api_url, db=db, clock=clock,
            default_language=config.default_language, rate_limit=rate_limit,
        )
    else:
        bot = _telegram_bot(config, token or config.require_token(), rate_limit=rate_limit)
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .concurrent_updates(PerChatUpdateProcessor(max_concurrent_updates))
        .persistence(SqlitePersistence(db))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    application = builder.build()
    services: BotData = application.bot_data
    services.config = config
    services.clock = clock
    services.db = db
    services.channel = channel
    services.channels = Channels({channel: application.bot})
    services.contact_sharing = channel == TELEGRAM
    services.menu_as_choices = channel == ZALO
    register_handlers(application)
    if channel == ZALO:
        zalo_channel.learn_commands(application)
        # Before every other group, in the update's own task: Zalo's wording of texts.
        application.add_handler(TypeHandler(Update, _zalo_texts), group=GROUP_CHANNEL_TEXTS)
    # Reminders and digests (scheduler/jobs.py) are APScheduler jobs on real time: they
    # run when the bot keeps real time. A caller with its own clock (tests, the demo with
    # --now) drives the sweeps itself. The JobQueue starts after post_init (the database
    # is ready by then) and Application.stop() stops it.
    if jobs if jobs is not None else real_time:
        scheduler_jobs.schedule(application)
    return application


async def _zalo_texts(update: Update, context: object) -> None:
    text_variant.set(ZALO)


def _telegram_bot(config: Config, token: str, *, rate_limit: bool) -> TolerantBot:
    """The Bot API client: PTB's ExtBot with a getUpdates that skips unreadable updates."""
    # Telegram's limits (30 messages a second, 20 a minute per group), with retries on
    # RetryAfter so that a 429 delays a message instead of dropping it.
    limiter = AIORateLimiter(max_retries=5) if rate_limit else None
    return TolerantBot(
        token,
        base_url=config.telegram_api_url,
        base_file_url=config.file_url,
        request=HTTPXRequest(connection_pool_size=CONNECTION_POOL),
        get_updates_request=HTTPXRequest(),
        rate_limiter=limiter,
    )


def register_handlers(application: Application) -> None:
    """Every handler of the bot, in the order they are tried."""
    add = application.add_handler
    # Redelivered updates stop here.
    add(TypeHandler(Update, updates.drop_if_seen), group=GROUP_DEDUPLICATE)
    add(TypeHandler(Update, notices.deliver_pending), group=GROUP_NOTICES)
    for handler in escalations.interruptions():
        add(handler, group=GROUP_INTERRUPT)
    # Registration acts only for people not yet linked (plus /ngonngu and /golienket).
    for handler in registration.handlers():
        add(handler, group=GROUP_MAIN)
    # Private flows asked for in a group: a link to the private chat, and no further.
    for handler in private_only.handlers():
        add(handler, group=GROUP_MAIN)
    # Conversations first: while one is waiting for a cadre's answer, it gets their input.
    add(visit.conversation(), group=GROUP_MAIN)
    add(models.conversation(), group=GROUP_MAIN)
    for handler in escalations.handlers():
        add(handler, group=GROUP_MAIN)
    for handler in [*mine.handlers(), *topics.handlers(), *obligations.handlers()]:
        add(handler, group=GROUP_MAIN)
    # Group chats: registering them for summaries, summaries on demand (scheduler).
    for handler in group_chats.handlers():
        add(handler, group=GROUP_MAIN)
    # The official quarterly workbook, as a file (scheduler/workbook.py).
    for handler in quarterly.handlers():
        add(handler, group=GROUP_MAIN)
    # Materials to the cells (/tailieu) and their «Đã nhận» button.
    for handler in materials.handlers():
        add(handler, group=GROUP_MAIN)
    # The savings fund: the treasurer's /tietkiem, /quy with an admin's approvals, /mucquy.
    add(fund.conversation(), group=GROUP_MAIN)
    for handler in fund_view.handlers():
        add(handler, group=GROUP_MAIN)
    # Cell meetings: /hop (announce, move, cancel), the invitation's answer, /lichhop.
    add(meetings.conversation(), group=GROUP_MAIN)
    for handler in meeting_calendar.handlers():
        add(handler, group=GROUP_MAIN)
    # Model proposals (replicate, commend): /dexuat and the decision buttons in the group.
    for handler in proposals.handlers():
        add(handler, group=GROUP_MAIN)
    # Model inspections on a schedule: /kiemtra (plans), /nguoikiemtra, /chuyendoi.
    for handler in inspections.handlers():
        add(handler, group=GROUP_MAIN)
    # Commands anyone may send; each checks who is asking.
    add(CommandHandler("start", start.start), group=GROUP_MAIN)
    add(CommandHandler(["help", "huongdan"], start.help_command), group=GROUP_MAIN)
    # Last in the main group: whatever nothing else took gets a hint, never silence.
    add(CallbackQueryHandler(start.expired_button), group=GROUP_MAIN)
    add(MessageHandler(filters.ALL, start.fallback), group=GROUP_MAIN)
    # After every handler: write drafts and conversation states, then remember the update.
    add(TypeHandler(Update, updates.flush_and_record), group=GROUP_RECORD)
    application.add_error_handler(errors.on_error)


async def post_init(application: Application) -> None:
    """Makes sure the database is ready and publishes the command menu."""
    services: BotData = application.bot_data
    await ensure_ready(services.db)
    await publish_commands(application)


async def post_shutdown(application: Application) -> None:
    services: BotData = application.bot_data
    await services.db.close()


@asynccontextmanager
async def running(application: Application, *, poll_timeout: int = 10) -> AsyncIterator[Application]:
    """Runs the bot inside an event loop that someone else owns (tests, demo, benchmarks).

    Does what ``Application.run_polling`` does, in the same order, without taking over
    the loop or the signals.
    """
    await application.initialize()
    try:
        await post_init(application)
        await application.updater.start_polling(poll_interval=0, timeout=poll_timeout)
        await application.start()
        try:
            yield application
        finally:
            if application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()
        await post_shutdown(application)
