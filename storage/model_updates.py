"""Model updates (cập nhật, kiểm tra mô hình) and finding the model a cadre means.

An update is written in one transaction with its photos and audit entry, keyed by the
draft's token: whatever the network or a double tap does, the same draft is stored once.

Models are found two ways, as a cadre on a phone thinks of them: by place (the models
running in a village or commune, or in a unit above it) and by a piece of the
name. Name search folds case and Vietnamese diacritics (``domain.textinput.fold``) in Python over
the model list rather than in SQL: SQLite's ``lower()`` and ``LIKE`` fold ASCII only, a
normalised column would need a migration and would have to be kept in step by the
roster import, and a committee registers tens of models, not thousands — reading them
all for one search costs less than a millisecond.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from domain.collation import natural_key
from domain.textinput import fold, matches
from storage import audit
from storage.db import Database, Executor
from storage.records import Model, ModelLevel
from storage.reports import AttachmentInput

KINDS = ("update", "inspection")
ASSESSMENTS = ("good", "fair", "ineffective")
PROPOSALS = ("maintain", "replicate", "convert", "commend")  # commend: inspections only


@dataclass(frozen=True, slots=True)
class ModelUpdateInput:
    token: str
    model_id: int
    cadre_id: int
    kind: str  # one of KINDS
    assessment: str  # one of ASSESSMENTS
    notes: str
    proposal: str  # one of PROPOSALS
    proposal_places: str
    quarter: str
    attachments: tuple[AttachmentInput, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS or self.assessment not in ASSESSMENTS or self.proposal not in PROPOSALS:
            raise ValueError(f"not a model update: {self.kind}/{self.assessment}/{self.proposal}")


@dataclass(frozen=True, slots=True)
class ModelUpdate:
    id: int
    token: str
    model_id: int
    cadre_id: int
    kind: str
    assessment: str
    notes: str
    proposal: str
    proposal_places: str
    quarter: str
    submitted_at: str
    attachment_count: int = 0


@dataclass(frozen=True, slots=True)
class ModelUpdateSubmission:
    update_id: int
    created: bool  # False: this draft had been stored already (a double tap, a redelivery)


# --- storing ------------------------------------------------------------------------------


async def submit_model_update(db: Database, update: ModelUpdateInput, *, now: str) -> ModelUpdateSubmission:
    """Stores an update with its photos, atomically and at most once per token."""
    async with db.transaction() as tx:
        existing = await tx.fetchval(
            "SELECT id FROM model_updates WHERE client_token = ?", (update.token,)
        )
        if existing is not None:
            return ModelUpdateSubmission(int(existing), created=False)
        update_id = await tx.execute(
            """INSERT INTO model_updates (model_id, cadre_id, kind, assessment, notes, proposal,
                   proposal_places, quarter, client_token, submitted_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                update.model_id,
                update.cadre_id,
                update.kind,
                update.assessment,
                update.notes,
                update.proposal,
                update.proposal_places,
                update.quarter,
                update.token,
                now,
            ),
        )
        await tx.executemany(
            """INSERT INTO attachments (model_update_id, kind, file_id, file_unique_id, created_at)
               VALUES (?, ?, ?, ?, ?)""",
            [(update_id, a.kind, a.file_id, a.file_unique_id, now) for a in update.attachments],
        )
        await audit.record(
            tx,
            at=now,
            action=f"model.{update.kind}",
            actor_id=update.cadre_id,
            subject_type="model_update",
            subject_id=update_id,
            details={
                "model_id": update.model_id,
                "assessment": update.assessment,
                "proposal": update.proposal,
            },
        )
    return ModelUpdateSubmission(update_id, created=True)


# --- reading updates ------------------------------------------------------------------------


def _update(row: sqlite3.Row) -> ModelUpdate:
    return ModelUpdate(
        id=row["id"],
        token=row["client_token"],
        model_id=row["model_id"],
        cadre_id=row["cadre_id"],
        kind=row["kind"],
        assessment=row["assessment"],
        notes=row["notes"],
        proposal=row["proposal"],
        proposal_places=row["proposal_places"],
        quarter=row["quarter"],
        submitted_at=row["submitted_at"],
        attachment_count=row["attachment_count"],
    )


_SELECT_UPDATES = """SELECT u.*, (SELECT count(*) FROM attachments a WHERE a.model_update_id = u.id)
                            AS attachment_count
                     FROM model_updates u"""


