"""Invite codes (hashed), their use, and the failed attempts that rate-limit guessing.

Codes arrive here already hashed (bot/invites.py): nothing in the database can show a
code again. Times are UTC stamps, compared as text.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from storage import registration
from storage.db import Database, Executor
from storage.registration import AccountTaken, CadreTaken


@dataclass(frozen=True, slots=True)
class Invite:
    id: int
    cadre_id: int
    created_at: str
    expires_at: str
    used_at: str | None
    used_by_telegram_id: int | None
    revoked_at: str | None


class Outcome(StrEnum):
    LINKED = "linked"
    UNKNOWN = "unknown"  # no such code (or its cadre left the roster)
    USED = "used"
    REVOKED = "revoked"  # a newer code was made for the same cadre
    EXPIRED = "expired"
    CADRE_TAKEN = "cadre_taken"  # the cadre is linked to another account
    ACCOUNT_TAKEN = "account_taken"  # this account is linked to another cadre


@dataclass(frozen=True, slots=True)
class Redemption:
    outcome: Outcome
    cadre_id: int | None = None


def _invite(row: sqlite3.Row) -> Invite:
    return Invite(
        row["id"],
        row["cadre_id"],
        row["created_at"],
        row["expires_at"],
        row["used_at"],
        row["used_by_telegram_id"],
        row["revoked_at"],
    )


async def salt(db: Executor) -> str:
    """The database's key for hashing codes (made by migration 0003)."""
    value = await db.fetchval("SELECT salt FROM invite_salt WHERE id = 1")
    assert value is not None, "migration 0003 makes the salt"
    return str(value)


async def create(tx: Executor, cadre_id: int, code_hash: str, *, now: str, expires_at: str) -> int:
    """Stores a new code for a cadre; their older unused codes stop working."""
    await tx.execute(
        """UPDATE invite_codes SET revoked_at = ?
           WHERE cadre_id = ? AND used_at IS NULL AND revoked_at IS NULL""",
        (now, cadre_id),
    )
    return await tx.execute(
        """INSERT INTO invite_codes (cadre_id, code_hash, created_at, expires_at)
           VALUES (?, ?, ?, ?)""",
        (cadre_id, code_hash, now, expires_at),
    )


async def find(db: Executor, code_hash: str) -> Invite | None:
    """The invite by its code's hash (plain codes are never stored), or None."""
    row = await db.fetchone("SELECT * FROM invite_codes WHERE code_hash = ?", (code_hash,))
    return _invite(row) if row else None


async def of_cadre(db: Executor, cadre_id: int) -> list[Invite]:
    """Every code made for a cadre, oldest first."""
    rows = await db.fetchall(
        "SELECT * FROM invite_codes WHERE cadre_id = ? ORDER BY id", (cadre_id,)
    )
    return [_invite(row) for row in rows]


def _unusable(invite: Invite | None, now: str) -> Outcome | None:
    if invite is None:
        return Outcome.UNKNOWN
    if invite.used_at is not None:
        return Outcome.USED
    if invite.revoked_at is not None:
        return Outcome.REVOKED
    if invite.expires_at <= now:
        return Outcome.EXPIRED
    return None


async def redeem(db: Database, code_hash: str, telegram_id: int, now: str, *, channel: str = "telegram") -> Redemption:
    """Uses a code: links the account to the code's cadre, marks the code used and audits
    the link, all in one transaction. Nothing changes unless the outcome is LINKED."""
    invite: Invite | None = None
    try:
        async with db.transaction() as tx:
            invite = await find(tx, code_hash)
            refused = _unusable(invite, now)
            if refused is not None or invite is None:
                return Redemption(refused or Outcome.UNKNOWN)
            active = await tx.fetchval("SELECT active FROM cadres WHERE id = ?", (invite.cadre_id,))
            if not active:
                return Redemption(Outcome.UNKNOWN)
            await registration.link(tx, invite.cadre_id, telegram_id, now, method="invite", channel=channel)
            await tx.execute(
                "UPDATE invite_codes SET used_at = ?, used_by_telegram_id = ? WHERE id = ?",
                (now, telegram_id, invite.id),
            )
    except CadreTaken:
        return Redemption(Outcome.CADRE_TAKEN, invite.cadre_id if invite else None)
    except AccountTaken:
        return Redemption(Outcome.ACCOUNT_TAKEN, invite.cadre_id if invite else None)
    return Redemption(Outcome.LINKED, invite.cadre_id)


# --- failed attempts ---------------------------------------------------------------------


async def record_failure(db: Executor, telegram_id: int, now: str, *, forget_before: str) -> None:
    """Counts a failed attempt; attempts older than ``forget_before`` are dropped meanwhile."""
    await db.execute("DELETE FROM invite_attempts WHERE at < ?", (forget_before,))
    await db.execute(
        "INSERT INTO invite_attempts (telegram_id, at) VALUES (?, ?)", (telegram_id, now)
    )


async def failures_since(db: Executor, telegram_id: int, since: str) -> list[str]:
    """The times of the account's failed attempts since ``since``, oldest first."""
    rows = await db.fetchall(
        "SELECT at FROM invite_attempts WHERE telegram_id = ? AND at >= ? ORDER BY at",
        (telegram_id, since),
    )
    return [row["at"] for row in rows]


# --- who gets codes ------------------------------------------------------------------------


async def unlinked_cadre_codes(db: Executor, channel: str = "telegram") -> list[str]:
    """Roster codes of the active cadres with no account on ``channel`` yet."""
    rows = await db.fetchall(
        """SELECT code FROM cadres AS c WHERE active = 1
              AND NOT EXISTS (SELECT 1 FROM accounts AS a WHERE a.cadre_id = c.id AND a.channel = ?)
            ORDER BY code""",
        (channel,),
    )
    return [row["code"] for row in rows]
