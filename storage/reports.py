"""Visit reports (báo cáo dự sinh hoạt), the issues raised at them, and their photos.

A report is written in one transaction with its issues, attachments and audit entry,
keyed by the draft's token: whatever the network or a double tap does, the same draft
is stored once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date

from storage import audit
from storage.db import Database, Executor


@dataclass(frozen=True, slots=True)
class IssueInput:
    description: str
    escalate: bool


@dataclass(frozen=True, slots=True)
class AttachmentInput:
    kind: str  # 'photo' | 'document'
    file_id: str
    file_unique_id: str | None = None


@dataclass(frozen=True, slots=True)
class VisitReportInput:
    token: str
    cadre_id: int
    filed_by_id: int
    cell_id: int
    meeting_date: date
    quarter: str
    late: bool
    disseminated: str
    issues: tuple[IssueInput, ...] = ()
    attachments: tuple[AttachmentInput, ...] = ()
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class VisitIssue:
    id: int
    report_id: int
    position: int
    description: str
    escalated: bool
    status: str
    answer: str | None


@dataclass(frozen=True, slots=True)
class VisitReport:
    id: int
    token: str
    cadre_id: int
    filed_by_id: int
    cell_id: int
    meeting_date: date
    quarter: str
    late: bool
    disseminated: str
    latitude: float | None
    longitude: float | None
    status: str
    submitted_at: str
    updated_at: str
    issues: tuple[VisitIssue, ...] = field(default=())
    attachment_count: int = 0


@dataclass(frozen=True, slots=True)
class Submission:
    report_id: int
    created: bool  # False: this draft had been stored already (a double tap, a redelivery)


async def submit_visit(db: Database, report: VisitReportInput, *, now: str) -> Submission:
    """Stores a report with its issues and photos, atomically and at most once per token."""
    async with db.transaction() as tx:
        existing = await tx.fetchval(
            "SELECT id FROM visit_reports WHERE client_token = ?", (report.token,)
        )
        if existing is not None:
            return Submission(int(existing), created=False)
        report_id = await _insert_report(tx, report, now)
        await _insert_issues(tx, report_id, report.issues, start=1)
        await _insert_attachments(tx, report_id, report.attachments, now)
        await audit.record(
            tx,
            at=now,
            action="visit.submit",
            actor_id=report.filed_by_id,
            subject_type="visit_report",
            subject_id=report_id,
            details={"cadre_id": report.cadre_id, "cell_id": report.cell_id},
        )
    return Submission(report_id, created=True)


async def _insert_report(tx: Executor, r: VisitReportInput, now: str) -> int:
    return await tx.execute(
        """INSERT INTO visit_reports (cadre_id, filed_by_id, cell_id, meeting_date, quarter,
               late, disseminated, latitude, longitude, client_token, submitted_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            r.cadre_id,
            r.filed_by_id,
            r.cell_id,
            r.meeting_date.isoformat(),
            r.quarter,
            int(r.late),
            r.disseminated,
            r.latitude,
            r.longitude,
            r.token,
            now,
            now,
        ),
    )


async def _insert_issues(
    tx: Executor, report_id: int, issues: tuple[IssueInput, ...], *, start: int
) -> None:
    await tx.executemany(
        """INSERT INTO visit_issues (report_id, position, description, resolution, status)
           VALUES (?, ?, ?, ?, ?)""",
        [
            (
                report_id,
                position,
                issue.description,
                "escalated" if issue.escalate else "settled",
                "open" if issue.escalate else "closed",
            )
            for position, issue in enumerate(issues, start=start)
        ],
    )


async def _insert_attachments(
    tx: Executor, report_id: int, attachments: tuple[AttachmentInput, ...], now: str
) -> None:
    await tx.executemany(
        """INSERT INTO attachments (report_id, kind, file_id, file_unique_id, created_at)
           VALUES (?, ?, ?, ?, ?)""",
        [(report_id, a.kind, a.file_id, a.file_unique_id, now) for a in attachments],
    )


