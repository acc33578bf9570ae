"""Any tree of units, end to end: a province's committee (province → commune → village),
a commune's committee (commune → village, as since July 2025) and a legacy district
committee. Each runs registration, a visit report, a scoped admin, the top summary and a
reminder on the real Application and the simulator."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.roster_import import import_roster
from bot.texts import Organisation
from domain.clock import VIETNAM, ManualClock, utc_stamp
from scheduler import reminders
from storage import roster, scope
from storage.db import Database
from storage.migrate import upgrade
from storage.registration import link_telegram
from tests.helpers import Chat

HEADERS = {
    "units": ["code", "name", "kind", "parent_code", "merged_into", "merged_on"],
    "cadres": ["code", "full_name", "phone", "role", "title", "unit_code"],
    "cells": ["code", "name", "unit_code", "secretary_code", "meeting_day"],
    "assignments": ["cadre_code", "cell_code", "starts_on", "ends_on"],
}
MEMBER_TG, TOP_ADMIN_TG, SCOPED_ADMIN_TG = 7001, 7002, 7003
MEMBER_PHONE = "0912 700 001"
REMINDER_TIME = datetime(2026, 12, 2, 8, 30, tzinfo=VIETNAM)  # 30 days left in Q4


def write_roster(folder: Path, sheets: dict[str, list[list[str]]]) -> list[Path]:
    """The sheets as CSV files named after them (English headers)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sheet, rows in sheets.items():
        path = folder / f"{sheet}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS[sheet][: max(len(r) for r in rows)])
            writer.writerows(rows)
        paths.append(path)
    return paths


def people(top: str, scoped: str) -> list[list[str]]:
    return [
        ["M1", "Y Nguyễn Văn Bình", MEMBER_PHONE, "đảng ủy viên", "Ủy viên", top],
        ["M2", "Lê Thị Cúc", "0912700002", "cán bộ", "Ủy viên", top],
        ["A0", "Trần Thị Hà", "0912700003", "quản trị", "Chánh Văn phòng", top],
        ["A1", "Phạm Văn Khánh", "0912700004", "quản trị", "Phó Bí thư", scoped],
    ]


@dataclass(frozen=True)
class Tree:
    """A small roster and what the test expects of it."""

    name: str
    org: Organisation
    units: list[list[str]]
    cadres: list[list[str]]
    cells: list[list[str]]
    top: str  # the top unit's name
    scoped: str  # the scoped admin's unit's name
    inside: str  # a cell inside the scoped admin's unit: the member's
    outside: str  # a commune or village outside it

    def sheets(self) -> dict[str, list[list[str]]]:
        assignments = [["M1", "CB-IN", "2026-01-01"], ["M1", "CB-IN2", "2026-01-01"], ["M2", "CB-OUT", "2026-01-01"]]
        return {"units": self.units, "cadres": self.cadres, "cells": self.cells, "assignments": assignments}


PROVINCE = Tree(
    "province > commune > village",
    Organisation("Tỉnh ủy Quảng Ngãi", "Văn phòng Tỉnh ủy"),
    [
        ["QNG", "Quảng Ngãi", "tỉnh", ""],
        ["DRVE", "Đăk Rve", "xã", "QNG"],
        ["DKOI", "Đăk Kôi", "xã", "QNG"],
        ["DRVE-T1", "Thôn 1", "thôn", "DRVE"],
        ["DRVE-KP2", "Khu phố 2", "khu phố", "DRVE"],
        ["DKOI-PLEI", "Plei Kon Skôi", "plei", "DKOI"],
    ],
    people("QNG", "DRVE"),
    [
        ["CB-IN", "Chi bộ thôn Một", "DRVE-T1", "", ""],
        ["CB-IN2", "Chi bộ khu phố Hai", "DRVE-KP2", "", ""],
        ["CB-OUT", "Chi bộ plei Kon Skôi", "DKOI-PLEI", "", ""],
    ],
    top="Quảng Ngãi", scoped="Đăk Rve", inside="Chi bộ thôn Một", outside="Đăk Kôi",
)
COMMUNE = Tree(
    "commune > village",
    Organisation("Đảng ủy xã Đăk Rve", "Văn phòng Đảng ủy xã"),
    [
        ["DRVE", "Đăk Rve", "xã", ""],
        ["DRVE-T1", "Thôn 1", "thôn", "DRVE"],
        ["DRVE-KP2", "Khu phố 2", "khu phố", "DRVE"],
        ["DRVE-BAN", "Bản Đăk Lâng", "bản", "DRVE"],
    ],
    people("DRVE", "DRVE-T1"),
    [
        ["CB-IN", "Chi bộ thôn Một", "DRVE-T1", "", ""],
        ["CB-IN2", "Chi bộ khu phố Hai", "DRVE-KP2", "", ""],
        ["CB-OUT", "Chi bộ bản Đăk Lâng", "DRVE-BAN", "", ""],
    ],
    top="Đăk Rve", scoped="Thôn 1", inside="Chi bộ thôn Một", outside="Đăk Lâng",
)
DISTRICT = Tree(
    "legacy district",
    Organisation("Huyện ủy Kon Rẫy", "Văn phòng Huyện ủy"),
    [
        ["KT", "Kon Tum", "tỉnh", ""],
        ["KR", "Kon Rẫy", "huyện", "KT"],
        ["KR-DRVE", "Đăk Rve", "thị trấn", "KR"],
        ["KR-DKOI", "Đăk Kôi", "xã", "KR"],
        ["KR-DRVE-T1", "Thôn 1", "thôn", "KR-DRVE"],
        ["KR-DRVE-T2", "Thôn 2", "thôn", "KR-DRVE"],
        ["KR-DKOI-T1", "Thôn 1", "thôn", "KR-DKOI"],
    ],
    people("KR", "KR-DRVE"),
    [
        ["CB-IN", "Chi bộ thôn Một", "KR-DRVE-T1", "", ""],
        ["CB-IN2", "Chi bộ thôn Hai", "KR-DRVE-T2", "", ""],
        ["CB-OUT", "Chi bộ thôn Một Đăk Kôi", "KR-DKOI-T1", "", ""],
    ],
    top="Kon Rẫy", scoped="Đăk Rve", inside="Chi bộ thôn Một", outside="Đăk Kôi",
)


