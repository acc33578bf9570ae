"""The inspection reminders' claims: one reminder per (model, due period, inspector),
taken before it is sent and marked after, as storage/meeting_messages.py does for
meetings. 'claimed' whose outcome is unknown is never sent again (at most once); 'failed'
(certainly not delivered) is re-taken by a later sweep, MAX_ATTEMPTS times in all.

The claim re-checks, in the same statement, that the model is still open and the cadre
still its inspector, so a conversion or a new inspector during a sweep stops the
reminder about to go. That the model is still due is checked by the sweep just before.
"""

from __future__ import annotations

from datetime import date

from storage.db import Database, Executor

MAX_ATTEMPTS = 3


async def claim(db: Database, model_id: int, period: date, cadre_id: int, *, now: str) -> bool:
    """Takes the right to send this reminder (or re-takes a failed one): True if ours."""
    async with db.transaction() as tx:
        row = await tx.fetchone(
            """INSERT INTO inspection_reminders (model_id, period, cadre_id, status, claimed_at)
               SELECT ?, ?, ?, 'claimed', ?
               WHERE EXISTS (SELECT 1 FROM models WHERE id = ? AND inspector_id = ?
                                                    AND status IN ('active', 'replicated'))
               ON CONFLICT (model_id, period, cadre_id) DO UPDATE
                   SET status = 'claimed', attempts = inspection_reminders.attempts + 1,
                       claimed_at = excluded.claimed_at
                   WHERE inspection_reminders.status = 'failed' AND inspection_reminders.attempts < ?
               RETURNING attempts""",
            (model_id, period.isoformat(), cadre_id, now, model_id, cadre_id, MAX_ATTEMPTS),
        )
    return row is not None


async def finish(
    db: Executor, model_id: int, period: date, cadre_id: int, *, status: str, error: str | None, now: str
) -> None:
    """The outcome: 'sent', 'unreachable', 'failed', or 'claimed' (uncertain: kept, never resent)."""
    await db.execute(
        """UPDATE inspection_reminders SET status = ?, last_error = ?, sent_at = CASE WHEN ? = 'sent' THEN ? END
           WHERE model_id = ? AND period = ? AND cadre_id = ?""",
        (status, error, status, now, model_id, period.isoformat(), cadre_id),
    )


async def sent_count(db: Executor, model_id: int) -> int:
    """Reminders sent about a model, every period: for tests and the operator."""
    return int(
        await db.fetchval(
            "SELECT count(*) FROM inspection_reminders WHERE model_id = ? AND status = 'sent'", (model_id,)
        )
    )
