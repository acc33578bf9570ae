"""kill -9: the bot as a real process (``baocao run``) against the simulator, under load,
SIGKILLed at random points and restarted, several times.

While a reminder fan-out runs, dozens of cadres file visit reports the way people do on a
bad network: they act on whatever the bot shows them last, and when no answer comes they
act again. Afterwards:

- every report a cadre saw confirmed is stored exactly once, and nothing else is stored;
- every reminder reached its cadre at most once, and none is still due: each was sent,
  or was in flight at a kill (claimed, then the process died) - the at-most-once choice
  scheduler/reminders.py documents, since Telegram has no idempotency key. Each kill
  swallows (leaves claimed and never sent) at most IN_FLIGHT reminders, the messages the
  sender holds between its claim and its send, and the kills' counts add up to every
  claim left unsent; a reminder sent and not yet marked when the kill came stays
  'claimed' too, but it did arrive, once;
- every kill lands while work is in flight: the first in the reminder fan-out, the others
  while reports are still being filed - confirmations among them, so a kill can fall
  between a report's store and its receipt: the cadre's retry is then told the report's
  number (handlers/flow.py, ``DraftFlow.receipt``), never stores it again;
- the database file passes SQLite's integrity check.

The process is ``bot.cli.main(["run"])`` with two things set for the test (BOOT below):
its clock starts at a moment a reminder is due (Wednesday 02/12/2026 09:00, "30 days
left") and runs in real time, and the sweeps run every second instead of every ten
minutes. The kill points are random; the seed is in every failure message, and
BAOCAO_FAULT_SEED replays one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import sqlite3
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from bench.roster import import_csv, link_all, small, write_csv
from domain.clock import VIETNAM
from bot.config import Config
from bot.simulator import ApiCall, SimMessage, SimUser, TelegramSimulator
from domain.callbacks import CB_START_FOR_CELL
from scheduler.reminders import IN_FLIGHT, plan
from storage.db import Database
from tests.bot_process import BotProcess, bot_process

ROSTER = 120  # cadres due a reminder, one cell each
CADRES = 24  # of them, filing reports meanwhile
REPORTS_EACH = 2
KILLS = 5  # the first during the fan-out, the others while reports are being filed
REPORTS_LEFT_AT_LAST_KILL = 4  # the last kill comes this many reports before the end at the latest
ANSWER_TIMEOUT = 3.0  # a cadre who sees no answer this long acts again
SETTLE = 0.3  # and reads the screen once it has not changed for this long
LOAD_DEADLINE = 90.0  # all reports must be confirmed within this, kills included
TOPIC = "Nghị quyết Trung ương 4"
REMINDER_DUE = datetime(2026, 12, 2, 9, 0, tzinfo=VIETNAM)  # Q4/2026's "30 days left" slot is open

RECEIPT = re.compile(r"^✅ Đã lưu báo cáo số (\d+)")
ALREADY_SAVED = re.compile(r"đã được lưu rồi \(số (\d+)\)")


# --- a cadre on a bad network --------------------------------------------------------------


class ReportingCadre:
    """Files reports by acting on the latest screen; acts again when no answer comes.

    Never assumes an action was received: after a kill the same button may be pressed
    twice, a command sent again, an old screen answered - as a person would.
    """

    def __init__(self, simulator: TelegramSimulator, user: SimUser, wanted: int) -> None:
        self.simulator = simulator
        self.user = user
        self.wanted = wanted
        self.confirmed: list[int] = []  # report numbers the cadre saw confirmed, in order
        self.actions = 0  # updates sent
        self.progress = asyncio.Event()  # set at every confirmation seen (Chaos waits on it)

    def screen(self) -> SimMessage | None:
        """The bot message that changed last: what the cadre is looking at."""
        messages = self.user.messages()
        return max(messages, key=lambda m: m.seq) if messages else None

    async def run(self) -> None:
        while not self.done:
            await self.act(self.screen())
            await self.read_the_answer()

    async def read_the_answer(self) -> None:
        """Waits for the bot's answer, then until the screen stops changing (SETTLE quiet):
        acting on the first of two messages would put every later action one answer
        behind - taps landing in the state before the one on screen, forever."""
        seen = max((m.seq for m in self.user.messages()), default=0)
        timeout = ANSWER_TIMEOUT
        with contextlib.suppress(TimeoutError):
            while True:
                message = await self.simulator.wait_for_bot_message(self.user.id, after=seen, timeout=timeout)
                seen, timeout = max(seen, message.seq), SETTLE

    @property
    def done(self) -> bool:
        return len(self.confirmed) >= self.wanted

    async def act(self, screen: SimMessage | None) -> int | None:
        """One action chosen from what the screen says; its update id (None: nothing sent)."""
        update_id = await self._choose(screen)
        self.actions += update_id is not None
        return update_id

    def _harvest(self) -> bool:
        """Records every confirmation in the chat, not only on the latest screen: a reminder
        sent a moment before the report was stored may arrive just after its receipt."""
        found = False
        for message in self.user.messages():
            confirmation = RECEIPT.match(message.content) or ALREADY_SAVED.search(message.content)
            if confirmation and int(confirmation.group(1)) not in self.confirmed:
                self.confirmed.append(int(confirmation.group(1)))
                self.progress.set()
                found = True
        return found

    async def _choose(self, screen: SimMessage | None) -> int | None:
        text = screen.content if screen else ""
        if self._harvest() or RECEIPT.match(text) or ALREADY_SAVED.search(text):
            return None if self.done else await self.user.send_text("/baocao")  # the next report
        step = step_of(text)
        if screen is None or step is None:
            return await self.user.send_text("/baocao")  # a hint, an apology, an expired button
        if step == 3 and "Đã chọn" not in text:
            return await self.user.send_text(TOPIC)
        return await self._press(screen, _BUTTON_OF_STEP[step])

    async def _press(self, screen: SimMessage, prefix: str | None) -> int | None:
        labels = screen.button_list()
        matches = [b for b in labels if prefix is None or b.startswith(prefix)]
        if not matches:
            return await self.user.send_text("/baocao")
        try:
            return await self.user.press(matches[0], message=screen)
        except LookupError:  # the screen changed under the thumb: look again
            return None


_STEP = re.compile(r"Bước (\d)/6")
_BUTTON_OF_STEP: dict[int, str | None] = {
    0: "▶ Tiếp tục",  # an unfinished report: continue it
    1: None,  # the first cell listed is the cadre's assigned one
    2: "Hôm nay",
    3: "Tiếp",
    4: "Không có kiến nghị",
    5: "Bỏ qua",
    6: "✅ Gửi",
}


def step_of(text: str) -> int | None:
    """The report step a screen shows (0: the offer to continue a draft), None for others."""
    if "báo cáo đang làm dở" in text:
        return 0
    match = _STEP.search(text)
    return int(match.group(1)) if match else None


# --- fixtures --------------------------------------------------------------------------------


async def linked_roster(db_path: Path, tmp_path: Path) -> list[int]:
    """A generated district of ROSTER cadres (one cell each), all linked; their user ids."""
    await import_csv(db_path, write_csv(small(ROSTER), tmp_path / "csv"))
    await link_all(db_path)
    async with Database(db_path) as db:
        rows = await db.fetchall("SELECT telegram_id FROM cadres ORDER BY id")
    return [row["telegram_id"] for row in rows]


def seed() -> int:
    return int(os.environ.get("BAOCAO_FAULT_SEED") or random.SystemRandom().randrange(10**6))


def reminder_key(call: ApiCall) -> tuple[int, int] | None:
    """(chat, cell) of a reminder the simulator delivered: its button starts a report."""
    if call.method != "sendMessage" or call.status != 200:
        return None
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard") or []
    for button in (b for row in rows for b in row):
        data = str(button.get("callback_data") or "")
        if data.startswith(CB_START_FOR_CELL):
            return int(call.params["chat_id"]), int(data[len(CB_START_FOR_CELL) :])
    return None


def reminders_delivered(simulator: TelegramSimulator) -> Counter[tuple[int, int]]:
    return Counter(key for call in simulator.call_log() if (key := reminder_key(call)) is not None)


async def wait_for_reminders(simulator: TelegramSimulator, count: int, timeout: float) -> None:
    """Until ``count`` reminders were delivered (or the deadline passes: then kill anyway)."""
    deadline = time.monotonic() + timeout
    while sum(reminders_delivered(simulator).values()) < count and time.monotonic() < deadline:
        with contextlib.suppress(TimeoutError):
            await simulator.wait_for_calls(len(simulator.call_log()) + 1, timeout=0.5)


async def claimed_keys(db_path: Path) -> set[tuple[int, int]]:
    """(chat, cell) of reminders claimed and never marked sent: in flight when a process died."""
    async with Database(db_path) as db:
        rows = await db.fetchall(
            "SELECT c.telegram_id, l.cell_id FROM reminder_log l JOIN cadres c ON c.id = l.cadre_id"
            " WHERE l.status = 'claimed'"
        )
    return {(row["telegram_id"], row["cell_id"]) for row in rows}


class Chaos:
    """Kills the bot while work is in flight, and counts what each kill swallowed.

    The first kill lands in the middle of the reminder fan-out; each of the others when
    the cadres have seen a random number of their reports confirmed, below the total -
    so every kill finds reports still being filed. After each kill (before the restart)
    the claims it newly left are noted; which of them never arrived is known only at the
    end (a request already on its way when the process died may still be answered by the
    simulator afterwards).
    """

    def __init__(self, bot: BotProcess, cadres: list[ReportingCadre], rng: random.Random, anchor: float) -> None:
        self.bot = bot
        self.anchor = anchor
        self.cadres = cadres
        self.rng = rng
        self.reports_left_at_kill: list[int] = []
        self.reminders_due_at_first_kill = 0
        self.left_claimed: list[set[tuple[int, int]]] = []  # the claims each kill left behind
        self._claimed: set[tuple[int, int]] = set()

    def reports_confirmed(self) -> int:
        return sum(len(cadre.confirmed) for cadre in self.cadres)

    async def run(self, kills: int) -> None:
        total = sum(cadre.wanted for cadre in self.cadres)
        await wait_for_reminders(self.bot.simulator, self.rng.randrange(10, ROSTER - 40), timeout=20)
        self.reports_left_at_kill.append(total - self.reports_confirmed())
        await self.kill()
        self.reminders_due_at_first_kill = len(await still_due(self.bot.db_path, self.anchor))
        await self.bot.start()
        # A few reports short of the total at the latest: cadres finishing together confirm
        # several in one turn of the loop, and the kill must still find some unfiled.
        last = total - REPORTS_LEFT_AT_LAST_KILL
        for point in sorted(self.rng.sample(range(self.reports_confirmed() + 1, last), kills - 1)):
            while self.reports_confirmed() < point:
                await self.confirmation()
            await self.kill_and_restart(total)

    async def confirmation(self) -> None:
        """Until some cadre sees one more report confirmed (woken by it, no polling)."""
        waits = [asyncio.ensure_future(cadre.progress.wait()) for cadre in self.cadres]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
        for cadre in self.cadres:
            cadre.progress.clear()

    async def kill_and_restart(self, total: int) -> None:
        self.reports_left_at_kill.append(total - self.reports_confirmed())
        await self.kill()
        await self.bot.start()

    async def kill(self) -> None:
        await self.bot.kill()
        claimed = await claimed_keys(self.bot.db_path)
        self.left_claimed.append(claimed - self._claimed)
        self._claimed = claimed

    def swallowed(self, delivered: Counter[tuple[int, int]]) -> list[int]:
        """Per kill: the reminders it left claimed that never reached their cadre."""
        return [len(keys - set(delivered)) for keys in self.left_claimed]


async def still_due(db_path: Path, anchor: float) -> list[object]:
    """Reminders due now that nobody has claimed: what the next sweep would send."""
    now = REMINDER_DUE + timedelta(seconds=time.time() - anchor)
    async with Database(db_path) as db:
        return list((await plan(db, Config(db_path=db_path), now)).targets)


def transcript(simulator: TelegramSimulator, chat_id: int, last: int = 14) -> str:
    """The end of a chat, both sides, to see where a cadre got stuck."""
    messages = sorted(simulator.chat(chat_id).messages.values(), key=lambda m: m.message_id)[-last:]
    return "\n".join(
        f"{'bot ' if m.from_bot else 'user'} #{m.message_id}{' (edited)' if m.edited else ''}: "
        f"{m.content[:70]!r} {m.button_list() if m.from_bot else ''}"
        for m in messages
    )


def integrity(db_path: Path) -> str:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


# --- the test --------------------------------------------------------------------------------


async def test_reports_and_reminders_survive_kill_9_at_random_points(config: Config, tmp_path: Path) -> None:
    run_seed = seed()
    rng = random.Random(run_seed)
    anchor = time.time()
    users = await linked_roster(config.db_path, tmp_path)
    async with TelegramSimulator() as simulator:
        everyone = [simulator.user(uid, f"Cán bộ {uid}") for uid in users]  # all have opened the bot
        cadres = [ReportingCadre(simulator, user, REPORTS_EACH) for user in rng.sample(everyone, CADRES)]
        async with bot_process(simulator, config.db_path, tmp_path / "bot.log", anchor, REMINDER_DUE) as bot:
            load = asyncio.gather(*(cadre.run() for cadre in cadres))
            chaos = Chaos(bot, cadres, rng, anchor)
            try:
                async with asyncio.timeout(LOAD_DEADLINE):
                    await asyncio.gather(load, chaos.run(KILLS))
                    while await still_due(config.db_path, anchor):  # the sweep every second catches up
                        with contextlib.suppress(TimeoutError):
                            await simulator.wait_for_calls(len(simulator.call_log()) + 1, timeout=1)
            except TimeoutError:
                load.cancel()
                stuck = [transcript(simulator, c.user.id) for c in cadres if not c.done]
                raise AssertionError(f"seed {run_seed}: {len(stuck)} cadres stuck; first:\n{stuck[0]}\n{bot.log_tail()}") from None
            await chaos.kill()  # and once more at the very end, mid-poll
        assert (bot.kills, bot.starts) == (KILLS + 1, KILLS + 1), f"seed {run_seed}"
        # Every kill landed while work was in flight: the fan-out, then reports being filed.
        assert chaos.reminders_due_at_first_kill > 0, f"seed {run_seed}: the fan-out was over"
        assert len(chaos.reports_left_at_kill) == KILLS, f"seed {run_seed}"
        assert min(chaos.reports_left_at_kill) > 0, f"seed {run_seed}: {chaos.reports_left_at_kill}"
        delivered = reminders_delivered(simulator)
        chats = {cadre.user.id: transcript(simulator, cadre.user.id, last=30) for cadre in cadres}

    assert integrity(config.db_path) == "ok", f"seed {run_seed}"
    async with Database(config.db_path) as db:
        stored = await db.fetchall("SELECT r.id, c.telegram_id FROM visit_reports r JOIN cadres c ON c.id = r.cadre_id")
        audited = await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'visit.submit'")
        log = await db.fetchall(
            "SELECT c.telegram_id, l.cell_id, l.status FROM reminder_log l JOIN cadres c ON c.id = l.cadre_id"
        )

    # Reports: exactly the ones the cadres saw confirmed, each once.
    by_user: dict[int, list[int]] = {}
    for row in stored:
        by_user.setdefault(row["telegram_id"], []).append(row["id"])
    seen = {cadre.user.id: sorted(cadre.confirmed) for cadre in cadres}
    differ = {uid: (sorted(by_user.get(uid, [])), seen.get(uid, [])) for uid in set(by_user) | set(seen)}
    differ = {uid: pair for uid, pair in differ.items() if pair[0] != pair[1]}
    assert not differ, f"seed {run_seed}: cadre: (stored, seen confirmed) {differ}; first:\n" + "\n".join(
        chats.get(uid, "") for uid in list(differ)[:1]
    )
    assert all(len(numbers) == REPORTS_EACH for numbers in seen.values()), f"seed {run_seed}"
    assert audited == CADRES * REPORTS_EACH, f"seed {run_seed}"

    # Reminders: at most once per key; every one sent, or claimed and caught in flight by a kill.
    status = {(row["telegram_id"], row["cell_id"]): row["status"] for row in log}
    assert max(delivered.values()) == 1, f"seed {run_seed}: sent twice: {[k for k, n in delivered.items() if n > 1]}"
    assert set(delivered) <= set(status), f"seed {run_seed}: delivered without a claim"
    assert set(status.values()) <= {"sent", "claimed"}, f"seed {run_seed}: {Counter(status.values())}"
    assert all(delivered[key] == 1 for key, state in status.items() if state == "sent"), f"seed {run_seed}"
    in_flight = [key for key, state in status.items() if state == "claimed"]
    # What the kills swallowed: the reminders claimed and never sent, counted kill by kill.
    unsent = [key for key in in_flight if key not in delivered]
    swallowed = chaos.swallowed(delivered)
    assert len(swallowed) == KILLS + 1, f"seed {run_seed}"
    assert max(swallowed) <= IN_FLIGHT, f"seed {run_seed}: a kill swallowed {swallowed} > {IN_FLIGHT}"
    assert sum(swallowed) == len(unsent), f"seed {run_seed}: {swallowed} vs {len(unsent)} unsent claims"
    assert set().union(*chaos.left_claimed) == set(in_flight), f"seed {run_seed}: claims no kill left"
    assert len(status) > ROSTER - CADRES and len(delivered) >= len(status) - len(in_flight), f"seed {run_seed}"
    assert await still_due(config.db_path, anchor) == [], f"seed {run_seed}: reminders still due"
