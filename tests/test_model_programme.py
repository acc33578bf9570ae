"""The follow-up of models in the group summary (/tonghop) and the quarterly workbook
(/baocaoquy): inspections this quarter, replications, commendations and conversions
(issue 14 part 2), through the real Application on the simulator."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl

from bot.harness import Harness
from domain.clock import ManualClock, utc_stamp
from domain.quarters import Quarter
from scheduler.xlsx import FIRST_ROW
from storage import inspections, proposals, roster
from storage.db import Database
from storage.model_updates import ModelUpdateInput, submit_model_update
from tests.conftest import ADMIN_CODE, ADMIN_TG, CADRE_CODE
from tests.helpers import Chat

GROUP_ID = -4001
ATGT = "Khu dân cư đảm bảo an toàn giao thông"


async def seed(db: Database, clock: ManualClock) -> None:
    """In Q4: an inspection of MH-ATGT; its replication to thôn 1 and a commendation
    (Bằng khen) approved; another commendation waiting; MH-MATUY converted."""
    models = {row["code"]: row["id"] for row in await db.fetchall("SELECT id, code FROM models")}
    cadres = await roster.cadre_ids_by_code(db)
    cadre, admin, now = cadres[CADRE_CODE], cadres[ADMIN_CODE], clock.now()
    await submit_model_update(db, ModelUpdateInput(
        token="insp", model_id=models["MH-ATGT"], cadre_id=admin, kind="inspection", assessment="good",
        notes="Tốt", proposal="replicate", proposal_places="thôn 1", quarter=Quarter.of(now.date()).key,
    ), now=utc_stamp(now))
    village = (await roster.unit_ids_by_code(db))["KR-DRUONG-T1"]
    replicate = await proposals.file_proposal(db, token="r", kind="replicate", model_id=models["MH-ATGT"],
                                              proposed_by=cadre, now=now, target_unit_id=village)
    commend = await proposals.file_proposal(db, token="c", kind="commend", model_id=models["MH-ATGT"],
                                            proposed_by=cadre, now=now, detail="Ba năm không có tai nạn")
    await proposals.file_proposal(db, token="w", kind="commend", model_id=models["MH-MATUY"], proposed_by=cadre, now=now)
    await proposals.decide(db, replicate.id, approve=True, by=admin, now=now)
    await proposals.decide(db, commend.id, approve=True, by=admin, now=now, form="merit")
    assert await inspections.convert_model(db, models["MH-NUOCSACH"], "Chuyển sang mô hình khác", by=admin,
                                           telegram_id=None, now=utc_stamp(now))


async def test_the_group_summary_shows_the_follow_up_of_models(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await seed(roster_db, clock)
    sim = harness.simulator
    admin, group = sim.user(ADMIN_TG, "Hà"), sim.group(GROUP_ID, "Văn phòng")
    await harness.handled(await group.send_command(admin, "dangkynhom"))
    before = len(group.messages())
    await harness.handled(await group.send_command(admin, "tonghop"))
    text = "\n".join(m.text or "" for m in group.messages()[before:])
    assert "🏅 Theo dõi mô hình Quý IV/2026:" in text
    assert "• Kiểm tra: 1 lượt ở 1 mô hình" in text
    assert "• Nhân rộng: 1 đã duyệt, 0 chờ duyệt" in text
    assert f"   – Nhân rộng: {ATGT} → Thôn 1" in text
    assert "• Khen thưởng: 1 đã quyết định, 1 chờ quyết định" in text
    assert f"   – Bằng khen: {ATGT}" in text
    assert "• Chuyển đổi: 1 mô hình\n   – Chuyển đổi: Nước sạch vệ sinh môi trường" in text
    kr = (await roster.unit_ids_by_code(roster_db))["KR"]
    overdue = await inspections.overdue_inspections(roster_db, kr, clock.now().date())
    assert overdue and ATGT not in [o.model.name for o in overdue]  # inspected today
    assert f"• Quá hạn kiểm tra: {len(overdue)} mô hình: {overdue[0].model.name}" in text


async def test_the_workbook_has_the_follow_up_and_the_proposals(
    harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await seed(roster_db, clock)
    admin = Chat(harness, ADMIN_TG, "Hà")
    await admin.send("/baocaoquy")
    assert admin.screen.kind == "document", admin.text
    book = openpyxl.load_workbook(io.BytesIO(admin.screen.document_bytes))
    follow = {row[0]: row for row in book["Theo dõi mô hình"].iter_rows(min_row=FIRST_ROW, values_only=True)}
    atgt = follow["MH-ATGT"]
    assert atgt[1] == ATGT and atgt[4] == 1 and atgt[5] is not None  # one inspection, its date
    assert atgt[6:11] == (1, 0, 1, "Bằng khen", 0)
    assert follow["MH-MATUY"][10] == 1  # a commendation waiting
    assert follow["MH-NUOCSACH"][3] == "Đã chuyển đổi"
    assert follow["MH-NUOCSACH"][11] == datetime(2026, 11, 23)  # converted on
    assert atgt[12] is None and follow["MH-MATUY"][12] == "Quá hạn"  # never inspected: overdue
    assert follow["Tổng cộng"][4].startswith("=SUM(E")
    sheet = list(book["Đề xuất mô hình"].iter_rows(min_row=FIRST_ROW, values_only=True))
    rows = [row for row in sheet if row[0] != "Tổng cộng"]
    assert [(row[1], row[2], row[3], row[6], row[8]) for row in rows] == [
        ("Nhân rộng", ATGT, "Thôn 1", "Đã duyệt", None),
        ("Khen thưởng", ATGT, None, "Đã duyệt", "Bằng khen"),
        ("Khen thưởng", "Khu dân cư phòng, chống ma túy", None, "Chờ quyết định", None),
    ]
    assert rows[1][9] == "Ba năm không có tai nạn"
