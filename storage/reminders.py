"""Who is due a visit reminder, and the reminder log that makes each one go out once.

Due means: an assignment in force today, of an active cadre who has a Telegram account,
to an active cell, whose obligation for the quarter still has the status *due* in
storage/obligations.py — not reported, not excused, and owed at all under the transfer
rule. The set is computed in SQL, a window of cadre ids at a time, so a sweep over
100,000 cadres is a few hundred small indexed queries rather than one per person.

Every reminder is claimed in ``reminder_log`` under its unique key (cadre, cell,
quarter, kind) before it is sent; see scheduler/reminders.py for what the statuses mean.
The notice to a cell's secretary uses the same log, with kind 'secretary'.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.quarters import Quarter
from storage import obligations
from storage.db import Database, Executor
from storage.obligations import OBLIGATIONS_SQL, TransferRule, obligation_params

# A failed send (a bad request, a network that stayed down) is tried again by later
# sweeps, this many times in all; then it stays 'failed' for the operator to see.
MAX_ATTEMPTS = 3

KIND_SECRETARY = "secretary"  # the reminder_log kind of the notice to a cell's secretary

_PAST_EVERY_CELL = 2**62  # (cadre, this) sorts after every cell of that cadre

# "Still owed" — the one place that decides it, for the sweep and for the claim: the
# pairs whose status in storage.obligations (OBLIGATIONS_SQL, the one definition of the
# statuses) is 'due' — no report, no excusal overlapping the quarter, and owed under the
# transfer rule. Parameters: :quarter :first_day :last_day :as_of :rule.
_NOT_FULFILLED = f"""WITH {OBLIGATIONS_SQL},
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


_DUE = f"""{_NOT_FULFILLED}
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


def _owed_params(quarter: str, today: date, rule: TransferRule) -> dict[str, object]:
    """The parameters of _NOT_FULFILLED for a quarter, asked on ``today``."""
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
        **_owed_params(quarter, today, rule),
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


_CLAIM = f"""{_NOT_FULFILLED}
INSERT INTO reminder_log (cadre_id, cell_id, quarter, kind, status, attempts, claimed_at)
SELECT :cadre, :cell, :quarter, :kind, 'claimed', 1, :now
WHERE EXISTS (SELECT 1 FROM still_owed WHERE cadre_id = :cadre AND cell_id = :cell)
  AND {{extra}}
ON CONFLICT (cadre_id, cell_id, quarter, kind) DO UPDATE
    SET status = 'claimed', attempts = reminder_log.attempts + 1, claimed_at = excluded.claimed_at
    WHERE reminder_log.status = 'failed' AND reminder_log.attempts < :max_attempts
RETURNING attempts
"""


async def claim(
    db: Database,
    key: ReminderKey,
    *,
    now: str,
    today: date | None = None,
    rule: TransferRule | None = None,
) -> int | None:
    """Takes the right to send this reminder; returns the attempt number, or None.

    One statement in one transaction: the row is inserted (or a 'failed' one re-taken)
    only if nobody holds it and the visit is still owed at this very moment, so a report
    filed (or an excusal given) during a long fan-out stops the reminder about to go.
    ``today`` is the local day (default: the quarter's last day, which asks about every
    assignment of the quarter).
    """
    async with db.transaction() as tx:
        row = await tx.fetchone(_CLAIM.format(extra="1"), await _claim_params(tx, key, now, today, rule))
    return None if row is None else int(row["attempts"])


async def _claim_params(
    db: Executor, key: ReminderKey, now: str, today: date | None, rule: TransferRule | None
) -> dict[str, object]:
    quarter = Quarter.parse(key.quarter)
    return {
        **_owed_params(key.quarter, today or quarter.last_day, rule or await obligations.transfer_rule(db)),
        "cadre": key.cadre_id,
        "cell": key.cell_id,
        "kind": key.kind,
        "now": now,
        "max_attempts": MAX_ATTEMPTS,
    }


# --- batches: one statement claims a batch, one transaction marks it --------------------------

Pair = tuple[int, int]  # (cadre id, cell id)


def _pairs_values(pairs: Sequence[Pair], params: dict[str, object]) -> str:
    """``VALUES (:c0, :l0), …`` for the pairs, their values added to ``params``."""
    rows = []
    for n, (cadre, cell) in enumerate(pairs):
        params[f"c{n}"], params[f"l{n}"] = cadre, cell
        rows.append(f"(:c{n}, :l{n})")
    return "VALUES " + ", ".join(rows)


# The batch's own assignments stand in for the table inside OBLIGATIONS_SQL (a CTE's
# name wins over a table's, as in storage/summaries.py), so checking a batch of a few
# dozen cadres reads their assignments only, not the province's.
_CLAIM_BATCH = """WITH batch (cadre_id, cell_id) AS ({values}),
assignments AS (SELECT a.* FROM main.assignments AS a WHERE a.cadre_id IN (SELECT cadre_id FROM batch)),
{obligations},
still_owed AS (SELECT cadre_id, cell_id FROM obligations WHERE status = 'due')
INSERT INTO reminder_log (cadre_id, cell_id, quarter, kind, status, attempts, claimed_at)
SELECT b.cadre_id, b.cell_id, :quarter, :kind, 'claimed', 1, :now FROM batch AS b
WHERE EXISTS (SELECT 1 FROM still_owed AS o WHERE o.cadre_id = b.cadre_id AND o.cell_id = b.cell_id)
ON CONFLICT (cadre_id, cell_id, quarter, kind) DO UPDATE
    SET status = 'claimed', attempts = reminder_log.attempts + 1, claimed_at = excluded.claimed_at
    WHERE reminder_log.status = 'failed' AND reminder_log.attempts < :max_attempts
