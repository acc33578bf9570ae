"""What a scoped administrator (or a cell secretary) may see and act on, and the
organisation's top unit.

The top unit is the lowest unit above every active cell (never a village): the commune of
a commune committee's roster, the province of a provincial one, the district of a legacy
one — however deep the tree. A unit merged into another (2025) counts as under it.

An admin's scope is their unit (cadres.unit_id): a commune admin sees that commune, its
villages and the communes merged into it; an admin of the top unit (or above it, or
without a unit, or named in BAOCAO_ADMINS) sees everything. A cadre belongs to a scope
through their own unit or through any cell they are assigned to inside it.
"""

from __future__ import annotations

from datetime import date

from domain.collation import sorted_by_name
from storage.db import Executor
from storage.records import Cadre, Unit, UnitKind
from storage.roster import _cadre, _unit

# A unit, what is under it and what was merged into it (whenever: an admin of the new
# commune answers for the history of the old ones).
_SUBTREE = """
WITH RECURSIVE subtree(id) AS (
    SELECT ? UNION SELECT u.id FROM units AS u JOIN subtree AS s
                   ON u.parent_id = s.id OR u.merged_into_id = s.id
)"""


async def scope_of_admin(db: Executor, cadre: Cadre | None) -> int | None:
    """The unit an admin is limited to, or None for the whole roster."""
    if cadre is None or cadre.unit_id is None:
        return None
    return None if await is_whole_roster(db, cadre.unit_id) else cadre.unit_id


# --- the top unit -----------------------------------------------------------------------------


async def _tree(db: Executor) -> tuple[dict[int, int | None], dict[int, UnitKind], set[int]]:
    """Each unit's effective parent (the unit it was merged into, else its parent), its kind,
    and the units that hold active cells. A few thousand small rows, read at once."""
    rows = await db.fetchall("SELECT id, kind, coalesce(merged_into_id, parent_id) AS up FROM units")
    above = {row["id"]: row["up"] for row in rows}
    kinds = {row["id"]: UnitKind(row["kind"]) for row in rows}
    cells = {row["unit_id"] for row in await db.fetchall("SELECT DISTINCT unit_id FROM cells WHERE active = 1")}
    return above, kinds, cells


def _path(unit_id: int, above: dict[int, int | None]) -> list[int]:
    """From the root down to the unit (a cycle, which the import refuses, is cut)."""
    path = [unit_id]
    while (parent := above.get(path[-1])) is not None and parent not in path and len(path) < 32:
        path.append(parent)
    return path[::-1]


def _tops(above: dict[int, int | None], kinds: dict[int, UnitKind], cells: set[int]) -> list[int]:
    """The top unit of each tree that holds cells (of each tree, when none does)."""
    by_root: dict[int, list[int]] = {}
    for unit_id in cells or set(above) - set(above.values()):  # else the leaves
        path = _path(unit_id, above)
        common = by_root.setdefault(path[0], path)
        length = next((i for i, (a, b) in enumerate(zip(common, path)) if a != b), min(len(common), len(path)))
        by_root[path[0]] = common[:length]
    tops = []
    for common in by_root.values():
        while len(common) > 1 and kinds[common[-1]] is UnitKind.VILLAGE:
            common = common[:-1]
        tops.append(common[-1])
    return sorted(tops)


async def top_units(db: Executor) -> list[Unit]:
    """The organisation's top unit; several when the roster holds separate trees."""
    ids = _tops(*await _tree(db))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = await db.fetchall(f"SELECT * FROM units WHERE id IN ({marks}) ORDER BY name", ids)
    return [_unit(row) for row in rows]


async def top_unit(db: Executor) -> Unit | None:
    """The organisation's top unit, when the roster is one tree."""
    tops = await top_units(db)
    return tops[0] if len(tops) == 1 else None


async def top_unit_of(db: Executor, unit_id: int | None) -> Unit | None:
    """The top unit of the tree a unit lies in (None for a unit above the top)."""
    if unit_id is None:
        return None
    above, kinds, cells = await _tree(db)
    path = set(_path(unit_id, above))
    found = [top for top in _tops(above, kinds, cells) if top in path]
    return await _get_unit(db, found[0]) if found else None


