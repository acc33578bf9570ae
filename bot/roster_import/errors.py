"""What an import reports: each problem where the operator will look for it, and the counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.roster_import.spec import SHEETS

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
