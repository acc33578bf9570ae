"""The people and chats of the fake Telegram, and the messages in them.

SimUser and SimGroup are the handles tests act through (send, press, wait); SimMessage is
what a person sees; _Chat is the per-chat state Telegram keeps (blocked, members, keyboards).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.simulator.markup import _command_text
from bot.simulator.media import FAKE_OGG, FAKE_WEBP, TINY_PNG
from bot.simulator.wire import _keyboard_texts

if TYPE_CHECKING:
    from bot.simulator.state import SimulatorState


@dataclass
class SimMessage:
    """A message in a simulated chat (sent by the bot or by a person); edits mutate it in place."""

    message_id: int
    chat_id: int
    text: str | None
    caption: str | None
    reply_markup: dict[str, Any] | None
    kind: str
    seq: int
    edited: bool = False
    parse_mode: str | None = None
    document_name: str | None = None
    document_bytes: bytes | None = field(default=None, repr=False)
    photo_bytes: bytes | None = field(default=None, repr=False)
    raw_text: str | None = None
    raw_caption: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list, repr=False)
    caption_entities: list[dict[str, Any]] = field(default_factory=list, repr=False)
    from_bot: bool = True
    from_user_id: int | None = None
    date: int = 0
    edit_date: int | None = None
    deleted: bool = False
    file_id: str | None = None
    document_mime: str | None = None
    media_group_id: str | None = None
    reply_to_message_id: int | None = None
    disable_notification: bool = False
    media: dict[str, Any] = field(default_factory=dict, repr=False)

    def buttons(self) -> list[list[str]]:
        """Inline button texts by row ([] if none) - what a person sees under the message."""
        return [[b.get("text", "") for b in row] for row in self._inline_rows()]

    def button_data(self) -> list[list[str]]:
        """callback_data by row (None for URL buttons), to check what a press would send."""
        return [[b.get("callback_data") for b in row] for row in self._inline_rows()]

    def button_list(self) -> list[str]:
        """All inline button texts, flattened, for quick membership checks."""
        return [text for row in self.buttons() for text in row]

    def reply_keyboard(self) -> list[list[str]]:
        """Texts of a ReplyKeyboardMarkup sent with this message ([] if none)."""
        return _keyboard_texts(self.reply_markup)

    @property
    def has_inline_keyboard(self) -> bool:
        """True when the message currently carries inline buttons."""
        return bool(self._inline_rows())

    @property
    def content(self) -> str:
        """The visible text: text for text messages, caption for media."""
        return self.text if self.text is not None else (self.caption or "")

    def _inline_rows(self) -> list[list[dict[str, Any]]]:
        return (self.reply_markup or {}).get("inline_keyboard") or []


@dataclass
class _Query:
    """A callback query the bot still has to answer."""

    user_id: int
    answered: bool = False


@dataclass
class _Chat:
    """A chat the bot can see: a private chat with a user or a group."""

    id: int
    type: str
    title: str | None = None
    user: SimUser | None = None
    messages: dict[int, SimMessage] = field(default_factory=dict)
    next_message_id: int = 1
    blocked: bool = False
    started: bool = True
    deactivated: bool = False
    bot_status: str = "member"
    members: dict[int, str] = field(default_factory=dict)
    reply_keyboard: dict[str, Any] | None = None
    actions: list[str] = field(default_factory=list)
    menu_button: dict[str, Any] | None = None
    pinned: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The Chat object embedded in messages."""
        if self.user is not None:
            return {"id": self.id, "type": "private", **self.user.name_fields()}
        return {"id": self.id, "type": self.type, "title": self.title}


