"""The numbers behind a group's summary, scoped to a unit and its subtree.

A scope is a unit id (a district, a commune) or None for the whole roster; only cells
inside the scope's subtree, and the cadres assigned to them, are counted. Each query is
one set-based statement.

A visit is *due* from a cadre to a cell in a quarter when an assignment of an active
cadre to an active cell was in force during the quarter (up to ``as_of``); it is
*fulfilled* when a submitted visit report of that cadre to that cell in that quarter
exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Executor

# The scope's units: the unit and everything under it.
_SCOPE = """
scope(id) AS (
    SELECT id FROM units WHERE id = :scope
    UNION
    SELECT u.id FROM units AS u JOIN scope AS s ON u.parent_id = s.id
)"""


def _due(scope: int | None) -> str:
    """The CTEs of the (cadre, cell) pairs due in the quarter, with their fulfilment.

    Without a scope there is no filter at all: SQLite then walks the assignments in
    index order (about 3x faster for a whole province than an IN list of every unit).
    """
    scoped = scope is not None
    head, where = ("WITH RECURSIVE " + _SCOPE + ",", "AND cell.unit_id IN scope") if scoped else ("WITH", "")
    return f"""
{head}
due AS (
    SELECT a.cadre_id, a.cell_id
    FROM assignments AS a
    JOIN cadres AS k ON k.id = a.cadre_id AND k.active = 1
    JOIN cells AS cell ON cell.id = a.cell_id AND cell.active = 1
    WHERE a.starts_on <= :as_of AND (a.ends_on IS NULL OR a.ends_on >= :first_day) {where}
    GROUP BY a.cadre_id, a.cell_id
),
obligations AS (
    SELECT due.cadre_id, due.cell_id,
           EXISTS (SELECT 1 FROM visit_reports AS r
                   WHERE r.quarter = :quarter AND r.cell_id = due.cell_id
                     AND r.cadre_id = due.cadre_id AND r.status = 'submitted') AS fulfilled
    FROM due
)"""


def _in_scope(scope: int | None, column: str) -> tuple[str, str]:
    """(the WITH clause, the condition) that keep ``column`` (a unit id) inside the scope."""
    if scope is None:
        return "", "1"
    return f"WITH RECURSIVE {_SCOPE}", f"{column} IN scope"


# The commune of a cell: its village's parent (or the unit itself when a cell sits
# directly under a commune).
_COMMUNE_JOIN = """
JOIN cells AS cell ON cell.id = o.cell_id
JOIN units AS village ON village.id = cell.unit_id
LEFT JOIN units AS commune
     ON commune.id = CASE WHEN village.kind = 'commune' THEN village.id ELSE village.parent_id END"""


@dataclass(frozen=True, slots=True)
class CommuneCoverage:
    commune_id: int | None
    commune: str | None
    due: int
    fulfilled: int

    @property
    def percent(self) -> int:
        return round(100 * self.fulfilled / self.due) if self.due else 100


@dataclass(frozen=True, slots=True)
class DueVisit:
    """A visit still owed: who, where, and whether the bot can reach them."""

    cadre_id: int
    cadre_name: str
    linked: bool
    unreachable_since: str | None
    cell_name: str
    commune: str | None


@dataclass(frozen=True, slots=True)
class OpenEscalation:
    issue_id: int
    status: str
    description: str
    reported_at: str
    cell_name: str
    commune: str | None


@dataclass(frozen=True, slots=True)
class Proposal:
    model_code: str
    model_name: str
    proposal: str  # replicate | convert
    places: str


@dataclass(frozen=True, slots=True)
class ModelActivity:
    assessments: dict[str, int]  # good | fair | ineffective → count
    proposals: list[Proposal]

    @property
    def total(self) -> int:
        return sum(self.assessments.values())


@dataclass(frozen=True, slots=True)
class UnreachableCadre:
    cadre_id: int
    cadre_name: str
    since: str


def _params(scope: int | None, quarter: str, first_day: str, as_of: str) -> dict[str, object]:
    return {"scope": scope, "quarter": quarter, "first_day": first_day, "as_of": as_of}


async def coverage(
    db: Executor, scope: int | None, *, quarter: str, first_day: str, as_of: str
) -> list[CommuneCoverage]:
    """Visits due and done in the quarter, by commune."""
    rows = await db.fetchall(
        f"""{_due(scope)}
            SELECT commune.id AS commune_id, commune.name AS commune,
                   count(*) AS due, sum(o.fulfilled) AS fulfilled
            FROM obligations AS o {_COMMUNE_JOIN}
            GROUP BY commune.id ORDER BY commune.name""",
        _params(scope, quarter, first_day, as_of),
    )
    return [
        CommuneCoverage(row["commune_id"], row["commune"], int(row["due"]), int(row["fulfilled"]))
        for row in rows
    ]


async def still_due(
    db: Executor, scope: int | None, *, quarter: str, first_day: str, as_of: str, limit: int = 3000
) -> list[DueVisit]:
    """The visits not yet reported, by commune, cadre and cell (the first ``limit``: a
    summary shows a few hundred; the totals come from ``coverage``)."""
    rows = await db.fetchall(
        f"""{_due(scope)}
            SELECT o.cadre_id, k.full_name AS cadre_name, k.telegram_id IS NOT NULL AS linked,
                   k.unreachable_since, cell.name AS cell_name, commune.name AS commune
            FROM obligations AS o {_COMMUNE_JOIN}
            JOIN cadres AS k ON k.id = o.cadre_id
            WHERE NOT o.fulfilled
            ORDER BY commune.name, k.full_name, k.id, cell.name
            LIMIT :limit""",
        {**_params(scope, quarter, first_day, as_of), "limit": limit},
    )
    return [
        DueVisit(
            row["cadre_id"], row["cadre_name"], bool(row["linked"]), row["unreachable_since"],
            row["cell_name"], row["commune"],
        )
        for row in rows
    ]


async def open_escalations(db: Executor, scope: int | None) -> list[OpenEscalation]:
    """Escalations still waiting for the Standing Committee, oldest first."""
    with_scope, in_scope = _in_scope(scope, "cell.unit_id")
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT i.id AS issue_id, i.status, i.description, r.submitted_at AS reported_at,
                   cell.name AS cell_name, commune.name AS commune
            FROM visit_issues AS i
            JOIN visit_reports AS r ON r.id = i.report_id
            JOIN cells AS cell ON cell.id = r.cell_id
            JOIN units AS village ON village.id = cell.unit_id
            LEFT JOIN units AS commune ON commune.id =
                 CASE WHEN village.kind = 'commune' THEN village.id ELSE village.parent_id END
            WHERE i.resolution = 'escalated' AND i.status IN ('open', 'acknowledged')
              AND r.status = 'submitted' AND {in_scope}
            ORDER BY r.submitted_at, i.position""",
        {"scope": scope},
    )
    return [
        OpenEscalation(
            row["issue_id"], row["status"], row["description"], row["reported_at"],
            row["cell_name"], row["commune"],
        )
        for row in rows
    ]


