"""The Zalo Bot Platform's dozen methods over httpx: ``POST {base}{token}/{method}``, JSON.

No SDK (../shared/ZALO.md): the platform answers ``{ok: true, result}`` or
``{ok: false, error_code, description}``; this turns the second into ``ZaloApiError``.
The token is part of every URL, so URLs are never logged.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)

TIMEOUT_CODE = 408  # getUpdates: nothing came within the timeout


class ZaloApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"Zalo error {code}: {description}")
        self.code = code
        self.description = description


class ZaloApi:
    """One connection pool to the platform (polls get their own, so sends never wait)."""

    def __init__(self, base_url: str, token: str, *, pool_size: int = 16, timeout: float = 20.0) -> None:
        self._prefix = f"{base_url}{token}/"
        self._pool_size = pool_size
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """Also used to download the photos people send (Zalo gives URLs)."""
        if self._client is None:
            limits = httpx.Limits(max_connections=self._pool_size, max_keepalive_connections=self._pool_size)
            self._client = httpx.AsyncClient(timeout=self._timeout, limits=limits)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def call(self, method: str, params: dict[str, Any], *, read_timeout: float | None = None) -> Any:
        """The ``result`` of one call; ZaloApiError for ``ok: false`` or an HTTP error."""
        timeout = httpx.Timeout(self._timeout, read=read_timeout) if read_timeout else None
        response = await self.client.post(
            self._prefix + method, json=params, **({"timeout": timeout} if timeout else {})
        )
        try:
            body = response.json()
        except ValueError:
            raise ZaloApiError(response.status_code, "the answer is not JSON") from None
        if not isinstance(body, dict):
            raise ZaloApiError(response.status_code, "the answer is not an object")
        if body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code", response.status_code)
        raise ZaloApiError(int(code) if isinstance(code, int | str) and str(code).isdigit() else 500,
                           str(body.get("description", "")))

    async def download(self, url: str) -> bytes:
        response = await self.client.get(url, follow_redirects=True)
        response.raise_for_status()
        return response.content
