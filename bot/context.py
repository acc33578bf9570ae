"""Typed context: what every handler can reach, set up once in ``bot.app``.

Modelled on python-telegram-bot's contexttypesbot example: instead of string keys into
``bot_data``, handlers read ``context.db``, ``context.clock`` and ``context.config``.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from domain.clock import Clock
from bot.channels import TELEGRAM, Channels
from bot.config import Config
from bot.texts import pick_language
from storage import accounts, scope
from storage.db import Database
from storage.records import Cadre, Role


# Where /ngonngu keeps the choice of someone who has no cadre row to store it in.
LANGUAGE_KEY = "language"


class BotData:
    """The application's services. Filled in by ``bot.app.build_application``.

    ``channel`` names the messenger this application serves ("telegram", "zalo");
    ``channels`` reaches every messenger's bot of the process (bot/channels/__init__.py),
    which is how the scheduler sends to a cadre on the messenger they used last.
    The capability flags let a handler pick a screen's variant without asking which
    messenger it serves.
    """

    config: Config
    db: Database
    clock: Clock
    channel: str = TELEGRAM
    channels: Channels
    # Telegram's share-my-phone-number button exists; Zalo shares no contact.
    contact_sharing: bool = True
    # No command menu (Zalo): the main menu is shown as numbered choices instead.
    menu_as_choices: bool = False


class BotContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """One context per update (python-telegram-bot reuses it across handler groups)."""

    def __init__(
        self,
        application: Application,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self._cadre: Cadre | None = None
        self._cadre_loaded = False

    @property
    def db(self) -> Database:
        return self.bot_data.db

    @property
    def clock(self) -> Clock:
        return self.bot_data.clock

    @property
    def config(self) -> Config:
        return self.bot_data.config

    @property
    def channel(self) -> str:
        """The messenger of this update: accounts, registrations and logs are per channel."""
        return self.bot_data.channel

    async def cadre(self) -> Cadre | None:
        """The registered cadre behind this update's user, looked up once per update."""
        if not self._cadre_loaded and self._user_id is not None:
            self._cadre = await accounts.cadre_by_account(self.db, self.channel, self._user_id)
            self._cadre_loaded = True
            if self._cadre is not None:
                await accounts.touch(self.db, self.channel, self._user_id, self.clock.now())
        return self._cadre

    def forget_cadre(self) -> None:
        """After linking or a role change, the next ``cadre()`` reads the database again."""
        self._cadre_loaded = False

    async def is_admin(self) -> bool:
        """An admin by role in the roster, or named in BAOCAO_ADMINS."""
        if await self._configured_admin():
            return True
        cadre = await self.cadre()
        return cadre is not None and cadre.role is Role.ADMIN

    async def _configured_admin(self) -> bool:
        """Named in BAOCAO_ADMINS (Telegram ids): this account, or — for the same person
        writing from Zalo — the Telegram account of the cadre behind it. Zalo accounts
        themselves are made admins by the roster's role, not by configuration."""
        if self._user_id is None or not self.config.admin_ids:
            return False
        if self._user_id in self.config.admin_ids:
            return True
        cadre = await self.cadre()
        return cadre is not None and cadre.telegram_id is not None and cadre.telegram_id in self.config.admin_ids

    async def is_secretary(self) -> bool:
        """A cell secretary (bí thư chi bộ) by role in the roster."""
        cadre = await self.cadre()
        return cadre is not None and cadre.role is Role.SECRETARY

    async def admin_scope(self) -> int | None:
        """The unit this admin is limited to; None for the whole roster.

        BAOCAO_ADMINS are the organisation's administrators: they see everything.
        """
        if await self._configured_admin():
            return None
        return await scope.scope_of_admin(self.db, await self.cadre())

    def private_chat_link(self, payload: str, lang: str) -> str:
        """The way to the private chat with the bot that ``/start payload`` opens, as the
        channel words it (a t.me link on Telegram): handlers never ask which channel."""
        return self.bot.private_chat_link(payload, lang)  # type: ignore[attr-defined]

    async def lang(self, update: Update) -> str:
        """Vietnamese first: the cadre's choice (or, for someone not linked yet, the choice
        kept in their user data by /ngonngu), else their Telegram language, else the default."""
        cadre = await self.cadre()
        chosen = cadre.language if cadre else None
        if chosen is None and self.user_data is not None:
            chosen = self.user_data.get(LANGUAGE_KEY)
        user = update.effective_user
        code = user.language_code if user else None
        return pick_language(chosen, code, self.config.default_language)
