"""The roster import: units, cadres, cells, assignments and models from the operator's spreadsheet.

The district office already keeps its people and places in Excel, with Vietnamese headers
typed by hand. So the import is forgiving about *form* (English or Vietnamese headers and
values, any case, with or without diacritics, numbers where text was meant, dates as real
dates or as dd/mm/yyyy text) and strict about *content*: every bad row is reported at once,
with the row number the operator sees in Excel, and a roster with any error writes nothing.
A good roster is written in one transaction, and rows that did not change are not touched.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar, cast

import openpyxl

from bot.phones import PhoneError, normalise_phone
from storage import roster as store
from storage.db import Database, Executor
from storage.records import ModelLevel, Role, UnitKind

SHEETS = ("units", "cadres", "cells", "assignments", "models")


# --- the format: sheets, columns and the names people give them -------------------------


@dataclass(frozen=True)
class Column:
    name: str  # canonical, English
    label: str  # how error messages name it
    aliases: tuple[str, ...]  # headers accepted besides ``name``; the first is the Vietnamese one
    required: bool = False


@dataclass(frozen=True)
class SheetSpec:
    name: str
    aliases: tuple[str, ...]  # sheet or file names accepted besides ``name``
    columns: tuple[Column, ...]


def _active() -> Column:
    return Column("active", "active", ("Đang hoạt động", "Hoạt động", "Còn hoạt động"))


SHEET_SPECS: dict[str, SheetSpec] = {
    spec.name: spec
    for spec in (
        SheetSpec(
            "units",
            ("Đơn vị", "Địa bàn", "unit"),
            (
                Column("code", "code", ("Mã", "Mã đơn vị"), required=True),
                Column("name", "name", ("Tên", "Tên đơn vị"), required=True),
                Column("kind", "kind", ("Cấp", "Loại"), required=True),
                Column("parent_code", "parent", ("Mã cấp trên", "Cấp trên", "parent")),
            ),
        ),
        SheetSpec(
            "cadres",
            ("Cán bộ", "cadre"),
            (
                Column("code", "code", ("Mã", "Mã cán bộ"), required=True),
                Column("full_name", "full name", ("Họ và tên", "Họ tên", "Tên", "name"), required=True),
                Column("phone", "phone", ("Số điện thoại", "Điện thoại", "SĐT", "ĐT")),
                Column("role", "role", ("Vai trò",)),
                Column("title", "title", ("Chức vụ",)),
                Column("unit_code", "unit", ("Đơn vị", "Mã đơn vị", "unit")),
                _active(),
            ),
        ),
        SheetSpec(
            "cells",
            ("Chi bộ", "cell"),
            (
                Column("code", "code", ("Mã", "Mã chi bộ"), required=True),
                Column("name", "name", ("Tên", "Tên chi bộ"), required=True),
                Column("unit_code", "unit", ("Đơn vị", "Mã đơn vị", "Thôn", "unit"), required=True),
                Column("secretary_code", "secretary", ("Bí thư", "Mã bí thư", "secretary")),
                Column("meeting_day", "meeting day", ("Ngày sinh hoạt", "Lịch sinh hoạt")),
                _active(),
            ),
        ),
        SheetSpec(
            "assignments",
            ("Phân công", "assignment"),
            (
                Column("cadre_code", "cadre", ("Mã cán bộ", "Cán bộ", "cadre"), required=True),
                Column("cell_code", "cell", ("Mã chi bộ", "Chi bộ", "cell"), required=True),
                Column("starts_on", "start date", ("Từ ngày", "Ngày bắt đầu", "start"), required=True),
                Column("ends_on", "end date", ("Đến ngày", "Ngày kết thúc", "end")),
            ),
        ),
        SheetSpec(
            "models",
            ("Mô hình", "model"),
            (
                Column("code", "code", ("Mã", "Mã mô hình"), required=True),
                Column("name", "name", ("Tên", "Tên mô hình"), required=True),
                Column("level", "level", ("Mức", "Cấp"), required=True),
                Column("owner", "owner", ("Đơn vị chủ trì", "Chủ trì", "owner_code")),
                Column("places", "places", ("Địa bàn", "Nơi thực hiện", "place")),
                Column("description", "description", ("Mô tả", "Ghi chú")),
            ),
        ),
    )
}

# Values: stored value → what operators write, Vietnamese first, then English (matched
# like headers; the first two name the choice in error messages).
UNIT_KINDS: dict[UnitKind, tuple[str, ...]] = {
    UnitKind.PROVINCE: ("tỉnh", "province", "thành phố trực thuộc trung ương"),
    UnitKind.DISTRICT: ("huyện", "district", "quận", "thị xã"),
    UnitKind.COMMUNE: ("xã", "commune", "phường", "thị trấn", "ward", "town"),
    UnitKind.VILLAGE: (
        "thôn", "village", "làng", "tổ dân phố", "khu dân cư", "ấp", "bản", "buôn", "plei",
        "khối phố", "tổ", "street group",
    ),
}
ROLES: dict[Role, tuple[str, ...]] = {
    Role.CADRE: ("cán bộ", "cadre", "cấp ủy viên", "huyện ủy viên", "member"),
    Role.SECRETARY: ("bí thư", "secretary", "bí thư chi bộ"),
    Role.ADMIN: ("quản trị", "admin", "quản trị viên", "administrator"),
}
MODEL_LEVELS: dict[ModelLevel, tuple[str, ...]] = {
    ModelLevel.PROVINCE: ("điểm cấp tỉnh", "province", "cấp tỉnh", "tỉnh"),
    ModelLevel.DISTRICT: ("cấp huyện", "district", "điểm cấp huyện", "huyện"),
    ModelLevel.GRASSROOTS: ("cơ sở", "grassroots", "cấp cơ sở", "cấp xã", "điểm cơ sở"),
}
YES_NO: dict[bool, tuple[str, ...]] = {
    True: ("có", "yes", "y", "true", "1", "x", "đúng", "còn"),
    False: ("không", "no", "n", "false", "0", "sai", "nghỉ"),
}

# The parent each kind of unit must have (None: it has none).
_PARENT_KIND: dict[UnitKind, UnitKind | None] = {
    UnitKind.PROVINCE: None,
    UnitKind.DISTRICT: UnitKind.PROVINCE,
    UnitKind.COMMUNE: UnitKind.DISTRICT,
    UnitKind.VILLAGE: UnitKind.COMMUNE,
}


def fold(text: str) -> str:
    """The form names are compared in: lower case, no diacritics, ``_``/``-`` as spaces.

    So 'Mã cấp trên', 'MA CAP TREN' and 'ma_cap_tren' are one header, and the old and new
    accent placements ('uỷ', 'ủy') are one word.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[_\-]+", " ", bare.casefold()).split())


