"""``baocao demo``: the bot, the built-in simulator and the sample roster, in a terminal.

You chat as a cadre (or an admin, or someone not on the roster, or inside a group): type
text, press a button by typing its number, and read what the bot answers. The screens are
the same ones Telegram shows as buttons; here they are numbered, as on a messenger
without buttons. ``--script FILE`` plays lines from a file and prints the transcript.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from domain.clock import Clock, ManualClock, SystemClock, utc_stamp
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.roster_import import RosterError, import_roster
from bot.simulator import SimMessage, SimUser, TelegramSimulator
from bot.texts import Organisation
from storage import roster, updates
from storage.db import Database
from storage.migrate import upgrade
from storage.registration import link_telegram

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# The 2026 sample: the Party Committee of a merged commune (examples/make_commune_roster.py);
# examples/roster.xlsx is the legacy district roster (``--roster examples/roster.xlsx``).
SAMPLE_ROSTER = EXAMPLES / "commune" / "roster.xlsx"
SAMPLE_ORG = Organisation("Đảng ủy xã Đăk Ruồng", "Văn phòng Đảng ủy xã", "0260 3823 456")
GROUP_ID = -1001
GROUP_TITLE = "Ban Thường vụ Đảng ủy"


@dataclass(frozen=True)
class Persona:
    key: str
    telegram_id: int
    first_name: str
    cadre_code: str | None
    describe: str


PERSONAS = {
    p.key: p
    for p in (
        Persona("cadre", 1001, "Cán bộ", "CAN-001", "cán bộ / a cadre (CAN-001)"),
        Persona("admin", 1002, "Văn phòng", "CAN-002", "quản trị / an admin (CAN-002)"),
        Persona("stranger", 1999, "Khách", None, "người lạ / someone not on the roster"),
    )
}

BANNER = """\
=== baocao demo — Telegram mô phỏng / simulated Telegram ===
Gõ chữ để nhắn, gõ số để bấm nút. Type text to send it, a number to press that button.
  :as cadre|admin|stranger   đổi người / switch who you are
  :group  :private            nhắn trong nhóm / in the group, or privately
  :contact [PHONE]            gửi số điện thoại / share your phone contact
  :photo [CAPTION]  :location LAT LON  :sticker
  :time 2026-12-25T08:00      đặt giờ (với --now) / move the clock (with --now)
  :nhac                       chạy nhắc nhở ngay / run the reminder sweep now
  :quit
