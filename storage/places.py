"""Finding cells by place: the commune > village tree a cadre browses on their phone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.collation import sorted_by_name
from domain.textinput import fold
from storage.db import Executor
from storage.records import Cell, Unit, UnitKind
from storage.roster import _cell, _unit


@dataclass(frozen=True, slots=True)
class CellPlace:
    """A cell with the names a person recognises it by."""

    cell: Cell
    village: str
    commune: str | None

    @property
    def label(self) -> str:
        """The cell with its commune: villages of different communes share names."""
        return f"{self.cell.name} — {self.commune}" if self.commune else self.cell.name


async def communes(db: Executor, *, first: int | None = None) -> list[Unit]:
    """The communes of today (one merged into another is reached through it), in
    Vietnamese alphabetical order; the commune that holds the unit ``first`` (a commune
    admin's own) leads."""
    rows = await db.fetchall(
        "SELECT * FROM units WHERE kind = ? AND merged_into_id IS NULL", (UnitKind.COMMUNE.value,)
    )
    own = await commune_of(db, first) if first is not None else None
    return sorted_by_name([_unit(row) for row in rows], lambda u: u.name, first=lambda u: u.id == own)


async def commune_of(db: Executor, unit_id: int) -> int | None:
    """The commune a unit is, or lies in (a village's commune); None above communes."""
    row = await db.fetchone(
        """WITH RECURSIVE up(id, parent_id, kind) AS (
               SELECT id, parent_id, kind FROM units WHERE id = ?
               UNION ALL SELECT u.id, u.parent_id, u.kind FROM units AS u JOIN up ON u.id = up.parent_id
           )
           SELECT id FROM up WHERE kind = ?""",
        (unit_id, UnitKind.COMMUNE.value),
    )
    return row["id"] if row else None


async def cells_in_commune(db: Executor, commune_id: int) -> list[Cell]:
    """The active cells of a commune's villages (and of the communes merged into it)."""
    rows = await db.fetchall(
        """WITH commune(id) AS (SELECT id FROM units WHERE id = ? OR merged_into_id = ?)
           SELECT cells.* FROM cells JOIN units AS village ON village.id = cells.unit_id
           WHERE (village.parent_id IN commune OR village.id IN commune) AND cells.active = 1
           ORDER BY village.name, cells.name""",
        (commune_id, commune_id),
    )
    return [_cell(row) for row in rows]


async def cell_places(db: Executor, cell_ids: list[int]) -> dict[int, CellPlace]:
    """Cells by id with their village and commune names, in one query."""
    if not cell_ids:
        return {}
    marks = ",".join("?" * len(cell_ids))
    rows = await db.fetchall(
        f"""SELECT cells.*, village.name AS village_name, commune.name AS commune_name
            FROM cells JOIN units AS village ON village.id = cells.unit_id
            LEFT JOIN units AS commune ON commune.id = village.parent_id
                 AND commune.kind = 'commune'
            WHERE cells.id IN ({marks})""",  # noqa: S608 - only '?' placeholders are joined
        cell_ids,
    )
    return {
        row["id"]: CellPlace(_cell(row), row["village_name"], row["commune_name"]) for row in rows
    }


async def cell_place(db: Executor, cell_id: int) -> CellPlace | None:
    """The cell with its village and commune, or None."""
    return (await cell_places(db, [cell_id])).get(cell_id)


async def search_cells(db: Executor, query: str, *, first: frozenset[int] = frozenset()) -> list[CellPlace]:
    """Active cells whose name, village or commune (the village's own: after a merger, the
    old commune's name is what tells three «thôn 1» apart) holds every word of ``query``,
    diacritics or not: «thon 9 dak ruong» finds «Chi bộ thôn 9 — Đăk Ruồng». The cells in ``first`` (the cadre's own) come first, then by commune and
    name in natural order (thôn 2 before thôn 10).

    Folding is done here, not in SQL: a merged commune has a few hundred cells, a
    province ten thousand, read in one pass of a few milliseconds.
    """
    words = re.findall(r"\w+", fold(query))
    if not words:
        return []
    rows = await db.fetchall(
        """SELECT cells.*, village.name AS village_name, commune.name AS commune_name
           FROM cells JOIN units AS village ON village.id = cells.unit_id
           LEFT JOIN units AS commune ON commune.id = village.parent_id AND commune.kind = 'commune'
           WHERE cells.active = 1"""
    )
    found = [
        CellPlace(_cell(row), row["village_name"], row["commune_name"])
        for row in rows
        if _starts_words(words, row["name"], row["village_name"], row["commune_name"] or "", row["code"])
    ]
    return sorted(found, key=lambda p: (p.cell.id not in first, _natural(p.commune or ""), _natural(p.cell.name)))


def _starts_words(words: list[str], *fields: str) -> bool:
    """Every word typed begins a word of the fields: «thon 1» finds thôn 1 and thôn 12, not
    thôn 21; «ruon» finds Ruồng."""
    have = re.findall(r"\w+", fold(" ".join(fields)))
    return all(any(word.startswith(typed) for word in have) for typed in words)


def _natural(name: str) -> list[object]:
    """'thôn 9' before 'thôn 12', 'Đăk' among the D's."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", fold(name)) if part]
