"""The rows of the official quarterly workbook (scheduler/workbook.py), scoped as summaries are.

The coverage sheet reads storage/summaries.py ``coverage`` itself; the detail sheet here
reads the same ``_obligations`` clause (storage/obligations.py's OBLIGATIONS_SQL under the
summaries' scope), one row per obligation, so every status in the workbook is the status
``/tonghop`` counts. Issues and models are scoped by the place they belong to, as the
summaries' escalations and model activity are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from storage.db import Executor
from storage.obligations import Status
from storage.summaries import _COMMUNE_JOIN, _COMMUNE_OF_CELL, _in_scope, _obligations, _quarter_end

# The commune of a cell (``cell``): its village's parent, or the unit itself, or the
# commune that one was merged into by :merged_by.
_CELL_COMMUNE = _COMMUNE_OF_CELL


@dataclass(frozen=True, slots=True)
class DetailRow:
    """One (cadre, cell) owed in the quarter, with the report that counts for it."""

    commune: str | None
    cell_name: str
    cadre_code: str
    cadre_name: str
    status: Status
    meeting_date: date | None
    report_id: int | None
    filed_by: str | None  # the name of whoever filed on the cadre's behalf


@dataclass(frozen=True, slots=True)
class IssueRow:
    """An issue raised at a meeting of the quarter, and what became of it."""

    issue_id: int
    commune: str | None
    cell_name: str
    cadre_name: str
    raised_on: date
    description: str
    resolution: str  # settled | escalated
    status: str  # open | acknowledged | answered | closed
    answer: str | None
    answered_at: str | None  # UTC stamp


@dataclass(frozen=True, slots=True)
class ModelRow:
    """A registered model, its places, and the latest monitoring of it."""

    code: str
    name: str
    level: str  # province | district | grassroots
    status: str
    owner: str | None
    places: str
    assessment: str | None
    assessed_at: str | None  # UTC stamp of the latest update
    proposal: str | None
    proposal_places: str
    inspected_at: str | None  # UTC stamp of the latest inspection


async def detail(db: Executor, scope: int | None, window: Mapping[str, object]) -> list[DetailRow]:
    """Every obligation of the quarter in the scope. The report shown is the one that
    gives the status: an on-time one before a late one, the earliest meeting first."""
    rows = await db.fetchall(
        f"""{_obligations(scope)},
            counted AS (
                SELECT o.cadre_id, o.cell_id, o.status,
                       (SELECT r.id FROM visit_reports AS r
                        WHERE r.quarter = :quarter AND r.cadre_id = o.cadre_id AND r.cell_id = o.cell_id
                          AND r.status = 'submitted'
                        ORDER BY r.late, r.meeting_date, r.id LIMIT 1) AS report_id
                FROM statuses AS o)
            SELECT commune.name AS commune, cell.name AS cell_name, k.code AS cadre_code,
                   k.full_name AS cadre_name, o.status, r.id AS report_id, r.meeting_date,
                   CASE WHEN r.filed_by_id <> r.cadre_id THEN f.full_name END AS filed_by
            FROM counted AS o {_COMMUNE_JOIN}
            JOIN cadres AS k ON k.id = o.cadre_id
            LEFT JOIN visit_reports AS r ON r.id = o.report_id
            LEFT JOIN cadres AS f ON f.id = r.filed_by_id
            ORDER BY commune.name, cell.name, k.full_name, k.id""",
        {**window, "scope": scope, "merged_by": window["last_day"]},
    )
    return [
        DetailRow(
            row["commune"], row["cell_name"], row["cadre_code"], row["cadre_name"], Status(row["status"]),
            date.fromisoformat(row["meeting_date"]) if row["meeting_date"] else None,
            row["report_id"], row["filed_by"],
        )
        for row in rows
    ]


async def issues(db: Executor, scope: int | None, *, quarter: str) -> list[IssueRow]:
    """Every issue raised at a meeting reported for the quarter (withdrawn reports aside)."""
    with_scope, in_scope = _in_scope(scope, "cell.unit_id")
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT i.id, commune.name AS commune, cell.name AS cell_name, k.full_name AS cadre_name,
                   r.meeting_date, i.description, i.resolution, i.status, i.answer, i.answered_at
            FROM visit_issues AS i
            JOIN visit_reports AS r ON r.id = i.report_id
            JOIN cadres AS k ON k.id = r.cadre_id
            JOIN cells AS cell ON cell.id = r.cell_id {_CELL_COMMUNE}
            WHERE r.quarter = :quarter AND r.status = 'submitted' AND {in_scope}
            ORDER BY r.meeting_date, i.id""",
        {"scope": scope, "quarter": quarter, "merged_by": _quarter_end(quarter)},
    )
    return [
        IssueRow(
            row["id"], row["commune"], row["cell_name"], row["cadre_name"], date.fromisoformat(row["meeting_date"]),
            row["description"], row["resolution"], row["status"], row["answer"], row["answered_at"],
        )
        for row in rows
    ]


async def models(db: Executor, scope: int | None, *, until: str) -> list[ModelRow]:
    """Every model in the scope (its owner or one of its places inside it), with its places
    by name and its latest update and inspection submitted by ``until`` (a UTC stamp)."""
    with_scope, owner_in_scope = _in_scope(scope, "m.owner_unit_id")
    _, place_in_scope = _in_scope(scope, "p.unit_id")
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT m.id, m.code, m.name, m.level, m.status,
                   coalesce(owner.name, m.owner_name) AS owner,
                   (SELECT group_concat(name, '; ') FROM (
                        SELECT u.name FROM model_places AS mp JOIN units AS u ON u.id = mp.unit_id
                        WHERE mp.model_id = m.id ORDER BY u.name)) AS places,
                   latest.assessment, latest.submitted_at AS assessed_at, latest.proposal,
                   latest.proposal_places,
                   (SELECT max(x.submitted_at) FROM model_updates AS x
                    WHERE x.model_id = m.id AND x.kind = 'inspection' AND x.submitted_at <= :until)
                       AS inspected_at
            FROM models AS m
            LEFT JOIN units AS owner ON owner.id = m.owner_unit_id
            LEFT JOIN model_updates AS latest ON latest.id = (
                SELECT y.id FROM model_updates AS y
                WHERE y.model_id = m.id AND y.submitted_at <= :until
                ORDER BY y.submitted_at DESC, y.id DESC LIMIT 1)
            WHERE {owner_in_scope}
               OR EXISTS (SELECT 1 FROM model_places AS p WHERE p.model_id = m.id AND {place_in_scope})
            ORDER BY CASE m.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, m.name, m.id""",
        {"scope": scope, "until": until, "merged_by": until[:10]},
    )
    return [
        ModelRow(
            row["code"], row["name"], row["level"], row["status"], row["owner"], row["places"] or "",
            row["assessment"], row["assessed_at"], row["proposal"], row["proposal_places"] or "",
            row["inspected_at"],
        )
        for row in rows
    ]
