"""What an import writes: the changed rows only, parents before children, as (writer,
rows) pairs that ``import_roster`` writes in short transactions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from bot.roster_import.errors import ImportResult
from bot.roster_import.records import _Assignment, _Cadre, _Cell, _Model, _Record, _Unit
from bot.roster_import.spec import SHEETS
from bot.roster_import.validation import _Validator
from storage import roster as store
from storage.db import Executor

Writes = list[tuple[Callable[[Executor, list[Any]], Awaitable[None]], list[Any]]]

R = TypeVar("R", _Unit, _Cadre, _Cell, _Assignment, _Model)


def _changed(records: Iterable[R], old: Mapping[object, Mapping[str, object]]) -> list[R]:
    """The records that are new or differ from the row the database already has."""
    return [r for r in records if r.code not in old or r.state() != r.old_state(old[r.code])]


def _ids(old: Mapping[object, Mapping[str, object]]) -> dict[str, int]:
    return {str(code): cast(int, row["id"]) for code, row in old.items()}


def _depth(code: str, parent: Mapping[str, str | None]) -> int:
    depth, current = 0, parent.get(code)
    while current is not None:
        depth, current = depth + 1, parent.get(current)
    return depth


@dataclass
class _Changes:
    """The rows an import writes, per sheet; everything else it leaves untouched."""

    units: list[_Unit]
    cadres: list[_Cadre]
    cells: list[_Cell]
    assignments: list[_Assignment]
    models: list[_Model]

    @classmethod
    def of(cls, check: _Validator) -> _Changes:
        return cls(
            _changed(check.units.values(), check.old["units"]),
            _changed(check.cadres.values(), check.old["cadres"]),
            _changed(check.cells.values(), check.old["cells"]),
            _changed(check.assignments.values(), check.old["assignments"]),
            _changed(check.models.values(), check.old["models"]),
        )

    def result(self, check: _Validator) -> ImportResult:
        created, updated, unchanged = {}, {}, {}
        for sheet in SHEETS:
            changed: list[_Record] = getattr(self, sheet)
            given, old = len(getattr(check, sheet)), check.old[sheet]
            created[sheet] = sum(1 for record in changed if record.code not in old)
            updated[sheet] = len(changed) - created[sheet]
            unchanged[sheet] = given - len(changed)
        return ImportResult(created, updated, unchanged)


# The write lock is taken for one chunk at a time, and let go for a moment in between,
# so that the bot (another process, or other coroutines on this connection) can store a
# report while a large roster is written: a 100,000-cadre roster in one transaction
# held the lock longer than the bot's busy timeout. SQLite's busy handler polls every


def _writes(check: _Validator, changes: _Changes, now: str) -> Writes:
    """The changed rows as (writer, rows), parents before children: units by depth (a
    parent in an earlier row), then cadres, cells, assignments and models."""
    parent = {str(code): cast(str | None, old["parent_code"]) for code, old in check.old["units"].items()}
    parent.update({u.code: u.parent for u in check.units.values()})
    units = sorted(changes.units, key=lambda u: _depth(u.code, parent))
    return [
        (store.upsert_units, [(u.code, u.name, u.kind.value, u.parent, now) for u in units]),
        # once every unit exists: a unit may merge into a later one
        (store.set_mergers, [
            (u.merged_into, u.merged_on.isoformat() if u.merged_on else None, u.code) for u in units
        ]),
        (store.upsert_cadres, [
            (c.code, c.full_name, c.phone, c.role.value, c.title, c.unit, int(c.active), now, int(c.treasurer))
            for c in changes.cadres
        ]),
        (store.upsert_cells, [
            (c.code, c.name, c.unit, c.secretary, c.meeting_day, int(c.active), now, c.meets_on)
            for c in changes.cells
        ]),
        (store.upsert_assignments, [
            (a.cadre, a.cell, a.starts_on.isoformat(), a.ends_on.isoformat() if a.ends_on else None, now)
            for a in changes.assignments
        ]),
        (_write_models, [(m, now) for m in changes.models]),
    ]


async def _write_models(tx: Executor, models: list[tuple[_Model, str]]) -> None:
    for m, now in models:
        await store.upsert_model(
            tx, code=m.code, name=m.name, level=m.level, owner_unit_code=m.owner_unit,
            owner_name=m.owner_name, description=m.description, place_codes=list(m.places), now=now,
        )
