"""Group summaries: scheduled digests with their chart, scoping, contents, splitting under
Telegram's limit, and the operator's `baocao summary --print`."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest

from bot.cli import main
from domain.clock import VIETNAM, ManualClock, utc_stamp
from bot.config import Config
from bot.harness import Harness
from domain.quarters import Quarter
from bot.simulator import SimGroup
from scheduler import digests
from scheduler.schedule import Settings, digest_slots
from scheduler.sending import Throttle
from scheduler.summaries import MESSAGE_LIMIT, Summary, render, split_message, utf16_len
from storage import groups, roster
from storage.db import Database
from storage.records import Role
from storage.reports import IssueInput, VisitReportInput, submit_visit
from storage.summaries import DueVisit, ModelActivity
from tests.conftest import ADMIN_TG, CADRE_CODE

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MONDAY_DIGEST = datetime(2026, 11, 23, 9, 0, tzinfo=VIETNAM)  # weekly digest due 08:00


def app_db(harness: Harness) -> Database:
    return harness.application.bot_data.db


async def register(harness: Harness, chat_id: int, title: str, unit_code: str | None, clock: ManualClock) -> SimGroup:
    db = app_db(harness)
    unit_id = (await roster.unit_ids_by_code(db))[unit_code] if unit_code else None
    await groups.register(
        db, chat_id=chat_id, title=title, unit_id=unit_id, purpose="summary", by=None,
        telegram_id=None, now=utc_stamp(clock.now()),
    )
    return harness.simulator.group(chat_id, title)


async def digest_sweep(harness: Harness, clock: ManualClock) -> digests.DigestResult:
    app = harness.application

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    return await digests.sweep(app.bot, app_db(harness), app.bot_data.config, clock, sleep=sleep)


async def file_visit(db: Database, cadre_code: str, cell_code: str, when: datetime, *, issue: str | None = None) -> None:
    cadre = await roster.cadre_by_code(db, cadre_code)
    assert cadre is not None
    await submit_visit(
        db,
        VisitReportInput(
            token=f"t-{cadre_code}-{cell_code}",
            cadre_id=cadre.id,
            filed_by_id=cadre.id,
            cell_id=(await roster.cell_ids_by_code(db))[cell_code],
            meeting_date=when.date(),
            quarter=Quarter.of(when.date()).key,
            late=False,
            disseminated="Nghị quyết Đại hội",
            issues=(IssueInput(issue, escalate=True),) if issue else (),
        ),
        now=utc_stamp(when),
    )


def text_of(group: SimGroup) -> str:
    return "\n".join(m.content for m in group.messages())


# --- when ---------------------------------------------------------------------------------------


def test_weekly_and_quarter_end_digest_moments() -> None:
    settings = Settings.from_config(Config())
    monday = digest_slots(MONDAY_DIGEST, settings)
    assert [(s.kind, s.period, s.quarter.key) for s in monday] == [("weekly", "2026-W48", "2026-Q4")]
    assert digest_slots(datetime(2026, 11, 23, 7, 59, tzinfo=VIETNAM), settings) == []
    # 48 hours of grace, not counting 24/11 (Vietnam Cultural Day, a public holiday)
    assert digest_slots(datetime(2026, 11, 26, 7, 59, tzinfo=VIETNAM), settings)[0].period == "2026-W48"
    assert digest_slots(datetime(2026, 11, 26, 8, 0, tzinfo=VIETNAM), settings) == []  # grace over
    # The quarter-end report goes on the next quarter's first working day: 01/01/2027 is a
    # holiday (then a weekend), so Monday 04/01.
    new_year = digest_slots(datetime(2027, 1, 4, 8, 30, tzinfo=VIETNAM), settings)
    assert ("quarter", "2026-Q4", "2026-Q4") in [(s.kind, s.period, s.quarter.key) for s in new_year]


# --- scheduled digests ---------------------------------------------------------------------------


async def test_a_registered_group_gets_the_weekly_digest_with_its_chart_once(harness: Harness, clock: ManualClock) -> None:
    group = await register(harness, -4001, "Huyện ủy Kon Rẫy", "KR", clock)
    clock.set(MONDAY_DIGEST)
    result = await digest_sweep(harness, clock)
    assert result.sent == 1
    messages = group.messages()
    assert messages[0].content.startswith("📊 TỔNG HỢP TUẦN — Quý IV/2026\nKon Rẫy")
    assert "Tính đến 23/11/2026: còn 39 ngày hết quý." in messages[0].content
    photo = messages[-1]
    assert photo.kind == "photo" and photo.photo_bytes and photo.photo_bytes.startswith(PNG_MAGIC)
    assert "Tỷ lệ dự sinh hoạt theo xã" in (photo.caption or "")
    photos = harness.simulator.calls("sendPhoto")
    assert [c.chat_id for c in photos] == [-4001] and photos[0].status == 200
    # The "still due" list is a message of its own, the one the live due list edits.
    due_message = messages[-2]
    assert due_message.content.startswith("📋 DANH SÁCH CÒN PHẢI DỰ — Quý IV/2026\nKon Rẫy")
    registered = await groups.get(app_db(harness), -4001)
    assert registered is not None and registered.last_digest_message_id == due_message.message_id

    clock.advance(timedelta(minutes=10))
    assert (await digest_sweep(harness, clock)).sent == 0
    assert len(group.messages()) == len(messages)


async def test_unregistered_groups_get_nothing_and_quiet_hours_wait(harness: Harness, clock: ManualClock) -> None:
    stranger = harness.simulator.group(-4002, "Nhóm khác")
    group = await register(harness, -4003, "Huyện ủy", "KR", clock)
    clock.set(datetime(2026, 11, 23, 21, 30, tzinfo=VIETNAM))
    assert (await digest_sweep(harness, clock)).quiet
    assert group.messages() == []
    clock.set(datetime(2026, 11, 24, 7, 15, tzinfo=VIETNAM))  # Vietnam Cultural Day: nothing
    assert (await digest_sweep(harness, clock)).quiet
    clock.set(datetime(2026, 11, 25, 7, 15, tzinfo=VIETNAM))  # the next working morning, within the grace
    assert (await digest_sweep(harness, clock)).sent == 1
    assert group.messages() and stranger.messages() == []


async def test_a_group_the_bot_was_removed_from_is_deactivated(harness: Harness, clock: ManualClock) -> None:
    await register(harness, -4004, "Nhóm cũ", "KR", clock)
    harness.simulator.kick_bot(-4004)
    clock.set(MONDAY_DIGEST)
    assert (await digest_sweep(harness, clock)).failed == 1
    registered = await groups.get(app_db(harness), -4004)
    assert registered is not None and not registered.active


async def test_quarter_end_report_covers_the_quarter_that_ended(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    await file_visit(db, CADRE_CODE, "CB-KR-DRUONG-T9", datetime(2026, 12, 10, 9, tzinfo=VIETNAM))
    group = await register(harness, -4005, "Ban Thường vụ", "KR-DRUONG", clock)
    clock.set(datetime(2027, 1, 4, 8, 30, tzinfo=VIETNAM))  # the first working day of 2027
    await digest_sweep(harness, clock)
    text = text_of(group)
    assert "📊 BÁO CÁO CUỐI Quý IV/2026\nĐăk Ruồng" in text
    assert "Quý đã kết thúc ngày 31/12/2026." in text
    assert "✅ Đã dự sinh hoạt: 1/14 lượt (7%)" in text
    assert "❌ Không dự trong quý: 13 lượt" in text
    assert "• Nguyễn Văn Hùng: thôn 12\n" in text  # thôn 9 was visited


# --- contents and scope -----------------------------------------------------------------------------


async def test_summary_shows_coverage_due_escalations_and_models_for_its_scope_only(
    harness: Harness, clock: ManualClock
) -> None:
    db = app_db(harness)
    await file_visit(
        db, CADRE_CODE, "CB-KR-DRUONG-T9", datetime(2026, 11, 18, 9, tzinfo=VIETNAM),
        issue="Đường vào thôn sạt lở, cần kinh phí sửa chữa",
    )
    await add_model_update(db, "MH-KDCVH", assessment="good", proposal="replicate", places="Thôn 4, Thôn 5")
    await add_model_update(db, "MH-KDCVH", assessment="fair", proposal="maintain", places="")
    commune = await register(harness, -4006, "Đảng ủy xã Tân Lập", "KR-TLAP", clock)
    district = await register(harness, -4007, "Huyện ủy Kon Rẫy", "KR", clock)
    admin = harness.simulator.user(ADMIN_TG, "Hà")

    await harness.handled(await district.send_command(admin, "tonghop"))
    text = text_of(district)
    assert "✅ Đã dự sinh hoạt: 1/" in text
    assert "• Đăk Ruồng: 1/14 (7%)" in text and "• Tân Lập: 0/5 (0%)" in text
    assert "⏳ Còn phải dự:" in text and "còn 39 ngày" in text
    assert "• Nguyễn Văn Hùng: thôn 12\n" in text
    assert "Lê Văn Thắng: thôn 1 (chưa dùng bot)" in text
    assert "⬆ Kiến nghị chờ Ban Thường vụ trả lời: 1" in text
    assert "— Chi bộ thôn 9, Đăk Ruồng — 5 ngày: Đường vào thôn sạt lở" in text
    assert "🌱 Mô hình (trong quý): 2 lượt đánh giá — tốt 1, cần củng cố 1, chưa hiệu quả 0" in text
    assert "Đề xuất nhân rộng: Khu dân cư văn hóa kiểu mẫu (tới: Thôn 4, Thôn 5)" in text

    await harness.handled(await commune.send_command(admin, "tonghop"))
    scoped = text_of(commune)
    assert "Tân Lập" in scoped and "• Tân Lập: 0/5 (0%)" in scoped
    assert "Đăk Ruồng" not in scoped and "Nguyễn Văn Hùng" not in scoped
    assert "Không có kiến nghị nào chờ trả lời" in scoped
    assert "Mô hình (trong quý): chưa có đánh giá nào" in scoped  # the model runs elsewhere


async def add_model_update(db: Database, model_code: str, *, assessment: str, proposal: str, places: str) -> None:
    """model_updates is written by the model flow (another module); rows as it stores them."""
    cadre = await roster.cadre_by_code(db, CADRE_CODE)
    model_id = await db.fetchval("SELECT id FROM models WHERE code = ?", (model_code,))
    count = await db.fetchval("SELECT count(*) FROM model_updates")
    assert cadre is not None and model_id is not None
    await db.execute(
        """INSERT INTO model_updates (model_id, cadre_id, kind, assessment, proposal, proposal_places,
                                      quarter, client_token, submitted_at)
           VALUES (?, ?, 'update', ?, ?, ?, '2026-Q4', ?, '2026-11-20T02:00:00Z')""",
        (model_id, cadre.id, assessment, proposal, places, f"model-test-{count}"),
    )


async def test_a_long_summary_is_split_under_telegrams_limit(harness: Harness, clock: ManualClock) -> None:
    db = app_db(harness)
    await add_many_cadres(db, 200)
    group = await register(harness, -4008, "Huyện ủy", "KR", clock)
    admin = harness.simulator.user(ADMIN_TG, "Hà")
    await harness.handled(await group.send_command(admin, "tonghop"))
    texts = [m for m in group.messages() if m.kind == "text"]
    assert len(texts) >= 2
    assert all(utf16_len(m.content) <= MESSAGE_LIMIT for m in texts)
    assert texts[0].content.endswith(f"(phần 1/{len(texts)})")
    assert all(c.status == 200 for c in harness.simulator.calls("sendMessage") if c.chat_id == -4008)
    assert "… và " in texts[-1].content  # the list is capped, and says so


async def add_many_cadres(db: Database, count: int) -> None:
    units = await roster.unit_ids_by_code(db)
    cells = await roster.cell_ids_by_code(db)
    async with db.transaction() as tx:
        for n in range(count):
            cadre_id = await roster.upsert_cadre(
                tx, code=f"X-{n:03d}", full_name=f"Đồng chí Cán Bộ Thứ {n:03d} Có Tên Dài", phone=None,
                role=Role.CADRE, title=None, unit_id=units["KR"], active=True, now="2026-01-01T00:00:00Z",
            )
            await roster.upsert_assignment(tx, cadre_id, cells["CB-KR-DRUONG-T1"], date(2026, 1, 1), None, "2026-01-01T00:00:00Z")


def test_splitting_keeps_every_line_and_numbers_the_parts() -> None:
    due = [DueVisit(n, f"Cán bộ {n:04d} 👩‍🌾", True, None, f"Chi bộ thôn {n}", "Đăk Ruồng") for n in range(140)]
    summary = Summary(
        kind="on_demand", scope_name="Kon Rẫy", quarter=Quarter(2026, 4), today=date(2026, 11, 23), tz=VIETNAM,
        coverage=[], due=due, escalations=[], models=ModelActivity({}, []), unreachable=[],
    )
    chunks = render(summary, "vi")
    assert len(chunks) >= 2 and all(utf16_len(c) <= MESSAGE_LIMIT for c in chunks)
    joined = "\n".join(chunks)
    assert all(f"Cán bộ {n:04d}" in joined for n in range(140))
    assert [c.rsplit("\n", 1)[-1] for c in chunks] == [f"(phần {n}/{len(chunks)})" for n in range(1, len(chunks) + 1)]
    assert split_message("x" * 10_000, "en")[0].endswith("(part 1/3)")


async def test_twenty_a_minute_into_one_group(clock: ManualClock) -> None:
    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    start = clock.now()
    throttle = Throttle(clock, sleep)
    for _ in range(21):
        await throttle.turn(-5001)
    assert clock.now() - start >= timedelta(seconds=60)
    before = clock.now()
    for _ in range(30):
        await throttle.turn(1001 + _)  # private chats: only the 30 a second
    assert clock.now() - before < timedelta(seconds=2)


# --- the operator ---------------------------------------------------------------------------------


def test_cli_summary_print(config: Config, clock: ManualClock, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    from bot.demo import prepare_database
    from tests.conftest import SAMPLE_ROSTER  # the legacy district roster

    asyncio.run(prepare_database(config, SAMPLE_ROSTER, clock))
    monkeypatch.setenv("BAOCAO_DB", str(config.db_path))
    assert main(["summary", "--print", "--unit", "KR-DRUONG", "--now", "2026-11-23T09:00"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("📊 TỔNG HỢP Quý IV/2026\nĐăk Ruồng")
    assert "• Nguyễn Văn Hùng: thôn 9, thôn 12" in out and "Tân Lập" not in out
    assert main(["summary", "--print", "--now", "2026-11-23T09:00"]) == 0
    everything = capsys.readouterr().out
    assert "toàn bộ các đơn vị" in everything and "Mộ Đức" not in everything.split("\n")[1]
    assert "• Đức Hòa:" in everything and "• Tân Lập:" in everything
    assert main(["summary", "--print", "--chat", "-1"]) == 1
    assert main(["summary"]) == 2


# --- the four statuses, excusals and reports filed on behalf -------------------------------------


async def test_the_quarter_end_report_shows_the_four_statuses_excusals_and_reports_filed_on_behalf(
    harness: Harness, clock: ManualClock
) -> None:
    from storage import audit, obligations
    from tests.helpers import Chat

    db = app_db(harness)
    secretary = await roster.cadre_by_code(db, "CAN-023")  # A Thuận, secretary of thôn 9
    ngoc = await roster.cadre_by_code(db, "CAN-039")
    tuan = await roster.cadre_by_code(db, "CAN-006")
    assert secretary is not None and ngoc is not None and tuan is not None
    await db.execute("UPDATE cadres SET telegram_id = 2023 WHERE id = ?", (secretary.id,))
    await obligations.excuse(
        db, cadre_id=tuan.id, cell_id=None, starts_on=date(2026, 11, 23), ends_on=date(2026, 12, 31),
        reason="Điều trị dài ngày", by=None, telegram_id=None, scope_unit_id=None, now=utc_stamp(clock.now()),
    )
    await file_visit(db, CADRE_CODE, "CB-KR-DRUONG-T12", datetime(2026, 12, 10, 9, tzinfo=VIETNAM))
    # The secretary files Ngọc's visit for her, with a problem for the Standing Committee.
    clock.set(datetime(2026, 12, 11, 9, 0, tzinfo=VIETNAM))
    chat = Chat(harness, 2023)
    await chat.send("/baocaothay")
    await chat.press("Nguyễn Thị Bích Ngọc")
    await chat.press("Chi bộ thôn 9")
    await chat.press("Hôm nay")
    await chat.send("Nghị quyết Đại hội")
    await chat.press("Tiếp")
    await chat.press("➕")
    await chat.send("Cầu treo xuống cấp")
    await chat.press("⬆")
    await chat.press("Tiếp")
    await chat.press("Bỏ qua")
    await chat.press("✅ Gửi")
    entry = (await audit.entries(db, action="visit.submit"))[0]  # the newest
    assert entry.actor_id == secretary.id and entry.details["cadre_id"] == ngoc.id  # both, by id
    # Hùng's December visit to thôn 9, reported in January: late.
    await file_visit(db, CADRE_CODE, "CB-KR-DRUONG-T9", datetime(2026, 12, 28, 9, tzinfo=VIETNAM))
    await db.execute("UPDATE visit_reports SET late = 1 WHERE client_token = 't-CAN-001-CB-KR-DRUONG-T9'")

    group = await register(harness, -4010, "Ban Thường vụ", "KR-DRUONG", clock)
    clock.set(datetime(2027, 1, 4, 8, 30, tzinfo=VIETNAM))
    await digest_sweep(harness, clock)
    text = text_of(group)
    assert "📊 BÁO CÁO CUỐI Quý IV/2026\nĐăk Ruồng" in text
    assert "✅ Đã dự sinh hoạt: 3/11 lượt (27%)" in text  # the excused ones are not owed
    assert "• Đăk Ruồng: 3/11 (27%) — đã dự 2, nộp muộn 1, được miễn 3, chưa dự 8" in text
    assert "🩺 Được miễn: 3 lượt\n• Đỗ Minh Tuấn: thôn 1, thôn 2, thôn 3 (đến 31/12/2026)" in text
    assert "Điều trị" not in text  # the reason stays between the cadre and the admin
    assert "❌ Không dự trong quý: 8 lượt" in text and "Đỗ Minh Tuấn: thôn 1" not in text.split("❌")[1]
    assert "📝 Báo cáo thay trong quý: 1 báo cáo" in text
    assert "• Số 2: Nguyễn Thị Bích Ngọc — thôn 9, Đăk Ruồng, do A Thuận nộp (báo cáo thay)" in text
    assert "Cầu treo xuống cấp" in text and "ngày (báo cáo thay): Cầu treo" in text


def test_coverage_leaves_excused_visits_out_of_the_denominator() -> None:
    from storage.summaries import CommuneCoverage

    row = CommuneCoverage(1, "Đăk Ruồng", filed=2, late=1, excused=3, due=3)
    assert (row.done, row.owed, row.percent) == (3, 6, 50)
    assert CommuneCoverage(2, "Tân Lập", filed=0, late=0, excused=4, due=0).percent == 100


def test_cli_summary_print_shows_the_four_statuses_per_commune(
    config: Config, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.demo import prepare_database
    from tests.conftest import SAMPLE_ROSTER  # the legacy district roster
    from storage import obligations

    asyncio.run(prepare_database(config, SAMPLE_ROSTER, clock))

    async def excuse_tuan() -> None:
        async with Database(config.db_path) as db:
            tuan = await roster.cadre_by_code(db, "CAN-006")
            assert tuan is not None
            await obligations.excuse(
                db, cadre_id=tuan.id, cell_id=None, starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 31),
                reason="Đi học", by=None, telegram_id=None, scope_unit_id=None, now="2026-11-01T02:00:00Z",
            )

    asyncio.run(excuse_tuan())
    monkeypatch.setenv("BAOCAO_DB", str(config.db_path))
    assert main(["summary", "--print", "--now", "2026-11-23T09:00"]) == 0
    out = capsys.readouterr().out
    assert "• Đăk Ruồng: 0/11 (0%) — được miễn 3, chưa dự 11" in out
    assert "• Tân Lập: 0/5 (0%) — chưa dự 5" in out  # issue 12 item 20: no "đã dự 0, nộp muộn 0…"
    assert "đã dự 0" not in out and "nộp muộn 0" not in out and "được miễn 0" not in out
    assert "• Đức Hòa: 0/" in out and "🩺 Được miễn: 3 lượt" in out and "Đi học" not in out
