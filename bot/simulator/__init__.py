"""Built-in Telegram Bot API simulator: a fake Telegram that a real python-telegram-bot
``Application`` talks to over loopback HTTP. Harness of end-to-end tests, benchmarks and demos.

Usage::

    async with TelegramSimulator() as sim:
        app = (ApplicationBuilder().token(sim.token).base_url(sim.base_url)
               .base_file_url(sim.base_file_url).build())
        alice = sim.user(1001, "Alice")
        await alice.send_command("start")
        reply = await alice.wait_reply()
"""

from bot.simulator.server import TelegramSimulator
from bot.simulator.state import (
    TINY_PNG,
    ApiCall,
    ApiError,
    DroppedRequest,
    RateLimit,
    SimGroup,
    SimMessage,
    SimulatorState,
    SimUser,
    UploadedFile,
    parse_html,
    parse_markdown,
    utf16_len,
)

__all__ = [
    "TINY_PNG",
    "ApiCall",
    "ApiError",
    "DroppedRequest",
    "RateLimit",
    "SimGroup",
    "SimMessage",
    "SimUser",
    "SimulatorState",
    "TelegramSimulator",
    "UploadedFile",
    "parse_html",
    "parse_markdown",
    "utf16_len",
]