K = TypeVar("K")


def _lookup(table: Mapping[K, Iterable[str]]) -> dict[str, K]:
    """Folded alias → key; a string key is its own alias too."""
    found = {fold(alias): key for key, aliases in table.items() for alias in aliases}
    return found | {fold(key): key for key in table if isinstance(key, str)}


_CHOICE_LOOKUPS: dict[int, dict[str, object]] = {}


def _choices(table: Mapping[K, Iterable[str]]) -> dict[str, K]:
    """``_lookup`` of one of the value tables above, built once."""
    found = _CHOICE_LOOKUPS.setdefault(id(table), _lookup(table))
    return cast(dict[str, K], found)


_SHEET_NAMES = _lookup({name: spec.aliases for name, spec in SHEET_SPECS.items()})
_HEADERS = {
    name: _lookup({column.name: column.aliases for column in spec.columns})
    for name, spec in SHEET_SPECS.items()
}


def sheet_for_name(name: str) -> str | None:
    """The canonical sheet a worksheet title or CSV file stem stands for (plurals too)."""
    key = fold(name)
    return _SHEET_NAMES.get(key) or _SHEET_NAMES.get(key.removesuffix("s"))


def column_for_header(sheet: str, header: str) -> str | None:
    """The canonical column a header stands for, or None for a column the import ignores.

    Templates often mark headers ('Mã (*)', 'Số điện thoại (di động)') or write both
    languages ('Tên / name'); those marks are ignored.
    """
    headers = _HEADERS[sheet]
    plain = re.sub(r"\(.*?\)|\*", " ", header)
    for candidate in (plain, *re.split(r"[/|]", plain)):
        found = headers.get(fold(candidate))
        if found:
            return found
    return None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(text: str) -> date:
    """A date as operators type it (dd/mm/yyyy, the Vietnamese order) or as ISO yyyy-mm-dd."""
    value = text.strip().split(" ")[0].split("T")[0]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- errors and results -------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem, located the way the operator will look for it in the spreadsheet.

    ``row`` is 1-based with the header as row 1; row 0 is a problem with a whole file,
    and then ``sheet`` is the file's name.
    """

    sheet: str
    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        if self.row == 0:
            return f"{self.sheet}: {self.reason}"
        where = f" ({self.column})" if self.column else ""
        return f"{self.sheet} row {self.row}{where}: {self.reason}"


class RosterError(Exception):
    """The roster cannot be imported; ``errors`` lists every problem found, not the first."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        order = {sheet: index for index, sheet in enumerate(SHEETS)}
        self.errors = sorted(errors, key=lambda e: (order.get(e.sheet, -1), e.row))
        super().__init__(self.errors)

    def __str__(self) -> str:
        lines = [f"{len(self.errors)} problem(s) in the roster; nothing was imported:"]
        return "\n".join(lines + [f"  {error}" for error in self.errors])


