"""New SQL should also run on PostgreSQL where that costs nothing (the backend to come).

This reads every query module of storage/ and fails on SQLite-only idioms: ``INSERT OR
IGNORE/REPLACE`` (PostgreSQL spells it ``ON CONFLICT``) and SQLite's date functions (dates are
computed in Python and stored as ISO text). The few older uses still to port are listed by
file with their count, so a new one anywhere fails, and porting one means shrinking the list.
"""

from __future__ import annotations

import re
from pathlib import Path

STORAGE = Path(__file__).resolve().parent.parent / "storage"

SQLITE_ONLY = re.compile(
    r"\bINSERT\s+OR\s+(IGNORE|REPLACE)\b|\bjulianday\s*\(|\bstrftime\s*\(|\b(date|datetime)\s*\(\s*'now'",
    re.IGNORECASE,
)

# Older code, to port with the PostgreSQL backend: the obligation rule's day counts and the
# persistence table's update stamps, the migration log's default stamp.
STILL_TO_PORT = {"migrate.py": 1, "obligations.py": 4, "persistence.py": 2}


def sqlite_only_uses() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted(STORAGE.glob("*.py")):
        count = len(SQLITE_ONLY.findall(path.read_text(encoding="utf-8")))
        if count:
            found[path.name] = count
    return found


def test_no_new_sqlite_only_sql_in_storage() -> None:
    assert sqlite_only_uses() == STILL_TO_PORT


def test_the_check_sees_each_idiom() -> None:
    for sql in (
        "INSERT OR IGNORE INTO t VALUES (1)",
        "insert or replace into t values (1)",
        "SELECT julianday(x)",
        "SELECT strftime('%Y', x)",
        "SELECT date('now')",
        "SELECT datetime( 'now')",
    ):
        assert SQLITE_ONLY.search(sql), sql
    assert not SQLITE_ONLY.search("INSERT INTO t VALUES (1) ON CONFLICT (id) DO NOTHING")
