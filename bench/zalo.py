"""5. Zalo next to Telegram: the same visit report on both, and a reminder fan-out over Zalo.

Per-update cost: N cadres each file the same 8-update visit report at the same time, on
Telegram (buttons) and on Zalo (numbered choices, typed), through the real Application
and channel code against the simulator, rounds alternating so both see the same
machine. Zalo costs more per update by design: its getUpdates hands over one event per
call (no batches, no offset), every event is mapped to the handlers' ids in SQLite, and
every screen is remembered so that a typed "2" can become a button press.

Fan-out: every cadre linked on Zalo only, the real sweep (claims, Throttle, four
workers) sending through the Zalo channel; duplicates and misses are counted from what
the simulator's Zalo side received, and a second sweep right after must send nothing.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from telegram import Update
from telegram.ext import Application, TypeHandler

from bench.common import Result, bench_clock, percentile
from bench.fanout import SWEEP_MOMENT, RunningClock, SimulatorProcess, shape_of
from bench.harness import FutureWaiter, Person, started_simulator
from bench.roster import TELEGRAM_BASE, import_csv, link_all, small, write_csv
from bench.throughput import TOPIC, UPDATES_PER_REPORT, file_report
from bot.app import build_application, running
from bot.channels import ZALO, Channels
from bot.channels import zalo as zalo_channel
from bot.config import Config
from bot.harness import GROUP_NOTIFY, simulator_config
from bot.simulator import TelegramSimulator
from bot.simulator.zalo import ZaloSimMessage, ZaloSimUser
from scheduler.reminders import sweep
from scheduler.sending import PER_SECOND, TELEGRAM_PER_SECOND, Throttle
from storage import accounts, channel_state
from storage.db import Database

RECEIPT = "✅ Đã lưu báo cáo số"


def zalo_id(cadre_number: int) -> str:
    return f"z{TELEGRAM_BASE + cadre_number}"


class ZaloWaiter:
    """Zalo event id -> a future set once the bot has handled it (or answered it itself)."""

    def __init__(self) -> None:
        self._futures: dict[str, asyncio.Future[None]] = {}

    def install(self, application: Application) -> None:
        application.add_handler(TypeHandler(Update, self._record), group=GROUP_NOTIFY)
        zalo_channel.channel_of(application).on_local_reply = self._done

    def _future(self, event_id: str) -> asyncio.Future[None]:
        if event_id not in self._futures:
            self._futures[event_id] = asyncio.get_running_loop().create_future()
        return self._futures[event_id]

    async def _record(self, update: Update, _context: object) -> None:
        event_id = update.api_kwargs.get(zalo_channel.EVENT_ID_KEY)
        if event_id is not None:
            await self._done(str(event_id))

    async def _done(self, event_id: str) -> None:
        future = self._future(event_id)
        if not future.done():
            future.set_result(None)

    async def handled(self, event_id: str, timeout: float = 120.0) -> None:
        await asyncio.wait_for(asyncio.shield(self._future(event_id)), timeout)


class ZaloPerson:
    """A cadre on Zalo: types texts, and a choice's number to 'press' it."""

    def __init__(self, user: ZaloSimUser, waiter: ZaloWaiter, latencies: list[float]) -> None:
        self.user, self.waiter, self.latencies = user, waiter, latencies

    @property
    def screen(self) -> ZaloSimMessage:
        return self.user.messages()[-1]

    async def send(self, text: str) -> ZaloSimMessage:
        start = time.perf_counter()
        await self.waiter.handled(await self.user.send_text(text))
        self.latencies.append(time.perf_counter() - start)
        return self.screen

    async def press(self, label: str | None = None) -> ZaloSimMessage:
        with_choices = [m for m in self.user.messages() if m.choices]
        labels = with_choices[-1].choices if with_choices else []
        number = next((n for n, b in enumerate(labels, 1) if label is None or b.startswith(label)), None)
        if number is None:
            raise LookupError(f"no choice {label!r} among {labels}; screen: {self.screen.content[:80]!r}")
        return await self.send(str(number))


