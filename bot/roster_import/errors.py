"""What an import reports: each problem where the operator will look for it, and the counts.

A problem's reason is a catalogue text (bot/texts/roster_import.py) with its values, so
``baocao import`` words it in BAOCAO_LANGUAGE (bot/cli_text.py); ``reason`` keeps the
English wording for logs, ``str()`` and tests. Words inside a reason that are themselves
translated — a column, a kind of unit, "row 7" — are ``Word``s, rendered with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.roster_import.spec import SHEET_SPECS, SHEETS
from bot.texts import t
from bot.texts.keys import EN, VI


@dataclass(frozen=True)
class Word:
    """A translated part of a reason: a catalogue text with its own values."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str) -> str:
        return t(self.key, lang, **{name: render(value, lang) for name, value in self.values})


@dataclass(frozen=True)
class Named:
    """A name the roster gives in both languages (a value table's first two, a column's
    Vietnamese header and English label): said in the reader's language."""

    vi: str
    en: str

    def text(self, lang: str) -> str:
        return self.vi if lang == VI else self.en


def column_name(sheet: str, column: str) -> Named:
    """A column as the operator's template heads it (Vietnamese) or by its English label."""
    spec = next((c for c in SHEET_SPECS[sheet].columns if c.name == column), None) if sheet in SHEET_SPECS else None
    return Named(spec.aliases[0], spec.label) if spec else Named(column, column)


def render(value: object, lang: str) -> str:
    if isinstance(value, (Word, Named)):
        return value.text(lang)
    if isinstance(value, tuple):  # alternatives: «xã hoặc huyện», "commune or district"
        return t("import.or", lang).join(render(each, lang) for each in value)
    return str(value)


@dataclass(frozen=True)
class RowError:
    """One problem, located the way the operator will look for it in the spreadsheet.

    ``row`` is 1-based with the header as row 1; row 0 is a problem with a whole file,
    and then ``sheet`` is the file's name.
    """

    sheet: str
    row: int
    column: str | None
    reason: str  # in English; ``text(lang)`` in the operator's language
    key: str | None = None
    values: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, sheet: str, row: int, column: str | None, key: str, /, **values: object) -> RowError:
        pairs = tuple(values.items())
        return cls(sheet, row, column, Word(key, pairs).text(EN), key, pairs)

    def text(self, lang: str) -> str:
        """The reason in ``lang``."""
        return Word(self.key, self.values).text(lang) if self.key else self.reason

    def column_text(self, lang: str) -> str | None:
        """The column as the operator's template heads it (Vietnamese) or its canonical name."""
        if self.column is None:
            return None
        return column_name(self.sheet, self.column).vi if lang == VI else self.column

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
