"""4. Footprint: start-up time to the first answered update, and resident memory.

``baocao run`` is started as an operator starts it (a fresh process, long polling the
simulator), with a cadre's /baocao already waiting, and timed from the spawn to the
bot's answer. The cadre then files a whole report and the process's resident memory
(current and peak, from /proc) is read. Side by side: the bare echo bot as a process,
the bot on a small district database and the bot on the province-scale database.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result, rss_kib
from bench.province import cached_database
from bench.roster import PROVINCE, QUICK_PROVINCE, TELEGRAM_BASE, import_csv, link_all, small, write_csv
from bot.simulator import SimUser, TelegramSimulator
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0


def _environment(simulator: TelegramSimulator, db_path: Path | None) -> dict[str, str]:
    """The process environment: this one without any BAOCAO_ setting, plus the simulator's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    env.update(
        BAOCAO_TELEGRAM_TOKEN=simulator.token,
        BAOCAO_TELEGRAM_API_URL=simulator.base_url,
        BAOCAO_TELEGRAM_FILE_URL=simulator.base_file_url,
        PYTHONPATH=str(ROOT),
    )
    if db_path is not None:
        env["BAOCAO_DB"] = str(db_path)
    return env


async def _file_report(user: SimUser) -> None:
    """The rest of a report after the /baocao screen, each step waiting for the answer."""
    for label in (None, "Hôm nay", "send", "Tiếp", "Không có kiến nghị", "Bỏ qua", "✅ Gửi"):
        if label == "send":
            await user.send_text("Nghị quyết Trung ương 4")
        else:
            keyboard = max((m for m in user.messages() if m.buttons()), key=lambda m: m.seq)
            labels = keyboard.button_list()
            await user.press(next(b for b in labels if label is None or b.startswith(label)), message=keyboard)
        await user.wait_reply(timeout=30)


async def measure(command: list[str], db_path: Path | None, *, full_report: bool) -> dict[str, float]:
    """Spawn, time the first answer, run a report (the real bot), read the memory, stop."""
    simulator = TelegramSimulator()
    await simulator.start()
    log = tempfile.TemporaryFile()
    process = None
    try:
        user = simulator.user(TELEGRAM_BASE + 1, "Cán bộ")
        await user.send_text("/baocao")
        start = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=_environment(simulator, db_path), stdout=log, stderr=log
        )
        try:
            await user.wait_reply(timeout=START_TIMEOUT)
        except TimeoutError:
            log.seek(0)
            raise RuntimeError(f"{command} did not answer; its log ends:\n{log.read()[-3000:].decode()}") from None
        first_answer = time.perf_counter() - start
        if full_report:
            await _file_report(user)
            if not (user.last_message() and user.last_message().content.startswith("✅ Đã lưu")):
                raise RuntimeError("the report was not confirmed")
        rss, peak = rss_kib(process.pid)
        return {"start_s": first_answer, "rss_mib": rss / 1024, "peak_mib": peak / 1024}
    finally:
        if process is not None:
            await _stop(process)
        log.close()
        await simulator.stop()


async def _stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM (a graceful stop), then SIGKILL if it takes too long."""
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 20)
    except TimeoutError:
        process.kill()
        await process.wait()


async def _forget_update_ids(db_path: Path) -> None:
    """Each simulator numbers its updates from 1, and the bot drops ids it has handled."""
    async with Database(db_path) as db:
        await db.execute("DELETE FROM processed_updates")


async def _small_database(folder: Path) -> Path:
    db_path = folder / "district.sqlite3"
    await import_csv(db_path, write_csv(small(200), folder / "csv"))
    await link_all(db_path)
    return db_path


async def _province_database(quick: bool, folder: Path) -> Path:
    """The province database the province benchmark left, or a roster-only one of that size."""
    db_path = folder / "province.sqlite3"
    cached = cached_database(quick)
    if cached.exists():
        shutil.copyfile(cached, db_path)
        await _forget_update_ids(db_path)
        return db_path
    shape = QUICK_PROVINCE if quick else PROVINCE
    await import_csv(db_path, write_csv(shape, folder / "csv"))
    await link_all(db_path)
    return db_path


async def run(quick: bool) -> Result:
    result = Result("footprint", "4. Footprint (a fresh `baocao run` process)")
    bot = [sys.executable, "-m", "bot", "run"]
    echo = [sys.executable, "-m", "bench.echo_bot"]
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as folder:
        small_db = await _small_database(Path(folder))
        province_db = await _province_database(quick, Path(folder))
        size = province_db.stat().st_size / 2**20
        runs = {
            "echo": await measure(echo, None, full_report=False),
            "district": await measure(bot, small_db, full_report=True),
            "province": await measure(bot, province_db, full_report=True),
        }
    labels = {"echo": "echo bot (no database)", "district": "bot, district database (200 cadres)",
              "province": f"bot, province database ({size:,.0f} MiB)"}  # fmt: skip
    for key, figures in runs.items():
        result.add(f"{key}_start_s", f"{labels[key]}: spawn → first answered update", figures["start_s"], "s", 2)
    for key, figures in runs.items():
        result.add(f"{key}_rss_mib", f"{labels[key]}: resident memory after a report", figures["rss_mib"], "MiB", 1)
        result.add(f"{key}_peak_mib", f"{labels[key]}: peak resident memory", figures["peak_mib"], "MiB", 1)
    result.add("start_ratio", "province start-up ÷ echo bot start-up", runs["province"]["start_s"] / runs["echo"]["start_s"], "", 2)
    result.notes.append(
        "The first update (/baocao from a linked cadre) is waiting in the simulator before the process "
        "starts; the time includes the interpreter, imports, migrations check and the command menu."
    )
    return result
