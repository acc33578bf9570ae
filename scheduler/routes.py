"""Which bot reaches a cadre or a chat when one process serves several messengers.

A cadre may have a Telegram and a Zalo account (storage/accounts.py). What reaches them
outside a conversation — reminders, notices, escalation answers — goes to the account
used last, then to the next one when that fails with "blocked" or "not found". The bots
come from a registry (``bot.channels.Channels``, in every application's
``bot_data.channels``) that this module knows only by the two methods below, so the
scheduler imports neither the handlers nor any messenger's code. A chat id tells its
messenger by itself (Zalo ids are mapped above every Telegram id), so group digests and
escalation posts find their bot with ``bot_for_chat``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from telegram import Bot
from telegram.error import BadRequest, Forbidden

from scheduler.sending import Delivery, Outcome, Throttle, deliver
from storage import accounts
from storage.channel_state import channel_of_chat
from storage.db import Executor

T = TypeVar("T")


class BotRegistry(Protocol):
    def bot(self, channel: str) -> Bot | None: ...

    def bot_for_chat(self, chat_id: int) -> Bot | None: ...


class OneBot:
    """A registry of a single Telegram bot (the tools and tests that pass a bot)."""

    def __init__(self, bot: Bot, channel: str = accounts.TELEGRAM) -> None:
        self._bot, self._channel = bot, channel

    def bot(self, channel: str) -> Bot | None:
        return self._bot if channel == self._channel else None

    def bot_for_chat(self, chat_id: int) -> Bot | None:
        return self.bot(channel_of_chat(chat_id))


def registry_of(bots: Bot | BotRegistry) -> BotRegistry:
    return bots if hasattr(bots, "bot_for_chat") else OneBot(bots)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Route:
    channel: str
    bot: Bot
    chat_id: int


async def routes_to_cadre(db: Executor, bots: BotRegistry, cadre_id: int) -> list[Route]:
    """The cadre's accounts this process can reach, the one used last first."""
    routes = []
    for account in await accounts.accounts_of(db, cadre_id):
        bot = bots.bot(account.channel)
        if bot is not None:
            routes.append(Route(account.channel, bot, account.user_id))
    return routes


async def routes_to_cadres(db: Executor, bots: BotRegistry, cadre_ids: list[int]) -> dict[int, list[Route]]:
    """``routes_to_cadre`` for many cadres in one query (a batch of reminders)."""
    routes: dict[int, list[Route]] = {}
    for account in await accounts.accounts_of_many(db, cadre_ids):
        bot = bots.bot(account.channel)
        if bot is not None:
            routes.setdefault(account.cadre_id, []).append(Route(account.channel, bot, account.user_id))
    return routes


def worth_another_route(error: Exception) -> bool:
    """Blocked, never started, or unknown on that messenger: the other may still work."""
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and "not found" in str(error).lower()


async def send_to_cadre(
    db: Executor, bots: BotRegistry, cadre_id: int, send: Callable[[Bot, int], Awaitable[T]]
) -> T | None:
    """Sends on the account used last, else the next; None when the cadre has no
    reachable account. An error that another route cannot cure is raised."""
    routes = await routes_to_cadre(db, bots, cadre_id)
    for n, route in enumerate(routes, start=1):
        try:
            return await send(route.bot, route.chat_id)
        except (Forbidden, BadRequest) as error:
            if n == len(routes) or not worth_another_route(error):
                raise
    return None


async def deliver_on(
    throttle: Throttle, routes: list[Route], send: Callable[[Route], Awaitable[object]]
) -> tuple[Route | None, Delivery]:
    """The scheduler's send on a cadre's routes (the first one's turn already taken): the
    account used last first, the next only when that one is blocked or unknown there
    (certainly not delivered, so a claim still holds once). Says which route it ended on."""
    delivery, last = Delivery(Outcome.UNREACHABLE), None
    for n, route in enumerate(routes):
        last = route
        delivery = await deliver(throttle, route.chat_id, lambda route=route: send(route), turn_taken=n == 0)
        unknown_there = delivery.outcome is Outcome.FAILED and "not found" in (delivery.error or "").lower()
        if delivery.outcome is not Outcome.UNREACHABLE and not unknown_there:
            break
    return last, delivery
