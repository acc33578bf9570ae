"""Reading and checking each setting's value, for ``bot.config``.

One function a kind of value (URL, zone, hours, ids…), so every mistake is reported the
same way: the setting's environment variable and file key, what it expects, what it got.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config_error import ConfigError, Setting
from bot.texts.organisation import DEFAULT_ORG_NAME, DEFAULT_ORG_OFFICE, Organisation

# setting name in the TOML file -> environment variable
ENV_NAMES = {
    "telegram_token": "BAOCAO_TELEGRAM_TOKEN",
    "telegram_api_url": "BAOCAO_TELEGRAM_API_URL",
    "telegram_file_url": "BAOCAO_TELEGRAM_FILE_URL",
    "zalo_token": "BAOCAO_ZALO_TOKEN",
    "zalo_api_url": "BAOCAO_ZALO_API_URL",
    "db": "BAOCAO_DB",
    "tz": "BAOCAO_TZ",
    "admins": "BAOCAO_ADMINS",
    "language": "BAOCAO_LANGUAGE",
    # who runs the bot, named in the texts (bot/texts/organisation.py)
    "org_name": "BAOCAO_ORG_NAME",
    "org_office": "BAOCAO_ORG_OFFICE",
    "org_phone": "BAOCAO_ORG_PHONE",
    # reminders and digests (scheduler/)
    "reminder_start_day": "BAOCAO_REMINDER_START_DAY",
    "reminder_hour": "BAOCAO_REMINDER_HOUR",
    "reminder_days_before": "BAOCAO_REMINDER_DAYS_BEFORE",
    "quiet_hours": "BAOCAO_QUIET_HOURS",
    "digest_weekday": "BAOCAO_DIGEST_WEEKDAY",
    "digest_hour": "BAOCAO_DIGEST_HOUR",
    "catchup_grace_hours": "BAOCAO_CATCHUP_GRACE_HOURS",
    "secretary_after": "BAOCAO_SECRETARY_AFTER",
    # materials sent to the cells (/tailieu)
    "material_remind_after": "BAOCAO_MATERIAL_REMIND_AFTER",
    "fund_rate": "BAOCAO_FUND_RATE",
    # the bot's own HTTP server (bot/web/): webhooks, /healthz, files by URL
    "public_url": "BAOCAO_PUBLIC_URL",
    "listen": "BAOCAO_LISTEN",
    "telegram_webhook_secret": "BAOCAO_TELEGRAM_WEBHOOK_SECRET",
    "zalo_webhook_secret": "BAOCAO_ZALO_WEBHOOK_SECRET",
    # `baocao run` retries an unreachable Bot API at start, waiting at most this long
    "startup_retry_max": "BAOCAO_STARTUP_RETRY_MAX",
}

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def read_toml(path: Path) -> dict[str, object]:
    """The file's settings; an unknown key is an error, so a typo is never silently ignored."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError("config.file_missing", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config.file_not_toml", path=path, detail=exc) from None
    unknown = sorted(set(data) - set(ENV_NAMES))
    if unknown:
        raise ConfigError("config.file_unknown", path=path, unknown=", ".join(unknown),
                          known=", ".join(ENV_NAMES))  # fmt: skip
    return data


def setting_name(key: str) -> Setting:
    """How an error names a setting: both where it may be given."""
    return Setting(ENV_NAMES[key], key)


def optional_str(raw: Mapping[str, object], key: str) -> str | None:
    """The setting as text, or None when it is absent or empty."""
    value = raw.get(key)
    return None if value in (None, "") else str(value)


def url(value: object, key: str) -> str:
    """An http(s) URL, such as a Bot API's."""
    text = str(value).strip()
    if not text.startswith(("http://", "https://")):
        raise ConfigError("config.url", setting=setting_name(key), got=repr(text))
    return text


def optional_url(raw: Mapping[str, object], key: str) -> str | None:
    """An http(s) URL, or None when the setting is absent."""
    value = optional_str(raw, key)
    return None if value is None else url(value, key)


def public_url(raw: Mapping[str, object]) -> str | None:
    """The HTTPS address at which the messengers reach the bot's server (webhooks, files)."""
    value = optional_str(raw, "public_url")
    if value is None:
        return None
    text = value.strip().rstrip("/")
    if not text.startswith("https://") or len(text) <= len("https://"):
        raise ConfigError("config.public_url", setting=setting_name("public_url"), got=repr(value))
    return text


def listen(value: object) -> tuple[str, int] | None:
    """'127.0.0.1:8080', '[::1]:8080', ':8080' (all addresses) or 'off'."""
    text = str(value).strip()
    if text.lower() in ("off", "none", "no"):
        return None
    host, sep, port = text.rpartition(":")
    host = host.strip("[]") if sep else ""
    if not sep or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ConfigError("config.listen", setting=setting_name("listen"), got=repr(text))
    return host or "0.0.0.0", int(port)


