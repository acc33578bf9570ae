"""The savings fund: /tietkiem in bulk, aid proposed and approved, reversals, /quy and
/cuatoi — the real Application on the simulator and the real SQLite ledger."""

from __future__ import annotations

import asyncio
import io
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from bot.harness import Harness
from domain.money import AmountError, format_dong, parse_dong
from scheduler.xlsx import FIRST_ROW
from storage import audit, fund, scope
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat, forge_callback

TREASURER_TG, SECOND_TREASURER_TG = 3001, 3002
NOW = "2026-11-23T02:00:00Z"


def app_db(harness: Harness) -> Database:
    return harness.application.bot_data.db


async def make_treasurer(harness: Harness, code: str, telegram_id: int, unit_code: str = "KR") -> int:
    db = app_db(harness)
    await db.execute(
        """UPDATE cadres SET treasurer = 1, telegram_id = ?, unit_id = (SELECT id FROM units WHERE code = ?)
           WHERE code = ?""",
        (telegram_id, unit_code, code),
    )
    harness.simulator.user(telegram_id, code)
    return int(await db.fetchval("SELECT unit_id FROM cadres WHERE code = ?", (code,)))


async def unit_id(db: Database, code: str) -> int:
    return int(await db.fetchval("SELECT id FROM units WHERE code = ?", (code,)))


def test_amounts_are_whole_dong_and_decimals_are_refused() -> None:
    for text in ("5000", "5.000", "5.000 đ", "5,000đ", "5k", "5 000"):
        amount = parse_dong(text)
        assert amount == 5000 and type(amount) is int
    for text, reason in (("5,5", "decimal"), ("2.5k", "decimal"), ("0", "invalid"), ("năm nghìn", "invalid"), (" ", "empty")):
        with pytest.raises(AmountError) as error:
            parse_dong(text)
        assert error.value.reason == reason
    assert format_dong(5000) == "5.000 đ" and format_dong(1_250_000) == "1.250.000 đ"
    with pytest.raises(TypeError):
        format_dong(5000.0)  # type: ignore[arg-type]


async def test_all_paid_except_one_records_in_one_confirm_and_a_double_tap_records_once(harness: Harness) -> None:
    db = app_db(harness)
    unit = await make_treasurer(harness, "CAN-006", TREASURER_TG)
    members = await scope.cadres_in_scope(db, unit)
    treasurer = Chat(harness, TREASURER_TG)
    await treasurer.send("/tietkiem")
    assert "QUỸ TIẾT KIỆM — Kon Rẫy" in treasurer.text and "Số dư: 0 đ" in treasurer.text
    await treasurer.press("Tháng 11/2026")
    assert f"đã ghi 0/{len(members)} người" in treasurer.text
    await treasurer.press(f"✔️ {members[0].full_name}")  # the one who has not paid
    assert f"✖ {members[0].full_name} (chưa nộp)" in treasurer.buttons
    paying = len(members) - 1
    assert f"Sẽ ghi: {paying} người × 2.000 đ = {format_dong(2000 * paying)}" in treasurer.text

    confirm = treasurer.keyboard
    label = next(b for b in treasurer.buttons if b.startswith("✅ Xác nhận"))
    first = await treasurer.user.press(label, message=confirm)
    second = await treasurer.user.press(label, message=confirm)  # the double tap, before any answer
    await harness.handled(first)
    await harness.handled(second)

    rows = await db.fetchall("SELECT cadre_id, amount, typeof(amount) AS type FROM fund_ledger WHERE kind = 'contribution'")
    assert len(rows) == paying
    assert {r["type"] for r in rows} == {"integer"} and {r["amount"] for r in rows} == {2000}
    assert members[0].id not in {r["cadre_id"] for r in rows}
    assert await fund.balance(db, unit) == 2000 * paying
    assert any(f"Đã ghi tháng 11/2026: {paying} người" in (m.text or "") for m in treasurer.user.messages())
    [entry] = await audit.entries(db, action="fund.contributions")
    assert entry.details == {"month": "2026-11", "cadres": paying, "amount": 2000}


async def test_the_same_token_twice_at_once_records_once(roster_db: Database) -> None:
    unit = await unit_id(roster_db, "KR")
    cadres = [c.id for c in await scope.cadres_in_scope(roster_db, unit)][:5]
    results = await asyncio.gather(*(
        fund.record_contributions(roster_db, unit_id=unit, month="2026-11", cadre_ids=cadres, amount=5000,
                                  token="tok", by=None, telegram_id=None, now=NOW)
        for _ in range(2)
    ))
    assert sorted(results) == [(5, False), (5, True)]
    assert await fund.balance(roster_db, unit) == 25_000