async def model_activity(
    db: Executor, scope: int | None, *, quarter: str, since: str | None = None
) -> ModelActivity:
    """Model assessments of the quarter (or since a moment), and the proposals among them.

    A model is in scope when it runs in a place of the scope or its owner unit is in it.
    """
    with_scope, owner_in_scope = _in_scope(scope, "m.owner_unit_id")
    _, place_in_scope = _in_scope(scope, "p.unit_id")
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT mu.assessment, mu.proposal, mu.proposal_places, m.code, m.name
            FROM model_updates AS mu JOIN models AS m ON m.id = mu.model_id
            WHERE mu.quarter = :quarter AND (:since IS NULL OR mu.submitted_at >= :since)
              AND ({owner_in_scope}
                   OR EXISTS (SELECT 1 FROM model_places AS p
                              WHERE p.model_id = m.id AND {place_in_scope}))
            ORDER BY mu.submitted_at, mu.id""",
        {"scope": scope, "quarter": quarter, "since": since},
    )
    counts = {"good": 0, "fair": 0, "ineffective": 0}
    proposals: list[Proposal] = []
    for row in rows:
        counts[row["assessment"]] = counts.get(row["assessment"], 0) + 1
        if row["proposal"] in ("replicate", "convert"):
            proposals.append(Proposal(row["code"], row["name"], row["proposal"], row["proposal_places"]))
    return ModelActivity(counts, proposals)


async def unreachable_cadres(
    db: Executor, scope: int | None, *, first_day: str, as_of: str
) -> list[UnreachableCadre]:
    """Active cadres the bot could not message (403), assigned to a cell of the scope."""
    with_scope, in_scope = _in_scope(scope, "cell.unit_id")
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT k.id, k.full_name, k.unreachable_since FROM cadres AS k
            WHERE k.unreachable_since IS NOT NULL AND k.active = 1
              AND EXISTS (
                  SELECT 1 FROM assignments AS a JOIN cells AS cell ON cell.id = a.cell_id
                  WHERE a.cadre_id = k.id AND {in_scope}
                    AND a.starts_on <= :as_of AND (a.ends_on IS NULL OR a.ends_on >= :first_day))
            ORDER BY k.full_name, k.id""",
        {"scope": scope, "first_day": first_day, "as_of": as_of},
    )
    return [UnreachableCadre(row["id"], row["full_name"], row["unreachable_since"]) for row in rows]


async def scope_name(db: Executor, scope: int | None) -> str | None:
    if scope is None:
        return None
    return await db.fetchval("SELECT name FROM units WHERE id = ?", (scope,))
