"""Building ConversationHandlers the way this bot needs them."""

from __future__ import annotations

import warnings
from typing import Any

from telegram.ext import ConversationHandler
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