async def update_visit(
    db: Database, report_id: int, report: VisitReportInput, *, actor_id: int, now: str
) -> None:
    """Replaces an existing report's content by an edited draft (audit-logged).

    Issues the Standing Committee has already acknowledged or answered stay as they are;
    the others are replaced by the draft's, which are added after them.
    """
    async with db.transaction() as tx:
        await tx.execute(
            """UPDATE visit_reports SET cell_id = ?, meeting_date = ?, quarter = ?, late = ?,
                   disseminated = ?, latitude = ?, longitude = ?, updated_at = ?
               WHERE id = ?""",
            (
                report.cell_id,
                report.meeting_date.isoformat(),
                report.quarter,
                int(report.late),
                report.disseminated,
                report.latitude,
                report.longitude,
                now,
                report_id,
            ),
        )
        await tx.execute(
            """DELETE FROM visit_issues WHERE report_id = ?
               AND NOT (resolution = 'escalated' AND status IN ('acknowledged', 'answered'))""",
            (report_id,),
        )
        kept = await tx.fetchval(
            "SELECT coalesce(max(position), 0) FROM visit_issues WHERE report_id = ?", (report_id,)
        )
        await _insert_issues(tx, report_id, report.issues, start=int(kept) + 1)
        await tx.execute("DELETE FROM attachments WHERE report_id = ?", (report_id,))
        await _insert_attachments(tx, report_id, report.attachments, now)
        await audit.record(
            tx,
            at=now,
            action="visit.edit",
            actor_id=actor_id,
            subject_type="visit_report",
            subject_id=report_id,
        )


async def withdraw_visit(db: Database, report_id: int, *, actor_id: int, now: str) -> bool:
    """Marks a report withdrawn (kept for the record) and closes its open escalations."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            """UPDATE visit_reports SET status = 'withdrawn', updated_at = ?
               WHERE id = ? AND status = 'submitted'""",
            (now, report_id),
        )
        if not changed:
            return False
        await tx.execute(
            "UPDATE visit_issues SET status = 'closed' WHERE report_id = ? AND status = 'open'",
            (report_id,),
        )
        await audit.record(
            tx,
            at=now,
            action="visit.withdraw",
            actor_id=actor_id,
            subject_type="visit_report",
            subject_id=report_id,
        )
    return True


def _issue(row: sqlite3.Row) -> VisitIssue:
    return VisitIssue(
        row["id"],
        row["report_id"],
        row["position"],
        row["description"],
        row["resolution"] == "escalated",
        row["status"],
        row["answer"],
    )


def _report(row: sqlite3.Row, issues: tuple[VisitIssue, ...], attachments: int) -> VisitReport:
    return VisitReport(
        id=row["id"],
        token=row["client_token"],
        cadre_id=row["cadre_id"],
        filed_by_id=row["filed_by_id"],
        cell_id=row["cell_id"],
        meeting_date=date.fromisoformat(row["meeting_date"]),
        quarter=row["quarter"],
        late=bool(row["late"]),
        disseminated=row["disseminated"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        status=row["status"],
        submitted_at=row["submitted_at"],
        updated_at=row["updated_at"],
        issues=issues,
        attachment_count=attachments,
    )


async def get_visit(db: Executor, report_id: int) -> VisitReport | None:
    """The visit report with its issues and number of attachments, or None."""
    row = await db.fetchone("SELECT * FROM visit_reports WHERE id = ?", (report_id,))
    if row is None:
        return None
    issues = await db.fetchall(
        "SELECT * FROM visit_issues WHERE report_id = ? ORDER BY position", (report_id,)
    )
    count = await db.fetchval("SELECT count(*) FROM attachments WHERE report_id = ?", (report_id,))
    return _report(row, tuple(_issue(i) for i in issues), int(count))


async def attachments_of_visit(db: Executor, report_id: int) -> list[AttachmentInput]:
    """The report's photos and documents, in the order they were sent."""
    rows = await db.fetchall(
        "SELECT kind, file_id, file_unique_id FROM attachments WHERE report_id = ? ORDER BY id",
        (report_id,),
    )
    return [AttachmentInput(r["kind"], r["file_id"], r["file_unique_id"]) for r in rows]


async def visit_by_token(db: Executor, token: str) -> VisitReport | None:
    """The report sent with this draft token: a second confirm finds it and stores nothing."""
    report_id = await db.fetchval("SELECT id FROM visit_reports WHERE client_token = ?", (token,))
    return None if report_id is None else await get_visit(db, int(report_id))


async def recent_visits(db: Executor, cadre_id: int, limit: int = 5) -> list[VisitReport]:
    """A cadre's latest reports (withdrawn ones too, marked so), newest first."""
    rows = await db.fetchall(
        """SELECT id FROM visit_reports WHERE cadre_id = ?
           ORDER BY submitted_at DESC, id DESC LIMIT ?""",
        (cadre_id, limit),
    )
    found = [await get_visit(db, row["id"]) for row in rows]
    return [report for report in found if report is not None]


async def visited_cell_ids(db: Executor, cadre_id: int, quarter: str) -> set[int]:
    """The cells a cadre has a submitted report for in a quarter: their duty is fulfilled."""
    rows = await db.fetchall(
        """SELECT DISTINCT cell_id FROM visit_reports
           WHERE cadre_id = ? AND quarter = ? AND status = 'submitted'""",
        (cadre_id, quarter),
    )
    return {row["cell_id"] for row in rows}
