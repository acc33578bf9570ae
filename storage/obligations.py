"""The quarterly obligation: excusals, local days off, and the rule for transfers.

The status of each (cadre, cell, quarter) is derived, never stored: **filed** (a report
for that quarter sent in time), **late** (sent after the quarter ended), **excused** (an
admin excused it), else **due**. A report always wins over an excusal: a cadre who went
anyway is counted as having gone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from storage import audit
from storage.db import Database, Executor


class Status(StrEnum):
    DUE = "due"
    FILED = "filed"
    LATE = "late"
    EXCUSED = "excused"


class TransferRule(StrEnum):
    """When an assignment starts or ends inside a quarter, is a visit owed for it?"""

    ANY_DAY = "any_day"  # yes, if the assignment ran on any day of the quarter
    AT_END = "at_end"  # only if it still runs on the quarter's last day (the leaver owes nothing)
    HALF = "half"  # only if it ran for at least half of the quarter


TRANSFER_RULE_KEY = "transfer_rule"


@dataclass(frozen=True, slots=True)
class Excusal:
    id: int
    cadre_id: int
    cell_id: int | None
    starts_on: date
    ends_on: date
    reason: str


def _excusal(row: sqlite3.Row) -> Excusal:
    return Excusal(
        row["id"],
        row["cadre_id"],
        row["cell_id"],
        date.fromisoformat(row["starts_on"]),
        date.fromisoformat(row["ends_on"]),
        row["reason"],
    )


async def excuse(
    db: Database,
    *,
    cadre_id: int,
    cell_id: int | None,
    starts_on: date,
    ends_on: date,
    reason: str,
    by: int | None,
    telegram_id: int | None,
    scope_unit_id: int | None,
    now: str,
) -> int:
    """Excuses a cadre for a span of days (of one cell; cell_id None: of all), audited;
    returns its id."""
    async with db.transaction() as tx:
        excusal_id = await tx.execute(
            """INSERT INTO excusals (cadre_id, cell_id, starts_on, ends_on, reason, created_by,
                                     created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (cadre_id, cell_id, starts_on.isoformat(), ends_on.isoformat(), reason, by, now),
        )
        await audit.record(
            tx, at=now, action="excusal.add", actor_id=by, telegram_id=telegram_id,
            subject_type="excusal", subject_id=excusal_id, scope_unit_id=scope_unit_id,
            details={"cadre_id": cadre_id, "cell_id": cell_id, "until": ends_on.isoformat()},
        )
    return excusal_id


