"""The simulator in a process of its own, for the benchmarks that measure the bot.

    python -m bench.simproc RATE    # reads the Telegram user ids (JSON) on stdin

It prints one JSON line ({"port", "token"}) once it listens, then waits for a line
"stats" on stdin, answers with what it received ({"sent": {chat: n}, "http_429": n}) and
stops. With the simulator outside the bot's process, the figures are the bot's own:
in one process the simulator's work and the bot's share one interpreter.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter

from bot.simulator import RateLimit, TelegramSimulator


async def serve(rate: float) -> None:
    loop = asyncio.get_running_loop()
    ids = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
    simulator = TelegramSimulator(rate_limit=RateLimit(per_second=rate))
    await simulator.start()
    try:
        for telegram_id in ids:
            simulator.user(telegram_id, "Cán bộ")
        print(json.dumps({"port": simulator.port, "token": simulator.token}), flush=True)
        while (await loop.run_in_executor(None, sys.stdin.readline)).strip() != "stats":
            pass
        sent = Counter(c.chat_id for c in simulator.calls("sendMessage") if c.status == 200)
        print(json.dumps({"sent": {str(k): v for k, v in sent.items()}, "http_429": simulator.rate_limited_count}), flush=True)
    finally:
        await simulator.stop()


if __name__ == "__main__":
    asyncio.run(serve(float(sys.argv[1])))
