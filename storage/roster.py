"""The roster: units, cadres, cells, assignments and models.

Writes are upserts keyed by the codes of the operator's spreadsheet, so importing the
same roster twice changes nothing and a corrected roster updates rows in place. Nothing
here deletes: a cadre's Telegram link and the history of assignments survive re-imports.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from storage.db import Executor
from storage.records import Assignment, Cadre, Cell, Model, ModelLevel, Role, Unit, UnitKind


def _unit(row: sqlite3.Row) -> Unit:
    merged_on = row["merged_on"]
    return Unit(
        row["id"], row["code"], row["name"], UnitKind(row["kind"]), row["parent_id"],
        row["merged_into_id"], date.fromisoformat(merged_on) if merged_on else None,
    )


def _cadre(row: sqlite3.Row) -> Cadre:
    return Cadre(
        id=row["id"],
        code=row["code"],
        full_name=row["full_name"],
        phone=row["phone"],
        role=Role(row["role"]),
        title=row["title"],
        unit_id=row["unit_id"],
        telegram_id=row["telegram_id"],
        language=row["language"],
        active=bool(row["active"]),
        treasurer=bool(row["treasurer"]),
    )


def _cell(row: sqlite3.Row) -> Cell:
    return Cell(
        row["id"], row["code"], row["name"], row["unit_id"], row["secretary_id"], row["meeting_day"]
    )


def _assignment(row: sqlite3.Row) -> Assignment:
    ends = row["ends_on"]
    return Assignment(
        row["id"],
        row["cadre_id"],
        row["cell_id"],
        date.fromisoformat(row["starts_on"]),
        date.fromisoformat(ends) if ends else None,
    )


# --- writes (used by the roster import) -------------------------------------------------
#
# Each takes a batch of rows and writes it with one executemany: references are the
# spreadsheet's codes, resolved by subqueries on the UNIQUE code indexes, so the import
# never needs to read ids back. Rows of a batch are written in order: a unit's parent
# earlier in the same batch is already there when the unit is.

UnitRow = tuple[str, str, str, str | None, str]  # code, name, kind, parent code, now
CadreRow = tuple[str, str, str | None, str, str | None, str | None, int, str, int]
CellRow = tuple[str, str, str, str | None, str | None, int, str]
AssignmentRow = tuple[str, str, str, str | None, str]  # cadre code, cell code, starts, ends, now


async def upsert_units(tx: Executor, rows: list[UnitRow]) -> None:
    await tx.executemany(
        """INSERT INTO units (code, name, kind, parent_id, updated_at)
           VALUES (?1, ?2, ?3, (SELECT id FROM units WHERE code = ?4), ?5)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
               parent_id = excluded.parent_id, updated_at = excluded.updated_at""",
        rows,
    )


async def upsert_cadres(tx: Executor, rows: list[CadreRow]) -> None:
    """(code, full name, phone, role, title, unit code, active, now, treasurer) each."""
    await tx.executemany(
        """INSERT INTO cadres (code, full_name, phone, role, title, unit_id, active, updated_at, treasurer)
           VALUES (?1, ?2, ?3, ?4, ?5, (SELECT id FROM units WHERE code = ?6), ?7, ?8, ?9)
           ON CONFLICT (code) DO UPDATE SET full_name = excluded.full_name,
               phone = excluded.phone, role = excluded.role, title = excluded.title,
               unit_id = excluded.unit_id, active = excluded.active,
               updated_at = excluded.updated_at, treasurer = excluded.treasurer""",
        rows,
    )


async def upsert_cells(tx: Executor, rows: list[CellRow]) -> None:
    """(code, name, unit code, secretary's cadre code, meeting day, active, now, regular
    meeting day) each; the regular day (``meets_on``, migration 0022) is what meetings are
    derived from (scheduler/meetings.py)."""
    await tx.executemany(
        """INSERT INTO cells (code, name, unit_id, secretary_id, meeting_day, active, updated_at, meets_on)
           VALUES (?1, ?2, (SELECT id FROM units WHERE code = ?3),
                   (SELECT id FROM cadres WHERE code = ?4), ?5, ?6, ?7, ?8)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit_id = excluded.unit_id,
               secretary_id = excluded.secretary_id, meeting_day = excluded.meeting_day,
               active = excluded.active, updated_at = excluded.updated_at, meets_on = excluded.meets_on""",
        rows,
    )


async def upsert_assignments(tx: Executor, rows: list[AssignmentRow]) -> None:
    await tx.executemany(
        """INSERT INTO assignments (cadre_id, cell_id, starts_on, ends_on, updated_at)
           VALUES ((SELECT id FROM cadres WHERE code = ?1), (SELECT id FROM cells WHERE code = ?2),
                   ?3, ?4, ?5)
           ON CONFLICT (cadre_id, cell_id, starts_on) DO UPDATE SET
               ends_on = excluded.ends_on, updated_at = excluded.updated_at""",
        rows,
    )


async def set_mergers(tx: Executor, rows: list[tuple[str | None, str | None, str]]) -> None:
    """(merged-into unit code, merger date, unit code) each: records (or clears) mergers,
    written once every unit exists, as the unit one went into may come later."""
    await tx.executemany(
        """UPDATE units SET merged_into_id = (SELECT m.id FROM units AS m WHERE m.code = ?1), merged_on = ?2
           WHERE code = ?3""",
        rows,
    )


async def set_merger(tx: Executor, unit_id: int, merged_into_id: int | None, merged_on: date | None) -> None:
    """Records (or clears) a unit's merger; written after every unit exists, as the unit it
    went into may come later in the roster."""
    await tx.execute(
        "UPDATE units SET merged_into_id = ?, merged_on = ? WHERE id = ?",
        (merged_into_id, merged_on.isoformat() if merged_on else None, unit_id),
    )


async def upsert_cadre(
    tx: Executor,
    *,
    code: str,
    full_name: str,
    phone: str | None,
    role: Role,
    title: str | None,
    unit_id: int | None,
    active: bool,
    now: str,
    treasurer: bool = False,
) -> int:
    """One cadre, by unit id (tests and tools; the import writes batches)."""
    row = await tx.fetchone(
        """INSERT INTO cadres (code, full_name, phone, role, title, unit_id, active, updated_at, treasurer)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (code) DO UPDATE SET full_name = excluded.full_name,
               phone = excluded.phone, role = excluded.role, title = excluded.title,
               unit_id = excluded.unit_id, active = excluded.active,
               updated_at = excluded.updated_at, treasurer = excluded.treasurer
           RETURNING id""",
        (code, full_name, phone, role.value, title, unit_id, int(active), now, int(treasurer)),
    )
    assert row is not None
    return int(row["id"])


async def upsert_assignment(
    tx: Executor, cadre_id: int, cell_id: int, starts_on: date, ends_on: date | None, now: str
) -> int:
    """One assignment, by ids (tests and tools; the import writes batches)."""
    row = await tx.fetchone(
        """INSERT INTO assignments (cadre_id, cell_id, starts_on, ends_on, updated_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (cadre_id, cell_id, starts_on) DO UPDATE SET
               ends_on = excluded.ends_on, updated_at = excluded.updated_at
           RETURNING id""",
        (cadre_id, cell_id, starts_on.isoformat(), ends_on.isoformat() if ends_on else None, now),
    )
    assert row is not None
    return int(row["id"])


async def upsert_model(
    tx: Executor,
    *,
    code: str,
    name: str,
    level: ModelLevel,
    owner_unit_code: str | None,
    owner_name: str | None,
    description: str | None,
    place_codes: list[str],
    now: str,
) -> int:
    """Creates or updates a model; its places become ``place_codes`` and the places of
    its approved replications."""
    row = await tx.fetchone(
        """INSERT INTO models (code, name, level, owner_unit_id, owner_name, description,
                               updated_at)
           VALUES (?, ?, ?, (SELECT id FROM units WHERE code = ?), ?, ?, ?)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
               owner_unit_id = excluded.owner_unit_id, owner_name = excluded.owner_name,
               description = excluded.description, updated_at = excluded.updated_at
           RETURNING id""",
        (code, name, level.value, owner_unit_code, owner_name, description, now),
    )
    assert row is not None
    model_id = int(row["id"])
    await tx.execute("DELETE FROM model_places WHERE model_id = ?", (model_id,))
    await tx.executemany(
        "INSERT INTO model_places (model_id, unit_id) SELECT ?, id FROM units WHERE code = ?",
        [(model_id, place) for place in dict.fromkeys(place_codes)],
    )
    # Places added by an approved replication (storage/proposals.py) are not the roster's
    # to take away: a re-import of the models sheet keeps them.
    await tx.execute(
        """INSERT INTO model_places (model_id, unit_id)
           SELECT model_id, target_unit_id FROM model_proposals
           WHERE model_id = ? AND kind = 'replicate' AND status = 'approved'
           ON CONFLICT DO NOTHING""",
        (model_id,),
    )
    return model_id


# --- reads ----------------------------------------------------------------------------


async def unit_ids_by_code(db: Executor) -> dict[str, int]:
    rows = await db.fetchall("SELECT code, id FROM units")
    return {row["code"]: row["id"] for row in rows}


async def cadre_ids_by_code(db: Executor) -> dict[str, int]:
    rows = await db.fetchall("SELECT code, id FROM cadres")
    return {row["code"]: row["id"] for row in rows}


async def cell_ids_by_code(db: Executor) -> dict[str, int]:
    rows = await db.fetchall("SELECT code, id FROM cells")
    return {row["code"]: row["id"] for row in rows}


async def get_unit(db: Executor, unit_id: int) -> Unit | None:
    row = await db.fetchone("SELECT * FROM units WHERE id = ?", (unit_id,))
    return _unit(row) if row else None


async def child_units(db: Executor, parent_id: int | None) -> list[Unit]:
    """The units directly under a unit (``None``: the top of the tree), by name."""
    rows = await db.fetchall(
        "SELECT * FROM units WHERE parent_id IS ? ORDER BY name", (parent_id,)
    )
    return [_unit(row) for row in rows]


async def get_cadre(db: Executor, cadre_id: int) -> Cadre | None:
    row = await db.fetchone("SELECT * FROM cadres WHERE id = ?", (cadre_id,))
    return _cadre(row) if row else None


def cadre_from_row(row: sqlite3.Row) -> Cadre:
    return _cadre(row)


async def cadre_by_telegram_id(db: Executor, telegram_id: int) -> Cadre | None:
    row = await db.fetchone("SELECT * FROM cadres WHERE telegram_id = ?", (telegram_id,))
    return _cadre(row) if row else None


async def cadre_by_code(db: Executor, code: str) -> Cadre | None:
    row = await db.fetchone("SELECT * FROM cadres WHERE code = ?", (code,))
    return _cadre(row) if row else None


async def count_rows(db: Executor) -> dict[str, int]:
    """How many of each roster record there are: for the import summary and the tests."""
    row = await db.fetchone(
        """SELECT (SELECT count(*) FROM units) AS units,
                  (SELECT count(*) FROM cadres) AS cadres,
                  (SELECT count(*) FROM cells) AS cells,
                  (SELECT count(*) FROM assignments) AS assignments,
                  (SELECT count(*) FROM models) AS models,
                  (SELECT count(*) FROM model_places) AS model_places"""
    )
    assert row is not None
    return {key: int(row[key]) for key in row.keys()}


async def get_cell(db: Executor, cell_id: int) -> Cell | None:
    row = await db.fetchone("SELECT * FROM cells WHERE id = ?", (cell_id,))
    return _cell(row) if row else None


async def cells_of_unit(db: Executor, unit_id: int) -> list[Cell]:
    rows = await db.fetchall(
        "SELECT * FROM cells WHERE unit_id = ? AND active = 1 ORDER BY name", (unit_id,)
    )
    return [_cell(row) for row in rows]


async def assignments_of_cadre(db: Executor, cadre_id: int, on: date) -> list[Assignment]:
    """The cadre's assignments in force on a given day."""
    rows = await db.fetchall(
        """SELECT * FROM assignments
           WHERE cadre_id = ? AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)
           ORDER BY id""",
        (cadre_id, on.isoformat(), on.isoformat()),
    )
    return [_assignment(row) for row in rows]


async def get_model(db: Executor, model_id: int) -> Model | None:
    row = await db.fetchone("SELECT * FROM models WHERE id = ?", (model_id,))
    if row is None:
        return None
    places = await db.fetchall(
        "SELECT unit_id FROM model_places WHERE model_id = ? ORDER BY unit_id", (model_id,)
    )
    return Model(
        row["id"],
        row["code"],
        row["name"],
        ModelLevel(row["level"]),
        row["owner_name"],
        row["status"],
        tuple(p["unit_id"] for p in places),
    )


# --- the roster import's view of what is already there ---------------------------------


async def roster_snapshot(db: Executor) -> dict[str, list[dict[str, object]]]:
    """Every roster row, its references written as codes the way the spreadsheet writes them.

    The import resolves the operator's codes against these rows and compares them field by
    field, so it knows which rows an import creates, updates or leaves alone before it
    writes anything. Column names are the roster's own (``parent_code``, ``unit_code``...).
    """
    queries = {
        "units": """SELECT u.id, u.code, u.name, u.kind, p.code AS parent_code,
                           m.code AS merged_into, u.merged_on
                    FROM units u LEFT JOIN units p ON p.id = u.parent_id
                    LEFT JOIN units m ON m.id = u.merged_into_id ORDER BY u.id""",
        "cadres": """SELECT c.id, c.code, c.full_name, c.phone, c.role, c.title,
                            u.code AS unit_code, c.active, c.treasurer
                     FROM cadres c LEFT JOIN units u ON u.id = c.unit_id ORDER BY c.id""",
        "cells": """SELECT c.id, c.code, c.name, u.code AS unit_code,
                           s.code AS secretary_code, c.meeting_day, c.active, c.meets_on
                    FROM cells c JOIN units u ON u.id = c.unit_id
                    LEFT JOIN cadres s ON s.id = c.secretary_id ORDER BY c.id""",
        "assignments": """SELECT a.id, k.code AS cadre_code, c.code AS cell_code,
                                 a.starts_on, a.ends_on
                          FROM assignments a JOIN cadres k ON k.id = a.cadre_id
                          JOIN cells c ON c.id = a.cell_id ORDER BY a.id""",
        "models": """SELECT m.id, m.code, m.name, m.level, u.code AS owner_code,
                            m.owner_name, m.description
                     FROM models m LEFT JOIN units u ON u.id = m.owner_unit_id ORDER BY m.id""",
    }
    snapshot = {sheet: await db.fetchall(sql) for sheet, sql in queries.items()}
    places: dict[int, list[str]] = {}
    for row in await db.fetchall(
        """SELECT mp.model_id, u.code FROM model_places mp JOIN units u ON u.id = mp.unit_id
           ORDER BY u.code"""
    ):
        places.setdefault(row["model_id"], []).append(row["code"])
    result: dict[str, list[dict[str, object]]] = {
        sheet: [dict(row) for row in rows] for sheet, rows in snapshot.items()
    }
    for model, row in zip(result["models"], snapshot["models"]):
        model["places"] = places.get(row["id"], [])
    return result
