"""The bot as a real process (``baocao run``) against the simulator, killed with SIGKILL
and restarted at will: for the tests of what a kill -9 leaves behind."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

from bot.simulator import TelegramSimulator

ROOT = Path(__file__).resolve().parent.parent
UP_TIMEOUT = 30.0  # a restarted bot must be polling again within this

# The process: `baocao run`, with a clock that starts at argv[1] when the wall clock shows
# argv[2] and runs on from there (the same across restarts), and sweeps every second.
BOOT = """
import sys, time
from datetime import datetime, timedelta
import bot.app
import scheduler.jobs
from bot.cli import main

START, ANCHOR = datetime.fromisoformat(sys.argv[1]), float(sys.argv[2])

class RunningClock:
    def __init__(self, tz):
        self.tz = tz
    def now(self):
        return (START + timedelta(seconds=time.time() - ANCHOR)).astimezone(self.tz)

bot.app.SystemClock = RunningClock
scheduler.jobs.FIRST_RUN = timedelta(seconds=0.2)
scheduler.jobs.SWEEP_INTERVAL = timedelta(seconds=1)
sys.exit(main(["run"]))
"""

class BotProcess:
    """``python -m bot run`` against the simulator, started, killed and restarted at will."""

    def __init__(
        self, simulator: TelegramSimulator, db_path: Path, log_path: Path, anchor: float, start: datetime
    ) -> None:
        self.simulator = simulator
        self.db_path = db_path
        self.log_path = log_path
        self.command = [sys.executable, "-c", BOOT, start.isoformat(), repr(anchor)]
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self.kills = 0

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
        env.update(
            BAOCAO_TELEGRAM_TOKEN=self.simulator.token,
            BAOCAO_TELEGRAM_API_URL=self.simulator.base_url,
            BAOCAO_TELEGRAM_FILE_URL=self.simulator.base_file_url,
            BAOCAO_DB=str(self.db_path),
            PYTHONPATH=str(ROOT),
        )
        return env

    async def start(self) -> None:
        """Spawns the bot and waits until it polls (its deleteWebhook is in the call log)."""
        mark = len(self.simulator.call_log())
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.command, cwd=ROOT, env=self._environment(),
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            )  # fmt: skip
        self.starts += 1
        deadline = time.monotonic() + UP_TIMEOUT
        while not any(c.method == "deleteWebhook" for c in self.simulator.call_log()[mark:]):
            if self.process.returncode is not None:
                raise AssertionError(f"the bot exited with {self.process.returncode}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not come up within {UP_TIMEOUT} s:\n{self.log_tail()}")
            with contextlib.suppress(TimeoutError):
                await self.simulator.wait_for_calls(len(self.simulator.call_log()) + 1, timeout=0.5)

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, nothing is flushed, connections just drop."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.kills += 1

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""


@contextlib.asynccontextmanager
async def bot_process(
    simulator: TelegramSimulator, db_path: Path, log_path: Path, anchor: float, start: datetime
) -> AsyncIterator[BotProcess]:
    bot = BotProcess(simulator, db_path, log_path, anchor, start)
    await bot.start()
    try:
        yield bot
    finally:
        if bot.process is not None and bot.process.returncode is None:
            await bot.kill()