@dataclass(frozen=True)
class ImportResult:
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]


class RosterRow(dict[str, str]):
    """One data row: canonical column → trimmed text, for the columns the sheet has.

    A column the sheet lacks is absent (the import then keeps what the database has); a
    blank cell is ''. ``number`` is the row number the operator sees.
    """

    def __init__(self, number: int, values: Mapping[str, str]) -> None:
        super().__init__(values)
        self.number = number


# --- reading files --------------------------------------------------------------------------


def _cell_text(value: object, *, keep_lines: bool = False) -> str:
    """A spreadsheet cell as text: Excel turns '0912…' into 912… and 'CB12' into 12.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    text = unicodedata.normalize("NFC", str(value)).replace("\xa0", " ").strip()
    return text if keep_lines else " ".join(text.split())


Table = list[Sequence[object]]


def _read_xlsx(path: Path) -> list[tuple[str, Table]]:
    workbook = openpyxl.load_workbook(path, data_only=True)
    try:
        return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in workbook.worksheets]
    finally:
        workbook.close()


def _read_csv(path: Path) -> list[tuple[str, Table]]:
    text = path.read_text(encoding="utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel in a Vietnamese locale writes ';'
    return [(path.stem, list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))]


def _read_file(path: Path, errors: list[RowError]) -> list[tuple[str, Table]]:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        errors.append(RowError(path.name, 0, None, f"unsupported file type '{suffix}': save the roster as .xlsx or .csv"))
        return []
    try:
        return _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    except UnicodeDecodeError:
        errors.append(RowError(path.name, 0, None, "not UTF-8 text: save it as 'CSV UTF-8'"))
    except FileNotFoundError:
        errors.append(RowError(path.name, 0, None, "no such file"))
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
        errors.append(RowError(path.name, 0, None, f"cannot read the file: {exc}"))
    return []


def _header(sheet: str, cells: Sequence[object], errors: list[RowError]) -> dict[int, str]:
    """Column index → canonical column; reports missing required and doubled columns."""
    found: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, cell in enumerate(cells):
        text = _cell_text(cell)
        column = column_for_header(sheet, text) if text else None
        if column is None:
            continue
        if column in seen:
            errors.append(RowError(sheet, 1, column, f"two columns for {column}: '{seen[column]}' and '{text}'"))
            continue
        seen[column] = text
        found[index] = column
    for spec in SHEET_SPECS[sheet].columns:
        if spec.required and spec.name not in seen:
            errors.append(RowError(sheet, 1, spec.name, f"missing column {spec.name} ('{spec.aliases[0]}')"))
    return found


def _rows(sheet: str, table: Table, errors: list[RowError]) -> list[RosterRow]:
    """The data rows of a sheet, header on row 1; blank rows skipped, numbers kept."""
    if not any(_cell_text(value) for raw in table for value in raw):
        return []  # an empty sheet: nothing to import
    columns = _header(sheet, table[0], errors)
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        values = {
            column: _cell_text(raw[index] if index < len(raw) else None, keep_lines=column == "description")
            for index, column in columns.items()
        }
        if any(values.values()):
            rows.append(RosterRow(number, values))
    return rows


def read_roster(paths: Sequence[Path]) -> dict[str, list[dict[str, str]]]:
    """The sheets of the given files, by canonical name, as ``RosterRow``s.

    Raises RosterError for an unreadable file, an unknown sheet, a sheet given twice or a
    missing required column: problems with the form of the roster, found before any row
    is looked at.
    """
    errors: list[RowError] = []
    tables: dict[str, list[dict[str, str]]] = {}
    origin: dict[str, str] = {}
    if not paths:
        errors.append(RowError("roster", 0, None, "no roster files given"))
    for path in map(Path, paths):
        for title, table in _read_file(path, errors):
            sheet = sheet_for_name(title)
            where = f"'{title}' in {path.name}" if path.suffix.lower() != ".csv" else path.name
            if sheet is None:
                if any(_cell_text(value) for raw in table for value in raw):
                    expected = ", ".join(f"{s} ({SHEET_SPECS[s].aliases[0]})" for s in SHEETS)
                    errors.append(RowError(path.name, 0, None, f"unknown sheet '{title}': expected {expected}"))
                continue
            if sheet in origin:
                errors.append(RowError(path.name, 0, None, f"sheet {sheet} given twice: {origin[sheet]} and {where}"))
                continue
            origin[sheet] = where
            tables[sheet] = list(_rows(sheet, table, errors))
    if errors:
        raise RosterError(errors)
    return tables


# --- the plan: each row as it will be stored, references still as codes ---------------------


@dataclass(frozen=True)
class _Unit:
    row: int
    code: str
    name: str
    kind: UnitKind
    parent: str | None

    def state(self) -> tuple[object, ...]:
        return (self.name, self.kind.value, self.parent)

    @staticmethod
    def old_state(old: Mapping[str, object]) -> tuple[object, ...]:
        return (old["name"], old["kind"], old["parent_code"])


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

    def state(self) -> tuple[object, ...]:
        return (self.full_name, self.phone, self.role.value, self.title, self.unit, self.active)

    @staticmethod
    def old_state(old: Mapping[str, object]) -> tuple[object, ...]:
        return (
            old["full_name"], old["phone"] or None, old["role"], old["title"] or None,
            old["unit_code"], bool(old["active"]),
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

    def state(self) -> tuple[object, ...]:
        return (self.name, self.unit, self.secretary, self.meeting_day, self.active)

    @staticmethod
    def old_state(old: Mapping[str, object]) -> tuple[object, ...]:
        return (
            old["name"], old["unit_code"], old["secretary_code"], old["meeting_day"] or None,
            bool(old["active"]),
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
    return {key: "" if value is None else str(value) for key, value in old.items()}


_CODE_BREAKERS = re.compile(r"[;,]")
_LOOKS_LIKE_CODE = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+|[A-Za-z]*\d[A-Za-z0-9]*")


# --- validation -------------------------------------------------------------------------------


class _Validator:
    """Checks every row against the rest of the import and what the database holds.

    It collects all errors instead of stopping at the first, and builds the plan: the
    roster as it will be once written.
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
            self._keep(self.units, self._unit(row))
        for row in self._coded_rows("cadres"):
            self._keep(self.cadres, self._cadre(row))
        for row in self._coded_rows("cells"):
            self._keep(self.cells, self._cell(row))
        for row in self.tables.get("assignments", []):
            self._keep(self.assignments, self._assignment(row))
        for row in self._coded_rows("models"):
            self._keep(self.models, self._model(row))
        self._check_unit_tree()
        self._check_phones()

    @staticmethod
    def _keep(plan: dict[Any, R], record: R | None) -> None:
        if record is not None:
            plan[record.code] = record

    # -- helpers: each reads one cell, reports what is wrong with it, returns None if so --

    def error(self, sheet: str, row: int, column: str | None, reason: str) -> None:
        self.errors.append(RowError(sheet, row, column, reason))

    def known(self, sheet: str, code: str) -> bool:
        return code in self.old[sheet] or code in self.given[sheet]

    def _coded_rows(self, sheet: str) -> Iterator[RosterRow]:
        """Rows with a usable, unique code, with the columns the sheet lacks filled from the
        database (a cadres sheet with only code, name and phone must not erase titles)."""
        first_row: dict[str, int] = {}
        for row in self.tables.get(sheet, []):
            number, code = row.number, row.get("code", "")
            if not code:
                self.error(sheet, number, "code", "missing code")
            elif _CODE_BREAKERS.search(code):
                self.error(sheet, number, "code", f"code '{code}' must not contain ';' or ','")
            elif code in first_row:
                self.error(sheet, number, "code", f"duplicate code '{code}' (also row {first_row[code]})")
            else:
                first_row[code] = number
                old = self.old[sheet].get(code)
                yield RosterRow(number, (_old_as_text(sheet, old) if old else {}) | row)

    def _text(self, row: RosterRow, column: str) -> str | None:
        return row.get(column) or None

    def _required(self, sheet: str, row: RosterRow, column: str) -> str | None:
        value = row.get(column, "")
        if not value:
            label = next(c.label for c in SHEET_SPECS[sheet].columns if c.name == column)
            self.error(sheet, row.number, column, f"missing {label}")
        return value or None

    def _choice(
        self, sheet: str, row: RosterRow, column: str, table: Mapping[K, tuple[str, ...]],
        default: K | None = None,
    ) -> K | None:
        """One of a few values; blank gives ``default`` or, with none, a missing-value error."""
        value = row.get(column, "")
        if not value:
            if default is None:
                self._required(sheet, row, column)
            return default
        found = _choices(table).get(fold(value))
        if found is None:
            choices = ", ".join(f"{names[0]} ({names[1]})" for names in table.values())
            self.error(sheet, row.number, column, f"unknown {column} '{value}': use {choices}")
        return found

    def _ref(self, sheet: str, row: RosterRow, column: str, target: str, noun: str) -> str | None:
        """A reference to a code of ``target``, from this import or the database."""
        code = row.get(column, "")
        if code and not self.known(target, code):
            self.error(sheet, row.number, column, f"unknown {noun} '{code}'")
        return code or None

    def _date(self, sheet: str, row: RosterRow, column: str) -> date | None:
        value = row.get(column, "")
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.error(sheet, row.number, column, f"malformed date '{value}': write dd/mm/yyyy")
            return None

    def _phone(self, row: RosterRow) -> str | None:
        value = row.get("phone", "")
        if not value:
            return None
        try:
            return normalise_phone(value)
        except PhoneError as exc:
            self.error("cadres", row.number, "phone", f"malformed phone '{value}': {exc}")
            return None

    def _count(self) -> int:
        return len(self.errors)

    # -- one function per sheet ----------------------------------------------------------------

    def _unit(self, row: RosterRow) -> _Unit | None:
        before = self._count()
        name = self._required("units", row, "name")
        kind = self._choice("units", row, "kind", UNIT_KINDS)
        parent = self._ref("units", row, "parent_code", "units", "parent")
        if self._count() > before or name is None or kind is None:
            return None
        return _Unit(row.number, row["code"], name, kind, parent)

    def _cadre(self, row: RosterRow) -> _Cadre | None:
        before = self._count()
        full_name = self._required("cadres", row, "full_name")
        phone = self._phone(row)
        role = self._choice("cadres", row, "role", ROLES, Role.CADRE)
        unit = self._ref("cadres", row, "unit_code", "units", "unit")
        active = self._choice("cadres", row, "active", YES_NO, True)
        if self._count() > before or full_name is None or role is None or active is None:
            return None
        title = self._text(row, "title")
        return _Cadre(row.number, row["code"], full_name, phone, role, title, unit, active)

    def _cell(self, row: RosterRow) -> _Cell | None:
        before = self._count()
        name = self._required("cells", row, "name")
        unit = self._required("cells", row, "unit_code") and self._ref("cells", row, "unit_code", "units", "unit")
        secretary = self._secretary(row)
        active = self._choice("cells", row, "active", YES_NO, True)
        if self._count() > before or name is None or unit is None or active is None:
            return None
        meeting_day = self._text(row, "meeting_day")
        return _Cell(row.number, row["code"], name, unit, secretary, meeting_day, active)

    def _secretary(self, row: RosterRow) -> str | None:
        """A cell's secretary must be on the cadres sheet (a common slip: the cell's code)."""
        code = row.get("secretary_code", "")
        if not code or self.known("cadres", code):
            return code or None
        other = next((s for s in ("cells", "units") if self.known(s, code)), None)
        reason = f"secretary '{code}' is not a cadre (it is a {other[:-1]} code)" if other else f"unknown secretary '{code}'"
        self.error("cells", row.number, "secretary_code", reason)
        return None

    def _assignment(self, row: RosterRow) -> _Assignment | None:
        before = self._count()
        cadre = self._required("assignments", row, "cadre_code") and self._ref("assignments", row, "cadre_code", "cadres", "cadre")
        cell = self._required("assignments", row, "cell_code") and self._ref("assignments", row, "cell_code", "cells", "cell")
        starts_on = self._required("assignments", row, "starts_on") and self._date("assignments", row, "starts_on")
        if self._count() > before or not cadre or not cell or not starts_on:
            self._date("assignments", row, "ends_on")
            return None
        key = (cadre, cell, starts_on.isoformat())
        if "ends_on" not in row and key in self.old["assignments"]:
            row = RosterRow(row.number, row | {"ends_on": str(self.old["assignments"][key]["ends_on"] or "")})
        ends_on = self._date("assignments", row, "ends_on")
        if ends_on and ends_on < starts_on:
            self.error("assignments", row.number, "ends_on", f"end date {_dmy(ends_on)} is before start date {_dmy(starts_on)}")
        if key in self.assignments:
            self.error(
                "assignments", row.number, None,
                f"duplicate assignment of '{cadre}' to '{cell}' from {_dmy(starts_on)} (also row {self.assignments[key].row})",
            )
        if self._count() > before:
            return None
        return _Assignment(row.number, cadre, cell, starts_on, ends_on)

    def _model(self, row: RosterRow) -> _Model | None:
        before = self._count()
        name = self._required("models", row, "name")
        level = self._choice("models", row, "level", MODEL_LEVELS)
        owner_unit, owner_name = self._owner(row)
        places = tuple(p.strip() for p in _CODE_BREAKERS.split(row.get("places", "")) if p.strip())
        for place in places:
            if not self.known("units", place):
                self.error("models", row.number, "places", f"unknown place '{place}'")
        if self._count() > before or name is None or level is None:
            return None
        description = row.get("description") or None
        return _Model(row.number, row["code"], name, level, owner_unit, owner_name, description, places)

    def _owner(self, row: RosterRow) -> tuple[str | None, str | None]:
        """A unit code, stored as the unit (and its name, for display), or free text such as
        'Tòa án huyện'. Text shaped like a code but unknown is a typo, not a name."""
        owner = row.get("owner", "")
        if not owner:
            return None, None
        if self.known("units", owner):
            unit = self.units.get(owner)
            old = self.old["units"].get(owner)
            name = unit.name if unit else str(old["name"]) if old else None
            return owner, name
        if _LOOKS_LIKE_CODE.fullmatch(owner):
            self.error("models", row.number, "owner", f"unknown owner unit '{owner}'")
        return None, owner

    # -- checks across rows ---------------------------------------------------------------------

    def _check_unit_tree(self) -> None:
        """No cycles, and each unit under the kind of unit it belongs under."""
        parent = {code: old["parent_code"] for code, old in self.old["units"].items()}
        kind = {code: UnitKind(str(old["kind"])) for code, old in self.old["units"].items()}
        for code in self.given["units"]:
            kind.pop(code, None)  # a bad row's kind is unknown, not the database's
        for unit in self.units.values():
            parent[unit.code], kind[unit.code] = unit.parent, unit.kind
        for unit in self.units.values():
            cycle = _cycle_through(unit.code, parent)
            if cycle:
                self.error("units", unit.row, "parent_code", "cycle in parent units: " + " > ".join(cycle))
            elif unit.parent:
                self._check_fit(unit, kind.get(unit.parent))
        self._check_children_in_db()

    def _check_children_in_db(self) -> None:
        """A unit whose kind the import changes must still fit the units under it."""
        for code, old in self.old["units"].items():
            above = self.units.get(cast(str, old["parent_code"] or ""))
            if code in self.given["units"] or above is None:
                continue
            kind = UnitKind(cast(str, old["kind"]))
            if _PARENT_KIND[kind] != above.kind:
                self.error(
                    "units", above.row, "kind",
                    f"{kind} '{code}' in the database is under it, and a {kind} cannot be under a {above.kind}",
                )

    def _check_fit(self, unit: _Unit, parent_kind: UnitKind | None) -> None:
        expected = _PARENT_KIND[unit.kind]
        if expected is None:
            self.error("units", unit.row, "parent_code", f"a province cannot be under another unit ('{unit.parent}')")
        elif parent_kind is not None and parent_kind != expected:
            self.error(
                "units", unit.row, "parent_code",
                f"a {unit.kind} belongs under a {expected}, but parent '{unit.parent}' is a {parent_kind}",
            )

    def _check_phones(self) -> None:
        """One phone, one cadre: linking a Telegram account by its shared contact relies on it."""
        owner: dict[str, tuple[str, int | None]] = {}
        for code, old in self.old["cadres"].items():
            if code not in self.given["cadres"] and old["phone"]:
                owner.setdefault(str(old["phone"]), (str(code), None))
        for cadre in self.cadres.values():
            if cadre.phone is None:
                continue
            other_code, other_row = owner.setdefault(cadre.phone, (cadre.code, cadre.row))
            if other_code != cadre.code:
                where = f"row {other_row}" if other_row else "in the database"
                self.error("cadres", cadre.row, "phone", f"phone 0{cadre.phone[3:]} also belongs to cadre '{other_code}' ({where})")


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


