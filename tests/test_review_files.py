"""Review fix on files served by link (bot/web/server.py): what an admin uploaded is
served with the type it came with, so the browser must not guess another one (a file
that says it is HTML opening as a page under the bot's own address)."""

from __future__ import annotations

from bot.config import Config
from domain.clock import ManualClock
from storage.db import Database
from tests.test_health_files import get
from tests.test_webhooks import PUBLIC_URL, webhook_bot


async def test_a_served_file_is_never_sniffed_and_a_document_is_an_attachment(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    async with webhook_bot(config, clock) as bot:
        files = bot.served.files
        chart = files.publish(b"\x89PNG\r\n", "image/png")
        document = await files.publish_file(b"<script>alert(1)</script>", "text/html", "thong-bao.html")
        assert chart is not None and document is not None
        for public in (chart, document):
            served = await get(bot.url + public[len(PUBLIC_URL):])
            assert served.status_code == 200
            assert served.headers["x-content-type-options"] == "nosniff"
        served = await get(bot.url + document[len(PUBLIC_URL):])
        assert served.headers["content-disposition"].startswith("attachment;")
