"""A setting that is missing or malformed, worded in the operator's language.

Like the roster import's problems (bot/roster_import/errors.py), an error is a catalogue
key (bot/texts/config.py) with its values, so ``baocao`` prints it in BAOCAO_LANGUAGE;
``str()`` stays the English wording, for logs and tracebacks. A value that is itself
worded — which setting, "(or 'tz' in the config file)" — is a ``Setting``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.texts import t
from bot.texts.keys import EN


@dataclass(frozen=True)
class Setting:
    """A setting as an error names it: its environment variable, and its key in the file."""

    env: str
    name: str

    def text(self, lang: str) -> str:
        return t("config.setting", lang, env=self.env, name=self.name)


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it and what it expects."""

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.text(EN))

    def text(self, lang: str) -> str:
        """The message in ``lang`` (Vietnamese when the language is unknown)."""
        rendered = {name: value.text(lang) if isinstance(value, Setting) else value
                    for name, value in self.values.items()}  # fmt: skip
        return t(self.key, lang, **rendered)
