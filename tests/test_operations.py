"""What an operator meets: a bot started before the network, a database that cannot be
used, two bots on one database, and the ``baocao`` command's help and language."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from bot.cli import build_parser, main
from bot.config import ENV_NAMES, Config
from bot.simulator import TelegramSimulator
from bot.startup import retry_delays, wait_for_bot_api
from storage.lock import AlreadyRunning, process_lock
from tests.conftest import ROOT, SAMPLE_ROSTER

TOKEN = "123456:SIMULATED-TOKEN"


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database path and an environment with nothing of ours set but BAOCAO_DB."""
    for name in ENV_NAMES.values():
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "ops.sqlite3"
    monkeypatch.setenv("BAOCAO_DB", str(path))
    return path


def free_port() -> int:
    """A free port below the ephemeral range: simulators of other test runs on this machine
    listen on ephemeral ports (port 0), and one of them must not answer for the network
    that is down here."""
    low, _ = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    for port in random.Random().sample(range(max(1024, low - 12000), low - 1), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port")


# --- 14: the Bot API is unreachable at start -------------------------------------------------


def test_backoff_doubles_up_to_its_cap() -> None:
    delays = retry_delays(5.0)
    assert [next(delays) for _ in range(6)] == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert next(retry_delays(0.05)) == 0.05


async def test_the_start_waits_for_the_bot_api_with_one_line_per_attempt(
    config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    """No sleeping: the injected sleep records each pause and, at the fourth, the network
    comes back (the simulator starts on the port the bot was told)."""
    port = free_port()
    config = replace(config, telegram_token=TOKEN, telegram_api_url=f"http://127.0.0.1:{port}/bot",
                     startup_retry_max=4.0)  # fmt: skip
    simulator = TelegramSimulator()
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 4:
            await simulator.start(port=port)

    caplog.set_level(logging.INFO, logger="baocao.startup")
    try:
        assert await wait_for_bot_api(config, sleep=sleep) == simulator.bot_username
    finally:
        await simulator.stop()
    assert pauses == [1.0, 2.0, 4.0, 4.0]  # capped
    failed = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage().split(":")[0] for r in failed] == [f"Bot API not reachable (attempt {n}" for n in range(1, 5)]
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in failed)
    assert TOKEN not in caplog.text
    assert "reachable after 5 attempts" in caplog.text


