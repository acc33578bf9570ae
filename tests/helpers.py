"""Small helpers to act as a person in the simulator and wait for the bot to be done.

Every action waits until the real Application has handled the update (all handler groups
ran), so a test reads the bot's answer without sleeping.
"""

from __future__ import annotations

from bot.harness import Harness
from bot.simulator import SimMessage, SimUser


class Chat:
    """A person in a private chat with the bot."""

    def __init__(self, harness: Harness, user_id: int, name: str = "Người dùng", language: str | None = "vi") -> None:
        self.harness = harness
        self.user: SimUser = harness.simulator.user(user_id, name, language_code=language)
        self.taps = 0  # buttons pressed
        self.typed = 0  # messages typed (commands included)

    @property
    def screen(self) -> SimMessage:
        """The bot message that changed last (a new one, or one just edited)."""
        messages = self.user.messages()
        assert messages, "the bot has not written to this chat"
        return max(messages, key=lambda m: m.seq)

    @property
    def text(self) -> str:
        return self.screen.text or ""

    @property
    def buttons(self) -> list[str]:
        return [label for row in self.screen.buttons() for label in row]

    async def _done(self, update_id: int) -> SimMessage:
        await self.harness.handled(update_id)
        return self.screen

    async def send(self, text: str) -> SimMessage:
        self.typed += 1
        return await self._done(await self.user.send_text(text))

    @property
    def keyboard(self) -> SimMessage:
        """The bot message with buttons that changed last: what a person would tap."""
        with_buttons = [m for m in self.user.messages() if m.buttons()]
        assert with_buttons, "no bot message with buttons in this chat"
        return max(with_buttons, key=lambda m: m.seq)

    async def press(self, label: str, *, message: SimMessage | None = None) -> SimMessage:
        """Presses the button whose label starts with ``label`` (else contains it)."""
        target = message or self.keyboard
        labels = [b for row in target.buttons() for b in row]
        matches = [b for b in labels if b.startswith(label)] or [b for b in labels if label in b]
        assert matches, f"no button {label!r} among {labels}"
        self.taps += 1
        return await self._done(await self.user.press(matches[0], message=target))

    async def photo(self) -> SimMessage:
        return await self._done(await self.user.send_photo())

    async def sticker(self) -> SimMessage:
        return await self._done(await self.user.send_sticker())

    async def voice(self) -> SimMessage:
        return await self._done(await self.user.send_voice())

    async def location(self, latitude: float, longitude: float) -> SimMessage:
        return await self._done(await self.user.send_location(latitude, longitude))


async def forge_callback(harness: Harness, user_id: int, data: str, message_id: int) -> None:
    """A button press with any callback data, as an old message or a modified client sends it.

    Handed to the real Application directly: the simulator only presses buttons that exist.
    """
    from telegram import Update

    forge_callback.counter += 1  # type: ignore[attr-defined]
    raw = {
        "update_id": 900_000 + forge_callback.counter,  # type: ignore[attr-defined]
        "callback_query": {
            "id": f"forged-{forge_callback.counter}",  # type: ignore[attr-defined]
            "from": {"id": user_id, "is_bot": False, "first_name": "X", "language_code": "vi"},
            "chat_instance": "forged",
            "data": data,
            "message": {"message_id": message_id, "date": 0, "chat": {"id": user_id, "type": "private"}},
        },
    }
    application = harness.application
    await application.process_update(Update.de_json(raw, application.bot))


forge_callback.counter = 0  # type: ignore[attr-defined]
