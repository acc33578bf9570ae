"""Configuration from the environment, optionally from a TOML file given by ``--config``.

The environment wins over the file, so a secret such as the token can stay out of files.
Every mistake is reported with the name of the setting and what it expects.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.texts.organisation import DEFAULT_ORG_NAME, DEFAULT_ORG_OFFICE, Organisation

OFFICIAL_API_URL = "https://api.telegram.org/bot"
ZALO_API_URL = "https://bot-api.zaloplatforms.com/bot"  # older clients: https://bot-api.zapps.me/bot

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


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Config:
    telegram_token: str | None = None
    telegram_api_url: str = OFFICIAL_API_URL
    telegram_file_url: str | None = None
    zalo_token: str | None = None
    zalo_api_url: str = ZALO_API_URL
    db_path: Path = Path("baocao.sqlite3")
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    admin_ids: frozenset[int] = frozenset()
    default_language: str = "vi"
    # The Party committee that runs the bot and its office, as the texts name them, e.g.
    # «Đảng ủy xã Đăk Ruồng» / «Văn phòng Đảng ủy xã», «Tỉnh ủy Quảng Ngãi», or
    # «Huyện ủy Mộ Đức» for a legacy roster. The phone is shown to strangers.
    organisation: Organisation = field(default_factory=Organisation)
    # Reminders: on this day of the quarter's first month, then when this many days are
    # left, then on the last day; always at reminder_hour, never in the quiet hours.
    reminder_start_day: int = 1
    reminder_hour: int = 8
    reminder_days_before: tuple[int, ...] = (30, 7)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    digest_weekday: int = 0  # Monday, as date.weekday()
    digest_hour: int = 8
    # A reminder or digest missed while the bot was down is still sent this long after.
    catchup_grace: timedelta = timedelta(hours=48)
    # After this many reminders about one cell with no report, the cell's secretary is
    # told which committee member is still due at their meeting (0: never).
    secretary_after: int = 2
    # A cell that has not confirmed a material (/tailieu) is reminded once after this many
    # working days (0: never).
    material_remind_after: int = 3
    # The savings fund's monthly rate per cadre in whole đồng, where a top-unit admin has
    # not set a unit's own (/mucquy).
    fund_rate: int = 2000
    # The bot's HTTP server. With a public URL (the HTTPS address of a reverse proxy in
    # front of ``listen``) the messengers deliver by webhook; without one the bot polls.
    # ``listen`` None: no server at all (no /healthz).
    public_url: str | None = None
    listen: tuple[str, int] | None = ("127.0.0.1", 8080)
    # Webhook secrets; unset, a fresh random one each start (bot/runner.py says why).
    telegram_webhook_secret: str | None = None
    zalo_webhook_secret: str | None = None
    # `baocao run` waits for an unreachable Bot API: 1 s, 2 s, 4 s… at most this many seconds.
    startup_retry_max: float = 60.0

    def __repr__(self) -> str:
        """Never prints the token: configs end up in logs and tracebacks."""
        token = "<set>" if self.telegram_token else "<unset>"
        zalo = "<set>" if self.zalo_token else "<unset>"
        return (
            f"Config(telegram_token={token}, telegram_api_url={self.telegram_api_url!r}, "
            f"zalo_token={zalo}, zalo_api_url={self.zalo_api_url!r}, "
            f"db_path={str(self.db_path)!r}, tz={self.tz.key!r}, admins={len(self.admin_ids)}, "
            f"public_url={self.public_url!r}, listen={self.listen!r})"
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

    def require_zalo_token(self) -> str:
        if not self.zalo_token:
            raise ConfigError(
                "BAOCAO_ZALO_TOKEN is not set: give the token of the bot made in Zalo Bot Creator "
                "in the environment"
            )
        return self.zalo_token


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
    config = Config(
        telegram_token=_optional_str(raw, "telegram_token"),
        telegram_api_url=_url(raw.get("telegram_api_url", OFFICIAL_API_URL), "telegram_api_url"),
        telegram_file_url=_optional_url(raw, "telegram_file_url"),
        zalo_token=_optional_str(raw, "zalo_token"),
        zalo_api_url=_url(raw.get("zalo_api_url", ZALO_API_URL), "zalo_api_url"),
        db_path=Path(str(raw.get("db", "baocao.sqlite3"))),
        tz=_zone(raw.get("tz", "Asia/Ho_Chi_Minh")),
        admin_ids=_admins(raw.get("admins", "")),
        default_language=_language(raw.get("language", "vi")),
        organisation=_organisation(raw),
        reminder_start_day=_integer(raw, "reminder_start_day", 1, 1, 28),
        reminder_hour=_integer(raw, "reminder_hour", 8, 0, 23),
        reminder_days_before=_days_before(raw.get("reminder_days_before", "30,7")),
        quiet_start=_quiet_hours(raw.get("quiet_hours", "21:00-07:00"))[0],
        quiet_end=_quiet_hours(raw.get("quiet_hours", "21:00-07:00"))[1],
        digest_weekday=_weekday(raw.get("digest_weekday", "mon")),
        digest_hour=_integer(raw, "digest_hour", 8, 0, 23),
        catchup_grace=timedelta(hours=_integer(raw, "catchup_grace_hours", 48, 1, 24 * 30)),
        secretary_after=_secretary_after(raw.get("secretary_after", 2)),
        material_remind_after=_integer(raw, "material_remind_after", 3, 0, 30),
        fund_rate=_integer(raw, "fund_rate", 2000, 1, 10_000_000),
        public_url=_public_url(raw),
        listen=_listen(raw.get("listen", "127.0.0.1:8080")),
        telegram_webhook_secret=_secret(raw, "telegram_webhook_secret"),
        zalo_webhook_secret=_secret(raw, "zalo_webhook_secret"),
        startup_retry_max=_seconds(raw, "startup_retry_max", 60.0, 0.01, 3600.0),
    )
    _check_hours_outside_quiet(config)
    return config


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


def _public_url(raw: Mapping[str, object]) -> str | None:
    """The HTTPS address at which the messengers reach the bot's server (webhooks, files)."""
    value = _optional_str(raw, "public_url")
    if value is None:
        return None
    text = value.strip().rstrip("/")
    if not text.startswith("https://") or len(text) <= len("https://"):
        raise ConfigError(
            f"{_name('public_url')} must be an https:// address (Telegram and Zalo deliver "
            f"webhooks over HTTPS only), such as https://baocao.example.vn; got {value!r}"
        )
    return text