class SimUser:
    """A person in a private chat with the bot (chat id == user id)."""

    def __init__(
        self,
        sim: SimulatorState,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        phone_number: str | None = None,
    ) -> None:
        self._sim = sim
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.phone_number = phone_number or f"849{user_id % 10**8:08d}"
        self.callback_answers: list[dict[str, Any]] = []
        self._cursor = 0

    def __repr__(self) -> str:
        return f"SimUser({self.id}, {self.first_name!r})"

    @property
    def chat_id(self) -> int:
        """Private chat id (same as the user id)."""
        return self.id

    def name_fields(self) -> dict[str, Any]:
        """first/last/username as they appear in both User and private Chat objects."""
        fields: dict[str, Any] = {"first_name": self.first_name}
        if self.last_name:
            fields["last_name"] = self.last_name
        if self.username:
            fields["username"] = self.username
        return fields

    def to_dict(self) -> dict[str, Any]:
        """The User object Telegram sends for this person."""
        user = {"id": self.id, "is_bot": False, **self.name_fields()}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    async def _send(self, kind: str, **fields: Any) -> int:
        """Send into the private chat; remember the spot so wait_reply sees only later replies."""
        update_id = await self._sim.user_sends(self.id, self, kind, **fields)
        self._cursor = self._sim.seq_of_update(update_id)
        return update_id

    async def send_text(self, text: str) -> int:
        """Type a message (a leading /command gets its bot_command entity)."""
        return await self._send("text", text=text)

    async def send_command(self, command: str, args: str = "") -> int:
        """Send /command [args]."""
        return await self.send_text(_command_text(command, args))

    async def share_contact(
        self, phone_number: str | None = None, *, own: bool = True, first_name: str | None = None
    ) -> int:
        """Share a contact; own=True is what the 'share my phone number' button does."""
        default_name = self.first_name if own else "Người khác"
        contact: dict[str, Any] = {
            "phone_number": phone_number or self.phone_number,
            "first_name": first_name or default_name,
            "user_id": self.id if own else self.id + 7_000_000_000,
        }
        if own and self.last_name:
            contact["last_name"] = self.last_name
        return await self._send("contact", media={"contact": contact})

    async def send_photo(self, data: bytes = TINY_PNG, caption: str | None = None) -> int:
        """Send a photo; the sim keeps the bytes so the bot can getFile and download them."""
        return await self._send("photo", data=data, caption=caption)

    async def send_document(
        self,
        data: bytes,
        file_name: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> int:
        """Send a file (e.g. an .xlsx) the bot can download."""
        return await self._send(
            "document", data=data, file_name=file_name, mime_type=mime_type, caption=caption
        )

    async def send_location(self, latitude: float, longitude: float) -> int:
        """Share a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send("location", media={"location": location})

    async def send_sticker(self) -> int:
        """Send a sticker - typical 'unexpected input'."""
        return await self._send("sticker", data=FAKE_WEBP)

    async def send_voice(self) -> int:
        """Send a voice note - typical 'unexpected input'."""
        return await self._send("voice", data=FAKE_OGG)

    async def press(
        self, button: str | tuple[int, int], *, message: SimMessage | None = None
    ) -> int:
        """Press an inline button (exact text or (row, col)) on `message` or the latest keyboard."""
        update_id = await self._sim.press_button(self.id, self, button, message)
        self._cursor = self._sim.seq_of_update(update_id)
        return update_id

    async def press_data(self, data: str, *, message: SimMessage | None = None) -> int:
        """Press a button carrying `data` on `message` (default: the latest bot message),
        whether or not the message shows it now - an old message's button, say."""
        update_id = await self._sim.press_data(self.id, self, data, message)
        self._cursor = self._sim.seq_of_update(update_id)
        return update_id

    async def press_reply_button(self, text: str) -> int:
        """Press a button of the current reply keyboard: sends its text, contact or location."""
        button = self._sim.find_reply_button(self.id, text)
        if button.get("request_contact"):
            return await self.share_contact()
        if button.get("request_location"):
            return await self.send_location(21.0285, 105.8542)
        return await self.send_text(text)

    def reply_keyboard(self) -> list[list[str]]:
        """The reply keyboard currently shown to this user ([] if none)."""
        return self._sim.current_reply_keyboard(self.id)

    def messages(self) -> list[SimMessage]:
        """Bot messages in this chat, in order (deleted ones left out)."""
        return self._sim.sent_messages(self.id)

    def last_message(self) -> SimMessage | None:
        """The newest bot message in this chat."""
        messages = self.messages()
        return messages[-1] if messages else None

    async def wait_reply(
        self, *, after_update: int | None = None, timeout: float = 5.0
    ) -> SimMessage:
        """First bot message (new or edited) after the last action or the last reply waited for.

        Successive calls walk forward, so two replies to one action are two wait_reply calls.
        """
        after = self._cursor if after_update is None else self._sim.seq_of_update(after_update)
        message = await self._sim.wait_for_bot_message(self.id, after=after, timeout=timeout)
        self._cursor = max(self._cursor, message.seq)
        return message

    async def wait_callback_answer(self, *, count: int = 1, timeout: float = 5.0) -> dict[str, Any]:
        """Wait until `count` of this user's callback queries were answered; return the latest."""
        await self._sim.wait_until(
            ("answers", self.id), lambda: len(self.callback_answers) >= count, timeout
        )
        return self.callback_answers[-1]

    def block(self) -> None:
        """The user blocks the bot."""
        self._sim.block(self.id)


class SimGroup:
    """A basic group the bot is a member of (negative chat id)."""

    def __init__(self, sim: SimulatorState, chat_id: int, title: str) -> None:
        self._sim = sim
        self.id = chat_id
        self.title = title
        self._cursor = 0

    def __repr__(self) -> str:
        return f"SimGroup({self.id}, {self.title!r})"

    def add_member(self, user: SimUser, status: str = "member") -> None:
        """Make `user` a member (or administrator/creator/left/kicked) of the group."""
        self._sim.chat(self.id).members[user.id] = status

    def _acted(self, update_id: int) -> int:
        """Remember the spot so wait_reply sees only later bot messages."""
        self._cursor = self._sim.seq_of_update(update_id)
        return update_id

    async def send_text(self, from_user: SimUser, text: str) -> int:
        """`from_user` writes in the group (joining it if needed)."""
        return self._acted(await self._sim.user_sends(self.id, from_user, "text", text=text))

    async def send_command(self, from_user: SimUser, command: str, args: str = "") -> int:
        """`from_user` sends /command [args] in the group."""
        return await self.send_text(from_user, _command_text(command, args))

    async def press(
        self,
        from_user: SimUser,
        button: str | tuple[int, int],
        *,
        message: SimMessage | None = None,
    ) -> int:
        """`from_user` presses an inline button on a bot message in the group."""
        return self._acted(await self._sim.press_button(self.id, from_user, button, message))

    async def press_data(self, from_user: SimUser, data: str, *, message: SimMessage | None = None) -> int:
        """`from_user` presses a button carrying `data` on a group message, whether or not
        it shows it now (a second tap that arrives after the message was edited)."""
        return self._acted(await self._sim.press_data(self.id, from_user, data, message))

    def messages(self) -> list[SimMessage]:
        """Bot messages in the group, in order."""
        return self._sim.sent_messages(self.id)

    def last_message(self) -> SimMessage | None:
        """The newest bot message in the group."""
        messages = self.messages()
        return messages[-1] if messages else None

    async def wait_reply(self, *, timeout: float = 5.0) -> SimMessage:
        """First bot message (new or edited) in the group after the last action."""
        message = await self._sim.wait_for_bot_message(self.id, after=self._cursor, timeout=timeout)
        self._cursor = max(self._cursor, message.seq)
        return message


def _find_inline_button(message: SimMessage, button: str | tuple[int, int]) -> dict[str, Any]:
    """The inline button by exact text or (row, col); LookupError lists what exists."""
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    if isinstance(button, tuple):
        row, col = button
        if 0 <= row < len(rows) and 0 <= col < len(rows[row]):
            return dict(rows[row][col])
    else:
        for candidate in (b for r in rows for b in r):
            if candidate.get("text") == button:
                return dict(candidate)
    raise LookupError(
        f"no button {button!r} on message {message.message_id}; buttons: {message.buttons()}"
    )
