"""Who is due a visit reminder: the (cadre, cell) pairs a sweep goes through.

Due means: an assignment in force today, of an active cadre who has a Telegram account,
to an active cell, whose obligation for the quarter still has the status *due* in
storage/obligations.py — not reported, not excused, and owed at all under the transfer
rule. The set is computed in SQL, a window of cadre ids at a time, so a sweep over
100,000 cadres is a few hundred small indexed queries rather than one per person.
Nothing is claimed here: storage/reminder_claims.py checks each pair again as it
claims it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from domain.quarters import Quarter
from storage import obligations
from storage.db import Executor
from storage.obligations import OBLIGATIONS_SQL, TransferRule, obligation_params

# A failed send (a bad request, a network that stayed down) is tried again by later
# sweeps, this many times in all; then it stays 'failed' for the operator to see.
MAX_ATTEMPTS = 3

_PAST_EVERY_CELL = 2**62  # (cadre, this) sorts after every cell of that cadre

# "Still owed" — the one place that decides it, for the sweep and for the claim: the
# pairs whose status in storage.obligations (OBLIGATIONS_SQL, the one definition of the
# statuses) is 'due' — no report, no excusal overlapping the quarter, and owed under the
# transfer rule. Parameters: :quarter :first_day :last_day :as_of :rule.
NOT_FULFILLED = f"""WITH {OBLIGATIONS_SQL},
still_owed AS (SELECT cadre_id, cell_id FROM obligations WHERE status = 'due')"""


@dataclass(frozen=True, slots=True)
class ReminderKey:
    cadre_id: int
    cell_id: int
    quarter: str
    kind: str


@dataclass(frozen=True, slots=True)
class ReminderTarget:
    """A cadre who is due a reminder about one cell."""

    cadre_id: int
    cell_id: int
    cadre_code: str
    cadre_name: str
    telegram_id: int | None  # the Telegram account, if any (storage/accounts.py has them all)
    language: str | None
    cell_name: str
    meeting_day: str | None
    commune_name: str | None

    def key(self, quarter: str, kind: str) -> ReminderKey:
        return ReminderKey(self.cadre_id, self.cell_id, quarter, kind)


def _target(row: sqlite3.Row) -> ReminderTarget:
    return ReminderTarget(
        cadre_id=row["cadre_id"],
        cell_id=row["cell_id"],
        cadre_code=row["cadre_code"],
        cadre_name=row["cadre_name"],
        telegram_id=row["telegram_id"],
        language=row["language"],
        cell_name=row["cell_name"],
        meeting_day=row["meeting_day"],
        commune_name=row["commune_name"],
    )


_DUE = f"""{NOT_FULFILLED}
SELECT o.cadre_id, o.cell_id, k.code AS cadre_code, k.full_name AS cadre_name,
       k.telegram_id, k.language, cell.name AS cell_name, cell.meeting_day,
       commune.name AS commune_name
FROM still_owed AS o
JOIN cadres AS k ON k.id = o.cadre_id
JOIN cells AS cell ON cell.id = o.cell_id
JOIN units AS village ON village.id = cell.unit_id
LEFT JOIN units AS commune
     ON commune.id = CASE WHEN village.kind = 'commune' THEN village.id ELSE village.parent_id END
WHERE (o.cadre_id, o.cell_id) > (:after_cadre, :after_cell) AND o.cadre_id <= :window_end
  AND EXISTS (SELECT 1 FROM accounts AS acc WHERE acc.cadre_id = k.id)
  AND EXISTS (
      SELECT 1 FROM assignments AS a
      WHERE a.cadre_id = o.cadre_id AND a.cell_id = o.cell_id
        AND a.starts_on <= :today AND (a.ends_on IS NULL OR a.ends_on >= :today))
  AND NOT EXISTS (
      SELECT 1 FROM reminder_log AS l
      WHERE l.cadre_id = o.cadre_id AND l.cell_id = o.cell_id AND l.quarter = :quarter
        AND l.kind = :kind AND (l.status <> 'failed' OR l.attempts >= :max_attempts))
ORDER BY o.cadre_id, o.cell_id
LIMIT :limit
"""


def owed_params(quarter: str, today: date, rule: TransferRule) -> dict[str, object]:
    """The parameters of NOT_FULFILLED for a quarter, asked on ``today``."""
    q = Quarter.parse(quarter)
    return obligation_params(q.key, q.first_day, q.last_day, today, rule)


async def due_targets(
    db: Executor,
    *,
    quarter: str,
    kind: str,
    today: date,
    after: tuple[int, int] = (0, 0),
    limit: int = 500,
    rule: TransferRule | None = None,
) -> list[ReminderTarget]:
    """The next page of (cadre, cell) pairs still owed this reminder, after ``after``.

    SQLite materialises the obligations CTE of each query, so one query looks at a window
    of ``limit`` cadre ids only (a keyset range it pushes into the assignments index) and
    the page walks windows until it is full or the roster ends: the whole sweep reads each
    assignment about once. The transfer rule is read from the settings unless given.
    """
    rule = rule or await obligations.transfer_rule(db)
    last_cadre = await db.fetchval("SELECT max(cadre_id) FROM assignments") or 0
    params = {
        **owed_params(quarter, today, rule),
        "today": today.isoformat(),
        "kind": kind,
        "max_attempts": MAX_ATTEMPTS,
    }
    found: list[ReminderTarget] = []
    cursor = after
    while len(found) < limit and cursor[0] <= last_cadre:
        window_end = cursor[0] + max(limit, 1)
        rows = await db.fetchall(
            _DUE,
            {**params, "after_cadre": cursor[0], "after_cell": cursor[1], "window_end": window_end,
             "limit": limit - len(found)},
        )
        found += [_target(row) for row in rows]
        cursor = (window_end, _PAST_EVERY_CELL)
    return found
