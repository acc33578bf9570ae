"""Zalo events → Telegram ``Update`` JSON, so the handlers read Zalo like Telegram.

Both shapes the platform uses are accepted: the bare ``{event_name, message}`` that
production clients see, and the documented ``{ok: true, result: {…}}``. An event seen
before (event_name + message_id) gives None: Zalo may deliver one twice. A typed reply
that picks a numbered choice becomes a ``callback_query`` with that option's data and
the screen's own message, exactly what a Telegram button press delivers.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from bot.channels import ZALO
from bot.channels.zalo.api import ZaloApiError
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.choices import choice_lines, read_reply
from domain.textinput import fold
from storage import channel_state

log = logging.getLogger(__name__)

TEXT = "message.text.received"
IMAGE = "message.image.received"
STICKER = "message.sticker.received"
VOICE = "message.voice.received"
UNSUPPORTED = "message.unsupported.received"
EVENTS = (TEXT, IMAGE, STICKER, VOICE, UNSUPPORTED)

# Carried in the Update (PTB keeps unknown fields in ``api_kwargs``): which Zalo message
# it came from, so a test or the webhook log can follow one event by id.
EVENT_ID_KEY = "zalo_message_id"


class MalformedEvent(ValueError):
    """A body that is not a Zalo event; ``event_id`` is all that may be logged of it."""

    def __init__(self, reason: str, event_id: str | None = None) -> None:
        super().__init__(reason)
        self.event_id = event_id


def unwrap(body: object) -> dict[str, Any]:
    """The event inside either shape, checked enough for the translation not to fail."""
    if isinstance(body, dict) and "result" in body and "event_name" not in body:
        body = body["result"]
    if not isinstance(body, dict):
        raise MalformedEvent("the body is not an object")
    message = body.get("message")
    event_id = message.get("message_id") if isinstance(message, dict) else None
    event_id = str(event_id) if isinstance(event_id, str | int) else None
    if body.get("event_name") not in EVENTS:
        raise MalformedEvent("unknown event_name", event_id)
    if not isinstance(message, dict) or event_id is None:
        raise MalformedEvent("no message or message_id", event_id)
    sender, chat = message.get("from"), message.get("chat")
    if not isinstance(sender, dict) or not _id(sender) or not isinstance(chat, dict) or not _id(chat):
        raise MalformedEvent("no sender or chat id", event_id)
    return body


def _id(part: dict[str, Any]) -> str | None:
    value = part.get("id")
    return str(value) if isinstance(value, str | int) and str(value) else None


async def to_update(channel: ZaloChannel, body: object) -> dict[str, Any] | None:
    """The Update for one event; None when it is a repeat or the channel answered it itself."""
    event = unwrap(body)
    message = event["message"]
    key = f"{event['event_name']}:{message['message_id']}"
    update_id = await channel_state.record_event(channel.db, ZALO, key, channel.now_stamp())
    if update_id is None:
        return None
    return await _translate(channel, event, update_id)


async def _translate(channel: ZaloChannel, event: dict[str, Any], update_id: int) -> dict[str, Any] | None:
    message = event["message"]
    zalo_id = str(message["message_id"])
    group = str(message["chat"].get("chat_type", "PRIVATE")).upper() == "GROUP"
    chat_id = await channel.internal(_id(message["chat"]) or "", group=group)
    user_id = await channel.internal(_id(message["from"]) or "")
    base = {"update_id": update_id, EVENT_ID_KEY: zalo_id}
    sender = {
        "id": user_id,
        "is_bot": bool(message["from"].get("is_bot", False)),
        "first_name": str(message["from"].get("display_name") or message["from"].get("name") or "Zalo"),
    }
    chat: dict[str, Any] = {"id": chat_id, "type": "group" if group else "private"}
    if group:  # the documented events name no group; take a name if one comes
        named = message["chat"].get("display_name") or message["chat"].get("name") or message["chat"].get("title")
        chat["title"] = str(named or "Zalo")
    date = _seconds(message.get("date"), channel)
    name = event["event_name"]
    if name == UNSUPPORTED:
        return await _answer_locally(channel, chat_id, zalo_id, "zalo.unreadable")
    if name == TEXT:
        text = _without_mention(str(message.get("text") or ""), channel.bot_name if group else "")
        choice = await _choice(channel, chat_id, zalo_id, text)
        if choice is LOCAL:
            return None
        if isinstance(choice, dict):
            query = {"id": f"z:{chat_id}:{update_id}", "from": sender, "chat_instance": str(chat_id), **choice}
            query["message"] = {**query["message"], "chat": chat, "date": date}
            return {**base, "callback_query": query}
        content = _command(text if choice is None else choice, channel.command_words)
    elif name == IMAGE:
        photo = await _photo(channel, message, chat_id, zalo_id)
        if photo is None:
            return None
        content = {"photo": [photo], **({"caption": str(message["caption"])} if message.get("caption") else {})}
    elif name == STICKER:
        sticker_id = str(message.get("sticker") or "sticker")
        content = {"sticker": {"file_id": f"zs-{sticker_id}", "file_unique_id": f"zs-{sticker_id}", "type": "regular",
                               "width": 512, "height": 512, "is_animated": False, "is_video": False}}
    else:  # VOICE
        content = {"voice": {"file_id": f"zv-{zalo_id}", "file_unique_id": f"zv-{zalo_id}", "duration": 0}}
    message_id = await channel_state.next_message_id(channel.db, chat_id)
    tg_message = {"message_id": message_id, "date": date, "chat": chat, "from": sender, **content}
    return {**base, "message": tg_message}


LOCAL = object()  # the channel answered the reply itself


async def _choice(channel: ZaloChannel, chat_id: int, zalo_id: str, text: str) -> object:
    """The press a typed reply stands for (dict), a command text (str), LOCAL, or None."""
    screen = await channel_state.current_screen(channel.db, chat_id)
    if screen is None or not screen.options:
        return None
    reply = read_reply(text, screen.options)
    if reply.missing_number is not None:
        lang = await channel.language_of(chat_id)
        hint = channel.text("zalo.not_a_choice", lang, number=reply.missing_number,
                            choices=choice_lines(screen.options))
        await _send_plain(channel, chat_id, hint)
        await _tell_local(channel, zalo_id)
        return LOCAL
    if reply.data is None:
        return None
    if reply.data.startswith("/"):
        return reply.data  # a menu choice that stands for a command
    keyboard = [[{"text": label, "callback_data": data}] for label, data in screen.options]
    message = {"message_id": screen.message_id, "text": screen.text,
               "reply_markup": {"inline_keyboard": keyboard}}
    return {"data": reply.data, "message": message}


def _without_mention(text: str, bot_name: str) -> str:
    """In a group the bot hears only messages that mention it: the mention itself goes."""
    if bot_name:
        text = text.replace(f"@{bot_name}", " ")
    return " ".join(text.split(" ")).strip()


def _command(text: str, commands: frozenset[str]) -> dict[str, Any]:
    """Text, or a command when it is one typed with or without its slash (``báo cáo``)."""
    stripped = text.strip()
    word, _, rest = stripped.partition(" ")
    name = word[1:].split("@")[0] if word.startswith("/") else None
    if name is None:
        whole = fold(stripped).replace(" ", "")
        first = fold(word)
        if whole in commands:
            name, rest = whole, ""
        elif first in commands and rest:
            name = first
    if name is None:
        return {"text": text}
    command = f"/{name}"
    full = f"{command} {rest.strip()}" if rest.strip() else command
    return {"text": full, "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}]}


async def _photo(channel: ZaloChannel, message: dict[str, Any], chat_id: int, zalo_id: str) -> dict[str, Any] | None:
    """Downloads the photo Zalo points at and keeps it; its PhotoSize for the handlers."""
    url = next((str(message[k]) for k in ("photo_url", "photo", "url") if isinstance(message.get(k), str)), None)
    try:
        if url is None:
            raise ZaloApiError(400, "no photo URL")
        data = await channel.api.download(url)
    except Exception as exc:  # noqa: BLE001 - any failure: the cadre is asked to resend
        log.info("could not download a Zalo photo of event %s (%s)", zalo_id, type(exc).__name__)
        await _answer_locally(channel, chat_id, zalo_id, "zalo.photo_failed")
        return None
    digest = hashlib.sha256(data).hexdigest()[:32]
    file_id = f"zalo-{digest}"
    await channel_state.save_file(channel.db, file_id, ZALO, url, data, channel.now_stamp())
    return {"file_id": file_id, "file_unique_id": digest, "width": 0, "height": 0, "file_size": len(data)}


def _seconds(value: object, channel: ZaloChannel) -> int:
    """Zalo dates are milliseconds since the epoch."""
    if isinstance(value, int | float) and value > 0:
        return int(value // 1000)
    return int(channel.clock.now().timestamp())


async def _answer_locally(channel: ZaloChannel, chat_id: int, zalo_id: str, key: str) -> None:
    lang = await channel.language_of(chat_id)
    await _send_plain(channel, chat_id, channel.text(key, lang))
    await _tell_local(channel, zalo_id)
    return None


async def _send_plain(channel: ZaloChannel, chat_id: int, text: str) -> None:
    from bot.channels.zalo.outgoing import send_text  # noqa: PLC0415 - outgoing imports this module

    try:
        await send_text(channel, chat_id, text)
    except ZaloApiError as exc:
        log.info("could not answer in a Zalo chat (%s)", exc.code)


async def _tell_local(channel: ZaloChannel, zalo_id: str) -> None:
    if channel.on_local_reply is not None:
        await channel.on_local_reply(zalo_id)
