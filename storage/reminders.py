"""Who is due a visit reminder, and the reminder log that makes each one go out once.

Due means: an assignment in force today, of an active cadre who has a Telegram account,
to an active cell, with no submitted visit report of that cadre to that cell in the
quarter. The set is computed in SQL, a page at a time, so a sweep over 100,000 cadres
is a handful of indexed queries rather than one query per person.

Every reminder is claimed in ``reminder_log`` under its unique key (cadre, cell,
quarter, kind) before it is sent; see scheduler/reminders.py for what the statuses mean.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from storage.db import Database, Executor

# A failed send (a bad request, a network that stayed down) is tried again by later
# sweeps, this many times in all; then it stays 'failed' for the operator to see.
MAX_ATTEMPTS = 3

# The cadre's still-unfulfilled duty towards the cell in the quarter. One place, so that
# a later rule (excused visits) is added here for both the sweep and the claim.
_NOT_FULFILLED = """NOT EXISTS (
    SELECT 1 FROM visit_reports AS r
    WHERE r.quarter = :quarter AND r.cell_id = {cell} AND r.cadre_id = {cadre}
      AND r.status = 'submitted')"""


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
    telegram_id: int
    language: str | None
    cell_name: str
    meeting_day: str | None
    commune_name: str | None

    def key(self, quarter: str, kind: str) -> ReminderKey:
        return ReminderKey(self.cadre_id, self.cell_id, quarter, kind)


@dataclass(frozen=True, slots=True)
class LogEntry:
    cadre_id: int
    cell_id: int
    cadre_code: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    claimed_at: str


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


_DUE = f"""
SELECT a.cadre_id, a.cell_id, k.code AS cadre_code, k.full_name AS cadre_name,
       k.telegram_id, k.language, cell.name AS cell_name, cell.meeting_day,
       commune.name AS commune_name
FROM assignments AS a
JOIN cadres AS k ON k.id = a.cadre_id
JOIN cells AS cell ON cell.id = a.cell_id
JOIN units AS village ON village.id = cell.unit_id
LEFT JOIN units AS commune
     ON commune.id = CASE WHEN village.kind = 'commune' THEN village.id ELSE village.parent_id END
WHERE (a.cadre_id, a.cell_id) > (:after_cadre, :after_cell)
  AND a.starts_on <= :today AND (a.ends_on IS NULL OR a.ends_on >= :today)
  AND k.active = 1 AND k.telegram_id IS NOT NULL AND cell.active = 1
  AND {_NOT_FULFILLED.format(cell="a.cell_id", cadre="a.cadre_id")}
  AND NOT EXISTS (
      SELECT 1 FROM reminder_log AS l
      WHERE l.cadre_id = a.cadre_id AND l.cell_id = a.cell_id AND l.quarter = :quarter
        AND l.kind = :kind AND (l.status <> 'failed' OR l.attempts >= :max_attempts))
GROUP BY a.cadre_id, a.cell_id
ORDER BY a.cadre_id, a.cell_id
LIMIT :limit
"""


async def due_targets(
    db: Executor,
    *,
    quarter: str,
    kind: str,
    today: date,
    after: tuple[int, int] = (0, 0),
    limit: int = 500,
) -> list[ReminderTarget]:
    """The next page of (cadre, cell) pairs still owed this reminder, after ``after``."""
    rows = await db.fetchall(
        _DUE,
        {
            "after_cadre": after[0],
            "after_cell": after[1],
            "today": today.isoformat(),
            "quarter": quarter,
            "kind": kind,
            "max_attempts": MAX_ATTEMPTS,
            "limit": limit,
        },
    )
    return [_target(row) for row in rows]


_CLAIM = f"""
INSERT INTO reminder_log (cadre_id, cell_id, quarter, kind, status, attempts, claimed_at)
SELECT :cadre, :cell, :quarter, :kind, 'claimed', 1, :now
WHERE {_NOT_FULFILLED.format(cell=":cell", cadre=":cadre")}
ON CONFLICT (cadre_id, cell_id, quarter, kind) DO UPDATE
    SET status = 'claimed', attempts = reminder_log.attempts + 1, claimed_at = excluded.claimed_at
    WHERE reminder_log.status = 'failed' AND reminder_log.attempts < :max_attempts
