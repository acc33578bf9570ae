"""The numbers behind a group's summary, scoped to a unit and its subtree.

A scope is a unit id (the organisation's top unit, a commune) or None for the whole
roster; only cells inside the scope's subtree, and the cadres assigned to them, are
counted. A commune merged into another (2025) is in the other's subtree from the merger
date on (``:merged_by``: the period's last day), and its cells are counted under the new
commune then. Each query is one set-based statement.

What a cadre owes a cell in a quarter, and its status — due, filed, late, excused —
is storage/obligations.py's OBLIGATIONS_SQL (the transfer rule included). ``coverage``
reads it as stored per quarter and counted per cell (storage/obligation_table.py: what
the top unit's summary needs at province size); the lists of names derive it for their
scope through ``_obligations``. Its parameters (``window``) are
storage.obligations.obligation_params: :quarter :first_day :last_day :as_of :rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.quarters import Quarter
from storage import obligation_table
from storage.db import Executor
from storage.obligations import OBLIGATIONS_SQL
from storage.summary_scope import (  # noqa: F401 - also imported from here by other modules
    _COMMUNE_JOIN,
    _COMMUNE_OF_CELL,
    _SCOPE,
    ALWAYS,
    _in_scope,
    _narrowing,
)


def _obligations(scope: int | None) -> str:
    """The WITH clause of the obligation queries: OBLIGATIONS_SQL, and ``statuses``, its
    rows with the status worked out once (a query then reads a column, not the CASE).

    A scoped query reads the scope's assignments only: a CTE named ``assignments`` stands
    in for the table inside OBLIGATIONS_SQL (SQLite resolves a CTE's name before a
    table's), so a commune's summary costs milliseconds in a province of 100,000 cadres.
    Without a scope there is no filter at all: a plain pass over the assignments index.
    """
    if scope is None:
        head = "WITH"
    else:
        head = f"""WITH RECURSIVE {_SCOPE},
assignments AS (
    SELECT a.* FROM main.assignments AS a JOIN main.cells AS sc ON sc.id = a.cell_id
    WHERE sc.unit_id IN scope
),"""
    return f"""{head}
{OBLIGATIONS_SQL},
statuses AS MATERIALIZED (SELECT cadre_id, cell_id, status FROM obligations)"""


@dataclass(frozen=True, slots=True)
class CommuneCoverage:
    """A commune's obligations in the quarter, by status."""

    commune_id: int | None
    commune: str | None
    filed: int
    late: int
    excused: int
    due: int  # still due (once the quarter is over: missed)

    @property
    def done(self) -> int:
        """Visits made, reported on time or late."""
        return self.filed + self.late

    @property
    def owed(self) -> int:
        """Visits owed: an excused one is not."""
        return self.filed + self.late + self.due

    @property
    def percent(self) -> int:
        """Visits done of those owed, in whole per cent."""
        return percent(self.done, self.owed)


def percent(done: int, owed: int) -> int:
    """Whole percent, half rounded up as Excel's 0% format shows it (Python's round()
    would show 12% where the quarterly workbook shows 13%); 100 when nothing is owed."""
    return (200 * done + owed) // (2 * owed) if owed else 100


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
class DueList:
    """The visits still due (the first ``limit``); how many visits are due in all, how
    many cadres owe one, and how many obligations the scope has (of any status)."""

    visits: list[DueVisit]
    cadres: int
    total: int = 0
    obligations: int = 0


@dataclass(frozen=True, slots=True)
class ExcusedVisit:
    """A visit an admin excused, and until when (the reason stays private)."""

    cadre_id: int
    cadre_name: str
    cell_name: str
    commune: str | None
    until: str  # ISO date


@dataclass(frozen=True, slots=True)
class OnBehalfReport:
    report_id: int
    cadre_name: str
    filer_name: str
    cell_name: str
    commune: str | None


@dataclass(frozen=True, slots=True)
class OnBehalf:
    """Reports of the quarter filed by someone for the cadre (a secretary, an admin)."""

    count: int = 0
    reports: list[OnBehalfReport] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OpenEscalation:
    issue_id: int
    status: str
    description: str
    reported_at: str
    cell_name: str
    commune: str | None
    on_behalf: bool = False


@dataclass(frozen=True, slots=True)
class OpenEscalations:
    """How many escalations are open in a scope, and the oldest of them."""

    total: int
    oldest: list[OpenEscalation]


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
        """All assessments of the model, whatever their kind."""
        return sum(self.assessments.values())


@dataclass(frozen=True, slots=True)
class UnreachableCadre:
    cadre_id: int
    cadre_name: str
    since: str


def _params(scope: int | None, window: Mapping[str, object], **more: object) -> dict[str, object]:
    return {**window, "scope": scope, "merged_by": window["last_day"], **more}


def _quarter_end(quarter: str) -> str:
    return Quarter.parse(quarter).last_day.isoformat()


async def coverage(db: Executor, scope: int | None, window: Mapping[str, object]) -> list[CommuneCoverage]:
    """The quarter's obligations by commune and status.

    Read from the stored statuses (storage/obligation_table.py, brought up to date
    first), counted by cell: a province's 100,000 obligations are 10,000 cells' counts
    summed by commune, rather than each status derived."""
    await obligation_table.settle(db, window)
    with_scope, in_scope = _in_scope(await _narrowing(db, scope), "cell.unit_id")
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT commune.id AS commune_id, commune.name AS commune, sum(o.filed) AS filed,
                   sum(o.late) AS late, sum(o.excused) AS excused, sum(o.due) AS due
            FROM obligation_cell_counts AS o JOIN cells AS cell ON cell.id = o.cell_id{_COMMUNE_OF_CELL}
            WHERE o.quarter = :quarter AND {in_scope}
            GROUP BY commune.id, commune.name ORDER BY commune.name""",
        _params(scope, window),
    )
    return [
        CommuneCoverage(
            row["commune_id"], row["commune"], int(row["filed"]), int(row["late"]), int(row["excused"]),
            int(row["due"]),
        )
        for row in rows
    ]


async def still_due(db: Executor, scope: int | None, window: Mapping[str, object], *, limit: int = 3000) -> DueList:
    """The visits with the status due, by commune, cadre and cell (the first ``limit``: a
    summary shows a few hundred; the totals come from ``coverage``)."""
    rows = await db.fetchall(
        f"""{_obligations(scope)}
            SELECT o.cadre_id, k.full_name AS cadre_name, EXISTS (SELECT 1 FROM accounts AS acc WHERE acc.cadre_id = k.id) AS linked,
                   k.unreachable_since, cell.name AS cell_name, commune.name AS commune,
                   (SELECT count(DISTINCT cadre_id) FROM statuses WHERE status = 'due') AS cadres,
                   (SELECT count(*) FROM statuses WHERE status = 'due') AS total,
                   (SELECT count(*) FROM statuses) AS obligations
            FROM statuses AS o {_COMMUNE_JOIN}
            JOIN cadres AS k ON k.id = o.cadre_id
            WHERE o.status = 'due'
            ORDER BY commune.name, k.full_name, k.id, cell.name
            LIMIT :limit""",
        _params(scope, window, limit=limit),
    )
    visits = [
        DueVisit(
            row["cadre_id"], row["cadre_name"], bool(row["linked"]), row["unreachable_since"],
            row["cell_name"], row["commune"],
        )
        for row in rows
    ]
    if not rows:  # nobody is due: still, are there obligations at all?
        owed = await db.fetchval(f"{_obligations(scope)} SELECT count(*) FROM statuses", _params(scope, window))
        return DueList([], 0, 0, int(owed or 0))
    first = rows[0]
    return DueList(visits, int(first["cadres"]), int(first["total"]), int(first["obligations"]))


async def excused(db: Executor, scope: int | None, window: Mapping[str, object], *, limit: int = 500) -> list[ExcusedVisit]:
    """The excused visits, with the last day of the excusal that covers each."""
    rows = await db.fetchall(
        f"""{_obligations(scope)}
            SELECT o.cadre_id, k.full_name AS cadre_name, cell.name AS cell_name, commune.name AS commune,
                   (SELECT max(e.ends_on) FROM excusals AS e
                    WHERE e.cadre_id = o.cadre_id AND e.revoked_at IS NULL
                      AND (e.cell_id IS NULL OR e.cell_id = o.cell_id)
                      AND e.starts_on <= :last_day AND e.ends_on >= :first_day) AS until
            FROM statuses AS o {_COMMUNE_JOIN}
            JOIN cadres AS k ON k.id = o.cadre_id
            WHERE o.status = 'excused'
            ORDER BY commune.name, k.full_name, k.id, cell.name
            LIMIT :limit""",
        _params(scope, window, limit=limit),
    )
    return [
        ExcusedVisit(row["cadre_id"], row["cadre_name"], row["cell_name"], row["commune"], row["until"])
        for row in rows
    ]


async def on_behalf(db: Executor, scope: int | None, *, quarter: str, limit: int = 15) -> OnBehalf:
    """The quarter's reports filed by someone other than the cadre, oldest first."""
    with_scope, in_scope = _in_scope(scope, "cell.unit_id")
    rows = await db.fetchall(
        f"""{with_scope}
            SELECT r.id, k.full_name AS cadre_name, f.full_name AS filer_name, cell.name AS cell_name,
                   commune.name AS commune, count(*) OVER () AS total
            FROM visit_reports AS r
            JOIN cadres AS k ON k.id = r.cadre_id
            JOIN cadres AS f ON f.id = r.filed_by_id
            JOIN cells AS cell ON cell.id = r.cell_id{_COMMUNE_OF_CELL}
            WHERE r.quarter = :quarter AND r.status = 'submitted' AND r.filed_by_id <> r.cadre_id
              AND {in_scope}
            ORDER BY r.submitted_at, r.id
            LIMIT :limit""",
        {"scope": scope, "quarter": quarter, "limit": limit, "merged_by": _quarter_end(quarter)},
    )
    reports = [
        OnBehalfReport(row["id"], row["cadre_name"], row["filer_name"], row["cell_name"], row["commune"])
        for row in rows
    ]
    return OnBehalf(int(rows[0]["total"]) if rows else 0, reports)


async def open_escalations(db: Executor, scope: int | None, *, limit: int = 1000) -> OpenEscalations:
    """Escalations still waiting for the Standing Committee: how many, and the oldest
    ``limit`` (a province may hold thousands; a summary names the first few).

    The scope's open escalations are listed once, with only what orders them; names and
    texts are read for the oldest ones alone."""
    scope = await _narrowing(db, scope)
    with_scope, in_scope = _in_scope(scope, "unit_id")
    head = f"{with_scope}, scope_cells AS MATERIALIZED (SELECT id FROM cells WHERE {in_scope})," if with_scope else "WITH"
    in_cells = "r.cell_id IN (SELECT id FROM scope_cells)" if with_scope else "1 = 1"
    rows = await db.fetchall(
        f"""{head}
            waiting AS MATERIALIZED (
                SELECT i.id, i.position, r.submitted_at FROM visit_issues AS i
                JOIN visit_reports AS r ON r.id = i.report_id
                WHERE i.resolution = 'escalated' AND i.status IN ('open', 'acknowledged')
                  AND r.status = 'submitted' AND {in_cells}
            ),
            oldest AS (SELECT id FROM waiting ORDER BY submitted_at, position, id LIMIT :limit)
            SELECT i.id AS issue_id, i.status, i.description, r.submitted_at AS reported_at,
                   cell.name AS cell_name, commune.name AS commune,
                   r.filed_by_id <> r.cadre_id AS on_behalf, (SELECT count(*) FROM waiting) AS total
            FROM oldest JOIN visit_issues AS i ON i.id = oldest.id
            JOIN visit_reports AS r ON r.id = i.report_id
            JOIN cells AS cell ON cell.id = r.cell_id{_COMMUNE_OF_CELL}
            ORDER BY r.submitted_at, i.position, i.id""",
        {"scope": scope, "merged_by": ALWAYS, "limit": limit},
    )
    oldest = [
        OpenEscalation(
            row["issue_id"], row["status"], row["description"], row["reported_at"],
            row["cell_name"], row["commune"], bool(row["on_behalf"]),
        )
        for row in rows
    ]
    return OpenEscalations(int(rows[0]["total"]) if rows else 0, oldest)


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
        {"scope": scope, "quarter": quarter, "since": since, "merged_by": _quarter_end(quarter)},
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
        {"scope": scope, "first_day": first_day, "as_of": as_of, "merged_by": as_of},
    )
    return [UnreachableCadre(row["id"], row["full_name"], row["unreachable_since"]) for row in rows]


async def scope_name(db: Executor, scope: int | None) -> str | None:
    """The scope's unit name for a summary's title; None for the whole tree."""
    if scope is None:
        return None
    return await db.fetchval("SELECT name FROM units WHERE id = ?", (scope,))


async def upper_units(db: Executor) -> tuple[dict[int, int | None], dict[int, str]]:
    """Every unit above the villages: its parent and its name (a few thousand rows in a
    country), for summing communes by the units above them."""
    rows = await db.fetchall("SELECT id, parent_id, name FROM units WHERE kind <> 'village'")
    return {row["id"]: row["parent_id"] for row in rows}, {row["id"]: row["name"] for row in rows}
