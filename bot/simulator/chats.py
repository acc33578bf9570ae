"""People, chats and messages inside the simulator: who exists, what the bot sent, what a
person does (send, press), and the Message objects exactly as Telegram serialises them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.simulator.markup import command_entities
from bot.simulator.people import SimGroup, SimMessage, SimUser, _Chat, _find_inline_button, _Query
from bot.simulator.wire import _bad, _forbidden, _keyboard_texts


class ChatsMixin:
    """The people-and-messages part of SimulatorState (its queue and files come from there)."""

    bot_id: int
    bot_username: str
    bot_first_name: str
    _chats: dict[int, _Chat]
    _users: dict[int, SimUser]
    _groups: dict[int, SimGroup]
    _bot_messages: list[SimMessage]
    _queries: dict[str, _Query]
    _now: Callable[[], int]

    # ------------------------------------------------------------------ people & chats

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        phone_number: str | None = None,
        started: bool = True,
    ) -> SimUser:
        """A person with a private chat with the bot (started=False: never pressed Start).

        Asking again for a known id returns the same SimUser.
        """
        if user_id <= 0:
            raise ValueError("user ids are positive")
        if user_id not in self._users:
            person = SimUser(self, user_id, first_name, last_name=last_name, username=username,
                             language_code=language_code, phone_number=phone_number)  # fmt: skip
            self._users[user_id] = person
            self._chats[user_id] = _Chat(user_id, "private", user=person, started=started)
        return self._users[user_id]

    def group(self, chat_id: int, title: str) -> SimGroup:
        """A basic group containing the bot (same SimGroup for a known id)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        if chat_id not in self._groups:
            self._groups[chat_id] = SimGroup(self, chat_id, title)
            self._chats[chat_id] = _Chat(chat_id, "group", title=title)
        return self._groups[chat_id]

    def chat(self, chat_id: int) -> _Chat:
        """Internal chat state (KeyError if unknown)."""
        return self._chats[chat_id]

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sending to them answers 403."""
        self._chats[user_id].blocked = True

    def unblock(self, user_id: int) -> None:
        """The user unblocked the bot (writing to the bot again does this too)."""
        self._chats[user_id].blocked = False

    def deactivate(self, user_id: int) -> None:
        """The user deleted their account: sending answers 403 'user is deactivated'."""
        self._chats[user_id].deactivated = True

    def kick_bot(self, chat_id: int) -> None:
        """The bot was removed from a group: sending answers 403."""
        self._chats[chat_id].bot_status = "kicked"

    # ----------------------------------------------------------------- what the bot did

    def sent_messages(self, chat_id: int | None = None) -> list[SimMessage]:
        """Messages sent by the bot (current state, deleted ones left out), in order."""
        if chat_id is None:
            return [m for m in self._bot_messages if not m.deleted]
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if m.from_bot and not m.deleted]

    def deleted_messages(self, chat_id: int) -> list[SimMessage]:
        """Bot or user messages the bot deleted in a chat."""
        chat = self._chats.get(chat_id)
        return [m for m in chat.messages.values() if m.deleted] if chat else []

    def chat_actions(self, chat_id: int) -> list[str]:
        """sendChatAction actions seen for a chat, in order."""
        return list(self._chats[chat_id].actions)

    def current_reply_keyboard(self, chat_id: int) -> list[list[str]]:
        """Texts of the reply keyboard the user currently sees ([] if none)."""
        return _keyboard_texts(self._chats[chat_id].reply_keyboard)

    def find_reply_button(self, chat_id: int, text: str) -> dict[str, Any]:
        """The reply keyboard button with this text, or LookupError listing what is there."""
        markup = self._chats[chat_id].reply_keyboard or {}
        for button in (b for row in markup.get("keyboard", []) for b in row):
            button = {"text": button} if isinstance(button, str) else button
            if button.get("text") == text:
                return button
        shown = self.current_reply_keyboard(chat_id)
        raise LookupError(f"no reply button {text!r}; keyboard: {shown}")

    async def wait_for_bot_message(
        self,
        chat_id: int,
        *,
        after: int = 0,
        timeout: float = 5.0,
        predicate: Callable[[SimMessage], bool] | None = None,
    ) -> SimMessage:
        """The first bot message in the chat with seq > after (and predicate).

        Waits on the chat's condition (woken by every send, edit and delete); TimeoutError if
        nothing matching arrives, listing the chat's latest messages to ease debugging.
        """

        def find() -> SimMessage | None:
            found = [m for m in self.sent_messages(chat_id)
                     if m.seq > after and (predicate is None or predicate(m))]  # fmt: skip
            return min(found, key=lambda m: m.seq) if found else None

        try:
            await self.wait_until(("chat", chat_id), lambda: find() is not None, timeout)
        except TimeoutError:
            recent = [(m.seq, m.content[:60]) for m in self.sent_messages(chat_id)[-5:]]
            raise TimeoutError(
                f"no bot message in chat {chat_id} after seq {after} within {timeout}s; "
                f"recent: {recent}"
            ) from None
        message = find()
        assert message is not None
        return message

    # ------------------------------------------------------------------ user actions

    def _new_message(
        self, chat: _Chat, kind: str, *, from_bot: bool, from_user_id: int | None, **fields: Any
    ) -> SimMessage:
        """Store a new message in `chat` with the next message id and seq."""
        message = SimMessage(
            message_id=chat.next_message_id,
            chat_id=chat.id,
            text=fields.pop("text", None),
            caption=fields.pop("caption", None),
            reply_markup=fields.pop("reply_markup", None),
            kind=kind,
            seq=self._next_seq(),
            from_bot=from_bot,
            from_user_id=from_user_id,
            date=self._now(),
            **fields,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        if from_bot:
            self._bot_messages.append(message)
        return message

    async def user_sends(
        self,
        chat_id: int,
        person: SimUser,
        kind: str,
        *,
        text: str | None = None,
        caption: str | None = None,
        data: bytes | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
        media: dict[str, Any] | None = None,
    ) -> int:
        """A person sends a message of `kind` into `chat_id`; returns the update_id.

        Writing to the bot also (re)starts and unblocks a private chat, as in Telegram.
        """
        chat = self._chats[chat_id]
        if chat.user is not None:
            chat.blocked = chat.deactivated = False
            chat.started = True
        else:
            chat.members.setdefault(person.id, "member")
        media = dict(media or {})
        if data is not None:
            media.update(self._user_media(kind, data, file_name, mime_type))
        message = self._new_message(
            chat, kind, from_bot=False, from_user_id=person.id, text=text, caption=caption,
            media=media, raw_text=text, document_name=file_name,
            entities=command_entities(text) if text else [],
        )  # fmt: skip
        if kind in ("photo", "document", "sticker", "voice"):
            described = media[kind][-1] if kind == "photo" else media[kind]
            message.file_id = described["file_id"]
        if kind == "photo":
            message.photo_bytes = data
        if kind == "document":
            message.document_bytes, message.document_mime = data, media[kind].get("mime_type")
        return await self._queue("message", self._message_dict(message, person))

    async def press_button(
        self,
        chat_id: int,
        person: SimUser,
        button: str | tuple[int, int],
        message: SimMessage | None,
    ) -> int:
        """Queue the CallbackQuery Telegram sends when `person` presses an inline button."""
        message = message or self._latest_keyboard(chat_id)
        if message.deleted:
            raise LookupError(f"message {message.message_id} was deleted")
        data = _find_inline_button(message, button).get("callback_data")
        if data is None:
            raise LookupError(f"button {button!r} has no callback_data (URL or other button)")
        return await self._queue_callback_query(chat_id, person, str(data), message)

    async def press_data(
        self, chat_id: int, person: SimUser, data: str, message: SimMessage | None
    ) -> int:
        """Queue a CallbackQuery with any `data`, as a button of an old message sends it.

        The data need not be on the message any more: buttons of a message sent by an
        earlier version of the bot, or of a message the bot has since edited, still send
        what they carried. `message` defaults to the chat's latest bot message.
        """
        if message is None:
            sent = self.sent_messages(chat_id)
            if not sent:
                raise LookupError(f"no bot message in chat {chat_id} to press on")
            message = sent[-1]
        return await self._queue_callback_query(chat_id, person, data, message)

    async def _queue_callback_query(
        self, chat_id: int, person: SimUser, data: str, message: SimMessage
    ) -> int:
        """The CallbackQuery update for a press on `message` carrying `data`."""
        query_id = str(4_000_000_000_000_000_000 + self._next("query"))
        self._queries[query_id] = _Query(person.id)
        query = {
            "id": query_id,
            "from": person.to_dict(),
            "message": self._message_dict(message),
            "chat_instance": str(abs(chat_id) * 31 + self.bot_id),
            "data": data,
        }
        return await self._queue("callback_query", query)

    def _latest_keyboard(self, chat_id: int) -> SimMessage:
        """The newest bot message in the chat that has inline buttons."""
        for message in reversed(self.sent_messages(chat_id)):
            if message.has_inline_keyboard:
                return message
        raise LookupError(f"no bot message with an inline keyboard in chat {chat_id}")

    # ------------------------------------------------------------- wire format

    def bot_user(self) -> dict[str, Any]:
        """The bot's User object."""
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}  # fmt: skip

    def _message_dict(
        self, message: SimMessage, sender: SimUser | None = None, *, nested: bool = False
    ) -> dict[str, Any]:
        """A Message object exactly as Telegram serialises it."""
        chat = self._chats[message.chat_id]
        sender = sender or self._users.get(message.from_user_id or 0)
        author = self.bot_user() if message.from_bot or sender is None else sender.to_dict()
        result: dict[str, Any] = {"message_id": message.message_id, "date": message.date,
                                  "chat": chat.to_dict(), "from": author}  # fmt: skip
        if message.text is not None:
            result["text"] = message.text
            if message.entities:
                result["entities"] = message.entities
        if message.caption is not None:
            result["caption"] = message.caption
            if message.caption_entities:
                result["caption_entities"] = message.caption_entities
        result.update(message.media)
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            result["reply_markup"] = message.reply_markup
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if message.media_group_id:
            result["media_group_id"] = message.media_group_id
        replied = chat.messages.get(message.reply_to_message_id or 0)
        if replied is not None and not nested:
            result["reply_to_message"] = self._message_dict(replied, nested=True)
        return result

    # --------------------------------------------------------------- chat checks

    def _writable_chat(self, params: dict[str, Any], key: str = "chat_id") -> _Chat:
        """Resolve chat_id and apply Telegram's 400/403 checks for sending into it."""
        chat = self._known_chat(params, key)
        if chat.user is not None:
            if chat.deactivated:
                raise _forbidden("user is deactivated")
            if chat.blocked:
                raise _forbidden("bot was blocked by the user")
            if not chat.started:
                raise _forbidden("bot can't initiate conversation with a user")
        elif chat.bot_status == "kicked":
            raise _forbidden("bot was kicked from the group chat")
        elif chat.bot_status == "left":
            raise _forbidden("bot is not a member of the group chat")
        return chat

    def _known_chat(self, params: dict[str, Any], key: str = "chat_id") -> _Chat:
        """Resolve chat_id to a chat the bot has seen (400 chat not found otherwise)."""
        chat_id = params.get(key)
        if chat_id is None or chat_id == "":
            raise _bad(f"{key} is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise _bad("chat not found")
        return chat
