"""Short-lived files under an unguessable path, for messengers that send photos by URL.

Zalo's ``sendPhoto`` takes a URL that the platform fetches, not the bytes; the coverage
chart exists only in memory. The bot's own server hands it out under
``BAOCAO_PUBLIC_URL/f/<token>``: 256 random bits nobody can guess, valid for an hour
(the platform fetches it while the message is sent), kept in memory only — a restart
forgets them, which costs nothing since each is used once.

Documents are another matter: a cell's secretary opens a material's PDF days after it
was sent. ``publish_file`` keeps those in the database (storage/public_files.py) for
``DOCUMENT_TTL``, so a restart breaks no link; ``find`` looks in both places.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.clock import Clock, utc_stamp
from storage import public_files
from storage.db import Database

log = logging.getLogger(__name__)

FILE_PREFIX = "/f/"
FILE_TTL = timedelta(hours=1)
DOCUMENT_TTL = timedelta(days=30)  # a material is read at the next cell meeting, or the one after
MAX_BYTES = 64 * 1024 * 1024  # oldest files go first beyond this
_TOKEN_BYTES = 32


@dataclass(frozen=True)
class HostedFile:
    data: bytes
    content_type: str
    expires: datetime
    file_name: str | None = None  # a document's, for the browser that saves it


class FileHost:
    """Publishes bytes at an expiring URL; ``publish`` answers None without a public URL."""

    def __init__(
        self, public_url: str | None, clock: Clock, ttl: timedelta = FILE_TTL, *, db: Database | None = None
    ) -> None:
        self._base = public_url.rstrip("/") if public_url else None
        self._clock = clock
        self._db = db
        self._ttl = ttl
        # Keyed by a hash of the token: the token itself is never kept, so a memory dump
        # or a debugging print of this dict reveals no working URL.
        self._files: OrderedDict[bytes, HostedFile] = OrderedDict()
        self._bytes = 0
        self._told_why = False

    @property
    def available(self) -> bool:
        return self._base is not None

    def publish(self, data: bytes, content_type: str = "image/png") -> str | None:
        """The URL at which ``data`` can be fetched until it expires; None if it can't be."""
        if self._base is None:
            if not self._told_why:
                log.warning(
                    "BAOCAO_PUBLIC_URL is not set: Zalo fetches photos by URL, so charts "
                    "are left out and summaries go as text only"
                )
                self._told_why = True
            return None
        self._forget_expired()
        token = secrets.token_urlsafe(_TOKEN_BYTES)
        self._files[_key(token)] = HostedFile(data, content_type, self._clock.now() + self._ttl)
        self._bytes += len(data)
        while self._bytes > MAX_BYTES and len(self._files) > 1:
            _, oldest = self._files.popitem(last=False)
            self._bytes -= len(oldest.data)
        return f"{self._base}{FILE_PREFIX}{token}"

    async def publish_file(self, data: bytes, content_type: str, file_name: str) -> str | None:
        """A document's URL, valid for ``DOCUMENT_TTL`` and across restarts; None without
        a public URL (the caller then says where else to get it) or a database."""
        if self._base is None or self._db is None:
            return None
        token = secrets.token_urlsafe(_TOKEN_BYTES)
        now = self._clock.now()
        await public_files.publish(
            self._db, token, data, content_type=content_type, file_name=file_name,
            now=utc_stamp(now), expires_at=utc_stamp(now + DOCUMENT_TTL),
        )
        return f"{self._base}{FILE_PREFIX}{token}"

    async def find(self, token: str) -> HostedFile | None:
        """A chart in memory, else a document in the database; None when neither is valid."""
        hosted = self.get(token)
        if hosted is not None or self._db is None:
            return hosted
        now = self._clock.now()
        stored = await public_files.fetch(self._db, token, now=utc_stamp(now))
        if stored is None:
            return None
        return HostedFile(stored.data, stored.content_type, now, stored.file_name)

    def get(self, token: str) -> HostedFile | None:
        """The file behind a token while it is valid; None when unknown or expired."""
        hosted = self._files.get(_key(token))
        if hosted is None:
            return None
        if self._clock.now() >= hosted.expires:
            self._drop(_key(token))
            return None
        return hosted

    def _forget_expired(self) -> None:
        now = self._clock.now()
        for key in [k for k, f in self._files.items() if now >= f.expires]:
            self._drop(key)

    def _drop(self, key: bytes) -> None:
        hosted = self._files.pop(key, None)
        if hosted is not None:
            self._bytes -= len(hosted.data)


def _key(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "replace")).digest()
