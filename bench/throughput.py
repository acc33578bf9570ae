"""1. Conversation throughput: N cadres each file a full visit report at the same time.

The real Application (persistence flushed after every update, SQLite, the per-chat
update processor) against the simulator, and in the same run a bare python-telegram-bot
echo bot on the same harness doing the same Bot API calls per step (two typed messages
answered with a new message, six presses answered and edited): the ceiling of what
python-telegram-bot and the loopback simulator allow on this machine. The simulator and
the cadres run in a process of their own (bench/simproc.py), so neither bot shares its
interpreter with them. Rounds alternate echo and bot so that both see the same machine;
the ratio is per round.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from telegram.ext import Application

from bench.common import Result, bench_clock, percentile
from bench.echo_bot import echo_application
from bench.fanout import SimulatorProcess
from bench.harness import polling
from bench.roster import TELEGRAM_BASE, import_csv, link_all, small, write_csv
from bot.app import build_application, running
from bot.config import Config

UPDATES_PER_REPORT = 8
TOPIC = "Nghị quyết Trung ương 4"
RECEIPT = "✅ Đã lưu báo cáo số"


class Reporter(Protocol):
    """A cadre at the keyboard: bench/harness.py's Person (in the bot's process, for the
    Zalo comparison) or bench/simproc.py's RemotePerson (in the simulator's)."""

    async def send(self, text: str) -> object: ...

    async def press(self, label: str | None = None) -> object: ...

    async def until(self, prefix: str) -> object: ...


async def file_report(person: Reporter) -> None:
    """The shortest full visit report: 8 updates, as tests/test_visit_report.py fills it."""
    await person.send("/baocao")
    await person.press()  # the cadre's assigned cell, listed first
    await person.press("Hôm nay")
    await person.send(TOPIC)
    await person.press("Tiếp")
    await person.press("Không có kiến nghị")
    await person.press("Bỏ qua")
    await person.press("✅ Gửi")
    await person.until(RECEIPT)


async def echo_steps(person: Reporter) -> None:
    """The same Bot API traffic against the echo bot: text, 2 presses, text, 4 presses."""
    await person.send("/baocao")
    await person.press()
    await person.press()
    await person.send(TOPIC)
    for _ in range(4):
        await person.press()


async def _round(
    build: Callable[[SimulatorProcess], Application], cadres: int, *, echo: bool
) -> dict[str, float]:
    """All cadres at once, driven from the simulator's own process; reports per second and
    per-update latencies (from the action to the bot's answer, as the simulator sees it).

    The bot starts as in production (``running``: migrations checked, command menu
    published); the echo bot has nothing to start.
    """
    simulator = await SimulatorProcess.start("drive", first={"cadres": cadres, "base": TELEGRAM_BASE, "echo": echo})
    try:
        application = build(simulator)
        async with polling(application) if echo else running(application):
            done = await simulator.ask("go")
    finally:
        await simulator.stop()
    elapsed, latencies = done["elapsed"], done["latencies"]
    return {
        "reports_per_s": cadres / elapsed,
        "updates_per_s": cadres * UPDATES_PER_REPORT / elapsed,
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "elapsed_s": elapsed,
    }


async def _bot_round(template: Path, scratch: Path, cadres: int, number: int) -> dict[str, float]:
    db_path = scratch / f"round-{number}.sqlite3"
    shutil.copyfile(template, db_path)

    def build(simulator: SimulatorProcess) -> Application:
        config = replace(Config(db_path=db_path), telegram_token=simulator.token,
                         telegram_api_url=simulator.base_url, telegram_file_url=simulator.base_file_url)  # fmt: skip
        return build_application(config, clock=bench_clock(), rate_limit=False)

    return await _round(build, cadres, echo=False)


async def _echo_round(cadres: int) -> dict[str, float]:
    def build(simulator: SimulatorProcess) -> Application:
        return echo_application(simulator.token, simulator.base_url, simulator.base_file_url)

    return await _round(build, cadres, echo=True)


async def run(quick: bool) -> Result:
    cadres = 30 if quick else 200
    rounds = 1 if quick else 3
    result = Result("throughput", f"1. Conversation throughput ({cadres} cadres at once, {rounds} round(s))")
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as folder:
        scratch = Path(folder)
        template = scratch / "template.sqlite3"
        await import_csv(template, write_csv(small(cadres), scratch / "csv"))
        await link_all(template)
        bots, echoes = [], []
        for number in range(rounds):
            echoes.append(await _echo_round(cadres))
            bots.append(await _bot_round(template, scratch, cadres, number))
    ratios = [b["reports_per_s"] / e["reports_per_s"] for b, e in zip(bots, echoes, strict=True)]
    median = lambda runs, key: statistics.median(r[key] for r in runs)  # noqa: E731
    result.add("cadres", "cadres reporting at once", cadres)
    result.add("reports_per_s", "bot: completed reports per second (median of rounds)", median(bots, "reports_per_s"), "/s", 1)
    result.add("updates_per_s", "bot: updates per second", median(bots, "updates_per_s"), "/s", 0)
    result.add("p50_ms", "bot: per-update latency p50", median(bots, "p50_ms"), "ms", 0)
    result.add("p99_ms", "bot: per-update latency p99", median(bots, "p99_ms"), "ms", 0)
    result.add("echo_reports_per_s", "echo bot: same traffic, 'reports' per second", median(echoes, "reports_per_s"), "/s", 1)
    result.add("echo_p50_ms", "echo bot: per-update latency p50", median(echoes, "p50_ms"), "ms", 0)
    result.add("echo_p99_ms", "echo bot: per-update latency p99", median(echoes, "p99_ms"), "ms", 0)
    result.add("ratio", "bot ÷ echo ceiling (reports per second, median of per-round ratios)", statistics.median(ratios), "", 2)
    result.figures["ratios"] = [round(r, 3) for r in ratios]
    result.notes.append(
        f"{UPDATES_PER_REPORT} updates per report; latency = from the cadre's action to the bot's answer "
        "reaching the simulator. The simulator and the cadres run in a process of their own (bench/simproc.py "
        "drive), so the ceiling is the bot's (and python-telegram-bot's), not the harness's. Rate limiter off "
        "on both sides."
    )
    return result
