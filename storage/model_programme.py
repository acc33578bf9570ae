"""The follow-up of models in a quarter, for summaries and the workbook (issue 14 part 2):
inspections done, replications and commendations decided or waiting, conversions.

One row per model of a scope (owned or placed inside it, as storage/quarterly.py
``models`` counts them), read in one query; the summaries add them up, the workbook
lists them. Inspections are the ``model_updates`` of kind 'inspection' filed in the
quarter; replications and commendations are storage/proposals.py's.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Executor
from storage.proposals import _IN_SUBTREE

_LEVEL_ORDER = "CASE m.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END"


@dataclass(frozen=True, slots=True)
class ModelFollowUp:
    model_id: int
    code: str
    name: str
    level: str  # province | district | grassroots
    status: str  # active | replicated | converted | dropped
    inspections: int  # inspections filed in the quarter
    last_inspected_at: str | None  # the latest inspection ever (UTC stamp)
    replications_approved: int  # decided in the quarter
    replications_waiting: int
    commendations_approved: int  # decided in the quarter
    commendations_waiting: int
    commendation_forms: tuple[str, ...]  # decided in the quarter: a form's code, or the typed form
    closed_at: str | None = None  # when it was converted (UTC stamp; migration 0032)

    @property
    def converted(self) -> bool:
        return self.status == "converted"

    def converted_between(self, since: str, until: str) -> bool:
        """Converted within [since, until) (UTC stamps): in a quarter."""
        return self.converted and self.closed_at is not None and since <= self.closed_at < until


async def follow_up(db: Executor, scope: int | None, quarter: str) -> list[ModelFollowUp]:
    """Every model of the scope (None: all) with its figures for ``quarter`` ('2026-Q4')."""
    rows = await db.fetchall(
        _IN_SUBTREE
        + f"""SELECT m.id, m.code, m.name, m.level, m.status, m.closed_at,
               (SELECT count(*) FROM model_updates AS u
                WHERE u.model_id = m.id AND u.kind = 'inspection' AND u.quarter = ?) AS inspections,
               (SELECT max(u.submitted_at) FROM model_updates AS u
                WHERE u.model_id = m.id AND u.kind = 'inspection') AS last_inspected_at,
               (SELECT count(*) FROM model_proposals AS p WHERE p.model_id = m.id AND p.kind = 'replicate'
                AND p.status = 'approved' AND p.decided_quarter = ?) AS replications_approved,
               (SELECT count(*) FROM model_proposals AS p WHERE p.model_id = m.id AND p.kind = 'replicate'
                AND p.status = 'proposed') AS replications_waiting,
               (SELECT count(*) FROM model_proposals AS p WHERE p.model_id = m.id AND p.kind = 'commend'
                AND p.status = 'approved' AND p.decided_quarter = ?) AS commendations_approved,
               (SELECT count(*) FROM model_proposals AS p WHERE p.model_id = m.id AND p.kind = 'commend'
                AND p.status = 'proposed') AS commendations_waiting
           FROM models AS m
           WHERE m.status != 'dropped' AND (? IS NULL OR m.owner_unit_id IN (SELECT id FROM subtree)
                 OR EXISTS (SELECT 1 FROM model_places AS mp WHERE mp.model_id = m.id
                            AND mp.unit_id IN (SELECT id FROM subtree)))
           ORDER BY {_LEVEL_ORDER}, m.name, m.id""",
        (scope, quarter, quarter, quarter, scope),
    )
    forms = await _forms(db, quarter)
    return [
        ModelFollowUp(
            row["id"], row["code"], row["name"], row["level"], row["status"], row["inspections"],
            row["last_inspected_at"], row["replications_approved"], row["replications_waiting"],
            row["commendations_approved"], row["commendations_waiting"], forms.get(row["id"], ()), row["closed_at"],
        )
        for row in rows
    ]


async def _forms(db: Executor, quarter: str) -> dict[int, tuple[str, ...]]:
    """The forms of the commendations approved in the quarter, by model: a form's code
    (certificate, merit, praise) or, for another form, the text typed for it."""
    rows = await db.fetchall(
        """SELECT model_id, CASE WHEN decision_form = 'other' THEN coalesce(decision, 'other')
                                 ELSE decision_form END AS form
           FROM model_proposals WHERE kind = 'commend' AND status = 'approved' AND decided_quarter = ?
           ORDER BY decided_at, id""",
        (quarter,),
    )
    forms: dict[int, list[str]] = {}
    for row in rows:
        forms.setdefault(row["model_id"], []).append(row["form"])
    return {model: tuple(found) for model, found in forms.items()}
