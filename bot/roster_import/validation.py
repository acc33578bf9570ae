"""Checking the rows: every row against the rest of the import and the database, every
problem collected (not the first), and the plan built from the good rows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
import datetime as dt
from typing import Any, TypeVar, cast

from bot.roster_import.errors import Named, RosterRow, RowError, Word, column_name
from bot.roster_import.records import (
    _CODE_BREAKERS, _LOOKS_LIKE_CODE, _Assignment, _Cadre, _Cell, _Model, _old_as_text, _old_key, _Unit,
)
from bot.roster_import.spec import (
    _PARENT_KINDS, _ROLE_PARTS, MODEL_LEVELS, ROLES, SHEETS, TREASURER_WORDS, UNIT_KINDS, YES_NO, K,
    _choices, _dmy, fold, parse_date,
)
from domain.meetdays import MeetDayError, parse_regular
from domain.phones import PhoneError, normalise_phone
from storage.records import Role, UnitKind

R = TypeVar("R", _Unit, _Cadre, _Cell, _Assignment, _Model)

# domain.phones' reasons (it imports no texts) → their catalogue texts.
PHONE_REASONS = {
    "not a Vietnamese number": "import.phone.foreign",
    "a phone number has only digits": "import.phone.digits",
    "a Vietnamese mobile number has 10 digits, starting with 0": "import.phone.length",
    "not a Vietnamese mobile number": "import.phone.not_mobile",
}


def _kind(kind: UnitKind) -> Named:
    """A kind of unit in the reader's language: «xã», "commune"."""
    names = UNIT_KINDS[kind]
    return Named(names[0], names[1])


class _RowCheck:
    """Reads the cells of one row; each reader reports what is wrong and returns None then."""

    def __init__(self, check: _Validator, sheet: str, row: RosterRow) -> None:
        self.check, self.sheet, self.row = check, sheet, row
        self._errors_before = len(check.errors)

    @property
    def failed(self) -> bool:
        return len(self.check.errors) > self._errors_before

    def fail(self, column: str | None, key: str, /, **values: object) -> None:
        self.check.error(self.sheet, self.row.number, column, key, **values)

    def text(self, column: str) -> str | None:
        return self.row.get(column) or None

    def required(self, column: str) -> str | None:
        value = self.text(column)
        if value is None:
            self.fail(column, "import.missing", column=column_name(self.sheet, column))
        return value

    def choice(
        self, column: str, table: Mapping[K, tuple[str, ...]], default: K | None = None, *, value: str | None = None
    ) -> K | None:
        """One of a few values; blank gives ``default`` or, with none, a missing-value error.
        ``value``: a part of the cell to read instead of the whole."""
        value = value if value is not None else self.text(column)
        if value is None:
            if default is None:
                self.required(column)  # reports it missing
            return default
        found = _choices(table).get(fold(value))
        if found is None:
            choices = ", ".join(f"{names[0]} ({names[1]})" for names in table.values())
            self.fail(column, "import.unknown_choice", column=column_name(self.sheet, column), value=value,
                      choices=choices)
        return found

    def role(self) -> tuple[Role, bool] | None:
        """The role and whether the cadre keeps the fund: «thủ quỹ», «bí thư», «quản
        trị, thủ quỹ»; blank is a plain cadre. Two roles in one cell is an error."""
        parts = [part for part in _ROLE_PARTS.split(self.text("role") or "") if part]
        treasurer = [part for part in parts if fold(part) in _choices(TREASURER_WORDS)]
        roles = [part for part in parts if part not in treasurer]
        if len(roles) > 1:
            self.fail("role", "import.two_roles", value=self.row["role"])
            return None
        role = self.choice("role", ROLES, Role.CADRE, value=roles[0]) if roles else Role.CADRE
        return (role, bool(treasurer)) if role is not None else None

    def ref(self, column: str, target: str, noun: str, *, required: bool = False) -> str | None:
        """A code of ``target`` given in this import or already in the database."""
        code = self.required(column) if required else self.text(column)
        if code and not self.check.known(target, code):
            self.fail(column, "import.unknown_ref", noun=Word(f"import.noun.{noun}"), code=code)
        return code

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.required(column) if required else self.text(column)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.fail(column, "import.bad_date", value=value)
            return None

    def phone(self) -> str | None:
        value = self.text("phone")
        if value is None:
            return None
        try:
            return normalise_phone(value)
        except PhoneError as exc:
            detail = PHONE_REASONS.get(str(exc))
            self.fail("phone", "import.bad_phone", value=value, detail=Word(detail) if detail else str(exc))
            return None


