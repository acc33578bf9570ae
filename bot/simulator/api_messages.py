"""Bot API methods that send, edit and delete messages, answer callback queries and hand
out files - with Telegram's checks on text, captions, replies and rate limits.

Each takes the decoded parameters and returns the "result" of a successful answer; the
registry (bot.simulator.registry) maps Telegram's method names to them.
"""

from __future__ import annotations

from typing import Any

from bot.simulator.markup import parse_text, utf16_len
from bot.simulator.media import _document_fields
from bot.simulator.people import SimMessage, _Chat
from bot.simulator.registry import api_method
from bot.simulator.wire import (
    CALLBACK_ANSWER_LIMIT,
    CAPTION_LIMIT,
    DOWNLOAD_LIMIT,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    TEXT_LIMIT,
    _bad,
    check_reply_markup,
)

_CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)


class MessageMethods:
    """sendMessage and friends, edits, deletes, callback answers, media and files."""

    # --------------------------------------------------------------- common checks

    def _text(self, params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        """Parse and check message text: not empty, at most 4096 UTF-16 units."""
        raw = params.get("text")
        raw = str(raw) if isinstance(raw, int | float) else raw
        if not isinstance(raw, str) or not raw.strip():
            raise _bad("message text is empty")
        text, entities = parse_text(raw, params.get("parse_mode"))
        if not text.strip():
            raise _bad("message text is empty")
        if utf16_len(text) > TEXT_LIMIT:
            raise _bad("message is too long")
        return text, params.get("entities") or entities

    def _caption(self, params: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
        """Parse and check a caption: optional, at most 1024 UTF-16 units."""
        raw = params.get("caption")
        if raw is None or raw == "":
            return None, []
        caption, entities = parse_text(str(raw), params.get("parse_mode"))
        if utf16_len(caption) > CAPTION_LIMIT:
            raise _bad("message caption is too long")
        return caption, params.get("caption_entities") or entities

    def _reply_to(self, chat: _Chat, params: dict[str, Any]) -> int | None:
        """reply_parameters / reply_to_message_id must name a message in the chat."""
        reply = params.get("reply_parameters")
        reply = reply if isinstance(reply, dict) else {}
        target = reply.get("message_id") or params.get("reply_to_message_id")
        if not target:
            return None
        message = chat.messages.get(int(target))
        if message is None or message.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            if params.get("allow_sending_without_reply"):
                return None
            raise _bad("message to be replied not found")
        return int(target)

    async def _send(
        self, chat: _Chat, kind: str, params: dict[str, Any], **fields: Any
    ) -> SimMessage:
        """Store one bot message after the common checks and wake waiters on the chat."""
        markup = check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat, params)
        self._rate_check(chat)
        message = self._new_message(
            chat, kind, from_bot=True, from_user_id=None, reply_markup=markup,
            parse_mode=params.get("parse_mode"), reply_to_message_id=reply_to,
            disable_notification=bool(params.get("disable_notification")), **fields,
        )  # fmt: skip
        self._rate_record(chat)
        if markup and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        await self._notify(("chat", chat.id))
        return message

    def _editable(self, params: dict[str, Any]) -> tuple[_Chat, SimMessage]:
        """The bot message an edit method targets (400s as Telegram)."""
        if params.get("inline_message_id") and not params.get("chat_id"):
            raise _bad("MESSAGE_ID_INVALID")
        chat = self._writable_chat(params)
        message = chat.messages.get(params.get("message_id") or 0)
        if message is None or message.deleted:
            raise _bad("message to edit not found")
        if not message.from_bot:
            raise _bad("message can't be edited")
        return chat, message

    async def _commit_edit(
        self, chat: _Chat, message: SimMessage, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """Apply an edit unless nothing changes; bump seq so waiters see it."""
        if all(getattr(message, key) == value for key, value in changes.items()):
            raise _bad(NOT_MODIFIED)
        self._rate_check(chat)
        for key, value in changes.items():
            setattr(message, key, value)
        message.edited, message.edit_date, message.seq = True, self._now(), self._next_seq()
        self._rate_record(chat)
        await self._notify(("chat", chat.id))
        return self._message_dict(message)

    # ------------------------------------------------------------------- methods

    @api_method("sendMessage")
    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        """Text with parse_mode/entities, markup and reply checks, then rate limits."""
        chat = self._writable_chat(params)
        text, entities = self._text(params)
        message = await self._send(chat, "text", params, text=text, entities=entities,
                                   raw_text=str(params["text"]))  # fmt: skip
        return self._message_dict(message)

    @api_method("editMessageText")
    async def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        """Leaving out reply_markup removes the inline keyboard, as in Telegram."""
        chat, message = self._editable(params)
        if message.text is None:
            raise _bad("there is no text in the message to edit")
        text, entities = self._text(params)
        markup = _edited_markup(message, params)
        changes = {"text": text, "entities": entities, "reply_markup": markup}
        result = await self._commit_edit(chat, message, changes)
        message.raw_text, message.parse_mode = str(params["text"]), params.get("parse_mode")
        return result

    @api_method("editMessageCaption")
    async def _edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        """Only media messages have captions."""
        chat, message = self._editable(params)
        if message.kind == "text":
            raise _bad("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        markup = _edited_markup(message, params)
        changes = {"caption": caption, "caption_entities": entities, "reply_markup": markup}
        result = await self._commit_edit(chat, message, changes)
        message.raw_caption = params.get("caption")
        return result

    @api_method("editMessageReplyMarkup")
    async def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        """Replace or (without reply_markup) remove the inline keyboard."""
        chat, message = self._editable(params)
        changes = {"reply_markup": _edited_markup(message, params)}
        return await self._commit_edit(chat, message, changes)

    @api_method("deleteMessage")
    async def _delete_message(self, params: dict[str, Any]) -> bool:
        """Marks the message deleted (it stays visible via deleted_messages)."""
        chat = self._writable_chat(params)
        message = chat.messages.get(params.get("message_id") or 0)
        if message is None or message.deleted:
            raise _bad("message to delete not found")
        message.deleted = True
        await self._notify(("chat", chat.id))
        return True

    @api_method("deleteMessages")
    async def _delete_messages(self, params: dict[str, Any]) -> bool:
        """Bulk delete; unknown ids are skipped like Telegram."""
        chat = self._writable_chat(params)
        for message_id in params.get("message_ids") or []:
            if (message := chat.messages.get(int(message_id))) is not None:
                message.deleted = True
        await self._notify(("chat", chat.id))
        return True

    @api_method("answerCallbackQuery")
    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        """Each query can be answered once; the answer is kept on the SimUser."""
        query_id = str(params.get("callback_query_id") or "")
        query = self._queries.get(query_id)
        if query is None or query.answered:
            raise _bad(QUERY_TOO_OLD)
        text = params.get("text")
        if text and utf16_len(str(text)) > CALLBACK_ANSWER_LIMIT:
            raise _bad("MESSAGE_TOO_LONG")
        query.answered = True
        answer = {"callback_query_id": query_id, "text": text,
                  "show_alert": bool(params.get("show_alert")), "url": params.get("url"),
                  "cache_time": params.get("cache_time")}  # fmt: skip
        self._users[query.user_id].callback_answers.append(answer)
        await self._notify(("answers", query.user_id))
        return True

    @api_method("sendPhoto")
    async def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        """An uploaded image (checked to be one) or a known file_id."""
        chat = self._writable_chat(params)
        caption, entities = self._caption(params)
        sizes, data, file_id = self._photo_input(params, "photo")
        message = await self._send(
            chat, "photo", params, caption=caption, caption_entities=entities,
            raw_caption=params.get("caption"), photo_bytes=data, file_id=file_id,
            media={"photo": sizes},
        )  # fmt: skip
        return self._message_dict(message)

    @api_method("sendDocument")
    async def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        """An upload keeps its file name and MIME type, or a known file_id."""
        chat = self._writable_chat(params)
        caption, entities = self._caption(params)
        stored = self._document_input(params, "document")
        message = await self._send(
            chat, "document", params, caption=caption, caption_entities=entities,
            raw_caption=params.get("caption"), **_document_fields(stored),
        )  # fmt: skip
        return self._message_dict(message)

    @api_method("sendMediaGroup")
    async def _send_media_group(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """2-10 photos/documents sharing a media_group_id; counts as N messages."""
        chat = self._writable_chat(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _bad("wrong number of media in the group, must be between 2 and 10")
        items = [self._album_item(item, params) for item in media]
        reply_to = self._reply_to(chat, params)
        self._rate_check(chat, len(items))
        album = str(13_000_000_000_000_000 + self._next("album"))
        messages = [
            self._new_message(chat, kind, from_bot=True, from_user_id=None, media_group_id=album,
                              reply_to_message_id=reply_to, **fields)  # fmt: skip
            for kind, fields in items
        ]
        self._rate_record(chat, len(items))
        await self._notify(("chat", chat.id))
        return [self._message_dict(m) for m in messages]

    def _album_item(self, item: Any, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(kind, message fields) for one InputMedia of a media group."""
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in ("photo", "document"):
            raise _bad("can't parse InputMedia: unsupported media type")
        sub = {**params, "media": item.get("media"), "caption": item.get("caption"),
               "parse_mode": item.get("parse_mode")}  # fmt: skip
        caption, entities = self._caption(sub)
        fields: dict[str, Any] = {"caption": caption, "caption_entities": entities,
                                  "raw_caption": item.get("caption")}  # fmt: skip
        if kind == "photo":
            sizes, data, file_id = self._photo_input(sub, "media")
            return kind, {**fields, "photo_bytes": data, "file_id": file_id,
                          "media": {"photo": sizes}}  # fmt: skip
        return kind, {**fields, **_document_fields(self._document_input(sub, "media"))}

    @api_method("copyMessage")
    async def _copy_message(self, params: dict[str, Any]) -> dict[str, int]:
        """A copy without a link to the original; answers the new MessageId."""
        copy = await self._duplicate(params)
        return {"message_id": copy.message_id}

    @api_method("forwardMessage")
    async def _forward_message(self, params: dict[str, Any]) -> dict[str, Any]:
        """Modelled as a copy; answers the new Message."""
        return self._message_dict(await self._duplicate(params))

    async def _duplicate(self, params: dict[str, Any]) -> SimMessage:
        """Copy a message from from_chat_id into chat_id as a new bot message."""
        chat = self._writable_chat(params)
        source_chat = self._known_chat(params, "from_chat_id")
        source = source_chat.messages.get(params.get("message_id") or 0)
        if source is None or source.deleted:
            raise _bad("message to copy not found")
        copied = ("text caption entities caption_entities raw_text raw_caption document_name "
                  "document_bytes photo_bytes document_mime file_id").split()  # fmt: skip
        fields = {key: getattr(source, key) for key in copied}
        return await self._send(chat, source.kind, params, media=dict(source.media), **fields)

    @api_method("sendChatAction")
    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        """Recorded per chat (see chat_actions) after checking the action name."""
        chat = self._writable_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        chat.actions.append(params["action"])
        return True

    @api_method("getFile")
    async def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        """The file_path to download from /file/bot<token>/<file_path> (max 20 MB)."""
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.data) > DOWNLOAD_LIMIT:
            raise _bad("file is too big")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data), "file_path": stored.file_path}  # fmt: skip



def _edited_markup(message: SimMessage, params: dict[str, Any]) -> dict[str, Any] | None:
    """The markup after an edit: edits set (or drop) the inline keyboard only.

    A reply keyboard sent with the message belongs to the chat, so an edit leaves it alone.
    """
    markup = check_reply_markup(params.get("reply_markup"))
    if markup is not None and "inline_keyboard" not in markup:
        raise _bad("inline keyboard expected")
    if markup is None and message.reply_markup and "inline_keyboard" not in message.reply_markup:
        return message.reply_markup
    return markup
