"""A minimal asyncio HTTP/1.1 server in front of the fake Telegram, on loopback.

python-telegram-bot talks to it through ``base_url``/``base_file_url`` exactly as it would
talk to api.telegram.org: form-encoded, JSON or multipart bodies, keep-alive connections.
Only the standard library is used so the simulator has no dependencies of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import mimetypes
import re
from collections.abc import Awaitable
from http import HTTPStatus
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.simulator.state import DroppedRequest, SimulatorState, UploadedFile
from bot.simulator.zalo import ZaloSimulator

T = TypeVar("T")

__all__ = ["HttpError", "TelegramSimulator", "parse_body", "parse_multipart"]

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 60 * 1024 * 1024
_API_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?$")
_FILE_PATH = re.compile(r"^/file/bot(?P<token>[^/]+)/(?P<path>.+)$")
_LONG_POLL = re.compile(r"/getupdates/?(?:\?|$)", re.IGNORECASE)
_ZALO_API_PATH = re.compile(r"^/zalo/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?$")
_ZALO_IMAGE_PATH = re.compile(r"^/zalo/img/(?P<name>[\w.-]+)$")
_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
_UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}


class HttpError(Exception):
    """A request the HTTP layer itself rejects (malformed, too big)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# ----------------------------------------------------------------------- body parsing


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Decode a request body into parameters (form, JSON or multipart), like Telegram accepts."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}
    if media_type == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError:
            raise HttpError(400, "Bad Request: can't parse JSON request body") from None
        if not isinstance(decoded, dict):
            raise HttpError(400, "Bad Request: JSON request body must be an object")
        return decoded
    if media_type == "multipart/form-data":
        return parse_multipart(content_type, body)
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _header_params(value: str) -> dict[str, str]:
    """Parameters of a header like `form-data; name="x"; filename="y"` (httpx quoting undone)."""
    params: dict[str, str] = {}
    for match in re.finditer(r';\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))', value):
        key, quoted, bare = match.group(1).lower(), match.group(2), match.group(3)
        if quoted is not None:
            quoted = re.sub(r"\\(.)", r"\1", quoted)
            quoted = re.sub(r"%(2[2]|[01][0-9A-Fa-f])", lambda m: chr(int(m.group(1), 16)), quoted)
        params[key] = quoted if quoted is not None else (bare or "").strip()
    if "filename*" in params:
        charset, _, encoded = params["filename*"].partition("''")
        params["filename"] = unquote(encoded, encoding=charset or "utf-8")
    return params


def parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """multipart/form-data: text fields become str, file parts become UploadedFile."""
    boundary = _header_params(";" + content_type.split(";", 1)[-1]).get("boundary")
    if not boundary:
        raise HttpError(400, "Bad Request: multipart boundary is missing")
    fields: dict[str, Any] = {}
    for part in (b"\r\n" + body).split(b"\r\n--" + boundary.encode("latin-1"))[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.partition(b"\r\n\r\n")
        headers = _part_headers(head)
        disposition = _header_params(headers.get("content-disposition", ""))
        name = disposition.get("name")
        if name is None:
            continue
        if "filename" in disposition:
            content_type = headers.get("content-type")
            fields[name] = UploadedFile(name, disposition["filename"], content_type, data)
        else:
            fields[name] = data.decode("utf-8", "replace")
    return fields


def _part_headers(head: bytes) -> dict[str, str]:
    """Headers of one multipart part (httpx writes raw UTF-8 file names)."""
    headers: dict[str, str] = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip().lower()] = value.strip()
    return headers


# --------------------------------------------------------------------------- HTTP I/O


