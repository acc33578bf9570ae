"""A small HTTP/1.1 server on asyncio streams, with h11 doing the parsing.

The bot's own server answers three kinds of request (webhook deliveries, the health
check, short-lived files), all small. A web framework would be a dependency bigger than
the job; h11 (already installed with httpx) parses the protocol correctly, which is the
part not worth writing by hand for a server that faces the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from http import HTTPStatus

import h11

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # a webhook delivery is a few kilobytes
READ_TIMEOUT = 30.0  # seconds a client may take to send a request
MAX_CONNECTIONS = 256


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Awaitable[Response]]


class BodyTooLarge(Exception):
    pass


class HttpServer:
    """Serves ``handler`` on host:port; one task per connection, keep-alive supported."""

    def __init__(self, handler: Handler, host: str, port: int) -> None:
        self._handler = handler
        self._host = host
        self._port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self._host, self._port)
        self._port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is None:
            return
        server, self._server = self._server, None
        server.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.wait(list(self._connections), timeout=2.0)
        await server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is None or len(self._connections) >= MAX_CONNECTIONS:
            writer.close()
            return
        self._connections.add(task)
        try:
            await _Connection(reader, writer, self._handler).run()
        except (ConnectionError, asyncio.CancelledError, asyncio.TimeoutError):
            pass
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()


class _Connection:
    """One keep-alive connection: requests are read and answered in turn."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handler: Handler) -> None:
        self._reader = reader
        self._writer = writer
        self._handler = handler
        self._h11 = h11.Connection(h11.SERVER)

    async def run(self) -> None:
        while True:
            try:
                request = await self._read_request()
            except (h11.RemoteProtocolError, BodyTooLarge) as exc:
                status = 413 if isinstance(exc, BodyTooLarge) else 400
                await self._send_error(status)
                return
            if request is None:
                return
            response = await self._answer(request)
            await self._send(response, head_only=request.method == "HEAD")
            if self._h11.our_state is h11.MUST_CLOSE or self._h11.their_state is h11.MUST_CLOSE:
                return
            try:
                self._h11.start_next_cycle()
            except h11.LocalProtocolError:
                return

    async def _answer(self, request: Request) -> Response:
        try:
            return await self._handler(request)
        except Exception:  # noqa: BLE001 - one bad request must not end the server
            # The path is not logged: below /f/ it is a secret.
            log.exception("internal error answering a %s request", request.method)
            return Response(500)

    async def _read_request(self) -> Request | None:
        head = await self._next_event()
        if isinstance(head, h11.ConnectionClosed):
            return None
        if not isinstance(head, h11.Request):
            raise h11.RemoteProtocolError("expected a request")
        declared = dict(head.headers).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise BodyTooLarge()  # refused before reading any of it
        body = bytearray()
        while True:
            event = await self._next_event()
            if isinstance(event, h11.Data):
                body += event.data
                if len(body) > MAX_BODY_BYTES:
                    raise BodyTooLarge()
            elif isinstance(event, h11.EndOfMessage):
                break
            else:
                raise h11.RemoteProtocolError("the body ended early")
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in head.headers}
        return Request(head.method.decode("ascii").upper(), head.target.decode("latin-1"), headers, bytes(body))

    async def _next_event(self) -> h11.Event:
        while True:
            event = self._h11.next_event()
            if event is not h11.NEED_DATA:
                return event  # type: ignore[return-value]
            data = await asyncio.wait_for(self._reader.read(65536), READ_TIMEOUT)
            self._h11.receive_data(data)

    async def _send(self, response: Response, *, head_only: bool = False) -> None:
        headers = [("content-length", str(len(response.body)))]
        if response.content_type:
            headers.append(("content-type", response.content_type))
        headers.extend(response.headers.items())
        self._write(h11.Response(status_code=response.status, headers=headers, reason=_reason(response.status)))
        self._write(h11.Data(data=b"" if head_only else response.body))
        self._write(h11.EndOfMessage())
        await self._writer.drain()

    async def _send_error(self, status: int) -> None:
        """A malformed request: a status with no body, then the connection closes."""
        if self._h11.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        with contextlib.suppress(h11.LocalProtocolError):
            closing = [("content-length", "0"), ("connection", "close")]
            self._write(h11.Response(status_code=status, headers=closing, reason=_reason(status)))
            self._write(h11.EndOfMessage())
            await self._writer.drain()

    def _write(self, event: h11.Event) -> None:
        data = self._h11.send(event)
        if data:
            self._writer.write(data)


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""
