"""What ``/healthz`` reports: the database answers, and each channel's last sign of life.

A bot that polls proves it is alive with every successful getUpdates (an empty long poll
included); a bot on a webhook with every delivery it accepted. The operator's monitoring
reads the age of that moment: a poll older than a few minutes means the messenger is
unreachable or the bot is stuck, whatever the process list says.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.clock import Clock, utc_stamp
from storage.db import Database

DATABASE_TIMEOUT = 5.0  # seconds; a database slower than this is as good as unreachable


@dataclass
class ChannelState:
    mode: str  # "polling" or "webhook"
    last_ok: datetime | None = None


class Health:
    """Shared by every channel of the process and the HTTP server."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._channels: dict[str, ChannelState] = {}

    def register(self, channel: str, mode: str) -> None:
        self._channels[channel] = ChannelState(mode)

    def touch(self, channel: str) -> None:
        """A successful poll or an accepted webhook delivery on ``channel``, now."""
        state = self._channels.setdefault(channel, ChannelState("polling"))
        state.last_ok = self._clock.now()

    def poll_listener(self, channel: str):  # noqa: ANN201 - a zero-argument callback
        return lambda: self.touch(channel)

    async def report(self, db: Database) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON body): 200 when the database answers, 503 when it doesn't."""
        database_ok = await _database_answers(db)
        now = self._clock.now()
        channels = {
            name: {
                "mode": state.mode,
                "last_ok": utc_stamp(state.last_ok) if state.last_ok else None,
                "age_seconds": round((now - state.last_ok).total_seconds()) if state.last_ok else None,
            }
            for name, state in sorted(self._channels.items())
        }
        body = {"status": "ok" if database_ok else "unavailable", "database": database_ok, "channels": channels}
        return (200 if database_ok else 503), body


async def _database_answers(db: Database) -> bool:
    try:
        await asyncio.wait_for(db.fetchval("SELECT count(*) FROM schema_migrations"), DATABASE_TIMEOUT)
    except Exception:  # noqa: BLE001 - whatever the reason, the answer is "unavailable"
        return False
    return True
