"""The messengers baocao speaks, each behind python-telegram-bot's Bot API boundary.

Telegram is PTB's own ``Bot``. Zalo (``bot.channels.zalo``) is the same ``ExtBot`` with a
``BaseRequest`` that turns Telegram methods into Zalo calls and Zalo events into
Telegram ``Update``s, so every handler serves both messengers through one code path.

One process may run one ``Application`` per channel on one database. What reaches a
cadre outside a conversation (reminders, notices, escalation answers) goes through the
``Channels`` registry that every application's ``BotData.channels`` shares: a name →
bot map, so the scheduler sends on the messenger the cadre used last without knowing
(or importing) anything of the handlers or of Zalo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from telegram import Bot
from telegram.ext import Application

from storage.channel_state import channel_of_chat

TELEGRAM = "telegram"
ZALO = "zalo"
CHANNELS = (TELEGRAM, ZALO)


@dataclass
class Channels:
    """The bots of every channel this process serves, by channel name."""

    bots: dict[str, Bot] = field(default_factory=dict)

    def add(self, channel: str, bot: Bot) -> None:
        self.bots[channel] = bot

    def bot(self, channel: str) -> Bot | None:
        return self.bots.get(channel)

    def bot_for_chat(self, chat_id: int) -> Bot | None:
        """The bot of the messenger a chat id belongs to (Zalo ids are mapped apart)."""
        return self.bots.get(channel_of_chat(chat_id))

    def names(self) -> list[str]:
        return list(self.bots)


def link_applications(applications: Iterable[Application]) -> Channels:
    """Makes every application's registry hold every channel's bot (one process, one db).

    Call once after building the applications of a process (``baocao run`` with both
    tokens): a reminder sent by one application's scheduler can then reach a cadre on
    the other messenger.
    """
    shared = Channels()
    apps = list(applications)
    for app in apps:
        shared.add(app.bot_data.channel, app.bot)
    for app in apps:
        app.bot_data.channels = shared
    return shared
