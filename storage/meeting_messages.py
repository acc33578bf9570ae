"""The messages about a meeting to each invitee, claimed before they are sent.

One row per (meeting, version, cadre, kind) in meeting_messages, exactly as reminder_log's
rows: inserted as 'claimed' just before the send (a row already there means someone
else has it), then marked 'sent', 'unreachable' or 'failed'; a 'failed' one is re-taken
up to MAX_ATTEMPTS times, a 'claimed' one whose outcome is unknown never again.

kinds: ``invite`` (once per invitee, whatever the version), ``moved`` (once per version
to those invited before it), ``cancelled`` (once), ``eve``/``morning`` (per version, to
those who accepted or did not answer), ``after`` (the report's button, per version).
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database, Executor

MAX_ATTEMPTS = 3
INVITE, MOVED, CANCELLED, EVE, MORNING, AFTER = "invite", "moved", "cancelled", "eve", "morning", "after"
# Who gets each kind: every invitee, or only those who have not said no.
TO_ALL = frozenset({INVITE, MOVED, CANCELLED})


@dataclass(frozen=True, slots=True)
class Recipient:
    cadre_id: int
    language: str | None
    answer: str | None  # for the current version


_LIVE = "(s.status <> 'failed' OR s.attempts >= :max)"

_CONDITION = {
    # Never invited before (in any version).
    INVITE: f"""NOT EXISTS (SELECT 1 FROM meeting_messages AS s WHERE s.meeting_id = i.meeting_id
                     AND s.cadre_id = i.cadre_id AND s.kind = 'invite' AND {_LIVE})""",
    # Invited at an earlier version, not yet told of this one.
    MOVED: f"""EXISTS (SELECT 1 FROM meeting_messages AS s WHERE s.meeting_id = i.meeting_id
                 AND s.cadre_id = i.cadre_id AND s.kind = 'invite' AND s.version < :version AND s.status <> 'failed')
               AND NOT EXISTS (SELECT 1 FROM meeting_messages AS s WHERE s.meeting_id = i.meeting_id
                 AND s.cadre_id = i.cadre_id AND s.kind = 'moved' AND s.version = :version AND {_LIVE})""",
    # Invited (any version), not yet told.
    CANCELLED: f"""EXISTS (SELECT 1 FROM meeting_messages AS s WHERE s.meeting_id = i.meeting_id
                     AND s.cadre_id = i.cadre_id AND s.kind = 'invite' AND s.status <> 'failed')
                   AND NOT EXISTS (SELECT 1 FROM meeting_messages AS s WHERE s.meeting_id = i.meeting_id
                     AND s.cadre_id = i.cadre_id AND s.kind = 'cancelled' AND {_LIVE})""",
}
# eve, morning, after: invited, has not said no to this version, not yet sent at this version.
_REMINDER = f"""EXISTS (SELECT 1 FROM meeting_messages AS s WHERE s.meeting_id = i.meeting_id
                  AND s.cadre_id = i.cadre_id AND s.kind = 'invite' AND s.status <> 'failed')
                AND NOT (coalesce(i.answer_version, 0) = :version AND coalesce(i.answer, '') = 'no')
                AND NOT EXISTS (SELECT 1 FROM meeting_messages AS s WHERE s.meeting_id = i.meeting_id
                  AND s.cadre_id = i.cadre_id AND s.kind = :kind AND s.version = :version AND {_LIVE})"""
# after: and has not reported on the cell that quarter already.
_NOT_REPORTED = """NOT EXISTS (SELECT 1 FROM visit_reports AS r WHERE r.cadre_id = i.cadre_id
                     AND r.cell_id = :cell AND r.quarter = :quarter AND r.status = 'submitted')"""


_INVITED_BEFORE = """EXISTS (SELECT 1 FROM meeting_messages AS s WHERE s.meeting_id = i.meeting_id
                       AND s.cadre_id = i.cadre_id AND s.kind = 'invite' AND s.claimed_at < :before)
                     AND NOT EXISTS (SELECT 1 FROM meeting_messages AS s WHERE s.meeting_id = i.meeting_id
                       AND s.cadre_id = i.cadre_id AND s.kind = 'moved' AND s.version = :version
                       AND s.claimed_at >= :before)"""


async def recipients(
    db: Executor, meeting_id: int, *, cell_id: int, version: int, kind: str, quarter: str = "",
    invited_before: str | None = None,
) -> list[Recipient]:
    """The invitees still owed a message of ``kind`` about this version of the meeting;
    ``invited_before`` (a UTC stamp): only those whose invitation (or the news of this
    version's move) was claimed before it — a reminder never arrives with its invitation."""
    condition = _CONDITION.get(kind, _REMINDER)
    if kind == AFTER:
        condition += f" AND {_NOT_REPORTED}"
    if invited_before is not None:
        condition += f" AND {_INVITED_BEFORE}"
    rows = await db.fetchall(
        f"""SELECT i.cadre_id, k.language, CASE WHEN i.answer_version = :version THEN i.answer END AS answer
            FROM meeting_invites AS i JOIN cadres AS k ON k.id = i.cadre_id AND k.active = 1
            WHERE i.meeting_id = :meeting AND {condition}
            ORDER BY i.cadre_id""",
        {"meeting": meeting_id, "version": version, "kind": kind, "max": MAX_ATTEMPTS, "cell": cell_id,
         "quarter": quarter, "before": invited_before},
    )
    return [Recipient(int(r["cadre_id"]), r["language"], r["answer"]) for r in rows]


async def claim(db: Database, meeting_id: int, version: int, cadre_id: int, kind: str, *, now: str) -> bool:
    """Takes the right to send this message (or re-takes a failed one): True if ours."""
    async with db.transaction() as tx:
        row = await tx.fetchone(
            """INSERT INTO meeting_messages (meeting_id, version, cadre_id, kind, status, claimed_at)
               VALUES (?, ?, ?, ?, 'claimed', ?)
               ON CONFLICT (meeting_id, version, cadre_id, kind) DO UPDATE
                   SET status = 'claimed', attempts = meeting_messages.attempts + 1, claimed_at = excluded.claimed_at
                   WHERE meeting_messages.status = 'failed' AND meeting_messages.attempts < ?
               RETURNING attempts""",
            (meeting_id, version, cadre_id, kind, now, MAX_ATTEMPTS),
        )
    return row is not None


async def finish(
    db: Executor, meeting_id: int, version: int, cadre_id: int, kind: str, *, status: str, error: str | None, now: str
) -> None:
    """The outcome: 'sent', 'unreachable', 'failed', or 'claimed' (uncertain: kept, never resent)."""
    await db.execute(
        """UPDATE meeting_messages SET status = ?, last_error = ?, sent_at = CASE WHEN ? = 'sent' THEN ? END
           WHERE meeting_id = ? AND version = ? AND cadre_id = ? AND kind = ?""",
        (status, error, status, now, meeting_id, version, cadre_id, kind),
    )


async def counts(db: Executor, meeting_id: int) -> dict[tuple[str, int], int]:
    """Sent messages per (kind, version): for tests and the operator."""
    rows = await db.fetchall(
        "SELECT kind, version, count(*) AS n FROM meeting_messages WHERE meeting_id = ? AND status = 'sent' "
        "GROUP BY kind, version",
        (meeting_id,),
    )
    return {(r["kind"], int(r["version"])): int(r["n"]) for r in rows}