"""


class Demo:
    """The chat loop: one line in, the bot's new messages out."""

    def __init__(self, harness: Harness, clock: Clock, write: Callable[[str], None]) -> None:
        self.harness = harness
        self.sim: TelegramSimulator = harness.simulator
        self.clock = clock
        self.write = write
        self.persona = PERSONAS["cadre"]
        self.in_group = False
        self.last_seq = 0
        self.numbered: list[tuple[SimMessage, str]] = []
        self.failures = 0

    @property
    def user(self) -> SimUser:
        p = self.persona
        return self.sim.user(p.telegram_id, p.first_name, language_code="vi")

    @property
    def chat_id(self) -> int:
        return GROUP_ID if self.in_group else self.persona.telegram_id

    async def handle_line(self, line: str) -> bool:
        """Acts on one line; returns False when the user wants to stop."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line in (":quit", ":q", ":exit"):
            return False
        if line.startswith(":"):
            update_id = await self._meta(line)
        elif line.isdigit() and self.numbered:
            update_id = await self._press(int(line))
        else:
            update_id = await self._send_text(line)
        if update_id is not None:
            await self._wait(update_id)
        self.print_new_messages()
        return True

    async def _send_text(self, text: str) -> int:
        if self.in_group:
            return await self.sim.group(GROUP_ID, GROUP_TITLE).send_text(self.user, text)
        return await self.user.send_text(text)

    async def _press(self, number: int) -> int | None:
        if not 1 <= number <= len(self.numbered):
            self.write(f"  (không có nút số {number} / no button {number})")
            return None
        message, label = self.numbered[number - 1]
        try:
            if self.in_group:
                return await self.sim.group(GROUP_ID, GROUP_TITLE).press(self.user, label, message=message)
            return await self.user.press(label, message=message)
        except LookupError:  # the bot has since edited or deleted that screen: its buttons are gone
            self.write(f"  (nút số {number} không còn nữa: màn hình đã đổi / button {number} is gone: "
                       "the screen changed)")  # fmt: skip
            self._renumber()
            return None

    async def _meta(self, line: str) -> int | None:
        command, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        if command == "as" and rest in PERSONAS:
            self.persona = PERSONAS[rest]
            self.write(f"  (bây giờ đồng chí là / you are now: {self.persona.describe})")
            self._renumber()
            return None
        if command in ("group", "private"):
            self.in_group = command == "group"
            self.write(f"  (đang nhắn {'trong nhóm ' + GROUP_TITLE if self.in_group else 'riêng với bot'})")
            self._renumber()
            return None
        if command == "contact":
            return await self.user.share_contact(rest or await self._roster_phone())
        if command == "photo":
            return await self.user.send_photo(caption=rest or None)
        if command == "location":
            lat, _, lon = rest.partition(" ")
            return await self.user.send_location(float(lat), float(lon))
        if command == "sticker":
            return await self.user.send_sticker()
        if command == "nhac":
            await self._remind()
            return None
        if command == "time" and isinstance(self.clock, ManualClock):
            self.clock.set(datetime.fromisoformat(rest))
            self.write(f"  (giờ / time: {self.clock.now():%d/%m/%Y %H:%M})")
            return None
        self.write("  (lệnh demo không rõ / unknown demo command; see the list above)")
        return None

    async def _remind(self) -> None:
        """What the bot's reminder job would do at the demo's clock, run now."""
        from scheduler import reminders  # matplotlib-free, but only the demo needs it here

        app = self.harness.application
        result = await reminders.sweep(app.bot, app.bot_data.db, app.bot_data.config, self.clock)
        if result.kind is None or result.quiet:
            self.write("  (không có nhắc nhở đến hạn lúc này / no reminder is due now)")
        else:
            self.write(f"  (đã gửi / sent {result.sent} nhắc nhở / reminders: {result.quarter} {result.kind})")

    async def _roster_phone(self) -> str:
        db: Database = self.harness.application.bot_data.db
        code = self.persona.cadre_code
        cadre = await roster.cadre_by_code(db, code) if code else None
        return (cadre.phone if cadre else None) or "0999999999"

    async def _wait(self, update_id: int) -> None:
        try:
            await self.harness.handled(update_id)
        except TimeoutError:
            self.failures += 1
            self.write("  (bot không trả lời / the bot did not answer in time)")

    def print_new_messages(self) -> None:
        fresh = sorted(
            (m for m in self.sim.sent_messages() if m.seq > self.last_seq), key=lambda m: m.seq
        )
        for message in fresh:
            self.last_seq = max(self.last_seq, message.seq)
            self._print_message(message)

    def _print_message(self, message: SimMessage) -> None:
        where = "" if message.chat_id == self.chat_id else f" → {self._chat_name(message.chat_id)}"
        edited = " (sửa / edited)" if message.edited else ""
        body = message.text or message.caption or f"[{message.kind}]"
        if message.kind == "document" and message.document_name:
            body = f"[tệp / file: {message.document_name}] {message.caption or ''}".rstrip()
        self.write(f"🤖{where}{edited}")
        self.write("\n".join("   " + line for line in body.splitlines()))
        labels = [label for row in message.buttons() for label in row]
        if labels and message.chat_id == self.chat_id:
            self.numbered = [(message, label) for label in labels]
            for number, label in enumerate(labels, start=1):
                self.write(f"   [{number}] {label}")
        if _asks_for_contact(message):
            self.write("   (gõ :contact để gửi số điện thoại / type :contact to share your phone)")

    def _renumber(self) -> None:
        """After switching chats, the buttons to press are those of that chat's last screen."""
        self.numbered = []
        messages = self.sim.sent_messages(self.chat_id)
        if messages and messages[-1].buttons():
            message = messages[-1]
            labels = [label for row in message.buttons() for label in row]
            self.numbered = [(message, label) for label in labels]
            for number, label in enumerate(labels, start=1):
                self.write(f"   [{number}] {label}")

    def _chat_name(self, chat_id: int) -> str:
        if chat_id == GROUP_ID:
            return GROUP_TITLE
        for persona in PERSONAS.values():
            if persona.telegram_id == chat_id:
                return persona.describe
        return str(chat_id)


def _asks_for_contact(message: SimMessage) -> bool:
    keyboard = (message.reply_markup or {}).get("keyboard") or []
    return any(isinstance(b, dict) and b.get("request_contact") for row in keyboard for b in row)