async def link_all_on_zalo(db_path: Path) -> int:
    """Every cadre gets a Zalo account (z + its Telegram id); returns how many."""
    async with Database(db_path) as db:
        rows = await db.fetchall("SELECT id FROM cadres ORDER BY id")
        async with db.transaction() as tx:
            for row in rows:
                user_id = await channel_state.internal_id(tx, ZALO, zalo_id(row["id"]))
                await accounts.link(tx, row["id"], ZALO, user_id, "2026-11-23T02:00:00Z")
    return len(rows)


# ------------------------------------------------------------------ per-update cost


async def _telegram_round(db_path: Path, cadres: int) -> dict[str, float]:
    simulator = await started_simulator()
    try:
        config = simulator_config(Config(db_path=db_path), simulator)
        application = build_application(config, clock=bench_clock(), rate_limit=False)
        waiter = FutureWaiter()
        waiter.install(application)
        latencies: list[float] = []
        people = [Person(simulator.user(TELEGRAM_BASE + i, f"Cán bộ {i}"), waiter, latencies) for i in range(1, cadres + 1)]
        return await _timed(application, [file_report(p) for p in people], cadres, latencies)
    finally:
        await simulator.stop()


async def _zalo_round(db_path: Path, cadres: int) -> dict[str, float]:
    simulator = await started_simulator()
    try:
        config = simulator_config(Config(db_path=db_path), simulator)
        application = build_application(config, clock=bench_clock(), rate_limit=False, channel=ZALO)
        waiter = ZaloWaiter()
        waiter.install(application)
        latencies: list[float] = []
        people = [ZaloPerson(simulator.zalo.user(zalo_id(i), f"Cán bộ {i}"), waiter, latencies)
                  for i in range(1, cadres + 1)]  # fmt: skip
        return await _timed(application, [_zalo_report(p) for p in people], cadres, latencies)
    finally:
        await simulator.zalo.close()
        await simulator.stop()


async def _zalo_report(person: ZaloPerson) -> None:
    """The report of throughput.file_report, as numbered choices."""
    await person.send("/baocao")
    await person.press()
    await person.press("Hôm nay")
    await person.send(TOPIC)
    await person.press("Tiếp")
    await person.press("Không có kiến nghị")
    await person.press("Bỏ qua")
    receipt = await person.press("✅ Gửi")
    if not receipt.content.startswith(RECEIPT):
        raise RuntimeError(f"no receipt: {receipt.content[:80]!r}")


async def _timed(application: Application, reports: list, cadres: int, latencies: list[float]) -> dict[str, float]:
    async with running(application, poll_timeout=10):
        start = time.perf_counter()
        async with asyncio.TaskGroup() as group:
            for report in reports:
                group.create_task(report)
        elapsed = time.perf_counter() - start
    return {
        "updates_per_s": cadres * UPDATES_PER_REPORT / elapsed,
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p99_ms": 1000 * percentile(latencies, 0.99),
    }


async def per_update(result: Result, quick: bool) -> None:
    cadres, rounds = (30, 1) if quick else (200, 3)
    telegram, zalo = [], []
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as folder:
        scratch = Path(folder)
        template = scratch / "template.sqlite3"
        await import_csv(template, write_csv(small(cadres), scratch / "csv"))
        await link_all(template)
        await link_all_on_zalo(template)
        for number in range(rounds):
            for name, runner, runs in (("tg", _telegram_round, telegram), ("zalo", _zalo_round, zalo)):
                db_path = scratch / f"{name}-{number}.sqlite3"
                shutil.copyfile(template, db_path)
                runs.append(await runner(db_path, cadres))
    median = lambda runs, key: statistics.median(r[key] for r in runs)  # noqa: E731
    ratios = [t["updates_per_s"] / z["updates_per_s"] for t, z in zip(telegram, zalo, strict=True)]
    result.add("cadres", f"cadres filing a visit report at once ({UPDATES_PER_REPORT} updates each), rounds", cadres)
    result.add("telegram_updates_per_s", "Telegram: updates per second", median(telegram, "updates_per_s"), "/s", 1)
    result.add("zalo_updates_per_s", "Zalo: updates per second", median(zalo, "updates_per_s"), "/s", 1)
    result.add("telegram_p50_ms", "Telegram: per-update latency p50 / p99",
               median(telegram, "p50_ms"), f"ms / {median(telegram, 'p99_ms'):,.0f} ms", 0)  # fmt: skip
    result.add("zalo_p50_ms", "Zalo: per-update latency p50 / p99",
               median(zalo, "p50_ms"), f"ms / {median(zalo, 'p99_ms'):,.0f} ms", 0)  # fmt: skip
    result.add("cost_ratio", "Zalo ÷ Telegram cost per update (Telegram's rate ÷ Zalo's, median of rounds)",
               statistics.median(ratios), "×", 2)  # fmt: skip
    result.figures["ratios"] = [round(r, 3) for r in ratios]


