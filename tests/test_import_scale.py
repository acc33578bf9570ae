"""The roster import at scale: written in chunks that let the bot write in between, all
or nothing through validation first, and a progress bar only on a terminal (issue 15,
issue 12 item 17)."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot import roster_import
from bot.cli import main
from bot.progress import progress_bar
from bot.roster_import import SHEETS, RosterError, import_roster
from storage.db import Database
from storage.migrate import upgrade
from storage.reports import VisitReportInput, submit_visit
from storage.roster import count_rows
from tests.test_roster_import import SAMPLE_CSVS, SAMPLE_XLSX, dump, make_roster, other_db, write_csvs, BASE

NOW = "2026-01-01T01:00:00Z"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "t.sqlite3")
    await database.open()
    await upgrade(database)
    yield database
    await database.close()


def retitled(folder: Path) -> list[Path]:
    """The sample roster with every cadre's title changed: a re-import that rewrites
    every cadre row."""
    folder.mkdir()
    for path in SAMPLE_CSVS:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        if path.stem == "cadres":
            title = rows[0].index("title")
            for row in rows[1:]:
                row[title] = f"{row[title]} (nhiệm kỳ 2025-2030)"
        with (folder / path.name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return sorted(folder.iterdir())


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few rows, so the sample roster is written in many transactions."""
    monkeypatch.setattr(roster_import, "CHUNK_ROWS", 7)
    monkeypatch.setattr(roster_import, "PAUSE_SECONDS", 0)


async def test_chunked_import_gives_the_same_roster_as_one_transaction(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = await other_db(tmp_path, "whole.sqlite3")
    try:
        await import_roster(whole, [SAMPLE_XLSX], now=NOW)  # one chunk: fewer rows than CHUNK_ROWS
        monkeypatch.setattr(roster_import, "CHUNK_ROWS", 3)
        monkeypatch.setattr(roster_import, "PAUSE_SECONDS", 0)
        writes: list[int] = []
        result = await import_roster(
            db, [SAMPLE_XLSX], now=NOW, progress=lambda stage, done, total: writes.append(done)
            if stage == roster_import.STAGE_WRITE else None,
        )
        assert result.created == {s: len(r) for s, r in make_roster().roster().items()}
        assert len(writes) > 10  # many chunks: units' parents always came first
        assert await dump(db) == await dump(whole)
    finally:
        await whole.close()


async def test_the_bot_writes_between_the_chunks_of_a_long_import(
    db: Database, tmp_path: Path, small_chunks: None
) -> None:
    """Another connection (the bot's process) with no busy timeout at all stores a report
    and a language change after every chunk: the import never holds the write lock
    between chunks. In one transaction, the bot's writes failed with "database is locked"."""
    await import_roster(db, SAMPLE_CSVS, now=NOW)
    bot = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    cadre_id, cell_id = bot.execute("SELECT cadre_id, cell_id FROM assignments LIMIT 1").fetchone()
    stored: list[int] = []
    chunks: list[int] = []

    def bot_writes(stage: str, done: int, total: int) -> None:
        if stage != roster_import.STAGE_WRITE or done == 0:
            return
        chunks.append(done)
        bot.execute("UPDATE cadres SET language = 'en' WHERE id = ?", (cadre_id,))  # /ngonngu
        cursor = bot.execute(
            """INSERT INTO visit_reports (cadre_id, filed_by_id, cell_id, meeting_date, quarter,
                   client_token, submitted_at, updated_at)
               VALUES (?, ?, ?, '2026-01-05', '2026-Q1', ?, ?, ?)""",
            (cadre_id, cadre_id, cell_id, f"during-import-{done}", NOW, NOW),
        )
        stored.append(cursor.lastrowid or 0)

    result = await import_roster(db, retitled(tmp_path / "edited"), now="2026-02-01T00:00:00Z", progress=bot_writes)
    bot.close()
    assert result.updated["cadres"] > 0
    assert len(chunks) >= 3 and len(stored) == len(chunks)
    assert await db.fetchval("SELECT count(*) FROM visit_reports WHERE client_token LIKE 'during-import-%'") == len(chunks)


async def test_a_coroutine_of_the_bot_stores_a_report_while_the_import_runs(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same in one process: a report submitted on the bot's own connection while the
    import runs is stored before the import ends, not after it."""
    monkeypatch.setattr(roster_import, "CHUNK_ROWS", 5)
    await import_roster(db, SAMPLE_CSVS, now=NOW)
    cadre_id, cell_id = (await db.fetchall("SELECT cadre_id, cell_id FROM assignments LIMIT 1"))[0]
    first_chunk = asyncio.Event()
    events: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == roster_import.STAGE_WRITE and done:
            first_chunk.set()

    async def the_bot() -> None:
        await first_chunk.wait()
        report = VisitReportInput(
            token="while-importing", cadre_id=cadre_id, filed_by_id=cadre_id, cell_id=cell_id,
            meeting_date=date(2026, 1, 5), quarter="2026-Q1", late=False,
            disseminated="Nghị quyết",
        )
        await submit_visit(db, report, now=NOW)
        events.append("report stored")

    async def the_import() -> None:
        await import_roster(db, retitled(tmp_path / "other"), now="2026-02-01T00:00:00Z", progress=progress)
        events.append("import done")

    await asyncio.gather(the_import(), the_bot())
    assert events == ["report stored", "import done"]


async def test_a_bad_row_anywhere_writes_no_chunk_at_all(db: Database, tmp_path: Path, small_chunks: None) -> None:
    sheets = {sheet: [list(row) for row in rows] for sheet, rows in BASE.items()}
    sheets["assignments"].append(["NOBODY", sheets["cells"][1][0], "01/01/2026"])  # the last sheet written
    with pytest.raises(RosterError) as raised:
        await import_roster(db, write_csvs(tmp_path / "broken", sheets), now=NOW)
    assert any("unknown cadre 'NOBODY'" in str(e) for e in raised.value.errors)
    counts = await count_rows(db)
    assert all(counts[sheet] == 0 for sheet in SHEETS)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_only() -> None:
    terminal, pipe = FakeTerminal(), io.StringIO()
    for stream in (terminal, pipe):
        with progress_bar(stream=stream) as progress:
            progress(roster_import.STAGE_WRITE, 0, 100)
            progress(roster_import.STAGE_WRITE, 100, 100)
    assert "100/100" in terminal.getvalue() and "ghi / writing" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_cli_import_prints_no_progress_when_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BAOCAO_DB", str(tmp_path / "cli.sqlite3"))
    assert main(["import", *map(str, SAMPLE_CSVS)]) == 0
    out, err = capsys.readouterr()
    assert "cadres:" in out and "created" in out
    assert "\r" not in err and "rows/s" not in err and "writing" not in err