async def test_two_treasurers_confirming_at_the_same_time_lose_nothing(roster_db: Database) -> None:
    district, commune = await unit_id(roster_db, "KR"), await unit_id(roster_db, "KR-TLAP")
    district_cadres = [c.id for c in await scope.cadres_in_scope(roster_db, district)]
    commune_cadres = [c.id for c in await scope.cadres_in_scope(roster_db, commune)]
    half = len(district_cadres) // 2
    await asyncio.gather(
        fund.record_contributions(roster_db, unit_id=district, month="2026-11", cadre_ids=district_cadres[: half + 2],
                                  amount=2000, token="a", by=None, telegram_id=None, now=NOW),
        fund.record_contributions(roster_db, unit_id=district, month="2026-11", cadre_ids=district_cadres[half:],
                                  amount=2000, token="b", by=None, telegram_id=None, now=NOW),
        fund.record_contributions(roster_db, unit_id=commune, month="2026-11", cadre_ids=commune_cadres,
                                  amount=5000, token="c", by=None, telegram_id=None, now=NOW),
    )
    # Every cadre of the district once (the two overlapping are not counted twice), the commune apart.
    assert await fund.paid(roster_db, district, "2026-11") == set(district_cadres)
    assert await fund.balance(roster_db, district) == 2000 * len(district_cadres)
    assert await fund.balance(roster_db, commune) == 5000 * len(commune_cadres)


async def propose(treasurer: Chat, who: str, amount: str) -> None:
    await treasurer.send("/tietkiem")
    await treasurer.press("🤝 Đề xuất hỗ trợ")
    await treasurer.press("Hộ nghèo")
    await treasurer.send(who)
    await treasurer.send("Nhà bị sập do bão")
    await treasurer.send("1,5")
    assert "không có số lẻ" in treasurer.text
    await treasurer.send(amount)
    assert "Gửi để quản trị duyệt?" in treasurer.text
    await treasurer.press("📨 Gửi đề xuất")
    assert "Đã ghi đề xuất số" in treasurer.text


async def test_an_overdraw_is_refused_an_approval_pays_and_a_reversal_restores_the_balance(harness: Harness) -> None:
    db = app_db(harness)
    unit = await make_treasurer(harness, "CAN-006", TREASURER_TG)
    cadres = [c.id for c in await scope.cadres_in_scope(db, unit)][:10]
    await fund.record_contributions(db, unit_id=unit, month="2026-11", cadre_ids=cadres, amount=2000, token="t",
                                    by=None, telegram_id=None, now=NOW)
    treasurer, admin = Chat(harness, TREASURER_TG), Chat(harness, ADMIN_TG)
    await propose(treasurer, "Hộ ông Nguyễn Văn A, thôn 3", "500k")  # more than the 20.000 đ held
    await admin.send("/quy")
    assert "số dư 20.000 đ" in admin.text and "500.000 đ" in admin.text
    await admin.press("✅ Duyệt")
    assert "Chưa duyệt được" in admin.text and "Số dư không được âm" in admin.text
    assert await fund.balance(db, unit) == 20_000
    assert await db.fetchval("SELECT count(*) FROM fund_ledger WHERE kind = 'aid_approved'") == 0
    assert await audit.entries(db, action="fund.overdraw_refused")

    await propose(treasurer, "Đảng viên Lê Thị B", "15.000 đ")
    await admin.send("/quy")
    approvals = [b for b in admin.buttons if b.startswith("✅ Duyệt")]
    assert len(approvals) == 2  # the refused overdraw is still open; the new one after it
    await admin.press(approvals[-1])
    assert "Đã duyệt đề xuất" in admin.text and "Số dư quỹ: 5.000 đ" in admin.text
    assert await fund.balance(db, unit) == 5_000
    await admin.send("/quy")
    assert "Đảng viên Lê Thị B" in admin.text and "15.000 đ" in admin.text

    await treasurer.send("/tietkiem")
    await treasurer.press("↩️ Sửa sai")
    await treasurer.press("#")  # the newest entry first: the aid
    await treasurer.press("Tiền hỗ trợ được hoàn lại quỹ")
    assert "Đã ghi bút toán đảo" in treasurer.text and "Số dư quỹ: 20.000 đ" in treasurer.text
    assert await fund.balance(db, unit) == 20_000
    assert await db.fetchval("SELECT count(*) FROM fund_ledger WHERE kind = 'reversal'") == 1
    assert await audit.entries(db, action="fund.reversal")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("UPDATE fund_ledger SET amount = 0")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("DELETE FROM fund_ledger")