# --------------------------------------------------------------------------- fan-out


async def fanout(result: Result, quick: bool) -> None:
    """The fan-out over Zalo, the simulator in a process of its own answering 429 past
    Zalo's limit. Zalo publishes none (../shared/ZALO.md); the simulator takes Telegram's,
    scaled as in benchmark 2, and the bot's Throttle aims at it as on Telegram."""
    cadres, factor = (1_000, 4) if quick else (10_000, 4)
    rate, aim = TELEGRAM_PER_SECOND * factor, PER_SECOND * factor
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as folder:
        db_path = Path(folder) / "fanout.sqlite3"
        await import_csv(db_path, write_csv(shape_of(cadres), Path(folder) / "csv"))
        linked = await link_all_on_zalo(db_path)  # and on Telegram not at all
        due = {zalo_id(n) for n in range(1, linked + 1)}
        simulator = await SimulatorProcess.start("zalo", str(rate), first=sorted(due))
        try:
            config = Config(db_path=db_path)
            clock = RunningClock(SWEEP_MOMENT)
            async with Database(db_path) as db:
                bot = zalo_channel.build_bot(token=simulator.zalo_token, api_url=simulator.zalo_base_url, db=db,
                                             clock=clock, default_language="vi", rate_limit=False)  # fmt: skip
                async with bot:
                    registry = Channels({ZALO: bot})
                    start = time.perf_counter()
                    first = await sweep(registry, db, config, clock, throttle=Throttle(clock, per_second=aim))
                    elapsed = time.perf_counter() - start
                    again = await sweep(registry, db, config, clock, throttle=Throttle(clock, per_second=aim))
            sent, refused = await simulator.stats()
        finally:
            await simulator.stop()
    floor = len(due) / rate
    result.add("fanout_due", "fan-out over Zalo: cadres due a reminder (linked on Zalo only)", len(due))
    result.add("fanout_elapsed_s", "fan-out: sweep elapsed", elapsed, "s", 1)
    result.add("fanout_vs_floor", f"fan-out: elapsed ÷ floor (messages ÷ {rate}/s, Zalo's limit in the simulator)",
               elapsed / floor, "", 2)  # fmt: skip
    result.add("fanout_rate_per_s", f"fan-out: achieved rate (throttle aims at {aim:g}/s)", sum(sent.values()) / elapsed, "messages/s", 0)
    result.add("fanout_429", "fan-out: 429 'quota exceeded' answers", refused)
    result.add("fanout_duplicates", "fan-out: duplicates (a cadre reminded twice)", sum(n - 1 for n in sent.values() if n > 1))
    result.add("fanout_misses", "fan-out: misses (a due cadre not reminded)", len(due - set(sent)))
    result.add("fanout_second_sweep_sent", "fan-out: sent by a second sweep right after", again.sent)
    result.figures["fanout_sweep"] = {"sent": first.sent, "failed": first.failed, "unreachable": first.unreachable}


async def run(quick: bool) -> Result:
    result = Result("zalo", "5. Zalo next to Telegram (same run)")
    await per_update(result, quick)
    await fanout(result, quick)
    result.notes.append(
        "Cost ratio > 1: an update costs Zalo that many times what it costs Telegram, same machine, same "
        "rounds. Zalo polls one event per getUpdates call; every event and every screen is mapped in SQLite."
    )
    result.notes.append(
        "Fan-out: Zalo publishes no rate limit (ZALO.md: 429 exists; keep a throttle like Telegram's). The "
        "simulator, in a process of its own, answers 429 past Telegram's limit ×4 as in benchmark 2; the bot's "
        "Throttle aims 3% under it and backs off on a 429 (no PTB rate limiter on this bot)."
    )
    return result
