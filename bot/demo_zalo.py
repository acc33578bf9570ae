"""``baocao demo --channel zalo``: the same demo on the Zalo side of the simulator.

Everything typed goes to the bot as a Zalo message, numbers included: the real Zalo
channel (bot/channels/zalo) turns a number into the choice on screen, exactly as on a
cadre's phone. The bot's messages are printed as Zalo shows them: text with numbered
choices, no buttons, no edits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.channels import ZALO
from bot.harness import Harness
from bot.simulator.zalo import ZaloSimMessage, ZaloSimulator, ZaloSimUser
from domain.clock import Clock, ManualClock, utc_stamp
from storage import accounts, channel_state
from storage.db import Database

GROUP_ID = "zalo-group-1"
GROUP_TITLE = "Ban Thường vụ (Zalo)"

# key -> (Zalo id, display name, roster code or None, description)
PERSONAS = {
    "cadre": ("zalo-1001", "Cán bộ", "CAN-001", "cán bộ / a cadre (CAN-001)"),
    "admin": ("zalo-1002", "Văn phòng", "CAN-002", "quản trị / an admin (CAN-002)"),
    "stranger": ("zalo-1999", "Khách", None, "người lạ / someone not on the roster"),
}

BANNER = """\
=== baocao demo — Zalo mô phỏng / simulated Zalo ===
Gõ chữ hoặc số như trên Zalo: số là lựa chọn trên màn hình. Type text, or a number to pick a choice.
  :as cadre|admin|stranger   đổi người / switch who you are
  :group  :private            nhắn trong nhóm (nhắc tên bot) / in the group (mentioning the bot)
  :photo [CAPTION]  :sticker
  :time 2026-12-25T08:00      đặt giờ (với --now) / move the clock (with --now)
  :nhac                       chạy nhắc nhở ngay / run the reminder sweep now
  :quit
"""


async def link_personas(db: Database, now: datetime) -> None:
    """The demo's cadre and admin are linked on Zalo too (as an invite code would do)."""
    for external, _, code, _ in PERSONAS.values():
        cadre_id = await db.fetchval("SELECT id FROM cadres WHERE code = ?", (code,)) if code else None
        if cadre_id is not None:
            user_id = await channel_state.internal_id(db, ZALO, external)
            await accounts.link(db, int(cadre_id), ZALO, user_id, utc_stamp(now))


class ZaloDemo:
    """The chat loop on Zalo: one line in, the bot's new messages out."""

    def __init__(self, harness: Harness, clock: Clock, write: Callable[[str], None]) -> None:
        self.harness = harness
        self.sim: ZaloSimulator = harness.simulator.zalo
        self.clock = clock
        self.write = write
        self.persona = "cadre"
        self.in_group = False
        self.last_seq = 0
        self.failures = 0

    @property
    def user(self) -> ZaloSimUser:
        external, name, _, _ = PERSONAS[self.persona]
        return self.sim.user(external, name)

    async def handle_line(self, line: str) -> bool:
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line in (":quit", ":q", ":exit"):
            return False
        event_id = await self._meta(line) if line.startswith(":") else await self._send(line)
        if event_id is not None:
            try:
                await self.harness.handled(event_id)
            except TimeoutError:
                self.failures += 1
                self.write("  (bot không trả lời / the bot did not answer in time)")
        self.print_new_messages()
        return True

    async def _send(self, text: str) -> str | None:
        if self.in_group:
            return await self.sim.group(GROUP_ID, GROUP_TITLE).send_text(self.user, text)
        return await self.user.send_text(text)

    async def _meta(self, line: str) -> str | None:
        command, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        if command == "as" and rest in PERSONAS:
            self.persona = rest
            self.write(f"  (bây giờ đồng chí là / you are now: {PERSONAS[rest][3]})")
            return None
        if command in ("group", "private"):
            self.in_group = command == "group"
            self.write(f"  (đang nhắn {'trong nhóm ' + GROUP_TITLE if self.in_group else 'riêng với bot'})")
            return None
        if command == "photo":
            return await self.user.send_image(caption=rest or None)
        if command == "sticker":
            return await self.user.send_sticker()
        if command == "nhac":
            await self._remind()
            return None
        if command == "time" and isinstance(self.clock, ManualClock):
            self.clock.set(datetime.fromisoformat(rest))
            self.write(f"  (giờ / time: {self.clock.now():%d/%m/%Y %H:%M})")
            return None
        if command in ("contact", "location"):
            self.write("  (Zalo không gửi số điện thoại hay vị trí cho bot / Zalo shares no contact or location)")
            return None
        self.write("  (lệnh demo không rõ / unknown demo command; see the list above)")
        return None

    async def _remind(self) -> None:
        from scheduler import reminders

        services = self.harness.application.bot_data
        result = await reminders.sweep(services.channels, services.db, services.config, self.clock)
        if result.kind is None or result.quiet:
            self.write("  (không có nhắc nhở đến hạn lúc này / no reminder is due now)")
        else:
            self.write(f"  (đã gửi / sent {result.sent} nhắc nhở / reminders: {result.quarter} {result.kind})")

    def print_new_messages(self) -> None:
        for message in self.sim.sent:
            if message.seq > self.last_seq:
                self.last_seq = message.seq
                self._print(message)

    def _print(self, message: ZaloSimMessage) -> None:
        here = GROUP_ID if self.in_group else PERSONAS[self.persona][0]
        where = "" if message.chat_id == here else f" → {message.chat_id}"
        self.write(f"🤖{where}" + (f" [ảnh / photo: {message.photo_url}]" if message.photo_url else ""))
        self.write("\n".join("   " + line for line in message.content.splitlines()))
