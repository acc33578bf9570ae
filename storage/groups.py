"""Group chats registered for summaries, and the digest log that sends each digest once.

A group is registered by an admin from inside it, for a unit (the organisation's top
unit, a commune, a village; NULL = everything) and a purpose: 'summary', or 'standing_committee' (which also
receives escalations, see storage/escalations.py ``destinations``). Unregistering keeps
the row, inactive, for the record.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from domain.textinput import fold
from storage import audit
from storage.db import Database, Executor
from storage.records import Unit, UnitKind
from storage.roster import _unit

PURPOSE_SUMMARY = "summary"
PURPOSE_STANDING_COMMITTEE = "standing_committee"
MAX_DIGEST_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class GroupChat:
    chat_id: int
    title: str
    unit_id: int | None
    purpose: str
    registered_by: int | None
    registered_at: str
    active: bool
    last_digest_message_id: int | None


def _group(row: sqlite3.Row) -> GroupChat:
    return GroupChat(
        row["chat_id"],
        row["title"],
        row["unit_id"],
        row["purpose"],
        row["registered_by"],
        row["registered_at"],
        bool(row["active"]),
        row["last_digest_message_id"],
    )


async def register(
    db: Database,
    *,
    chat_id: int,
    title: str,
    unit_id: int | None,
    purpose: str,
    by: int | None,
    telegram_id: int | None,
    now: str,
) -> None:
    """Registers (or re-registers, with a new scope or purpose) a group; audit-logged."""
    async with db.transaction() as tx:
        await tx.execute(
            """INSERT INTO group_chats (chat_id, title, unit_id, purpose, registered_by,
                                        registered_at, active)
               VALUES (?, ?, ?, ?, ?, ?, 1)
               ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title,
                   unit_id = excluded.unit_id, purpose = excluded.purpose,
                   registered_by = excluded.registered_by,
                   registered_at = excluded.registered_at, active = 1""",
            (chat_id, title, unit_id, purpose, by, now),
        )
        await audit.record(
            tx, at=now, action="group.register", actor_id=by, telegram_id=telegram_id,
            subject_type="group_chat", subject_id=chat_id, scope_unit_id=unit_id,
            details={"purpose": purpose},
        )


async def unregister(db: Database, chat_id: int, *, by: int | None, telegram_id: int | None, now: str) -> bool:
    """Stops a group's digests (/huydangky); audited. False when it was not registered."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            "UPDATE group_chats SET active = 0 WHERE chat_id = ? AND active = 1", (chat_id,)
        )
        if changed:
            await audit.record(
                tx, at=now, action="group.unregister", actor_id=by, telegram_id=telegram_id,
                subject_type="group_chat", subject_id=chat_id,
            )
    return bool(changed)


async def get(db: Executor, chat_id: int) -> GroupChat | None:
    """The registered group, active or not, or None."""
    row = await db.fetchone("SELECT * FROM group_chats WHERE chat_id = ?", (chat_id,))
    return _group(row) if row else None


async def active_groups(db: Executor) -> list[GroupChat]:
    """The groups that receive digests."""
    rows = await db.fetchall("SELECT * FROM group_chats WHERE active = 1 ORDER BY chat_id")
    return [_group(row) for row in rows]


async def deactivate(db: Executor, chat_id: int) -> None:
    """The bot was removed from the group (403): it gets no more digests."""
    await db.execute("UPDATE group_chats SET active = 0 WHERE chat_id = ?", (chat_id,))


