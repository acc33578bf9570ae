"""The bot's own HTTP server: webhooks, ``/healthz`` and short-lived files.

It listens on ``BAOCAO_LISTEN`` (127.0.0.1:8080 by default), normally behind the
operator's HTTPS reverse proxy that ``BAOCAO_PUBLIC_URL`` names. Anything it does not
know gets 404 with no body.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import quote

from bot.web.files import FILE_PREFIX, FileHost
from bot.web.health import Health
from bot.web.http import HttpServer, Request, Response
from bot.web.webhooks import WebhookEndpoint
from storage.db import Database

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


class BotWebServer:
    def __init__(self, *, host: str, port: int, db: Database, health: Health, files: FileHost) -> None:
        self.db = db
        self.health = health
        self.files = files
        self._endpoints: dict[str, WebhookEndpoint] = {}
        self._http = HttpServer(self.handle, host, port)

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self._endpoints[endpoint.path] = endpoint

    @property
    def url(self) -> str:
        """Where it listens (http://host:port), the actual port once started."""
        return self._http.url

    async def start(self) -> None:
        await self._http.start()
        log.info("HTTP server listening on %s", self.url)

    async def stop(self) -> None:
        await self._http.stop()

    def routes(self) -> list[str]:
        return [*self._endpoints, HEALTH_PATH, FILE_PREFIX + "…"]

    async def handle(self, request: Request) -> Response:
        path = request.path.split("?", 1)[0]
        endpoint = self._endpoints.get(path)
        if endpoint is not None:
            return await endpoint.handle(request)
        if request.method not in ("GET", "HEAD"):
            return Response(404)
        if path == HEALTH_PATH:
            return await self._health()
        if path.startswith(FILE_PREFIX):
            return await self._file(path[len(FILE_PREFIX):])
        return Response(404)

    async def _health(self) -> Response:
        status, body = await self.health.report(self.db)
        payload = json.dumps(body, separators=(",", ":")).encode("utf-8")
        return Response(status, payload, "application/json", {"cache-control": "no-store"})

    async def _file(self, token: str) -> Response:
        hosted = await self.files.find(token)
        if hosted is None:
            return Response(404)
        # The type is the uploader's: the browser must not guess another (HTML under our address).
        headers = {"cache-control": "private, no-store", "x-content-type-options": "nosniff"}
        if hosted.file_name:
            headers["content-disposition"] = f"attachment; filename*=UTF-8''{quote(hosted.file_name)}"
        return Response(200, hosted.data, hosted.content_type, headers)
