"""How a sheet of the official workbook looks: a header block, one table, print setup.

The content is scheduler/workbook.py's; this module only lays a table out the way an
office files it: the organisation, the title and the date in a header block; bold,
wrapped column headers frozen above the rows; dates as real dates shown dd/mm/yyyy,
numbers as numbers; a totals row of formulas, so a figure corrected by hand adds up
again; columns as wide as their contents (long texts wrapped, rows tall enough, nothing
cut); A4 landscape, fitted to the page width, the header row repeated on every page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_ROW = 5  # rows 1–3: the header block; 4: blank
FIRST_ROW = HEADER_ROW + 1
DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0%"
INTEGER_FORMAT = "0"
MIN_WIDTH = 6
MAX_WIDTH = 50  # wider texts wrap
HEADER_WIDTH = 16  # longer headers wrap onto two lines
LINE_HEIGHT = 15  # points, for 11-point Calibri
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, its number format (None: text), and whether it wraps."""

    header: str
    number_format: str | None = None
    wrap: bool = False


def header_block(ws: Worksheet, lines: Sequence[str], width: int) -> None:
    """The organisation, the title and the date made, each across the table's width."""
    fonts = [Font(bold=True, size=12), Font(bold=True, size=14), Font(italic=True)]
    for number, (text, font) in enumerate(zip(lines, fonts), start=1):
        cell = ws.cell(row=number, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if width > 1:
            ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)


def table(ws: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> int:
    """Writes the header row and the rows; returns the last row written (the header's
    when there are no rows)."""
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    styles = [_cell_style(ws, column) for column in columns]
    for offset, values in enumerate(rows):
        for index, (style, value) in enumerate(zip(styles, values), start=1):
            ws.cell(row=FIRST_ROW + offset, column=index, value=value).style = style
    return HEADER_ROW + len(rows)


def _cell_style(ws: Worksheet, column: Column) -> str:
    """A named style per kind of column, registered once per workbook: assigning a name is
    cheap, while a border and an alignment set on each cell cost openpyxl a hash of every
    style object (30 s for 10,000 rows instead of 3)."""
    name = f"baocao {column.number_format or 'text'}{' wrap' if column.wrap else ''}"
    workbook = ws.parent
    if name not in workbook.named_styles:
        workbook.add_named_style(NamedStyle(
            name=name, border=BORDER, number_format=column.number_format or "General",
            alignment=Alignment(wrap_text=column.wrap, vertical="top"),
        ))
    return name


def totals_row(ws: Worksheet, row: int, label: str, formulas: dict[int, tuple[str | int, str | None]]) -> None:
    """A bold row: the label in column A, then formulas (column → (formula, format))."""
    label_cell = ws.cell(row=row, column=1, value=label)
    label_cell.font = Font(bold=True)
    label_cell.border = BORDER
    for column, (formula, number_format) in formulas.items():
        cell = ws.cell(row=row, column=column, value=formula)
        cell.font = Font(bold=True)
        cell.border = BORDER
        if number_format:
            cell.number_format = number_format


def over(function: str, letter: str, last: int) -> str | int:
    """``=FUNCTION(X6:Xlast)`` over a column's rows; 0 when there are none (a range of no
    rows would take in the header or the totals row itself)."""
    return f"={function}({letter}{FIRST_ROW}:{letter}{last})" if last >= FIRST_ROW else 0


def display_length(value: object, number_format: str | None) -> int:
    """About how many characters Excel shows for a value."""
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    if number_format == PERCENT_FORMAT:
        return 5
    if isinstance(value, str) and value.startswith("="):
        return 8
    return max((len(line) for line in str(value).split("\n")), default=0)


def finish(ws: Worksheet, columns: Sequence[Column], last_row: int) -> None:
    """Column widths and row heights that fit, frozen header, print setup."""
    widths: list[int] = []
    for index, column in enumerate(columns, start=1):
        longest = max(
            [min(len(column.header), HEADER_WIDTH), 10 if column.number_format == DATE_FORMAT else 0]
            + [display_length(ws.cell(row=r, column=index).value, column.number_format)
               for r in range(FIRST_ROW, last_row + 1)]
        )
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        widths.append(width)
        ws.column_dimensions[get_column_letter(index)].width = width
    _fit_heights(ws, columns, widths, last_row)
    _fit_header_block(ws, sum(widths))
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _lines(value: object, width: int) -> int:
    """Lines a wrapped text takes in a column of ``width`` characters."""
    if not isinstance(value, str) or not value:
        return 1
    usable = max(width - 2, 1)
    return sum(max(math.ceil(len(line) / usable), 1) for line in value.split("\n"))


def _fit_heights(ws: Worksheet, columns: Sequence[Column], widths: list[int], last_row: int) -> None:
    header_lines = max(
        _lines(column.header, width) for column, width in zip(columns, widths)
    )
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * max(header_lines, 1) + 4
    wrapped = [(i, w) for i, (c, w) in enumerate(zip(columns, widths), start=1) if c.wrap]
    if not wrapped:
        return
    for row in range(FIRST_ROW, last_row + 1):
        lines = max(_lines(ws.cell(row=row, column=i).value, w) for i, w in wrapped)
        if lines > 1:
            ws.row_dimensions[row].height = LINE_HEIGHT * lines


def _fit_header_block(ws: Worksheet, table_width: int) -> None:
    """The header block's merged rows are as wide as the table: tall enough to wrap."""
    for row in (1, 2, 3):
        value = ws.cell(row=row, column=1).value
        size = 14 if row == 2 else 12 if row == 1 else 11
        # a bigger font takes more room per character
        lines = _lines(value, int(table_width * 11 / size))
        ws.row_dimensions[row].height = (LINE_HEIGHT + size - 11) * lines + 2
