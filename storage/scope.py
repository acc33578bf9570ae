"""What a scoped administrator (or a cell secretary) may see and act on.

An admin's scope is their unit (cadres.unit_id): a commune admin sees that commune and
its villages; an admin of the district (or above, or without a unit, or named in
BAOCAO_ADMINS) sees everything. A cadre belongs to a scope through their own unit or
through any cell they are assigned to inside it.
"""

from __future__ import annotations

from datetime import date

from domain.collation import sorted_by_name
from storage.db import Executor
from storage.records import Cadre, UnitKind
from storage.roster import _cadre

WHOLE_ROSTER_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT)

_SUBTREE = """
WITH RECURSIVE subtree(id) AS (
    SELECT ? UNION SELECT u.id FROM units AS u JOIN subtree AS s ON u.parent_id = s.id
)"""


async def scope_of_admin(db: Executor, cadre: Cadre | None) -> int | None:
    """The unit an admin is limited to, or None for the whole roster."""
    if cadre is None or cadre.unit_id is None:
        return None
    kind = await db.fetchval("SELECT kind FROM units WHERE id = ?", (cadre.unit_id,))
    return None if kind in WHOLE_ROSTER_KINDS else cadre.unit_id


async def units_within(db: Executor, unit_id: int) -> set[int]:
    rows = await db.fetchall(f"{_SUBTREE} SELECT id FROM subtree", (unit_id,))
    return {row["id"] for row in rows}


async def cadre_in_scope(db: Executor, cadre_id: int, scope: int | None) -> bool:
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
