"""The ``baocao`` command as an operator uses it."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config
from tests.conftest import ROOT, SAMPLE_ROSTER


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("BAOCAO_DB", str(path))
    monkeypatch.delenv("BAOCAO_TELEGRAM_TOKEN", raising=False)
    return path


def test_scripted_demo_plays_a_visit_report_with_an_answered_escalation(capsys: pytest.CaptureFixture[str]) -> None:
    script = ROOT / "examples" / "demo-visit.txt"
    assert main(["demo", "--script", str(script), "--now", "2026-11-23T09:00"]) == 0
    out = capsys.readouterr().out
    assert "Xin chào đồng chí" in out
    assert "✅ Đã lưu báo cáo số 1" in out
    assert "Kiến nghị số 1 gửi Ban Thường vụ" in out
    assert "📩 Ban Thường vụ trả lời kiến nghị số 1" in out
    assert "✅ Chi bộ thôn 9 — Đăk Ruồng — đã báo cáo" in out
    assert "bot không trả lời" not in out


def test_the_same_demo_script_plays_on_zalo_as_numbered_choices(capsys: pytest.CaptureFixture[str]) -> None:
    script = ROOT / "examples" / "demo-visit.txt"
    assert main(["demo", "--channel", "zalo", "--script", str(script), "--now", "2026-11-23T09:00"]) == 0
    out = capsys.readouterr().out
    assert "Zalo mô phỏng" in out and "   1. Chi bộ thôn 9 — Đăk Ruồng" in out
    assert "✅ Đã lưu báo cáo số 1" in out
    assert "📩 Ban Thường vụ trả lời kiến nghị số 1" in out
    assert "✅ Chi bộ thôn 9 — Đăk Ruồng — đã báo cáo" in out
    assert "bot không trả lời" not in out
    # Typing a number must mean one thing: no screen lists numbered lines besides its choices.
    for screen in out.split("🤖")[1:]:
        screen = screen.split("» ")[0]
        numbers = re.findall(r"^\s*(\d+)\. ", screen, flags=re.MULTILINE)
        assert len(numbers) == len(set(numbers)), f"ambiguous numbers on a Zalo screen:\n{screen}"


def test_import_then_upgrade_then_backup(db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(SAMPLE_ROSTER)]) == 0
    assert "Cán bộ: 40 thêm mới" in capsys.readouterr().out
    assert main(["import", str(SAMPLE_ROSTER)]) == 0
    assert "Cán bộ: 0 thêm mới, 0 cập nhật, 40 không đổi" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "đã ở phiên bản mới nhất" in capsys.readouterr().out
    copy = tmp_path / "backup" / "copy.sqlite3"
    assert main(["db", "backup", str(copy)]) == 0
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM cadres").fetchone()[0] == 40
    assert main(["db", "backup", str(copy)]) == 1  # never overwrites a file
    assert "đã có; hãy chọn tên tệp mới" in capsys.readouterr().err


def test_a_broken_roster_is_refused_whole(db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "cadres.csv"
    bad.write_text("code,full_name,phone\nX-1,Nguyễn Văn A,0912\nX-2,,0912345999\n", encoding="utf-8")
    assert main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "không dòng nào được nhập" in err
    assert "cadres.csv, dòng 2 (Số điện thoại): số điện thoại '0912' không đúng" in err  # the sheet as the file names it
    assert "cadres.csv, dòng 3" in err
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT count(*) FROM cadres").fetchone()[0] == 0


def test_run_without_a_token_explains_itself(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    assert "baocao: chưa đặt BAOCAO_TELEGRAM_TOKEN, cũng chưa đặt BAOCAO_ZALO_TOKEN" in capsys.readouterr().err


def test_bad_configuration_is_reported_not_raised(db_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BAOCAO_TZ", "Nowhere/Town")
    assert main(["db", "upgrade"]) == 2
    assert "BAOCAO_TZ" in capsys.readouterr().err


@pytest.mark.parametrize(("lang", "line"), [
    (None, "baocao: BAOCAO_QUIET_HOURS (hoặc 'quiet_hours' trong tệp cấu hình) không hợp lệ: cần một khoảng giờ "
           "như 21:00-07:00 (hoặc 'off'), đang là '21h-7h'"),
    ("en", "baocao: BAOCAO_QUIET_HOURS (or 'quiet_hours' in the config file) must be a time range such as "
           "21:00-07:00 (or 'off'), got '21h-7h'"),
])  # fmt: skip
def test_a_bad_setting_is_one_line_in_the_operators_language(tmp_path: Path, lang: str | None, line: str) -> None:
    """The real command, as the operator starts it: Vietnamese unless BAOCAO_LANGUAGE=en."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    env.update(BAOCAO_DB=str(tmp_path / "bot.sqlite3"), BAOCAO_QUIET_HOURS="21h-7h", PYTHONPATH=str(ROOT))
    if lang:
        env["BAOCAO_LANGUAGE"] = lang
    result = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == line
    assert not (tmp_path / "bot.sqlite3").exists()  # nothing was started


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "tệp cấu hình {path}: không có thiết lập quiet_hour; các thiết lập có: telegram_token, "),
    ("en", "config file {path}: unknown setting(s) quiet_hour; known: telegram_token, "),
])  # fmt: skip
def test_a_mistyped_config_file_is_reported_in_the_operators_language(
    lang: str, text: str, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("BAOCAO_LANGUAGE", lang)
    config = tmp_path / "baocao.toml"
    config.write_text('quiet_hour = "22:00-06:00"\n', encoding="utf-8")
    assert main(["--config", str(config), "db", "upgrade"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("baocao: " + text.format(path=config))


def test_a_config_error_keeps_english_for_logs() -> None:
    """``str()`` (logs, tracebacks) stays English whatever the operator's language."""
    with pytest.raises(ConfigError) as caught:
        load_config(env={"BAOCAO_DIGEST_WEEKDAY": "someday"})
    assert str(caught.value).startswith("BAOCAO_DIGEST_WEEKDAY (or 'digest_weekday' in the config file) must be")
    assert caught.value.text("vi").startswith(
        "BAOCAO_DIGEST_WEEKDAY (hoặc 'digest_weekday' trong tệp cấu hình) không hợp lệ: cần một ngày trong tuần"
    )


def test_python_dash_m_bot_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "demo" in result.stdout and "import" in result.stdout


def test_demo_runs_the_reminder_sweep_on_its_clock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "remind.txt"
    script.write_text(":nhac\n1\n", encoding="utf-8")
    assert main(["demo", "--script", str(script), "--now", "2026-12-02T09:00"]) == 0
    out = capsys.readouterr().out
    assert "Còn 30 ngày nữa là hết Quý IV/2026" in out
    assert "Bước 2/6" in out  # the reminder's button starts the report for its cell


def test_an_old_button_number_in_the_demo_gets_a_polite_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Sending the report edits the review into a receipt without buttons; typing a number
    of the review's buttons afterwards used to crash the demo (LookupError: no button)."""
    visit = (ROOT / "examples" / "demo-visit.txt").read_text(encoding="utf-8")
    report = visit.split("# The committee's office")[0]  # up to «✅ Gửi» (the review's 6)
    script = tmp_path / "old-button.txt"
    script.write_text(report + "1\n/baocao\n", encoding="utf-8")
    assert main(["demo", "--script", str(script), "--now", "2026-11-23T09:00"]) == 0
    out = capsys.readouterr().out
    assert "✅ Đã lưu báo cáo số 1" in out
    after = out.split("(nút số 1 không còn nữa: màn hình đã đổi / button 1 is gone: the screen changed)")[1]
    assert "Bước 1/6" in after  # and the demo went on
    assert "bot không trả lời" not in out


def test_the_demo_reuses_its_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A second demo on the same --db: the bot remembers the update ids it handled, so the
    simulator numbers after them (it used to start at 1, and every message timed out)."""
    db = tmp_path / "demo.sqlite3"
    script = ROOT / "examples" / "demo-visit.txt"
    assert main(["demo", "--db", str(db), "--script", str(script), "--now", "2026-11-23T09:00"]) == 0
    capsys.readouterr()
    again = tmp_path / "again.txt"
    again.write_text("/cuatoi\n", encoding="utf-8")
    assert main(["demo", "--db", str(db), "--script", str(again), "--now", "2026-11-23T10:00"]) == 0
    out = capsys.readouterr().out
    assert "bot không trả lời" not in out
    assert "Chi bộ thôn 9" in out  # the report of the first run, listed by the second


def test_the_demo_keeps_its_database_when_it_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import bot.demo

    played = bot.demo.Demo.handle_line

    async def fail_on_boom(self: bot.demo.Demo, line: str) -> bool:
        if line.strip() == "boom":
            raise RuntimeError("the demo broke")
        return await played(self, line)

    monkeypatch.setattr(bot.demo.Demo, "handle_line", fail_on_boom)
    script = tmp_path / "boom.txt"
    script.write_text("/start\nboom\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        main(["demo", "--script", str(script), "--now", "2026-11-23T09:00"])
    err = capsys.readouterr().err
    kept = Path(err.split("the demo database is kept in ")[1].split()[0])
    assert kept.exists()
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT count(*) FROM processed_updates").fetchone()[0] >= 1