async def test_baocao_run_started_before_the_network_serves_once_it_is_back(tmp_path: Path) -> None:
    """The real command, as systemd starts it: it retries (short pauses, set by
    BAOCAO_STARTUP_RETRY_MAX) until the simulator comes up, then answers a cadre."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    env.update(BAOCAO_TELEGRAM_TOKEN=TOKEN, BAOCAO_TELEGRAM_API_URL=f"http://127.0.0.1:{port}/bot",
               BAOCAO_DB=str(tmp_path / "run.sqlite3"), BAOCAO_STARTUP_RETRY_MAX="0.05",
               PYTHONPATH=str(ROOT))  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    lines: list[str] = []
    retried = asyncio.Event()

    async def read_log() -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            lines.append(raw.decode(errors="replace").rstrip())
            if sum("Bot API not reachable" in line for line in lines) >= 3:
                retried.set()

    reader = asyncio.create_task(read_log())
    try:
        await asyncio.wait_for(retried.wait(), timeout=30)
        simulator = TelegramSimulator()
        await simulator.start(port=port)
        try:
            await simulator.wait_for_long_poll(timeout=30)
            cadre = simulator.user(4242, "Lan")
            await cadre.send_text("/start")
            reply = await cadre.wait_reply(timeout=15)
            assert "Xin chào" in reply.content
        finally:
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), timeout=30) == 0
            await simulator.stop()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await reader
    attempts = [line for line in lines if "Bot API not reachable" in line]
    assert len(attempts) >= 3
    assert not any("Traceback" in line or "Aborting" in line for line in lines), "\n".join(lines)
    assert TOKEN not in "\n".join(lines)


def test_examples_ship_a_systemd_unit_that_restarts() -> None:
    unit = (ROOT / "examples" / "baocao.service").read_text(encoding="utf-8")
    for line in ("Restart=always", "EnvironmentFile=", "User=baocao", "ExecStart="):
        assert line in unit
    assert "baocao.service" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- 15: a database that cannot be used -------------------------------------------------------


def not_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are meeting notes, not a database\n" * 50, encoding="utf-8")
    return path


def a_directory(tmp_path: Path) -> Path:
    path = tmp_path / "a-directory.sqlite3"
    path.mkdir()
    return path


def under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain-file").write_text("x", encoding="utf-8")
    return tmp_path / "plain-file" / "baocao.sqlite3"


COMMANDS = [
    ["run"],
    ["db", "upgrade"],
    ["db", "backup", "COPY"],
    ["db", "check"],
    ["import", str(SAMPLE_ROSTER)],
    ["invite", "--all-unlinked"],
]


@pytest.mark.parametrize("bad", [not_sqlite, a_directory, under_a_file])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]).replace(str(SAMPLE_ROSTER), "ROSTER"))
def test_an_unusable_database_is_one_line_and_exit_2(
    bad, command: list[str], db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = bad(tmp_path)
    monkeypatch.setenv("BAOCAO_DB", str(path))
    monkeypatch.setenv("BAOCAO_TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("BAOCAO_TELEGRAM_API_URL", f"http://127.0.0.1:{free_port()}/bot")  # never reached
    argv = [str(tmp_path / "copy.sqlite3") if arg == "COPY" else arg for arg in command]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("baocao: ") and str(path) in err[0]
    assert "không mở được cơ sở dữ liệu" in err[0] or "không có cơ sở dữ liệu" in err[0]


def test_an_unusable_database_does_not_hang_the_process(tmp_path: Path) -> None:
    """The connection's worker thread used to outlive the error and keep the process alive."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    env.update(BAOCAO_DB=str(not_sqlite(tmp_path)), PYTHONPATH=str(ROOT), BAOCAO_LANGUAGE="en")
    result = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == f"baocao: cannot open the database {tmp_path / 'notes.sqlite3'}: file is not a database"


def test_db_check_reports_broken_references(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(SAMPLE_ROSTER)]) == 0
    assert main(["db", "check"]) == 0
    assert "tốt (integrity_check, foreign_key_check)" in capsys.readouterr().out
    with contextlib.closing(sqlite3.connect(db_file)) as conn:  # foreign keys are off here
        conn.execute("UPDATE cadres SET unit_id = 999999 WHERE code = 'CAN-001'")
        conn.commit()
    assert main(["db", "check"]) == 1
    out = capsys.readouterr().out
    assert "1 lỗi" in out and "cadres row" in out and "units" in out


