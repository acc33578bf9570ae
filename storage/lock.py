"""One ``baocao run`` per database: a lock held for the life of the process.

Two bots polling one database answer the same cadres twice and fight over Telegram's
update queue (each getUpdates ends the other's). The lock is ``flock`` on ``<db>.lock``:
the kernel releases it when the process ends, however it ends (kill -9 included), so a
crash never leaves a stale lock behind and nobody has to delete a file by hand.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.db import StorageError, UnusableDatabase


class AlreadyRunning(StorageError):
    """Another process holds the database's lock."""

    def __init__(self, lock_path: Path, holder: str) -> None:
        super().__init__(f"{lock_path} is held by process {holder or '?'}")
        self.lock_path = lock_path
        self.holder = holder


def lock_path_for(db_path: Path) -> Path:
    """The lock file beside the database, so two bots never serve one database."""
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def process_lock(db_path: Path) -> Iterator[Path]:
    """Holds ``<db>.lock`` until the block ends (or the process dies); AlreadyRunning if
    another process holds it. The file keeps the holder's pid, for the message."""
    lock_path = lock_path_for(db_path)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:  # the database's directory is unusable: so is the database
        raise UnusableDatabase(str(db_path), exc) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        os.close(fd)
        raise AlreadyRunning(lock_path, holder) from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield lock_path
    finally:
        os.close(fd)  # closing the only descriptor releases the lock
