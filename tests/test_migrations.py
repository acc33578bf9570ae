import sqlite3
from pathlib import Path

import pytest

from storage import migrate
from storage.db import Database, StorageError
from storage.migrate import Migration, available_migrations, upgrade

EXPECTED_TABLES = {
    "units", "cadres", "cells", "assignments", "models", "model_places", "visit_reports",
    "visit_issues", "model_updates", "attachments", "group_chats", "reminder_log",
    "audit_log", "processed_updates", "schema_migrations",
}


async def tables(db: Database) -> set[str]:
    rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row["name"] for row in rows}


async def test_fresh_database_gets_every_table_and_records_versions(tmp_path: Path) -> None:
    async with Database(tmp_path / "fresh.sqlite3") as db:
        applied = await upgrade(db)
        assert [m.version for m in applied] == [m.version for m in available_migrations()]
        assert EXPECTED_TABLES <= await tables(db)
        versions = await db.fetchall("SELECT version FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in versions] == [m.version for m in applied]
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1


async def test_upgrade_twice_applies_nothing_the_second_time(tmp_path: Path) -> None:
    async with Database(tmp_path / "twice.sqlite3") as db:
        await upgrade(db)
    async with Database(tmp_path / "twice.sqlite3") as db:
        assert await upgrade(db) == []


async def test_a_failing_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = available_migrations()
    broken = Migration(9999, "broken", "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;")
    monkeypatch.setattr(migrate, "available_migrations", lambda: [*shipped, broken])
    async with Database(tmp_path / "broken.sqlite3") as db:
        with pytest.raises(sqlite3.OperationalError):
            await upgrade(db)
        assert "half_done" not in await tables(db)
        assert await db.fetchval("SELECT max(version) FROM schema_migrations") == shipped[-1].version
        # the connection is usable afterwards: no transaction was left open
        await db.execute("INSERT INTO processed_updates (update_id, processed_at) VALUES (1, 'x')")


async def test_a_database_newer_than_the_program_is_refused(tmp_path: Path) -> None:
    async with Database(tmp_path / "newer.sqlite3") as db:
        await upgrade(db)
        await db.execute("INSERT INTO schema_migrations (version, name) VALUES (9998, 'future')")
        with pytest.raises(StorageError, match="newer"):
            await upgrade(db)


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO processed_updates (update_id, processed_at) VALUES (7, 'x')")
            raise RuntimeError("boom")
    assert await db.fetchval("SELECT count(*) FROM processed_updates") == 0


async def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(
            "INSERT INTO cells (code, name, unit_id, updated_at) VALUES ('C', 'C', 12345, 'x')"
        )


async def test_a_transaction_cancelled_before_it_began_leaves_the_connection_usable(db: Database) -> None:
    import asyncio

    async with db.transaction() as tx:  # hold the lock so the next BEGIN has to wait
        waiting = asyncio.create_task(_write_in_transaction(db))
        await asyncio.sleep(0)
        waiting.cancel()
        await tx.execute("INSERT INTO processed_updates (update_id, processed_at) VALUES (1, 'x')")
    with pytest.raises(asyncio.CancelledError):
        await waiting
    async with db.transaction() as tx:  # would fail "within a transaction" if one were left open
        await tx.execute("INSERT INTO processed_updates (update_id, processed_at) VALUES (2, 'x')")
    assert await db.fetchval("SELECT count(*) FROM processed_updates") == 2


async def _write_in_transaction(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO processed_updates (update_id, processed_at) VALUES (99, 'x')")


async def test_linked_telegram_accounts_become_account_rows_and_stay_in_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database from before the Zalo channel (0001–0008, cadres.telegram_id) keeps its
    links after ``baocao db upgrade``; later Telegram links keep their account row in step."""
    shipped = available_migrations()
    monkeypatch.setattr(migrate, "available_migrations", lambda: [m for m in shipped if m.version <= 8])
    async with Database(tmp_path / "old.sqlite3") as db:
        await upgrade(db)
        for n, telegram_id in ((1, 5001), (2, None)):
            await db.execute(
                "INSERT INTO cadres (id, code, full_name, role, telegram_id, linked_at, updated_at) "
                "VALUES (?, ?, ?, 'cadre', ?, ?, 'x')",
                (n, f"C-{n}", f"Cán bộ {n}", telegram_id, "2026-01-01T00:00:00Z" if telegram_id else None),
            )
    monkeypatch.setattr(migrate, "available_migrations", lambda: shipped)
    async with Database(tmp_path / "old.sqlite3") as db:
        assert [m.version for m in await upgrade(db)] == [m.version for m in shipped if m.version > 8]
        rows = await db.fetchall("SELECT channel, user_id, cadre_id FROM accounts")
        assert [tuple(r) for r in rows] == [("telegram", 5001, 1)]
        await db.execute("UPDATE cadres SET telegram_id = 5002, linked_at = 'y' WHERE id = 2")
        await db.execute("UPDATE cadres SET telegram_id = NULL, linked_at = NULL WHERE id = 1")
        rows = await db.fetchall("SELECT channel, user_id, cadre_id FROM accounts")
        assert [tuple(r) for r in rows] == [("telegram", 5002, 2)]