RETURNING attempts
"""


async def claim(db: Database, key: ReminderKey, *, now: str) -> int | None:
    """Takes the right to send this reminder; returns the attempt number, or None.

    One statement in one transaction: the row is inserted (or a 'failed' one re-taken)
    only if nobody holds it and the visit is still unreported at this very moment, so a
    report filed during a long fan-out stops the reminder that was about to go.
    """
    async with db.transaction() as tx:
        row = await tx.fetchone(
            _CLAIM,
            {
                "cadre": key.cadre_id,
                "cell": key.cell_id,
                "quarter": key.quarter,
                "kind": key.kind,
                "now": now,
                "max_attempts": MAX_ATTEMPTS,
            },
        )
    return None if row is None else int(row["attempts"])


_WHERE_KEY = "cadre_id = ? AND cell_id = ? AND quarter = ? AND kind = ?"


def _key(key: ReminderKey) -> tuple[int, int, str, str]:
    return (key.cadre_id, key.cell_id, key.quarter, key.kind)


async def mark_sent(db: Database, key: ReminderKey, *, now: str) -> None:
    """Sent: and the cadre is reachable again, whatever they did before."""
    async with db.transaction() as tx:
        await tx.execute(
            f"UPDATE reminder_log SET status = 'sent', sent_at = ?, last_error = NULL WHERE {_WHERE_KEY}",
            (now, *_key(key)),
        )
        await tx.execute(
            "UPDATE cadres SET unreachable_since = NULL WHERE id = ? AND unreachable_since IS NOT NULL",
            (key.cadre_id,),
        )


async def mark_unreachable(db: Database, key: ReminderKey, *, error: str, now: str) -> None:
    """Telegram refused (403): the cadre blocked the bot or never opened it."""
    async with db.transaction() as tx:
        await tx.execute(
            f"UPDATE reminder_log SET status = 'unreachable', last_error = ? WHERE {_WHERE_KEY}",
            (error, *_key(key)),
        )
        await tx.execute(
            "UPDATE cadres SET unreachable_since = coalesce(unreachable_since, ?) WHERE id = ?",
            (now, key.cadre_id),
        )


async def mark_failed(db: Executor, key: ReminderKey, *, error: str) -> None:
    """Not sent, certainly: a later sweep tries again (up to MAX_ATTEMPTS in all)."""
    await db.execute(
        f"UPDATE reminder_log SET status = 'failed', last_error = ? WHERE {_WHERE_KEY}",
        (error, *_key(key)),
    )


async def note_uncertain(db: Executor, key: ReminderKey, *, error: str) -> None:
    """Maybe sent (the answer was lost): the row stays 'claimed', never sent again."""
    await db.execute(
        f"UPDATE reminder_log SET last_error = ? WHERE {_WHERE_KEY} AND status = 'claimed'",
        (error, *_key(key)),
    )


async def get_entry(db: Executor, key: ReminderKey) -> LogEntry | None:
    entries = await _entries(
        db, "WHERE l.cadre_id = ? AND l.cell_id = ? AND l.quarter = ? AND l.kind = ?", _key(key)
    )
    return entries[0] if entries else None


async def unsettled(db: Executor, quarter: str) -> list[LogEntry]:
    """The quarter's reminders that are not done: claimed (outcome unknown) or failed."""
    return await _entries(
        db, "WHERE l.quarter = ? AND l.status IN ('claimed', 'failed')", (quarter,)
    )


async def status_counts(db: Executor, quarter: str) -> dict[str, int]:
    rows = await db.fetchall(
        "SELECT status, count(*) AS n FROM reminder_log WHERE quarter = ? GROUP BY status",
        (quarter,),
    )
    return {row["status"]: int(row["n"]) for row in rows}


async def _entries(db: Executor, where: str, params: tuple[object, ...]) -> list[LogEntry]:
    rows = await db.fetchall(
        f"""SELECT l.*, k.code AS cadre_code FROM reminder_log AS l
            JOIN cadres AS k ON k.id = l.cadre_id {where}
            ORDER BY l.claimed_at, l.id""",  # noqa: S608 - fixed fragments, values are '?'
        params,
    )
    return [
        LogEntry(
            row["cadre_id"], row["cell_id"], row["cadre_code"], row["kind"], row["status"],
            row["attempts"], row["last_error"], row["claimed_at"],
        )
        for row in rows
    ]
