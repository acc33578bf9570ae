"""The top unit's group gets a summary that fits its reader (issue 15): coverage by the
units directly under it, the ten lowest communes, escalations and models, in at most
three messages, and no list of names; the due list by name is for the communes' groups."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.harness import Harness
from domain.clock import VIETNAM, ManualClock
from domain.quarters import Quarter
from scheduler import top_summary
from scheduler.summaries import load_summary, render
from storage.db import Database
from tests.test_summaries import file_visit

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def compact(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample district has a few communes; above one, its summary is the top one."""
    monkeypatch.setattr(top_summary, "COMPACT_ABOVE", 1)


async def district(db: Database) -> int:
    return int(await db.fetchval("SELECT id FROM units WHERE parent_id IS NULL"))


async def test_the_top_summary_has_coverage_by_unit_the_lowest_ten_escalations_and_models(
    harness: Harness, clock: ManualClock, compact: None
) -> None:
    db = harness.application.bot_data.db
    await file_visit(db, "CAN-001", "CB-KR-DRUONG-T9", NOW, issue="Đường vào thôn hỏng nặng")
    top = await district(db)
    summary = await load_summary(db, top, Quarter.of(NOW.date()), NOW)
    assert summary.children is not None and summary.due == []  # no list of names was read
    communes = await db.fetchall("SELECT name FROM units WHERE parent_id = ?", (top,))
    assert sorted(c.commune for c in summary.children) == sorted(row["name"] for row in communes)
    assert sum(c.owed for c in summary.children) == summary.total_owed  # every visit counted once

    messages = render(summary, "vi")
    text = "\n".join(messages)
    assert len(messages) <= 3
    assert "Theo đơn vị trực thuộc" in text and "có tỉ lệ thấp nhất" in text
    assert "danh sách từng người gửi về nhóm của từng xã" in text
    assert "Đường vào thôn hỏng nặng" in text  # open escalations, by age
    assert "Nguyễn Văn Hùng" not in text  # nobody's name: that is the communes' groups' list
    lowest = text.split("có tỉ lệ thấp nhất:")[1].split("\n\n")[0].strip().splitlines()
    assert 1 <= len(lowest) <= top_summary.LOWEST


async def test_a_commune_still_gets_its_due_list_by_name(harness: Harness, clock: ManualClock, compact: None) -> None:
    db = harness.application.bot_data.db
    commune = int(await db.fetchval("SELECT id FROM units WHERE code = 'KR-DRUONG'"))
    summary = await load_summary(db, commune, Quarter.of(NOW.date()), NOW)
    assert summary.children is None and summary.due
    assert "Nguyễn Văn Hùng" in "\n".join(render(summary, "vi"))


def test_communes_are_summed_by_the_unit_directly_under_the_scope() -> None:
    from storage.summaries import CommuneCoverage

    parents = {1: None, 10: 1, 11: 1, 100: 10, 101: 10, 110: 11}
    names = {10: "Huyện A", 11: "Huyện B"}
    coverage = [
        CommuneCoverage(100, "Xã 1", 1, 0, 0, 3), CommuneCoverage(101, "Xã 2", 2, 1, 1, 0),
        CommuneCoverage(110, "Xã 3", 0, 0, 0, 5),
    ]
    children = {c.commune: (c.filed, c.late, c.excused, c.due) for c in top_summary.by_child(coverage, parents, 1, names)}
    assert children == {"Huyện A": (3, 1, 1, 3), "Huyện B": (0, 0, 0, 5)}
    assert [c.commune for c in top_summary.lowest(coverage, 2)] == ["Xã 3", "Xã 1"]
