"""Every text the bot shows, keyed, in Vietnamese first and English second.

One catalogue, kept in one section module per flow (``common``, ``registration``…) so
that the texts of a conversation sit together. Handlers never write user-facing prose
inline: they call ``t(key, lang, **values)``. tests/test_texts.py checks that both
languages have every key and the same placeholders.

Every text may name the organisation that runs the bot — ``{org}``, ``{office}``,
``{office_contact}`` (bot/texts/organisation.py) — and ``t`` fills them in: a process
serves one organisation, set once from the configuration by ``use_organisation`` when the
application is built, so no caller has to pass it along.
"""

from __future__ import annotations

import importlib
from contextvars import ContextVar
import pkgutil
from string import Formatter

from bot.texts.keys import EN, LANGUAGES, VI
from bot.texts.organisation import Organisation, org_values


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

ORG_PLACEHOLDERS = frozenset({"org", "office", "office_contact"})

__all__ = [
    "EN", "LANGUAGES", "ORG_PLACEHOLDERS", "TEXTS", "VI", "Organisation", "organisation", "pick_language",
    "placeholders", "t", "use_organisation",
]

_organisation = Organisation()


def use_organisation(org: Organisation) -> None:
    """The organisation the texts name from now on (bot.app does it from the config)."""
    global _organisation
    _organisation = org


def organisation() -> Organisation:
    return _organisation


# A messenger's own wording of a text, ``key@zalo``, where the default one would be wrong
# there ("press a button" where there are none). Set by the channel for the handling of
# one update (bot/app.py), so handlers never ask which messenger they serve.
text_variant: ContextVar[str | None] = ContextVar("text_variant", default=None)


def t(key: str, lang: str, /, **values: object) -> str:
    """The text for ``key`` in ``lang`` (Vietnamese when the language is unknown), with the
    organisation's names filled in where the text has them."""
    variant = text_variant.get()
    entry = (TEXTS.get(f"{key}@{variant}") if variant else None) or TEXTS[key]
    template = entry.get(lang) or entry[VI]
    if "{o" in template:  # {org}, {office}, {office_contact}: rare, so cheap to test for
        values = {**org_values(_organisation, lang), **values}
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