async def move_chat(db: Database, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup and has a new id: its registration follows it."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE group_chats SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))
        await tx.execute("UPDATE digest_log SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))


async def set_last_digest(db: Executor, chat_id: int, message_id: int) -> None:
    """Remembers the digest's "still due" message, so it can later be edited in place."""
    await db.execute(
        "UPDATE group_chats SET last_digest_message_id = ? WHERE chat_id = ?", (message_id, chat_id)
    )


async def forget_last_digest(db: Executor, chat_id: int, message_id: int) -> None:
    """That message is gone (deleted, or the group moved): stop editing it. Only if it is
    still the one remembered — a newer digest's message stays."""
    await db.execute(
        "UPDATE group_chats SET last_digest_message_id = NULL WHERE chat_id = ? AND last_digest_message_id = ?",
        (chat_id, message_id),
    )


async def live_groups_for_cell(db: Executor, cell_id: int) -> list[GroupChat]:
    """Active groups with a digest to keep up to date whose scope contains the cell: the
    cell's unit walked up to the top (through parents and the units it was merged into),
    and groups scoped to any of those units or to all."""
    rows = await db.fetchall(
        """WITH RECURSIVE up(id, depth) AS (
               SELECT unit_id, 0 FROM cells WHERE id = ?
               UNION
               SELECT CASE WHEN step.n = 0 THEN u.parent_id ELSE u.merged_into_id END, up.depth + 1
               FROM units AS u JOIN up ON u.id = up.id JOIN (SELECT 0 AS n UNION ALL SELECT 1) AS step
               WHERE CASE WHEN step.n = 0 THEN u.parent_id ELSE u.merged_into_id END IS NOT NULL
                 AND up.depth < 10)
           SELECT g.* FROM group_chats AS g
           WHERE g.active = 1 AND g.last_digest_message_id IS NOT NULL
             AND (g.unit_id IS NULL OR g.unit_id IN (SELECT id FROM up))
           ORDER BY g.chat_id""",
        (cell_id,),
    )
    return [_group(row) for row in rows]


async def digest_of_message(db: Executor, chat_id: int, message_id: int) -> tuple[str, str] | None:
    """(kind, period) of the digest a message of the group belongs to: the latest one whose
    first message is not after it (a chat's message ids only grow)."""
    row = await db.fetchone(
        """SELECT kind, period FROM digest_log
           WHERE chat_id = ? AND message_id IS NOT NULL AND message_id <= ?
           ORDER BY message_id DESC LIMIT 1""",
        (chat_id, message_id),
    )
    return (row["kind"], row["period"]) if row else None


# --- the digest log: claim before send, as for reminders -----------------------------------


async def claim_digest(db: Database, chat_id: int, kind: str, period: str, *, now: str) -> bool:
    """Takes the right to send this digest (new, or failed before anything was sent)."""
    async with db.transaction() as tx:
        row = await tx.fetchone(
            """INSERT INTO digest_log (chat_id, kind, period, status, attempts, claimed_at)
               VALUES (?, ?, ?, 'claimed', 1, ?)
               ON CONFLICT (chat_id, kind, period) DO UPDATE
                   SET status = 'claimed', attempts = digest_log.attempts + 1,
                       claimed_at = excluded.claimed_at
                   WHERE digest_log.status = 'failed' AND digest_log.attempts < ?
               RETURNING id""",
            (chat_id, kind, period, now, MAX_DIGEST_ATTEMPTS),
        )
    return row is not None


async def finish_digest(
    db: Executor,
    chat_id: int,
    kind: str,
    period: str,
    *,
    status: str,
    error: str | None = None,
    message_id: int | None = None,
    now: str | None = None,
) -> None:
    """Records how the digest went ('claimed' keeps an uncertain one from being resent)."""
    await db.execute(
        """UPDATE digest_log SET status = ?, last_error = ?, message_id = ?, sent_at = ?
           WHERE chat_id = ? AND kind = ? AND period = ?""",
        (status, error, message_id, now if status == "sent" else None, chat_id, kind, period),
    )


async def digest_status(db: Executor, chat_id: int, kind: str, period: str) -> str | None:
    """How far the digest of this kind and period got in the group ('claimed', 'sent',
    'failed', 'unreachable'), or None when it was never started: a digest is never sent twice."""
    return await db.fetchval(
        "SELECT status FROM digest_log WHERE chat_id = ? AND kind = ? AND period = ?",
        (chat_id, kind, period),
    )


# --- scopes ---------------------------------------------------------------------------------


_PREFIXES = (
    "xa ", "phuong ", "dac khu ", "thi tran ", "tinh ", "thanh pho ", "huyen ", "quan ", "thi xa ",
)


def _bare_name(text: str) -> str:
    folded = fold(text)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


async def find_scope_units(db: Executor, text: str) -> list[Unit]:
    """The unit with this code (any kind: a commune's admin may scope a group to one of
    its villages), else provinces, districts and communes of this name (with or without
    diacritics)."""
    wanted = text.strip()
    row = await db.fetchone("SELECT * FROM units WHERE code = ? COLLATE NOCASE", (wanted,))
    if row is not None:
        return [_unit(row)]
    rows = await db.fetchall(
        "SELECT * FROM units WHERE kind <> ? ORDER BY kind, name", (UnitKind.VILLAGE.value,)
    )
    name = _bare_name(wanted)
    return [u for u in (_unit(row) for row in rows) if _bare_name(u.name) == name]