@pytest.fixture(params=[PROVINCE, COMMUNE, DISTRICT], ids=lambda tree: tree.name)
def tree(request: pytest.FixtureRequest) -> Tree:
    return request.param


@pytest.fixture
async def tree_harness(tree: Tree, config: Config, clock: ManualClock, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on the tree's roster, for the tree's organisation; both admins linked."""
    configured = replace(config, organisation=tree.org)
    async with Database(configured.db_path) as db:
        await upgrade(db)
        await import_roster(db, write_roster(tmp_path / "roster", tree.sheets()), now=utc_stamp(clock.now()))
        for code, telegram_id in (("A0", TOP_ADMIN_TG), ("A1", SCOPED_ADMIN_TG)):
            cadre = await roster.cadre_by_code(db, code)
            assert cadre is not None
            async with db.transaction() as tx:
                await link_telegram(tx, cadre.id, telegram_id, utc_stamp(clock.now()))
    async with bot_with_simulator(configured, clock=clock, poll_timeout=1) as running:
        yield running


def app_db(harness: Harness) -> Database:
    return harness.application.bot_data.db


async def report_first_cell(chat: Chat, cell: str) -> None:
    await chat.send("/baocao")
    await chat.press(cell)
    await chat.press("Hôm nay")
    await chat.send("Nghị quyết Đại hội Đảng bộ xã")
    await chat.press("Tiếp")
    await chat.press("Không có kiến nghị")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")


async def test_every_tree_works_from_registration_to_reminder(
    tree: Tree, tree_harness: Harness, clock: ManualClock
) -> None:
    db = app_db(tree_harness)
    top = await scope.top_unit(db)
    assert top is not None and top.name == tree.top

    # registration: the member shares the phone on the roster, and is welcomed by the org
    member = Chat(tree_harness, MEMBER_TG, "Bình")
    await tree_harness.handled(await member.user.share_contact(MEMBER_PHONE))
    assert f"bot Báo cáo của {tree.org.name}" in member.text

    # a visit report
    await report_first_cell(member, tree.inside)
    assert member.text.startswith("✅ Đã lưu báo cáo số 1")

    # a scoped admin: limited to their unit, sees only its summary
    a1 = await roster.cadre_by_code(db, "A1")
    a0 = await roster.cadre_by_code(db, "A0")
    assert await scope.scope_of_admin(db, a0) is None
    assert await scope.scope_of_admin(db, a1) == (a1.unit_id if a1 else -1)
    scoped = Chat(tree_harness, SCOPED_ADMIN_TG, "Khánh")
    await scoped.send("/tonghop")
    scoped_summary = "\n".join(m.content for m in scoped.user.messages())
    assert tree.scoped in scoped_summary and "Đã dự sinh hoạt: 1/" in scoped_summary
    assert tree.outside not in scoped_summary

    # the top summary: the top admin's default scope is the top unit
    top_admin = Chat(tree_harness, TOP_ADMIN_TG, "Hà")
    await top_admin.send("/tonghop")
    summary = "\n".join(m.content for m in top_admin.user.messages())
    assert f"\n{tree.top}\n" in summary and "1/3" in summary

    # a reminder: the member still owes the second cell, and only that one
    clock.set(REMINDER_TIME)
    app = tree_harness.application

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    result = await reminders.sweep(app.bot, db, app.bot_data.config, clock, sleep=sleep)
    assert result.sent == 1
    assert "CB-IN2" not in member.text and "Đồng chí chưa báo cáo dự sinh hoạt" in member.text
    cell2 = next(row[1] for row in tree.cells if row[0] == "CB-IN2")
    assert f"{cell2} (" in member.text and f"{tree.inside} (" not in member.text
