"""The savings fund's ledger: append-only, whole đồng, one unit's fund per treasurer's unit.

Nothing here UPDATEs or DELETEs a ledger row (triggers in 0023_fund.sql refuse it too): a
mistake is put right by a reversing entry, an aid is proposed by one row and approved or
refused by another. The balance is the sum of the signed amounts, and every step that
moves money checks it inside the same ``BEGIN IMMEDIATE`` transaction that writes, so two
treasurers or two admins at the same moment can neither lose an entry nor overdraw.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from storage import audit, scope
from storage.db import Database, Executor, Transaction
from storage.records import Cadre
from storage.roster import cadre_from_row

MOVES_MONEY = ("contribution", "aid_approved", "reversal")


class Outcome(StrEnum):
    DONE = "done"
    ALREADY = "already"  # decided or reversed before: nothing changes
    OVERDRAW = "overdraw"  # the balance would go below zero: refused
    MISSING = "missing"  # no such entry in this unit


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    unit_id: int
    kind: str
    amount: int
    cadre_id: int | None
    cadre_name: str | None
    month: str | None
    requested: int | None
    beneficiary_kind: str | None
    beneficiary: str | None
    reason: str | None
    at: str
    decides_id: int | None = None  # the proposal an approval or refusal decides
    reverses_id: int | None = None  # the entry a reversal undoes
    recorded_by: int | None = None  # the cadre who wrote it (a proposal: its treasurer)


@dataclass(frozen=True, slots=True)
class Proposal:
    """An aid proposed and not decided yet."""

    id: int
    unit_id: int
    unit_name: str
    amount: int
    beneficiary_kind: str
    beneficiary: str
    reason: str
    at: str


@dataclass(frozen=True, slots=True)
class NewAid:
    unit_id: int
    beneficiary_kind: str  # household | member
    beneficiary: str
    reason: str
    amount: int
    token: str


_ENTRY = """SELECT l.*, k.full_name AS cadre_name FROM fund_ledger AS l LEFT JOIN cadres AS k ON k.id = l.cadre_id"""


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        row["id"], row["unit_id"], row["kind"], int(row["amount"]), row["cadre_id"], row["cadre_name"], row["month"],
        row["requested"], row["beneficiary_kind"], row["beneficiary"], row["reason"], row["at"],
        row["decides_id"], row["reverses_id"], row["recorded_by"],
    )


# --- the rate -----------------------------------------------------------------------------------


async def rate(db: Executor, unit_id: int, default: int) -> int:
    value = await db.fetchval("SELECT amount FROM fund_rates WHERE unit_id = ?", (unit_id,))
    return int(value) if value is not None else default


async def set_rate(db: Database, unit_id: int, amount: int, *, by: int | None, telegram_id: int | None, now: str) -> None:
    """A unit's own monthly rate; audit-logged with the old and the new amount."""
    if not isinstance(amount, int) or amount <= 0:
        raise ValueError("a rate is a positive int of đồng")
    async with db.transaction() as tx:
        old = await tx.fetchval("SELECT amount FROM fund_rates WHERE unit_id = ?", (unit_id,))
        await tx.execute(
            """INSERT INTO fund_rates (unit_id, amount, set_by, set_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (unit_id) DO UPDATE SET amount = excluded.amount, set_by = excluded.set_by,
                                                    set_at = excluded.set_at""",
            (unit_id, amount, by, now),
        )
        await audit.record(tx, at=now, action="fund.rate", actor_id=by, telegram_id=telegram_id,
                           subject_type="unit", subject_id=unit_id, scope_unit_id=unit_id,
                           details={"old": old, "new": amount})


# --- contributions ------------------------------------------------------------------------------


async def balance(db: Executor, unit_id: int) -> int:
    return int(await db.fetchval("SELECT coalesce(sum(amount), 0) FROM fund_ledger WHERE unit_id = ?", (unit_id,)))


_PAID = """SELECT c.cadre_id FROM fund_ledger AS c
           WHERE c.unit_id = ? AND c.kind = 'contribution' AND c.month = ?
             AND NOT EXISTS (SELECT 1 FROM fund_ledger AS r WHERE r.reverses_id = c.id)"""


