"""The plan: each good row as it will be stored, references still as codes, and how it
compares with the row the database already has (so unchanged rows are not written)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.roster_import.spec import TREASURER
from storage.records import ModelLevel, Role, UnitKind

@dataclass(frozen=True)
class _Unit:
    row: int
    code: str
    name: str
    kind: UnitKind
    parent: str | None
    merged_into: str | None = None
    merged_on: date | None = None

    def state(self) -> tuple[object, ...]:
        merged_on = self.merged_on.isoformat() if self.merged_on else None
        return (self.name, self.kind.value, self.parent, self.merged_into, merged_on)

    @staticmethod
    def old_state(old: Mapping[str, object]) -> tuple[object, ...]:
        return (old["name"], old["kind"], old["parent_code"], old["merged_into"], old["merged_on"])


@dataclass(frozen=True)
class _Cadre:
    row: int
    code: str
    full_name: str
    phone: str | None
    role: Role
    title: str | None
    unit: str | None
    active: bool
    treasurer: bool = False

    def state(self) -> tuple[object, ...]:
        return (self.full_name, self.phone, self.role.value, self.title, self.unit, self.active, self.treasurer)

    @staticmethod
    def old_state(old: Mapping[str, object]) -> tuple[object, ...]:
        return (
            old["full_name"], old["phone"] or None, old["role"], old["title"] or None,
            old["unit_code"], bool(old["active"]), bool(old["treasurer"]),
        )


@dataclass(frozen=True)
class _Cell:
    row: int
    code: str
    name: str
    unit: str
    secretary: str | None
    meeting_day: str | None
    active: bool
    meets_on: str | None = None

    def state(self) -> tuple[object, ...]:
        return (self.name, self.unit, self.secretary, self.meeting_day, self.active, self.meets_on)

    @staticmethod
    def old_state(old: Mapping[str, object]) -> tuple[object, ...]:
        return (
            old["name"], old["unit_code"], old["secretary_code"], old["meeting_day"] or None,
            bool(old["active"]), old["meets_on"] or None,
        )


@dataclass(frozen=True)
class _Assignment:
    row: int
    cadre: str
    cell: str
    starts_on: date
    ends_on: date | None

    @property
    def code(self) -> tuple[str, str, str]:
        """The natural key: one cadre, one cell, one start."""
        return (self.cadre, self.cell, self.starts_on.isoformat())

    def state(self) -> tuple[object, ...]:
        return (self.ends_on.isoformat() if self.ends_on else None,)

    @staticmethod
    def old_state(old: Mapping[str, object]) -> tuple[object, ...]:
        return (old["ends_on"] or None,)


@dataclass(frozen=True)
class _Model:
    row: int
    code: str
    name: str
    level: ModelLevel
    owner_unit: str | None
    owner_name: str | None
    description: str | None
    places: tuple[str, ...]

    def state(self) -> tuple[object, ...]:
        return (
            self.name, self.level.value, self.owner_unit, self.owner_name, self.description,
            tuple(sorted(set(self.places))),
        )

    @staticmethod
    def old_state(old: Mapping[str, object]) -> tuple[object, ...]:
        places = old["places"]
        assert isinstance(places, list)
        return (
            old["name"], old["level"], old["owner_code"], old["owner_name"] or None,
            old["description"] or None, tuple(sorted(set(places))),
        )


_Record = _Unit | _Cadre | _Cell | _Assignment | _Model


def _old_key(sheet: str, old: Mapping[str, object]) -> object:
    if sheet == "assignments":
        return (old["cadre_code"], old["cell_code"], old["starts_on"])
    return old["code"]


def _old_as_text(sheet: str, old: Mapping[str, object]) -> dict[str, str]:
    """An existing row in the spreadsheet's terms: fills the columns a sheet leaves out."""
    if sheet == "models":
        places = old["places"]
        assert isinstance(places, list)
        owner = old["owner_code"] or old["owner_name"] or ""
        text = {"owner": str(owner), "places": ";".join(places)}
        return text | {k: str(old[k] or "") for k in ("name", "level", "description")}
    text = {key: "" if value is None else str(value) for key, value in old.items()}
    if sheet == "cadres" and old["treasurer"]:
        text["role"] = f"{old['role']}, {TREASURER}"
    return text


_CODE_BREAKERS = re.compile(r"[;,]")
_LOOKS_LIKE_CODE = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+|[A-Za-z]*\d[A-Za-z0-9]*")