def _listen(value: object) -> tuple[str, int] | None:
    """'127.0.0.1:8080', '[::1]:8080', ':8080' (all addresses) or 'off'."""
    text = str(value).strip()
    if text.lower() in ("off", "none", "no"):
        return None
    host, sep, port = text.rpartition(":")
    host = host.strip("[]") if sep else ""
    if not sep or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ConfigError(
            f"{_name('listen')} must be host:port such as 127.0.0.1:8080 (or 'off'), got {text!r}"
        )
    return host or "0.0.0.0", int(port)


_SECRET_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _secret(raw: Mapping[str, object], key: str) -> str | None:
    """8 to 256 of A-Z a-z 0-9 _ -: what both Telegram and Zalo accept as a webhook secret."""
    value = _optional_str(raw, key)
    if value is None:
        return None
    if not 8 <= len(value) <= 256 or not set(value) <= _SECRET_CHARS:
        # The value itself is never repeated: it is a secret.
        raise ConfigError(
            f"{_name(key)} must be 8 to 256 characters of A-Z, a-z, 0-9, _ and -"
        )
    return value


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
                f"{_name('admins')} must be Telegram user ids separated by commas, got {text!r} "
                "(Zalo accounts are made admins by the roster: role 'admin', then an invite code)"
            )
        ids.add(int(text))
    return frozenset(ids)


def _language(value: object) -> str:
    text = str(value).strip().lower()
    if text not in ("vi", "en"):
        raise ConfigError(f"{_name('language')} must be 'vi' or 'en', got {text!r}")
    return text


def _organisation(raw: Mapping[str, object]) -> Organisation:
    name = _org_text(raw, "org_name", DEFAULT_ORG_NAME)
    office = _org_text(raw, "org_office", DEFAULT_ORG_OFFICE)
    return Organisation(name, office, _org_phone(raw.get("org_phone")))