class _Validator:
    """Checks every row against the rest of the import and what the database holds.

    It collects all errors instead of stopping at the first, and builds the plan: the
    roster as it will be once written, one record per good row.
    """

    def __init__(
        self, tables: Mapping[str, list[RosterRow]], snapshot: Mapping[str, list[dict[str, object]]]
    ) -> None:
        self.tables = tables
        self.errors: list[RowError] = []
        self.old = {s: {_old_key(s, row): row for row in snapshot[s]} for s in SHEETS}
        # Codes the import mentions, even on bad rows: a reference to them is not "unknown".
        self.given = {
            s: {row["code"] for row in tables.get(s, []) if row.get("code")} for s in SHEETS
        }
        self.units: dict[str, _Unit] = {}
        self.cadres: dict[str, _Cadre] = {}
        self.cells: dict[str, _Cell] = {}
        self.assignments: dict[tuple[str, str, str], _Assignment] = {}
        self.models: dict[str, _Model] = {}

    def run(self) -> None:
        for row in self._coded_rows("units"):
            self._keep(self.units, self._unit(_RowCheck(self, "units", row)))
        for row in self._coded_rows("cadres"):
            self._keep(self.cadres, self._cadre(_RowCheck(self, "cadres", row)))
        for row in self._coded_rows("cells"):
            self._keep(self.cells, self._cell(_RowCheck(self, "cells", row)))
        for row in self.tables.get("assignments", []):
            self._keep(self.assignments, self._assignment(_RowCheck(self, "assignments", row)))
        for row in self._coded_rows("models"):
            self._keep(self.models, self._model(_RowCheck(self, "models", row)))
        self._check_unit_tree()
        self._check_children_in_db()
        self._check_phones()

    @staticmethod
    def _keep(plan: dict[Any, R], record: R | None) -> None:
        if record is not None:
            plan[record.code] = record

    def error(self, sheet: str, row: int, column: str | None, key: str, /, **values: object) -> None:
        self.errors.append(RowError.of(sheet, row, column, key, **values))

    def known(self, sheet: str, code: str) -> bool:
        return code in self.old[sheet] or code in self.given[sheet]

    def _coded_rows(self, sheet: str) -> Iterator[RosterRow]:
        """Rows with a usable, unique code, the columns the sheet lacks filled from the
        database (a cadres sheet of codes, names and phones must not erase titles)."""
        first_row: dict[str, int] = {}
        for row in self.tables.get(sheet, []):
            number, code = row.number, row.get("code", "")
            if not code:
                self.error(sheet, number, "code", "import.missing", column=column_name(sheet, "code"))
            elif _CODE_BREAKERS.search(code):
                self.error(sheet, number, "code", "import.code_breaker", code=code)
            elif code in first_row:
                self.error(sheet, number, "code", "import.duplicate_code", code=code, row=first_row[code])
            else:
                first_row[code] = number
                old = self.old[sheet].get(code)
                yield RosterRow(number, (_old_as_text(sheet, old) if old else {}) | row)

    # -- one function per sheet --------------------------------------------------------------

    def _unit(self, r: _RowCheck) -> _Unit | None:
        name, kind = r.required("name"), r.choice("kind", UNIT_KINDS)
        parent = r.ref("parent_code", "units", "parent")
        merged_into, merged_on = r.ref("merged_into", "units", "unit"), r.date("merged_on")
        if merged_into == r.row["code"]:
            r.fail("merged_into", "import.merged_into_itself", code=merged_into)
        elif merged_into and merged_on is None and not r.failed:
            r.fail("merged_on", "import.merger_date_missing", code=merged_into)
        elif merged_on and not merged_into:
            r.fail("merged_into", "import.merger_date_alone")
        if r.failed or name is None or kind is None:
            return None
        return _Unit(r.row.number, r.row["code"], name, kind, parent, merged_into, merged_on)

    def _cadre(self, r: _RowCheck) -> _Cadre | None:
        full_name, phone = r.required("full_name"), r.phone()
        role = r.role()
        unit = r.ref("unit_code", "units", "unit")
        active = r.choice("active", YES_NO, True)
        if r.failed or full_name is None or role is None or active is None:
            return None
        title = r.text("title")
        return _Cadre(r.row.number, r.row["code"], full_name, phone, role[0], title, unit, active, role[1])

    def _cell(self, r: _RowCheck) -> _Cell | None:
        name = r.required("name")
        unit = r.ref("unit_code", "units", "unit", required=True)
        secretary = self._secretary(r)
        active = r.choice("active", YES_NO, True)
        meets_on = self._meets_on(r)
        if r.failed or name is None or unit is None or active is None:
            return None
        meeting_day = r.text("meeting_day")
        return _Cell(r.row.number, r.row["code"], name, unit, secretary, meeting_day, active, meets_on)

    @staticmethod
    def _meets_on(r: _RowCheck) -> str | None:
        """The regular meeting day in its canonical form: «ngày 5 hằng tháng 19:30»."""
        text = r.text("meets_on")
        if text is None:
            return None
        try:
            return parse_regular(text).text()
        except MeetDayError:
            r.fail("meets_on", "import.bad_meets_on", value=text)
            return None

    def _secretary(self, r: _RowCheck) -> str | None:
        """A cell's secretary must be on the cadres sheet (a common slip: the cell's code)."""
        code = r.text("secretary_code")
        if code is None or self.known("cadres", code):
            return code
        other = next((s for s in ("cells", "units") if self.known(s, code)), None)
        if other:
            r.fail("secretary_code", "import.secretary_not_cadre", code=code, other=Word(f"import.noun.{other[:-1]}"))
        else:
            r.fail("secretary_code", "import.unknown_ref", noun=Word("import.noun.secretary"), code=code)
        return None

    def _assignment(self, r: _RowCheck) -> _Assignment | None:
        cadre = r.ref("cadre_code", "cadres", "cadre", required=True)
        cell = r.ref("cell_code", "cells", "cell", required=True)
        starts_on = r.date("starts_on", required=True)
        if r.failed or cadre is None or cell is None or starts_on is None:
            r.date("ends_on")
            return None
        key = (cadre, cell, starts_on.isoformat())
        old = self.old["assignments"].get(key)
        if "ends_on" not in r.row and old:  # no such column: keep the end already recorded
            r.row = RosterRow(r.row.number, r.row | {"ends_on": str(old["ends_on"] or "")})
        ends_on = r.date("ends_on")
        if ends_on and ends_on < starts_on:
            r.fail("ends_on", "import.end_before_start", end=_dmy(ends_on), start=_dmy(starts_on))
        if key in self.assignments:
            r.fail(None, "import.duplicate_assignment", cadre=cadre, cell=cell, start=_dmy(starts_on),
                   row=self.assignments[key].row)
        if r.failed:
            return None
        return _Assignment(r.row.number, cadre, cell, starts_on, ends_on)

    def _model(self, r: _RowCheck) -> _Model | None:
        name, level = r.required("name"), r.choice("level", MODEL_LEVELS)
        owner_unit, owner_name = self._owner(r)
        places = tuple(p.strip() for p in _CODE_BREAKERS.split(r.text("places") or "") if p.strip())
        for place in places:
            if not self.known("units", place):
                r.fail("places", "import.unknown_ref", noun=Word("import.noun.place"), code=place)
        if r.failed or name is None or level is None:
            return None
        description = r.text("description")
        code = r.row["code"]
        return _Model(r.row.number, code, name, level, owner_unit, owner_name, description, places)

    def _owner(self, r: _RowCheck) -> tuple[str | None, str | None]:
        """A unit code, stored as the unit (and its name, for display), or free text such as
        'Tòa án huyện'. Text shaped like a code but unknown is a typo, not a name."""
        owner = r.text("owner")
        if owner is None:
            return None, None
        if self.known("units", owner):
            unit, old = self.units.get(owner), self.old["units"].get(owner)
            return owner, unit.name if unit else str(old["name"]) if old else None
        if _LOOKS_LIKE_CODE.fullmatch(owner):
            r.fail("owner", "import.unknown_ref", noun=Word("import.noun.owner"), code=owner)
        return None, owner

    # -- checks across rows ---------------------------------------------------------------

    def _check_unit_tree(self) -> None:
        """No cycles, and each unit under the kind of unit it belongs under."""
        parent = {code: old["parent_code"] for code, old in self.old["units"].items()}
        kind = {code: UnitKind(cast(str, old["kind"])) for code, old in self.old["units"].items()}
        for code in self.given["units"]:
            kind.pop(code, None)  # a bad row's kind is unknown, not the database's
        for unit in self.units.values():
            parent[unit.code], kind[unit.code] = unit.parent, unit.kind
        merged = {code: old["merged_into"] for code, old in self.old["units"].items()}
        merged.update({u.code: u.merged_into for u in self.units.values()})
        for unit in self.units.values():
            cycle = _cycle_through(unit.code, parent)
            if cycle:
                self.error("units", unit.row, "parent_code", "import.cycle_parents", path=" > ".join(cycle))
            elif unit.parent:
                self._check_fit(unit, kind.get(unit.parent))
            cycle = _cycle_through(unit.code, merged)
            if cycle:
                self.error("units", unit.row, "merged_into", "import.cycle_mergers", path=" > ".join(cycle))

    def _check_fit(self, unit: _Unit, parent_kind: UnitKind | None) -> None:
        expected = _PARENT_KINDS[unit.kind]
        if not expected:
            self.error("units", unit.row, "parent_code", "import.province_under", parent=unit.parent)
        elif parent_kind is not None and parent_kind not in expected:
            self.error("units", unit.row, "parent_code", "import.wrong_parent", kind=_kind(unit.kind),
                       kinds=tuple(_kind(k) for k in expected), parent=unit.parent, parent_kind=_kind(parent_kind))

    def _check_children_in_db(self) -> None:
        """A unit whose kind the import changes must still fit the units under it."""
        for code, old in self.old["units"].items():
            above = self.units.get(cast(str, old["parent_code"] or ""))
            if code in self.given["units"] or above is None:
                continue
            kind = UnitKind(cast(str, old["kind"]))
            if above.kind not in _PARENT_KINDS[kind]:
                self.error("units", above.row, "kind", "import.child_in_db", kind=_kind(kind), code=code,
                           above=_kind(above.kind))

    def _check_phones(self) -> None:
        """One phone, one cadre: linking a Telegram account by its shared contact relies on it."""
        owner: dict[str, tuple[str, int | None]] = {}
        for code, old in self.old["cadres"].items():
            if code not in self.given["cadres"] and old["phone"]:
                owner.setdefault(cast(str, old["phone"]), (cast(str, code), None))
        for cadre in self.cadres.values():
            if cadre.phone is None:
                continue
            other, row = owner.setdefault(cadre.phone, (cadre.code, cadre.row))
            if other != cadre.code:
                where = Word("import.where_row", (("row", row),)) if row else Word("import.where_db")
                self.error("cadres", cadre.row, "phone", "import.phone_taken", phone=f"0{cadre.phone[3:]}", code=other,
                           where=where)


def _cycle_through(start: str, parent: Mapping[str, object]) -> list[str] | None:
    """The parent chain from ``start`` back to itself, if ``start`` is on a cycle."""
    path = [start]
    current = parent.get(start)
    while current is not None and len(path) <= len(parent):
        if current == start:
            return path + [start]
        if current in path:
            return None  # a cycle further up, reported by its own members
        path.append(str(current))
        current = parent.get(str(current))
    return None
