"""How the ``baocao import`` command words the roster's problems and counts for the operator.

The import names sheets by their canonical names (``cadres``); the operator looks for the
sheet the workbook shows («Cán bộ»). So the command reads the titles of the files given
and speaks of each sheet the way the workbook (or the CSV file) names it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.roster_import import RowError, sheet_for_name
from bot.texts import t


def sheet_titles(files: Sequence[Path]) -> dict[str, str]:
    """Canonical sheet → its title in the files given (CSV: the file's name)."""
    titles: dict[str, str] = {}
    for path in files:
        for title in _titles_in(path):
            sheet = sheet_for_name(title)
            if sheet is not None:
                titles.setdefault(sheet, path.name if path.suffix.lower() == ".csv" else title)
    return titles


def _titles_in(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [path.stem]
    if suffix not in (".xlsx", ".xlsm"):
        return []
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # unreadable: the import reports it; here the canonical names stay
        return []
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def row_error_text(error: RowError, titles: dict[str, str], lang: str) -> str:
    """One problem, where the operator finds it: sheet as named in the workbook, row, column
    (in Vietnamese as the template heads it), and why, in the operator's language."""
    sheet = titles.get(error.sheet, error.sheet)
    reason = error.text(lang)
    if error.row == 0:
        return t("cli.import_file_error", lang, sheet=sheet, reason=reason)
    if error.column:
        return t("cli.import_cell_error", lang, sheet=sheet, row=error.row, column=error.column_text(lang),
                 reason=reason)  # fmt: skip
    return t("cli.import_row_error", lang, sheet=sheet, row=error.row, reason=reason)
