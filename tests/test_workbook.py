"""The official quarterly workbook: /baocaoquy and `baocao report xlsx`, read back with
openpyxl and checked against the database and against /tonghop."""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bot.cli import main
from bot.harness import Harness
from domain.clock import VIETNAM, ManualClock, utc_stamp
from domain.quarters import Quarter
from handlers.quarterly import parse_quarter
from scheduler.summaries import load_summary
from scheduler.xlsx import FIRST_ROW, HEADER_ROW
from storage import audit, escalations, obligations, roster, scope
from storage.db import Database
from storage.reports import VisitReportInput, submit_visit
from storage.summaries import CommuneCoverage, percent
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat

Q4 = Quarter(2026, 4)
STATUS_LABELS = {"filed": "đã dự", "late": "nộp muộn", "excused": "được miễn", "due": "chưa dự"}


def app_db(harness: Harness) -> Database:
    return harness.application.bot_data.db


async def report_visit(chat: Chat, cell: str, *, issues: tuple[tuple[str, bool], ...] = ()) -> None:
    """A visit report through the bot, today, with the given (issue, escalated) pairs."""
    await chat.send("/baocao")
    await chat.press(cell)
    await chat.press("Hôm nay")
    await chat.send("Nghị quyết Đại hội Đảng bộ")
    await chat.press("Tiếp")
    if not issues:
        await chat.press("Không có kiến nghị")
    for text, escalate in issues:
        await chat.press("➕")
        await chat.send(text)
        await chat.press("⬆" if escalate else "✅")
    if issues:
        await chat.press("Tiếp")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    assert chat.text.startswith("✅ Đã lưu báo cáo số"), chat.text


async def file_on_behalf(admin: Chat, cadre: str, cell: str) -> None:
    await admin.send("/baocaothay")
    await admin.send(cadre)
    await admin.press(cadre)
    await admin.press(cell)
    await admin.press("Hôm qua")
    await admin.send("Chỉ thị 05")
    await admin.press("Tiếp")
    await admin.press("Không có kiến nghị")
    await admin.press("Bỏ qua")
    await admin.press("✅ Gửi")
    assert admin.text.startswith("✅ Đã lưu báo cáo số"), admin.text


async def seed(harness: Harness, clock: ManualClock) -> None:
    """Reports filed, on behalf, late and excused; issues settled, escalated and answered;
    a model update and an inspection."""
    db = app_db(harness)
    cadre = Chat(harness, CADRE_TG)
    await report_visit(cadre, "Chi bộ thôn 9", issues=(
        ("Đường vào thôn sạt lở, cần kinh phí sửa chữa khẩn cấp trước mùa mưa bão năm nay", True),
        ("Xin hỗ trợ giống lúa", False),
    ))
    admin = Chat(harness, ADMIN_TG)
    await file_on_behalf(admin, "Đỗ Minh Tuấn", "Chi bộ thôn 1")
    # A late report (filed for Q4 after it ended) and an excusal, as the other flows store them.
    cells = await roster.cell_ids_by_code(db)
    y_hoa = await roster.cadre_by_code(db, "CAN-007")
    await submit_visit(db, VisitReportInput(
        token="late-1", cadre_id=y_hoa.id, filed_by_id=y_hoa.id, cell_id=cells["CB-KR-DRUONG-T4"],
        meeting_date=date(2026, 11, 20), quarter="2026-Q4", late=True, disseminated="Chỉ thị 05", issues=(),
    ), now=utc_stamp(clock.now()))
    thang = await roster.cadre_by_code(db, "CAN-003")
    await obligations.excuse(
        db, cadre_id=thang.id, cell_id=None, starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 31),
        reason="Đi học lớp cao cấp lý luận chính trị", by=None, telegram_id=None, scope_unit_id=None,
        now=utc_stamp(clock.now()),
    )
    issue_id = await db.fetchval("SELECT id FROM visit_issues WHERE resolution = 'escalated'")
    clock.advance(timedelta(days=2))
    assert await escalations.answer(
        db, issue_id, "Huyện đã bố trí 200.000.000 đồng để sửa đường trong tháng 12.", by=None,
        telegram_id=ADMIN_TG, now=utc_stamp(clock.now()),
    )
    # An inspection by the admin.
    await admin.send("/mohinh")
    await admin.press("Kiểm tra (giám sát)")
    await admin.send("nuoc sach")
    await admin.press("Nước sạch vệ sinh môi trường")
    await admin.press("Chưa hiệu quả")
    await admin.send("Bể lọc hỏng, chưa sửa.")
    await admin.press("Chuyển đổi")
    await admin.press("Bỏ qua")
    await admin.press("✅ Gửi")


