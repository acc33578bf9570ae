"""A button nobody waits for any more gets one answer, said in one place (issue 12, "the
shape of the code"): handlers/buttons.answer_expired, whatever conversation the button
came from, also the last word of bot/tolerant_bot.py on an update it cannot parse.

The source is read with ``ast`` (never run) for the catalogue key; the routed call
sites are pressed stale or forged on the real Application and simulator, and each
press must be answered exactly once (and audited where it is a refusal).
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.harness import Harness
from bot.roster_import import MODEL_LEVELS, fold
from bot.texts import t
from domain.callbacks import CB_MATERIAL_RECEIVED, CB_MEETING_YES
from domain.inspections import LEVELS
from handlers.materials import CB_COMMUNE
from storage import audit
from storage.db import Database
from storage.records import ModelLevel
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat

ROOT = Path(__file__).resolve().parent.parent
KEY = "button.expired"
CODE = ("domain", "storage", "scheduler", "handlers", "bot")
CATALOGUE = ROOT / "bot" / "texts"
THE_ONE_PLACE = "handlers/buttons.py"
EXPIRED = "Nút này đã cũ"


def key_sites() -> list[str]:
    """Every string literal (f-strings' parts too) naming the key, outside the catalogue."""
    sites = []
    for layer in CODE:
        for path in sorted((ROOT / layer).rglob("*.py")):
            if CATALOGUE in path.parents:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY in node.value:
                    sites.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    return sites


def test_the_expired_answer_is_said_in_exactly_one_place() -> None:
    sites = key_sites()
    assert len(sites) == 1 and sites[0].startswith(f"{THE_ONE_PLACE}:"), sites


def test_the_scan_would_see_a_second_place() -> None:
    """The scan is not blind: a literal in a handler, an f-string's part, both count."""
    source = 'say(update, context, "button.expired")\nx = f"button.expired{lang}"\n'
    found = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and KEY in str(n.value)]
    assert len(found) == 2


def test_the_channel_last_resort_uses_the_helpers_words() -> None:
    """bot/tolerant_bot.py has no Update to hand the helper (the update could not be
    parsed), so it takes the words from the same place rather than naming the key."""
    source = (ROOT / "bot" / "tolerant_bot.py").read_text(encoding="utf-8")
    assert "from handlers.buttons import expired_text" in source and "expired_text(lang)" in source


# --- the routed call sites, pressed -----------------------------------------------------------


async def test_a_forged_commune_in_materials_is_answered_once_and_audited(harness: Harness, roster_db: Database) -> None:
    """Failed before: the press was answered twice (an empty answer, then the refusal's)."""
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/tailieu")
    await admin.press("➕ Gửi tài liệu mới")
    await admin._done(await admin.user.send_document(b"%PDF-1.4 x", "huong-dan.pdf"))
    await admin.send("Hướng dẫn tháng 12")
    await admin.press("Chi bộ của một xã")
    before = len(harness.simulator.calls("answerCallbackQuery"))
    await harness.handled(await admin.user.press_data(f"{CB_COMMUNE}999999", message=admin.screen))
    assert [c.status for c in harness.simulator.calls("answerCallbackQuery")[before:]] == [200]
    assert EXPIRED in (admin.user.callback_answers[-1]["text"] or "") and EXPIRED in admin.text
    entries = await audit.entries(roster_db, action="denied.materials_out_of_scope")
    assert [e.telegram_id for e in entries] == [ADMIN_TG]


async def test_a_forged_material_receipt_is_answered_once_with_the_one_answer(harness: Harness) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/start")
    before = len(harness.simulator.calls("answerCallbackQuery"))
    await harness.handled(await chat.user.press_data(f"{CB_MATERIAL_RECEIVED}999999:1", message=chat.screen))
    assert [c.status for c in harness.simulator.calls("answerCallbackQuery")[before:]] == [200]
    assert EXPIRED in (chat.user.callback_answers[-1]["text"] or "") and EXPIRED in chat.text


async def test_a_forged_meeting_answer_is_answered_once_with_the_one_answer(harness: Harness) -> None:
    chat = Chat(harness, CADRE_TG)
    await chat.send("/start")
    before = len(harness.simulator.calls("answerCallbackQuery"))
    await harness.handled(await chat.user.press_data(f"{CB_MEETING_YES}999999:1", message=chat.screen))
    assert [c.status for c in harness.simulator.calls("answerCallbackQuery")[before:]] == [200]
    assert EXPIRED in (chat.user.callback_answers[-1]["text"] or "") and EXPIRED in chat.text


# --- the model level below the province, since the 2025 reform ---------------------------------


def test_the_workbook_names_each_model_level_as_the_inspections_do() -> None:
    for level in LEVELS:
        for lang in ("vi", "en"):
            assert t(f"wb.level.{level}", lang) == t(f"insp.level.{level}", lang)
    assert t("wb.level.district", "vi") == "Điểm cấp xã, phường"
    assert "huyện" not in t("wb.level.district", "vi")


def test_the_workbooks_word_for_the_level_reads_back_in_an_import() -> None:
    for lang in ("vi", "en"):
        assert fold(t("wb.level.district", lang)) in {fold(w) for w in MODEL_LEVELS[ModelLevel.DISTRICT]}
