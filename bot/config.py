"""Configuration from the environment, optionally from a TOML file given by ``--config``.

The environment wins over the file, so a secret such as the token can stay out of files.
Every mistake is reported with the name of the setting and what it expects.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

OFFICIAL_API_URL = "https://api.telegram.org/bot"

# setting name in the TOML file -> environment variable
ENV_NAMES = {
    "telegram_token": "BAOCAO_TELEGRAM_TOKEN",
    "telegram_api_url": "BAOCAO_TELEGRAM_API_URL",
    "telegram_file_url": "BAOCAO_TELEGRAM_FILE_URL",
    "db": "BAOCAO_DB",
    "tz": "BAOCAO_TZ",
    "admins": "BAOCAO_ADMINS",
    "language": "BAOCAO_LANGUAGE",
}


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Config:
    telegram_token: str | None = None
    telegram_api_url: str = OFFICIAL_API_URL
    telegram_file_url: str | None = None
    db_path: Path = Path("baocao.sqlite3")
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    admin_ids: frozenset[int] = frozenset()
    default_language: str = "vi"

    def __repr__(self) -> str:
        """Never prints the token: configs end up in logs and tracebacks."""
        token = "<set>" if self.telegram_token else "<unset>"
        return (
            f"Config(telegram_token={token}, telegram_api_url={self.telegram_api_url!r}, "
            f"db_path={str(self.db_path)!r}, tz={self.tz.key!r}, admins={len(self.admin_ids)})"
        )

    @property
    def file_url(self) -> str:
        """The Bot API file URL: given, or derived from the API URL ('…/bot' → '…/file/bot')."""
        if self.telegram_file_url:
            return self.telegram_file_url
        base = self.telegram_api_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"

    def require_token(self) -> str:
        if not self.telegram_token:
            raise ConfigError(
                "BAOCAO_TELEGRAM_TOKEN is not set: give the bot token from @BotFather "
                "in the environment (or try `baocao demo`, which needs none)"
            )
        return self.telegram_token


def load_config(
    env: Mapping[str, str] | None = None, config_file: str | Path | None = None
) -> Config:
    """Reads settings from the TOML file (if any), then the environment on top."""
    env = os.environ if env is None else env
    raw: dict[str, object] = {}
    if config_file is not None:
        raw.update(_read_toml(Path(config_file)))
    for key, var in ENV_NAMES.items():
        if env.get(var, "").strip():
            raw[key] = env[var].strip()
    return Config(
        telegram_token=_optional_str(raw, "telegram_token"),
        telegram_api_url=_url(raw.get("telegram_api_url", OFFICIAL_API_URL), "telegram_api_url"),
        telegram_file_url=_optional_url(raw, "telegram_file_url"),
        db_path=Path(str(raw.get("db", "baocao.sqlite3"))),
        tz=_zone(raw.get("tz", "Asia/Ho_Chi_Minh")),
        admin_ids=_admins(raw.get("admins", "")),
        default_language=_language(raw.get("language", "vi")),
    )


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(ENV_NAMES))
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown setting(s) {', '.join(unknown)}; "
            f"known: {', '.join(ENV_NAMES)}"
        )
    return data


def _name(key: str) -> str:
    return f"{ENV_NAMES[key]} (or '{key}' in the config file)"


def _optional_str(raw: Mapping[str, object], key: str) -> str | None:
    value = raw.get(key)
    return None if value in (None, "") else str(value)


def _url(value: object, key: str) -> str:
    text = str(value).strip()
    if not text.startswith(("http://", "https://")):
        raise ConfigError(f"{_name(key)} must be an http:// or https:// URL, got {text!r}")
    return text


def _optional_url(raw: Mapping[str, object], key: str) -> str | None:
    value = _optional_str(raw, key)
    return None if value is None else _url(value, key)


def _zone(value: object) -> ZoneInfo:
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{_name('tz')} must be an IANA time zone such as Asia/Ho_Chi_Minh, got {value!r}"
        ) from None


def _admins(value: object) -> frozenset[int]:
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    ids = set()
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not text.lstrip("-").isdigit():
            raise ConfigError(
                f"{_name('admins')} must be Telegram user ids separated by commas, got {text!r}"
            )
        ids.add(int(text))
    return frozenset(ids)


def _language(value: object) -> str:
    text = str(value).strip().lower()
    if text not in ("vi", "en"):
        raise ConfigError(f"{_name('language')} must be 'vi' or 'en', got {text!r}")
    return text