async def workbook_from_bot(chat: Chat, command: str = "/baocaoquy") -> openpyxl.Workbook:
    await chat.send(command)
    message = chat.screen
    assert message.kind == "document", message.text
    assert message.document_name == "bao-cao-2026-Q4.xlsx"
    return openpyxl.load_workbook(io.BytesIO(message.document_bytes))


def table(ws: Worksheet) -> list[tuple[object, ...]]:
    """The data rows (the totals row left out)."""
    rows = list(ws.iter_rows(min_row=FIRST_ROW, values_only=True))
    assert rows and rows[-1][0] == "Tổng cộng"
    return rows[:-1]


def shown_percent(ratio: float) -> int:
    """What Excel's 0% format shows: half rounded up."""
    return int(ratio * 100 + 0.5 + 1e-9)


async def test_the_workbook_agrees_with_the_database_and_with_tonghop(harness: Harness, clock: ManualClock) -> None:
    await seed(harness, clock)
    db = app_db(harness)
    admin = Chat(harness, ADMIN_TG)
    book = await workbook_from_bot(admin)
    assert book.sheetnames == [
        "Tổng hợp", "Chi tiết", "Kiến nghị", "Mô hình", "Tài liệu", "Họp chi bộ", "Theo dõi mô hình", "Đề xuất mô hình",
    ]
    assert "Báo cáo Quý IV/2026" in (admin.screen.caption or "")

    # --- Tổng hợp against /tonghop's own numbers and its text -------------------------------
    now = clock.now()
    district = await db.fetchval("SELECT id FROM units WHERE code = 'KR'")  # CAN-002's, as /tonghop's
    summary = await load_summary(db, district, Q4, now)
    ws = book["Tổng hợp"]
    rows = table(ws)
    by_unit = {row[0]: row for row in rows}
    expected: dict[str, CommuneCoverage] = {c.commune or "": c for c in summary.coverage}
    assert set(by_unit) == set(expected)
    await admin.send("/tonghop")
    tonghop = "\n".join(m.text or "" for m in admin.user.messages() if m.kind == "text")
    for name, c in expected.items():
        unit, assignments, filed, late, excused, due, ratio = by_unit[name]
        assert (filed, late, excused, due) == (c.filed, c.late, c.excused, c.due)
        assert assignments == c.filed + c.late + c.excused + c.due
        assert shown_percent(ratio) == c.percent
        assert f"• {name}: {c.done}/{c.owed} ({c.percent}%)" in tonghop
    druong = by_unit["Đăk Ruồng"]
    assert druong[1:6] == (14, 2, 1, 0, 11)  # thôn 9 and thôn 1 filed (one on behalf), thôn 4 late
    assert by_unit["Tân Lập"][4] == 1  # Lê Văn Thắng excused
    total = list(ws.iter_rows(min_row=FIRST_ROW + len(rows), max_row=FIRST_ROW + len(rows), values_only=True))[0]
    last = FIRST_ROW + len(rows) - 1
    assert total[1:6] == tuple(f"=SUM({col}{FIRST_ROW}:{col}{last})" for col in "BCDEF")
    assert total[6].startswith("=IF(")
    assert sum(r[1] for r in rows) == sum(c.filed + c.late + c.excused + c.due for c in summary.coverage)
    assert len(ws._charts) == 1

    # --- Chi tiết: one row per obligation, the same statuses -----------------------------------
    statuses = await obligations.statuses(
        db, quarter_key=Q4.key, first_day=Q4.first_day, last_day=Q4.last_day, as_of=now.date()
    )
    within = await scope.units_within(db, district)
    in_district = {row["id"] for row in await db.fetchall("SELECT id, unit_id FROM cells") if row["unit_id"] in within}
    statuses = [o for o in statuses if o.cell_id in in_district]
    codes = {row["id"]: row["code"] for row in await db.fetchall("SELECT id, code FROM cadres")}
    cell_names = {row["id"]: row["name"] for row in await db.fetchall("SELECT id, name FROM cells")}
    detail = table(book["Chi tiết"])
    assert len(detail) == len(statuses)
    assert {(r[2], r[1], r[4]) for r in detail} == {
        (codes[o.cadre_id], cell_names[o.cell_id], STATUS_LABELS[o.status.value]) for o in statuses
    }
    reports = {
        (r["code"], r["cell"]): r
        for r in await db.fetchall(
            """SELECT k.code, c.name AS cell, r.id, r.meeting_date, f.full_name AS filer, r.filed_by_id <> r.cadre_id AS other
               FROM visit_reports AS r JOIN cadres AS k ON k.id = r.cadre_id JOIN cells AS c ON c.id = r.cell_id
               JOIN cadres AS f ON f.id = r.filed_by_id"""
        )
    }
    assert len(reports) == 3
    for row in detail:
        stored = reports.get((row[2], row[1]))
        if stored is None:
            assert row[5:8] == (None, None, None)
            continue
        assert row[5] == datetime.fromisoformat(stored["meeting_date"])  # a real date
        assert row[6] == stored["id"]
        assert row[7] == (stored["filer"] if stored["other"] else None)
    tuan = next(r for r in detail if r[2] == "CAN-006" and r[1] == "Chi bộ thôn 1")
    assert tuan[4] == "đã dự" and tuan[7] == "Trần Thị Thu Hà"

    # --- Kiến nghị --------------------------------------------------------------------------
    issues = table(book["Kiến nghị"])
    assert len(issues) == await db.fetchval("SELECT count(*) FROM visit_issues")
    escalated = next(r for r in issues if r[6] == "Báo cáo Ban Thường vụ")
    assert escalated[5].startswith("Đường vào thôn sạt lở") and escalated[5].endswith("mưa bão năm nay")
    assert escalated[7] == "Đã trả lời" and escalated[8].startswith("Huyện đã bố trí 200.000.000 đồng")
    assert escalated[3] == datetime(2026, 11, 23) and escalated[9] == datetime(2026, 11, 25) and escalated[10] == 2
    settled = next(r for r in issues if r[6] == "Giải quyết tại chỗ")
    assert (settled[5], settled[7], settled[10]) == ("Xin hỗ trợ giống lúa", "Đã giải quyết", 0)

    # --- Mô hình ----------------------------------------------------------------------------
    models = table(book["Mô hình"])
    assert len(models) == 8  # Kon Rẫy's (Mộ Đức has three more)
    water = next(r for r in models if r[0] == "MH-NUOCSACH")
    assert water[2] == "Cơ sở" and water[4] == "Thôn 1"
    assert (water[6], water[8]) == ("Chưa hiệu quả", "Chuyển đổi")
    assert water[7] == datetime(2026, 11, 25) and water[10] == datetime(2026, 11, 25)
    assert next(r for r in models if r[0] == "MH-KDCVH")[2] == "Điểm cấp tỉnh"


