"""The Zalo channel's state: its API clients, the database maps and the hooks it offers.

One ``ZaloChannel`` per Zalo application. ``ZaloRequest`` (request.py) hands it the
Telegram methods the handlers call (outgoing.py), and the poller or the webhook hands it
Zalo events (incoming.py). Everything that must survive a restart (ids, the screen on
show, received photos) is in SQLite through ``storage.channel_state``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.channels import ZALO
from bot.channels.zalo.api import ZaloApi
from bot.texts import t
from domain.clock import Clock, utc_stamp
from storage import accounts, channel_state
from storage.db import Database

log = logging.getLogger(__name__)

# The bot's own user id as the handlers see it: below every mapped id, above Telegram's.
BOT_USER_ID = channel_state.ID_BASE - 1

# (png bytes, mime type) -> a public https URL Zalo can fetch, or None.
PhotoPublisher = Callable[[bytes, str], Awaitable[str | None]]
# (bytes, mime type, file name) -> a public https URL a person can open for days, or None.
FilePublisher = Callable[[bytes, str, str], Awaitable[str | None]]


@dataclass
class ZaloChannel:
    db: Database
    clock: Clock
    api: ZaloApi  # sends, downloads
    poll_api: ZaloApi  # getUpdates only: a long poll never holds up a send
    default_language: str = "vi"
    command_words: frozenset[str] = frozenset()
    photo_publisher: PhotoPublisher | None = None
    file_publisher: FilePublisher | None = None
    # Told the Zalo message id of an event the channel answered itself (a choice that is
    # not on screen, an unreadable message): the harness waits on it as on an update.
    on_local_reply: Callable[[str], Awaitable[None]] | None = None
    bot_name: str = ""
    _said_no_public_url: bool = field(default=False, repr=False)
    _said_no_file_link: bool = field(default=False, repr=False)
    # The text of the last button answer per chat: handlers often answer a button and
    # show the same words as a screen (a refusal, "expired"); on Zalo both are messages.
    _answered: dict[int, str] = field(default_factory=dict, repr=False)

    def remember_answer(self, chat_id: int, text: str) -> None:
        self._answered[chat_id] = text

    def repeats_answer(self, chat_id: int, text: str) -> bool:
        """Whether ``text`` is what the last button answer in this chat already said."""
        return self._answered.pop(chat_id, None) == text

    def now_stamp(self) -> str:
        return utc_stamp(self.clock.now())

    async def internal(self, external: str, *, group: bool = False) -> int:
        """The handlers' integer for a Zalo id (groups negative, like Telegram's)."""
        value = await channel_state.internal_id(self.db, ZALO, external)
        return -value if group else value

    async def external(self, internal: int) -> str | None:
        return await channel_state.external_id(self.db, ZALO, internal)

    async def language_of(self, chat_id: int) -> str:
        """The language of the person in a private chat (their cadre's choice), else the default."""
        chosen = await accounts.language_of_user(self.db, ZALO, chat_id) if chat_id > 0 else None
        return chosen or self.default_language

    def text(self, key: str, lang: str, **values: object) -> str:
        return t(key, lang, **values)

    def say_no_public_url_once(self) -> None:
        if not self._said_no_public_url:
            self._said_no_public_url = True
            log.warning("Zalo sends photos by URL and BAOCAO_PUBLIC_URL is not set: "
                        "charts go out as their caption only")

    def say_no_file_link_once(self) -> None:
        if not self._said_no_file_link:
            self._said_no_file_link = True
            log.warning("Zalo takes no files and BAOCAO_PUBLIC_URL is not set: documents are not "
                        "sent as links; the message says where to get them instead")
