"""Configuration from the environment, optionally from a TOML file given by ``--config``.

The environment wins over the file, so a secret such as the token can stay out of files.
Every mistake is reported with the name of the setting and what it expects.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import config_values as values
from bot.config_values import ENV_NAMES, WEEKDAYS, ConfigError
from bot.texts.organisation import Organisation

__all__ = [
    "ENV_NAMES",
    "OFFICIAL_API_URL",
    "WEEKDAYS",
    "ZALO_API_URL",
    "Config",
    "ConfigError",
    "in_quiet_hours",
    "load_config",
]

OFFICIAL_API_URL = "https://api.telegram.org/bot"
ZALO_API_URL = "https://bot-api.zaloplatforms.com/bot"  # older clients: https://bot-api.zapps.me/bot


@dataclass(frozen=True)
class Config:
    """Every setting, checked; frozen so one config serves all handlers and jobs alike."""

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
        """The Telegram token, or a ConfigError that says where to get one."""
        if not self.telegram_token:
            raise ConfigError("config.no_telegram_token")
        return self.telegram_token

    def require_zalo_token(self) -> str:
        """The Zalo token, or a ConfigError that says where to get one."""
        if not self.zalo_token:
            raise ConfigError("config.no_zalo_token")
        return self.zalo_token


def load_config(
    env: Mapping[str, str] | None = None, config_file: str | Path | None = None
) -> Config:
    """Reads settings from the TOML file (if any), then the environment on top."""
    env = os.environ if env is None else env
    raw: dict[str, object] = {}
    if config_file is not None:
        raw.update(values.read_toml(Path(config_file)))
    for key, var in ENV_NAMES.items():
        if env.get(var, "").strip():
            raw[key] = env[var].strip()
    config = Config(
        telegram_token=values.optional_str(raw, "telegram_token"),
        telegram_api_url=values.url(
            raw.get("telegram_api_url", OFFICIAL_API_URL), "telegram_api_url"
        ),
        telegram_file_url=values.optional_url(raw, "telegram_file_url"),
        zalo_token=values.optional_str(raw, "zalo_token"),
        zalo_api_url=values.url(raw.get("zalo_api_url", ZALO_API_URL), "zalo_api_url"),
        db_path=Path(str(raw.get("db", "baocao.sqlite3"))),
        tz=values.zone(raw.get("tz", "Asia/Ho_Chi_Minh")),
        admin_ids=values.admins(raw.get("admins", "")),
        default_language=values.language(raw.get("language", "vi")),
        organisation=values.organisation(raw),
        reminder_start_day=values.integer(raw, "reminder_start_day", 1, 1, 28),
        reminder_hour=values.integer(raw, "reminder_hour", 8, 0, 23),
        reminder_days_before=values.days_before(raw.get("reminder_days_before", "30,7")),
        quiet_start=values.quiet_hours(raw.get("quiet_hours", "21:00-07:00"))[0],
        quiet_end=values.quiet_hours(raw.get("quiet_hours", "21:00-07:00"))[1],
        digest_weekday=values.weekday(raw.get("digest_weekday", "mon")),
        digest_hour=values.integer(raw, "digest_hour", 8, 0, 23),
        catchup_grace=timedelta(hours=values.integer(raw, "catchup_grace_hours", 48, 1, 24 * 30)),
        secretary_after=values.secretary_after(raw.get("secretary_after", 2)),
        material_remind_after=values.integer(raw, "material_remind_after", 3, 0, 30),
        fund_rate=values.integer(raw, "fund_rate", 2000, 1, 10_000_000),
        public_url=values.public_url(raw),
        listen=values.listen(raw.get("listen", "127.0.0.1:8080")),
        telegram_webhook_secret=values.secret(raw, "telegram_webhook_secret"),
        zalo_webhook_secret=values.secret(raw, "zalo_webhook_secret"),
        startup_retry_max=values.seconds(raw, "startup_retry_max", 60.0, 0.01, 3600.0),
    )
    _check_hours_outside_quiet(config)
    return config


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
            raise ConfigError("config.hour_in_quiet", setting=values.setting_name(key), hour=hour,
                              quiet=values.setting_name("quiet_hours"), start=f"{config.quiet_start:%H:%M}",
                              end=f"{config.quiet_end:%H:%M}")  # fmt: skip
