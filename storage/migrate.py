"""Versioned schema migrations kept as plain SQL files in ``storage/migrations``.

Each file is ``NNNN_name.sql``; ``schema_migrations`` records which have been applied.
A migration runs inside one transaction together with its bookkeeping row, so a crash
half-way leaves the database at the previous version, never in between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from storage.db import Database, StorageError

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """The migrations shipped with the package, in version order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    return found


async def applied_versions(db: Database) -> set[int]:
    """The migration numbers already applied (the bookkeeping table is made if missing)."""
    await db.execute(_BOOKKEEPING)
    rows = await db.fetchall("SELECT version FROM schema_migrations")
    return {row["version"] for row in rows}


async def upgrade(db: Database) -> list[Migration]:
    """Applies every pending migration; returns those it applied."""
    done = await applied_versions(db)
    shipped = available_migrations()
    newest_known = max((m.version for m in shipped), default=0)
    if done and max(done) > newest_known:
        raise StorageError(
            f"the database is at schema version {max(done)}, newer than this program "
            f"knows ({newest_known}); upgrade baocao first"
        )
    applied = []
    for migration in shipped:
        if migration.version in done:
            continue
        await _apply(db, migration)
        applied.append(migration)
    return applied


async def _apply(db: Database, migration: Migration) -> None:
    """One migration and its bookkeeping row in one transaction, the way SQLite documents
    for changing a table's definition: foreign keys off (a table rebuilt by copy, drop and
    rename must not cascade its drop to the rows that refer to it), and every foreign key
    checked before the commit, so a migration can never leave a dangling reference."""
    # version and name come from the file name, already checked by _FILE_NAME.
    script = (
        "BEGIN IMMEDIATE;\n"
        f"{migration.sql}\n;"
        f"INSERT INTO schema_migrations (version, name) VALUES "
        f"({migration.version}, '{migration.name}');\n"
    )
    await db.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: before it
    try:
        await db.executescript(script)
        broken = await db.fetchall("PRAGMA foreign_key_check")
        if broken:
            raise StorageError(
                f"migration {migration.version} would leave {len(broken)} broken references "
                f"(first in table {broken[0][0]})"
            )
        await db.execute("COMMIT")  # not executescript: it would commit first
    except Exception:
        await db.rollback_if_open()
        raise
    finally:
        await db.execute("PRAGMA foreign_keys = ON")


async def ensure_ready(db: Database) -> None:
    """Opens the database and brings its schema up to date, once per process.

    python-telegram-bot reads its persistence while initialising, before ``post_init``
    runs, so whoever touches the database first gets it ready.
    """
    async with db.setup_lock:
        if not db.is_open:
            await db.open()
        if not db.schema_checked:
            await upgrade(db)
            db.schema_checked = True