Request = tuple[str, str, str, dict[str, str], bytes]


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    """Read one request: (method, target, version, headers, body); None on a clean close."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    except asyncio.LimitOverrunError:
        raise HttpError(431, "Request Header Fields Too Large") from None
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise HttpError(400, "Bad Request")
    headers = {}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip().lower()] = value.strip()
    return parts[0].upper(), parts[1], parts[2], headers, await _read_body(reader, headers)


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    """A Content-Length body, or a chunked one for completeness."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader)
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        raise HttpError(400, "Bad Request") from None
    if length > MAX_BODY_BYTES:
        raise HttpError(413, "Request Entity Too Large")
    return await reader.readexactly(length) if length > 0 else b""


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    """Transfer-Encoding: chunked."""
    chunks: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip() or b"0", 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
        if sum(map(len, chunks)) > MAX_BODY_BYTES:
            raise HttpError(413, "Request Entity Too Large")


async def _unless_disconnected(
    reader: asyncio.StreamReader, work: Awaitable[T]
) -> tuple[T, bool] | None:
    """Run a long poll but cancel it when the client hangs up (PTB aborts polls on shutdown).

    Returns (result, pipelined) or None if the client disconnected; `pipelined` means the
    client already sent more bytes, which this tiny server answers by closing afterwards.
    """
    task = asyncio.ensure_future(work)
    peek = asyncio.ensure_future(reader.read(1))
    await asyncio.wait({task, peek}, return_when=asyncio.FIRST_COMPLETED)
    if not task.done() and _hung_up(peek):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return None
    if not peek.done():
        peek.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await peek
    result = await task
    return result, peek.done() and not peek.cancelled() and not _hung_up(peek)


def _hung_up(peek: asyncio.Future[bytes]) -> bool:
    """A finished read that hit EOF or a connection error means the client is gone."""
    if not peek.done() or peek.cancelled():
        return False
    return peek.exception() is not None or not peek.result()


