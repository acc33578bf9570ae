"""A report stored whose receipt never reached the cadre (the bot killed between the two)
is recognised on the cadre's retry, and never stored twice.

"A submitted report is never lost or stored twice, whatever the network or a restart
does": a cadre who pressed ✅ Gửi and saw nothing retries - the same button, /baocao, a
reminder's «Báo cáo ngay». Each is told the number the report was stored under. Found by
the kill -9 suite (tests/test_faults.py, seed 872999): a report stored that its cadre was
never told about, then filed again. Two causes, both fixed and tested here:

- each update wrote the draft of the user's *previous* update (python-telegram-bot marks a
  user's data for writing only after the update's last handler group, where our flush
  runs), so after a kill the persisted draft lagged behind the persisted conversation state;
- the draft was dropped before the receipt was sent, so a write in between (any other
  user's update) could persist "no draft" while the cadre never saw the receipt.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.config import Config
from bot.harness import Harness
from bot.simulator import SimMessage, SimUser, TelegramSimulator
from domain.callbacks import CB_START_FOR_CELL
from domain.clock import VIETNAM
from domain.quarters import Quarter
from storage import model_updates, reports
from storage.db import Database
from storage.reports import VisitReportInput
from tests.bot_process import bot_process
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat, forge_callback

CELL = "Chi bộ thôn 9"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM)  # the conftest clock's moment
STORED = "đã được lưu rồi (số 1)"


async def persisted(db: Database, user_id: int) -> tuple[dict[str, object], object]:
    """What a kill at this moment would leave: the user's data and their visit state."""
    data = await db.fetchval("SELECT data FROM user_data WHERE user_id = ?", (user_id,))
    state = await db.fetchval("SELECT state FROM conversation_states WHERE name = 'visit'")
    return json.loads(data or "{}"), json.loads(state) if state else None


async def test_each_update_writes_its_own_draft_with_its_state(harness: Harness, roster_db: Database) -> None:
    """Failed before: with another person's update in between, the persisted draft was
    still at step 1 (no cell) while the persisted state was step 2."""
    cadre, other = Chat(harness, CADRE_TG), Chat(harness, ADMIN_TG)
    await cadre.send("/baocao")
    await other.send("/start")
    await cadre.press(CELL)
    data, state = await persisted(roster_db, CADRE_TG)
    draft = data["visit_draft"]
    assert isinstance(draft, dict) and draft["step"] == state == "visit.date" and draft["cell_id"] is not None


# --- a real kill between the store and the receipt ------------------------------------------


async def until(simulator: TelegramSimulator, user: SimUser, shows: Callable[[SimMessage], bool]) -> SimMessage:
    """The next bot message in the user's chat that ``shows`` what is awaited."""
    return await simulator.wait_for_bot_message(user.id, after=0, timeout=15, predicate=shows)


async def tap(user: SimUser, message: SimMessage, label: str) -> int:
    """Presses the button of ``message`` whose label contains ``label``."""
    [found, *_] = [b for b in message.button_list() if label in b]
    return await user.press(found, message=message)


def says(text: str) -> Callable[[SimMessage], bool]:
    return lambda message: text in message.content


async def to_review(simulator: TelegramSimulator, user: SimUser) -> SimMessage:
    """The six steps with the fewest taps, each waited for."""
    await user.send_text("/baocao")
    await tap(user, await until(simulator, user, says("Bước 1/6")), CELL)
    await tap(user, await until(simulator, user, says("Bước 2/6")), "Hôm nay")
    await until(simulator, user, says("Bước 3/6"))
    await user.send_text("Nghị quyết Trung ương 4")
    await tap(user, await until(simulator, user, says("Đã chọn")), "Tiếp")
    await tap(user, await until(simulator, user, says("Bước 4/6")), "Không có kiến nghị")
    await tap(user, await until(simulator, user, says("Bước 5/6")), "Bỏ qua")
    return await until(simulator, user, says("Bước 6/6"))


