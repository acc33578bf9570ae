"""2. Reminder fan-out: 10,000 cadres due a reminder, Telegram's limits enforced.

The real sweep (scheduler/reminders.py: claim, send, mark, eight workers, its Throttle)
with a real python-telegram-bot Bot behind PTB's AIORateLimiter, as in production,
against the simulator enforcing Telegram's flood limit (30 messages a second, 429 with
retry_after past it). To keep the run short the limit is scaled by one factor for the
bot (Throttle and AIORateLimiter) and the simulator alike. The simulator runs in a process
of its own (bench/simproc.py). The floor is messages ÷ rate; 429s, duplicates and misses
are counted from what the simulator received, and a second sweep right after must send
nothing.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from asyncio.subprocess import PIPE
from collections import Counter
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from telegram.ext import AIORateLimiter, ExtBot

from bench.common import Result
from bench.roster import Shape, import_csv, link_all, write_csv
from domain.clock import VIETNAM
from bot.config import Config
from scheduler.reminders import sweep
from scheduler.sending import MARGIN, PER_SECOND, TELEGRAM_PER_SECOND, Throttle
from storage.db import Database

# 08:00 on Wed 02/12/2026 opens the "30 days left" reminder of Q4/2026 (default settings).
SWEEP_MOMENT = datetime(2026, 12, 2, 9, 0, tzinfo=VIETNAM)


class RunningClock:
    """Real time, starting at a chosen moment: the sweep needs a due slot, and its
    Throttle needs time that moves."""

    def __init__(self, start: datetime) -> None:
        self.tz: tzinfo = start.tzinfo or VIETNAM
        self._start = start
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)


def shape_of(cadres: int) -> Shape:
    """A district-sized tree with ten cadres to a cell."""
    cells = max(1, cadres // 10)
    return Shape(districts=1, communes_per_district=max(1, cells // 10), villages_per_commune=10, cadres=cadres)


class SimulatorProcess:
    """bench/simproc.py as a child process: its addresses, then what it received."""

    def __init__(self, process: asyncio.subprocess.Process, hello: dict[str, Any]) -> None:
        self.process, self.token, self.zalo_token = process, hello["token"], hello["zalo_token"]
        root = f"http://127.0.0.1:{hello['port']}"
        self.base_url, self.base_file_url, self.zalo_base_url = f"{root}/bot", f"{root}/file/bot", f"{root}/zalo/bot"

    @classmethod
    async def start(cls, *args: str, first: object) -> SimulatorProcess:
        """``python -m bench.simproc ARGS``, told ``first`` (JSON) on its first line."""
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.simproc", *args, stdin=PIPE, stdout=PIPE, limit=2**26,
            cwd=str(Path(__file__).resolve().parent.parent),
        )  # fmt: skip
        assert process.stdin and process.stdout
        process.stdin.write(json.dumps(first).encode() + b"\n")
        await process.stdin.drain()
        return cls(process, json.loads(await process.stdout.readline()))

    async def ask(self, line: str) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(line.encode() + b"\n")
        await self.process.stdin.drain()
        return json.loads(await self.process.stdout.readline())

    async def stats(self) -> tuple[Counter[str], int]:
        found = await self.ask("stats")
        return Counter(found["sent"]), int(found["http_429"])

    async def stop(self) -> None:
        if self.process.returncode is None:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                await asyncio.wait_for(self.process.wait(), timeout=10)
            except TimeoutError:
                self.process.kill()


async def due_cadres(db_path: Path) -> set[int]:
    async with Database(db_path) as db:
        rows = await db.fetchall("SELECT telegram_id FROM cadres WHERE telegram_id IS NOT NULL")
    return {row["telegram_id"] for row in rows}


async def run(quick: bool) -> Result:
    cadres, factor = (1_000, 4) if quick else (10_000, 4)
    return await measure(cadres, factor)


async def measure(cadres: int, factor: int) -> Result:
    rate = TELEGRAM_PER_SECOND * factor  # what the simulator enforces, as Telegram would
    aim = PER_SECOND * factor  # what the bot's throttle aims at: a little under the limit
    result = Result("fanout", f"2. Reminder fan-out ({cadres:,} cadres due, limits ×{factor}: {rate} messages/s)")
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as folder:
        db_path = Path(folder) / "fanout.sqlite3"
        await import_csv(db_path, write_csv(shape_of(cadres), Path(folder) / "csv"))
        await link_all(db_path)
        due = await due_cadres(db_path)
        simulator = await SimulatorProcess.start("telegram", str(rate), first=sorted(due))
        try:
            bot = ExtBot(
                simulator.token, base_url=simulator.base_url, base_file_url=simulator.base_file_url,
                rate_limiter=AIORateLimiter(overall_max_rate=rate, max_retries=5),
            )  # fmt: skip
            config = Config(db_path=db_path)
            clock = RunningClock(SWEEP_MOMENT)
            async with bot, Database(db_path) as db:
                start = time.perf_counter()
                first = await sweep(bot, db, config, clock, throttle=Throttle(clock, per_second=aim))
                elapsed = time.perf_counter() - start
                again = await sweep(bot, db, config, clock, throttle=Throttle(clock, per_second=aim))
                statuses = dict(await db.fetchall("SELECT status, count(*) FROM reminder_log GROUP BY status"))
            sent, http_429 = await simulator.stats()
        finally:
            await simulator.stop()
    floor = len(due) / rate
    duplicates = sum(n - 1 for n in sent.values() if n > 1)
    misses = len({str(chat) for chat in due} - set(sent))
    result.add("messages", "reminders due", len(due))
    result.add("elapsed_s", "sweep: elapsed", elapsed, "s", 1)
    result.add("floor_s", f"theoretical floor (messages ÷ {rate}/s)", floor, "s", 1)
    result.add("vs_floor", "elapsed ÷ floor", elapsed / floor, "", 2)
    result.add("rate_per_s", "achieved rate", sum(sent.values()) / elapsed, "messages/s", 0)
    result.add("http_429", "429 answers from the simulator", http_429)
    result.add("duplicates", "duplicates (a cadre reminded twice)", duplicates)
    result.add("misses", "misses (a due cadre not reminded)", misses)
    result.add("second_sweep_sent", "sent by a second sweep right after", again.sent)
    result.figures["sweep"] = {"sent": first.sent, "failed": first.failed, "uncertain": first.uncertain,
                               "unreachable": first.unreachable, "stopped": first.stopped}  # fmt: skip
    result.figures["reminder_log"] = statuses
    result.notes.append(
        f"Factor {factor}: the simulator answers 429 past {rate} messages a second; the bot's Throttle aims "
        f"at {aim:.1f}/s (a token bucket {MARGIN:.0%} under it) and AIORateLimiter guards {rate}/s. The simulator "
        "runs in a process of its own (bench/simproc.py)."
    )
    return result
