"""Model inspections on a schedule: the plans (N a year per level), each model's
inspector, closing a model (conversion), and what is due or done.

The plans are rows of ``settings`` (``inspections_per_year.<level>``), defaults in
domain/inspections.py; they apply to everyone, so only a top unit's admin changes them
(the handler checks, this module audits). Whether a model is due is domain/inspections.py's
rule over the day of its last inspection; dates of inspections are the UTC day of
``submitted_at`` (at most a few hours off the local day, which a 92-day plan does not feel),
so no SQL date function is needed and the SQL stays valid PostgreSQL.

Reads for the summaries (engineer commend): ``overdue_inspections`` and
``inspections_in_quarter``, both limited to an admin's scope (None: everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain import inspections as rule
from domain.quarters import Quarter
from domain.textinput import fold
from storage import audit, scope as scopes
from storage.db import Database, Executor

SETTING_PREFIX = "inspections_per_year."
OPEN_STATUSES = ("active", "replicated")  # converted and dropped models are closed


class InspectionRefused(ValueError):
    """A change that cannot be made (an unknown model, a closed one, a bad number)."""


@dataclass(frozen=True, slots=True)
class PlannedModel:
    """A model under an inspection plan, with what the rule needs to know about it."""

    id: int
    code: str
    name: str
    level: str
    status: str
    inspector_id: int | None
    inspector_name: str | None
    last_inspected: date | None
    unit_ids: frozenset[int]  # its owner unit and places: what decides whose scope it is in


@dataclass(frozen=True, slots=True)
class OverdueInspection:
    model: PlannedModel
    due: rule.Due
    per_year: int


@dataclass(frozen=True, slots=True)
class InspectionDone:
    update_id: int
    model_id: int
    model_name: str
    level: str
    cadre_id: int
    assessment: str  # good | fair (shown «Cần củng cố») | ineffective
    proposal: str  # maintain | replicate | convert | commend
    submitted_at: str


# --- the plans --------------------------------------------------------------------------------


async def per_year(db: Executor) -> dict[str, int]:
    """Inspections a year per model level: the settings, else the defaults."""
    plans = dict(rule.DEFAULT_PER_YEAR)
    rows = await db.fetchall("SELECT key, value FROM settings WHERE key LIKE ?", (SETTING_PREFIX + "%",))
    for row in rows:
        level = row["key"][len(SETTING_PREFIX) :]
        if level in plans and str(row["value"]).isdigit():
            plans[level] = int(row["value"])
    return plans


async def set_per_year(
    db: Database, level: str, count: int, *, by: int | None, telegram_id: int | None, now: str
) -> None:
    """Changes one level's plan; audited. The caller has checked that this is a top admin."""
    if level not in rule.LEVELS or not 0 <= count <= rule.MAX_PER_YEAR:
        raise InspectionRefused(f"not a plan: {level}={count}")
    async with db.transaction() as tx:
        await tx.execute(
            """INSERT INTO settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                   updated_by = excluded.updated_by, updated_at = excluded.updated_at""",
            (SETTING_PREFIX + level, str(count), by, now),
        )
        await audit.record(
            tx, at=now, action="setting.inspections_per_year", actor_id=by, telegram_id=telegram_id,
            details={"level": level, "per_year": count},
        )


# --- a model's inspector and its closing --------------------------------------------------------


