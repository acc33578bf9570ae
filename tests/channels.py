"""Conversation tests on both messengers: a person on Telegram or on Zalo, same verbs.

``person(harness, who)`` gives a ``Chat`` (Telegram: buttons) or a ``ZaloChat`` (Zalo:
numbered choices, pressed by typing the number), so one test body runs on both channels
through the real Application, the channel code and the simulator.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels import ZALO
from bot.harness import Harness
from bot.simulator.zalo import ZaloSimMessage, ZaloSimUser
from storage import accounts, channel_state
from storage.db import Database
from tests.helpers import Chat


def zalo_id(telegram_id: int) -> str:
    """The Zalo account the tests give the person with this Telegram id."""
    return f"z{telegram_id}"


async def link_on_zalo(db: Database, cadre_code: str, external: str, now: str = "2026-11-23T02:00:00Z") -> int:
    """Links a roster cadre to a Zalo account, as an invite code redeemed on Zalo does."""
    cadre_id = await db.fetchval("SELECT id FROM cadres WHERE code = ?", (cadre_code,))
    user_id = await channel_state.internal_id(db, ZALO, external)
    await accounts.link(db, int(cadre_id), ZALO, user_id, now)
    return user_id


@dataclass
class ZaloScreen:
    """A bot message as the helpers read it: the text without its numbered choices."""

    message: ZaloSimMessage

    @property
    def text(self) -> str:
        choices = self.message.choices
        lines = self.message.content.split("\n")
        if choices:
            lines = lines[: len(lines) - len(choices)]
            while lines and not lines[-1]:
                lines.pop()
        return "\n".join(lines)

    def buttons(self) -> list[list[str]]:
        return [[label] for label in self.message.choices]


class ZaloChat:
    """A person in a private Zalo chat with the bot."""

    def __init__(self, harness: Harness, user_id: str, name: str = "Người dùng") -> None:
        self.harness = harness
        self.user: ZaloSimUser = harness.simulator.zalo.user(user_id, name)
        self.taps = 0
        self.typed = 0

    @property
    def screen(self) -> ZaloScreen:
        messages = self.user.messages()
        assert messages, "the bot has not written to this chat"
        return ZaloScreen(messages[-1])

    @property
    def text(self) -> str:
        return self.screen.text

    @property
    def buttons(self) -> list[str]:
        return self.keyboard.message.choices

    @property
    def keyboard(self) -> ZaloScreen:
        with_choices = [m for m in self.user.messages() if m.choices]
        assert with_choices, "no bot message with choices in this chat"
        return ZaloScreen(with_choices[-1])

    async def _done(self, event_id: str) -> ZaloScreen:
        await self.harness.handled(event_id)
        return self.screen

    async def send(self, text: str) -> ZaloScreen:
        self.typed += 1
        return await self._done(await self.user.send_text(text))

    async def press(self, label: str, *, message: object = None) -> ZaloScreen:
        """Types the number of the choice whose label starts with ``label`` (else contains it)."""
        labels = self.buttons
        number = next((n for n, b in enumerate(labels, 1) if b.startswith(label)), None)
        number = number or next((n for n, b in enumerate(labels, 1) if label in b), None)
        assert number is not None, f"no choice {label!r} among {labels}"
        self.taps += 1
        return await self._done(await self.user.send_text(str(number)))

    async def photo(self) -> ZaloScreen:
        return await self._done(await self.user.send_image())

    async def sticker(self) -> ZaloScreen:
        return await self._done(await self.user.send_sticker())

    async def voice(self) -> ZaloScreen:
        return await self._done(await self.user.send_voice())


def person(harness: Harness, telegram_id: int, name: str = "Người dùng") -> Chat | ZaloChat:
    """The person with this Telegram id, on the harness's messenger."""
    if harness.channel == ZALO:
        return ZaloChat(harness, zalo_id(telegram_id), name)
    return Chat(harness, telegram_id, name)



async def link_on(harness: Harness, db: Database, cadre_code: str, telegram_id: int) -> None:
    """Links a roster cadre on the harness's messenger, as the person ``telegram_id`` (on
    Zalo: ``zalo_id(telegram_id)``), and makes them a person who has opened the bot."""
    if harness.channel == ZALO:
        await link_on_zalo(db, cadre_code, zalo_id(telegram_id))
    else:
        await db.execute("UPDATE cadres SET telegram_id = ? WHERE code = ?", (telegram_id, cadre_code))
    person(harness, telegram_id, cadre_code)


class GroupChat:
    """A group chat with the bot on the harness's messenger. On Zalo the bot hears only
    messages that mention it (``mention=False``: Zalo does not deliver the message)."""

    def __init__(self, harness: Harness, chat_id: int = -2001, title: str = "Văn phòng Huyện ủy") -> None:
        self.harness = harness
        sim = harness.simulator
        self.on_zalo = harness.channel == ZALO
        self.group = sim.zalo.group(f"zg{-chat_id}", title) if self.on_zalo else sim.group(chat_id, title)

    async def say(self, telegram_id: int, text: str, *, mention: bool = True) -> bool:
        """The person writes in the group; False when the bot never got the message."""
        sim = self.harness.simulator
        if self.on_zalo:
            event = await self.group.send_text(sim.zalo.user(zalo_id(telegram_id)), text, mention=mention)
            if event is None:
                return False
            await self.harness.handled(event)
            return True
        command, _, args = text.removeprefix("/").partition(" ")
        await self.harness.handled(await self.group.send_command(sim.user(telegram_id, "Người dùng"), command, args))
        return True

    def texts(self) -> list[str]:
        return [m.content for m in self.group.messages()]