async def test_non_treasurers_and_non_admins_are_refused_and_audited(harness: Harness) -> None:
    db = app_db(harness)
    unit = await make_treasurer(harness, "CAN-006", TREASURER_TG)
    cadre = Chat(harness, CADRE_TG)
    await cadre.send("/tietkiem")
    assert "Chỉ thủ quỹ" in cadre.text
    assert await audit.entries(db, action="denied.fund_treasurer")
    proposal_id, _ = await fund.propose_aid(
        db, fund.NewAid(unit, "member", "X", "ốm", 1000, "tok"), by=None, telegram_id=None, now=NOW)
    await forge_callback(harness, CADRE_TG, f"fq:ok:{proposal_id}", cadre.screen.message_id)
    assert await audit.entries(db, action="denied.fund_decide")
    await forge_callback(harness, TREASURER_TG, f"fq:ok:{proposal_id}", 1)
    assert len(await audit.entries(db, action="denied.fund_decide")) == 2
    assert await db.fetchval("SELECT count(*) FROM fund_ledger WHERE decides_id IS NOT NULL") == 0


async def test_a_cadre_sees_their_months_in_cuatoi_and_the_rate_is_per_unit(harness: Harness) -> None:
    db = app_db(harness)
    unit = await make_treasurer(harness, "CAN-006", TREASURER_TG)
    me = int(await db.fetchval("SELECT id FROM cadres WHERE telegram_id = ?", (CADRE_TG,)))
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/mucquy KR 5.000 đ")
    assert "5.000 đ/người/tháng" in admin.text
    [entry] = await audit.entries(db, action="fund.rate")
    assert entry.details == {"old": None, "new": 5000}
    treasurer = Chat(harness, TREASURER_TG)
    await treasurer.send("/tietkiem")
    await treasurer.press("Tháng 10/2026")
    await treasurer.press("✅ Xác nhận")
    assert await fund.months_of(db, me) == [("2026-10", 5000)]
    assert await fund.rate(db, unit, 2000) == 5000
    cadre = Chat(harness, CADRE_TG)
    await cadre.send("/cuatoi")
    assert "Tiết kiệm đã nộp: 10/2026 (5.000 đ)" in cadre.text
    await cadre.send("/mucquy KR 1k")  # not a top-unit admin
    assert await fund.rate(db, unit, 2000) == 5000


async def test_the_export_has_contributions_by_cadre_and_month_aid_and_balances(roster_db: Database) -> None:
    from datetime import datetime

    from domain.clock import VIETNAM
    from scheduler import fund_workbook

    unit = await unit_id(roster_db, "KR")
    cadres = [c.id for c in await scope.cadres_in_scope(roster_db, unit)][:3]
    for month, token in (("2026-10", "a"), ("2026-11", "b")):
        await fund.record_contributions(roster_db, unit_id=unit, month=month, cadre_ids=cadres, amount=5000,
                                        token=token, by=None, telegram_id=None, now=NOW)
    proposal, _ = await fund.propose_aid(roster_db, fund.NewAid(unit, "household", "Hộ bà C", "bão", 12_000, "p"),
                                         by=None, telegram_id=None, now=NOW)
    assert (await fund.decide(roster_db, proposal, approve=True, by=None, telegram_id=None, now=NOW))[1] == 18_000
    ledger = await fund_workbook.load(roster_db, None, datetime(2026, 11, 23, 9, tzinfo=VIETNAM), "Huyện ủy Kon Rẫy")
    book = openpyxl.load_workbook(io.BytesIO(fund_workbook.to_bytes(ledger, VIETNAM)))
    assert book.sheetnames == ["Đóng góp", "Hỗ trợ", "Số dư"]
    contributions = [r for r in book["Đóng góp"].iter_rows(min_row=FIRST_ROW, values_only=True)]
    assert len(contributions) == 3 and all(r[2:] == (5000, 5000, 10000) for r in contributions)
    assert all(type(v) is int for r in contributions for v in r[2:])
    [aid] = book["Hỗ trợ"].iter_rows(min_row=FIRST_ROW, values_only=True)
    assert aid[4] == "Hộ bà C" and aid[6] == 12_000 and aid[7] == "Đã chi"
    [balance] = book["Số dư"].iter_rows(min_row=FIRST_ROW, values_only=True)
    assert balance[1:] == ("11/2026", 30_000, 12_000, 18_000)


def test_baocao_fund_xlsx_writes_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main
    from tests.conftest import SAMPLE_ROSTER

    monkeypatch.setenv("BAOCAO_DB", str(tmp_path / "cli.sqlite3"))
    monkeypatch.delenv("BAOCAO_TELEGRAM_TOKEN", raising=False)
    assert main(["import", str(SAMPLE_ROSTER)]) == 0
    with sqlite3.connect(tmp_path / "cli.sqlite3") as conn:
        conn.execute("UPDATE cadres SET treasurer = 1 WHERE code = 'CAN-006'")
    out = tmp_path / "quy.xlsx"
    assert main(["fund", "xlsx", "--unit", "KR", "--out", str(out)]) == 0
    assert "1 fund(s), 0 ledger entries written" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames == ["Đóng góp", "Hỗ trợ", "Số dư"]
    assert main(["fund", "xlsx", "--unit", "NOWHERE", "--out", str(out)]) == 1
