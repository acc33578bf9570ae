"""Persistent storage: one SQLite file reached through aiosqlite.

All SQL of the project lives in this package. Handlers and jobs call the repository
functions of the modules here and get dataclasses (``storage.records``) back.
"""

from storage.db import Database, StorageError

__all__ = ["Database", "StorageError"]
