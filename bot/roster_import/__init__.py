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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from bot.roster_import.errors import ImportResult, RosterError, RosterRow, RowError
from bot.roster_import.reading import _cell_text, read_roster
from bot.roster_import.spec import (
    MODEL_LEVELS, ROLES, SHEET_SPECS, SHEETS, TREASURER, TREASURER_WORDS, UNIT_KINDS, YES_NO, Column, SheetSpec,
    column_for_header, fold, parse_date, sheet_for_name,
)
from bot.roster_import.validation import _Validator
from bot.roster_import.writing import Writes, _Changes, _writes
from storage import roster as store
from storage.db import Database

__all__ = [
    "CHUNK_ROWS", "MODEL_LEVELS", "PAUSE_SECONDS", "ROLES", "SHEETS", "SHEET_SPECS", "STAGE_CHECK", "STAGE_READ",
    "STAGE_WRITE", "TREASURER", "TREASURER_WORDS", "UNIT_KINDS", "YES_NO", "Column", "ImportResult", "Progress",
    "RosterError", "RosterRow", "RowError", "SheetSpec", "_cell_text", "column_for_header", "fold", "import_roster",
    "parse_date", "read_roster", "sheet_for_name",
]

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


async def _write(db: Database, writes: Writes,
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