async def test_a_kill_between_the_store_and_the_receipt(config: Config, roster_db: Database, tmp_path: Path) -> None:
    """The receipt's edit hangs on the network; meanwhile another cadre's update writes
    everyone's data; the bot is killed. The report is stored, the cadre saw nothing.
    Failed before: /baocao then began a new report (Bước 1/6), the stored one untold."""
    async with TelegramSimulator() as simulator:
        cadre, other = simulator.user(CADRE_TG, "Cán bộ"), simulator.user(ADMIN_TG, "Quản trị")
        async with bot_process(simulator, config.db_path, tmp_path / "bot.log", time.time(), NOW) as bot:
            review = await to_review(simulator, cadre)
            simulator.inject_timeout("editMessageText", chat_id=CADRE_TG, delay=20)
            mark = len(simulator.call_log())
            await tap(cadre, review, "Gửi")
            while not any(c.method == "editMessageText" and c.status == 0 for c in simulator.call_log()[mark:]):
                await simulator.wait_for_calls(len(simulator.call_log()) + 1, timeout=15)
            for _ in range(2):  # the second is handled only after the first was written
                seen = max((m.seq for m in other.messages()), default=0)
                await other.send_text("/start")
                await simulator.wait_for_bot_message(ADMIN_TG, after=seen, timeout=15)
            await bot.kill()
            assert await roster_db.fetchval("SELECT count(*) FROM visit_reports") == 1
            assert not any(STORED in m.content or "Đã lưu báo cáo" in m.content for m in cadre.messages())
            await bot.start()
            seen = max(m.seq for m in cadre.messages())
            await cadre.send_text("/baocao")  # "did it go?"
            told = await simulator.wait_for_bot_message(CADRE_TG, after=seen, timeout=15)
            assert STORED in told.content and "Bước 1/6" not in told.content, bot.log_tail()
            await tap(cadre, review, "Gửi")  # the old review too
            await until(simulator, cadre, lambda m: m.seq > told.seq and STORED in m.content)
            await cadre.send_text("/baocao")  # and now a new report begins
            await until(simulator, cadre, says("Bước 1/6"))
    assert await roster_db.fetchval("SELECT count(*) FROM visit_reports") == 1


# --- every retry recognises the stored draft ------------------------------------------------


async def store_the_draft(db: Database, harness: Harness, user_id: int) -> int:
    """The state a kill after the store leaves: the report stored under the draft's token,
    the draft still in the cadre's data (the receipt never went out)."""
    draft = harness.application.user_data[user_id]["visit_draft"]
    submission = await reports.submit_visit(db, VisitReportInput(
        token=draft["token"], cadre_id=draft["cadre_id"], filed_by_id=draft["cadre_id"], cell_id=draft["cell_id"],
        meeting_date=NOW.date(), quarter=Quarter.of(NOW.date()).key, late=False, disseminated="Nghị quyết",
        issues=(), attachments=(), latitude=None, longitude=None,
    ), now="2026-11-23T02:00:00Z")  # fmt: skip
    return submission.report_id


async def fill(chat: Chat) -> None:
    await chat.send("/baocao")
    await chat.press(CELL)
    await chat.press("Hôm nay")
    await chat.send("Nghị quyết Trung ương 4")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")


async def test_a_reminders_button_over_a_stored_draft_says_so(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill(chat)
    number = await store_the_draft(roster_db, harness, CADRE_TG)
    cell = await roster_db.fetchval("SELECT cell_id FROM visit_reports WHERE id = ?", (number,))
    await forge_callback(harness, CADRE_TG, f"{CB_START_FOR_CELL}{cell}", chat.screen.message_id)  # «Báo cáo ngay»
    assert STORED in chat.text and "Bước 2/6" in chat.text  # told, and the new report goes on
    await chat.send("/baocao")
    assert "báo cáo đang làm dở" in chat.text  # the new draft, not the stored one again


async def test_resuming_a_stored_draft_says_so(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await fill(chat)
    await chat.send("/huy")
    await chat.send("/baocao")
    offer = chat.screen
    await store_the_draft(roster_db, harness, CADRE_TG)
    await chat.press("▶ Tiếp tục", message=offer)  # an offer made before the store
    assert STORED in chat.text
    await chat.send("/baocao")
    assert "Bước 1/6" in chat.text
    assert await roster_db.fetchval("SELECT count(*) FROM visit_reports") == 1


async def test_a_stored_model_update_draft_is_told_too(harness: Harness, roster_db: Database) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    await chat.press("✖")  # stop at once: the draft is kept
    draft = harness.application.user_data[CADRE_TG]["model_draft"]
    model_id = await roster_db.fetchval("SELECT id FROM models ORDER BY id LIMIT 1")
    await model_updates.submit_model_update(roster_db, model_updates.ModelUpdateInput(
        token=draft["token"], model_id=model_id, cadre_id=draft["cadre_id"], kind="update", assessment="good",
        notes="", proposal="maintain", proposal_places="", quarter=Quarter.of(NOW.date()).key, attachments=(),
    ), now="2026-11-23T02:00:00Z")  # fmt: skip
    await chat.send("/mohinh")
    assert "Cập nhật mô hình đồng chí gửi lần trước đã được lưu rồi" in chat.text
