"""Linking Telegram accounts to roster cadres."""

from __future__ import annotations

from storage.db import Executor


class AlreadyLinked(Exception):
    """The cadre, or the Telegram account, is linked already; re-linking needs an admin."""


async def link_telegram(db: Executor, cadre_id: int, telegram_id: int, now: str) -> None:
    """Links one Telegram account to one cadre, both ways unique."""
    rows = await db.fetchall(
        "SELECT id, telegram_id FROM cadres WHERE id = ? OR telegram_id = ?",
        (cadre_id, telegram_id),
    )
    for existing in rows:
        if existing["id"] == cadre_id and existing["telegram_id"] not in (None, telegram_id):
            raise AlreadyLinked("this cadre is linked to another Telegram account")
        if existing["id"] != cadre_id:
            raise AlreadyLinked("this Telegram account is linked to another cadre")
    await db.execute(
        "UPDATE cadres SET telegram_id = ?, linked_at = ?, unreachable_since = NULL WHERE id = ?",
        (telegram_id, now, cadre_id),
    )


async def unlink_telegram(db: Executor, cadre_id: int) -> None:
    await db.execute(
        "UPDATE cadres SET telegram_id = NULL, linked_at = NULL WHERE id = ?", (cadre_id,)
    )
