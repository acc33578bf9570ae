"""The reminder log's claims: each reminder is taken under its unique key (cadre, cell,
quarter, kind) before it is sent, and marked after, so that it goes out once; see
scheduler/reminders.py for what the statuses mean. A claim re-checks that the visit is
still owed at that very moment (storage/reminder_targets.py's NOT_FULFILLED).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.quarters import Quarter
from storage import obligations
from storage.db import Database, Executor
from storage.obligations import OBLIGATIONS_SQL, TransferRule
from storage.reminder_targets import MAX_ATTEMPTS, NOT_FULFILLED, ReminderKey, owed_params

__all__ = ["KIND_SECRETARY", "MAX_ATTEMPTS", "ReminderKey"]  # re-exported: also the claims' vocabulary

KIND_SECRETARY = "secretary"  # the reminder_log kind of the notice to a cell's secretary

CLAIM_SQL = f"""{NOT_FULFILLED}
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
        row = await tx.fetchone(CLAIM_SQL.format(extra="1"), await claim_params(tx, key, now, today, rule))
    return None if row is None else int(row["attempts"])


async def claim_params(
    db: Executor, key: ReminderKey, now: str, today: date | None, rule: TransferRule | None
) -> dict[str, object]:
    """The named parameters of the claim statement for one reminder."""
    quarter = Quarter.parse(key.quarter)
    return {
        **owed_params(key.quarter, today or quarter.last_day, rule or await obligations.transfer_rule(db)),
        "cadre": key.cadre_id,
        "cell": key.cell_id,
        "kind": key.kind,
        "now": now,
        "max_attempts": MAX_ATTEMPTS,
    }


# --- batches: one statement claims a batch, one transaction marks it --------------------------

Pair = tuple[int, int]  # (cadre id, cell id)


def pairs_values(pairs: Sequence[Pair], params: dict[str, object]) -> str:
    """``VALUES (:c0, :l0), …`` for the pairs, their values added to ``params``."""
    rows = []
    for n, (cadre, cell) in enumerate(pairs):
        params[f"c{n}"], params[f"l{n}"] = cadre, cell
        rows.append(f"(:c{n}, :l{n})")
    return "VALUES " + ", ".join(rows)


# The batch's own assignments stand in for the table inside OBLIGATIONS_SQL (a CTE's
# name wins over a table's, as in storage/summaries.py), so checking a batch of a few
# dozen cadres reads their assignments only, not the province's.
CLAIM_BATCH_SQL = """WITH batch (cadre_id, cell_id) AS ({values}),
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
        **owed_params(quarter, today, rule), "kind": kind, "now": now, "max_attempts": MAX_ATTEMPTS,
    }
    sql = CLAIM_BATCH_SQL.format(values=pairs_values(pairs, params), obligations=OBLIGATIONS_SQL)
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
            values = pairs_values(outcome.sent, params)
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
            ("UPDATE reminder_log SET status = 'unreachable', last_error = ? WHERE " + WHERE_KEY, outcome.unreachable),
            ("UPDATE reminder_log SET status = 'failed', last_error = ? WHERE " + WHERE_KEY, outcome.failed),
            ("UPDATE reminder_log SET last_error = ? WHERE status = 'claimed' AND " + WHERE_KEY, outcome.uncertain),
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
            await tx.executemany(f"DELETE FROM reminder_log WHERE attempts <= 1 AND status = 'claimed' AND {WHERE_KEY}", keys)
            await tx.executemany(
                f"""UPDATE reminder_log SET status = 'failed', attempts = attempts - 1
                    WHERE status = 'claimed' AND {WHERE_KEY}""",
                keys,
            )


WHERE_KEY = "cadre_id = ? AND cell_id = ? AND quarter = ? AND kind = ?"


def key_values(key: ReminderKey) -> tuple[int, int, str, str]:
    """The reminder's key as the columns of reminder_log."""
    return (key.cadre_id, key.cell_id, key.quarter, key.kind)


async def mark_sent(db: Database, key: ReminderKey, *, now: str) -> None:
    """Sent: and the cadre is reachable again, whatever they did before."""
    async with db.transaction() as tx:
        await tx.execute(
            f"UPDATE reminder_log SET status = 'sent', sent_at = ?, last_error = NULL WHERE {WHERE_KEY}",
            (now, *key_values(key)),
        )
        await tx.execute(
            "UPDATE cadres SET unreachable_since = NULL WHERE id = ? AND unreachable_since IS NOT NULL",
            (key.cadre_id,),
        )


async def mark_unreachable(db: Database, key: ReminderKey, *, error: str, now: str) -> None:
    """Telegram refused (403): the cadre blocked the bot or never opened it."""
    async with db.transaction() as tx:
        await tx.execute(
            f"UPDATE reminder_log SET status = 'unreachable', last_error = ? WHERE {WHERE_KEY}",
            (error, *key_values(key)),
        )
        await tx.execute(
            "UPDATE cadres SET unreachable_since = coalesce(unreachable_since, ?) WHERE id = ?",
            (now, key.cadre_id),
        )


async def mark_failed(db: Executor, key: ReminderKey, *, error: str) -> None:
    """Not sent, certainly: a later sweep tries again (up to MAX_ATTEMPTS in all)."""
    await db.execute(
        f"UPDATE reminder_log SET status = 'failed', last_error = ? WHERE {WHERE_KEY}",
        (error, *key_values(key)),
    )


async def note_uncertain(db: Executor, key: ReminderKey, *, error: str) -> None:
    """Maybe sent (the answer was lost): the row stays 'claimed', never sent again."""
    await db.execute(
        f"UPDATE reminder_log SET last_error = ? WHERE {WHERE_KEY} AND status = 'claimed'",
        (error, *key_values(key)),
    )
