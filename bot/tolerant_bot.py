"""An ExtBot whose getUpdates survives an update it cannot parse.

python-telegram-bot parses a getUpdates batch as a whole: one update it cannot read (a
new Telegram feature, a malformed payload) makes the whole batch fail, the Updater logs
the raw batch (message texts included) and polls the same offset again, forever — no
cadre gets an answer any more. Here each update is parsed on its own; one that cannot
be is logged by id only, skipped, and confirmed to Telegram so it is not sent again.

Skipped is not silent: a button pressed in it is still answered (or the phone shows a
spinner until it gives up) and a private message gets the hint any message the bot
does not understand gets (a sticker of a kind this library cannot read yet, say).
"""

from __future__ import annotations

import datetime as dtm
import logging
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import ODVInput
from telegram.ext import ExtBot

from bot.texts import pick_language, t
from handlers.buttons import expired_text

log = logging.getLogger(__name__)


class TolerantBot(ExtBot):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Told after every successful getUpdates, empty ones included (bot/web/health.py).
        # PTB freezes a Bot after __init__; the list itself stays open to additions.
        with self._unfrozen():
            self.poll_listeners: list[Callable[[], None]] = []

    def private_chat_link(self, payload: str, lang: str) -> str:
        """How to open the private chat with this bot, in Telegram's words: a deep link
        that opens it and sends ``/start payload`` (handlers/private_only.py). Another
        channel's bot gives its own wording under the same name."""
        url = f"https://t.me/{self.username}?start={payload}"
        return t("private.link.telegram", lang, url=url)

    async def get_updates(  # type: ignore[override]
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | float | dtm.timedelta | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: dict[str, Any] | None = None,
    ) -> tuple[Update, ...]:
        waited = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else (timeout or 0)
        base = None if isinstance(read_timeout, DefaultValue) else read_timeout
        raw = await self._post(
            "getUpdates",
            {"timeout": timeout, "offset": offset, "limit": limit, "allowed_updates": allowed_updates},
            read_timeout=((base if base is not None else self._request[0].read_timeout) or 0) + waited,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        for listener in self.poll_listeners:
            listener()
        updates, skipped = [], []
        for item in raw or []:
            update = self._parse(item)
            if update is None:
                skipped.append(item.get("update_id") if isinstance(item, dict) else None)
            else:
                self.insert_callback_data(update)
                updates.append(update)
        if skipped:
            await self._confirm_skipped(skipped)
            for item in raw or []:
                if isinstance(item, dict) and item.get("update_id") in skipped:
                    await self._last_word(item)
        return tuple(updates)

    async def _last_word(self, item: dict[str, Any]) -> None:
        """Answers what can be read of an update that could not be parsed; best effort."""
        query, message = item.get("callback_query"), item.get("message")
        try:
            if isinstance(query, dict) and isinstance(query.get("id"), str):
                lang = pick_language(None, _language(query.get("from")))
                await self.answer_callback_query(query["id"], text=expired_text(lang))
            elif isinstance(message, dict) and isinstance(message.get("chat"), dict):
                chat = message["chat"]
                if chat.get("type") == "private" and isinstance(chat.get("id"), int):
                    lang = pick_language(None, _language(message.get("from")))
                    await self.send_message(chat["id"], t("not_understood", lang))
        except Exception:  # noqa: BLE001 - the update is skipped anyway; nothing more to do
            log.info("could not answer the skipped update %s", _id_of(item))

    def _parse(self, item: object) -> Update | None:
        try:
            update = Update.de_json(item, self)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - any unreadable update is skipped, never fatal
            log.warning("skipped an update that could not be read (update_id %s)", _id_of(item))
            return None
        return update

    async def _confirm_skipped(self, skipped: list[int | None]) -> None:
        """Moves Telegram's offset past the skipped updates (and the batch before them).

        The next regular poll fetches whatever comes after them; the one update this
        call may return is not confirmed by it and so is delivered again then.
        """
        newest = max((i for i in skipped if isinstance(i, int)), default=None)
        if newest is not None:
            await self._post("getUpdates", {"offset": newest + 1, "limit": 1, "timeout": 0})


def _language(sender: object) -> str | None:
    code = sender.get("language_code") if isinstance(sender, dict) else None
    return code if isinstance(code, str) else None


def _id_of(item: object) -> object:
    return item.get("update_id") if isinstance(item, dict) else None
