"""Telegram methods the handlers call → Zalo calls; each returns Telegram's result shape.

Zalo has no buttons and no edits (../shared/ZALO.md): an inline keyboard becomes
numbered lines under the text, and the screen is remembered (storage.channel_state) so
that a typed number picks the choice and an edit is sent as a new message only when the
text or the choices changed. Texts over 2,000 characters go out as numbered parts.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.channels.zalo.api import ZaloApiError
from bot.channels.zalo.channel import BOT_USER_ID, ZaloChannel
from bot.channels.zalo.choices import Options, render, split
from storage import channel_state
from storage.channel_state import StoredScreen

log = logging.getLogger(__name__)

SCREENS_KEPT = 200  # per chat: older messages are never edited again


class TelegramError(Exception):
    """Answered to PTB as Telegram would (400 "not modified", 403 blocked...)."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def options_of(markup: object) -> Options:
    """An inline keyboard's buttons as (label, data); other keyboards mean nothing on Zalo."""
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        return ()
    rows = markup.get("inline_keyboard") or []
    return tuple(
        (str(b.get("text", "")), str(b["callback_data"]))
        for row in rows for b in row if isinstance(b, dict) and "callback_data" in b
    )


async def zalo_chat(channel: ZaloChannel, chat_id: object) -> str:
    try:
        internal = int(chat_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise TelegramError(400, "Bad Request: chat not found") from None
    external = await channel.external(internal)
    if external is None:
        raise TelegramError(400, "Bad Request: chat not found")
    return external


async def send_text(channel: ZaloChannel, chat_id: int, text: str) -> None:
    """One text, in parts if it is too long for Zalo."""
    external = await zalo_chat(channel, chat_id)
    lang = await channel.language_of(chat_id)
    for part in split(text or "…", channel.text("zalo.part", lang)):
        await _call(channel, "sendMessage", {"chat_id": external, "text": part})


async def _call(channel: ZaloChannel, method: str, params: dict[str, Any]) -> Any:
    """A Zalo call whose errors read like Telegram's, so PTB raises what handlers expect."""
    try:
        return await channel.api.call(method, params)
    except ZaloApiError as exc:
        raise _as_telegram(exc) from None


def _as_telegram(exc: ZaloApiError) -> TelegramError:
    if exc.code in (401, 403):
        return TelegramError(403, "Forbidden: bot was blocked by the user")
    if exc.code == 404:
        return TelegramError(400, "Bad Request: chat not found")
    if exc.code == 429:
        return TelegramError(429, "Too Many Requests: retry after 1", retry_after=1)
    if exc.code >= 500:
        return TelegramError(502, "Bad Gateway")
    return TelegramError(400, f"Bad Request: {exc.description}")


def _message(channel: ZaloChannel, chat_id: int, message_id: int, text: str, options: Options) -> dict[str, Any]:
    result: dict[str, Any] = {
        "message_id": message_id,
        "date": int(channel.clock.now().timestamp()),
        "chat": {"id": chat_id, "type": "group" if chat_id < 0 else "private"},
        "from": {"id": BOT_USER_ID, "is_bot": True, "first_name": channel.bot_name or "Zalo"},
        "text": text,
    }
    if options:
        result["reply_markup"] = {"inline_keyboard": [[{"text": l, "callback_data": d}] for l, d in options]}
    return result


async def _show(channel: ZaloChannel, chat_id: int, message_id: int, text: str, options: Options, *, current: bool) -> None:
    if options or not channel.repeats_answer(chat_id, text):
        await send_text(channel, chat_id, render(text, options))
    screen = StoredScreen(chat_id, message_id, text, options)
    await channel_state.save_screen(channel.db, screen, channel.now_stamp(), current=current)


async def send_message(channel: ZaloChannel, params: dict[str, Any]) -> dict[str, Any]:
    chat_id, text = int(params["chat_id"]), str(params.get("text", ""))
    options = options_of(params.get("reply_markup"))
    message_id = await channel_state.next_message_id(channel.db, chat_id)
    await _show(channel, chat_id, message_id, text, options, current=bool(options))
    await channel_state.forget_old_screens(channel.db, chat_id, SCREENS_KEPT)
    return _message(channel, chat_id, message_id, text, options)


async def edit_message_text(channel: ZaloChannel, params: dict[str, Any]) -> dict[str, Any]:
    """No edits on Zalo: a new message, and only when something changed."""
    chat_id, message_id = _target(params)
    text = str(params.get("text", ""))
    options = options_of(params.get("reply_markup"))
    return await _edit(channel, chat_id, message_id, text, options)


async def edit_message_reply_markup(channel: ZaloChannel, params: dict[str, Any]) -> dict[str, Any]:
    chat_id, message_id = _target(params)
    stored = await channel_state.screen(channel.db, chat_id, message_id)
    if stored is None:
        raise TelegramError(400, "Bad Request: message to edit not found")
    return await _edit(channel, chat_id, message_id, stored.text, options_of(params.get("reply_markup")))


async def _edit(channel: ZaloChannel, chat_id: int, message_id: int, text: str, options: Options) -> dict[str, Any]:
    stored = await channel_state.screen(channel.db, chat_id, message_id)
    current = await channel_state.current_screen(channel.db, chat_id)
    is_current = current is not None and current.message_id == message_id
    if stored is not None and stored.text == text and stored.options == options:
        raise TelegramError(400, "Bad Request: message is not modified")
    if stored is not None and stored.text == text and not options:
        # Only the choices went away (a pressed screen locks): nothing new to read.
        await channel_state.save_screen(channel.db, StoredScreen(chat_id, message_id, text, ()),
                                        channel.now_stamp(), current=is_current)
    else:
        await _show(channel, chat_id, message_id, text, options, current=bool(options) or is_current)
    return _message(channel, chat_id, message_id, text, options)


def _target(params: dict[str, Any]) -> tuple[int, int]:
    if "chat_id" not in params or "message_id" not in params:
        raise TelegramError(400, "Bad Request: inline messages are not available on Zalo")
    return int(params["chat_id"]), int(params["message_id"])


async def answer_callback_query(channel: ZaloChannel, params: dict[str, Any]) -> bool:
    """A text becomes a short message; without one there is nothing to show on Zalo."""
    text = params.get("text")
    if text:
        _, _, rest = str(params.get("callback_query_id", "")).partition(":")
        chat_id, _, _ = rest.partition(":")
        try:
            await send_text(channel, int(chat_id), str(text))
            channel.remember_answer(int(chat_id), str(text))
        except ValueError:
            raise TelegramError(400, "Bad Request: query is too old or query id is invalid") from None
    return True


async def send_photo(channel: ZaloChannel, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """Zalo fetches photos by URL: a received photo's own URL, or one the operator's
    server publishes (BAOCAO_PUBLIC_URL); without one, the caption goes out alone. The
    choices of an inline keyboard follow the caption as numbered lines, like a text's."""
    chat_id = int(params["chat_id"])
    caption = str(params.get("caption") or "")
    options = options_of(params.get("reply_markup"))
    url = await _photo_url(channel, params.get("photo"), files)
    message_id = await channel_state.next_message_id(channel.db, chat_id)
    if url is None:
        channel.say_no_public_url_once()
        if caption or options:
            await _show(channel, chat_id, message_id, caption, options, current=bool(options))
    else:
        external = await zalo_chat(channel, chat_id)
        shown = render(caption, options)
        await _call(channel, "sendPhoto", {"chat_id": external, "photo": url, "caption": shown[:2000]})
        if options:
            await channel_state.save_screen(channel.db, StoredScreen(chat_id, message_id, caption, options),
                                            channel.now_stamp(), current=True)
    result = _message(channel, chat_id, message_id, caption, options)
    del result["text"]
    result["caption"] = caption
    result["photo"] = [{"file_id": f"zalo-out-{chat_id}-{message_id}", "file_unique_id": f"zo{message_id}",
                        "width": 0, "height": 0}]
    return result


Upload = tuple[str, bytes, str]  # (file name, bytes, mime type) of a multipart upload


async def send_document(channel: ZaloChannel, params: dict[str, Any], uploads: dict[str, Upload]) -> dict[str, Any]:
    """Zalo takes no files: a document goes as a link the operator's server hands out for
    days (BAOCAO_PUBLIC_URL/f/<token>), under its caption and choices. Without a public
    URL the message says where else to get it (and the log says why, once)."""
    chat_id = int(params["chat_id"])
    caption = str(params.get("caption") or "")
    options = options_of(params.get("reply_markup"))
    document = params.get("document")
    upload = uploads.get("document" if document is None else str(document).removeprefix("attach://"))
    lang = await channel.language_of(chat_id)
    name = upload[0] if upload else channel.text("zalo.file_unnamed", lang)
    url = None
    if isinstance(document, str) and document.startswith(("http://", "https://")):
        url = document
    elif upload is not None and channel.file_publisher is not None:
        url = await channel.file_publisher(upload[1], upload[2] or "application/octet-stream", name)
    if url is None:
        channel.say_no_file_link_once()
        line = channel.text("zalo.file_elsewhere", lang, name=name)
    else:
        line = channel.text("zalo.file_link", lang, name=name, url=url)
    text = f"{caption}\n\n{line}" if caption else line
    message_id = await channel_state.next_message_id(channel.db, chat_id)
    await _show(channel, chat_id, message_id, text, options, current=bool(options))
    result = _message(channel, chat_id, message_id, text, options)
    del result["text"]
    result["caption"] = text
    result["document"] = {"file_id": f"zalo-doc-{chat_id}-{message_id}", "file_unique_id": f"zd{message_id}",
                          "file_name": name}
    return result


async def _photo_url(channel: ZaloChannel, photo: object, files: dict[str, bytes]) -> str | None:
    """An uploaded file (bytes in ``files``: under "photo", or "attach://name") goes through
    the publisher; a URL is used as it is; a file id is a received photo's own URL."""
    if photo is None or (isinstance(photo, str) and photo.startswith("attach://")):
        data = files.get("photo" if photo is None else photo.removeprefix("attach://"))
        if data is None or channel.photo_publisher is None:
            return None
        return await channel.photo_publisher(data, "image/png")
    if isinstance(photo, str):
        if photo.startswith(("http://", "https://")):
            return photo
        stored = await channel_state.file(channel.db, photo)
        return stored[0] if stored else None
    return None


async def send_location(channel: ZaloChannel, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = int(params["chat_id"])
    lang = await channel.language_of(chat_id)
    text = channel.text("zalo.location", lang, latitude=params.get("latitude"), longitude=params.get("longitude"))
    return await send_message(channel, {"chat_id": chat_id, "text": text})


async def send_chat_action(channel: ZaloChannel, params: dict[str, Any]) -> bool:
    external = await zalo_chat(channel, params.get("chat_id"))
    await _call(channel, "sendChatAction", {"chat_id": external, "action": "typing"})
    return True


async def get_file(channel: ZaloChannel, params: dict[str, Any]) -> dict[str, Any]:
    file_id = str(params.get("file_id", ""))
    stored = await channel_state.file(channel.db, file_id)
    if stored is None:
        raise TelegramError(400, "Bad Request: invalid file_id")
    return {"file_id": file_id, "file_unique_id": file_id.removeprefix("zalo-"),
            "file_size": len(stored[1]), "file_path": file_id}


async def get_me(channel: ZaloChannel, params: dict[str, Any]) -> dict[str, Any]:
    me = await _call(channel, "getMe", {})
    name = str((me or {}).get("account_name") or (me or {}).get("name") or "Zalo bot")
    channel.bot_name = name
    return {"id": BOT_USER_ID, "is_bot": True, "first_name": name, "username": "zalo_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


async def set_webhook(channel: ZaloChannel, params: dict[str, Any]) -> bool:
    await _call(channel, "setWebhook", {"url": params.get("url"), "secret_token": params.get("secret_token")})
    return True


async def delete_webhook(channel: ZaloChannel, params: dict[str, Any]) -> bool:
    await _call(channel, "deleteWebhook", {})
    return True


async def get_webhook_info(channel: ZaloChannel, params: dict[str, Any]) -> dict[str, Any]:
    info = await _call(channel, "getWebhookInfo", {}) or {}
    return {"url": str(info.get("url") or ""), "has_custom_certificate": False, "pending_update_count": 0}


async def get_chat(channel: ZaloChannel, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = int(params["chat_id"])
    await zalo_chat(channel, chat_id)
    return {"id": chat_id, "type": "group" if chat_id < 0 else "private", **({"title": "Zalo"} if chat_id < 0 else {})}


async def get_chat_member(channel: ZaloChannel, params: dict[str, Any]) -> dict[str, Any]:
    """Zalo tells nothing of group roles: everyone is a member (rights come from the roster)."""
    user_id = int(params["user_id"])
    user = {"id": user_id, "is_bot": user_id == BOT_USER_ID, "first_name": "Zalo"}
    return {"status": "member", "user": user}


async def nothing(channel: ZaloChannel, params: dict[str, Any]) -> bool:
    """Methods with no Zalo counterpart that change nothing a person sees."""
    return True
