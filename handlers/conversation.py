"""Building ConversationHandlers the way this bot needs them."""

from __future__ import annotations

import warnings
from typing import Any

from telegram.ext import Application, BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler
from telegram.warnings import PTBUserWarning


def persistent_conversation(name: str, **kwargs: Any) -> ConversationHandler:
    """A ConversationHandler whose state is persisted under ``name``.

    Our conversations mix inline buttons and typed text, so they track state per chat
    and user, not per message (``per_message=False``); PTB warns about that choice for
    every such handler, which would bury real warnings in the logs.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(name=name, persistent=True, **kwargs)


def conversation_of(handler: BaseHandler, application: Application) -> tuple[ConversationHandler, list] | None:
    """The conversation that holds ``handler`` (in a state or as a fallback), and its group."""
    for group in application.handlers.values():
        for candidate in group:
            if not isinstance(candidate, ConversationHandler):
                continue
            inner = [*candidate.fallbacks, *(h for hs in candidate.states.values() for h in hs)]
            if any(h is handler for h in inner):
                return candidate, group
    return None


async def hand_on(after: BaseHandler, group: list, update: object, application: Application, context: Any) -> Any:
    """Lets the first handler after ``after`` in its group that wants the update take it,
    exactly as if ``after`` had not matched."""
    for later in group[group.index(after) + 1 :]:
        check = later.check_update(update)
        if check is not None and check is not False:
            return await later.handle_update(update, application, check, context)
    return None


class WhileMarked:
    """A conversation's state handler that acts only while the user's data holds
    ``marker``; otherwise it ends its conversation and hands the update on.

    A conversation keyed per user (an admin's answer typed in the private chat to a
    button pressed in a group) must not swallow what belongs to a flow started since:
    whoever starts another flow removes the marker, and the next message then reaches
    that flow instead of becoming, say, an answer to an escalation.
    """

    def __init__(self, *args: Any, marker: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marker = marker

    async def handle_update(self, update: Any, application: Application, check_result: Any, context: Any) -> Any:
        """Handles the update while the user's data carries the marker; otherwise hands it to
        the conversation that owns it now."""
        if context.user_data is not None and self.marker in context.user_data:
            return await super().handle_update(update, application, check_result, context)  # type: ignore[misc]
        found = conversation_of(self, application)  # type: ignore[arg-type]
        if found is not None:
            await hand_on(found[0], found[1], update, application, context)
        return ConversationHandler.END


class MarkedMessageHandler(WhileMarked, MessageHandler):
    """A MessageHandler that acts only while its marker is set (see ``WhileMarked``)."""


class MarkedCallbackQueryHandler(WhileMarked, CallbackQueryHandler):
    """A CallbackQueryHandler that acts only while its marker is set (see ``WhileMarked``)."""