_SECRET_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def secret(raw: Mapping[str, object], key: str) -> str | None:
    """8 to 256 of A-Z a-z 0-9 _ -: what both Telegram and Zalo accept as a webhook secret."""
    value = optional_str(raw, key)
    if value is None:
        return None
    if not 8 <= len(value) <= 256 or not set(value) <= _SECRET_CHARS:
        # The value itself is never repeated: it is a secret.
        raise ConfigError("config.secret", setting=setting_name(key))
    return value


def zone(value: object) -> ZoneInfo:
    """An IANA time zone: the cadres' local time for reminders and deadlines."""
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("config.zone", setting=setting_name("tz"), got=repr(value)) from None


def admins(value: object) -> frozenset[int]:
    """Telegram user ids, separated by commas (or a TOML list)."""
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    ids = set()
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not text.lstrip("-").isdigit():
            raise ConfigError("config.admins", setting=setting_name("admins"), got=repr(text))
        ids.add(int(text))
    return frozenset(ids)


def language(value: object) -> str:
    """The default language of the texts: 'vi' or 'en'."""
    text = str(value).strip().lower()
    if text not in ("vi", "en"):
        raise ConfigError("config.language", setting=setting_name("language"), got=repr(text))
    return text


def organisation(raw: Mapping[str, object]) -> Organisation:
    """Who runs the bot, as the texts name it: committee, office and its phone."""
    name = _org_text(raw, "org_name", DEFAULT_ORG_NAME)
    office = _org_text(raw, "org_office", DEFAULT_ORG_OFFICE)
    return Organisation(name, office, _org_phone(raw.get("org_phone")))


def _org_text(raw: Mapping[str, object], key: str, default: str) -> str:
    text = " ".join(str(raw.get(key) or default).split())
    if not 2 <= len(text) <= 80 or any(char in text for char in "{}"):
        raise ConfigError("config.org_name", setting=setting_name(key), example=f"{default} xã Đăk Ruồng",
                          got=repr(text))  # fmt: skip
    return text


def _org_phone(value: object) -> str | None:
    """The office's phone as written (a landline such as 0260 3823 456, or a mobile)."""
    if value in (None, ""):
        return None
    text = " ".join(str(value).split())
    digits = sum(char.isdigit() for char in text)
    if not 8 <= digits <= 15 or any(not (char.isdigit() or char in " .+-()") for char in text):
        raise ConfigError("config.org_phone", setting=setting_name("org_phone"), got=repr(text))
    return text


def integer(raw: Mapping[str, object], key: str, default: int, low: int, high: int) -> int:
    """A whole number in [low, high]; the default where the setting is absent."""
    text = str(raw.get(key, default)).strip()
    if not text.lstrip("-").isdigit() or not low <= int(text) <= high:
        raise ConfigError("config.integer", setting=setting_name(key), low=low, high=high, got=repr(text))
    return int(text)


def seconds(
    raw: Mapping[str, object], key: str, default: float, low: float, high: float
) -> float:
    """A number of seconds in [low, high]; the default where the setting is absent."""
    text = str(raw.get(key, default)).strip()
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not low <= value <= high:
        raise ConfigError("config.seconds", setting=setting_name(key), low=f"{low:g}", high=f"{high:g}",
                          got=repr(text))  # fmt: skip
    return value


def days_before(value: object) -> tuple[int, ...]:
    """'30,7' → (30, 7): the follow-up reminders, as days left in the quarter."""
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    days = set()
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not text.isdigit() or not 2 <= int(text) <= 80:
            raise ConfigError("config.days_before", setting=setting_name("reminder_days_before"), got=repr(text))
        days.add(int(text))
    return tuple(sorted(days, reverse=True))


def secretary_after(value: object) -> int:
    """How many reminders without a report before the cell's secretary is told; 0 = never."""
    text = str(value).strip()
    if not text.isdigit() or int(text) > 10:
        raise ConfigError("config.secretary_after", setting=setting_name("secretary_after"), got=repr(text))
    return int(text)


def _clock_time(text: str) -> time:
    hour, _, minute = text.strip().partition(":")
    return time(int(hour), int(minute or 0))


def quiet_hours(value: object) -> tuple[time, time]:
    """'21:00-07:00' (or '21-7'); 'off' means no quiet hours."""
    text = str(value).strip().lower()
    if text in ("off", "none", "0"):
        return time(0, 0), time(0, 0)
    start, sep, end = text.partition("-")
    try:
        if not sep:
            raise ValueError(text)
        return _clock_time(start), _clock_time(end)
    except ValueError:
        raise ConfigError("config.quiet_hours", setting=setting_name("quiet_hours"), got=repr(value)) from None


def weekday(value: object) -> int:
    """'mon'…'sun' or 1…7 (1 = Monday) → date.weekday()."""
    text = str(value).strip().lower()[:3]
    if text in WEEKDAYS:
        return WEEKDAYS.index(text)
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text) - 1
    raise ConfigError("config.weekday", setting=setting_name("digest_weekday"), got=repr(value))
