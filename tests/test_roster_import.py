"""The roster import, on real files and a real SQLite database.

The sample roster (examples/) must import from both its forms to the same database; a
broken roster must be reported row by row and write nothing; the Vietnamese forms people
actually type must be understood.
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import shutil
import unicodedata
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.phones import normalise_phone
from bot.roster_import import (
    SHEET_SPECS,
    SHEETS,
    ImportResult,
    RosterError,
    RowError,
    _cell_text,
    column_for_header,
    import_roster,
    parse_date,
    read_roster,
    sheet_for_name,
)
from storage.db import Database
from storage.migrate import upgrade
from storage.roster import count_rows

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SAMPLE_XLSX = EXAMPLES / "roster.xlsx"
SAMPLE_CSVS = [EXAMPLES / "csv" / f"{sheet}.csv" for sheet in SHEETS]
NOW = "2026-01-01T01:00:00Z"
LATER = "2026-02-01T01:00:00Z"


def make_roster() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_roster", EXAMPLES / "make_roster.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "t.sqlite3")
    await database.open()
    await upgrade(database)
    yield database
    await database.close()


async def other_db(tmp_path: Path, name: str) -> Database:
    database = Database(tmp_path / name)
    await database.open()
    await upgrade(database)
    return database


async def dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """The roster's content with references as codes: comparable across databases."""
    queries = {
        "units": """SELECT u.code, u.name, u.kind, p.code FROM units u
                    LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.code""",
        "cadres": """SELECT c.code, c.full_name, c.phone, c.role, c.title, u.code, c.active,
                            c.telegram_id
                     FROM cadres c LEFT JOIN units u ON u.id = c.unit_id ORDER BY c.code""",
        "cells": """SELECT c.code, c.name, u.code, s.code, c.meeting_day, c.active FROM cells c
                    JOIN units u ON u.id = c.unit_id LEFT JOIN cadres s ON s.id = c.secretary_id
                    ORDER BY c.code""",
        "assignments": """SELECT k.code, c.code, a.starts_on, a.ends_on FROM assignments a
                          JOIN cadres k ON k.id = a.cadre_id JOIN cells c ON c.id = a.cell_id
                          ORDER BY 1, 2, 3""",
        "models": """SELECT m.code, m.name, m.level, u.code, m.owner_name, m.description, m.status
                     FROM models m LEFT JOIN units u ON u.id = m.owner_unit_id ORDER BY m.code""",
        "model_places": """SELECT m.code, u.code FROM model_places mp
                           JOIN models m ON m.id = mp.model_id JOIN units u ON u.id = mp.unit_id
                           ORDER BY 1, 2""",
    }
    return {name: [tuple(row) for row in await db.fetchall(sql)] for name, sql in queries.items()}


