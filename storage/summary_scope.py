"""The SQL fragments every scoped summary query shares: a scope's units, whether a
column lies in it, and the commune of a cell (after the 2025 mergers). storage/summaries.py
and the modules that read like it (quarterly, materials, meetings) build on them."""

from __future__ import annotations

from storage.db import Executor

# The scope's units: the unit, everything under it, and the units merged into it by
# :merged_by.
_SCOPE = """
scope(id) AS (
    SELECT id FROM units WHERE id = :scope
    UNION
    SELECT u.id FROM units AS u JOIN scope AS s
         ON u.parent_id = s.id OR (u.merged_into_id = s.id AND u.merged_on <= :merged_by)
)"""
ALWAYS = "9999-12-31"  # :merged_by for what has no period: every merger counts


async def _narrowing(db: Executor, scope: int | None) -> int | None:
    """The scope, or None when it holds every unit: the one unit without a parent, which
    every other reaches through its parents (the import refuses cycles). The top unit's
    summary then reads the province without listing its 11,000 units first."""
    if scope is None:
        return None
    roots = await db.fetchall("SELECT id FROM units WHERE parent_id IS NULL LIMIT 2")
    return None if [row["id"] for row in roots] == [scope] else scope


def _in_scope(scope: int | None, column: str) -> tuple[str, str]:
    """(the WITH clause, the condition) that keep ``column`` (a unit id) inside the scope."""
    if scope is None:
        return "", "1"
    return f"WITH RECURSIVE {_SCOPE}", f"{column} IN scope"


# The commune of a cell: its village's parent (or the unit itself when a cell sits
# directly under a commune) — or the commune that one was merged into by :merged_by.
_COMMUNE_OF_CELL = """
JOIN units AS village ON village.id = cell.unit_id
LEFT JOIN units AS old_commune
     ON old_commune.id = CASE WHEN village.kind = 'commune' THEN village.id ELSE village.parent_id END
LEFT JOIN units AS commune
     ON commune.id = CASE WHEN old_commune.merged_on <= :merged_by THEN old_commune.merged_into_id
                          ELSE old_commune.id END"""
_COMMUNE_JOIN = f"""
JOIN cells AS cell ON cell.id = o.cell_id{_COMMUNE_OF_CELL}"""
