"""Cell meetings (migration 0021): announced, moved, cancelled, and who is invited.

A meeting's invitees are fixed when it is announced: the members assigned to the cell
who still owe it a visit that quarter (storage/obligations.py's one definition), the
announcer left out. Their answer («Tôi sẽ dự» / «Không dự được») belongs to the
meeting's current version: a move resets it, so an old message's button is stale.
The messages about a meeting are in storage/meeting_messages.py.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from domain.meetdays import as_local, stored
from domain.quarters import Quarter
from storage import audit, obligations
from storage.db import Database, Executor
from storage.obligations import OBLIGATIONS_SQL, obligation_params
from storage.summaries import _COMMUNE_OF_CELL, _in_scope

YES, NO = "yes", "no"
PLANNED, CANCELLED = "planned", "cancelled"


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    cell_id: int
    cell_name: str
    starts_at: datetime  # local, naive
    place: str
    agenda: str | None
    version: int
    status: str
    source: str
    meets_on: str | None = None

    @property
    def day(self) -> date:
        """The meeting's local date."""
        return self.starts_at.date()


@dataclass(frozen=True, slots=True)
class CellChoice:
    cell_id: int
    name: str
    commune_name: str | None
    meets_on: str | None


@dataclass(frozen=True, slots=True)
class Invite:
    meeting_id: int
    cadre_id: int
    answer: str | None  # for the current version only
    answered_at: str | None


_SELECT = """SELECT m.id, m.cell_id, c.name AS cell_name, m.starts_at, m.place, m.agenda, m.version,
                    m.status, m.source, c.meets_on
             FROM meetings AS m JOIN cells AS c ON c.id = m.cell_id"""


def _meeting(row: sqlite3.Row) -> Meeting:
    return Meeting(
        row["id"], row["cell_id"], row["cell_name"], as_local(row["starts_at"]), row["place"], row["agenda"],
        row["version"], row["status"], row["source"], row["meets_on"],
    )


# --- which cells a person may announce for ------------------------------------------------


_CELL_CHOICE = """SELECT c.id, c.name, commune.name AS commune_name, c.meets_on
FROM cells AS c
JOIN units AS village ON village.id = c.unit_id
LEFT JOIN units AS commune
     ON commune.id = CASE WHEN village.kind = 'commune' THEN village.id ELSE village.parent_id END"""


async def cells_of_secretary(db: Executor, secretary_id: int) -> list[CellChoice]:
    """The active cells this cadre is secretary of: theirs to announce meetings for."""
    rows = await db.fetchall(
        f"{_CELL_CHOICE} WHERE c.secretary_id = ? AND c.active = 1 ORDER BY c.name, c.id", (secretary_id,)
    )
    return [CellChoice(r["id"], r["name"], r["commune_name"], r["meets_on"]) for r in rows]


async def cells_by_id(db: Executor, cell_ids: list[int]) -> list[CellChoice]:
    """The cells with these ids, by name; unknown ids are left out."""
    if not cell_ids:
        return []
    marks = ",".join("?" * len(cell_ids))
    rows = await db.fetchall(f"{_CELL_CHOICE} WHERE c.id IN ({marks}) ORDER BY c.name, c.id", tuple(cell_ids))
    return [CellChoice(r["id"], r["name"], r["commune_name"], r["meets_on"]) for r in rows]


async def cells_of_cadre(db: Executor, cadre_id: int, today: date) -> list[int]:
    """The cells a cadre is assigned to today, and those they are the secretary of."""
    rows = await db.fetchall(
        """SELECT cell_id FROM assignments WHERE cadre_id = ? AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)
           UNION SELECT id FROM cells WHERE secretary_id = ? AND active = 1""",
        (cadre_id, today.isoformat(), today.isoformat(), cadre_id),
    )
    return [int(r[0]) for r in rows]


async def cells_with_regular_day(db: Executor) -> list[CellChoice]:
    """The active cells whose roster names a regular meeting day, for the derived meetings."""
    rows = await db.fetchall(f"{_CELL_CHOICE} WHERE c.active = 1 AND c.meets_on IS NOT NULL AND c.meets_on <> ''")
    return [CellChoice(r["id"], r["name"], r["commune_name"], r["meets_on"]) for r in rows]


# --- meetings ---------------------------------------------------------------------------------


async def get(db: Executor, meeting_id: int) -> Meeting | None:
    """The meeting, or None."""
    row = await db.fetchone(f"{_SELECT} WHERE m.id = ?", (meeting_id,))
    return _meeting(row) if row else None