RETURNING cadre_id, cell_id"""


async def claim_batch(
    db: Database,
    pairs: Sequence[Pair],
    *,
    quarter: str,
    kind: str,
    now: str,
    today: date,
    rule: TransferRule,
) -> set[Pair]:
    """Claims the reminders of many (cadre, cell) pairs in one statement; returns those
    taken. The same rules as ``claim``, pair by pair: a pair is taken only if nobody
    holds it (or it failed and may be retried) and its visit is still owed now."""
    if not pairs:
        return set()
    params: dict[str, object] = {
        **_owed_params(quarter, today, rule), "kind": kind, "now": now, "max_attempts": MAX_ATTEMPTS,
    }
    sql = _CLAIM_BATCH.format(values=_pairs_values(pairs, params), obligations=OBLIGATIONS_SQL)
    async with db.transaction() as tx:
        rows = await tx.fetchall(sql, params)
    return {(row["cadre_id"], row["cell_id"]) for row in rows}


@dataclass
class BatchOutcome:
    """How the messages of a batch went, claim by claim, for ``finish_batch``."""

    sent: list[Pair] = field(default_factory=list)
    unreachable: list[tuple[Pair, str]] = field(default_factory=list)
    failed: list[tuple[Pair, str]] = field(default_factory=list)
    uncertain: list[tuple[Pair, str]] = field(default_factory=list)
    released: list[Pair] = field(default_factory=list)  # claimed, then not sent (quiet hours)

    def __len__(self) -> int:
        return sum(map(len, (self.sent, self.unreachable, self.failed, self.uncertain, self.released)))


async def finish_batch(db: Database, outcome: BatchOutcome, *, quarter: str, kind: str, now: str) -> None:
    """Marks a batch in one transaction: the sent claims with one statement (and their
    cadres reachable again with another), the rarer outcomes row by row.

    A released claim was never sent: it goes back to how it was before the claim (the
    row removed, or 'failed' with the attempt not counted), for a later sweep."""
    if not len(outcome):
        return
    async with db.transaction() as tx:
        if outcome.sent:
            params: dict[str, object] = {"now": now, "quarter": quarter, "kind": kind}
            values = _pairs_values(outcome.sent, params)
            await tx.execute(
                f"""UPDATE reminder_log SET status = 'sent', sent_at = :now, last_error = NULL
                    WHERE quarter = :quarter AND kind = :kind AND (cadre_id, cell_id) IN ({values})""",
                params,
            )
            cadres = {f"k{n}": cadre for n, cadre in enumerate({cadre for cadre, _ in outcome.sent})}
            await tx.execute(
                f"""UPDATE cadres SET unreachable_since = NULL
                    WHERE id IN ({", ".join(":" + name for name in cadres)}) AND unreachable_since IS NOT NULL""",
                cadres,
            )
        rest = [
            ("UPDATE reminder_log SET status = 'unreachable', last_error = ? WHERE " + _WHERE_KEY, outcome.unreachable),
            ("UPDATE reminder_log SET status = 'failed', last_error = ? WHERE " + _WHERE_KEY, outcome.failed),
            ("UPDATE reminder_log SET last_error = ? WHERE status = 'claimed' AND " + _WHERE_KEY, outcome.uncertain),
        ]
        for sql, rows in rest:
            if rows:
                await tx.executemany(sql, [(error, cadre, cell, quarter, kind) for (cadre, cell), error in rows])
        if outcome.unreachable:
            await tx.executemany(
                "UPDATE cadres SET unreachable_since = coalesce(unreachable_since, ?) WHERE id = ?",
                [(now, cadre) for cadre in {cadre for (cadre, _), _ in outcome.unreachable}],
            )
        if outcome.released:
            keys = [(cadre, cell, quarter, kind) for cadre, cell in outcome.released]
            await tx.executemany(f"DELETE FROM reminder_log WHERE attempts <= 1 AND status = 'claimed' AND {_WHERE_KEY}", keys)
            await tx.executemany(
                f"""UPDATE reminder_log SET status = 'failed', attempts = attempts - 1
                    WHERE status = 'claimed' AND {_WHERE_KEY}""",
                keys,
            )


async def secretary_candidates(db: Executor, pairs: Sequence[Pair], *, quarter: str, after: int) -> list[Pair]:
    """Of the pairs just reminded, those whose cell's secretary may now be told (linked,
    active, not the cadre, and ``after`` reminders sent): one query for a batch, so the
    claim of each notice (``claim_secretary``) runs only for the few it concerns."""
    if not pairs or after <= 0:
        return []
    params: dict[str, object] = {"quarter": quarter, "after": after}
    values = _pairs_values(pairs, params)
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


# --- the notice to a cell's secretary ---------------------------------------------------------


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
        params = {**await _claim_params(tx, key, now, today, rule), "after": after}
        if await tx.fetchone(_CLAIM.format(extra=_SECRETARY_DUE), params) is None:
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
            WHERE {_WHERE_KEY}""",
        (status, error, status, now, *_key(key)),
    )
