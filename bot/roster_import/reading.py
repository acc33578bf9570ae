"""Reading the roster's files: workbooks and CSV files into rows of text, by canonical
sheet and column, with the problems of their form (an unknown sheet, a missing column)."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

import openpyxl

from bot.roster_import.errors import Named, RosterError, RosterRow, RowError, Word, column_name
from bot.roster_import.spec import SHEET_SPECS, SHEETS, column_for_header, sheet_for_name

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
    key, values = "import.unsupported", {"suffix": suffix}
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
        if suffix == ".csv":
            return _read_csv(path)
    except UnicodeDecodeError:
        key, values = "import.not_utf8", {}
    except FileNotFoundError:
        key, values = "import.no_file", {}
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
        key, values = "import.unreadable", {"detail": str(exc)}
    errors.append(RowError.of(path.name, 0, None, key, **values))
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
            errors.append(RowError.of(sheet, 1, column, "import.two_columns", column=column_name(sheet, column),
                                      first=seen[column], second=text))
            continue
        seen[column] = text
        found[index] = column
    for spec in SHEET_SPECS[sheet].columns:
        if spec.required and spec.name not in seen:
            errors.append(RowError.of(sheet, 1, spec.name, "import.missing_column", column=spec.name,
                                      header=spec.aliases[0]))
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
    origin: dict[str, object] = {}
    if not paths:
        errors.append(RowError.of("roster", 0, None, "import.no_files"))
    for path in map(Path, paths):
        for title, table in _read_file(path, errors):
            sheet = sheet_for_name(title)
            where: object = path.name
            if path.suffix.lower() != ".csv":
                where = Word("import.sheet_in_file", (("sheet", title), ("file", path.name)))
            if sheet is None and any(_cell_text(value) for raw in table for value in raw):
                errors.append(RowError.of(path.name, 0, None, "import.unknown_sheet", title=title, expected=_EXPECTED))
            elif sheet in origin:
                errors.append(RowError.of(path.name, 0, None, "import.sheet_twice",
                                          sheet=Named(SHEET_SPECS[sheet].aliases[0], sheet), first=origin[sheet],
                                          second=where))
            elif sheet is not None:
                origin[sheet] = where
                tables[sheet] = list(_rows(sheet, table, errors))
    if errors:
        raise RosterError(errors)
    return tables


_EXPECTED = ", ".join(f"{s} ({SHEET_SPECS[s].aliases[0]})" for s in SHEETS)