def _response(status: int, body: bytes, content_type: str, keep_alive: bool) -> bytes:
    """Serialise an HTTP/1.1 response."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    head = (
        f"HTTP/1.1 {status} {phrase}\r\nServer: baocao-telegram-simulator\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def _json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _wants_keep_alive(version: str, headers: dict[str, str]) -> bool:
    """HTTP/1.1 keeps the connection unless told otherwise; 1.0 only when asked."""
    connection = headers.get("connection", "").lower()
    return "keep-alive" in connection if version == "HTTP/1.0" else "close" not in connection


# ------------------------------------------------------------------------ the simulator


class TelegramSimulator(SimulatorState):
    """The fake Telegram plus its HTTP server: point PTB's base_url/base_file_url at it."""

    def __init__(self, **settings: Any) -> None:
        """Takes SimulatorState's settings (token, bot_id, rate_limit, clock…) as they are."""
        super().__init__(**settings)
        self.zalo = ZaloSimulator()  # the Zalo side, served under /zalo/ (bot/simulator/zalo.py)
        self._server: asyncio.Server | None = None
        self._host = "127.0.0.1"
        self._port = 0
        self._connections: dict[asyncio.StreamWriter, bool] = {}  # writer -> idle?
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = False
        self.connections_accepted = 0

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (0 = an ephemeral port, see `port`)."""
        if self._server is not None:
            return
        self.reopen()
        self._stopping = False
        self._server = await asyncio.start_server(self._serve, host, port, limit=MAX_HEADER_BYTES)
        self._host, self._port = self._server.sockets[0].getsockname()[:2]
        self.zalo.root = f"http://{self._host}:{self._port}"
        self.zalo.reopen()

    async def stop(self) -> None:
        """Answer pending long polls with [], close connections and the server. Idempotent."""
        self.release_polls()
        self.zalo.release_polls()
        await self.zalo.close()
        if self._server is None:
            return
        server, self._server, self._stopping = self._server, None, True
        server.close()
        for writer, idle in list(self._connections.items()):
            if idle:
                writer.close()
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=2.0)
            for writer in list(self._connections):
                writer.close()
            for task in pending:
                task.cancel()
        await server.wait_closed()

    async def __aenter__(self) -> TelegramSimulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The port actually bound."""
        return self._port

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(...): PTB appends the token."""
        return f"http://{self._host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder().base_file_url(...)."""
        return f"http://{self._host}:{self._port}/file/bot"

    # ------------------------------------------------------------------ connections

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One keep-alive connection: requests are answered in order until either side closes.

        This is the connection's top-level task, so it ends quietly even when cancelled at
        shutdown (Python 3.11's stream server logs connection tasks that end cancelled).
        """
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        self._connections[writer] = True
        self.connections_accepted += 1
        try:
            while not self._stopping and await self._serve_one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._connections.pop(writer, None)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()
            if task is not None:
                self._tasks.discard(task)

    async def _serve_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Read, answer and write one request; False when the connection should end."""
        keep_alive = False
        try:
            request = await _read_request(reader)
            if request is None:
                return False
            self._connections[writer] = False
            method, target, version, headers, body = request
            keep_alive = _wants_keep_alive(version, headers) and not self._stopping
            work = self._dispatch(method, target, headers, body)
            if not _LONG_POLL.search(target):
                status, payload, content_type = await work
            elif (outcome := await _unless_disconnected(reader, work)) is None:
                return False  # the client gave up on its long poll: drop it silently
            else:
                (status, payload, content_type), pipelined = outcome
                keep_alive = keep_alive and not pipelined
        except DroppedRequest:
            return False  # an injected timeout: hang up without answering
        except HttpError as err:
            status, content_type = err.status, "application/json"
            payload = _json({"ok": False, "error_code": err.status, "description": err.description})
        writer.write(_response(status, payload, content_type, keep_alive and not self._stopping))
        await writer.drain()
        self._connections[writer] = True
        return keep_alive and not self._stopping

    async def _dispatch(self, method: str, target: str, headers: dict[str, str],
                        body: bytes) -> tuple[int, bytes, str]:  # fmt: skip
        """Route /bot<token>/<method> and /file/bot<token>/<path>."""
        url = urlsplit(target)
        path = unquote(url.path)  # PTB percent-encodes file URLs, ':' of the token included
        if (match := _FILE_PATH.match(path)) and method in ("GET", "HEAD"):
            return self._serve_file(match.group("token"), match.group("path"))
        if path.startswith("/zalo/"):
            return await self._dispatch_zalo(method, path, headers, body)
        match = _API_PATH.match(path)
        if match is None or method not in ("GET", "POST"):
            return 404, _json(_NOT_FOUND), "application/json"
        params: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
        params.update(parse_body(headers.get("content-type", ""), body))
        status, payload = await self.api(match.group("token"), match.group("method"), params)
        return status, _json(payload), "application/json"

    async def _dispatch_zalo(self, method: str, path: str, headers: dict[str, str],
                             body: bytes) -> tuple[int, bytes, str]:  # fmt: skip
        """Route /zalo/bot<token>/<method> (JSON bodies) and the hosted images."""
        if (match := _ZALO_IMAGE_PATH.match(path)) and method == "GET":
            data = self.zalo.image(match.group("name"))
            return (200, data, "image/png") if data is not None else (404, b"", "text/plain")
        match = _ZALO_API_PATH.match(path)
        if match is None or method != "POST":
            return 404, _json(_NOT_FOUND), "application/json"
        params = parse_body(headers.get("content-type", "application/json"), body)
        status, payload = await self.zalo.api(match.group("token"), match.group("method"), params)
        return status, _json(payload), "application/json"

    def _serve_file(self, token: str, path: str) -> tuple[int, bytes, str]:
        """Bytes of a stored file, as Telegram's file server hands them out."""
        if token != self.token:
            return 401, _json(_UNAUTHORIZED), "application/json"
        stored = self.read_file(token, path)
        if stored is None:
            return 404, _json(_NOT_FOUND), "application/json"
        guessed = mimetypes.guess_type(path)[0]
        content_type = stored.mime_type or guessed or "application/octet-stream"
        return 200, stored.data, content_type
