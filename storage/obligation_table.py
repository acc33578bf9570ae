"""The quarter's obligations, stored: what the top unit's summary and the reminder sweep
read at province size (100,000 cadres) instead of deriving every status each time.

storage/obligations.py's OBLIGATIONS_SQL stays the one definition of a status; this
module only keeps its rows in ``obligation_statuses`` (migration 0027), exact at every
read:

* Triggers note in ``obligation_changes`` every cadre whose obligations may have changed
  — a report filed, edited or withdrawn, an assignment, an excusal, a cadre or cell
  (de)activated — whatever wrote it (the bot, ``baocao import``, a script); once a
  quarter is stored, that is (before, the first read derives it whole anyway).
* ``obligation_cell_counts`` keeps the same rows counted by cell, what a coverage sums.
* ``settle`` runs before each read, in one transaction: the cadres changed since the
  quarter was last settled get their rows derived again by OBLIGATIONS_SQL, restricted
  to them (a few milliseconds for a few hundred reports); so do the cadres with an
  assignment that started between the day the quarter was stored as of and the day
  asked about (an assignment is owed from its first day). A quarter never stored, or
  stored under another transfer rule, or with very many changes (an import), is derived
  again whole, as the full query always did.

A stored quarter is as exact as the query it replaces: tests/test_obligation_table.py
compares them on a randomised roster. A few quarters are kept (KEEP); the notes of
changes every kept quarter has taken in are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

from storage.db import Database, Executor
from storage.obligations import OBLIGATIONS_SQL

KEEP = 3  # quarters stored at most (this one, the last one, and one asked about)
REBUILD_ABOVE = 20_000  # changed cadres above which the whole quarter is derived again

_INSERT = f"""{{head}}
{OBLIGATIONS_SQL}
INSERT INTO obligation_statuses (quarter, cadre_id, cell_id, status)
SELECT :quarter, cadre_id, cell_id, status FROM obligations"""

# The cadres to derive again: changed since :settled, or with an assignment that
# started in (:moved_from, :moved_to] (the days between the stored and the asked as_of).
_CHANGED = """
changed (cadre_id) AS (
    SELECT cadre_id FROM obligation_changes WHERE seq > :settled
    UNION
    SELECT cadre_id FROM main.assignments WHERE starts_on > :moved_from AND starts_on <= :moved_to
)"""

# OBLIGATIONS_SQL restricted to the changed cadres: a CTE named ``assignments`` stands in
# for the table (SQLite resolves a CTE's name first; storage/summaries.py does the same).
_RESTRICTED_HEAD = f"""WITH {_CHANGED},
assignments AS (
    SELECT a.* FROM main.assignments AS a WHERE a.cadre_id IN (SELECT cadre_id FROM changed)
),"""


async def settle(db: Executor, window: Mapping[str, object]) -> None:
    """Brings the stored quarter of ``window`` (storage.obligations.obligation_params)
    up to date, in one transaction of its own (or the caller's, given a transaction).
    When nothing changed since, it only reads: no write, no lock taken."""
    if await _up_to_date(db, window):
        return
    if isinstance(db, Database):
        async with db.transaction() as tx:
            await _settle(tx, window)
    else:
        await _settle(db, window)


async def _up_to_date(db: Executor, window: Mapping[str, object]) -> bool:
    """Stored as of the same day, under the same rule, with every change taken in."""
    row = await db.fetchone(
        """SELECT as_of, rule, settled, (SELECT coalesce(max(seq), 0) FROM obligation_changes) AS latest
           FROM obligation_quarters WHERE quarter = ?""",
        (window["quarter"],),
    )
    return (
        row is not None and row["as_of"] == window["as_of"] and row["rule"] == window["rule"]
        and row["latest"] <= row["settled"]
    )


async def _settle(tx: Executor, window: Mapping[str, object]) -> None:
    quarter = str(window["quarter"])
    stored = await tx.fetchone("SELECT as_of, rule, settled FROM obligation_quarters WHERE quarter = ?", (quarter,))
    latest = int(await tx.fetchval("SELECT coalesce(max(seq), 0) FROM obligation_changes"))
    if stored is None or stored["rule"] != window["rule"]:
        await _rebuild(tx, window)
    else:
        as_of = str(window["as_of"])
        moved = sorted((str(stored["as_of"]), as_of))
        params = {**window, "settled": stored["settled"], "moved_from": moved[0], "moved_to": moved[1]}
        changed = int(await tx.fetchval(f"WITH {_CHANGED} SELECT count(*) FROM changed", params))
        if changed > REBUILD_ABOVE:
            await _rebuild(tx, window)
        elif changed:
            cells = await _cells_of_changed(tx, params)
            await tx.execute(
                f"""WITH {_CHANGED} DELETE FROM obligation_statuses
                    WHERE quarter = :quarter AND cadre_id IN (SELECT cadre_id FROM changed)""",
                params,
            )
            await tx.execute(_INSERT.format(head=_RESTRICTED_HEAD), params)
            await _count_cells(tx, quarter, cells | await _cells_of_changed(tx, params))
    await tx.execute(
        """INSERT INTO obligation_quarters (quarter, as_of, rule, settled) VALUES (?, ?, ?, ?)
           ON CONFLICT (quarter) DO UPDATE SET as_of = excluded.as_of, rule = excluded.rule,
               settled = excluded.settled""",
        (quarter, window["as_of"], window["rule"], latest),
    )
    await _forget_old(tx, quarter)


async def _rebuild(tx: Executor, window: Mapping[str, object]) -> None:
    await tx.execute("DELETE FROM obligation_statuses WHERE quarter = ?", (window["quarter"],))
    await tx.execute(_INSERT.format(head="WITH"), dict(window))
    await tx.execute("DELETE FROM obligation_cell_counts WHERE quarter = ?", (window["quarter"],))
    await tx.execute(f"{_COUNT} GROUP BY cell_id", {"quarter": window["quarter"]})


# Each cell's obligations by status, from the stored statuses: what the coverage sums by
# commune (10,000 rows for a province instead of 100,000).
_COUNT = """
INSERT INTO obligation_cell_counts (quarter, cell_id, filed, late, excused, due)
SELECT :quarter, cell_id, sum(CASE WHEN status = 'filed' THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 'late' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'excused' THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 'due' THEN 1 ELSE 0 END)
FROM obligation_statuses WHERE quarter = :quarter"""


async def _cells_of_changed(tx: Executor, params: Mapping[str, object]) -> set[int]:
    """The cells of the changed cadres' stored obligations (asked before and after they
    are derived again: a cell may lose a cadre, or gain one)."""
    rows = await tx.fetchall(
        f"""WITH {_CHANGED} SELECT DISTINCT cell_id FROM obligation_statuses
            WHERE quarter = :quarter AND cadre_id IN (SELECT cadre_id FROM changed)""",
        params,
    )
    return {int(row["cell_id"]) for row in rows}


async def _count_cells(tx: Executor, quarter: str, cells: set[int]) -> None:
    """Counts these cells again (a few hundred ids at a time)."""
    ordered = sorted(cells)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        await tx.execute(
            f"DELETE FROM obligation_cell_counts WHERE quarter = ? AND cell_id IN ({marks})", (quarter, *chunk)
        )
        named = {f"c{n}": cell for n, cell in enumerate(chunk)}
        await tx.execute(
            f"{_COUNT} AND cell_id IN ({', '.join(':' + name for name in named)}) GROUP BY cell_id",
            {"quarter": quarter, **named},
        )


async def _forget_old(tx: Executor, asked: str) -> None:
    """Keeps the KEEP newest quarters (and the one just asked about), and only the notes
    of changes some kept quarter has not taken in yet — and the newest note, whose number
    the next one's must exceed (a plain row id: cheaper in a trigger than AUTOINCREMENT)."""
    rows = await tx.fetchall("SELECT quarter FROM obligation_quarters WHERE quarter <> ? ORDER BY quarter DESC", (asked,))
    old = [row["quarter"] for row in rows[KEEP - 1 :]]
    for quarter in old:
        await tx.execute("DELETE FROM obligation_statuses WHERE quarter = ?", (quarter,))
        await tx.execute("DELETE FROM obligation_cell_counts WHERE quarter = ?", (quarter,))
        await tx.execute("DELETE FROM obligation_quarters WHERE quarter = ?", (quarter,))
    await tx.execute(
        """DELETE FROM obligation_changes WHERE seq <= (SELECT min(settled) FROM obligation_quarters)
               AND seq < (SELECT max(seq) FROM obligation_changes)"""  # the newest stays: see 0027
    )