async def paid(db: Executor, unit_id: int, month: str) -> set[int]:
    """The cadres with a contribution (not reversed) for the month."""
    return {row["cadre_id"] for row in await db.fetchall(_PAID, (unit_id, month))}


async def record_contributions(
    db: Database, *, unit_id: int, month: str, cadre_ids: list[int], amount: int, token: str,
    by: int | None, telegram_id: int | None, now: str,
) -> tuple[int, bool]:
    """One confirm of /tietkiem: a contribution of ``amount`` for each cadre not yet paid
    for the month; (entries written, first time). The draft's token makes a second
    confirm (a double tap, a retry) find the first and write nothing; a cadre another
    treasurer recorded meanwhile is skipped, never counted twice."""
    if not isinstance(amount, int) or amount <= 0:
        raise ValueError("a contribution is a positive int of đồng")
    async with db.transaction() as tx:
        done = await tx.fetchval("SELECT recorded FROM fund_batches WHERE token = ?", (token,))
        if done is not None:
            return int(done), False
        already = {row["cadre_id"] for row in await tx.fetchall(_PAID, (unit_id, month))}
        fresh = [cadre_id for cadre_id in dict.fromkeys(cadre_ids) if cadre_id not in already]
        await tx.executemany(
            """INSERT INTO fund_ledger (unit_id, kind, amount, cadre_id, month, batch_token, recorded_by, at)
               VALUES (?, 'contribution', ?, ?, ?, ?, ?, ?)""",
            [(unit_id, amount, cadre_id, month, token, by, now) for cadre_id in fresh],
        )
        await tx.execute(
            "INSERT INTO fund_batches (token, unit_id, month, recorded, at) VALUES (?, ?, ?, ?, ?)",
            (token, unit_id, month, len(fresh), now),
        )
        await audit.record(tx, at=now, action="fund.contributions", actor_id=by, telegram_id=telegram_id,
                           subject_type="unit", subject_id=unit_id, scope_unit_id=unit_id,
                           details={"month": month, "cadres": len(fresh), "amount": amount})
    return len(fresh), True


async def months_of(db: Executor, cadre_id: int, limit: int = 12) -> list[tuple[str, int]]:
    """A cadre's own contributions (not reversed): (month, amount), newest first."""
    rows = await db.fetchall(
        """SELECT c.month, sum(c.amount) AS amount FROM fund_ledger AS c
           WHERE c.cadre_id = ? AND c.kind = 'contribution'
             AND NOT EXISTS (SELECT 1 FROM fund_ledger AS r WHERE r.reverses_id = c.id)
           GROUP BY c.month ORDER BY c.month DESC LIMIT ?""",
        (cadre_id, limit),
    )
    return [(row["month"], int(row["amount"])) for row in rows]


# --- aid: proposed, then approved or refused ------------------------------------------------------


async def propose_aid(db: Database, aid: NewAid, *, by: int | None, telegram_id: int | None, now: str) -> tuple[int, bool]:
    """The treasurer's proposal, a ledger row that moves no money; (id, first time)."""
    if not isinstance(aid.amount, int) or aid.amount <= 0:
        raise ValueError("an aid is a positive int of đồng")
    async with db.transaction() as tx:
        existing = await tx.fetchval(
            "SELECT id FROM fund_ledger WHERE kind = 'aid_proposed' AND batch_token = ?", (aid.token,)
        )
        if existing is not None:
            return int(existing), False
        proposal_id = await tx.execute(
            """INSERT INTO fund_ledger (unit_id, kind, amount, requested, beneficiary_kind, beneficiary, reason,
                                        batch_token, recorded_by, at)
               VALUES (?, 'aid_proposed', 0, ?, ?, ?, ?, ?, ?, ?)""",
            (aid.unit_id, aid.amount, aid.beneficiary_kind, aid.beneficiary, aid.reason, aid.token, by, now),
        )
        await audit.record(tx, at=now, action="fund.aid_proposed", actor_id=by, telegram_id=telegram_id,
                           subject_type="fund_ledger", subject_id=proposal_id, scope_unit_id=aid.unit_id,
                           details={"amount": aid.amount, "beneficiary_kind": aid.beneficiary_kind})
    return proposal_id, True