async def is_whole_roster(db: Executor, unit_id: int) -> bool:
    """Whether a unit is a top unit or above one: its admins see everything."""
    above, kinds, cells = await _tree(db)
    return any(unit_id in _path(top, above) for top in _tops(above, kinds, cells))


async def _get_unit(db: Executor, unit_id: int) -> Unit | None:
    row = await db.fetchone("SELECT * FROM units WHERE id = ?", (unit_id,))
    return _unit(row) if row else None


# --- membership of a scope --------------------------------------------------------------------


async def units_within(db: Executor, unit_id: int) -> set[int]:
    """The unit and every unit below it."""
    rows = await db.fetchall(f"{_SUBTREE} SELECT id FROM subtree", (unit_id,))
    return {row["id"] for row in rows}


async def cadre_in_scope(db: Executor, cadre_id: int, scope: int | None) -> bool:
    """Whether the cadre belongs to a unit of the scope or is assigned to one of its cells
    (None: the whole tree)."""
    if scope is None:
        return True
    row = await db.fetchone(
        f"""{_SUBTREE}
            SELECT 1 FROM cadres AS k WHERE k.id = ? AND (
                k.unit_id IN subtree OR EXISTS (
                    SELECT 1 FROM assignments AS a JOIN cells AS c ON c.id = a.cell_id
                    WHERE a.cadre_id = k.id AND c.unit_id IN subtree))""",
        (scope, cadre_id),
    )
    return row is not None


async def cell_in_scope(db: Executor, cell_id: int, scope: int | None) -> bool:
    """Whether the cell lies within the scope (None: the whole tree)."""
    if scope is None:
        return True
    row = await db.fetchone(
        f"{_SUBTREE} SELECT 1 FROM cells WHERE id = ? AND unit_id IN subtree", (scope, cell_id)
    )
    return row is not None


async def cadres_in_scope(db: Executor, scope: int | None) -> list[Cadre]:
    """Active cadres an admin may act for, by name."""
    if scope is None:
        rows = await db.fetchall("SELECT * FROM cadres WHERE active = 1 ORDER BY full_name")
    else:
        rows = await db.fetchall(
            f"""{_SUBTREE}
                SELECT * FROM cadres AS k WHERE k.active = 1 AND (
                    k.unit_id IN subtree OR EXISTS (
                        SELECT 1 FROM assignments AS a JOIN cells AS c ON c.id = a.cell_id
                        WHERE a.cadre_id = k.id AND c.unit_id IN subtree))
                ORDER BY k.full_name""",
            (scope,),
        )
    return sorted_by_name([_cadre(row) for row in rows], lambda c: c.full_name)


async def cadres_of_secretary(db: Executor, secretary_id: int, on: date) -> list[Cadre]:
    """The cadres assigned, on a day, to the cells whose secretary this is."""
    rows = await db.fetchall(
        """SELECT DISTINCT k.* FROM cadres AS k
           JOIN assignments AS a ON a.cadre_id = k.id
           JOIN cells AS c ON c.id = a.cell_id
           WHERE c.secretary_id = ? AND k.active = 1
             AND a.starts_on <= ? AND (a.ends_on IS NULL OR a.ends_on >= ?)
           ORDER BY k.full_name""",
        (secretary_id, on.isoformat(), on.isoformat()),
    )
    return sorted_by_name([_cadre(row) for row in rows], lambda c: c.full_name)


async def may_manage_cadre(db: Executor, admin_scope: int | None, cadre: Cadre, *, whole_roster: bool = False) -> bool:
    """Whether an admin limited to ``admin_scope`` (None: the whole roster) may act on a
    cadre's account (unlink it, mint an invite for it).

    Inside the scope, and never an admin of a wider scope: a commune admin who could
    unlink the top unit's admin and then mint a code for them would take over the
    account. ``whole_roster`` says the cadre is an admin by configuration (BAOCAO_ADMINS),
    which the roster does not show.
    """
    if admin_scope is None:
        return True
    if whole_roster or not await cadre_in_scope(db, cadre.id, admin_scope):
        return False
    if not cadre.is_admin:
        return True
    their_scope = await scope_of_admin(db, cadre)
    return their_scope is not None and their_scope in await units_within(db, admin_scope)
