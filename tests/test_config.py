from pathlib import Path

import pytest

from bot.config import OFFICIAL_API_URL, ConfigError, load_config


def test_defaults_need_nothing() -> None:
    config = load_config(env={})
    assert config.telegram_token is None
    assert config.telegram_api_url == OFFICIAL_API_URL
    assert config.file_url == "https://api.telegram.org/file/bot"
    assert config.db_path == Path("baocao.sqlite3")
    assert config.tz.key == "Asia/Ho_Chi_Minh"
    assert config.admin_ids == frozenset()


def test_environment_is_read() -> None:
    config = load_config(
        env={
            "BAOCAO_TELEGRAM_TOKEN": "42:secret",
            "BAOCAO_TELEGRAM_API_URL": "http://127.0.0.1:8081/bot",
            "BAOCAO_DB": "/var/lib/baocao/db.sqlite3",
            "BAOCAO_TZ": "Asia/Bangkok",
            "BAOCAO_ADMINS": "111, 222;333",
        }
    )
    assert config.require_token() == "42:secret"
    assert config.file_url == "http://127.0.0.1:8081/file/bot"
    assert config.db_path == Path("/var/lib/baocao/db.sqlite3")
    assert config.tz.key == "Asia/Bangkok"
    assert config.admin_ids == {111, 222, 333}


def test_the_token_never_shows_in_repr() -> None:
    config = load_config(env={"BAOCAO_TELEGRAM_TOKEN": "42:very-secret"})
    assert "very-secret" not in repr(config)
    assert "very-secret" not in str(config)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"BAOCAO_ADMINS": "12,abc"}, "BAOCAO_ADMINS"),
        ({"BAOCAO_TZ": "Mars/Olympus"}, "BAOCAO_TZ"),
        ({"BAOCAO_TELEGRAM_API_URL": "localhost:8081"}, "BAOCAO_TELEGRAM_API_URL"),
        ({"BAOCAO_LANGUAGE": "fr"}, "BAOCAO_LANGUAGE"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        load_config(env=env)


def test_missing_token_explains_what_to_do() -> None:
    with pytest.raises(ConfigError, match="BotFather"):
        load_config(env={}).require_token()


def test_toml_file_under_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "baocao.toml"
    path.write_text('db = "from-file.sqlite3"\ntz = "Asia/Bangkok"\nadmins = [5, 6]\n')
    config = load_config(env={"BAOCAO_TZ": "Asia/Ho_Chi_Minh"}, config_file=path)
    assert config.db_path == Path("from-file.sqlite3")
    assert config.tz.key == "Asia/Ho_Chi_Minh"
    assert config.admin_ids == {5, 6}


def test_toml_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("db = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(env={}, config_file=bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('token = "x"\n')
    with pytest.raises(ConfigError, match="unknown setting"):
        load_config(env={}, config_file=unknown)
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(env={}, config_file=tmp_path / "missing.toml")
