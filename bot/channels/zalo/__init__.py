"""The Zalo channel: PTB's ``ExtBot`` over a ``BaseRequest`` that speaks Zalo.

``build_bot`` makes the bot ``bot.app.build_application(config, channel=ZALO)`` uses;
``feed_event`` hands a webhook delivery to a running application; ``channel_of`` gives
the channel of an application (to set its ``photo_publisher``). See request.py,
incoming.py and outgoing.py for the translation each way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, Application, BaseHandler, CommandHandler, ConversationHandler

from bot.channels.zalo.api import ZaloApi
from bot.channels.zalo.channel import BOT_USER_ID, PhotoPublisher, ZaloChannel
from bot.channels.zalo.incoming import EVENT_ID_KEY, MalformedEvent, to_update
from bot.channels.zalo.request import ZaloRequest
from bot.texts import t
from bot.tolerant_bot import TolerantBot
from domain.clock import Clock
from domain.textinput import fold
from storage.db import Database

__all__ = [
    "BOT_USER_ID", "EVENT_ID_KEY", "MalformedEvent", "PhotoPublisher", "ZaloBot", "ZaloChannel",
    "build_bot", "channel_of", "feed_event", "learn_commands",
]


class ZaloBot(TolerantBot):
    """The bot's ExtBot (TolerantBot: unreadable updates skipped) whose requests go to Zalo;
    ``channel`` is the state they share."""

    @property
    def channel(self) -> ZaloChannel:
        request = self._request[1]
        assert isinstance(request, ZaloRequest)
        return request.channel

    def private_chat_link(self, payload: str, lang: str) -> str:
        """Zalo has no deep links: the way to the private chat is said in words."""
        return t("private.link.zalo", lang, command=payload)


def build_bot(
    *, token: str, api_url: str, db: Database, clock: Clock, default_language: str, rate_limit: bool
) -> ZaloBot:
    channel = ZaloChannel(
        db=db, clock=clock, api=ZaloApi(api_url, token), poll_api=ZaloApi(api_url, token, pool_size=1),
        default_language=default_language,
    )
    limiter = AIORateLimiter(max_retries=5) if rate_limit else None
    # PTB builds URLs as base_url + token + "/" + method; the request takes them apart.
    return ZaloBot(
        token,
        base_url="zalo://bot",
        base_file_url="zalo://file/",
        request=ZaloRequest(channel, channel.api, owns_channel=True),
        get_updates_request=ZaloRequest(channel, channel.poll_api),
        rate_limiter=limiter,
    )


def channel_of(application: Application) -> ZaloChannel:
    bot = application.bot
    if not isinstance(bot, ZaloBot):
        raise TypeError("not a Zalo application")
    return bot.channel


async def feed_event(application: Application, body: Any) -> bool:
    """Queues one webhook delivery; False when the event was received before.

    Raises MalformedEvent (log its ``event_id`` only) for a body that is no Zalo event.
    """
    channel = channel_of(application)
    raw = await to_update(channel, body)
    if raw is None:
        return False
    update = Update.de_json(raw, application.bot)
    await application.update_queue.put(update)
    return True


def learn_commands(application: Application) -> None:
    """Tells the channel the bot's command words, so that ``baocao`` or ``báo cáo`` typed
    without the slash works like ``/baocao`` (Zalo has no command menu)."""
    words: set[str] = set()
    for group in application.handlers.values():
        for handler in _all(group):
            if isinstance(handler, CommandHandler):
                words |= {fold(c) for c in handler.commands}
    channel_of(application).command_words = frozenset(words)


def _all(handlers: Iterable[BaseHandler[Any, Any, Any]]) -> Iterable[BaseHandler[Any, Any, Any]]:
    for handler in handlers:
        yield handler
        if isinstance(handler, ConversationHandler):
            yield from _all(handler.entry_points)
            yield from _all(handler.fallbacks)
            for state in handler.states.values():
                yield from _all(state)
