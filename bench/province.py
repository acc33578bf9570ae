"""3. Province scale: 100,000 cadres, 10,000 cells, 1,000,000 visit reports in one file.

The roster goes through the operator's importer (CSV files, one transaction); Telegram
links and past reports are bulk-loaded with SQL, since the bot writes them one at a time
as they happen. Then what the bot does at that size is timed: storing one more report
through ``storage.reports.submit_visit`` (its own transaction, as a cadre's Confirm does),
the quarterly summaries for the province and for one commune, and the reminder sweep.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_MOMENT, Result, file_size, stopwatch
from bench.roster import PROVINCE, QUICK_PROVINCE, Shape, import_csv, link_all, load_reports, write_csv
from bench.fanout import SWEEP_MOMENT, RunningClock
from domain.clock import utc_stamp
from bot.config import Config
from domain.quarters import Quarter
from scheduler.reminders import plan, sweep
from scheduler.sending import Throttle
from scheduler.summaries import load_summary, obligation_window, render
from storage import obligation_table
from storage.db import Database
from storage.reports import VisitReportInput, submit_visit

REPORTS = 1_000_000
QUICK_REPORTS = 10_000
CACHE = Path(tempfile.gettempdir()) / "baocao-bench"


def cached_database(quick: bool) -> Path:
    """Where the province database of the last run is kept for the footprint benchmark."""
    return CACHE / ("province-quick.sqlite3" if quick else "province.sqlite3")


async def build(shape: Shape, reports: int, folder: Path, result: Result) -> Path:
    """Generates, imports and loads a province database, timing each part into ``result``."""
    db_path = folder / "province.sqlite3"
    with stopwatch() as took:
        paths = write_csv(shape, folder / "csv")
    result.add("csv_s", "write the roster as CSV", took[0], "s", 1)
    with stopwatch() as took:
        await import_csv(db_path, paths)
    units = 1 + shape.districts + shape.communes + shape.cells
    rows = units + shape.cadres + shape.cells + shape.cadres  # + cells, + assignments
    result.add("import_s", f"import the roster (baocao import; {rows:,} rows)", took[0], "s", 1)
    result.add("import_rows_per_s", "import rate", rows / took[0], "rows/s", 0)
    with stopwatch() as took:
        await link_all(db_path)
    result.add("link_s", "link every cadre to a Telegram account (one UPDATE)", took[0], "s", 2)
    with stopwatch() as took:
        loaded = await load_reports(db_path, reports)
    result.add("reports_load_s", f"bulk-load {loaded:,} visit reports (+5% with an issue)", took[0], "s", 1)
    result.add("reports_per_s", "bulk-load rate", loaded / took[0], "reports/s", 0)
    return db_path


async def time_submits(db_path: Path, count: int, result: Result) -> None:
    """``count`` more reports through the bot's own write path, one transaction each."""
    async with Database(db_path) as db:
        pairs = await db.fetchall("SELECT cadre_id, cell_id FROM assignments ORDER BY id DESC LIMIT ?", (count,))
        now = utc_stamp(BENCH_MOMENT)
        start = time.perf_counter()
        for n, row in enumerate(pairs):
            report = VisitReportInput(
                token=f"bench-submit-{n}", cadre_id=row["cadre_id"], filed_by_id=row["cadre_id"],
                cell_id=row["cell_id"], meeting_date=BENCH_MOMENT.date(), quarter="2026-Q4",
                late=False, disseminated="Nghị quyết Trung ương 4",
            )  # fmt: skip
            await submit_visit(db, report, now=now)
        elapsed = time.perf_counter() - start
    result.add("submit_ms", f"store one report via submit_visit at this size (mean of {len(pairs)})", 1000 * elapsed / len(pairs), "ms", 2)


async def time_obligation_store(db_path: Path, result: Result) -> None:
    """Storing the quarter's obligations whole (storage/obligation_table.py): what the
    first read after a bulk load (or an import, or a new transfer rule) costs, once."""
    quarter = Quarter.of(BENCH_MOMENT.date())
    async with Database(db_path) as db:
        window = await obligation_window(db, quarter, BENCH_MOMENT.date())
        with stopwatch() as took:
            await obligation_table.settle(db, window)
    result.add("obligations_store_s", "store the quarter's 100,000 obligations whole (once, after the bulk load)",
               took[0], "s", 2)  # fmt: skip


