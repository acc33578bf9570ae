"""Scope and refusals (issue 12, items 1, 2 and 4), through the real Application on the
simulator: a commune admin may act only on cadres inside their commune and never on an
admin of a wider scope; settings that apply to everyone belong to the top unit's admins;
every refusal is audit-logged."""

from __future__ import annotations

from bot.harness import Harness
from bot.simulator import SimUser
from domain.callbacks import CB_START_FOR_CELL
from storage import audit, obligations, roster, topics
from storage.db import Database
from tests.conftest import ADMIN_CODE, ADMIN_TG, CADRE_TG, STRANGER_TG
from tests.helpers import Chat, forge_callback

COMMUNE_ADMIN_TG = 2099  # CAN-010, made the admin of Tân Lập
TAN_LAP_CADRE = "CAN-004"  # Phạm Thị Hồng Nhung: cells in Tân Lập
DAK_RUONG_CADRE = "CAN-006"  # Đỗ Minh Tuấn: cells in Đăk Ruồng only
GROUP_ID = -3001


async def make_commune_admin(db: Database, code: str = "CAN-010", telegram_id: int = COMMUNE_ADMIN_TG) -> None:
    commune = await db.fetchval("SELECT id FROM units WHERE code = 'KR-TLAP'")
    await db.execute(
        "UPDATE cadres SET role = 'admin', unit_id = ?, telegram_id = ? WHERE code = ?", (commune, telegram_id, code)
    )


async def commune_admin(harness: Harness, db: Database) -> Chat:
    await make_commune_admin(db)
    return Chat(harness, COMMUNE_ADMIN_TG, "Huy")


async def linked_telegram(db: Database, code: str) -> int | None:
    cadre = await roster.cadre_by_code(db, code)
    assert cadre is not None
    return cadre.telegram_id


async def denied(db: Database, action: str) -> list[int | None]:
    return [e.telegram_id for e in await audit.entries(db, action=f"denied.{action}")]


# --- 1: unlinking and invites stay inside the admin's scope ------------------------------------


async def test_a_commune_admin_cannot_unlink_the_district_admin(harness: Harness, roster_db: Database) -> None:
    admin = await commune_admin(harness, roster_db)
    await admin.send(f"/golienket {ADMIN_CODE}")
    assert "ngoài phạm vi" in admin.text
    assert await linked_telegram(roster_db, ADMIN_CODE) == ADMIN_TG
    assert await audit.entries(roster_db, action="cadre.unlink") == []
    assert await denied(roster_db, "cadre_out_of_scope") == [COMMUNE_ADMIN_TG]


async def test_a_commune_admin_cannot_unlink_a_cadre_of_another_commune(
    harness: Harness, roster_db: Database
) -> None:
    await roster_db.execute("UPDATE cadres SET telegram_id = 3006 WHERE code = ?", (DAK_RUONG_CADRE,))
    admin = await commune_admin(harness, roster_db)
    await admin.send(f"/golienket {DAK_RUONG_CADRE}")
    assert "ngoài phạm vi" in admin.text
    assert await linked_telegram(roster_db, DAK_RUONG_CADRE) == 3006
    assert await denied(roster_db, "cadre_out_of_scope") == [COMMUNE_ADMIN_TG]


async def test_a_commune_admin_unlinks_a_cadre_of_their_commune(harness: Harness, roster_db: Database) -> None:
    await roster_db.execute("UPDATE cadres SET telegram_id = 3004 WHERE code = ?", (TAN_LAP_CADRE,))
    admin = await commune_admin(harness, roster_db)
    await admin.send(f"/golienket {TAN_LAP_CADRE}")
    assert "Đã gỡ liên kết" in admin.text
    assert await linked_telegram(roster_db, TAN_LAP_CADRE) is None
    await admin.press("Cấp mã mời mới")
    assert "CAN-004" in admin.text and "https://t.me/baocao_bot?start=" in admin.text
    assert len(await audit.entries(roster_db, action="cadre.invite")) == 1


async def test_a_commune_admin_cannot_mint_an_invite_for_a_wider_admin(
    harness: Harness, roster_db: Database
) -> None:
    admin = await commune_admin(harness, roster_db)
    await admin.send("/help")
    district_admin = await roster.cadre_by_code(roster_db, ADMIN_CODE)
    assert district_admin is not None
    message_id = admin.screen.message_id
    await forge_callback(harness, COMMUNE_ADMIN_TG, f"reg:invite:{district_admin.id}", message_id)
    assert await audit.entries(roster_db, action="cadre.invite") == []
    assert await denied(roster_db, "cadre_out_of_scope") == [COMMUNE_ADMIN_TG]
    assert "ngoài phạm vi" in admin.text


async def test_a_commune_admin_cannot_touch_a_second_admin_of_the_whole_roster(
    harness: Harness, roster_db: Database
) -> None:
    """An admin of a wider scope is off limits even when their cells lie in the commune."""
    await roster_db.execute("UPDATE cadres SET role = 'admin', telegram_id = 3004 WHERE code = ?", (TAN_LAP_CADRE,))
    admin = await commune_admin(harness, roster_db)
    await admin.send(f"/golienket {TAN_LAP_CADRE}")
    assert "ngoài phạm vi" in admin.text
    assert await linked_telegram(roster_db, TAN_LAP_CADRE) == 3004


async def test_the_district_admin_may_unlink_a_commune_admin(harness: Harness, roster_db: Database) -> None:
    await make_commune_admin(roster_db)
    district = Chat(harness, ADMIN_TG, "Hà")
    await district.send("/golienket CAN-010")
    assert "Đã gỡ liên kết" in district.text
    assert await linked_telegram(roster_db, "CAN-010") is None
