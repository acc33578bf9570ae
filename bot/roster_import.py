"""The roster import: units, cadres, cells, assignments and models from the operator's spreadsheet.

The committee's office already keeps its people and places in Excel, with Vietnamese headers
typed by hand. So the import is forgiving about *form* (English or Vietnamese headers and
values, any case, with or without diacritics, numbers where text was meant, dates as real
dates or as dd/mm/yyyy text) and strict about *content*: every bad row is reported at once,
with the row number the operator sees in Excel, and a roster with any error writes nothing.
A good roster is written in one transaction, and rows that did not change are not touched.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar, cast

import openpyxl

from domain.meetdays import MeetDayError, parse_regular
from domain.phones import PhoneError, normalise_phone
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
                Column("merged_into", "merged into", ("Sáp nhập vào", "Hợp nhất vào", "Nhập vào", "merged_into_code")),
                Column("merged_on", "merger date", ("Ngày sáp nhập", "Ngày hợp nhất", "merger_date")),
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
                Column("meets_on", "regular meeting day", ("Ngày họp thường lệ", "Họp thường lệ")),
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
# Since July 2025: tỉnh, thành phố (centrally run) > xã, phường, đặc khu > thôn, tổ dân
# phố…; the district level (huyện, quận, thị xã, a provincial city) only in legacy rosters.
UNIT_KINDS: dict[UnitKind, tuple[str, ...]] = {
    UnitKind.PROVINCE: ("tỉnh", "province", "thành phố", "thành phố trực thuộc trung ương", "city"),
    UnitKind.DISTRICT: ("huyện", "district", "quận", "thị xã", "thành phố thuộc tỉnh"),
    UnitKind.COMMUNE: ("xã", "commune", "phường", "đặc khu", "thị trấn", "ward", "town", "special zone"),
    UnitKind.VILLAGE: (
        "thôn", "village", "làng", "tổ dân phố", "khu phố", "khu dân cư", "ấp", "bản", "buôn",
        "plei", "khối phố", "tổ", "street group",
    ),
}
# A committee member by the committee's name: đảng ủy viên (commune, ward), tỉnh ủy viên,
# thành ủy viên, and the legacy district ones.
_COMMITTEE_MEMBERS = tuple(f"{level} ủy viên" for level in ("đảng", "tỉnh", "thành", "huyện", "quận", "thị"))
ROLES: dict[Role, tuple[str, ...]] = {
    Role.CADRE: ("cán bộ", "cadre", "cấp ủy viên", *_COMMITTEE_MEMBERS, "member"),
    Role.SECRETARY: ("bí thư", "secretary", "bí thư chi bộ"),
    Role.ADMIN: ("quản trị", "admin", "quản trị viên", "administrator"),
}
# The fund's treasurer is a duty besides the role: «thủ quỹ» alone, or with a role in the
# same cell («quản trị, thủ quỹ»). TREASURER is its stored word, in the role column's text.
TREASURER = "treasurer"
TREASURER_WORDS: dict[str, tuple[str, ...]] = {TREASURER: ("thủ quỹ", "treasurer")}
_ROLE_PARTS = re.compile(r"\s*[,;+/]\s*")
MODEL_LEVELS: dict[ModelLevel, tuple[str, ...]] = {
    ModelLevel.PROVINCE: ("điểm cấp tỉnh", "province", "cấp tỉnh", "tỉnh"),
    # Since the 2025 reform the level below the province is the commune/ward pilot: the
    # workbook's own word (wb.level.district) reads back, the old ones still do.
    ModelLevel.DISTRICT: ("cấp huyện", "district", "điểm cấp huyện", "huyện", "điểm cấp xã, phường",
                          "cấp xã, phường", "commune/ward pilot"),
    ModelLevel.GRASSROOTS: ("cơ sở", "grassroots", "cấp cơ sở", "cấp xã", "điểm cơ sở"),
}
YES_NO: dict[bool, tuple[str, ...]] = {
    True: ("có", "yes", "y", "true", "1", "x", "đúng", "còn"),
    False: ("không", "no", "n", "false", "0", "sai", "nghỉ"),
}

# The kinds of unit each kind may sit under (none: it is always a top). Communes sit
# directly under a province since July 2025, under a district in a legacy roster; any unit
# but a village may be the top of a roster.
_PARENT_KINDS: dict[UnitKind, tuple[UnitKind, ...]] = {
    UnitKind.PROVINCE: (),
    UnitKind.DISTRICT: (UnitKind.PROVINCE,),
    UnitKind.COMMUNE: (UnitKind.PROVINCE, UnitKind.DISTRICT),
    UnitKind.VILLAGE: (UnitKind.COMMUNE,),
}


@lru_cache(maxsize=8192)
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
    found = _CHOICE_LOOKUPS.get(id(table))
    if found is None:
        found = _CHOICE_LOOKUPS[id(table)] = _lookup(table)
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


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date:
    """A date as operators type it (dd/mm/yyyy, the Vietnamese order) or as ISO yyyy-mm-dd."""
    value = text.strip().split(" ")[0].split("T")[0]
    quick = _DMY.fullmatch(value) or _YMD.fullmatch(value)
    if quick:  # the two usual forms without strptime, which costs 50 µs a call
        first, second, third = (int(part) for part in quick.groups())
        try:
            return date(third, second, first) if quick.re is _DMY else date(first, second, third)
        except ValueError:
            pass
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
    """A spreadsheet cell as text. Excel stores a phone typed as 0912… as the number 912…,
    and a code typed as 12 as 12.0; both come back as the digits that were typed."""
    if type(value) is str and value.isascii():  # a CSV's every cell: the quick way
        return value.strip() if keep_lines else " ".join(value.split())
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
    text = str(value)
    if not text.isascii():  # NFC only where there is something to compose
        text = unicodedata.normalize("NFC", text).replace("\xa0", " ")
    text = text.strip()
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
    """The (sheet name, rows) a file holds; a file that cannot be read is an error."""
    suffix = path.suffix.lower()
    reason = f"unsupported file type '{suffix}': save the roster as .xlsx or .csv"
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
        if suffix == ".csv":
            return _read_csv(path)
    except UnicodeDecodeError:
        reason = "not UTF-8 text: save it as 'CSV UTF-8'"
    except FileNotFoundError:
        reason = "no such file"
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
        reason = f"cannot read the file: {exc}"
    errors.append(RowError(path.name, 0, None, reason))
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
            reason = f"two columns for {column}: '{seen[column]}' and '{text}'"
            errors.append(RowError(sheet, 1, column, reason))
            continue
        seen[column] = text
        found[index] = column
    for spec in SHEET_SPECS[sheet].columns:
        if spec.required and spec.name not in seen:
            reason = f"missing column {spec.name} ('{spec.aliases[0]}')"
            errors.append(RowError(sheet, 1, spec.name, reason))
    return found


def _rows(sheet: str, table: Table, errors: list[RowError]) -> list[RosterRow]:
    """The data rows of a sheet, header on row 1; blank rows skipped, numbers kept."""
    if not any(_cell_text(value) for raw in table for value in raw):
        return []  # an empty sheet: nothing to import
    columns = _header(sheet, table[0], errors)
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        values = {
            column: _cell_text(raw[i] if i < len(raw) else None, keep_lines=column == "description")
            for i, column in columns.items()
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
            where = path.name if path.suffix.lower() == ".csv" else f"'{title}' in {path.name}"
            if sheet is None and any(_cell_text(value) for raw in table for value in raw):
                reason = f"unknown sheet '{title}': expected {_EXPECTED}"
                errors.append(RowError(path.name, 0, None, reason))
            elif sheet in origin:
                reason = f"sheet {sheet} given twice: {origin[sheet]} and {where}"
                errors.append(RowError(path.name, 0, None, reason))
            elif sheet is not None:
                origin[sheet] = where
                tables[sheet] = list(_rows(sheet, table, errors))
    if errors:
        raise RosterError(errors)
    return tables


_EXPECTED = ", ".join(f"{s} ({SHEET_SPECS[s].aliases[0]})" for s in SHEETS)


# --- the plan: each row as it will be stored, references still as codes ---------------------


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


# --- validation ---------------------------------------------------------------------------


class _RowCheck:
    """Reads the cells of one row; each reader reports what is wrong and returns None then."""

    def __init__(self, check: _Validator, sheet: str, row: RosterRow) -> None:
        self.check, self.sheet, self.row = check, sheet, row
        self._errors_before = len(check.errors)

    @property
    def failed(self) -> bool:
        return len(self.check.errors) > self._errors_before

    def fail(self, column: str | None, reason: str) -> None:
        self.check.error(self.sheet, self.row.number, column, reason)

    def text(self, column: str) -> str | None:
        return self.row.get(column) or None

    def required(self, column: str) -> str | None:
        value = self.text(column)
        if value is None:
            spec = next(c for c in SHEET_SPECS[self.sheet].columns if c.name == column)
            self.fail(column, f"missing {spec.label}")
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
            self.fail(column, f"unknown {column} '{value}': use {choices}")
        return found

    def role(self) -> tuple[Role, bool] | None:
        """The role and whether the cadre keeps the fund: «thủ quỹ», «bí thư», «quản
        trị, thủ quỹ»; blank is a plain cadre. Two roles in one cell is an error."""
        parts = [part for part in _ROLE_PARTS.split(self.text("role") or "") if part]
        treasurer = [part for part in parts if fold(part) in _choices(TREASURER_WORDS)]
        roles = [part for part in parts if part not in treasurer]
        if len(roles) > 1:
            self.fail("role", f"one role per cadre, not '{self.row['role']}': add 'thủ quỹ' (treasurer) if they keep the fund")
            return None
        role = self.choice("role", ROLES, Role.CADRE, value=roles[0]) if roles else Role.CADRE
        return (role, bool(treasurer)) if role is not None else None

    def ref(self, column: str, target: str, noun: str, *, required: bool = False) -> str | None:
        """A code of ``target`` given in this import or already in the database."""
        code = self.required(column) if required else self.text(column)
        if code and not self.check.known(target, code):
            self.fail(column, f"unknown {noun} '{code}'")
        return code

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.required(column) if required else self.text(column)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.fail(column, f"malformed date '{value}': write dd/mm/yyyy")
            return None

    def phone(self) -> str | None:
        value = self.text("phone")
        if value is None:
            return None
        try:
            return normalise_phone(value)
        except PhoneError as exc:
            self.fail("phone", f"malformed phone '{value}': {exc}")
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

    def error(self, sheet: str, row: int, column: str | None, reason: str) -> None:
        self.errors.append(RowError(sheet, row, column, reason))

    def known(self, sheet: str, code: str) -> bool:
        return code in self.old[sheet] or code in self.given[sheet]

    def _coded_rows(self, sheet: str) -> Iterator[RosterRow]:
        """Rows with a usable, unique code, the columns the sheet lacks filled from the
        database (a cadres sheet of codes, names and phones must not erase titles)."""
        first_row: dict[str, int] = {}
        for row in self.tables.get(sheet, []):
            number, code = row.number, row.get("code", "")
            if not code:
                self.error(sheet, number, "code", "missing code")
            elif _CODE_BREAKERS.search(code):
                self.error(sheet, number, "code", f"code '{code}' must not contain ';' or ','")
            elif code in first_row:
                reason = f"duplicate code '{code}' (also row {first_row[code]})"
                self.error(sheet, number, "code", reason)
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
            r.fail("merged_into", f"unit '{merged_into}' cannot be merged into itself")
        elif merged_into and merged_on is None and not r.failed:
            r.fail("merged_on", f"missing merger date: from when is it part of '{merged_into}'?")
        elif merged_on and not merged_into:
            r.fail("merged_into", "a merger date without the unit it was merged into")
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
            r.fail("meets_on", f"cannot read '{text}': write the day of the month and the time, "
                               "e.g. 'ngày 5 hằng tháng 19:30'")
            return None

    def _secretary(self, r: _RowCheck) -> str | None:
        """A cell's secretary must be on the cadres sheet (a common slip: the cell's code)."""
        code = r.text("secretary_code")
        if code is None or self.known("cadres", code):
            return code
        other = next((s for s in ("cells", "units") if self.known(s, code)), None)
        if other:
            r.fail("secretary_code", f"secretary '{code}' is not a cadre (it is a {other[:-1]} code)")
        else:
            r.fail("secretary_code", f"unknown secretary '{code}'")
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
            r.fail("ends_on", f"end date {_dmy(ends_on)} is before start date {_dmy(starts_on)}")
        if key in self.assignments:
            also = f"also row {self.assignments[key].row}"
            r.fail(None, f"duplicate assignment of '{cadre}' to '{cell}' from {_dmy(starts_on)} ({also})")
        if r.failed:
            return None
        return _Assignment(r.row.number, cadre, cell, starts_on, ends_on)

    def _model(self, r: _RowCheck) -> _Model | None:
        name, level = r.required("name"), r.choice("level", MODEL_LEVELS)
        owner_unit, owner_name = self._owner(r)
        places = tuple(p.strip() for p in _CODE_BREAKERS.split(r.text("places") or "") if p.strip())
        for place in places:
            if not self.known("units", place):
                r.fail("places", f"unknown place '{place}'")
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
            r.fail("owner", f"unknown owner unit '{owner}'")
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
                reason = "cycle in parent units: " + " > ".join(cycle)
                self.error("units", unit.row, "parent_code", reason)
            elif unit.parent:
                self._check_fit(unit, kind.get(unit.parent))
            cycle = _cycle_through(unit.code, merged)
            if cycle:
                self.error("units", unit.row, "merged_into", "cycle in mergers: " + " > ".join(cycle))

    def _check_fit(self, unit: _Unit, parent_kind: UnitKind | None) -> None:
        expected = _PARENT_KINDS[unit.kind]
        if not expected:
            reason = f"a province cannot be under another unit ('{unit.parent}')"
        elif parent_kind is not None and parent_kind not in expected:
            kinds = " or ".join(expected)
            reason = f"a {unit.kind} belongs under a {kinds}, but parent '{unit.parent}' is a {parent_kind}"
        else:
            return
        self.error("units", unit.row, "parent_code", reason)

    def _check_children_in_db(self) -> None:
        """A unit whose kind the import changes must still fit the units under it."""
        for code, old in self.old["units"].items():
            above = self.units.get(cast(str, old["parent_code"] or ""))
            if code in self.given["units"] or above is None:
                continue
            kind = UnitKind(cast(str, old["kind"]))
            if above.kind not in _PARENT_KINDS[kind]:
                reason = f"{kind} '{code}' in the database is under it, and a {kind} cannot be under a {above.kind}"
                self.error("units", above.row, "kind", reason)

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
                where = f"row {row}" if row else "in the database"
                reason = f"phone 0{cadre.phone[3:]} also belongs to cadre '{other}' ({where})"
                self.error("cadres", cadre.row, "phone", reason)


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


# The write lock is taken for one chunk at a time, and let go for a moment in between,
# so that the bot (another process, or other coroutines on this connection) can store a
# report while a large roster is written: a 100,000-cadre roster in one transaction
# held the lock longer than the bot's busy timeout. SQLite's busy handler polls every
# 25-50 ms in its first quarter second, so the pause is longer than that.
CHUNK_ROWS = 2_000
PAUSE_SECONDS = 0.06

# (stage, done, total): see bot/progress.py. Stages are what the operator reads.
Progress = Callable[[str, int, int], None]
STAGE_READ = "đọc tệp / reading"
STAGE_CHECK = "kiểm tra / checking"
STAGE_WRITE = "ghi / writing"


def _writes(check: _Validator, changes: _Changes, now: str) -> list[tuple[Callable[[Executor, list[Any]], Awaitable[None]], list[Any]]]:
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


async def _write(db: Database, writes: Sequence[tuple[Callable[[Executor, list[Any]], Awaitable[None]], list[Any]]],
                 progress: Progress | None) -> None:
    """Writes in chunks of CHUNK_ROWS, one transaction each, pausing in between.

    Every chunk leaves a consistent roster (a row's references were written before it),
    so the bot reads a roster that is partly new, never a broken one; should the import
    die half-way, running it again writes the rest (unchanged rows are skipped).
    """
    total = sum(len(rows) for _, rows in writes)
    done = 0
    if progress:
        progress(STAGE_WRITE, done, total)
    for writer, rows in writes:
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[start : start + CHUNK_ROWS]
            async with db.transaction() as tx:
                await writer(tx, chunk)
            done += len(chunk)
            if progress:
                progress(STAGE_WRITE, done, total)
            if done < total:
                await asyncio.sleep(PAUSE_SECONDS)


async def import_roster(
    db: Database, paths: Sequence[Path], *, now: str, progress: Progress | None = None
) -> ImportResult:
    """Reads, checks and writes the roster; all of it or, on any error, nothing.

    All or nothing comes from checking first: the whole roster is validated against the
    database before anything is written, and a roster with any error writes nothing.
    Only then are the changed rows written, in short transactions (see ``_write``) that
    let the bot go on storing reports. Unchanged rows are not written at all: their
    ``updated_at`` keeps meaning "last changed". ``progress`` hears how far it is: the
    files read, the rows checked, then the rows written after each chunk.
    """
    if progress:
        progress(STAGE_READ, 0, len(paths))
    tables = cast(dict[str, list[RosterRow]], read_roster(paths))
    rows = sum(len(table) for table in tables.values())
    if progress:
        progress(STAGE_CHECK, 0, rows)
    check = _Validator(tables, await store.roster_snapshot(db))
    check.run()
    if progress:
        progress(STAGE_CHECK, rows, rows)
    if check.errors:
        raise RosterError(check.errors)
    changes = _Changes.of(check)
    await _write(db, _writes(check, changes, now), progress)
    return changes.result(check)