def _org_text(raw: Mapping[str, object], key: str, default: str) -> str:
    text = " ".join(str(raw.get(key) or default).split())
    if not 2 <= len(text) <= 80 or any(char in text for char in "{}"):
        raise ConfigError(
            f"{_name(key)} must be a name of 2 to 80 characters without braces, such as "
            f"«{default} xã Đăk Ruồng»; got {text!r}"
        )
    return text


def _org_phone(value: object) -> str | None:
    """The office's phone as written (a landline such as 0260 3823 456, or a mobile)."""
    if value in (None, ""):
        return None
    text = " ".join(str(value).split())
    digits = sum(char.isdigit() for char in text)
    if not 8 <= digits <= 15 or any(not (char.isdigit() or char in " .+-()") for char in text):
        raise ConfigError(
            f"{_name('org_phone')} must be a phone number such as 0260 3823 456; got {text!r}"
        )
    return text


def _integer(raw: Mapping[str, object], key: str, default: int, low: int, high: int) -> int:
    text = str(raw.get(key, default)).strip()
    if not text.lstrip("-").isdigit() or not low <= int(text) <= high:
        raise ConfigError(f"{_name(key)} must be a whole number from {low} to {high}, got {text!r}")
    return int(text)


def _seconds(raw: Mapping[str, object], key: str, default: float, low: float, high: float) -> float:
    text = str(raw.get(key, default)).strip()
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not low <= value <= high:
        raise ConfigError(f"{_name(key)} must be a number of seconds from {low:g} to {high:g}, got {text!r}")
    return value


def _days_before(value: object) -> tuple[int, ...]:
    """'30,7' → (30, 7): the follow-up reminders, as days left in the quarter."""
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    days = set()
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not text.isdigit() or not 2 <= int(text) <= 80:
            raise ConfigError(
                f"{_name('reminder_days_before')} must be numbers of days from 2 to 80 "
                f"separated by commas, such as 30,7; got {text!r}"
            )
        days.add(int(text))
    return tuple(sorted(days, reverse=True))


def _secretary_after(value: object) -> int:
    """How many reminders without a report before the cell's secretary is told; 0 = never."""
    text = str(value).strip()
    if not text.isdigit() or int(text) > 10:
        raise ConfigError(
            f"{_name('secretary_after')} must be the number of reminders (0 to 10) after which "
            f"the cell's secretary is told that a committee member has not reported; 0 turns "
            f"it off; got {text!r}"
        )
    return int(text)


def _clock_time(text: str) -> time:
    hour, _, minute = text.strip().partition(":")
    return time(int(hour), int(minute or 0))


def _quiet_hours(value: object) -> tuple[time, time]:
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
        raise ConfigError(
            f"{_name('quiet_hours')} must be a time range such as 21:00-07:00 (or 'off'), "
            f"got {value!r}"
        ) from None


def _weekday(value: object) -> int:
    """'mon'…'sun' or 1…7 (1 = Monday) → date.weekday()."""
    text = str(value).strip().lower()[:3]
    if text in WEEKDAYS:
        return WEEKDAYS.index(text)
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text) - 1
    raise ConfigError(
        f"{_name('digest_weekday')} must be a weekday: mon, tue, … sun or 1…7 (1 = Monday), "
        f"got {value!r}"
    )


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    """Whether a local time of day falls in the quiet hours (which may span midnight)."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def _check_hours_outside_quiet(config: Config) -> None:
    """A reminder hour inside the quiet hours would wait for the morning; on the last day
    of a quarter, that morning is already the next quarter, and the reminder is lost."""
    for key, hour in (("reminder_hour", config.reminder_hour), ("digest_hour", config.digest_hour)):
        if in_quiet_hours(time(hour), config.quiet_start, config.quiet_end):
            raise ConfigError(
                f"{_name(key)} ({hour}:00) falls in the quiet hours ({_name('quiet_hours')}, "
                f"{config.quiet_start:%H:%M}-{config.quiet_end:%H:%M}); choose an hour outside them"
            )