async def test_every_sheet_is_laid_out_for_filing(harness: Harness, clock: ManualClock) -> None:
    await seed(harness, clock)
    book = await workbook_from_bot(Chat(harness, ADMIN_TG))
    for ws in book.worksheets:
        assert ws["A1"].value == "Đảng ủy"  # BAOCAO_ORG_NAME's default
        assert ws["A2"].value == "BÁO CÁO QUÝ IV/2026 — Kon Rẫy"
        assert ws["A3"].value.startswith("Lập ngày 25/11/2026.")
        assert ws.freeze_panes == f"A{FIRST_ROW}"
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        headers = [c.value for c in ws[HEADER_ROW]]
        assert all(headers) and all(c.font.bold for c in ws[HEADER_ROW])
        for row in ws.iter_rows(min_row=FIRST_ROW):
            for cell in row:
                if isinstance(cell.value, datetime):
                    assert cell.number_format == "DD/MM/YYYY"
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    width = ws.column_dimensions[cell.column_letter].width
                    assert len(cell.value) + 2 <= width or cell.alignment.wrap_text, (ws.title, cell.value)
    assert "Số ngày chờ" in [c.value for c in book["Kiến nghị"][HEADER_ROW]]


async def test_a_commune_admin_gets_their_commune_only(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    await report_visit(Chat(harness, CADRE_TG), "Chi bộ thôn 9", issues=(("Thiếu nước sinh hoạt", True),))
    commune = await db.fetchval("SELECT id FROM units WHERE code = 'KR-TLAP'")
    await db.execute("UPDATE cadres SET role = 'admin', unit_id = ?, telegram_id = 2099 WHERE code = 'CAN-010'",
                     (commune,))
    book = await workbook_from_bot(Chat(harness, 2099))
    assert book["Tổng hợp"]["A2"].value == "BÁO CÁO QUÝ IV/2026 — Tân Lập"
    assert [r[0] for r in table(book["Tổng hợp"])] == ["Tân Lập"]
    assert {r[0] for r in table(book["Chi tiết"])} == {"Tân Lập"}
    assert table(book["Kiến nghị"]) == []  # the issue was raised in Đăk Ruồng
    assert {r[0] for r in table(book["Mô hình"])} == {"MH-MATUY", "MH-ANTT"}


async def test_cadres_are_refused_and_logged_and_groups_are_told_to_ask_privately(
    harness: Harness, clock: ManualClock
) -> None:
    db = app_db(harness)
    cadre = Chat(harness, CADRE_TG)
    await cadre.send("/baocaoquy")
    assert cadre.screen.kind == "text" and "quản trị" in cadre.text
    assert [e.telegram_id for e in await audit.entries(db, action="denied.quarterly_report")] == [CADRE_TG]
    group = harness.simulator.group(-4100, "Huyện ủy")
    admin = harness.simulator.user(ADMIN_TG, "Hà")
    await harness.handled(await group.send_command(admin, "baocaoquy"))
    assert "Lệnh /baocaoquy làm trong trò chuyện riêng" in group.messages()[-1].content
    assert harness.simulator.calls("sendDocument") == []
    chat = Chat(harness, ADMIN_TG)
    await chat.send("/baocaoquy quý năm")
    assert "Không hiểu quý «quý năm»" in chat.text


def test_quarters_as_an_office_types_them() -> None:
    assert parse_quarter("2026-Q4") == parse_quarter("4/2026") == parse_quarter("IV/2026") == Q4
    assert parse_quarter("q3/2026") == Quarter(2026, 3)
    assert parse_quarter("5/2026") is None and parse_quarter("2026") is None


def test_percent_rounds_half_up_as_excel_shows_it() -> None:
    assert percent(1, 8) == 13 == shown_percent(1 / 8)  # Python's round() says 12
    assert percent(0, 0) == 100 and percent(1, 3) == 33 and percent(2, 3) == 67
    assert all(percent(d, o) == shown_percent(d / o) for o in range(1, 60) for d in range(o + 1))


async def test_the_cli_writes_the_same_workbook_for_a_unit(
    harness: Harness, clock: ManualClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = app_db(harness)
    await report_visit(Chat(harness, CADRE_TG), "Chi bộ thôn 9")
    monkeypatch.setenv("BAOCAO_DB", db.path)
    monkeypatch.setenv("BAOCAO_ORG_NAME", "Huyện ủy Kon Rẫy")
    out = tmp_path / "quy4.xlsx"
    code = await asyncio.to_thread(main, [  # the CLI runs its own event loop
        "report", "xlsx", "--quarter", "2026-Q4", "--unit", "KR-DRUONG", "--out", str(out), "--now", "2026-11-23T10:00"
    ])
    assert code == 0
    book = openpyxl.load_workbook(out)
    assert table(book["Tổng hợp"])[0][:7] == ("Đăk Ruồng", 14, 1, 0, 0, 13, pytest.approx(1 / 14))
    assert book["Tổng hợp"]["A1"].value == "Huyện ủy Kon Rẫy"
    assert book["Tổng hợp"]["A3"].value.startswith("Lập ngày 23/11/2026")
    assert await asyncio.to_thread(main, ["report", "xlsx", "--quarter", "2026-Q9", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert await asyncio.to_thread(main, ["report", "xlsx", "--unit", "NOWHERE", "--out", str(tmp_path / "y.xlsx")]) == 1
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "y.xlsx").exists()
