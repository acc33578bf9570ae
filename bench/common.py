"""What every benchmark shares: the result record, percentiles, the machine's description."""

from __future__ import annotations

import os
import platform
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from domain.clock import VIETNAM, ManualClock

# The benchmarks run at the middle of Q4/2026, like the tests: roster assignments start
# on 01/01/2026, so every generated cadre is due a visit this quarter.
BENCH_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM)


def bench_clock() -> ManualClock:
    return ManualClock(BENCH_MOMENT)


@dataclass
class Result:
    """One benchmark's figures: rows for results.md, the same values for the JSON line."""

    key: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, label: str, value: Any, unit: str = "", digits: int = 2) -> None:
        """Records a figure under ``key`` and shows it as ``label``: value unit."""
        self.figures[key] = round(value, digits) if isinstance(value, float) else value
        shown = f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)
        self.rows.append((label, f"{shown} {unit}".strip()))


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (0 for no values): p99 of 1,600 samples is the 1,584th."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as took:`` … ``took[0]`` is the elapsed wall time in seconds."""
    took: list[float] = []
    start = time.perf_counter()
    try:
        yield took
    finally:
        took.append(time.perf_counter() - start)


def machine() -> dict[str, Any]:
    """What the figures depend on, written next to them."""
    import telegram

    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "python_telegram_bot": telegram.__version__,
        "sqlite": sqlite3.sqlite_version,
        "when": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def file_size(path: Path) -> int:
    """Bytes of an SQLite file with its WAL and shared-memory files."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def rss_kib(pid: int) -> tuple[int, int]:
    """(current, peak) resident memory of a process in KiB, from /proc (Linux)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)
