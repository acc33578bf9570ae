"""The reminder log as the sweep and the operator read it, and the notice to a cell's
secretary (the same log, with kind 'secretary').

Who is due lives in storage/reminder_targets.py and the exactly-once claims and marks
in storage/reminder_claims.py; their names are re-exported here, where the sweep and
the tests have always found them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from storage.db import Database, Executor
from storage.obligations import TransferRule
from storage.reminder_claims import (
    CLAIM_SQL,
    KIND_SECRETARY,
    WHERE_KEY,
    BatchOutcome,
    Pair,
    ReminderKey,
    claim,
    claim_batch,
    claim_params,
    finish_batch,
    key_values,
    mark_failed,
    mark_sent,
    mark_unreachable,
    note_uncertain,
    pairs_values,
)
from storage.reminder_targets import MAX_ATTEMPTS, ReminderTarget, due_targets

__all__ = [
    "KIND_SECRETARY", "MAX_ATTEMPTS", "BatchOutcome", "LogEntry", "Pair", "ReminderKey", "ReminderTarget",
    "SecretaryNotice", "claim", "claim_batch", "claim_secretary", "due_targets", "finish_batch",
    "finish_secretary", "get_entry", "mark_failed", "mark_sent", "mark_unreachable", "note_uncertain",
    "secretary_candidates", "status_counts", "unsettled",
]


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


async def get_entry(db: Executor, key: ReminderKey) -> LogEntry | None:
    entries = await _entries(
        db, "WHERE l.cadre_id = ? AND l.cell_id = ? AND l.quarter = ? AND l.kind = ?", key_values(key)
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


# --- the notice to a cell's secretary ---------------------------------------------------------


async def secretary_candidates(db: Executor, pairs: Sequence[Pair], *, quarter: str, after: int) -> list[Pair]:
    """Of the pairs just reminded, those whose cell's secretary may now be told (linked,
    active, not the cadre, and ``after`` reminders sent): one query for a batch, so the
    claim of each notice (``claim_secretary``) runs only for the few it concerns."""
    if not pairs or after <= 0:
        return []
    params: dict[str, object] = {"quarter": quarter, "after": after}
    values = pairs_values(pairs, params)
    rows = await db.fetchall(
        f"""WITH batch (cadre_id, cell_id) AS ({values})
            SELECT b.cadre_id, b.cell_id FROM batch AS b
            JOIN cells AS c ON c.id = b.cell_id JOIN cadres AS s ON s.id = c.secretary_id
            WHERE s.active = 1 AND s.telegram_id IS NOT NULL AND s.id <> b.cadre_id
              AND NOT EXISTS (SELECT 1 FROM reminder_log AS l
                              WHERE l.cadre_id = b.cadre_id AND l.cell_id = b.cell_id
                                AND l.quarter = :quarter AND l.kind = 'secretary' AND l.status <> 'failed')
              AND (SELECT count(*) FROM reminder_log AS l
                   WHERE l.cadre_id = b.cadre_id AND l.cell_id = b.cell_id AND l.quarter = :quarter
                     AND l.kind <> 'secretary' AND l.status = 'sent') >= :after""",
        params,
    )
    return [(row["cadre_id"], row["cell_id"]) for row in rows]


@dataclass(frozen=True, slots=True)
class SecretaryNotice:
    """Whom to tell that a committee member is still due at their cell's meeting."""

    telegram_id: int | None
    language: str | None
    cadre_id: int = 0  # the secretary's: reached on the messenger they used last


# The secretary is linked, active and not the cadre themself, and the cadre has been sent
# at least :after reminders about this cell this quarter.
_SECRETARY_DUE = """EXISTS (
      SELECT 1 FROM cells AS c JOIN cadres AS s ON s.id = c.secretary_id
      WHERE c.id = :cell AND s.active = 1 AND s.id <> :cadre
        AND EXISTS (SELECT 1 FROM accounts AS acc WHERE acc.cadre_id = s.id))
  AND (SELECT count(*) FROM reminder_log AS l
       WHERE l.cadre_id = :cadre AND l.cell_id = :cell AND l.quarter = :quarter
         AND l.kind <> 'secretary' AND l.status = 'sent') >= :after"""


async def claim_secretary(
    db: Database,
    key: ReminderKey,
    *,
    after: int,
    now: str,
    today: date | None = None,
    rule: TransferRule | None = None,
) -> SecretaryNotice | None:
    """Takes the right to tell the cell's secretary (``key.kind`` is 'secretary'), when
    ``after`` reminders went out and the visit is still owed; None when not (or taken).

    The same claim as a reminder's, so the same exactly-once rules hold."""
    assert key.kind == KIND_SECRETARY
    async with db.transaction() as tx:
        params = {**await claim_params(tx, key, now, today, rule), "after": after}
        if await tx.fetchone(CLAIM_SQL.format(extra=_SECRETARY_DUE), params) is None:
            return None
        row = await tx.fetchone(
            """SELECT s.id, s.telegram_id, s.language FROM cells AS c JOIN cadres AS s ON s.id = c.secretary_id
               WHERE c.id = ?""",
            (key.cell_id,),
        )
    assert row is not None  # checked by the claim, in the same transaction
    return SecretaryNotice(row["telegram_id"], row["language"], int(row["id"]))


async def finish_secretary(db: Executor, key: ReminderKey, *, status: str, error: str | None, now: str) -> None:
    """How the notice went: 'sent', 'unreachable', 'failed' (retried) or 'claimed' (maybe
    sent: never again). Only the log row: the reminded cadre's reachability is theirs."""
    await db.execute(
        f"""UPDATE reminder_log SET status = ?, last_error = ?,
                   sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
            WHERE {WHERE_KEY}""",
        (status, error, status, now, *key_values(key)),
    )
