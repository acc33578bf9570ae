"""Runs the benchmarks and writes bench/results.md; the last line printed is one JSON object.

    python -m bench                 # the full run (province scale takes a while)
    python -m bench --quick         # a smaller run, under a minute
    python -m bench --only throughput,footprint
    python bench/run.py --quick     # the same, without -m
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import re
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Result, machine  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
# In the order they run; each module has ``async def run(quick: bool) -> Result``.
BENCHMARKS = ("throughput", "fanout", "province", "footprint", "zalo")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: the whole run in under a minute")
    parser.add_argument("--only", metavar="NAMES", help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument(
        "--out", metavar="FILE",
        help="where to write the figures (default: bench/results.md, or results-quick.md with --quick,"
        " so a quick check never overwrites the full run's record)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.out is None:
        args.out = str(BENCH_DIR / ("results-quick.md" if args.quick else "results.md"))
    names = [n.strip() for n in args.only.split(",")] if args.only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    started = time.perf_counter()
    results: list[Result] = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"… {name}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        result: Result = asyncio.run(module.run(args.quick))
        result.figures["took_s"] = round(time.perf_counter() - t0, 1)
        results.append(result)
        print(_markdown_section(result), file=sys.stderr, flush=True)
    info = machine()
    total = time.perf_counter() - started
    previous = _previous(Path(args.out))
    Path(args.out).write_text(_markdown(results, info, args.quick, total, previous), encoding="utf-8")
    print(json.dumps({"quick": args.quick, "machine": info, "took_s": round(total, 1),
                      **{r.key: r.figures for r in results}}, ensure_ascii=False))  # fmt: skip
    return 0


# Issue 15's targets: (benchmark, figure key, what it is, target, unit); a figure meets its
# target when figure ÷ target <= 1 ("429 answers" must be 0).
TARGETS: tuple[tuple[str, str, str, float, str], ...] = (
    ("province", "import_s", "import the province roster (221,021 rows)", 20.0, "s"),
    ("province", "summary_province_s", "summary for the top unit's group", 0.3, "s"),
    ("province", "summary_province_messages", "… in messages", 3, ""),
    ("province", "due_list_s", "reminder sweep: find the due pairs", 0.5, "s"),
    ("fanout", "vs_floor", "reminder fan-out, 10,000 due: elapsed ÷ Telegram's floor", 1.08, "×"),
    ("fanout", "http_429", "… 429 answers", 0, ""),
    ("province", "sweep_ms_per_reminder", "claim + send + mark, per reminder (instant sends)", 1.0, "ms"),
    ("zalo", "fanout_vs_floor", "… the same fan-out over Zalo (issue 10): elapsed ÷ floor", 1.08, "×"),
    ("zalo", "fanout_429", "… 429 answers on Zalo", 0, ""),
)


def _targets(results: list[Result]) -> list[str]:
    """Every issue-15 figure as a ratio to its target (the first table of results.md)."""
    by_key = {r.key: r.figures for r in results}
    lines = ["### Targets (issue 15)", "", "| figure | value | target | ÷ target | met |", "| --- | --- | --- | --- | --- |"]
    for bench, key, label, target, unit in TARGETS:
        value = by_key.get(bench, {}).get(key)
        if value is None:
            lines.append(f"| {label} | not measured | {target:g} {unit} | — | — |")
            continue
        ratio = value / target if target else (0.0 if value == 0 else float("inf"))
        met = "yes" if ratio <= 1 else "**no**"
        shown = "—" if not target else f"{ratio:.2f}"
        lines.append(f"| {label} | {value:g} {unit} | ≤ {target:g} {unit} | {shown} | {met} |")
    if (throughput := by_key.get("throughput")) is not None:  # a measurement, no number to meet
        lines.append(
            f"| throughput ceiling with the simulator in its own process | bot {throughput['updates_per_s']:g} "
            f"updates/s, {throughput['ratio']:g} × the echo bot | measured | — | yes |"
        )
    return lines + [""]


def _previous(path: Path) -> dict[str, dict[str, str]]:
    """The figures of the results.md being replaced: section number → label → value,
    labels with their numbers taken out (sizes change, the figure is the same)."""
    found: dict[str, dict[str, str]] = {}
    if not path.exists():
        return found
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            section = line[4:].split(".")[0]
        elif line.startswith("| ") and section and not line.startswith("| figure") and not line.startswith("| ---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) >= 2:
                found.setdefault(section, {})[_label_key(cells[0])] = cells[1]
    return found


def _label_key(label: str) -> str:
    """A label without its sizes ("find the 39,000 due" and "find the 200 due" are one
    figure), keeping short names such as p50 and p99 apart."""
    return re.sub(r"\d[\d,.]{2,}", "", label)


def _markdown_section(result: Result, previous: dict[str, dict[str, str]] | None = None) -> str:
    before = (previous or {}).get(result.title.split(".")[0], {})
    lines = [f"### {result.title}", "", "| figure | value | before |", "| --- | --- | --- |"]
    lines += [f"| {label} | {value} | {before.get(_label_key(label), '—')} |" for label, value in result.rows]
    lines.append(f"| (this benchmark took) | {result.figures.get('took_s', '?')} s | |")
    lines += [""] + [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def _markdown(
    results: list[Result], info: dict[str, object], quick: bool, total: float,
    previous: dict[str, dict[str, str]] | None = None,
) -> str:
    command = "python -m bench --quick" if quick else "python -m bench"
    head = [
        "# Benchmark results",
        "",
        f"Produced by `{command}` on {info['when']}, in {total:.0f} s.",
        f"Machine: {info['cores']} cores, Python {info['python']}, python-telegram-bot "
        f"{info['python_telegram_bot']}, SQLite {info['sqlite']}, {info['platform']}.",
        "",
        "Timings on a small shared machine vary from run to run; compare the ratios. The column",
        "*before* holds the figures of the run this one replaced.",
        "",
        *_targets(results),
        "",
    ]
    return "\n".join(head) + "\n".join(_markdown_section(r, previous) for r in results)


if __name__ == "__main__":
    sys.exit(main())
