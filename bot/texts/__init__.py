"""Every text the bot shows, keyed, in Vietnamese first and English second.

One catalogue, kept in one section module per flow (``common``, ``registration``…) so
that the texts of a conversation sit together. Handlers never write user-facing prose
inline: they call ``t(key, lang, **values)``. tests/test_texts.py checks that both
languages have every key and the same placeholders.
"""

from __future__ import annotations

import importlib
import pkgutil
from string import Formatter

from bot.texts.keys import EN, LANGUAGES, VI


def _merge() -> dict[str, dict[str, str]]:
    """Every section module of this package (each defines ``TEXTS``) in one dict."""
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "keys":
            continue
        section = importlib.import_module(f"{__name__}.{info.name}")
        clash = merged.keys() & section.TEXTS.keys()
        if clash:
            raise RuntimeError(f"text keys defined twice: {sorted(clash)}")
        merged.update(section.TEXTS)
    return merged


TEXTS = _merge()

__all__ = ["EN", "LANGUAGES", "TEXTS", "VI", "pick_language", "placeholders", "t"]


def t(key: str, lang: str, /, **values: object) -> str:
    """The text for ``key`` in ``lang`` (Vietnamese when the language is unknown)."""
    entry = TEXTS[key]
    template = entry.get(lang) or entry[VI]
    return template.format(**values) if values else template


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def pick_language(stored: str | None, telegram_code: str | None, default: str = VI) -> str:
    """The cadre's chosen language, else Telegram's (Vietnamese unless it is another one)."""
    if stored in LANGUAGES:
        return stored
    if telegram_code:
        return VI if telegram_code.lower().startswith("vi") else EN
    return default