async def time_summaries(db_path: Path, result: Result, repeats: int = 3) -> None:
    """The quarterly summary (data and texts) for the whole province and for one commune;
    the median of a few runs. The first province run also takes in the reports stored
    since the obligations were (``time_submits``' 1,000): reported on its own line."""
    quarter = Quarter.of(BENCH_MOMENT.date())
    async with Database(db_path) as db:
        scopes = {
            "province": await db.fetchval("SELECT id FROM units WHERE code = 'P'"),
            "commune": await db.fetchval("SELECT id FROM units WHERE code = 'D00-C000'"),
        }
        for name, scope in scopes.items():
            took, loads, renders, messages = [], [], [], 0
            for _ in range(repeats):
                start = time.perf_counter()
                summary = await load_summary(db, scope, quarter, BENCH_MOMENT)
                loaded = time.perf_counter()
                messages = len(render(summary, "vi"))
                took.append(time.perf_counter() - start)
                loads.append(loaded - start)
                renders.append(time.perf_counter() - loaded)
            if name == "province":
                result.add("summary_province_first_s", "… the first, taking in 1,000 new reports (province)",
                           took[0], "s", 3)  # fmt: skip
            result.add(f"summary_{name}_s", f"quarterly summary, {name} (load + render; {messages} message(s))",
                       statistics.median(took), "s", 3)  # fmt: skip
            result.add(f"summary_{name}_query_s", f"… of which querying ({name})", statistics.median(loads), "s", 3)
            result.add(f"summary_{name}_render_s", f"… of which rendering ({name})", statistics.median(renders), "s", 3)
            result.figures[f"summary_{name}_messages"] = messages


class InstantBot:
    """Answers every send at once: the sweep's own cost, without Telegram's 30 a second."""

    async def send_message(self, chat_id: int, text: str, **_kwargs: Any) -> None:
        return None


async def time_sweep(db_path: Path, result: Result) -> None:
    """Who is due (the operator's dry run: the sweep's queries, nothing claimed), then the
    whole sweep - claim, send, mark for every due reminder - with sends that cost nothing."""
    config = Config(db_path=db_path)
    async with Database(db_path) as db:
        start = time.perf_counter()
        due = await plan(db, config, SWEEP_MOMENT)
        planned = time.perf_counter() - start
        result.add("due_list_s", f"reminder sweep: find the {len(due.targets):,} due (cadre, cell) pairs", planned, "s", 2)
        clock = RunningClock(SWEEP_MOMENT)
        start = time.perf_counter()
        done = await sweep(InstantBot(), db, config, clock, throttle=Throttle(clock, per_second=10**9))  # type: ignore[arg-type]
        swept = time.perf_counter() - start
    result.add("sweep_s", f"reminder sweep: claim, send, mark all {done.sent:,} (instant sends)", swept, "s", 1)
    result.add("sweep_ms_per_reminder", "reminder sweep: cost per reminder", 1000 * swept / max(1, done.sent), "ms", 2)


async def database_size(db_path: Path, result: Result) -> None:
    async with Database(db_path) as db:
        await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        reports = int(await db.fetchval("SELECT count(*) FROM visit_reports"))
    size = file_size(db_path)
    result.add("db_mb", "database size", size / 2**20, "MiB", 1)
    result.add("bytes_per_report", "database bytes per visit report", size // max(1, reports), "B")


async def run(quick: bool) -> Result:
    shape, reports = (QUICK_PROVINCE, QUICK_REPORTS) if quick else (PROVINCE, REPORTS)
    result = Result(
        "province",
        f"3. Province scale ({shape.cadres:,} cadres, {shape.cells:,} cells, {reports:,} visit reports)",
    )
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as folder:
        db_path = await build(shape, reports, Path(folder), result)
        await time_obligation_store(db_path, result)
        await time_submits(db_path, 200 if quick else 1000, result)
        await database_size(db_path, result)
        CACHE.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db_path, cached_database(quick))  # for the footprint, before the sweep writes
        await time_summaries(db_path, result)
        await time_sweep(db_path, result)
    result.notes.append(
        "Units: 1 province, "
        f"{shape.districts} districts, {shape.communes:,} communes, {shape.cells:,} villages with one cell each; "
        f"each cadre assigned to one cell. Reports: 94% of cadres in each of the 10 past quarters, "
        "60% in the current one."
    )
    return result