def damage(path: Path) -> None:
    """Overwrites the middle of the file: pages SQLite will find broken."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(b"\xff" * 8192)


def test_run_refuses_a_damaged_database(db_file: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert main(["import", str(SAMPLE_ROSTER)]) == 0
    damage(db_file)
    monkeypatch.setenv("BAOCAO_TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("BAOCAO_TELEGRAM_API_URL", f"http://127.0.0.1:{free_port()}/bot")
    capsys.readouterr()
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bị hỏng" in err[0] and "baocao db check" in err[0], err
    assert main(["db", "check"]) == 1


# --- 16: two bots on one database ---------------------------------------------------------------


def test_a_second_run_on_the_same_database_refuses(db_file: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setenv("BAOCAO_TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("BAOCAO_TELEGRAM_API_URL", f"http://127.0.0.1:{free_port()}/bot")
    with process_lock(db_file):  # what the first `baocao run` holds while it serves
        assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"baocao: một bot khác (tiến trình {os.getpid()}) đang chạy với cơ sở dữ liệu {db_file}; mỗi cơ sở dữ liệu chỉ một bot"


def test_the_lock_dies_with_its_process_even_on_kill_9(tmp_path: Path) -> None:
    db_path = tmp_path / "locked.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\nfrom storage.lock import process_lock\n"
         "with process_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(60)\n", str(db_path)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning) as refused, process_lock(db_path):
            pass
        assert refused.value.holder == str(holder.pid)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with process_lock(db_path) as lock:  # nobody deletes a stale lock by hand
        assert lock.read_text().strip() == str(os.getpid())


# --- 18: the command's help and language ---------------------------------------------------------


def subparsers(parser) -> dict[str, object]:
    import argparse

    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = sub
                found.update({f"{name} {k}": v for k, v in subparsers(sub).items()})
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_command_and_argument_has_help(lang: str) -> None:
    parser = build_parser(lang)
    commands = subparsers(parser)
    assert {"run", "demo", "import", "invite", "remind", "summary", "fund", "fund xlsx", "db", "db upgrade", "db backup", "db check"} <= set(commands)
    for name, sub in [("baocao", parser), *commands.items()]:
        assert sub.description, name
        for action in sub._actions:
            assert action.help, f"{name}: {action.dest}"


def test_version_and_the_environment_run_reads(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == "baocao 0.1.0"
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    for name in ENV_NAMES.values():
        assert name in out


def test_help_follows_baocao_language(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "Nhập tất cả hoặc không gì cả" in " ".join(capsys.readouterr().out.split())
    monkeypatch.setenv("BAOCAO_LANGUAGE", "en")
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "All or nothing" in " ".join(capsys.readouterr().out.split())


def broken_workbook(path: Path) -> Path:
    """The sample roster with one cadre's phone mistyped, sheets as the template names them."""
    workbook = openpyxl.load_workbook(SAMPLE_ROSTER)
    sheet = workbook["Cán bộ"]
    headers = [cell.value for cell in sheet[1]]
    phone = next(i for i, h in enumerate(headers) if "điện thoại" in str(h).lower()) + 1
    sheet.cell(row=3, column=phone, value="0912")
    workbook.save(path)
    return path


@pytest.mark.parametrize(("lang", "frame", "counts"), [
    ("vi", "Cán bộ, dòng 3 (Số điện thoại): số điện thoại '0912' không đúng: số di động Việt Nam có 10 chữ số",
     "Cán bộ: 40 thêm mới, 0 cập nhật, 0 không đổi"),
    ("en", "Cán bộ row 3 (phone): malformed phone '0912': a Vietnamese mobile number has 10 digits",
     "Cán bộ: 40 created, 0 updated, 0 unchanged"),
])  # fmt: skip
def test_import_speaks_the_operators_language_and_the_workbooks_sheet_names(
    lang: str, frame: str, counts: str, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("BAOCAO_LANGUAGE", lang)
    assert main(["import", str(broken_workbook(tmp_path / "roster.xlsx"))]) == 1
    err = capsys.readouterr().err
    assert ("Không nhập được danh sách" if lang == "vi" else "The roster was not imported") in err
    assert f"  {frame}" in err
    assert main(["import", str(SAMPLE_ROSTER)]) == 0
    assert counts in capsys.readouterr().out


def test_verbose_logging_keeps_the_libraries_call_parameters_out() -> None:
    """`baocao -v` shows our debug lines, never python-telegram-bot's, which print every
    call's parameters: message texts and the webhook secret."""
    import logging

    from bot.cli import _configure_logging

    root, library = logging.getLogger(), logging.getLogger("telegram")
    saved = root.level, library.level
    try:
        root.setLevel(logging.DEBUG)  # what basicConfig does outside pytest's own handlers
        _configure_logging(logging.DEBUG)
        assert logging.getLogger("baocao").isEnabledFor(logging.DEBUG)
        assert not logging.getLogger("telegram.ext.ExtBot").isEnabledFor(logging.DEBUG)
        assert not logging.getLogger("telegram.Bot").isEnabledFor(logging.DEBUG)
        assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    finally:
        root.setLevel(saved[0])
        library.setLevel(saved[1])