async def upcoming(db: Executor, cell_ids: list[int], after: datetime, *, limit: int = 20) -> list[Meeting]:
    """The planned meetings of these cells that start after ``after`` (local), soonest first."""
    if not cell_ids:
        return []
    marks = ",".join("?" * len(cell_ids))
    rows = await db.fetchall(
        f"{_SELECT} WHERE m.cell_id IN ({marks}) AND m.status = 'planned' AND m.starts_at > ? "
        "ORDER BY m.starts_at, m.id LIMIT ?",
        (*cell_ids, stored(after), limit),
    )
    return [_meeting(r) for r in rows]


async def between(db: Executor, first: datetime, last: datetime) -> list[Meeting]:
    """Every meeting (cancelled too) starting in [first, last): what the sweep looks at."""
    rows = await db.fetchall(
        f"{_SELECT} WHERE m.starts_at >= ? AND m.starts_at < ? ORDER BY m.starts_at, m.id",
        (stored(first), stored(last)),
    )
    return [_meeting(r) for r in rows]


async def last_of_cell(db: Executor, cell_id: int) -> Meeting | None:
    """The cell's latest planned meeting, for «Như tháng trước»; None when there is none."""
    row = await db.fetchone(
        f"{_SELECT} WHERE m.cell_id = ? AND m.status = 'planned' ORDER BY m.starts_at DESC, m.id DESC LIMIT 1",
        (cell_id,),
    )
    return _meeting(row) if row else None


async def exists_on(db: Executor, cell_id: int, day: date) -> bool:
    """Whether the cell already has a meeting (planned or cancelled) that day."""
    return bool(await db.fetchval(
        "SELECT 1 FROM meetings WHERE cell_id = ? AND starts_at >= ? AND starts_at < ?",
        (cell_id, day.isoformat(), f"{day.isoformat()}T99"),
    ))


async def invitees(db: Executor, cell_id: int, day: date, *, leave_out: int | None) -> list[int]:
    """The cadres assigned to the cell on ``day`` who still owe it a visit that quarter."""
    quarter = Quarter.of(day)
    params = obligation_params(quarter.key, quarter.first_day, quarter.last_day, day,
                               await obligations.transfer_rule(db))
    rows = await db.fetchall(
        f"""WITH {OBLIGATIONS_SQL}
            SELECT o.cadre_id FROM obligations AS o
            WHERE o.cell_id = :cell AND o.status = 'due' AND o.cadre_id <> :leave_out
              AND EXISTS (SELECT 1 FROM assignments AS a WHERE a.cadre_id = o.cadre_id AND a.cell_id = o.cell_id
                          AND a.starts_on <= :day AND (a.ends_on IS NULL OR a.ends_on >= :day))
            ORDER BY o.cadre_id""",
        {**params, "cell": cell_id, "leave_out": leave_out or 0, "day": day.isoformat()},
    )
    return [int(r["cadre_id"]) for r in rows]


@dataclass(frozen=True, slots=True)
class NewMeeting:
    cell_id: int
    starts_at: datetime
    place: str
    agenda: str | None
    token: str
    source: str = "announced"


async def create(
    db: Database, new: NewMeeting, *, by: int | None, telegram_id: int | None, now: str
) -> tuple[int, bool]:
    """Stores the meeting and its invitations; (id, created). A second confirm of the same
    draft (its token) finds the first one and stores nothing."""
    async with db.transaction() as tx:
        existing = await tx.fetchval("SELECT id FROM meetings WHERE client_token = ?", (new.token,))
        if existing is not None:
            return int(existing), False
        meeting_id = await tx.execute(
            """INSERT INTO meetings (cell_id, starts_at, place, agenda, source, created_by, created_at, updated_at,
                                     client_token)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (new.cell_id, stored(new.starts_at), new.place, new.agenda, new.source, by, now, now, new.token),
        )
        invited = await invitees(tx, new.cell_id, new.starts_at.date(), leave_out=by)
        await tx.executemany(
            "INSERT INTO meeting_invites (meeting_id, cadre_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(meeting_id, cadre_id) for cadre_id in invited],
        )
        await audit.record(
            tx, at=now, action="meeting.announce", actor_id=by, telegram_id=telegram_id, subject_type="meeting",
            subject_id=meeting_id, details={"cell": new.cell_id, "starts_at": stored(new.starts_at),
                                            "invited": len(invited), "source": new.source},
        )
    return meeting_id, True


async def move(
    db: Database, meeting_id: int, *, version: int, starts_at: datetime, place: str, by: int | None,
    telegram_id: int | None, now: str,
) -> bool:
    """A new time (and place): a new version, answers asked again. False when the meeting
    changed meanwhile (another move or a cancel): nothing is written."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            """UPDATE meetings SET starts_at = ?, place = ?, version = version + 1, updated_at = ?
               WHERE id = ? AND version = ? AND status = 'planned'""",
            (stored(starts_at), place, now, meeting_id, version),
        )
        if not changed:
            return False
        await tx.execute(
            "UPDATE meeting_invites SET answer = NULL, answer_version = NULL, answered_at = NULL WHERE meeting_id = ?",
            (meeting_id,),
        )
        await audit.record(
            tx, at=now, action="meeting.move", actor_id=by, telegram_id=telegram_id, subject_type="meeting",
            subject_id=meeting_id, details={"starts_at": stored(starts_at), "version": version + 1},
        )
    return True


async def cancel(db: Database, meeting_id: int, *, by: int | None, telegram_id: int | None, now: str) -> bool:
    """Cancels a planned meeting, audited; False when it was no longer planned."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            "UPDATE meetings SET status = 'cancelled', updated_at = ? WHERE id = ? AND status = 'planned'",
            (now, meeting_id),
        )
        if changed:
            await audit.record(
                tx, at=now, action="meeting.cancel", actor_id=by, telegram_id=telegram_id, subject_type="meeting",
                subject_id=meeting_id,
            )
    return bool(changed)


