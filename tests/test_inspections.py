"""Model inspections on a schedule (issue 14 part 2) end to end: the real Application on
the simulator, the sample roster in SQLite, a ManualClock moved between sweeps."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.harness import Harness
from domain import inspections as rule
from domain.callbacks import CB_INSPECT_MODEL
from domain.clock import VIETNAM, ManualClock, utc_stamp
from domain.quarters import Quarter
from scheduler import inspections as sweeper
from storage import audit, inspection_reminders, inspections, migrate, model_updates, roster
from storage.db import Database
from storage.registration import link_telegram
from tests.conftest import ADMIN_TG, CADRE_CODE, CADRE_TG
from tests.helpers import Chat, forge_callback

MODEL = "MH-ATGT"  # «Khu dân cư đảm bảo an toàn giao thông», at villages of Đăk Ruồng
COMMUNE_ADMIN_TG = 1035  # CAN-035, an admin made of commune Tân Lập only


class ClockSleep:
    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock

    async def __call__(self, seconds: float) -> None:
        self.clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)


async def model_id(db: Database, code: str = MODEL) -> int:
    return int(await db.fetchval("SELECT id FROM models WHERE code = ?", (code,)))


async def sweep(harness: Harness, clock: ManualClock) -> sweeper.InspectionSweep:
    app = harness.application
    return await sweeper.sweep(app.bot, app.bot_data.db, app.bot_data.config, clock, sleep=ClockSleep(clock))


def reminders_to(harness: Harness, user_id: int) -> list[str]:
    user = harness.simulator.user(user_id, "Hùng")
    return [m.text or "" for m in user.messages() if (m.text or "").startswith("🔍 Đến hạn kiểm tra")]


async def assign_inspector(harness: Harness) -> None:
    """The admin assigns CAN-001 (linked as CADRE_TG) to inspect MH-ATGT."""
    harness.simulator.user(CADRE_TG, "Hùng")
    admin = Chat(harness, ADMIN_TG)
    await admin.send(f"/nguoikiemtra {MODEL.lower()} {CADRE_CODE}")
    assert admin.text.startswith("✅ Người kiểm tra mô hình «Khu dân cư đảm bảo an toàn giao thông»")


def test_the_due_rule() -> None:
    assert rule.interval(4) == timedelta(days=92) and rule.interval(1) == timedelta(days=365)
    today = date(2026, 11, 23)
    never = rule.due(None, 4, today)
    assert never is not None and never.since is None and never.period == date(2026, 10, 4)  # 1 Jan + 3 × 92 days
    assert rule.due(today - timedelta(days=91), 4, today) is None  # inspected within the plan
    late = rule.due(date(2026, 8, 1), 4, today)
    assert late is not None and late.since == late.period == date(2026, 11, 1)
    much_later = rule.due(date(2026, 1, 1), 4, today)
    assert much_later is not None and much_later.since == date(2026, 4, 3) and much_later.period == date(2026, 10, 4)
    assert rule.due(None, 0, today) is None  # no plan for the level


async def test_an_overdue_inspection_reminds_the_inspector_once(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await assign_inspector(harness)
    [entry] = await audit.entries(roster_db, action="model.inspector")
    assert entry.subject_id == await model_id(roster_db)
    # Two sweeps overlapping (two ticks, or two processes): one reminder.
    first, second = await asyncio.gather(sweep(harness, clock), sweep(harness, clock))
    assert first.sent + second.sent == 1
    [text] = reminders_to(harness, CADRE_TG)
    assert "«Khu dân cư đảm bảo an toàn giao thông»" in text and "chưa được kiểm tra lần nào" in text
    clock.advance(timedelta(days=1))  # the next working day: the same due period
    assert (await sweep(harness, clock)).sent == 0
    assert len(reminders_to(harness, CADRE_TG)) == 1
    assert await inspection_reminders.sent_count(roster_db, await model_id(roster_db)) == 1


async def test_no_reminder_on_a_day_off_or_in_the_quiet_hours(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await assign_inspector(harness)
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=VIETNAM))  # a Saturday
    assert (await sweep(harness, clock)).quiet
    clock.set(datetime(2026, 11, 30, 22, 0, tzinfo=VIETNAM))  # Monday, after 21:00
    assert (await sweep(harness, clock)).quiet
    assert reminders_to(harness, CADRE_TG) == []
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=VIETNAM))  # Tuesday morning
    assert (await sweep(harness, clock)).sent == 1
    assert len(reminders_to(harness, CADRE_TG)) == 1


async def test_the_inspector_records_it_from_the_reminder_once_on_a_double_tap(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await assign_inspector(harness)
    await sweep(harness, clock)
    chat = Chat(harness, CADRE_TG)
    await chat.press("🔍 Kiểm tra ngay")
    assert "Bước 3/7" in chat.text and "Khu dân cư đảm bảo an toàn giao thông" in chat.text
    assert chat.buttons[:3] == ["Tốt", "Cần củng cố", "Chưa hiệu quả"]
    await chat.press("Cần củng cố")
    await chat.send("Đèn đường thôn 9 còn hỏng hai cột")
    assert chat.buttons[:4] == ["Duy trì", "Nhân rộng", "Chuyển đổi", "Đề nghị khen thưởng"]
    await chat.press("Đề nghị khen thưởng")
    await chat.photo()
    await chat.press("Tiếp")
    review = chat.screen
    assert "Loại: Kiểm tra (giám sát)" in review.text and "Đánh giá: Cần củng cố" in review.text
    first = await chat.user.press("✅ Gửi", message=review)
    second = await chat.user.press("✅ Gửi", message=review)
    await harness.handled(first)
    await harness.handled(second)
    [stored] = await roster_db.fetchall("SELECT id FROM model_updates")
    update = await model_updates.get_model_update(roster_db, stored["id"])
    assert update is not None and (update.kind, update.assessment, update.proposal) == ("inspection", "fair", "commend")
    assert update.notes == "Đèn đường thôn 9 còn hỏng hai cột" and update.attachment_count == 1
    [proposal] = await roster_db.fetchall("SELECT kind, source_update_id, model_id FROM model_proposals")
    assert (proposal["kind"], proposal["source_update_id"]) == ("commend", update.id)
    assert any("Đã gửi đề xuất khen thưởng" in (m.text or "") for m in chat.user.messages())
    # Inspected: no longer due, so no reminder either.
    today = clock.now().date()
    assert await model_id(roster_db) not in {o.model.id for o in await inspections.overdue_inspections(roster_db, None, today)}
    [done] = await inspections.inspections_in_quarter(roster_db, None, Quarter.of(today))
    assert done.update_id == update.id and done.assessment == "fair"
    clock.advance(timedelta(days=1))
    assert (await sweep(harness, clock)).sent == 0


async def test_a_converted_model_stops_being_reminded(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    await assign_inspector(harness)
    await sweep(harness, clock)
    admin = Chat(harness, ADMIN_TG)
    await admin.send(f"/chuyendoi {MODEL} Đã sáp nhập vào mô hình khu dân cư an toàn")
    assert "Chuyển đổi (đóng) mô hình" in admin.text
    await admin.press("✅ Chuyển đổi")
    assert admin.text.startswith("✅ Đã chuyển đổi mô hình")
    row = await roster_db.fetchone("SELECT status, closed_reason FROM models WHERE code = ?", (MODEL,))
    assert row is not None and row["status"] == "converted"
    assert row["closed_reason"] == "Đã sáp nhập vào mô hình khu dân cư an toàn"
    assert len(await audit.entries(roster_db, action="model.convert")) == 1
    # The next due period, and a year on: never reminded again.
    for moment in (datetime(2027, 3, 1, 9, 0, tzinfo=VIETNAM), datetime(2027, 11, 23, 9, 0, tzinfo=VIETNAM)):
        clock.set(moment)
        result = await sweep(harness, clock)
        assert not result.quiet and result.sent == 0
    assert len(reminders_to(harness, CADRE_TG)) == 1
    today = clock.now().date()
    assert all(o.model.code != MODEL for o in await inspections.overdue_inspections(roster_db, None, today))


async def test_a_scoped_admin_cannot_change_the_plans(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    commune_admin = await roster.cadre_by_code(roster_db, "CAN-035")
    assert commune_admin is not None
    tan_lap = (await roster.unit_ids_by_code(roster_db))["KR-TLAP"]
    await roster_db.execute("UPDATE cadres SET unit_id = ? WHERE id = ?", (tan_lap, commune_admin.id))
    async with roster_db.transaction() as tx:
        await link_telegram(tx, commune_admin.id, COMMUNE_ADMIN_TG, utc_stamp(clock.now()))
    scoped = Chat(harness, COMMUNE_ADMIN_TG)
    await scoped.send("/kiemtra tinh 6")
    assert await inspections.per_year(roster_db) == rule.DEFAULT_PER_YEAR
    assert len(await audit.entries(roster_db, action="denied.org_setting")) == 1
    await scoped.send("/kiemtra")  # they may still look
    assert "Điểm cấp tỉnh: 4 lần/năm" in scoped.text and "Điểm cấp xã, phường: 2 lần/năm" in scoped.text
    top = Chat(harness, ADMIN_TG)
    await top.send("/kiemtra tinh 6")
    assert (await inspections.per_year(roster_db))["province"] == 6
    [changed] = await audit.entries(roster_db, action="setting.inspections_per_year")
    assert changed.details == {"level": "province", "per_year": 6}
    await top.send("/kiemtra tinh nhieu")
    assert "Chưa hiểu" in top.text and (await inspections.per_year(roster_db))["province"] == 6


async def test_a_non_inspector_non_admin_is_refused(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    harness.simulator.user(CADRE_TG, "Hùng")
    await forge_callback(harness, CADRE_TG, f"{CB_INSPECT_MODEL}{await model_id(roster_db)}", 1)
    assert len(await audit.entries(roster_db, action="denied.model_inspection")) == 1
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    assert "Bước 1/6" in chat.text  # a plain update, no choice of an inspection
    assert await roster_db.fetchval("SELECT count(*) FROM model_updates") == 0


async def test_the_migration_upgrades_an_existing_database(tmp_path: Path) -> None:
    """A database at 0028 with an update, its photo and a proposal citing it: 0032 keeps them
    all (the rebuilt table cascades nothing) and accepts 'commend' afterwards."""
    async with Database(tmp_path / "old.sqlite3") as db:
        await migrate.applied_versions(db)
        for migration in migrate.available_migrations():
            if migration.version < 32:
                await migrate._apply(db, migration)
        now = "2026-11-01T02:00:00Z"
        await db.execute("INSERT INTO units (id, code, name, kind, updated_at) VALUES (1, 'X', 'Xã A', 'commune', ?)", (now,))
        await db.execute("INSERT INTO cadres (id, code, full_name, updated_at) VALUES (1, 'C1', 'Cán bộ', ?)", (now,))
        await db.execute(
            "INSERT INTO models (id, code, name, level, updated_at) VALUES (1, 'M1', 'Mô hình', 'district', ?)", (now,)
        )
        await db.execute(
            """INSERT INTO model_updates (id, model_id, cadre_id, kind, assessment, proposal, quarter, client_token,
                   submitted_at) VALUES (7, 1, 1, 'inspection', 'good', 'maintain', '2026-Q4', 't7', ?)""",
            (now,),
        )
        await db.execute(
            "INSERT INTO attachments (model_update_id, kind, file_id, created_at) VALUES (7, 'photo', 'f', ?)", (now,)
        )
        await db.execute(
            """INSERT INTO model_proposals (kind, model_id, proposed_by, source_update_id, quarter, proposed_at,
                   client_token) VALUES ('commend', 1, 1, 7, '2026-Q4', ?, 'p7')""",
            (now,),
        )
        applied = await migrate.upgrade(db)
        assert [m.version for m in applied if m.version <= 32] == [32]
        assert await db.fetchval("SELECT count(*) FROM attachments WHERE model_update_id = 7") == 1
        assert await db.fetchval("SELECT source_update_id FROM model_proposals") == 7
        assert await db.fetchval("SELECT proposal FROM model_updates WHERE id = 7") == "maintain"
        await db.execute(
            """INSERT INTO model_updates (model_id, cadre_id, kind, assessment, proposal, quarter, client_token,
                   submitted_at) VALUES (1, 1, 'inspection', 'good', 'commend', '2026-Q4', 't8', ?)""",
            (now,),
        )
        assert await db.fetchval("SELECT inspector_id FROM models WHERE id = 1") is None
        assert await db.fetchall("PRAGMA foreign_key_check") == []
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        [overdue] = await inspections.overdue_inspections(db, None, date(2027, 6, 1))  # 2 a year: 183 days
        assert overdue.due.since == date(2027, 5, 3)


async def test_an_inspection_recommending_replication_files_it_for_the_named_village(
    harness: Harness, roster_db: Database
) -> None:
    village = (await roster.unit_ids_by_code(roster_db))["KR-DRUONG-T1"]
    row = await roster_db.fetchone(
        "SELECT v.name AS village, c.name AS commune FROM units AS v JOIN units AS c ON c.id = v.parent_id WHERE v.id = ?",
        (village,),
    )
    assert row is not None
    chat = Chat(harness, ADMIN_TG)
    await chat.send("/mohinh")
    await chat.press("Kiểm tra (giám sát)")
    await chat.send("an toan giao thong")
    await chat.press("Khu dân cư đảm bảo an toàn giao thông")
    await chat.press("Tốt")
    await chat.press("Bỏ qua")
    await chat.press("Nhân rộng")
    await chat.send(f"{row['village']} {row['commune']}")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    assert "Đã gửi đề xuất nhân rộng" in chat.text
    [proposal] = await roster_db.fetchall("SELECT kind, target_unit_id FROM model_proposals")
    assert (proposal["kind"], proposal["target_unit_id"]) == ("replicate", village)
    # Places that name no single village are not guessed: nothing filed, and the admin is told.
    await chat.send("/mohinh")
    await chat.press("Kiểm tra (giám sát)")
    await chat.send("an toan giao thong")
    await chat.press("Khu dân cư đảm bảo an toàn giao thông")
    await chat.press("Tốt")
    await chat.press("Bỏ qua")
    await chat.press("Nhân rộng")
    await chat.send("các thôn còn lại")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    assert "chưa gửi đề xuất nhân rộng" in chat.text
    assert await roster_db.fetchval("SELECT count(*) FROM model_proposals") == 1


async def test_an_inspector_chooses_an_inspection_of_their_model_in_mohinh(
    harness: Harness, roster_db: Database
) -> None:
    await assign_inspector(harness)
    chat = Chat(harness, CADRE_TG)
    await chat.send("/mohinh")
    assert chat.buttons == ["Cập nhật tình hình", "Kiểm tra (giám sát)", "✖ Dừng"]
    await chat.press("Kiểm tra (giám sát)")
    assert chat.buttons[0] == "Khu dân cư đảm bảo an toàn giao thông"
    # A model they do not inspect is refused for an inspection, and that is audited.
    await chat.press("Khu dân cư văn hóa kiểu mẫu không còn tà đạo Hà Mòn")
    assert any("người được phân công kiểm tra" in (m.text or "") for m in chat.user.messages())
    assert len(await audit.entries(roster_db, action="denied.model_inspection")) == 1
    await chat.press("Khu dân cư đảm bảo an toàn giao thông")
    assert "Đánh giá hiệu quả" in chat.text


async def test_the_summaries_reads_keep_to_a_scope(harness: Harness, roster_db: Database, clock: ManualClock) -> None:
    units = await roster.unit_ids_by_code(roster_db)
    today = clock.now().date()
    everywhere = {o.model.code for o in await inspections.overdue_inspections(roster_db, None, today)}
    in_tan_lap = {o.model.code for o in await inspections.overdue_inspections(roster_db, units["KR-TLAP"], today)}
    assert MODEL in everywhere and MODEL not in in_tan_lap and in_tan_lap < everywhere and in_tan_lap
    # A commune admin cannot make someone the inspector of another commune's model.
    commune_admin = await roster.cadre_by_code(roster_db, "CAN-035")
    assert commune_admin is not None
    await roster_db.execute("UPDATE cadres SET unit_id = ? WHERE id = ?", (units["KR-TLAP"], commune_admin.id))
    async with roster_db.transaction() as tx:
        await link_telegram(tx, commune_admin.id, COMMUNE_ADMIN_TG, utc_stamp(clock.now()))
    scoped = Chat(harness, COMMUNE_ADMIN_TG)
    await scoped.send(f"/nguoikiemtra {MODEL} {CADRE_CODE}")
    assert "không thuộc địa bàn" in scoped.text
    assert await roster_db.fetchval("SELECT inspector_id FROM models WHERE code = ?", (MODEL,)) is None
    assert len(await audit.entries(roster_db, action="denied.model_inspector")) == 1
