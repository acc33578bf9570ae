"""The audit log: who did what, for the Standing Committee and for disputes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.db import Executor


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    actor_id: int | None
    telegram_id: int | None
    action: str
    subject_type: str | None
    subject_id: int | None
    scope_unit_id: int | None
    details: dict[str, Any]


async def record(
    db: Executor,
    *,
    at: str,
    action: str,
    actor_id: int | None = None,
    telegram_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    scope_unit_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Appends one audit row (who, what, on what, in which scope); returns its id.

    Called inside the transaction of the change it records, so a change is never stored
    without its audit row, nor the row without the change."""
    return await db.execute(
        """INSERT INTO audit_log (at, actor_id, telegram_id, action, subject_type, subject_id,
                                  scope_unit_id, details)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            at,
            actor_id,
            telegram_id,
            action,
            subject_type,
            subject_id,
            scope_unit_id,
            json.dumps(details or {}, ensure_ascii=False),
        ),
    )


async def entries(db: Executor, *, action: str | None = None, limit: int = 100) -> list[AuditEntry]:
    """The newest entries first, optionally of one action."""
    rows = await db.fetchall(
        """SELECT * FROM audit_log WHERE (? IS NULL OR action = ?)
           ORDER BY id DESC LIMIT ?""",
        (action, action, limit),
    )
    return [
        AuditEntry(
            row["id"],
            row["at"],
            row["actor_id"],
            row["telegram_id"],
            row["action"],
            row["subject_type"],
            row["subject_id"],
            row["scope_unit_id"],
            json.loads(row["details"]),
        )
        for row in rows
    ]
