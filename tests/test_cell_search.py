"""A merged commune at full size — 25 members, 150 cells, 600 assignments — feels like the
sample: the cell step shows the member's own cells first, a page at a time, and any cell
is found by typing part of its name, with or without diacritics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.roster_import import import_roster
from domain.clock import ManualClock, utc_stamp
from handlers.cell_search import parse_page, query_of
from storage import roster
from storage.db import Database
from storage.migrate import upgrade
from storage.registration import link_telegram
from tests.helpers import Chat
from tests.test_org_trees import write_roster

OLD_COMMUNES = [("TLAP", "Tân Lập"), ("DRUONG", "Đăk Ruồng"), ("DTRE", "Đăk Tờ Re"), ("DPNE", "Đăk Pne"),
                ("DKOI", "Đăk Kôi")]
VILLAGES = 30  # per old commune: 150 cells
MEMBERS = 25
MEMBER_TG = 8001


def big_commune() -> dict[str, list[list[str]]]:
    units = [["XA", "Đăk Ruồng", "xã", "", "", ""]]
    cells = []
    for code, name in OLD_COMMUNES:
        units.append([code, name, "xã", "", "XA", "01/07/2025"])
        for n in range(1, VILLAGES + 1):
            units.append([f"{code}-T{n}", f"Thôn {n}", "thôn", code, "", ""])
            cells.append([f"CB-{code}-T{n}", f"Chi bộ thôn {n}", f"{code}-T{n}", "", ""])
    cadres = [[f"M{i:02}", f"Đảng ủy viên {i}", f"09127{i:05}", "đảng ủy viên", "", "XA"] for i in range(1, MEMBERS + 1)]
    # Each cell has 4 members, each member 24 cells: 600 assignments.
    assignments = [
        [f"M{(c * 4 + k) % MEMBERS + 1:02}", cell[0], "2026-01-01"] for c, cell in enumerate(cells) for k in range(4)
    ]
    return {"units": units, "cadres": cadres, "cells": cells, "assignments": assignments}


def own_cell_labels(member: str) -> set[str]:
    sheets = big_commune()
    commune = {code: name for code, name in OLD_COMMUNES}
    cells = {row[0]: row for row in sheets["cells"]}
    return {
        f"{cells[cell][1]} — {commune[cells[cell][0].split('-')[1]]}"
        for who, cell, _ in sheets["assignments"] if who == member
    }


@pytest.fixture
async def big(config: Config, clock: ManualClock, tmp_path: Path) -> AsyncIterator[Harness]:
    sheets = big_commune()
    assert (len(sheets["cadres"]), len(sheets["cells"]), len(sheets["assignments"])) == (25, 150, 600)
    async with Database(config.db_path) as db:
        await upgrade(db)
        await import_roster(db, write_roster(tmp_path / "roster", sheets), now=utc_stamp(clock.now()))
        member = await roster.cadre_by_code(db, "M01")
        assert member is not None
        async with db.transaction() as tx:
            await link_telegram(tx, member.id, MEMBER_TG, utc_stamp(clock.now()))
    async with bot_with_simulator(config, clock=clock, poll_timeout=1) as running:
        yield running


def cell_buttons(chat: Chat) -> list[str]:
    return [b for b in chat.buttons if b.startswith(("Chi bộ", "✅ Chi bộ"))]


async def test_own_cells_come_first_a_page_at_a_time(big: Harness) -> None:
    chat = Chat(big, MEMBER_TG)
    await chat.send("/baocao")
    assert "gõ tên chi bộ, thôn để tìm" in chat.text
    first = cell_buttons(chat)
    assert len(first) == 8 and "Sau ▶" in chat.buttons  # 24 own cells, 8 a page
    await chat.press("Sau ▶")
    second = cell_buttons(chat)
    assert len(second) == 8 and not set(first) & set(second)
    await chat.press(second[0])
    assert "Bước 2/6" in chat.text


async def test_a_cell_is_found_by_typing_without_diacritics(big: Harness) -> None:
    chat = Chat(big, MEMBER_TG)
    await chat.send("/baocao")
    await chat.send("thon 17 dak ruong")
    assert "1 chi bộ khớp «thon 17 dak ruong»" in chat.text
    assert cell_buttons(chat) == ["Chi bộ thôn 17 — Đăk Ruồng"]
    await chat.press("Chi bộ thôn 17")
    assert "Bước 2/6: Chi bộ thôn 17 — Đăk Ruồng" in chat.text
    assert chat.taps + chat.typed == 3  # /baocao, the name, the cell


async def test_many_matches_are_paged_with_own_cells_first(big: Harness) -> None:
    chat = Chat(big, MEMBER_TG)
    await chat.send("/baocao")
    own = own_cell_labels("M01")
    await chat.send("Thôn 1")  # thôn 1, 10…19 of five communes: 55
    assert "55 chi bộ khớp «thon 1»" in chat.text
    found = cell_buttons(chat)
    mine = [label in own for label in found]
    assert len(found) == 8 and mine[0] and mine == sorted(mine, reverse=True)  # own ones, then others
    await chat.press("Sau ▶")
    assert "55 chi bộ khớp" in chat.text and cell_buttons(chat) != found
    await chat.send("thon 99")
    assert "Không tìm thấy chi bộ nào khớp «thon 99»" in chat.text
    await chat.press("⬅ Quay lại")
    assert "Bước 1/6" in chat.text


async def test_another_cell_lists_the_one_communes_cells_directly(big: Harness) -> None:
    chat = Chat(big, MEMBER_TG)
    await chat.send("/baocao")
    await chat.press("🔎 Chi bộ khác")
    assert "Chọn chi bộ ở Đăk Ruồng" in chat.text  # no list of one commune to choose from
    assert len(cell_buttons(chat)) == 8 and "Sau ▶" in chat.buttons
    await chat.press("⬅ Quay lại")
    assert "Bước 1/6" in chat.text


def test_page_buttons_carry_a_short_folded_query() -> None:
    assert query_of("  Thôn 9 ĐĂK RUỒNG ") == "thon 9 dak ruong"
    assert len(query_of("x" * 200)) == 40
    assert parse_page("v:cs:2:thon 9") == (2, "thon 9")
    assert parse_page("v:cs:zz:thon 9") == (0, "thon 9")
    assert len(f"v:cs:99:{query_of('đ' * 200)}".encode()) <= 64
