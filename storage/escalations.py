"""Issues escalated to the Standing Committee (báo cáo Ban Thường vụ) and their answers."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from storage import audit
from storage.db import Database, Executor
from storage.records import Role


@dataclass(frozen=True, slots=True)
class Escalation:
    issue_id: int
    report_id: int
    description: str
    status: str  # open | acknowledged | answered | closed
    answer: str | None
    cadre_id: int
    cadre_name: str
    cadre_telegram_id: int | None
    cell_id: int
    cell_name: str
    commune_name: str | None
    meeting_date: date
    reported_at: str


_SELECT = """
SELECT i.id AS issue_id, i.report_id, i.description, i.status, i.answer,
       r.cadre_id, c.full_name AS cadre_name, c.telegram_id AS cadre_telegram_id,
       r.cell_id, cell.name AS cell_name, commune.name AS commune_name, r.meeting_date,
       r.submitted_at AS reported_at
FROM visit_issues AS i
JOIN visit_reports AS r ON r.id = i.report_id
JOIN cadres AS c ON c.id = r.cadre_id
JOIN cells AS cell ON cell.id = r.cell_id
JOIN units AS village ON village.id = cell.unit_id
LEFT JOIN units AS commune
     ON commune.id = CASE WHEN village.kind = 'commune' THEN village.id ELSE village.parent_id END
"""


def _escalation(row: sqlite3.Row) -> Escalation:
    return Escalation(
        issue_id=row["issue_id"],
        report_id=row["report_id"],
        description=row["description"],
        status=row["status"],
        answer=row["answer"],
        cadre_id=row["cadre_id"],
        cadre_name=row["cadre_name"],
        cadre_telegram_id=row["cadre_telegram_id"],
        cell_id=row["cell_id"],
        cell_name=row["cell_name"],
        commune_name=row["commune_name"],
        meeting_date=date.fromisoformat(row["meeting_date"]),
        reported_at=row["reported_at"],
    )


async def unposted(db: Executor, report_id: int) -> list[Escalation]:
    """The report's open escalations that have not been posted anywhere yet."""
    rows = await db.fetchall(
        _SELECT
        + """WHERE i.report_id = ? AND i.resolution = 'escalated' AND i.status = 'open'
             AND NOT EXISTS (SELECT 1 FROM escalation_posts p WHERE p.issue_id = i.id)
             ORDER BY i.position""",
        (report_id,),
    )
    return [_escalation(row) for row in rows]


async def get(db: Executor, issue_id: int) -> Escalation | None:
    """The escalated issue, or None when it does not exist or was not escalated."""
    row = await db.fetchone(_SELECT + "WHERE i.id = ? AND i.resolution = 'escalated'", (issue_id,))
    return _escalation(row) if row else None


async def open_ones(db: Executor, scope: int | None = None, limit: int = 50) -> list[Escalation]:
    """Escalations still waiting for an answer, oldest first, within a unit's subtree."""
    rows = await db.fetchall(
        """WITH RECURSIVE subtree(id) AS (
               SELECT id FROM units WHERE ? IS NULL OR id = ?
               UNION SELECT u.id FROM units AS u JOIN subtree AS s
                     ON u.parent_id = s.id OR u.merged_into_id = s.id)"""
        + _SELECT
        + """WHERE i.resolution = 'escalated' AND i.status IN ('open', 'acknowledged')
                 AND r.status = 'submitted' AND cell.unit_id IN subtree
             ORDER BY r.submitted_at, i.position LIMIT ?""",
        (scope, scope, limit),
    )
    return [_escalation(row) for row in rows]


async def destinations(db: Executor, extra_admin_ids: frozenset[int]) -> list[int]:
    """Where escalations go: the Standing Committee's groups, or else every admin."""
    groups = await db.fetchall(
        """SELECT chat_id FROM group_chats
           WHERE purpose = 'standing_committee' AND active = 1 ORDER BY chat_id"""
    )
    if groups:
        return [row["chat_id"] for row in groups]
    # Every messenger account of every admin: each process posts on the ones it serves,
    # and acknowledging on one updates the copies on the other (record_post keeps them all).
    admins = await db.fetchall(
        """SELECT a.user_id FROM accounts AS a JOIN cadres AS c ON c.id = a.cadre_id
            WHERE c.role = ? AND c.active = 1""",
        (Role.ADMIN.value,),
    )
    return sorted({row["user_id"] for row in admins} | set(extra_admin_ids))


async def record_post(db: Executor, issue_id: int, chat_id: int, message_id: int, now: str) -> None:
    """Remembers where the escalation was posted, so every copy is updated when it is answered."""
    await db.execute(
        """INSERT INTO escalation_posts (issue_id, chat_id, message_id, posted_at)
           VALUES (?, ?, ?, ?)
           ON CONFLICT (issue_id, chat_id) DO NOTHING""",
        (issue_id, chat_id, message_id, now),
    )


async def posts(db: Executor, issue_id: int) -> list[tuple[int, int]]:
    """(chat id, message id) of every copy of the escalation's post."""
    rows = await db.fetchall(
        "SELECT chat_id, message_id FROM escalation_posts WHERE issue_id = ?", (issue_id,)
    )
    return [(row["chat_id"], row["message_id"]) for row in rows]


async def acknowledge(db: Database, issue_id: int, *, by: int | None, telegram_id: int, now: str) -> bool:
    """Open → acknowledged; False when it was acknowledged or answered already."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            """UPDATE visit_issues SET status = 'acknowledged', acknowledged_by = ?,
                   acknowledged_at = ?
               WHERE id = ? AND resolution = 'escalated' AND status = 'open'""",
            (by, now, issue_id),
        )
        if changed:
            await audit.record(
                tx, at=now, action="escalation.acknowledge", actor_id=by, telegram_id=telegram_id,
                subject_type="visit_issue", subject_id=issue_id,
            )
    return bool(changed)


async def answer(
    db: Database, issue_id: int, text: str, *, by: int | None, telegram_id: int, now: str
) -> bool:
    """Stores the Standing Committee's answer; False when it was answered already."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            """UPDATE visit_issues SET status = 'answered', answer = ?, answered_by = ?,
                   answered_at = ?,
                   acknowledged_by = coalesce(acknowledged_by, ?),
                   acknowledged_at = coalesce(acknowledged_at, ?)
               WHERE id = ? AND resolution = 'escalated' AND status IN ('open', 'acknowledged')""",
            (text, by, now, by, now, issue_id),
        )
        if changed:
            await audit.record(
                tx, at=now, action="escalation.answer", actor_id=by, telegram_id=telegram_id,
                subject_type="visit_issue", subject_id=issue_id,
            )
    return bool(changed)
