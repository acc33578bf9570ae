"""python-telegram-bot's ``BaseRequest`` for Zalo: the one place PTB meets the platform.

PTB's ``Bot`` builds every Bot API call as ``{base_url}{token}/{method}`` plus
``RequestData`` and hands it here; this answers with the bytes Telegram would have
sent back, so every PTB feature above (Application, handlers, the rate limiter, the
Updater's polling loop) works unchanged on Zalo.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.channels.zalo import outgoing
from bot.channels.zalo.api import TIMEOUT_CODE, ZaloApi, ZaloApiError
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.incoming import MalformedEvent, to_update
from bot.channels.zalo.outgoing import TelegramError
from storage import channel_state

log = logging.getLogger(__name__)

Method = Callable[[ZaloChannel, dict[str, Any]], Awaitable[Any]]

METHODS: dict[str, Method] = {
    "getMe": outgoing.get_me,
    "sendMessage": outgoing.send_message,
    "editMessageText": outgoing.edit_message_text,
    "editMessageReplyMarkup": outgoing.edit_message_reply_markup,
    "answerCallbackQuery": outgoing.answer_callback_query,
    "sendLocation": outgoing.send_location,
    "sendChatAction": outgoing.send_chat_action,
    "getFile": outgoing.get_file,
    "setWebhook": outgoing.set_webhook,
    "deleteWebhook": outgoing.delete_webhook,
    "getWebhookInfo": outgoing.get_webhook_info,
    "getChat": outgoing.get_chat,
    "getChatMember": outgoing.get_chat_member,
}
# No command menu, no deleting, no pinning on Zalo: harmless no-ops.
for _name in ("setMyCommands", "deleteMyCommands", "setChatMenuButton", "setMyDescription",
              "setMyShortDescription", "setMyName", "deleteMessage", "deleteMessages", "pinChatMessage",
              "unpinChatMessage", "close", "logOut"):
    METHODS[_name] = outgoing.nothing


class ZaloRequest(BaseRequest):
    """Answers PTB's Bot API calls through the Zalo channel."""

    def __init__(self, channel: ZaloChannel, api: ZaloApi, *, owns_channel: bool = False) -> None:
        self.channel = channel
        self._api = api
        self._owns_channel = owns_channel

    @property
    def read_timeout(self) -> float | None:
        return 20.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        await self._api.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if method == "GET":
            return await self._file(url)
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        try:
            if endpoint == "getUpdates":
                result: Any = await self._poll(params)
            elif endpoint == "sendPhoto":
                files = {k: v[1] for k, v in (request_data.multipart_data if request_data else {}).items()
                         if isinstance(v, tuple) and isinstance(v[1], bytes)}
                result = await outgoing.send_photo(self.channel, dict(params), files)
            elif endpoint == "sendDocument":
                uploads = {k: (str(v[0] or "tệp"), v[1], str(v[2]) if len(v) > 2 and v[2] else "")
                           for k, v in (request_data.multipart_data if request_data else {}).items()
                           if isinstance(v, tuple) and isinstance(v[1], bytes)}
                result = await outgoing.send_document(self.channel, dict(params), uploads)
            elif (handler := METHODS.get(endpoint)) is not None:
                result = await handler(self.channel, dict(params))
            else:
                raise TelegramError(400, f"Bad Request: {endpoint} is not available on Zalo")
        except TelegramError as err:
            body: dict[str, Any] = {"ok": False, "error_code": err.status, "description": err.description}
            if err.retry_after is not None:
                body["parameters"] = {"retry_after": err.retry_after}
            return err.status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()

    async def _poll(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """One Zalo event per call, no offset, 408 when nothing came: a list of 0 or 1."""
        timeout = params.get("timeout") or 0
        if params.get("limit") == 1 and not timeout:
            return []  # TolerantBot confirming skipped updates: Zalo has no offset to move
        try:
            event = await self._api.call("getUpdates", {"timeout": str(timeout)},
                                         read_timeout=float(timeout) + 10)
        except ZaloApiError as exc:
            if exc.code == TIMEOUT_CODE:
                return []
            raise TelegramError(502 if exc.code >= 500 else 409 if exc.code == 409 else 400,
                                f"Zalo getUpdates failed ({exc.code})") from None
        try:
            update = await to_update(self.channel, event)
        except MalformedEvent as exc:
            log.warning("skipped a Zalo event that could not be read (message_id %s)", exc.event_id)
            return []
        return [update] if update is not None else []

    async def _file(self, url: str) -> tuple[int, bytes]:
        """A received photo's bytes, as Telegram's file server hands them out."""
        file_id = url.rsplit("/", 1)[-1]
        stored = await channel_state.file(self.channel.db, file_id)
        if stored is None:
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
        return 200, stored[1]
