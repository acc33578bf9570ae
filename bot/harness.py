"""The bot and the built-in simulator in one event loop: for the demo, tests and benchmarks.

A real ``Application`` polls the simulator over HTTP on loopback. The one thing added
to it is a last handler group that tells waiters when an update has been handled by
every handler, so a caller can wait for "the bot is done with what I sent" instead of
sleeping and hoping.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.app import build_application, running
from bot.channels import TELEGRAM, ZALO
from bot.channels import zalo as zalo_channel
from domain.clock import Clock
from bot.config import Config
from bot.simulator import TelegramSimulator

GROUP_NOTIFY = 10_000  # after every other group, the recording of the update id included


@dataclass
class UpdateWaiter:
    """Remembers which update ids the application has finished handling."""

    done: set[int | str] = field(default_factory=set)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def install(self, application: Application) -> None:
        application.add_handler(TypeHandler(Update, self._record), group=GROUP_NOTIFY)
        if application.bot_data.channel == ZALO:
            # Zalo events have no update id: they are followed by their message id, also
            # when the channel answers one itself (a number not on screen).
            zalo_channel.channel_of(application).on_local_reply = self._record_id

    async def _record(self, update: Update, _context: object) -> None:
        await self._record_id(update.update_id)
        zalo_id = update.api_kwargs.get(zalo_channel.EVENT_ID_KEY)
        if zalo_id is not None:
            await self._record_id(str(zalo_id))

    async def _record_id(self, key: int | str) -> None:
        async with self._changed:
            self.done.add(key)
            self._changed.notify_all()

    async def wait(self, update_id: int | str, timeout: float = 10.0) -> None:
        """Returns once the update was handled; TimeoutError if the bot never got to it."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: update_id in self.done), timeout
            )


@dataclass
class Harness:
    simulator: TelegramSimulator
    application: Application
    waiter: UpdateWaiter

    @property
    def channel(self) -> str:
        return self.application.bot_data.channel

    async def handled(self, update_id: int | str, timeout: float = 10.0) -> None:
        await self.waiter.wait(update_id, timeout)


def simulator_config(config: Config, simulator: TelegramSimulator) -> Config:
    """The same configuration, pointed at the simulator."""
    return replace(
        config,
        telegram_token=simulator.token,
        telegram_api_url=simulator.base_url,
        telegram_file_url=simulator.base_file_url,
        zalo_token=simulator.zalo.token,
        zalo_api_url=simulator.zalo.base_url,
    )


@asynccontextmanager
async def bot_with_simulator(
    config: Config,
    *,
    clock: Clock | None = None,
    simulator: TelegramSimulator | None = None,
    rate_limit: bool = False,
    poll_timeout: int = 10,
    channel: str = TELEGRAM,
) -> AsyncIterator[Harness]:
    """Starts the simulator (unless given one already running) and the bot of ``channel``
    against it (the simulator plays both messengers)."""
    own_simulator = simulator is None
    sim = simulator or TelegramSimulator()
    if own_simulator:
        await sim.start()
    try:
        application = build_application(
            simulator_config(config, sim), clock=clock, rate_limit=rate_limit, channel=channel
        )
        waiter = UpdateWaiter()
        waiter.install(application)
        async with running(application, poll_timeout=poll_timeout):
            yield Harness(sim, application, waiter)
    finally:
        if own_simulator:
            await sim.stop()
