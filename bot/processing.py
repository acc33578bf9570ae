"""Updates of different people run concurrently; one person's updates run in order.

Two quick taps of the same cadre (a photo and then "Next", or a double-tapped Confirm)
must not race on their draft, while two hundred cadres reporting at once must not wait
for each other. python-telegram-bot's simple processor gives one or the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialises updates by (chat, user); everything else in parallel."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[tuple[int | None, int | None], asyncio.Lock] = {}
        self._waiting: dict[tuple[int | None, int | None], int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued: forget the lock
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _key(update: object) -> tuple[int | None, int | None] | None:
    if not isinstance(update, Update):
        return None
    chat, user = update.effective_chat, update.effective_user
    if chat is None and user is None:
        return None
    return (chat.id if chat else None, user.id if user else None)
