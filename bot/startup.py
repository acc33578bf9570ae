"""What ``baocao run`` makes sure of before it serves: a healthy database and a reachable
Bot API.

A bot started by systemd at boot often comes up before the network does, or while
Telegram is unreachable for a while. Crashing then (python-telegram-bot gives up after
its first getMe) turns a short outage into a stopped bot; so the start waits, retrying
with a capped exponential backoff and one log line per attempt, and serves as soon as
the Bot API answers. A wrong token is not an outage: it stops the start at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator

from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from bot.config import Config
from storage.db import Database, StorageError
from storage.migrate import upgrade

log = logging.getLogger("baocao.startup")

FIRST_RETRY_SECONDS = 1.0

Sleep = Callable[[float], Awaitable[None]]


class DamagedDatabase(StorageError):
    """SQLite's own check found problems in the file."""

    def __init__(self, path: str, problems: list[str]) -> None:
        super().__init__(f"the database {path} is damaged: {problems[0]}")
        self.path = path
        self.problems = problems


async def check_database(config: Config) -> None:
    """Opens the database, brings its schema up to date and runs SQLite's quick check.

    Raises UnusableDatabase (storage.db) or DamagedDatabase with what is wrong, before the
    bot accepts a single update.
    """
    async with Database(config.db_path) as db:
        problems = await db.check(quick=True)
        if problems:
            raise DamagedDatabase(str(config.db_path), problems)
        await upgrade(db)


def retry_delays(cap: float) -> Iterator[float]:
    """1 s, 2 s, 4 s… never more than `cap` seconds."""
    delay = min(FIRST_RETRY_SECONDS, cap)
    while True:
        yield delay
        delay = min(delay * 2, cap)


async def wait_for_bot_api(config: Config, *, sleep: Sleep = asyncio.sleep) -> str:
    """Calls getMe until the Bot API answers; returns the bot's username.

    Every failed attempt logs one line (why, and when the next one comes), no traceback.
    InvalidToken (Telegram refused the token) is raised: waiting would not change it.
    """
    token = config.require_token()
    delays = retry_delays(config.startup_retry_max)
    attempt = 1
    while True:
        bot = Bot(token, base_url=config.telegram_api_url, base_file_url=config.file_url,
                  request=HTTPXRequest(connect_timeout=10.0, read_timeout=10.0))  # fmt: skip
        try:
            async with bot:  # initialize() calls getMe; leaving shuts the client down
                if attempt > 1:
                    log.info("Bot API reachable after %d attempts", attempt)
                return bot.username
        except InvalidToken:
            raise
        except TelegramError as exc:  # NetworkError, TimedOut, RetryAfter, a proxy's 5xx
            delay = next(delays)
            log.warning("Bot API not reachable (attempt %d: %s); next attempt in %g s",
                        attempt, _reason(exc), delay)  # fmt: skip
        await sleep(delay)
        attempt += 1


def _reason(exc: TelegramError) -> str:
    """The error's own words, short: PTB wraps httpx's errors as 'httpx.ConnectError: …'."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
