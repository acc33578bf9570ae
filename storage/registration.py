"""Linking Telegram accounts to roster cadres, and the language each cadre reads."""

from __future__ import annotations

from storage import accounts, audit
from storage.db import Executor


class AlreadyLinked(Exception):
    """The cadre, or the Telegram account, is linked already; re-linking needs an admin."""


class CadreTaken(AlreadyLinked):
    """The cadre is linked to another Telegram account."""


class AccountTaken(AlreadyLinked):
    """The Telegram account is linked to another cadre."""


async def link_telegram(db: Executor, cadre_id: int, telegram_id: int, now: str) -> None:
    """Links one Telegram account to one cadre, both ways unique."""
    rows = await db.fetchall(
        "SELECT id, telegram_id FROM cadres WHERE id = ? OR telegram_id = ?",
        (cadre_id, telegram_id),
    )
    for existing in rows:
        if existing["id"] == cadre_id and existing["telegram_id"] not in (None, telegram_id):
            raise CadreTaken("this cadre is linked to another Telegram account")
        if existing["id"] != cadre_id:
            raise AccountTaken("this Telegram account is linked to another cadre")
    await db.execute(
        "UPDATE cadres SET telegram_id = ?, linked_at = ?, unreachable_since = NULL WHERE id = ?",
        (telegram_id, now, cadre_id),
    )


async def unlink_telegram(db: Executor, cadre_id: int) -> None:
    """Clears a cadre's Telegram link (no audit here: callers record why)."""
    await db.execute(
        "UPDATE cadres SET telegram_id = NULL, linked_at = NULL WHERE id = ?", (cadre_id,)
    )


async def link(
    tx: Executor, cadre_id: int, telegram_id: int, now: str, *, method: str, channel: str = accounts.TELEGRAM
) -> None:
    """Links and writes the audit entry; call inside a transaction so both or neither happen.

    ``telegram_id`` is the user id the handlers see on ``channel`` (a mapped id on Zalo).
    """
    if channel == accounts.TELEGRAM:
        await link_telegram(tx, cadre_id, telegram_id, now)
    else:
        await accounts.link(tx, cadre_id, channel, telegram_id, now)
    await audit.record(
        tx,
        at=now,
        action="cadre.link",
        actor_id=cadre_id,
        telegram_id=telegram_id,
        subject_type="cadre",
        subject_id=cadre_id,
        details={"method": method} | ({} if channel == accounts.TELEGRAM else {"channel": channel}),
    )


async def unlink(
    tx: Executor, cadre_id: int, *, actor_id: int | None, actor_telegram_id: int | None, now: str
) -> int | None:
    """An admin's unlinking, audited; returns the Telegram id that was linked (None: none was)."""
    previous = await tx.fetchval("SELECT telegram_id FROM cadres WHERE id = ?", (cadre_id,))
    others = await accounts.unlink_others(tx, cadre_id)
    if previous is None and not others:
        return None
    await unlink_telegram(tx, cadre_id)
    await audit.record(
        tx,
        at=now,
        action="cadre.unlink",
        actor_id=actor_id,
        telegram_id=actor_telegram_id,
        subject_type="cadre",
        subject_id=cadre_id,
        details={"telegram_id": previous} | ({"others": [a.user_id for a in others]} if others else {}),
    )
    return int(previous if previous is not None else others[0].user_id)


async def active_cadre_ids_by_phone(db: Executor, phone: str) -> list[int]:
    """Active cadres whose roster phone (stored as +84…) is ``phone``."""
    rows = await db.fetchall(
        "SELECT id FROM cadres WHERE phone = ? AND active = 1 ORDER BY id", (phone,)
    )
    return [int(row["id"]) for row in rows]


async def set_language(db: Executor, cadre_id: int, language: str | None) -> None:
    """The cadre's own choice of language (None: follow their Telegram's)."""
    await db.execute("UPDATE cadres SET language = ? WHERE id = ?", (language, cadre_id))
