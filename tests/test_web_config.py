"""Settings of the bot's HTTP server: public URL, listen address, webhook secrets."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_config


def test_polling_on_loopback_by_default() -> None:
    config = load_config(env={})
    assert config.public_url is None
    assert config.listen == ("127.0.0.1", 8080)
    assert config.telegram_webhook_secret is None and config.zalo_webhook_secret is None


def test_web_settings_are_read() -> None:
    config = load_config(env={
        "BAOCAO_PUBLIC_URL": "https://baocao.example.vn/bot/",
        "BAOCAO_LISTEN": "[::1]:9000",
        "BAOCAO_TELEGRAM_WEBHOOK_SECRET": "telegram_secret-123",
        "BAOCAO_ZALO_WEBHOOK_SECRET": "zalo_secret-456",
    })  # fmt: skip
    assert config.public_url == "https://baocao.example.vn/bot"
    assert config.listen == ("::1", 9000)
    assert config.telegram_webhook_secret == "telegram_secret-123"
    assert config.zalo_webhook_secret == "zalo_secret-456"
    assert "secret-123" not in repr(config) and "secret-456" not in repr(config)


@pytest.mark.parametrize(("value", "expected"), [(":8080", ("0.0.0.0", 8080)), ("off", None), ("10.0.0.5:80", ("10.0.0.5", 80))])
def test_listen_forms(value: str, expected: object) -> None:
    assert load_config(env={"BAOCAO_LISTEN": value}).listen == expected


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"BAOCAO_PUBLIC_URL": "http://baocao.example.vn"}, "BAOCAO_PUBLIC_URL"),
        ({"BAOCAO_PUBLIC_URL": "baocao.example.vn"}, "BAOCAO_PUBLIC_URL"),
        ({"BAOCAO_LISTEN": "8080"}, "BAOCAO_LISTEN"),
        ({"BAOCAO_LISTEN": "127.0.0.1:99999"}, "BAOCAO_LISTEN"),
        ({"BAOCAO_TELEGRAM_WEBHOOK_SECRET": "short"}, "BAOCAO_TELEGRAM_WEBHOOK_SECRET"),
        ({"BAOCAO_ZALO_WEBHOOK_SECRET": "has spaces in it"}, "BAOCAO_ZALO_WEBHOOK_SECRET"),
    ],
)
def test_bad_web_settings_name_the_setting(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_config(env=env)


def test_a_bad_secret_is_not_repeated_in_the_error() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(env={"BAOCAO_TELEGRAM_WEBHOOK_SECRET": "almost-good but spaced"})
    assert "almost-good" not in str(caught.value)
