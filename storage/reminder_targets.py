"""Who is due a visit reminder: the (cadre, cell) pairs a sweep goes through.

Due means: an assignment in force today, of an active cadre who has a Telegram account,
to an active cell, whose obligation for the quarter still has the status *due* in
storage/obligations.py — not reported, not excused, and owed at all under the transfer
rule. The statuses are the stored ones (storage/obligation_table.py), brought up to date
at a sweep's first page, so a sweep over 100,000 cadres reads an index a page at a time
rather than deriving every status. Nothing is claimed here: storage/reminder_claims.py
checks each pair again, against the tables themselves, as it claims it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from domain.quarters import Quarter
from storage import obligation_table, obligations
from storage.db import Executor
from storage.obligations import OBLIGATIONS_SQL, TransferRule, obligation_params

# A failed send (a bad request, a network that stayed down) is tried again by later
# sweeps, this many times in all; then it stays 'failed' for the operator to see.
MAX_ATTEMPTS = 3

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


@dataclass(slots=True)
class ReminderTarget:
    """A cadre who is due a reminder about one cell.

    Not frozen: a sweep makes one for each of 100,000 pairs, and a frozen dataclass's
    ``__init__`` (``object.__setattr__`` per field) costs six times a plain one's."""

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
        """The reminder this target gets for a quarter and kind."""
        return ReminderKey(self.cadre_id, self.cell_id, quarter, kind)


def _target(row: sqlite3.Row) -> ReminderTarget:
    """A row of _DUE, whose columns are the fields in order: by position, since a sweep
    makes 100,000 of them and a look-up by name costs more than the query's row."""
    return ReminderTarget(*row)


# The stored statuses (storage/obligation_table.py), brought up to date just before: the
# pairs whose status is 'due', a page at a time in (cadre, cell) order from an index.
# The columns are ReminderTarget's fields, in their order.
_DUE = """
SELECT o.cadre_id, o.cell_id, k.code AS cadre_code, k.full_name AS cadre_name,
       k.telegram_id, k.language, cell.name AS cell_name, cell.meeting_day,
       commune.name AS commune_name
FROM obligation_statuses AS o
JOIN cadres AS k ON k.id = o.cadre_id
JOIN cells AS cell ON cell.id = o.cell_id
JOIN units AS village ON village.id = cell.unit_id
LEFT JOIN units AS commune
     ON commune.id = CASE WHEN village.kind = 'commune' THEN village.id ELSE village.parent_id END
WHERE o.quarter = :quarter AND o.status = 'due'
  AND o.cadre_id >= :after_cadre AND (o.cadre_id > :after_cadre OR o.cell_id > :after_cell)
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

    The quarter's stored statuses are brought up to date at the first page (a sweep's
    start), then read from an index: a page is one query, and a sweep over 100,000
    cadres reads each stored obligation once. A report filed during the sweep is seen by
    the claim, which checks each pair again against the tables themselves, and by the
    next sweep. The transfer rule is read from the settings unless given.
    """
    rule = rule or await obligations.transfer_rule(db)
    window = owed_params(quarter, today, rule)
    if after == (0, 0):  # a sweep's first page: take in what changed since the last sweep
        await obligation_table.settle(db, window)
    rows = await db.fetchall(
        _DUE,
        {
            **window, "today": today.isoformat(), "kind": kind, "max_attempts": MAX_ATTEMPTS,
            "after_cadre": after[0], "after_cell": after[1], "limit": limit,
        },
    )
    return [_target(row) for row in rows]