async def pending(db: Executor, unit_ids: set[int] | None, limit: int = 8) -> list[Proposal]:
    """Proposals nobody has decided, oldest first, of the given units (None: all)."""
    rows = await db.fetchall(
        """SELECT p.*, u.name AS unit_name FROM fund_ledger AS p JOIN units AS u ON u.id = p.unit_id
           WHERE p.kind = 'aid_proposed' AND NOT EXISTS (SELECT 1 FROM fund_ledger AS d WHERE d.decides_id = p.id)
           ORDER BY p.id""",
    )
    found = [
        Proposal(r["id"], r["unit_id"], r["unit_name"], int(r["requested"]), r["beneficiary_kind"], r["beneficiary"],
                 r["reason"], r["at"])
        for r in rows if unit_ids is None or r["unit_id"] in unit_ids
    ]
    return found[:limit]


async def proposal(db: Executor, proposal_id: int) -> Entry | None:
    row = await db.fetchone(f"{_ENTRY} WHERE l.id = ? AND l.kind = 'aid_proposed'", (proposal_id,))
    return _entry(row) if row else None


async def decide(
    db: Database, proposal_id: int, *, approve: bool, by: int | None, telegram_id: int | None, now: str
) -> tuple[Outcome, int]:
    """An admin's decision, once; an approval pays out only if the balance, read inside
    this transaction, covers it. (outcome, the balance after)."""
    async with db.transaction() as tx:
        row = await tx.fetchone("SELECT * FROM fund_ledger WHERE id = ? AND kind = 'aid_proposed'", (proposal_id,))
        if row is None:
            return Outcome.MISSING, 0
        unit_id, amount = row["unit_id"], int(row["requested"])
        current = await balance(tx, unit_id)
        if await tx.fetchval("SELECT 1 FROM fund_ledger WHERE decides_id = ?", (proposal_id,)):
            return Outcome.ALREADY, current
        if approve and amount > current:
            await _audit_refusal(tx, "fund.overdraw_refused", proposal_id, unit_id, by, telegram_id, now,
                                 {"amount": amount, "balance": current})
            return Outcome.OVERDRAW, current
        kind, moved = ("aid_approved", -amount) if approve else ("aid_refused", 0)
        entry_id = await tx.execute(
            """INSERT INTO fund_ledger (unit_id, kind, amount, requested, beneficiary_kind, beneficiary, reason,
                                        decides_id, recorded_by, at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (unit_id, kind, moved, amount, row["beneficiary_kind"], row["beneficiary"], row["reason"], proposal_id,
             by, now),
        )
        await audit.record(tx, at=now, action=f"fund.{kind}", actor_id=by, telegram_id=telegram_id,
                           subject_type="fund_ledger", subject_id=entry_id, scope_unit_id=unit_id,
                           details={"proposal": proposal_id, "amount": amount})
        return Outcome.DONE, current + moved


async def _audit_refusal(
    tx: Transaction, action: str, entry_id: int, unit_id: int, by: int | None, telegram_id: int | None, now: str,
    details: dict[str, object],
) -> None:
    await audit.record(tx, at=now, action=action, actor_id=by, telegram_id=telegram_id, subject_type="fund_ledger",
                       subject_id=entry_id, scope_unit_id=unit_id, details=details)


# --- corrections --------------------------------------------------------------------------------


async def reversible(db: Executor, unit_id: int, limit: int = 8) -> list[Entry]:
    """The latest entries that moved money and have not been reversed, newest first."""
    rows = await db.fetchall(
        f"""{_ENTRY} WHERE l.unit_id = ? AND l.kind IN ('contribution', 'aid_approved')
              AND NOT EXISTS (SELECT 1 FROM fund_ledger AS r WHERE r.reverses_id = l.id)
            ORDER BY l.id DESC LIMIT ?""",
        (unit_id, limit),
    )
    return [_entry(row) for row in rows]


async def reverse(
    db: Database, entry_id: int, *, unit_id: int, reason: str, by: int | None, telegram_id: int | None, now: str
) -> tuple[Outcome, int]:
    """A reversing entry: the opposite amount, pointing at the one it undoes (once). A
    contribution already spent cannot be reversed below a zero balance."""
    async with db.transaction() as tx:
        row = await tx.fetchone(
            "SELECT * FROM fund_ledger WHERE id = ? AND unit_id = ? AND kind IN ('contribution', 'aid_approved')",
            (entry_id, unit_id),
        )
        if row is None:
            return Outcome.MISSING, 0
        current = await balance(tx, unit_id)
        if await tx.fetchval("SELECT 1 FROM fund_ledger WHERE reverses_id = ?", (entry_id,)):
            return Outcome.ALREADY, current
        moved = -int(row["amount"])
        if current + moved < 0:
            await _audit_refusal(tx, "fund.overdraw_refused", entry_id, unit_id, by, telegram_id, now,
                                 {"reversal": entry_id, "balance": current})
            return Outcome.OVERDRAW, current
        reversal_id = await tx.execute(
            """INSERT INTO fund_ledger (unit_id, kind, amount, cadre_id, month, reason, reverses_id, recorded_by, at)
               VALUES (?, 'reversal', ?, ?, ?, ?, ?, ?, ?)""",
            (unit_id, moved, row["cadre_id"], row["month"], reason, entry_id, by, now),
        )
        await audit.record(tx, at=now, action="fund.reversal", actor_id=by, telegram_id=telegram_id,
                           subject_type="fund_ledger", subject_id=reversal_id, scope_unit_id=unit_id,
                           details={"reverses": entry_id, "amount": moved})
        return Outcome.DONE, current + moved


# --- reading ------------------------------------------------------------------------------------


async def recent_aid(db: Executor, unit_id: int, limit: int = 5) -> list[Entry]:
    """Aid paid out (and not reversed), newest first."""
    rows = await db.fetchall(
        f"""{_ENTRY} WHERE l.unit_id = ? AND l.kind = 'aid_approved'
              AND NOT EXISTS (SELECT 1 FROM fund_ledger AS r WHERE r.reverses_id = l.id)
            ORDER BY l.id DESC LIMIT ?""",
        (unit_id, limit),
    )
    return [_entry(row) for row in rows]


async def entries(db: Executor, unit_id: int) -> list[Entry]:
    """The whole ledger of a unit, oldest first (the export)."""
    return [_entry(row) for row in await db.fetchall(f"{_ENTRY} WHERE l.unit_id = ? ORDER BY l.id", (unit_id,))]


async def treasurer_units(db: Executor) -> list[tuple[int, str, str]]:
    """The units with an active treasurer or a ledger: (id, code, name), by name."""
    rows = await db.fetchall(
        """SELECT id, code, name FROM units WHERE id IN (
               SELECT unit_id FROM cadres WHERE treasurer = 1 AND active = 1 AND unit_id IS NOT NULL
               UNION SELECT unit_id FROM fund_ledger)
           ORDER BY name""",
    )
    return [(row["id"], row["code"], row["name"]) for row in rows]


async def entry(db: Executor, entry_id: int) -> Entry | None:
    row = await db.fetchone(f"{_ENTRY} WHERE l.id = ?", (entry_id,))
    return _entry(row) if row else None


async def approvers(db: Executor, unit_id: int) -> list[Cadre]:
    """The active admins whose scope holds the unit: those who may decide its aid. An
    admin's scope is their unit's subtree, or everything (storage/scope.py); a few rows."""
    rows = await db.fetchall("SELECT * FROM cadres WHERE role = 'admin' AND active = 1 ORDER BY id")
    found = []
    for row in rows:
        cadre = cadre_from_row(row)
        admin_scope = await scope.scope_of_admin(db, cadre)
        if admin_scope is None or unit_id in await scope.units_within(db, admin_scope):
            found.append(cadre)
    return found
