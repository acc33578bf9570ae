"""The people of the simulated Zalo: the messages a person's phone shows, a person, a group.

Split from ``bot/simulator/zalo.py`` (the platform and its API methods) so each reads on its
own; ``bot.simulator.zalo`` re-exports these names, where tests and the demo find them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.simulator.state import TINY_PNG

if TYPE_CHECKING:
    from bot.simulator.zalo import ZaloSimulator

_CHOICE_LINE = re.compile(r"^(\d{1,2})\. (.+)$")

TEXT = "message.text.received"
IMAGE = "message.image.received"
STICKER = "message.sticker.received"
VOICE = "message.voice.received"
UNSUPPORTED = "message.unsupported.received"


@dataclass
class ZaloSimMessage:
    """A message the bot sent, as the person's phone shows it."""

    seq: int
    chat_id: str
    message_id: str
    text: str | None = None
    photo_url: str | None = None
    caption: str | None = None

    @property
    def content(self) -> str:
        return self.text if self.text is not None else (self.caption or "")

    @property
    def choices(self) -> list[str]:
        """The numbered choices at the end of the text ('1. …' lines), labels only."""
        labels: list[str] = []
        for line in reversed(self.content.split("\n")):
            match = _CHOICE_LINE.match(line)
            if match is None:
                break
            labels.insert(0, match.group(2))
        return labels


@dataclass
class ZaloSimUser:
    sim: ZaloSimulator
    id: str
    name: str

    def _sender(self) -> dict[str, Any]:
        return {"id": self.id, "display_name": self.name, "is_bot": False}

    def _chat(self) -> dict[str, Any]:
        return {"id": self.id, "chat_type": "PRIVATE"}

    async def send_text(self, text: str) -> str:
        return await self.sim.user_event(TEXT, self._sender(), self._chat(), {"text": text})

    async def send_image(self, data: bytes = TINY_PNG, caption: str | None = None) -> str:
        """A photo: Zalo hands the bot a URL (here served by the simulator) and a caption."""
        url = self.sim.host_image(data)
        extra: dict[str, Any] = {"photo_url": url, "caption": caption or ""}
        return await self.sim.user_event(IMAGE, self._sender(), self._chat(), extra)

    async def send_sticker(self) -> str:
        extra = {"sticker": "sticker-1", "url": "https://zalo.example/sticker.webp"}
        return await self.sim.user_event(STICKER, self._sender(), self._chat(), extra)

    async def send_voice(self) -> str:
        extra = {"voice_url": "https://zalo.example/voice.aac"}
        return await self.sim.user_event(VOICE, self._sender(), self._chat(), extra)

    async def send_unsupported(self) -> str:
        return await self.sim.user_event(UNSUPPORTED, self._sender(), self._chat(), {})

    def messages(self) -> list[ZaloSimMessage]:
        return self.sim.sent_to(self.id)

    def block(self) -> None:
        self.sim.blocked.add(self.id)


@dataclass
class ZaloSimGroup:
    """A group chat (beta on Zalo): the bot hears only messages that mention it."""

    sim: ZaloSimulator
    id: str
    title: str

    async def send_text(self, user: ZaloSimUser, text: str, *, mention: bool = True) -> str | None:
        """None when the message does not mention the bot: Zalo does not deliver it."""
        if mention:
            text = f"@{self.sim.bot_name} {text}"
        if f"@{self.sim.bot_name}" not in text:
            return None
        chat = {"id": self.id, "chat_type": "GROUP"}
        return await self.sim.user_event(TEXT, user._sender(), chat, {"text": text})

    def messages(self) -> list[ZaloSimMessage]:
        return self.sim.sent_to(self.id)