async def set_inspector(
    db: Database, model_id: int, cadre_id: int | None, *, by: int | None, telegram_id: int | None, now: str
) -> None:
    """Assigns (or, with None, removes) the model's inspector; audited. The caller has
    checked that the model and the cadre are in the admin's scope."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            f"UPDATE models SET inspector_id = ?, updated_at = ? WHERE id = ? AND status IN {OPEN_STATUSES}",
            (cadre_id, now, model_id),
        )
        if not changed:
            raise InspectionRefused(f"model {model_id} is not open")
        await audit.record(
            tx, at=now, action="model.inspector", actor_id=by, telegram_id=telegram_id,
            subject_type="model", subject_id=model_id, details={"inspector_id": cadre_id},
        )


async def convert_model(
    db: Database, model_id: int, reason: str, *, by: int | None, telegram_id: int | None, now: str
) -> bool:
    """Closes a model as converted, with the reason; its history (updates, inspections,
    proposals) stays. False when it was closed already (a second tap changes nothing)."""
    async with db.transaction() as tx:
        changed = await tx.execute_rowcount(
            f"""UPDATE models SET status = 'converted', closed_reason = ?, closed_at = ?, closed_by = ?,
                                  updated_at = ?
                WHERE id = ? AND status IN {OPEN_STATUSES}""",
            (reason, now, by, now, model_id),
        )
        if changed:
            await audit.record(
                tx, at=now, action="model.convert", actor_id=by, telegram_id=telegram_id,
                subject_type="model", subject_id=model_id, details={"reason_length": len(reason)},
            )
    return bool(changed)


async def is_inspector(db: Executor, model_id: int, cadre_id: int) -> bool:
    found = await db.fetchval("SELECT 1 FROM models WHERE id = ? AND inspector_id = ?", (model_id, cadre_id))
    return found is not None


# --- what is planned, due and done --------------------------------------------------------------


async def planned_models(db: Executor, scope: int | None = None) -> list[PlannedModel]:
    """The open models (not converted or dropped), with their inspector and last
    inspection, within ``scope`` (a unit; None: all)."""
    rows = await db.fetchall(
        f"""SELECT m.id, m.code, m.name, m.level, m.status, m.owner_unit_id, m.inspector_id,
                   k.full_name AS inspector_name,
                   (SELECT max(u.submitted_at) FROM model_updates AS u
                    WHERE u.model_id = m.id AND u.kind = 'inspection') AS last_at
            FROM models AS m LEFT JOIN cadres AS k ON k.id = m.inspector_id
            WHERE m.status IN {OPEN_STATUSES} ORDER BY m.id"""
    )
    places: dict[int, set[int]] = {}
    for row in await db.fetchall("SELECT model_id, unit_id FROM model_places"):
        places.setdefault(row["model_id"], set()).add(row["unit_id"])
    within = None if scope is None else await scopes.units_within(db, scope)
    found = []
    for row in rows:
        units = frozenset(places.get(row["id"], set()) | ({row["owner_unit_id"]} - {None}))
        if within is not None and not units & within:
            continue
        last = date.fromisoformat(row["last_at"][:10]) if row["last_at"] else None
        found.append(PlannedModel(row["id"], row["code"], row["name"], row["level"], row["status"],
                                  row["inspector_id"], row["inspector_name"], last, units))
    return found


async def overdue_inspections(db: Executor, scope: int | None, today: date) -> list[OverdueInspection]:
    """The open models within ``scope`` due an inspection on ``today`` (none within the
    plan's interval, or none ever), longest overdue first."""
    plans = await per_year(db)
    overdue = []
    for model in await planned_models(db, scope):
        count = plans.get(model.level, 0)
        if (due := rule.due(model.last_inspected, count, today)) is not None:
            overdue.append(OverdueInspection(model, due, count))
    return sorted(overdue, key=lambda o: (o.due.since or date.min, o.model.id))


async def inspections_in_quarter(db: Executor, scope: int | None, quarter: Quarter | str) -> list[InspectionDone]:
    """The inspections recorded in a quarter (``Quarter`` or '2026-Q4') on models within
    ``scope``, closed ones included (history is kept), oldest first."""
    key = quarter.key if isinstance(quarter, Quarter) else quarter
    rows = await db.fetchall(
        """SELECT u.id, u.model_id, m.name, m.level, m.owner_unit_id, u.cadre_id, u.assessment, u.proposal,
                  u.submitted_at
           FROM model_updates AS u JOIN models AS m ON m.id = u.model_id
           WHERE u.kind = 'inspection' AND u.quarter = ? ORDER BY u.submitted_at, u.id""",
        (key,),
    )
    within = None if scope is None else await scopes.units_within(db, scope)
    places: dict[int, set[int]] = {}
    if within is not None:
        for row in await db.fetchall("SELECT model_id, unit_id FROM model_places"):
            places.setdefault(row["model_id"], set()).add(row["unit_id"])
    done = []
    for row in rows:
        units = places.get(row["model_id"], set()) | ({row["owner_unit_id"]} - {None})
        if within is not None and not units & within:
            continue
        done.append(InspectionDone(row["id"], row["model_id"], row["name"], row["level"], row["cadre_id"],
                                   row["assessment"], row["proposal"], row["submitted_at"]))
    return done



async def model_name(db: Executor, model_id: int) -> str:
    """A model's name, whatever its status (a closed one is still named in its history)."""
    return str(await db.fetchval("SELECT name FROM models WHERE id = ?", (model_id,)) or "?")


async def inspects_any(db: Executor, cadre_id: int) -> bool:
    """Whether the cadre is the assigned inspector of an open model."""
    found = await db.fetchval(
        f"SELECT 1 FROM models WHERE inspector_id = ? AND status IN {OPEN_STATUSES} LIMIT 1", (cadre_id,)
    )
    return found is not None


async def place_named(db: Executor, text: str) -> int | None:
    """The one village (or commune) the typed places of a replication name, else None.

    An inspector types «Thôn 5 xã Đăk Ruồng»: units whose whole name occurs in the text
    (diacritics or not) are candidates; a village named together with its commune is
    that village. Anything that leaves more than one place (or none) is not guessed: an
    admin files the proposal with /dexuat then.
    """
    words = f" {fold(text).replace(',', ' ').replace('.', ' ')} "
    words = " " + " ".join(words.split()) + " "
    rows = await db.fetchall("SELECT id, name, kind, coalesce(merged_into_id, parent_id) AS up FROM units")
    named = [r for r in rows if fold(r["name"]) and f" {fold(r['name'])} " in words]
    ids = {r["id"] for r in named}
    villages = [r for r in named if r["kind"] == "village" and r["up"] in ids]
    if len(villages) == 1:
        return int(villages[0]["id"])
    if not villages and len(named) == 1:
        return int(named[0]["id"])
    return None