# --- writing ------------------------------------------------------------------------------------

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


async def _write(tx: Executor, check: _Validator, changes: _Changes, now: str) -> None:
    """Writes the changed rows, parents before children, references turned into ids."""
    units, cadres, cells = (_ids(check.old[s]) for s in ("units", "cadres", "cells"))
    parent = {str(code): cast(str | None, old["parent_code"]) for code, old in check.old["units"].items()}
    parent.update({u.code: u.parent for u in check.units.values()})
    for u in sorted(changes.units, key=lambda u: _depth(u.code, parent)):
        units[u.code] = await store.upsert_unit(tx, u.code, u.name, u.kind, units.get(u.parent or ""), now)
    for c in changes.cadres:
        cadres[c.code] = await store.upsert_cadre(
            tx, code=c.code, full_name=c.full_name, phone=c.phone, role=c.role, title=c.title,
            unit_id=units[c.unit] if c.unit else None, active=c.active, now=now,
        )
    for cell in changes.cells:
        cells[cell.code] = await store.upsert_cell(
            tx, code=cell.code, name=cell.name, unit_id=units[cell.unit],
            secretary_id=cadres[cell.secretary] if cell.secretary else None,
            meeting_day=cell.meeting_day, now=now,
        )
        await store.set_cell_active(tx, cells[cell.code], cell.active, now)
    for a in changes.assignments:
        await store.upsert_assignment(tx, cadres[a.cadre], cells[a.cell], a.starts_on, a.ends_on, now)
    for m in changes.models:
        await store.upsert_model(
            tx, code=m.code, name=m.name, level=m.level,
            owner_unit_id=units[m.owner_unit] if m.owner_unit else None, owner_name=m.owner_name,
            description=m.description, place_unit_ids=[units[p] for p in m.places], now=now,
        )


async def import_roster(db: Database, paths: Sequence[Path], *, now: str) -> ImportResult:
    """Reads, checks and writes the roster; all of it or, on any error, nothing.

    The database is read and written inside one transaction, so the comparison with what
    is there cannot go stale between the check and the write. Unchanged rows are not
    written at all: their ``updated_at`` keeps meaning "last changed".
    """
    tables = cast(dict[str, list[RosterRow]], read_roster(paths))
    async with db.transaction() as tx:
        check = _Validator(tables, await store.roster_snapshot(tx))
        check.run()
        if check.errors:
            raise RosterError(check.errors)
        changes = _Changes.of(check)
        await _write(tx, check, changes, now)
    return changes.result(check)