def write_csv(folder: Path, name: str, rows: list[list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def write_csvs(folder: Path, sheets: dict[str, list[list[str]]]) -> list[Path]:
    return [write_csv(folder, name, rows) for name, rows in sheets.items()]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def totals(result: ImportResult) -> dict[str, int]:
    return {s: result.created[s] + result.updated[s] + result.unchanged[s] for s in SHEETS}


def zero() -> dict[str, int]:
    return dict.fromkeys(SHEETS, 0)


# A small valid roster; the broken rosters below add or change a row of it.
BASE: dict[str, list[list[str]]] = {
    "units": [
        ["code", "name", "kind", "parent_code", "merged_into", "merged_on"],
        ["P", "Kon Tum", "province", ""],
        ["D", "Kon Rẫy", "district", "P"],
        ["C", "Đăk Ruồng", "commune", "D"],
        ["V9", "Thôn 9", "village", "C"],
        ["V12", "Thôn 12", "village", "C"],
    ],
    "cadres": [
        ["code", "full_name", "phone", "role", "title", "unit_code"],
        ["CAN-1", "Nguyễn Văn An", "0912345001", "cadre", "Huyện ủy viên", "D"],
        ["CAN-2", "Trần Thị Bình", "0912345002", "admin", "Chánh Văn phòng", "D"],
        ["CAN-3", "A Thuận", "0912345003", "secretary", "Bí thư Chi bộ thôn 9", "V9"],
    ],
    "cells": [
        ["code", "name", "unit_code", "secretary_code", "meeting_day"],
        ["CB-V9", "Chi bộ thôn 9", "V9", "CAN-3", "ngày 5 hằng tháng"],
        ["CB-V12", "Chi bộ thôn 12", "V12", "", ""],
    ],
    "assignments": [
        ["cadre_code", "cell_code", "starts_on", "ends_on"],
        ["CAN-1", "CB-V9", "2026-01-01", ""],
        ["CAN-1", "CB-V12", "2026-01-01", ""],
    ],
    "models": [
        ["code", "name", "level", "owner", "places"],
        ["MH-1", "Khu dân cư đảm bảo an toàn giao thông", "grassroots", "C", "V9;V12"],
    ],
}


def base_with(sheet: str, *rows: list[str]) -> dict[str, list[list[str]]]:
    sheets = copy.deepcopy(BASE)
    sheets[sheet].extend(rows)
    return sheets


# --- the sample roster -----------------------------------------------------------------------


async def test_sample_workbook_imports_with_the_counts_make_roster_defines(db: Database) -> None:
    data = make_roster().roster()
    result = await import_roster(db, [SAMPLE_XLSX], now=NOW)
    expected = {sheet: len(rows) for sheet, rows in data.items()}
    assert result.created == expected
    assert result.updated == zero() and result.unchanged == zero()
    counts = await count_rows(db)
    assert {s: counts[s] for s in SHEETS} == expected
    assert counts["model_places"] == sum(len(m["places"]) for m in data["models"])


async def test_sample_people_other_tests_rely_on(db: Database) -> None:
    await import_roster(db, [SAMPLE_XLSX], now=NOW)
    people = {
        row["code"]: row
        for row in await db.fetchall("SELECT code, phone, role, active FROM cadres")
    }
    assert (people["CAN-001"]["role"], people["CAN-001"]["phone"]) == ("cadre", "+84912345001")
    assert (people["CAN-002"]["role"], people["CAN-002"]["phone"]) == ("admin", "+84912345002")
    cells = await db.fetchall(
        """SELECT c.code FROM assignments a JOIN cadres k ON k.id = a.cadre_id
           JOIN cells c ON c.id = a.cell_id WHERE k.code = 'CAN-001' AND a.ends_on IS NULL
           ORDER BY c.code"""
    )
    assert [row["code"] for row in cells] == ["CB-KR-DRUONG-T12", "CB-KR-DRUONG-T9"]
    phones = await db.fetchall("SELECT phone FROM cadres")
    assert len({row["phone"] for row in phones}) == len(phones)


async def test_csv_set_gives_the_same_database_as_the_workbook(db: Database, tmp_path: Path) -> None:
    await import_roster(db, [SAMPLE_XLSX], now=NOW)
    from_csv = await other_db(tmp_path, "csv.sqlite3")
    try:
        result = await import_roster(from_csv, SAMPLE_CSVS, now=NOW)
        assert result.created == {s: len(r) for s, r in make_roster().roster().items()}
        assert await dump(from_csv) == await dump(db)
    finally:
        await from_csv.close()


def test_committed_sample_is_what_make_roster_writes(tmp_path: Path) -> None:
    module = make_roster()
    module.main(["make_roster.py", str(tmp_path)])
    for path in SAMPLE_CSVS:
        assert (tmp_path / "csv" / path.name).read_bytes() == path.read_bytes(), path.name
    assert read_roster([tmp_path / "roster.xlsx"]) == read_roster([SAMPLE_XLSX])


async def test_reimport_changes_nothing(db: Database) -> None:
    first = await import_roster(db, [SAMPLE_XLSX], now=NOW)
    before, stamps = await count_rows(db), await db.fetchall("SELECT updated_at FROM cadres")
    again = await import_roster(db, [SAMPLE_XLSX], now=LATER)
    assert again.unchanged == first.created
    assert again.created == zero() and again.updated == zero()
    assert await count_rows(db) == before
    assert await db.fetchall("SELECT updated_at FROM cadres") == stamps
    from_csv = await import_roster(db, SAMPLE_CSVS, now=LATER)
    assert from_csv.unchanged == first.created


async def test_changed_phone_updates_one_cadre_and_keeps_its_telegram_link(
    db: Database, tmp_path: Path
) -> None:
    await import_roster(db, [SAMPLE_XLSX], now=NOW)
    await db.execute(
        "UPDATE cadres SET telegram_id = 1001, language = 'vi', linked_at = ? WHERE code = 'CAN-001'",
        (NOW,),
    )
    edited = tmp_path / "roster.xlsx"
    shutil.copy(SAMPLE_XLSX, edited)
    workbook = openpyxl.load_workbook(edited)
    sheet = workbook["Cán bộ"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "CAN-001")
    row[2].value = "0987 654 321"
    workbook.save(edited)

    result = await import_roster(db, [edited], now=LATER)

    assert result.updated == zero() | {"cadres": 1}
    assert result.created == zero()
    assert result.unchanged["cadres"] == 39
    cadre = await db.fetchone("SELECT * FROM cadres WHERE code = 'CAN-001'")
    assert cadre is not None
    assert cadre["phone"] == "+84987654321"
    assert (cadre["telegram_id"], cadre["language"], cadre["linked_at"]) == (1001, "vi", NOW)
    assert cadre["updated_at"] == LATER


# --- broken rosters: every error, where the operator will find it -------------------------

E = RowError
CASES = {
    # units: the base has rows 2-6, an added row is row 7
    "unit without code": (base_with("units", ["", "Thôn 13", "village", "C"]), [E("units", 7, "code", "missing code")]),
    "unit without name": (base_with("units", ["V13", "", "village", "C"]), [E("units", 7, "name", "missing name")]),
    "unit without kind": (base_with("units", ["V13", "Thôn 13", "", "C"]), [E("units", 7, "kind", "missing kind")]),
    "unit of unknown kind": (base_with("units", ["V13", "Thôn 13", "hamlet", "C"]), [E("units", 7, "kind", "unknown kind 'hamlet'")]),
    "unknown parent": (base_with("units", ["V13", "Thôn 13", "village", "XA-999"]), [E("units", 7, "parent_code", "unknown parent 'XA-999'")]),
    "village under a district": (
        base_with("units", ["V13", "Thôn 13", "village", "D"]),
        [E("units", 7, "parent_code", "a village belongs under a commune, but parent 'D' is a district")],
    ),
    "commune under a village": (
        base_with("units", ["C2", "Tân Lập", "commune", "V9"]),
        [E("units", 7, "parent_code", "a commune belongs under a province or district, but parent 'V9' is a village")],
    ),
    "merged without a date": (
        base_with("units", ["C2", "Tân Lập", "commune", "D", "C"]),
        [E("units", 7, "merged_on", "missing merger date: from when is it part of 'C'?")],
    ),
    "merged into an unknown unit": (
        base_with("units", ["C2", "Tân Lập", "commune", "D", "C9", "01/07/2025"]),
        [E("units", 7, "merged_into", "unknown unit 'C9'")],
    ),
    "merged into itself": (
        base_with("units", ["C2", "Tân Lập", "commune", "D", "C2", "01/07/2025"]),
        [E("units", 7, "merged_into", "unit 'C2' cannot be merged into itself")],
    ),
    "province under a unit": (
        base_with("units", ["P2", "Quảng Ngãi", "province", "P"]),
        [E("units", 7, "parent_code", "a province cannot be under another unit ('P')")],
    ),
    "duplicate unit code": (
        base_with("units", ["V9", "Thôn 9 mới", "village", "C"]),
        [E("units", 7, "code", "duplicate code 'V9' (also row 5)")],
    ),
    "separator in a code": (
        base_with("units", ["V1;V2", "Thôn 1", "village", "C"]),
        [E("units", 7, "code", "code 'V1;V2' must not contain ';' or ','")],
    ),
    "cycle of parents": (
        base_with("units", ["X1", "Xã 1", "commune", "X2"], ["X2", "Xã 2", "commune", "X1"]),
        [
            E("units", 7, "parent_code", "cycle in parent units: X1 > X2 > X1"),
            E("units", 8, "parent_code", "cycle in parent units: X2 > X1 > X2"),
        ],
    ),
    # cadres: rows 2-4, an added row is row 5
    "cadre without code": (base_with("cadres", ["", "Lê Văn C", "", "", "", ""]), [E("cadres", 5, "code", "missing code")]),
    "cadre without name": (base_with("cadres", ["CAN-9", "", "", "", "", ""]), [E("cadres", 5, "full_name", "missing full name")]),
    "malformed phone": (
        base_with("cadres", ["CAN-9", "Lê Văn C", "0912", "", "", ""]),
        [E("cadres", 5, "phone", "malformed phone '0912': a Vietnamese mobile number has 10 digits, starting with 0")],
    ),
    "phone of another cadre": (
        base_with("cadres", ["CAN-9", "Lê Văn C", "0912 345 001", "", "", ""]),
        [E("cadres", 5, "phone", "phone 0912345001 also belongs to cadre 'CAN-1' (row 2)")],
    ),
    "unknown role": (base_with("cadres", ["CAN-9", "Lê Văn C", "", "boss", "", ""]), [E("cadres", 5, "role", "unknown role 'boss'")]),
    "cadre of unknown unit": (
        base_with("cadres", ["CAN-9", "Lê Văn C", "", "", "", "XA-999"]),
        [E("cadres", 5, "unit_code", "unknown unit 'XA-999'")],
    ),
    "duplicate cadre code": (
        base_with("cadres", ["CAN-1", "Lê Văn C", "", "", "", ""]),
        [E("cadres", 5, "code", "duplicate code 'CAN-1' (also row 2)")],
    ),
    # cells: rows 2-3, an added row is row 4
    "cell without unit": (base_with("cells", ["CB-X", "Chi bộ X", "", "", ""]), [E("cells", 4, "unit_code", "missing unit")]),
    "cell without name": (base_with("cells", ["CB-X", "", "V9", "", ""]), [E("cells", 4, "name", "missing name")]),
    "cell of unknown unit": (
        base_with("cells", ["CB-X", "Chi bộ X", "XA-999", "", ""]),
        [E("cells", 4, "unit_code", "unknown unit 'XA-999'")],
    ),
    "unknown secretary": (
        base_with("cells", ["CB-X", "Chi bộ X", "V9", "CAN-99", ""]),
        [E("cells", 4, "secretary_code", "unknown secretary 'CAN-99'")],
    ),
    "secretary that is not a cadre": (
        base_with("cells", ["CB-X", "Chi bộ X", "V9", "CB-V9", ""]),
        [E("cells", 4, "secretary_code", "secretary 'CB-V9' is not a cadre (it is a cell code)")],
    ),
    # assignments: rows 2-3, an added row is row 4
    "assignment without cadre": (
        base_with("assignments", ["", "CB-V9", "2026-01-01", ""]),
        [E("assignments", 4, "cadre_code", "missing cadre")],
    ),
    "assignment without cell": (
        base_with("assignments", ["CAN-2", "", "2026-01-01", ""]),
        [E("assignments", 4, "cell_code", "missing cell")],
    ),
    "assignment without start": (
        base_with("assignments", ["CAN-2", "CB-V9", "", ""]),
        [E("assignments", 4, "starts_on", "missing start date")],
    ),
    "unknown cadre": (
        base_with("assignments", ["CAN-99", "CB-V9", "2026-01-01", ""]),
        [E("assignments", 4, "cadre_code", "unknown cadre 'CAN-99'")],
    ),
    "unknown cell": (
        base_with("assignments", ["CAN-2", "CB-V99", "2026-01-01", ""]),
        [E("assignments", 4, "cell_code", "unknown cell 'CB-V99'")],
    ),
    "malformed date": (
        base_with("assignments", ["CAN-2", "CB-V9", "31/02/2026", ""]),
        [E("assignments", 4, "starts_on", "malformed date '31/02/2026': write dd/mm/yyyy")],
    ),
    "malformed end date": (
        base_with("assignments", ["CAN-2", "CB-V9", "01/01/2026", "soon"]),
        [E("assignments", 4, "ends_on", "malformed date 'soon': write dd/mm/yyyy")],
    ),
    "end before start": (
        base_with("assignments", ["CAN-2", "CB-V9", "01/04/2026", "31/03/2026"]),
        [E("assignments", 4, "ends_on", "end date 31/03/2026 is before start date 01/04/2026")],
    ),
    "duplicate assignment": (
        base_with("assignments", ["CAN-1", "CB-V9", "01/01/2026", "30/06/2026"]),
        [E("assignments", 4, None, "duplicate assignment of 'CAN-1' to 'CB-V9' from 01/01/2026 (also row 2)")],
    ),
    # models: row 2, an added row is row 3
    "model without code": (base_with("models", ["", "Nuôi gà", "grassroots", "", ""]), [E("models", 3, "code", "missing code")]),
    "model without name": (base_with("models", ["MH-2", "", "grassroots", "", ""]), [E("models", 3, "name", "missing name")]),
    "model without level": (base_with("models", ["MH-2", "Nuôi gà", "", "", ""]), [E("models", 3, "level", "missing level")]),
    "model of unknown level": (
        base_with("models", ["MH-2", "Nuôi gà", "national", "", ""]),
        [E("models", 3, "level", "unknown level 'national'")],
    ),
    "unknown place": (
        base_with("models", ["MH-2", "Nuôi gà", "grassroots", "", "V9, XA-999"]),
        [E("models", 3, "places", "unknown place 'XA-999'")],
    ),
    "unknown owner unit": (
        base_with("models", ["MH-2", "Nuôi gà", "grassroots", "XA-999", "V9"]),
        [E("models", 3, "owner", "unknown owner unit 'XA-999'")],
    ),
}


def matches(actual: list[RowError], expected: list[RowError]) -> bool:
    """Same places; each actual reason starts with the expected one (hints may follow)."""
    return len(actual) == len(expected) and all(
        (a.sheet, a.row, a.column) == (e.sheet, e.row, e.column) and a.reason.startswith(e.reason)
        for a, e in zip(actual, expected)
    )


async def check_broken(db: Database, tmp_path: Path, case: str) -> None:
    sheets, expected = CASES[case]
    before = await dump(db)
    with pytest.raises(RosterError) as caught:
        await import_roster(db, write_csvs(tmp_path / "broken", sheets), now=LATER)
    assert matches(caught.value.errors, expected), caught.value.errors
    assert await dump(db) == before


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
async def test_broken_roster_is_reported_and_writes_nothing(db: Database, tmp_path: Path, case: str) -> None:
    await check_broken(db, tmp_path, case)


# The same errors when the roster is already there: references then also resolve against
# the database, and a failed re-import must leave the old roster exactly as it was.
ON_A_LOADED_DATABASE = [
    "unknown parent", "village under a district", "cycle of parents", "phone of another cadre",
    "malformed phone", "secretary that is not a cadre", "duplicate assignment", "end before start",
    "unknown place",
]


@pytest.mark.parametrize("case", ON_A_LOADED_DATABASE)
async def test_broken_roster_leaves_the_loaded_roster_alone(db: Database, tmp_path: Path, case: str) -> None:
    await import_roster(db, write_csvs(tmp_path / "base", BASE), now=NOW)
    await check_broken(db, tmp_path, case)


async def test_every_error_is_reported_at_once_in_sheet_order(db: Database, tmp_path: Path) -> None:
    sheets = copy.deepcopy(BASE)
    sheets["models"].append(["MH-2", "Nuôi gà", "", "", ""])
    sheets["cadres"][2][2] = "12345"
    sheets["units"].append(["V13", "Thôn 13", "village", "XA-999"])
    sheets["assignments"].append(["CAN-99", "CB-V99", "2026-13-01", ""])
    await import_roster(db, write_csvs(tmp_path / "base", BASE), now=NOW)
    before = await count_rows(db)
    with pytest.raises(RosterError) as caught:
        await import_roster(db, write_csvs(tmp_path / "broken", sheets), now=LATER)
    assert [(e.sheet, e.row, e.column) for e in caught.value.errors] == [
        ("units", 7, "parent_code"),
        ("cadres", 3, "phone"),
        ("assignments", 4, "cadre_code"),
        ("assignments", 4, "cell_code"),
        ("assignments", 4, "starts_on"),
        ("models", 3, "level"),
    ]
    assert "6 problem(s)" in str(caught.value)
    assert await count_rows(db) == before


def test_row_error_reads_like_a_spreadsheet_location() -> None:
    error = RowError("cadres", 7, "phone", "malformed phone '0912': a Vietnamese mobile number has 10 digits")
    assert str(error) == "cadres row 7 (phone): malformed phone '0912': a Vietnamese mobile number has 10 digits"
    assert str(RowError("units", 4, None, "x")) == "units row 4: x"
    assert str(RowError("roster.ods", 0, None, "unsupported")) == "roster.ods: unsupported"


async def test_row_numbers_count_blank_rows(db: Database, tmp_path: Path) -> None:
    sheets = copy.deepcopy(BASE)
    sheets["cadres"][2:2] = [["", "", "", "", "", ""], []]
    sheets["cadres"].append(["CAN-9", "", "", "", "", ""])
    with pytest.raises(RosterError) as caught:
        await import_roster(db, write_csvs(tmp_path, sheets), now=NOW)
    assert [(e.sheet, e.row) for e in caught.value.errors] == [("cadres", 7)]


# --- errors in the form of the roster -----------------------------------------------------


def form_error(paths: list[Path]) -> list[RowError]:
    with pytest.raises(RosterError) as caught:
        read_roster(paths)
    return caught.value.errors


def test_missing_required_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "units", [["code", "name", "parent_code"], ["P", "Kon Tum", ""]])
    assert matches(form_error([path]), [E("units", 1, "kind", "missing column kind ('Cấp')")])


def test_two_columns_for_one_field(tmp_path: Path) -> None:
    rows = [["Mã", "Họ và tên", "Điện thoại", "Số điện thoại"], ["CAN-1", "A", "0912345001", ""]]
    path = write_csv(tmp_path, "cadres", rows)
    assert matches(form_error([path]), [E("cadres", 1, "phone", "two columns for phone")])


def test_unknown_sheet_extension_and_unreadable_files(tmp_path: Path) -> None:
    people = write_csv(tmp_path, "people", [["code"], ["CAN-1"]])
    old_excel = tmp_path / "roster.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    latin = tmp_path / "cadres.csv"
    latin.write_bytes("code,full_name\nCAN-1,Nguyễn\n".encode("utf-16"))
    errors = form_error([people, old_excel, broken, latin, tmp_path / "missing.csv"])
    assert [(e.sheet, e.row) for e in errors] == [
        ("people.csv", 0), ("roster.xls", 0), ("broken.xlsx", 0), ("cadres.csv", 0), ("missing.csv", 0),
    ]
    reasons = [e.reason for e in errors]
    assert reasons[0].startswith("unknown sheet 'people': expected units (Đơn vị)")
    assert reasons[1] == "unsupported file type '.xls': save the roster as .xlsx or .csv"
    assert reasons[2].startswith("cannot read the file")
    assert reasons[3] == "not UTF-8 text: save it as 'CSV UTF-8'"
    assert reasons[4] == "no such file"


def test_unknown_sheet_in_a_workbook_and_a_sheet_given_twice(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "r.xlsx", {"Đơn vị": [["Mã", "Tên", "Cấp"]], "Ghi chú": [["notes"]], "Trống": []})
    units = write_csv(tmp_path, "don_vi", BASE["units"])
    errors = form_error([workbook, units])
    assert [e.reason.split(":")[0] for e in errors] == [
        "unknown sheet 'Ghi chú'",
        "sheet units given twice",
    ]


def test_no_files(tmp_path: Path) -> None:
    assert form_error([])[0].reason == "no roster files given"


# --- references across sheets and across imports ------------------------------------------


async def test_a_single_sheet_resolves_references_against_the_database(db: Database, tmp_path: Path) -> None:
    await import_roster(db, write_csvs(tmp_path / "base", BASE), now=NOW)
    cells = write_csv(tmp_path / "more", "cells", [["code", "name", "unit_code", "secretary_code"], ["CB-V12", "Chi bộ thôn 12", "V12", "CAN-3"]])
    plan = write_csv(tmp_path / "more", "assignments", [["cadre_code", "cell_code", "starts_on"], ["CAN-2", "CB-V9", "01/07/2026"]])
    result = await import_roster(db, [cells, plan], now=LATER)
    assert result.updated == zero() | {"cells": 1}
    assert result.created == zero() | {"assignments": 1}
    assert (await count_rows(db))["assignments"] == 3


async def test_columns_a_sheet_leaves_out_keep_their_values(db: Database, tmp_path: Path) -> None:
    await import_roster(db, write_csvs(tmp_path / "base", BASE), now=NOW)
    before = await dump(db)
    phones = write_csv(tmp_path / "phones", "Cán bộ", [
        ["Mã", "Họ và tên", "Điện thoại"],
        ["CAN-1", "Nguyễn Văn An", "0912345001"],
        ["CAN-2", "Trần Thị Bình", "0988 000 002"],
    ])
    result = await import_roster(db, [phones], now=LATER)
    assert (result.updated["cadres"], result.unchanged["cadres"]) == (1, 1)
    after = await dump(db)
    changed = [row for row in after["cadres"] if row not in before["cadres"]]
    assert changed == [("CAN-2", "Trần Thị Bình", "+84988000002", "admin", "Chánh Văn phòng", "D", 1, None)]


async def test_phones_may_swap_but_not_collide_with_the_database(db: Database, tmp_path: Path) -> None:
    await import_roster(db, write_csvs(tmp_path / "base", BASE), now=NOW)
    swap = write_csv(tmp_path / "swap", "cadres", [
        ["code", "full_name", "phone"], ["CAN-1", "Nguyễn Văn An", "0912345002"], ["CAN-2", "Trần Thị Bình", "0912345001"],
    ])
    assert (await import_roster(db, [swap], now=LATER)).updated["cadres"] == 2
    clash = write_csv(tmp_path / "clash", "cadres", [["code", "full_name", "phone"], ["CAN-9", "Lê Văn C", "0912345003"]])
    with pytest.raises(RosterError) as caught:
        await import_roster(db, [clash], now=LATER)
    assert [str(e) for e in caught.value.errors] == [
        "cadres row 2 (phone): phone 0912345003 also belongs to cadre 'CAN-3' (in the database)"
    ]


async def test_changing_a_kind_must_fit_the_units_under_it(db: Database, tmp_path: Path) -> None:
    await import_roster(db, write_csvs(tmp_path / "base", BASE), now=NOW)
    units = write_csv(tmp_path / "x", "units", [["code", "name", "kind"], ["C", "Đăk Ruồng", "district"]])
    with pytest.raises(RosterError) as caught:
        await import_roster(db, [units], now=LATER)
    assert [str(e) for e in caught.value.errors] == [
        "units row 2 (parent_code): a district belongs under a province, but parent 'D' is a district",
        "units row 2 (kind): village 'V9' in the database is under it, and a village cannot be under a district",
        "units row 2 (kind): village 'V12' in the database is under it, and a village cannot be under a district",
    ]


async def test_updates_are_counted_per_sheet(db: Database, tmp_path: Path) -> None:
    await import_roster(db, write_csvs(tmp_path / "base", BASE), now=NOW)
    sheets = copy.deepcopy(BASE)
    sheets["units"][5][1] = "Thôn Mười Hai"  # renamed
    sheets["assignments"][2][3] = "30/06/2026"  # ended
    sheets["models"][1][4] = "V9"  # one place fewer
    sheets["cells"].append(["CB-C", "Chi bộ cơ quan", "C", "", ""])
    result = await import_roster(db, write_csvs(tmp_path / "v2", sheets), now=LATER)
    assert result.updated == zero() | {"units": 1, "assignments": 1, "models": 1}
    assert result.created == zero() | {"cells": 1}
    assert totals(result) == {s: len(rows) - 1 for s, rows in sheets.items()}
    content = await dump(db)
    assert ("CAN-1", "CB-V12", "2026-01-01", "2026-06-30") in content["assignments"]
    assert content["model_places"] == [("MH-1", "V9")]


async def test_model_owner_is_a_unit_code_or_free_text(db: Database, tmp_path: Path) -> None:
    sheets = base_with("models", ["MH-GA", "Nuôi gà", "cơ sở", "Tòa án huyện", "V12"], ["MH-MT", "Phòng, chống ma túy", "cấp huyện", "UBND", ""])
    await import_roster(db, write_csvs(tmp_path, sheets), now=NOW)
    models = (await dump(db))["models"]
    assert [m[:5] for m in models] == [
        ("MH-1", "Khu dân cư đảm bảo an toàn giao thông", "grassroots", "C", "Đăk Ruồng"),
        ("MH-GA", "Nuôi gà", "grassroots", None, "Tòa án huyện"),
        ("MH-MT", "Phòng, chống ma túy", "district", None, "UBND"),
    ]


# --- the forms people type ----------------------------------------------------------------


async def test_vietnamese_workbook_with_numbers_and_real_dates(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "Danh sách.xlsx", {
        "ĐƠN VỊ": [
            ["MÃ", "Tên", "cấp", "Mã Cấp Trên", "Ghi chú"],
            ["KT", "Kon Tum", "Tỉnh", None, "không nhập cột này"],
            ["KR", "Kon Rẫy", "huyen", "KT"],
            [None, None, None, None],
            ["DR", "Đăk Ruồng", "Xã", "KR"],
            ["T9", "Thôn 9", "THÔN", "DR"],
            [12, "Làng Kon Skôi", "làng", "DR"],
        ],
        "can bo": [
            ["Mã cán bộ", "Họ và tên", "Số điện thoại", "Vai trò", "Chức vụ", "Mã đơn vị", "Đang hoạt động"],
            [1, "Nguyễn Văn An", 912345001, "Cấp ủy viên", "Huyện ủy viên", "KR", "có"],
            [2.0, "Trần Thị Bình", "+84 912 345 002", "Quản trị", None, "KR", "x"],
            ["BT-9", "A Thuận", 84912345003, "bí thư", None, "T9", "Không"],
        ],
        "Chi Bộ": [
            ["Mã chi bộ", "Tên", "Thôn", "Mã bí thư", "Ngày sinh hoạt", "Đang hoạt động"],
            ["CB-T9", "Chi bộ thôn 9", "T9", "BT-9", "ngày 5 hằng tháng", "có"],
            ["CB-12", "Chi bộ làng Kon Skôi", 12.0, None, None, "không"],
        ],
        "Phân công": [
            ["Mã cán bộ", "Mã chi bộ", "Từ ngày", "Đến ngày"],
            [1, "CB-T9", datetime(2026, 1, 1), None],
            [1, "CB-12", "01/01/2026", "30/06/2026"],
            [2, "CB-T9", date(2026, 4, 1), "2026-12-31"],
        ],
        "Mô hình": [
            ["Mã (*)", "Tên mô hình", "Mức", "Đơn vị chủ trì", "Địa bàn", "Mô tả"],
            ["MH-1", "Khu dân cư văn hóa kiểu mẫu", "Điểm cấp tỉnh", "KR", "T9, 12", "Hai dòng\nmô tả"],
        ],
    })
    result = await import_roster(db, [path], now=NOW)
    assert result.created == {"units": 5, "cadres": 3, "cells": 2, "assignments": 3, "models": 1}
    content = await dump(db)
    assert ("12", "Làng Kon Skôi", "village", "DR") in content["units"]
    assert [c[:4] + (c[6],) for c in content["cadres"]] == [
        ("1", "Nguyễn Văn An", "+84912345001", "cadre", 1),
        ("2", "Trần Thị Bình", "+84912345002", "admin", 1),
        ("BT-9", "A Thuận", "+84912345003", "secretary", 0),
    ]
    assert content["cells"] == [
        ("CB-12", "Chi bộ làng Kon Skôi", "12", None, None, 0),
        ("CB-T9", "Chi bộ thôn 9", "T9", "BT-9", "ngày 5 hằng tháng", 1),
    ]
    assert content["assignments"] == [
        ("1", "CB-12", "2026-01-01", "2026-06-30"),
        ("1", "CB-T9", "2026-01-01", None),
        ("2", "CB-T9", "2026-04-01", "2026-12-31"),
    ]
    assert content["models"] == [("MH-1", "Khu dân cư văn hóa kiểu mẫu", "province", "KR", "Kon Rẫy", "Hai dòng\nmô tả", "active")]
    assert content["model_places"] == [("MH-1", "12"), ("MH-1", "T9")]
    assert (await import_roster(db, [path], now=LATER)).unchanged == result.created


async def test_csv_with_semicolons_and_vietnamese_file_names(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "Đơn vị.csv"
    path.write_text("Mã;Tên;Cấp;Mã cấp trên\nKT;Kon Tum;tỉnh;\nKR;Kon Rẫy;huyện;KT\n", encoding="utf-8")
    result = await import_roster(db, [path], now=NOW)
    assert result.created["units"] == 2


def test_read_roster_gives_canonical_columns_and_row_numbers(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "cadres", [["Mã", "Tên", "Extra"], ["CAN-1", " Nguyễn  Văn   An ", "?"], ["", "", "note"], ["CAN-2", "B", ""]])
    rows = read_roster([path])["cadres"]
    assert rows == [{"code": "CAN-1", "full_name": "Nguyễn Văn An"}, {"code": "CAN-2", "full_name": "B"}]
    assert [row.number for row in rows] == [2, 4]  # type: ignore[attr-defined]


# --- properties ---------------------------------------------------------------------------

ALIASES = [
    (sheet, column.name, alias)
    for sheet, spec in SHEET_SPECS.items()
    for column in spec.columns
    for alias in (column.name, *column.aliases)
]


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


@settings(deadline=None)
@given(
    st.sampled_from(ALIASES),
    st.lists(st.booleans(), min_size=40, max_size=40),
    st.booleans(),
    st.sampled_from(["", " ", "  ", "\t"]),
)
def test_headers_match_whatever_the_case_and_diacritics(
    alias: tuple[str, str, str], upper: list[bool], bare: bool, pad: str
) -> None:
    sheet, column, header = alias
    header = strip_marks(header) if bare else header
    header = "".join(ch.upper() if up else ch.lower() for ch, up in zip(header, upper + [False] * len(header)))
    assert column_for_header(sheet, f"{pad}{header}{pad}") == column


@settings(deadline=None)
@given(st.sampled_from(SHEETS), st.booleans())
def test_sheet_names_in_either_language(sheet: str, upper: bool) -> None:
    for name in (sheet, *SHEET_SPECS[sheet].aliases):
        assert sheet_for_name(name.upper() if upper else strip_marks(name)) == sheet


@settings(deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_in_every_accepted_form(day: date) -> None:
    for text in (day.strftime("%d/%m/%Y"), day.isoformat(), f"{day.day}/{day.month}/{day.year}"):
        assert parse_date(text) == day
    assert parse_date(_cell_text(datetime.combine(day, datetime.min.time()))) == day


@settings(deadline=None)
@given(st.sampled_from("35789"), st.integers(min_value=0, max_value=99_999_999))
def test_a_phone_typed_as_a_number_keeps_its_meaning(first: str, rest: int) -> None:
    national = f"{first}{rest:08d}"
    for typed in (int(national), float(national), int("84" + national)):
        assert normalise_phone(_cell_text(typed)) == normalise_phone("0" + national)


async def test_the_treasurer_is_imported_in_either_language_alone_or_besides_a_role(db: Database, tmp_path: Path) -> None:
    sheets = base_with("cadres", ["CAN-4", "Lê Thị Quỹ", "0912345004", "Thủ quỹ", "Thủ quỹ quỹ tiết kiệm", "D"],
                       ["CAN-5", "Y Ngân", "0912345005", "treasurer", "", "C"],
                       ["CAN-6", "Hà Văn Trị", "0912345006", "Quản trị, thủ quỹ", "", "D"],
                       ["CAN-7", "Lò Thị Bí", "0912345007", "bí thư + treasurer", "", "C"])
    await import_roster(db, write_csvs(tmp_path, sheets), now=NOW)
    rows = {row["code"]: (row["role"], row["treasurer"]) for row in await db.fetchall("SELECT code, role, treasurer FROM cadres")}
    assert rows["CAN-4"] == rows["CAN-5"] == ("cadre", 1)
    assert rows["CAN-6"] == ("admin", 1) and rows["CAN-7"] == ("secretary", 1)
    assert rows["CAN-1"][1] == 0


async def test_two_roles_in_one_cell_are_refused_and_a_sheet_without_roles_keeps_the_treasurer(
    db: Database, tmp_path: Path
) -> None:
    sheets = base_with("cadres", ["CAN-4", "Lê Thị Quỹ", "0912345004", "thủ quỹ", "", "D"])
    await import_roster(db, write_csvs(tmp_path, sheets), now=NOW)
    bad = base_with("cadres", ["CAN-6", "Hà Văn Trị", "0912345006", "quản trị, bí thư", "", "D"])
    with pytest.raises(RosterError) as refused:
        await import_roster(db, write_csvs(tmp_path / "bad", bad), now=NOW)
    [error] = refused.value.errors
    assert (error.sheet, error.column) == ("cadres", "role") and "quản trị, bí thư" in error.reason
    names_only = tmp_path / "names"
    names_only.mkdir()
    (names_only / "cadres.csv").write_text("code,full_name\nCAN-4,Lê Thị Quỹ Mới\n", encoding="utf-8")
    result = await import_roster(db, [names_only / "cadres.csv"], now=NOW)
    assert result.updated["cadres"] == 1
    row = await db.fetchone("SELECT full_name, role, treasurer FROM cadres WHERE code = 'CAN-4'")
    assert tuple(row) == ("Lê Thị Quỹ Mới", "cadre", 1)


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
async def test_every_problem_is_worded_in_vietnamese_too(db: Database, tmp_path: Path, case: str) -> None:
    """`baocao import` words each reason in BAOCAO_LANGUAGE (bot/cli_text.py): the
    Vietnamese is a full text of its own, not the English one, with every value filled in."""
    sheets, _ = CASES[case]
    with pytest.raises(RosterError) as caught:
        await import_roster(db, write_csvs(tmp_path / "broken", sheets), now=LATER)
    for error in caught.value.errors:
        vietnamese = error.text("vi")
        assert vietnamese != error.reason and "{" not in vietnamese, (case, vietnamese)
        assert error.text("en") == error.reason


def test_form_problems_are_worded_in_vietnamese_too(tmp_path: Path) -> None:
    people = write_csv(tmp_path, "people", [["code"], ["CAN-1"]])
    units = write_csv(tmp_path, "units", [["code", "name", "parent_code"], ["P", "Kon Tum", ""]])
    texts = [e.text("vi") for e in form_error([people, units, tmp_path / "missing.csv"])]
    assert texts[0].startswith("không rõ trang 'people': cần các trang units (Đơn vị)")
    assert "thiếu cột 'Cấp' (kind)" in texts and "không có tệp này" in texts
    assert form_error([])[0].text("vi") == "chưa chọn tệp danh sách nào"
