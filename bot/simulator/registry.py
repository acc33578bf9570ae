"""The Bot API method registry: each implementation registers under Telegram's name.

SimulatorState.api looks methods up here (case-insensitively, as Telegram does), so adding
a method is one decorated function in api_bot or api_messages and nothing else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

ApiHandler = Callable[[Any, dict[str, Any]], Awaitable[Any]]
_METHODS: dict[str, tuple[str, ApiHandler]] = {}


def api_method(name: str) -> Callable[[ApiHandler], ApiHandler]:
    """Register a Bot API method implementation under its (case-insensitive) name."""

    def register(func: ApiHandler) -> ApiHandler:
        _METHODS[name.lower()] = (name, func)
        return func

    return register


def find_method(name: str) -> tuple[str, ApiHandler] | None:
    """(Telegram's spelling, implementation) of a method name in any case, or None."""
    return _METHODS.get(name.lower())
