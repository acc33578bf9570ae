"""Files as Telegram keeps them: real tiny images, image sizes, stored files with their
file_id and download path, and the resolution of InputFile parameters (upload, attach://,
or a known file_id).
"""

from __future__ import annotations

import mimetypes
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from bot.simulator.wire import UPLOAD_LIMIT, ApiError, UploadedFile, _bad


def _png(width: int = 1, height: int = 1) -> bytes:
    """A valid, tiny, white RGB PNG built with zlib, so user photos are real images."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


TINY_PNG = _png(2, 2)
FAKE_OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"OpusHead"
FAKE_WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 14


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG/JPEG/GIF/WEBP, or None when it is not an image Telegram takes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"GIF8") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return (512, 512)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG markers to the frame header (SOFn) that holds the dimensions."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return (1, 1) if len(data) > 2 else None


@dataclass
class StoredFile:
    """A file Telegram keeps: what getFile describes and /file/bot<token>/<path> serves."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes = field(repr=False)
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None

    def photo_size(self) -> dict[str, Any]:
        """The PhotoSize object for this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width or 1,
            "height": self.height or 1,
            "file_size": len(self.data),
        }

    def document(self) -> dict[str, Any]:
        """The Document object for this file."""
        doc: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc



_MIME_EXT = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "audio/ogg": ".oga",
    "application/pdf": ".pdf", "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}  # fmt: skip


def _guess_mime(file_name: str | None) -> str | None:
    """MIME type from a file name, as Telegram guesses it for documents."""
    return mimetypes.guess_type(file_name)[0] if file_name else None


def _extension(file_name: str | None, mime_type: str | None) -> str:
    """File extension for the stored file_path (Telegram keeps the original extension)."""
    if file_name and "." in file_name:
        ext = "." + file_name.rsplit(".", 1)[1]
        return ext if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", ext) else ""
    return _MIME_EXT.get(mime_type or "", "")


def _document_fields(stored: StoredFile) -> dict[str, Any]:
    """SimMessage fields describing a document message."""
    return {"document_name": stored.file_name, "document_bytes": stored.data,
            "document_mime": stored.mime_type, "file_id": stored.file_id,
            "media": {"document": stored.document()}}  # fmt: skip



class FilesMixin:
    """The simulator's file store: uploads from people and from the bot, served by path."""

    token: str
    bot_id: int
    _files: dict[str, StoredFile]
    _paths: dict[str, StoredFile]

    def file_bytes(self, file_id: str) -> bytes:
        """Bytes of a stored file (KeyError if unknown)."""
        return self._files[file_id].data

    def read_file(self, token: str, file_path: str) -> StoredFile | None:
        """The file served at /file/bot<token>/<file_path> (None when unknown or bad token)."""
        return self._paths.get(file_path) if token == self.token else None

    def _store(
        self,
        data: bytes,
        folder: str,
        file_name: str | None,
        mime_type: str | None,
        size: tuple[int, int] | None = None,
    ) -> StoredFile:
        """Keep bytes under a fresh file_id and file_path."""
        n = self._next("file")
        stored = StoredFile(
            file_id=f"SIM{folder[:3].upper()}{n:06d}-{self.bot_id}",
            file_unique_id=f"U{n:06d}",
            file_path=f"{folder}/file_{n}{_extension(file_name, mime_type)}",
            data=data,
            mime_type=mime_type,
            file_name=file_name,
            width=size[0] if size else None,
            height=size[1] if size else None,
        )
        self._files[stored.file_id] = stored
        self._paths[stored.file_path] = stored
        return stored

    def _photo_sizes(self, data: bytes) -> list[dict[str, Any]]:
        """Telegram returns several sizes; the sim keeps a thumbnail entry and the full image."""
        width, height = image_size(data) or (1, 1)
        scale = min(1.0, 90 / max(width, height, 1))
        small = (max(1, int(width * scale)), max(1, int(height * scale)))
        thumb = self._store(data, "photos", None, "image/jpeg", small)
        full = self._store(data, "photos", None, "image/jpeg", (width, height))
        return [thumb.photo_size(), full.photo_size()]

    def _user_media(
        self, kind: str, data: bytes, file_name: str | None, mime_type: str | None
    ) -> dict[str, Any]:
        """Store an upload from a person and describe it the way Telegram does."""
        if kind == "photo":
            return {"photo": self._photo_sizes(data)}
        if kind == "document":
            stored = self._store(data, "documents", file_name, mime_type or _guess_mime(file_name))
            return {"document": stored.document()}
        if kind == "sticker":
            stored = self._store(data, "stickers", None, "image/webp")
            sticker = {"type": "regular", "width": 512, "height": 512, "is_animated": False,
                       "is_video": False, "emoji": "👍"}  # fmt: skip
            return {"sticker": {**stored.document(), **sticker}}
        stored = self._store(data, "voice", None, "audio/ogg")
        return {"voice": {**stored.document(), "duration": 2}}

    def _input_file(self, params: dict[str, Any], key: str) -> StoredFile | UploadedFile:
        """Resolve an InputFile parameter: an upload, attach://name, or a known file_id."""
        value = params.get(key)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, UploadedFile):
            if not value.data:
                raise _bad("file must be non-empty")
            if len(value.data) > UPLOAD_LIMIT:
                raise ApiError(413, "Request Entity Too Large")
            return value
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            raise _bad("failed to get HTTP URL content")
        if not value:
            raise _bad(f"there is no {key} in the request")
        raise _bad("wrong file identifier/HTTP URL specified")

    def _photo_input(
        self, params: dict[str, Any], key: str
    ) -> tuple[list[dict[str, Any]], bytes, str]:
        """Photo sizes, bytes and the biggest file_id for an uploaded or re-sent photo."""
        source = self._input_file(params, key)
        if isinstance(source, StoredFile):
            return [source.photo_size()], source.data, source.file_id
        size = image_size(source.data)
        if size is None:
            raise _bad("IMAGE_PROCESS_FAILED")
        if size[0] + size[1] > 10000 or min(size) < 1:
            raise _bad("PHOTO_INVALID_DIMENSIONS")
        sizes = self._photo_sizes(source.data)
        return sizes, source.data, sizes[-1]["file_id"]

    def _document_input(self, params: dict[str, Any], key: str) -> StoredFile:
        """A stored document for an upload (keeping its file name) or a known file_id."""
        source = self._input_file(params, key)
        if isinstance(source, StoredFile):
            return source
        mime = source.content_type or _guess_mime(source.filename)
        return self._store(source.data, "documents", source.filename, mime)
