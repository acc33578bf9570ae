"""Each (cadre, cell, quarter) has one status: due, filed, late or excused."""

from __future__ import annotations

from datetime import date

from domain.quarters import Quarter
from storage import obligations, roster
from storage.db import Database
from storage.obligations import Status, TransferRule
from storage.reports import VisitReportInput, submit_visit
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat

Q4 = Quarter(2026, 4)
NOW = "2026-11-23T02:00:00Z"


async def ids(db: Database) -> tuple[int, int, int]:
    cadre = await roster.cadre_by_code(db, "CAN-001")
    cells = await roster.cell_ids_by_code(db)
    return cadre.id, cells["CB-KR-DRUONG-T9"], cells["CB-KR-DRUONG-T12"]


async def status_of(db: Database, cadre_id: int, cell_id: int, quarter: Quarter = Q4, as_of: date = date(2026, 11, 23)) -> Status | None:
    found = await obligations.statuses(
        db, quarter_key=quarter.key, first_day=quarter.first_day, last_day=quarter.last_day, as_of=as_of
    )
    return next((o.status for o in found if (o.cadre_id, o.cell_id) == (cadre_id, cell_id)), None)


async def report(db: Database, cadre_id: int, cell_id: int, day: date, *, late: bool, token: str) -> None:
    await submit_visit(
        db,
        VisitReportInput(token=token, cadre_id=cadre_id, filed_by_id=cadre_id, cell_id=cell_id, meeting_date=day,
                         quarter=Quarter.of(day).key, late=late, disseminated="x"),
        now=NOW,
    )


async def test_the_four_statuses(roster_db: Database) -> None:
    cadre, t9, t12 = await ids(roster_db)
    assert await status_of(roster_db, cadre, t9) is Status.DUE
    await report(roster_db, cadre, t9, date(2026, 11, 20), late=False, token="a")
    assert await status_of(roster_db, cadre, t9) is Status.FILED
    await obligations.excuse(roster_db, cadre_id=cadre, cell_id=None, starts_on=date(2026, 11, 23),
                             ends_on=date(2026, 12, 31), reason="nghỉ ốm", by=None, telegram_id=None,
                             scope_unit_id=None, now=NOW)
    assert await status_of(roster_db, cadre, t12) is Status.EXCUSED
    assert await status_of(roster_db, cadre, t9) is Status.FILED  # a report wins over an excusal
    q3 = Quarter(2026, 3)
    assert await status_of(roster_db, cadre, t12, q3, date(2026, 11, 23)) is Status.DUE
    await report(roster_db, cadre, t12, date(2026, 9, 28), late=True, token="b")
    assert await status_of(roster_db, cadre, t12, q3, date(2026, 11, 23)) is Status.LATE


async def test_transfer_rules(roster_db: Database) -> None:
    cadre, t9, _ = await ids(roster_db)
    # The cadre left cell 9 on 15/11 (a transfer in the middle of Q4).
    await roster_db.execute("UPDATE assignments SET ends_on = '2026-11-15' WHERE cadre_id = ? AND cell_id = ?", (cadre, t9))
    for rule, owed in ((TransferRule.ANY_DAY, True), (TransferRule.AT_END, False), (TransferRule.HALF, True)):
        await obligations.set_transfer_rule(roster_db, rule, by=None, telegram_id=None, now=NOW)
        assert (await status_of(roster_db, cadre, t9) is not None) is owed, rule
    await roster_db.execute("UPDATE assignments SET ends_on = '2026-10-20' WHERE cadre_id = ? AND cell_id = ?", (cadre, t9))
    assert await status_of(roster_db, cadre, t9) is None  # 20 days of 92: not half


async def test_admin_excuses_a_cadre_who_is_told(harness, roster_db: Database) -> None:
    cadre_chat = Chat(harness, CADRE_TG)
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/mienbaocao")
    await admin.send("hung")
    await admin.press("Nguyễn Văn Hùng")
    await admin.press("Tất cả chi bộ")
    await admin.press("Hết Quý IV/2026")
    await admin.send("Nghỉ ốm")
    assert "Lý do: Nghỉ ốm" in admin.text
    await admin.press("✅ Xác nhận")
    assert "Đã miễn cho Nguyễn Văn Hùng đến 31/12/2026" in admin.text
    assert "được miễn dự sinh hoạt tất cả chi bộ đến hết ngày 31/12/2026" in cadre_chat.text
    cadre, t9, t12 = await ids(roster_db)
    assert await status_of(roster_db, cadre, t9) is Status.EXCUSED
    # Listed, and revocable.
    await admin.send("/mienbaocao")
    assert "Nguyễn Văn Hùng — tất cả chi bộ, đến 31/12/2026: Nghỉ ốm" in admin.text
    await admin.press("↩ Bỏ miễn")
    assert await status_of(roster_db, cadre, t9) is Status.DUE


async def test_days_off_and_rule_commands(harness, roster_db: Database) -> None:
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/ngaynghi 05/12/2026 Lễ hội địa phương")
    assert "• 05/12/2026 — nghỉ địa phương" in admin.text and "• 24/11/2026 — ngày lễ" in admin.text
    assert await obligations.local_days_off(roster_db) == [date(2026, 12, 5)]
    await admin.send("/ngaynghi xoa 05/12/2026")
    assert await obligations.local_days_off(roster_db) == []
    await admin.send("/quytac")
    await admin.press("○ Chỉ khi còn được phân công đến cuối quý")
    assert await obligations.transfer_rule(roster_db) is TransferRule.AT_END
    cadre = Chat(harness, CADRE_TG)
    assert "chỉ dành cho quản trị viên" in (await cadre.send("/mienbaocao")).text
    assert "chỉ dành cho quản trị viên" in (await cadre.send("/ngaynghi")).text