# --- answers ----------------------------------------------------------------------------------


async def invite_of(db: Executor, meeting_id: int, cadre_id: int) -> Invite | None:
    """A cadre's invitation; the answer counts only if given to the meeting's current version."""
    row = await db.fetchone(
        """SELECT i.meeting_id, i.cadre_id, CASE WHEN i.answer_version = m.version THEN i.answer END AS answer,
                  i.answered_at
           FROM meeting_invites AS i JOIN meetings AS m ON m.id = i.meeting_id
           WHERE i.meeting_id = ? AND i.cadre_id = ?""",
        (meeting_id, cadre_id),
    )
    return Invite(row["meeting_id"], row["cadre_id"], row["answer"], row["answered_at"]) if row else None


async def answer(db: Database, meeting_id: int, cadre_id: int, *, version: int, value: str, now: str) -> bool:
    """Records the answer once for this version; False if already answered or stale."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            """UPDATE meeting_invites SET answer = ?, answer_version = ?, answered_at = ?
               WHERE meeting_id = ? AND cadre_id = ? AND (answer IS NULL OR answer_version IS NOT ?)
                 AND EXISTS (SELECT 1 FROM meetings AS m WHERE m.id = ? AND m.version = ? AND m.status = 'planned')""",
            (value, version, now, meeting_id, cadre_id, version, meeting_id, version),
        )
    return bool(changed)


async def answers(db: Executor, meeting_id: int) -> dict[str, int]:
    """Counts of yes / no / none for the current version (the announcer's view)."""
    rows = await db.fetchall(
        """SELECT CASE WHEN i.answer_version = m.version THEN i.answer ELSE 'none' END AS a, count(*) AS n
           FROM meeting_invites AS i JOIN meetings AS m ON m.id = i.meeting_id
           WHERE i.meeting_id = ? GROUP BY 1""",
        (meeting_id,),
    )
    return {r["a"] or "none": int(r["n"]) for r in rows}


# --- per cell in a quarter (summaries, workbook) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class CellMeetings:
    """One active cell of a scope in a quarter: its meetings announced (not cancelled)
    and, of those, the ones whose time has come (held)."""

    cell_name: str
    commune_name: str | None
    announced: int
    held: int


async def per_cell(db: Executor, scope: int | None, first_day: date, last_day: date, now: datetime) -> list[CellMeetings]:
    """Every active cell of the scope with its meetings in [first_day, last_day] (local
    days); ``now`` (local, naive) tells held from still to come."""
    with_scope, in_scope = _in_scope(scope, "cell.unit_id")
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT cell.name AS cell_name, commune.name AS commune_name,
                   count(m.id) AS announced, count(CASE WHEN m.starts_at <= :now THEN 1 END) AS held
            FROM cells AS cell {_COMMUNE_OF_CELL}
            LEFT JOIN meetings AS m ON m.cell_id = cell.id AND m.status = 'planned'
                 AND m.starts_at >= :first AND m.starts_at < :until
            WHERE cell.active = 1 AND {in_scope}
            GROUP BY cell.id ORDER BY commune.name, cell.name, cell.id""",
        {"scope": scope, "first": first_day.isoformat(), "until": f"{last_day.isoformat()}T99",
         "now": stored(now), "merged_by": last_day.isoformat()},
    )
    return [CellMeetings(r["cell_name"], r["commune_name"], int(r["announced"]), int(r["held"])) for r in rows]