async def prepare_database(config: Config, roster_file: Path, clock: Clock) -> None:
    """A database with the roster loaded and the demo's people linked to their cadres."""
    async with Database(config.db_path) as db:
        await upgrade(db)
        await import_roster(db, [roster_file], now=utc_stamp(clock.now()))
        for persona in PERSONAS.values():
            cadre = await roster.cadre_by_code(db, persona.cadre_code) if persona.cadre_code else None
            if cadre is not None and cadre.telegram_id is None:
                async with db.transaction() as tx:
                    await link_telegram(tx, cadre.id, persona.telegram_id, utc_stamp(clock.now()))


async def _lines(script: str | None) -> AsyncIterator[str]:
    if script is None:
        while True:
            try:
                yield await asyncio.to_thread(input, "» ")
            except EOFError:
                return
    else:
        handle = sys.stdin if script == "-" else open(script, encoding="utf-8")  # noqa: SIM115
        with handle:
            for line in handle:
                if line.strip() and not line.lstrip().startswith("#"):
                    print(f"» {line.rstrip()}")
                yield line


async def run_demo(config: Config, args: argparse.Namespace) -> int:
    clock: Clock = ManualClock(datetime.fromisoformat(args.now), config.tz) if args.now else SystemClock(config.tz)
    roster_file = Path(args.roster) if args.roster else SAMPLE_ROSTER
    if not roster_file.exists():
        print(f"baocao: roster file {roster_file} not found (give one with --roster)", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="baocao-demo-"))
    db_path = Path(args.db) if args.db else scratch / "demo.sqlite3"
    config = replace(config, db_path=db_path)
    if roster_file == SAMPLE_ROSTER and config.organisation == Organisation():
        config = replace(config, organisation=SAMPLE_ORG)  # the sample's committee, unless set
    try:
        status = await _play(config, roster_file, clock, args)
    except Exception:
        # What went wrong is in the database: keep it to look at, and say where it is.
        if not args.db:
            print(f"baocao: the demo database is kept in {db_path}", file=sys.stderr)
        raise
    shutil.rmtree(scratch, ignore_errors=True)
    return status


async def _play(config: Config, roster_file: Path, clock: Clock, args: argparse.Namespace) -> int:
    try:
        await prepare_database(config, roster_file, clock)
    except RosterError as exc:
        print(f"baocao: the roster has errors: {exc.errors[0]} …", file=sys.stderr)
        return 2
    if getattr(args, "channel", "telegram") == "zalo":
        return await _run_zalo_demo(config, clock, args)
    simulator = TelegramSimulator(first_update_id=await _first_update_id(config))
    simulator.group(GROUP_ID, GROUP_TITLE)
    for persona in PERSONAS.values():  # everyone has opened the bot once
        simulator.user(persona.telegram_id, persona.first_name, language_code="vi")
    async with simulator, bot_with_simulator(config, clock=clock, simulator=simulator) as harness:
        demo = Demo(harness, clock, print)
        print(BANNER)
        async for line in _lines(args.script):
            if not await demo.handle_line(line):
                break
    return 1 if demo.failures else 0


async def _first_update_id(config: Config) -> int:
    """A reused --db remembers the update ids it handled: the simulator numbers after them."""
    async with Database(config.db_path) as db:
        return await updates.last_processed(db) + 1


async def _run_zalo_demo(config: Config, clock: Clock, args: argparse.Namespace) -> int:
    """The same demo through the real Zalo channel (bot/demo_zalo.py)."""
    from bot import demo_zalo

    async with Database(config.db_path) as db:
        await demo_zalo.link_personas(db, clock.now())
    simulator = TelegramSimulator(first_update_id=await _first_update_id(config))
    async with simulator, bot_with_simulator(config, clock=clock, simulator=simulator, channel="zalo") as harness:
        for external, name, _, _ in demo_zalo.PERSONAS.values():  # everyone has written to the bot once
            simulator.zalo.user(external, name)
        simulator.zalo.group(demo_zalo.GROUP_ID, demo_zalo.GROUP_TITLE)
        demo = demo_zalo.ZaloDemo(harness, clock, print)
        print(demo_zalo.BANNER)
        async for line in _lines(args.script):
            if not await demo.handle_line(line):
                break
    return 1 if demo.failures else 0
