"""A cadre's messenger accounts: (channel, user id) rows (migration 0010).

One person may link a Telegram and a Zalo account to the same cadre. ``user_id`` is the
integer the handlers see (Zalo's string ids are mapped above every Telegram id by
storage/channel_state.py), so an id alone never names two people. Telegram accounts
mirror ``cadres.telegram_id`` (triggers in 0010) for the code that still reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.clock import parse_stamp, utc_stamp
from storage.db import Executor
from storage.records import Cadre

TELEGRAM = "telegram"
# last_used_at is rewritten at most this often: a write per update would cost every cadre.
TOUCH_EVERY = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Account:
    channel: str
    user_id: int
    cadre_id: int
    last_used_at: str | None


async def cadre_by_account(db: Executor, channel: str, user_id: int) -> Cadre | None:
    """The cadre linked to this messenger account, or None for a stranger."""
    from storage.roster import cadre_from_row  # noqa: PLC0415 - roster imports records too

    row = await db.fetchone(
        "SELECT c.* FROM accounts AS a JOIN cadres AS c ON c.id = a.cadre_id "
        "WHERE a.channel = ? AND a.user_id = ?",
        (channel, user_id),
    )
    return cadre_from_row(row) if row else None


async def accounts_of(db: Executor, cadre_id: int) -> list[Account]:
    """The cadre's accounts, the one used last first: where reminders and notices go."""
    rows = await db.fetchall(
        "SELECT channel, user_id, cadre_id, last_used_at FROM accounts WHERE cadre_id = ? "
        "ORDER BY COALESCE(last_used_at, linked_at) DESC, channel",
        (cadre_id,),
    )
    return [Account(r["channel"], int(r["user_id"]), int(r["cadre_id"]), r["last_used_at"]) for r in rows]


async def accounts_of_many(db: Executor, cadre_ids: list[int]) -> list[Account]:
    """``accounts_of`` for many cadres in one query, each cadre's used last first."""
    if not cadre_ids:
        return []
    marks = ", ".join("?" for _ in cadre_ids)
    rows = await db.fetchall(
        f"SELECT channel, user_id, cadre_id, last_used_at FROM accounts WHERE cadre_id IN ({marks}) "  # noqa: S608
        "ORDER BY cadre_id, COALESCE(last_used_at, linked_at) DESC, channel",
        list(cadre_ids),
    )
    return [Account(r["channel"], int(r["user_id"]), int(r["cadre_id"]), r["last_used_at"]) for r in rows]


async def touch(db: Executor, channel: str, user_id: int, now: datetime) -> None:
    """Remembers that the cadre used this messenger now (written at most every 10 minutes)."""
    await db.execute(
        "UPDATE accounts SET last_used_at = ? WHERE channel = ? AND user_id = ? "
        "AND (last_used_at IS NULL OR last_used_at < ?)",
        (utc_stamp(now), channel, user_id, utc_stamp(now - TOUCH_EVERY)),
    )


async def link(db: Executor, cadre_id: int, channel: str, user_id: int, now: str) -> None:
    """Links a non-Telegram account (Telegram goes through cadres.telegram_id).

    Raises the registration module's CadreTaken/AccountTaken like Telegram's linking.
    """
    from storage.registration import AccountTaken, CadreTaken  # noqa: PLC0415 - it imports us

    rows = await db.fetchall(
        "SELECT cadre_id, user_id FROM accounts WHERE channel = ? AND (cadre_id = ? OR user_id = ?)",
        (channel, cadre_id, user_id),
    )
    for row in rows:
        if row["cadre_id"] == cadre_id and row["user_id"] != user_id:
            raise CadreTaken(f"this cadre is linked to another {channel} account")
        if row["cadre_id"] != cadre_id:
            raise AccountTaken(f"this {channel} account is linked to another cadre")
    await db.execute(
        """INSERT INTO accounts (channel, user_id, cadre_id, linked_at, last_used_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (channel, user_id) DO UPDATE SET last_used_at = excluded.last_used_at""",
        (channel, user_id, cadre_id, now, now),
    )
    await db.execute("UPDATE cadres SET unreachable_since = NULL WHERE id = ?", (cadre_id,))


async def unlink_others(db: Executor, cadre_id: int) -> list[Account]:
    """Removes the cadre's non-Telegram accounts; returns what was removed."""
    removed = [a for a in await accounts_of(db, cadre_id) if a.channel != TELEGRAM]
    await db.execute("DELETE FROM accounts WHERE cadre_id = ? AND channel <> ?", (cadre_id, TELEGRAM))
    return removed


async def language_of_user(db: Executor, channel: str, user_id: int) -> str | None:
    """The language the account's cadre chose (/ngonngu); None when they chose none or are unknown."""
    return await db.fetchval(
        "SELECT c.language FROM accounts AS a JOIN cadres AS c ON c.id = a.cadre_id "
        "WHERE a.channel = ? AND a.user_id = ?",
        (channel, user_id),
    )


def used_since(account: Account, moment: datetime) -> bool:
    """Whether the account was used at or after ``moment``: the messenger used last is written to first."""
    return account.last_used_at is not None and parse_stamp(account.last_used_at) >= moment


async def user_data_of_other_accounts(db: Executor, cadre_id: int, channel: str) -> list[tuple[str, str]]:
    """(channel, persisted user data as JSON) of the cadre's accounts on other messengers:
    what they left unfinished there (a draft is kept per account, see handlers/visit.py)."""
    rows = await db.fetchall(
        "SELECT a.channel, u.data FROM accounts AS a JOIN user_data AS u ON u.user_id = a.user_id "
        "WHERE a.cadre_id = ? AND a.channel <> ? ORDER BY a.channel",
        (cadre_id, channel),
    )
    return [(row["channel"], row["data"]) for row in rows]
