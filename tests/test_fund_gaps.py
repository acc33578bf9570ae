"""The savings fund's gaps (issue 14 part 1): admins in scope are asked about an aid
proposed and the treasurer is told the decision, once, on the messenger used last; a
reversal's reason is chosen or typed; a treasurer may be an admin too; the migration
that made the treasurer a column leaves a database of the earlier 0023 right.

The real Application on the simulator, the real SQLite ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels import TELEGRAM, ZALO, link_applications
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from bot.simulator import TelegramSimulator
from domain.clock import ManualClock
from storage import audit, fund, migrate
from storage.db import Database
from storage.migrate import Migration, available_migrations, upgrade
from tests.channels import ZaloChat, link_on_zalo, zalo_id
from tests.conftest import ADMIN_CODE, ADMIN_TG
from tests.helpers import Chat
from tests.test_fund import NOW, TREASURER_TG, app_db, make_treasurer, unit_id

COMMUNE_ADMIN_TG = 3101  # an admin of a commune: the district's fund is outside their scope
ASKED = "Đề xuất hỗ trợ #"
TOLD = "đã được duyệt"


def asked(chat: Chat) -> list[str]:
    return [m.text or "" for m in chat.user.messages() if ASKED in (m.text or "")]


async def fill(db: Database, unit: int, amount: int = 2000, count: int = 10) -> None:
    cadres = [row["id"] for row in await db.fetchall("SELECT id FROM cadres WHERE unit_id = ? LIMIT ?", (unit, count))]
    await fund.record_contributions(db, unit_id=unit, month="2026-11", cadre_ids=cadres, amount=amount, token="fill",
                                    by=None, telegram_id=None, now=NOW)


async def propose_with_double_tap(harness: Harness, treasurer: Chat, who: str, amount: str) -> None:
    await treasurer.send("/tietkiem")
    await treasurer.press("🤝 Đề xuất hỗ trợ")
    await treasurer.press("Hộ nghèo")
    await treasurer.send(who)
    await treasurer.send("Nhà bị sập do bão")
    await treasurer.send(amount)
    review = treasurer.keyboard
    label = next(b for b in treasurer.buttons if b.startswith("📨"))
    first = await treasurer.user.press(label, message=review)
    second = await treasurer.user.press(label, message=review)  # the double tap, before any answer
    await harness.handled(first)
    await harness.handled(second)


async def test_admins_in_scope_are_asked_once_and_the_treasurer_is_told_once(harness: Harness) -> None:
    db = app_db(harness)
    unit = await make_treasurer(harness, "CAN-006", TREASURER_TG)
    await fill(db, unit)
    await db.execute(
        """UPDATE cadres SET role = 'admin', telegram_id = ?, unit_id = (SELECT id FROM units WHERE code = 'KR-TLAP')
           WHERE code = 'CAN-027'""", (COMMUNE_ADMIN_TG,))
    treasurer, admin, commune_admin = Chat(harness, TREASURER_TG), Chat(harness, ADMIN_TG), Chat(harness, COMMUNE_ADMIN_TG)
    harness.simulator.user(COMMUNE_ADMIN_TG, "CAN-027")

    await propose_with_double_tap(harness, treasurer, "Hộ ông Nguyễn Văn A, thôn 3", "15.000")
    assert await db.fetchval("SELECT count(*) FROM fund_ledger WHERE kind = 'aid_proposed'") == 1
    [question] = asked(admin)  # once, though the treasurer tapped twice
    assert "Hộ ông Nguyễn Văn A" in question and "15.000 đ" in question and "Số dư quỹ: 20.000 đ" in question
    assert not asked(commune_admin)  # the district's fund is outside a commune admin's scope
    assert {"✅ Duyệt", "✖ Không duyệt"} <= {b.split(" #")[0] for b in admin.keyboard.buttons()[0]}

    message = admin.keyboard
    label = next(b for row in message.buttons() for b in row if b.startswith("✅ Duyệt"))
    first = await admin.user.press(label, message=message)
    second = await admin.user.press(label, message=message)  # the admin's double tap
    await harness.handled(first)
    await harness.handled(second)
    assert await db.fetchval("SELECT count(*) FROM fund_ledger WHERE kind = 'aid_approved'") == 1
    assert await fund.balance(db, unit) == 5_000
    told = [m.text or "" for m in treasurer.user.messages() if TOLD in (m.text or "")]
    number = await db.fetchval("SELECT id FROM fund_ledger WHERE kind = 'aid_proposed'")
    assert told == [f"✅ Đề xuất hỗ trợ #{number} (Hộ ông Nguyễn Văn A, thôn 3, 15.000 đ) đã được duyệt. Số dư quỹ: 5.000 đ."]
    assert len(await audit.entries(db, action="fund.aid_approved")) == 1


async def test_a_refusal_is_told_to_the_treasurer(harness: Harness) -> None:
    db = app_db(harness)
    await make_treasurer(harness, "CAN-006", TREASURER_TG)
    treasurer, admin = Chat(harness, TREASURER_TG), Chat(harness, ADMIN_TG)
    await propose_with_double_tap(harness, treasurer, "Đảng viên Lê Thị B", "5k")
    await admin.press("✖ Không duyệt")
    assert "Đã ghi: không duyệt đề xuất #" in admin.text
    assert any("không được duyệt" in (m.text or "") for m in treasurer.user.messages())
    assert await db.fetchval("SELECT count(*) FROM fund_ledger WHERE kind = 'aid_refused'") == 1


@pytest.fixture
async def both(config: Config, clock: ManualClock, roster_db: Database):  # type: ignore[no-untyped-def]
    """Telegram and Zalo in one process, one database (as tests/test_two_messengers.py)."""
    await link_on_zalo(roster_db, ADMIN_CODE, zalo_id(ADMIN_TG))
    await roster_db.execute("UPDATE accounts SET last_used_at = '2026-09-01T00:00:00Z'")
    async with TelegramSimulator() as sim:
        async with (
            bot_with_simulator(config, clock=clock, simulator=sim, poll_timeout=1, channel=TELEGRAM) as telegram,
            bot_with_simulator(config, clock=clock, simulator=sim, poll_timeout=1, channel=ZALO) as zalo,
        ):
            link_applications([telegram.application, zalo.application])
            yield telegram, zalo


async def test_the_admin_is_asked_on_the_messenger_used_last_and_decides_there(both) -> None:  # type: ignore[no-untyped-def]
    telegram, zalo = both
    db = app_db(telegram)
    unit = await make_treasurer(telegram, "CAN-006", TREASURER_TG)
    await fill(db, unit)
    admin_on_zalo, admin_on_telegram = ZaloChat(zalo, zalo_id(ADMIN_TG), "Hà"), Chat(telegram, ADMIN_TG, "Hà")
    await admin_on_zalo.send("/quy")  # the admin used Zalo last
    await propose_with_double_tap(telegram, Chat(telegram, TREASURER_TG), "Hộ bà C", "12.000")
    assert not asked(admin_on_telegram)
    questions = [m.content for m in admin_on_zalo.user.messages() if ASKED in m.content]
    assert len(questions) == 1 and "Hộ bà C" in questions[0]
    await admin_on_zalo.press("✅ Duyệt")  # typing the choice's number
    assert await fund.balance(db, unit) == 8_000
    assert any(TOLD in (m.text or "") for m in Chat(telegram, TREASURER_TG).user.messages())


async def test_a_reversal_takes_a_chosen_or_a_typed_reason(harness: Harness) -> None:
    db = app_db(harness)
    unit = await make_treasurer(harness, "CAN-006", TREASURER_TG)
    await fill(db, unit, count=3)
    treasurer = Chat(harness, TREASURER_TG)
    await treasurer.send("/tietkiem")
    await treasurer.press("↩️ Sửa sai")
    await treasurer.press("#")
    assert "Lý do?" in treasurer.text and "Thực tế chưa nộp" in treasurer.buttons
    assert await db.fetchval("SELECT count(*) FROM fund_ledger WHERE kind = 'reversal'") == 0  # nothing yet
    await treasurer.press("Ghi nhầm tháng")
    assert "lý do: Ghi nhầm tháng" in treasurer.text and "Số dư quỹ: 4.000 đ" in treasurer.text

    await treasurer.send("/tietkiem")
    await treasurer.press("↩️ Sửa sai")
    await treasurer.press("#")
    await treasurer.send("Cán bộ đã chuyển công tác từ tháng 10")
    assert "lý do: Cán bộ đã chuyển công tác từ tháng 10" in treasurer.text
    reasons = [r["reason"] for r in await db.fetchall("SELECT reason FROM fund_ledger WHERE kind = 'reversal' ORDER BY id")]
    assert reasons == ["wrong_month", "Cán bộ đã chuyển công tác từ tháng 10"]
    assert await fund.balance(db, unit) == 2_000
    assert len(await audit.entries(db, action="fund.reversal")) == 2


async def test_a_treasurer_who_is_an_admin_keeps_the_fund_but_does_not_approve_their_own_aid(harness: Harness) -> None:
    db = app_db(harness)
    await db.execute("UPDATE cadres SET treasurer = 1 WHERE code = ?", (ADMIN_CODE,))
    unit = await unit_id(db, "KR")
    await fill(db, unit)
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/tietkiem")
    assert "QUỸ TIẾT KIỆM" in admin.text  # an admin who keeps the fund records it
    await propose_with_double_tap(harness, admin, "Hộ bà D", "10.000")
    assert not asked(admin)  # not asked to decide their own proposal
    await admin.send("/quy")
    await admin.press("✅ Duyệt")
    assert "một quản trị khác sẽ duyệt" in admin.text
    assert await audit.entries(db, action="denied.fund_decide_own")
    assert await db.fetchval("SELECT count(*) FROM fund_ledger WHERE kind = 'aid_approved'") == 0


async def test_a_database_at_the_earlier_0023_ends_like_a_fresh_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The earlier 0023 widened the role CHECK with writable_schema; 0026 moves its
    treasurers to the column and the fund goes on."""
    shipped = available_migrations()
    earlier_0023 = next(m for m in shipped if m.version == 23)
    widened = """PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (role IN (''cadre'', ''secretary'', ''admin''))',
                       'CHECK (role IN (''cadre'', ''secretary'', ''admin'', ''treasurer''))')
WHERE type = 'table' AND name = 'cadres';
PRAGMA writable_schema = RESET;
"""
    old = [m for m in shipped if m.version < 23] + [Migration(23, "fund", widened + earlier_0023.sql)]
    async with Database(tmp_path / "old.sqlite3") as db:
        monkeypatch.setattr(migrate, "available_migrations", lambda: old)
        await upgrade(db)
        await db.execute("INSERT INTO units (code, name, kind, updated_at) VALUES ('KR', 'Huyện Kon Rẫy', 'district', ?)",
                         (NOW,))
        await db.execute("""INSERT INTO cadres (code, full_name, role, unit_id, updated_at)
                            VALUES ('CAN-006', 'Đỗ Minh Tuấn', 'treasurer', (SELECT id FROM units), ?)""", (NOW,))
        monkeypatch.setattr(migrate, "available_migrations", lambda: shipped)
        applied = await upgrade(db)
        assert 26 in [m.version for m in applied] and 23 not in [m.version for m in applied]
        row = await db.fetchone("SELECT role, treasurer FROM cadres WHERE code = 'CAN-006'")
        assert (row["role"], row["treasurer"]) == ("cadre", 1)
        assert await fund.treasurer_units(db) == [(await unit_id(db, "KR"), "KR", "Huyện Kon Rẫy")]
        assert (await db.fetchall("PRAGMA foreign_key_check")) == []
    async with Database(tmp_path / "fresh.sqlite3") as fresh:
        await upgrade(fresh)
        sql = await fresh.fetchval("SELECT sql FROM sqlite_schema WHERE name = 'cadres'")
        assert "'treasurer'" not in sql.split("treasurer INTEGER")[0]  # the roles' CHECK is the first one's
        with pytest.raises(Exception, match="CHECK"):
            await fresh.execute("INSERT INTO cadres (code, full_name, role, updated_at) VALUES ('X', 'X', 'treasurer', ?)",
                                (NOW,))