async def get_model_update(db: Executor, update_id: int) -> ModelUpdate | None:
    """The model update, or None."""
    row = await db.fetchone(f"{_SELECT_UPDATES} WHERE u.id = ?", (update_id,))
    return _update(row) if row else None


async def model_update_by_token(db: Executor, token: str) -> ModelUpdate | None:
    """The update sent with this draft token: a second confirm finds it and stores nothing."""
    row = await db.fetchone(f"{_SELECT_UPDATES} WHERE u.client_token = ?", (token,))
    return _update(row) if row else None


async def recent_updates(db: Executor, model_id: int, limit: int = 3) -> list[ModelUpdate]:
    """A model's latest updates and inspections, newest first."""
    rows = await db.fetchall(
        f"{_SELECT_UPDATES} WHERE u.model_id = ? ORDER BY u.submitted_at DESC, u.id DESC LIMIT ?",
        (model_id, limit),
    )
    return [_update(row) for row in rows]


async def attachments_of_update(db: Executor, update_id: int) -> list[AttachmentInput]:
    """The update's photos and documents, in the order they were sent."""
    rows = await db.fetchall(
        "SELECT kind, file_id, file_unique_id FROM attachments WHERE model_update_id = ? ORDER BY id",
        (update_id,),
    )
    return [AttachmentInput(r["kind"], r["file_id"], r["file_unique_id"]) for r in rows]


# --- finding models -----------------------------------------------------------------------


async def _models(db: Executor, where: str = "", params: tuple[object, ...] = ()) -> list[Model]:
    """Models that are still running (not dropped), with their places, by name."""
    rows = await db.fetchall(
        f"SELECT * FROM models WHERE status != 'dropped' {where}",  # noqa: S608 - fixed fragments only
        params,
    )
    places: dict[int, list[int]] = {}
    for row in await db.fetchall("SELECT model_id, unit_id FROM model_places ORDER BY unit_id"):
        places.setdefault(row["model_id"], []).append(row["unit_id"])
    models = [
        Model(
            row["id"],
            row["code"],
            row["name"],
            ModelLevel(row["level"]),
            row["owner_name"],
            row["status"],
            tuple(places.get(row["id"], [])),
        )
        for row in rows
    ]
    return sorted(models, key=lambda m: (natural_key(m.name), m.id))


async def get_running_model(db: Executor, model_id: int) -> Model | None:
    """The model if it is still running, else None (a stopped model takes no updates)."""
    found = await _models(db, "AND id = ?", (model_id,))
    return found[0] if found else None


async def models_at_places(db: Executor, unit_ids: list[int]) -> list[Model]:
    """The models running at any of these units, by the units tree.

    A model placed in a village runs in its commune, and one placed in a commune or above
    runs in each of its villages: so a commune finds the models of its villages (and of
    the communes merged into it), and a village finds those of its commune and the units
    above too.
    """
    if not unit_ids:
        return []
    marks = ",".join("?" * len(unit_ids))
    return await _models(
        db,
        f"""AND id IN (
              WITH RECURSIVE
                up(id) AS (SELECT id FROM units WHERE id IN ({marks})
                           UNION SELECT coalesce(units.merged_into_id, units.parent_id)
                                 FROM units JOIN up ON units.id = up.id
                                 WHERE coalesce(units.merged_into_id, units.parent_id) IS NOT NULL),
                down(id) AS (SELECT id FROM units WHERE id IN ({marks})
                             UNION SELECT units.id FROM units JOIN down
                                   ON units.parent_id = down.id OR units.merged_into_id = down.id)
              SELECT model_id FROM model_places
              WHERE unit_id IN (SELECT id FROM up UNION SELECT id FROM down))""",
        (*unit_ids, *unit_ids),
    )


async def models_inspected_by(db: Executor, cadre_id: int) -> list[Model]:
    """The open models whose assigned inspector the cadre is (storage/inspections.py)."""
    return await _models(db, "AND inspector_id = ? AND status IN ('active', 'replicated')", (cadre_id,))


async def search_models(db: Executor, query: str) -> list[Model]:
    """Models whose name or code contains every word of ``query``, diacritics or not."""
    if not fold(query):
        return []
    return [model for model in await _models(db) if matches(query, model.name, model.code)]
