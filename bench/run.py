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
    Path(args.out).write_text(_markdown(results, info, args.quick, total), encoding="utf-8")
    print(json.dumps({"quick": args.quick, "machine": info, "took_s": round(total, 1),
                      **{r.key: r.figures for r in results}}, ensure_ascii=False))  # fmt: skip
    return 0


def _markdown_section(result: Result) -> str:
    lines = [f"### {result.title}", "", "| figure | value |", "| --- | --- |"]
    lines += [f"| {label} | {value} |" for label, value in result.rows]
    lines.append(f"| (this benchmark took) | {result.figures.get('took_s', '?')} s |")
    lines += [""] + [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def _markdown(results: list[Result], info: dict[str, object], quick: bool, total: float) -> str:
    command = "python -m bench --quick" if quick else "python -m bench"
    head = [
        "# Benchmark results",
        "",
        f"Produced by `{command}` on {info['when']}, in {total:.0f} s.",
        f"Machine: {info['cores']} cores, Python {info['python']}, python-telegram-bot "
        f"{info['python_telegram_bot']}, SQLite {info['sqlite']}, {info['platform']}.",
        "",
        "Timings on a small shared machine vary from run to run; compare the ratios.",
        "",
        "",
    ]
    return "\n".join(head) + "\n".join(_markdown_section(r) for r in results)


if __name__ == "__main__":
    sys.exit(main())
