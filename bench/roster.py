"""Generated rosters of any size, imported through the real importer.

A province is a tree: province > districts > communes > villages, one party cell per
village, cadres assigned to cells. The roster is written as the CSV files an operator
would hand to ``baocao import`` and read back by ``bot.roster_import.import_roster``, so
the import time measured is the operator's. Telegram accounts are then linked in bulk
(the bot links them one by one as cadres share their phone; that is not what is
measured here), and visit reports of past quarters are bulk-loaded with plain SQL.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from domain.clock import utc_stamp
from bot.roster_import import import_roster
from bench.common import BENCH_MOMENT
from storage.db import Database
from storage.migrate import upgrade

TELEGRAM_BASE = 10_000_000  # cadre id N is Telegram user TELEGRAM_BASE + N
CURRENT_QUARTER = "2026-Q4"
PAST_QUARTERS = tuple(f"{year}-Q{q}" for year in (2024, 2025, 2026) for q in (1, 2, 3, 4))[1:-1]  # 2024-Q2 … 2026-Q3


@dataclass(frozen=True)
class Shape:
    """How big a generated province is."""

    districts: int
    communes_per_district: int
    villages_per_commune: int
    cadres: int

    @property
    def communes(self) -> int:
        return self.districts * self.communes_per_district

    @property
    def cells(self) -> int:
        return self.communes * self.villages_per_commune


PROVINCE = Shape(districts=20, communes_per_district=50, villages_per_commune=10, cadres=100_000)
QUICK_PROVINCE = Shape(districts=2, communes_per_district=10, villages_per_commune=5, cadres=1_000)


def small(cadres: int) -> Shape:
    """A district with ``cadres`` cadres, two to a cell (the throughput benchmark's)."""
    cells = max(1, cadres // 2)
    per_commune = 10
    return Shape(districts=1, communes_per_district=max(1, -(-cells // per_commune)),
                 villages_per_commune=per_commune, cadres=cadres)  # fmt: skip


def _codes(shape: Shape) -> Iterator[tuple[str, str, str]]:
    """(district, commune, village) codes of every village, in order."""
    for d in range(shape.districts):
        for c in range(shape.communes_per_district):
            for v in range(shape.villages_per_commune):
                yield f"D{d:02d}", f"D{d:02d}-C{c:03d}", f"D{d:02d}-C{c:03d}-V{v:02d}"


def write_csv(shape: Shape, folder: Path) -> list[Path]:
    """The roster as units.csv, cadres.csv, cells.csv and assignments.csv (English headers)."""
    folder.mkdir(parents=True, exist_ok=True)
    villages = list(_codes(shape))
    units = [("P", "Tỉnh Mẫu", "province", "")]
    units += [(f"D{d:02d}", f"Huyện {d + 1}", "district", "P") for d in range(shape.districts)]
    units += sorted({(c, f"Xã {c}", "commune", d) for d, c, _ in villages})
    units += [(v, f"Thôn {v[-2:]}", "village", c) for _, c, v in villages]
    cells = [(f"CB-{v}", f"Chi bộ thôn {v[-2:]}", v) for _, _, v in villages]
    commune_of_cell = [c for _, c, _ in villages]
    cadres, assignments = [], []
    for i in range(shape.cadres):
        cell = i % len(cells)
        code = f"CB{i:06d}"
        cadres.append((code, f"Cán bộ {i:06d}", f"09{i:08d}", "cadre", commune_of_cell[cell]))
        assignments.append((code, cells[cell][0], "01/01/2026"))
    sheets = {
        "units": (("code", "name", "kind", "parent_code"), units),
        "cadres": (("code", "full_name", "phone", "role", "unit_code"), cadres),
        "cells": (("code", "name", "unit_code"), cells),
        "assignments": (("cadre_code", "cell_code", "starts_on"), assignments),
    }
    paths = []
    for name, (header, rows) in sheets.items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        paths.append(path)
    return paths


async def import_csv(db_path: Path, paths: list[Path]) -> None:
    """Migrates the database and imports the roster through the operator's importer."""
    async with Database(db_path) as db:
        await upgrade(db)
        await import_roster(db, paths, now=utc_stamp(BENCH_MOMENT))


async def link_all(db_path: Path) -> int:
    """Every cadre gets a Telegram account (TELEGRAM_BASE + id); returns how many."""
    async with Database(db_path) as db:
        async with db.transaction() as tx:
            await tx.execute(
                "UPDATE cadres SET telegram_id = ? + id, linked_at = ?",
                (TELEGRAM_BASE, utc_stamp(BENCH_MOMENT)),
            )
        return int(await db.fetchval("SELECT count(*) FROM cadres WHERE telegram_id IS NOT NULL"))


def report_rows(cadre_ids: list[tuple[int, int]], total: int) -> Iterator[tuple[object, ...]]:
    """``total`` visit reports for (cadre id, cell id) pairs: past quarters first, then some
    of this quarter, so that the current quarter has both visited and unvisited cells."""
    past_share = 0.94
    stamp = utc_stamp(BENCH_MOMENT)
    n = 0
    past = int(total * past_share) // len(PAST_QUARTERS)
    for quarter in PAST_QUARTERS:
        year, q = int(quarter[:4]), int(quarter[-1])
        day = f"{year}-{3 * q - 1:02d}-15"
        for cadre_id, cell_id in cadre_ids[:past]:
            n += 1
            yield (cadre_id, cadre_id, cell_id, day, quarter, "Nghị quyết", f"bulk-{n}", stamp, stamp)
    for cadre_id, cell_id in cadre_ids[: total - n]:
        n += 1
        yield (cadre_id, cadre_id, cell_id, "2026-11-10", CURRENT_QUARTER, "Nghị quyết", f"bulk-{n}", stamp, stamp)


async def load_reports(db_path: Path, total: int, chunk: int = 50_000) -> int:
    """Bulk-loads ``total`` submitted visit reports (plus an issue on one in twenty)."""
    async with Database(db_path) as db:
        pairs = [
            (row["cadre_id"], row["cell_id"])
            for row in await db.fetchall("SELECT cadre_id, cell_id FROM assignments ORDER BY cadre_id")
        ]
        rows = report_rows(pairs, total)
        loaded = 0
        while batch := [row for _, row in zip(range(chunk), rows, strict=False)]:
            async with db.transaction() as tx:
                await tx.executemany(
                    """INSERT INTO visit_reports (cadre_id, filed_by_id, cell_id, meeting_date, quarter,
                           disseminated, client_token, submitted_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    batch,
                )
                await tx.execute(
                    """INSERT INTO visit_issues (report_id, position, description, resolution, status)
                       SELECT id, 1, 'Kiến nghị', CASE WHEN id % 3 = 0 THEN 'escalated' ELSE 'settled' END,
                              CASE WHEN id % 3 = 0 THEN 'open' ELSE 'closed' END
                       FROM visit_reports WHERE id > ? AND id % 20 = 0""",
                    (loaded,),
                )
            loaded += len(batch)
        return loaded