async def revoke(db: Database, excusal_id: int, *, by: int | None, telegram_id: int | None, scope_unit_id: int | None, now: str) -> bool:
    """Revokes an excusal, audited; False when it was already revoked."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            "UPDATE excusals SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now, excusal_id)
        )
        if changed:
            await audit.record(
                tx, at=now, action="excusal.revoke", actor_id=by, telegram_id=telegram_id,
                subject_type="excusal", subject_id=excusal_id, scope_unit_id=scope_unit_id,
            )
    return bool(changed)


async def active_excusals(db: Executor, on_or_after: date) -> list[Excusal]:
    """Excusals not revoked that have not ended before the given day."""
    rows = await db.fetchall(
        "SELECT * FROM excusals WHERE revoked_at IS NULL AND ends_on >= ? ORDER BY starts_on, id",
        (on_or_after.isoformat(),),
    )
    return [_excusal(row) for row in rows]


async def get_excusal(db: Executor, excusal_id: int) -> Excusal | None:
    """The excusal, revoked or not, or None."""
    row = await db.fetchone("SELECT * FROM excusals WHERE id = ?", (excusal_id,))
    return _excusal(row) if row else None


async def local_days_off(db: Executor) -> list[date]:
    """The local days off admins added, besides the public holidays."""
    rows = await db.fetchall("SELECT day FROM local_days_off ORDER BY day")
    return [date.fromisoformat(row["day"]) for row in rows]


async def add_day_off(
    db: Database, day: date, reason: str, *, by: int | None, now: str, telegram_id: int | None = None
) -> bool:
    """Adds a local day off for everyone; audited, since no reminder goes out that day."""
    async with db.transaction() as tx:
        added = bool(
            await tx.execute_rowcount(
                """INSERT INTO local_days_off (day, reason, added_by, added_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (day) DO NOTHING""",
                (day.isoformat(), reason, by, now),
            )
        )
        if added:
            await audit.record(
                tx, at=now, action="day_off.add", actor_id=by, telegram_id=telegram_id, details={"day": day.isoformat()}
            )
    return added


async def remove_day_off(db: Database, day: date, *, by: int | None = None, now: str = "", telegram_id: int | None = None) -> bool:
    """Removes a local day off; audited like adding one."""
    async with db.transaction() as tx:
        removed = bool(await tx.execute_rowcount("DELETE FROM local_days_off WHERE day = ?", (day.isoformat(),)))
        if removed:
            await audit.record(
                tx, at=now, action="day_off.remove", actor_id=by, telegram_id=telegram_id,
                details={"day": day.isoformat()},
            )
    return removed


async def transfer_rule(db: Executor) -> TransferRule:
    """Who owes a visit when a cadre moves mid-quarter; the default for a missing or unknown value."""
    value = await db.fetchval("SELECT value FROM settings WHERE key = ?", (TRANSFER_RULE_KEY,))
    try:
        return TransferRule(value) if value else TransferRule.ANY_DAY
    except ValueError:
        return TransferRule.ANY_DAY


async def set_transfer_rule(db: Database, rule: TransferRule, *, by: int | None, telegram_id: int | None, now: str) -> None:
    """Sets the transfer rule for everyone (a top-unit admin's setting), audited."""
    async with db.transaction() as tx:
        await tx.execute(
            """INSERT INTO settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                   updated_by = excluded.updated_by, updated_at = excluded.updated_at""",
            (TRANSFER_RULE_KEY, rule.value, by, now),
        )
        await audit.record(
            tx, at=now, action="setting.transfer_rule", actor_id=by, telegram_id=telegram_id,
            details={"rule": rule.value},
        )


# The SQL every obligation query shares: the (cadre, cell) pairs owed in a quarter under
# the transfer rule, and their status. Parameters: :quarter, :first_day, :last_day,
# :as_of (the day the question is asked; the quarter's last day once it is over), :rule.
OBLIGATIONS_SQL = """
owed AS (
    SELECT a.cadre_id, a.cell_id,
           max(min(coalesce(a.ends_on, :last_day), :last_day)) AS until,
           max(julianday(min(coalesce(a.ends_on, :last_day), :last_day))
               - julianday(max(a.starts_on, :first_day)) + 1) AS days
    FROM assignments AS a
    JOIN cadres AS k ON k.id = a.cadre_id AND k.active = 1
    JOIN cells AS c ON c.id = a.cell_id AND c.active = 1
    WHERE a.starts_on <= :as_of AND (a.ends_on IS NULL OR a.ends_on >= :first_day)
    GROUP BY a.cadre_id, a.cell_id
),
obligations AS (
    SELECT owed.cadre_id, owed.cell_id,
           CASE
               WHEN EXISTS (SELECT 1 FROM visit_reports AS r
                            WHERE r.quarter = :quarter AND r.cadre_id = owed.cadre_id
                              AND r.cell_id = owed.cell_id AND r.status = 'submitted'
                              AND r.late = 0) THEN 'filed'
               WHEN EXISTS (SELECT 1 FROM visit_reports AS r
                            WHERE r.quarter = :quarter AND r.cadre_id = owed.cadre_id
                              AND r.cell_id = owed.cell_id AND r.status = 'submitted') THEN 'late'
               WHEN EXISTS (SELECT 1 FROM excusals AS e
                            WHERE e.cadre_id = owed.cadre_id AND e.revoked_at IS NULL
                              AND (e.cell_id IS NULL OR e.cell_id = owed.cell_id)
                              AND e.starts_on <= :last_day AND e.ends_on >= :first_day) THEN 'excused'
               ELSE 'due'
           END AS status
    FROM owed
    WHERE :rule = 'any_day'
       OR (:rule = 'at_end' AND owed.until >= :last_day)
       OR (:rule = 'half' AND owed.days * 2 >= julianday(:last_day) - julianday(:first_day) + 1)
)"""


@dataclass(frozen=True, slots=True)
class Obligation:
    cadre_id: int
    cell_id: int
    status: Status


def obligation_params(quarter_key: str, first_day: date, last_day: date, as_of: date, rule: TransferRule) -> dict[str, object]:
    """The named parameters of the obligation queries for one quarter as of one day."""
    return {
        "quarter": quarter_key,
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "as_of": min(as_of, last_day).isoformat(),
        "rule": rule.value,
    }


async def statuses(
    db: Executor, *, quarter_key: str, first_day: date, last_day: date, as_of: date
) -> list[Obligation]:
    """Every (cadre, cell) owed in the quarter with its status, under the current rule."""
    rule = await transfer_rule(db)
    rows = await db.fetchall(
        f"WITH {OBLIGATIONS_SQL} SELECT cadre_id, cell_id, status FROM obligations ORDER BY cadre_id, cell_id",
        obligation_params(quarter_key, first_day, last_day, as_of, rule),
    )
    return [Obligation(r["cadre_id"], r["cell_id"], Status(r["status"])) for r in rows]
