"""The simulator in a process of its own, for the benchmarks that measure the bot.

    python -m bench.simproc telegram RATE  # reads the Telegram user ids (JSON) on stdin
    python -m bench.simproc zalo RATE      # the same for Zalo user ids, on the Zalo side
    python -m bench.simproc drive          # reads {"cadres", "base", "echo"}: people who report

It prints one JSON line ({"port", "token", "zalo_token"}) once it listens. The first two
then wait for a line "stats" on stdin, answer with what the simulator received
({"sent": {chat: n}, "http_429": n}) and stop. ``drive`` waits for a line "go" (the bot
is polling by then), has every cadre file a visit report at once, and answers
{"elapsed", "latencies"}: a latency is from a cadre's action to the bot's answer
reaching the simulator. With the simulator (and the people) outside the bot's process,
the figures are the bot's own: in one process their work and the bot's share one
interpreter.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from bot.simulator import RateLimit, SimMessage, SimUser, TelegramSimulator
from bot.simulator.zalo import ZaloRateLimit


async def _line() -> str:
    return await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


def _say(payload: dict[str, Any]) -> None:
    print(json.dumps(payload), flush=True)


def _hello(simulator: TelegramSimulator) -> None:
    _say({"port": simulator.port, "token": simulator.token, "zalo_token": simulator.zalo.token})


async def serve(side: str, rate: float) -> None:
    """A fan-out's receiving end: the people are due a reminder, the simulator counts."""
    ids = json.loads(await _line())
    simulator = TelegramSimulator(rate_limit=RateLimit(per_second=rate) if side == "telegram" else None)
    await simulator.start()
    try:
        if side == "zalo":
            simulator.zalo.rate_limit = ZaloRateLimit(per_second=rate)
            for zalo_id in ids:
                simulator.zalo.user(zalo_id, "Cán bộ")
        else:
            for telegram_id in ids:
                simulator.user(telegram_id, "Cán bộ")
        _hello(simulator)
        while (await _line()).strip() not in ("stats", ""):
            pass
        if side == "zalo":
            sends = [c for c in simulator.zalo.calls_of("sendMessage") if c.body.get("ok")]
            sent = Counter(str(c.params.get("chat_id")) for c in sends)
            refused = simulator.zalo.rate_limited_count
        else:
            sent = Counter(str(c.chat_id) for c in simulator.calls("sendMessage") if c.status == 200)
            refused = simulator.rate_limited_count
        _say({"sent": dict(sent), "http_429": refused})
    finally:
        await simulator.zalo.close()
        await simulator.stop()


class RemotePerson:
    """A cadre in the simulator's process: acts, and waits for the bot's answer to reach
    the simulator (bench/harness.py's Person waits in the bot's process instead)."""

    def __init__(self, simulator: TelegramSimulator, user: SimUser, latencies: list[float]) -> None:
        self.simulator, self.user, self.latencies = simulator, user, latencies
        self._after = 0  # the simulator's seq at the last action

    @property
    def screen(self) -> SimMessage:
        return max(self.user.messages(), key=lambda m: m.seq)

    async def _answer(self, after: int, predicate: Callable[[SimMessage], bool] | None = None) -> SimMessage:
        return await self.simulator.wait_for_bot_message(self.user.id, after=after, timeout=120, predicate=predicate)

    async def _timed(self, acting: Any) -> SimMessage:
        start = time.perf_counter()
        update_id = await acting
        self._after = self.simulator.seq_of_update(update_id)
        await self._answer(self._after)
        self.latencies.append(time.perf_counter() - start)
        return self.screen

    async def send(self, text: str) -> SimMessage:
        return await self._timed(self.user.send_text(text))

    async def press(self, label: str | None = None) -> SimMessage:
        """Presses the button starting with ``label`` (None: the first), once the bot's
        answer to the last action shows it."""
        def shows(message: SimMessage) -> bool:
            return any(label is None or b.startswith(label) for b in message.button_list())

        keyboard = await self._answer(self._after, shows)
        chosen = next(b for b in keyboard.button_list() if label is None or b.startswith(label))
        return await self._timed(self.user.press(chosen, message=keyboard))

    async def until(self, prefix: str) -> SimMessage:
        """The bot's message starting with ``prefix``, after the last action."""
        return await self._answer(self._after, lambda m: m.content.startswith(prefix))


async def drive() -> None:
    """Every cadre files the throughput benchmark's visit report (or the echo bot's steps) at once."""
    from bench.throughput import echo_steps, file_report  # the bot's modules, not needed to serve

    plan = json.loads(await _line())
    simulator = TelegramSimulator()
    await simulator.start()
    try:
        latencies: list[float] = []
        people = [RemotePerson(simulator, simulator.user(plan["base"] + i, f"Cán bộ {i}"), latencies)
                  for i in range(1, plan["cadres"] + 1)]  # fmt: skip
        _hello(simulator)
        await _line()  # "go": the bot is polling
        start = time.perf_counter()
        async with asyncio.TaskGroup() as group:
            for person in people:
                group.create_task(echo_steps(person) if plan["echo"] else file_report(person))
        _say({"elapsed": time.perf_counter() - start, "latencies": latencies})
        await _line()
    finally:
        await simulator.stop()


if __name__ == "__main__":
    if sys.argv[1] == "drive":
        asyncio.run(drive())
    else:
        asyncio.run(serve(sys.argv[1], float(sys.argv[2])))
