"""One harness for the bot and for the reference echo bot: an Application polling the
simulator on loopback, plus a waiter that resolves a future when an update is handled.

bot/harness.py's waiter wakes every waiting task on every update, which is fine for a
test with one person and would measure itself with two hundred; here each waiting
cadre has its own future.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.harness import GROUP_NOTIFY
from bot.simulator import SimMessage, SimUser, TelegramSimulator


class FutureWaiter:
    """update_id -> a future set once the last handler group has seen the update."""

    def __init__(self) -> None:
        self._futures: dict[int, asyncio.Future[None]] = {}

    def install(self, application: Application) -> None:
        application.add_handler(TypeHandler(Update, self._record), group=GROUP_NOTIFY)

    def _future(self, update_id: int) -> asyncio.Future[None]:
        if update_id not in self._futures:
            self._futures[update_id] = asyncio.get_running_loop().create_future()
        return self._futures[update_id]

    async def _record(self, update: Update, _context: object) -> None:
        future = self._future(update.update_id)
        if not future.done():
            future.set_result(None)

    async def handled(self, update_id: int, timeout: float = 120.0) -> None:
        await asyncio.wait_for(asyncio.shield(self._future(update_id)), timeout)


@asynccontextmanager
async def polling(application: Application, *, poll_timeout: int = 10) -> AsyncIterator[None]:
    """What ``running()`` of bot/app.py does for any Application (the echo bot has no post_init)."""
    await application.initialize()
    try:
        await application.updater.start_polling(poll_interval=0, timeout=poll_timeout)
        await application.start()
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()
    finally:
        await application.shutdown()


class Person:
    """A simulated person who acts and waits until the bot has handled each action."""

    def __init__(self, user: SimUser, waiter: FutureWaiter, latencies: list[float]) -> None:
        self.user = user
        self.waiter = waiter
        self.latencies = latencies

    @property
    def screen(self) -> SimMessage:
        """The bot message that changed last."""
        return max(self.user.messages(), key=lambda m: m.seq)

    async def _timed(self, update_id_coro: object) -> SimMessage:
        start = time.perf_counter()
        update_id = await update_id_coro  # type: ignore[misc]
        await self.waiter.handled(update_id)
        self.latencies.append(time.perf_counter() - start)
        return self.screen

    async def send(self, text: str) -> SimMessage:
        return await self._timed(self.user.send_text(text))

    async def press(self, label: str | None = None) -> SimMessage:
        """Presses the button starting with ``label`` (None: the first) on the latest keyboard."""
        keyboard = max((m for m in self.user.messages() if m.buttons()), key=lambda m: m.seq)
        labels = keyboard.button_list()
        matches = [b for b in labels if label is None or b.startswith(label)]
        if not matches:
            raise LookupError(f"no button {label!r} among {labels}; screen: {self.screen.content[:80]!r}")
        chosen = matches[0]
        return await self._timed(self.user.press(chosen, message=keyboard))

    async def until(self, prefix: str) -> SimMessage:
        """The screen, which must start with ``prefix`` once the bot has handled the last action."""
        if not self.screen.content.startswith(prefix):
            raise RuntimeError(f"expected {prefix!r}: {self.screen.content[:80]!r}")
        return self.screen


async def started_simulator() -> TelegramSimulator:
    simulator = TelegramSimulator()
    await simulator.start()
    return simulator
