"""The connection to the SQLite database and its transactions.

One aiosqlite connection serves the whole bot. aiosqlite runs every statement on one
worker thread, so statements never run in parallel anyway; what must not interleave are
*transactions*, which span several awaits. A lock serialises them: a coroutine inside
``transaction()`` holds it until COMMIT, and the single-statement helpers on ``Database``
take it too, so no read ever lands in the middle of someone else's transaction.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

BUSY_TIMEOUT_MS = 10_000

Params = Sequence[Any] | dict[str, Any]


class StorageError(Exception):
    """A problem with the database file itself (cannot open, wrong schema...)."""


class UnusableDatabase(StorageError):
    """The file cannot be opened or used as a SQLite database (path, permissions, content)."""

    def __init__(self, path: str, cause: BaseException) -> None:
        super().__init__(f"cannot open database {path}: {cause}")
        self.path = path
        self.reason = str(cause) or type(cause).__name__


class Executor:
    """Runs statements on a connection; the base of both ``Database`` and ``Transaction``."""

    _conn: aiosqlite.Connection

    async def _run(self, sql: str, params: Params) -> aiosqlite.Cursor:
        return await self._conn.execute(sql, params)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Runs one statement; returns the last inserted row id (or 0)."""
        cursor = await self._run(sql, params)
        row_id = cursor.lastrowid or 0
        await cursor.close()
        return row_id

    async def execute_rowcount(self, sql: str, params: Params = ()) -> int:
        """Runs one statement; returns how many rows it changed."""
        cursor = await self._run(sql, params)
        count = cursor.rowcount
        await cursor.close()
        return count

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Runs one statement for each row of parameters."""
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of the result, or None."""
        cursor = await self._run(sql, params)
        row = await cursor.fetchone()
        await cursor.close()
        return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Every row of the result."""
        # One trip to aiosqlite's thread, not three (execute, fetch, close): each trip
        # waits for the event loop's thread to let go of the GIL, a few milliseconds
        # when the loop is busy (a reminder fan-out).
        return list(await self._conn.execute_fetchall(sql, params))

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None: for counts and single values."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


class Transaction(Executor):
    """The handle a coroutine gets inside ``Database.transaction()``."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn


class Database(Executor):
    """The bot's database: open it once at start-up, close it at shutdown."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self.setup_lock = asyncio.Lock()
        self.schema_checked = False

    @property
    def is_open(self) -> bool:
        """Whether ``open`` has been called and ``close`` not since."""
        return self._connection is not None

    @property
    def _conn(self) -> aiosqlite.Connection:  # type: ignore[override]
        if self._connection is None:
            raise StorageError("the database is not open")
        return self._connection

    async def open(self) -> None:
        """Opens the file in WAL mode with foreign keys and a busy timeout.

        A file that cannot serve as the database (a directory, no permission, not SQLite)
        raises UnusableDatabase, and the half-open connection is closed first: its worker
        thread would otherwise keep the process alive after the error.
        """
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                await asyncio.to_thread(_probe, self.path)
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise UnusableDatabase(self.path, exc) from exc
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
        except BaseException as exc:
            await asyncio.shield(conn.close())
            if isinstance(exc, sqlite3.Error):
                raise UnusableDatabase(self.path, exc) from exc
            raise
        self._connection = conn

    async def check(self, *, quick: bool = False) -> list[str]:
        """What SQLite finds wrong with the file ([] when healthy).

        quick: ``PRAGMA quick_check`` only (what ``run`` does at start, O(size) without
        cross-checking indexes); otherwise ``integrity_check`` and ``foreign_key_check``.
        """
        pragma = "PRAGMA quick_check" if quick else "PRAGMA integrity_check"
        try:
            rows = await self.fetchall(pragma)
            # SQLite may put several findings in one row, a line each: one line per finding.
            problems = [line.strip() for row in rows if row[0] != "ok"
                        for line in str(row[0]).splitlines() if line.strip()]  # fmt: skip
            if not quick:
                for table, rowid, parent, _ in await self.fetchall("PRAGMA foreign_key_check"):
                    problems.append(f"{table} row {rowid}: no {parent} row it refers to")
        except sqlite3.DatabaseError as exc:  # too damaged to even check
            problems = [str(exc)]
        return problems

    async def close(self) -> None:
        """Closes the connection; the next ``open`` checks the schema again."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
            self.schema_checked = False

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _run(self, sql: str, params: Params) -> aiosqlite.Cursor:
        async with self._lock:
            return await self._conn.execute(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row, read under the lock so it never sees half of a transaction."""
        async with self._lock:
            return await Transaction(self._conn).fetchone(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Every row, read under the lock so it never sees half of a transaction."""
        async with self._lock:
            return await Transaction(self._conn).fetchall(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Runs one statement for each row, all in one transaction: all rows or none."""
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception: nothing half-written.

        A task cancelled while its BEGIN waits (a shutdown, a timeout) must not leave the
        shared connection inside a transaction: aiosqlite still runs the queued BEGIN on
        its thread, so a ROLLBACK is queued behind it, shielded from the cancellation.
        """
        async with self._lock:
            conn = self._conn
            try:
                await conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                await asyncio.shield(_rollback_quietly(conn))
                raise
            try:
                yield Transaction(conn)
            except BaseException:
                await asyncio.shield(_rollback_quietly(conn))
                raise
            await asyncio.shield(conn.execute("COMMIT"))

    async def executescript(self, script: str) -> None:
        """Runs a script of several statements (the migrations), under the lock."""
        async with self._lock:
            await self._conn.executescript(script)

    async def rollback_if_open(self) -> None:
        """Ends a transaction a failed script left open."""
        async with self._lock:
            if self._conn.in_transaction:
                await self._conn.execute("ROLLBACK")

    async def backup_to(self, target: str | Path, *, progress: Callable[[int, int], None] | None = None) -> None:
        """A consistent online copy through SQLite's backup API, safe while the bot runs;
        ``progress`` hears (pages copied, pages in all) as the copy goes."""
        Path(target).parent.mkdir(parents=True, exist_ok=True)

        def step(status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        async with self._lock:
            dest = await aiosqlite.connect(str(target))
            try:
                await self._conn.backup(dest, pages=4096, progress=step, sleep=0)
            finally:
                await dest.close()


def _probe(path: str) -> None:
    """Opens the file and reads its header with plain sqlite3, so that a file that is no
    database fails here: aiosqlite's worker thread, when its connect fails, outlives the
    event loop and prints a traceback of its own."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    finally:
        conn.close()


async def _rollback_quietly(conn: aiosqlite.Connection) -> None:
    """ROLLBACK, ignoring "no transaction is active" (the BEGIN never ran)."""
    try:
        await conn.execute("ROLLBACK")
    except sqlite3.OperationalError:
        pass
