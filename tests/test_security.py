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


# --- 4: refusals in groups and of strangers are audit-logged ------------------------------------


async def group_command(harness: Harness, who: SimUser, command: str) -> str:
    group = harness.simulator.group(GROUP_ID, "Chi bộ")
    await harness.handled(await group.send_command(who, command))
    message = group.last_message()
    assert message is not None, "the bot answered nothing"
    return message.text or ""


async def test_group_commands_from_non_admins_are_refused_and_audited(harness: Harness, roster_db: Database) -> None:
    cadre = harness.simulator.user(CADRE_TG, "Hùng")
    assert "Chỉ quản trị viên" in await group_command(harness, cadre, "dangkynhom")
    assert "Chỉ quản trị viên" in await group_command(harness, cadre, "huydangky")
    assert await denied(roster_db, "group_admin_only") == [CADRE_TG, CADRE_TG]


async def test_private_summary_from_a_non_admin_is_audited(harness: Harness, roster_db: Database) -> None:
    cadre = Chat(harness, CADRE_TG, "Hùng")
    await cadre.send("/tonghop")
    assert "chỉ dành cho quản trị viên" in cadre.text
    assert await denied(roster_db, "admin_command") == [CADRE_TG]


async def test_a_stranger_pressing_report_now_is_answered_and_audited(harness: Harness, roster_db: Database) -> None:
    """An old reminder on a phone whose account was unlinked since."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    cell = await roster_db.fetchval("SELECT id FROM cells WHERE code = 'CB-KR-DRUONG-T9'")
    stranger = harness.simulator.user(STRANGER_TG, "Khách")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("📝 Báo cáo ngay", callback_data=f"{CB_START_FOR_CELL}{cell}")]])
    await harness.application.bot.send_message(STRANGER_TG, "Nhắc báo cáo", reply_markup=markup)
    await harness.handled(await stranger.press("📝 Báo cáo ngay"))
    [answer] = stranger.callback_answers
    assert answer["text"] and "danh sách" in answer["text"]
    assert await denied(roster_db, "unregistered") == [STRANGER_TG]
    assert "chỉ dành cho cán bộ" in (stranger.last_message().text or "")  # type: ignore[union-attr]


# --- 2: settings for everyone are the top unit's; excusals stay in scope -----------------------


async def test_a_commune_admin_cannot_change_days_off(harness: Harness, roster_db: Database) -> None:
    admin = await commune_admin(harness, roster_db)
    await admin.send("/ngaynghi 15/12/2026 Lễ hội xã")
    assert "cấp cao nhất" in admin.text
    assert not await obligations.local_days_off(roster_db)
    assert await denied(roster_db, "org_setting") == [COMMUNE_ADMIN_TG]


async def test_days_off_changes_are_audited(harness: Harness, roster_db: Database) -> None:
    admin = Chat(harness, ADMIN_TG, "Hà")
    await admin.send("/ngaynghi 15/12/2026 Lễ hội")
    await admin.send("/ngaynghi xoa 15/12/2026")
    actions = [(e.action, e.details.get("day")) for e in reversed(await audit.entries(roster_db))
               if e.action.startswith("day_off.")]
    assert actions == [("day_off.add", "2026-12-15"), ("day_off.remove", "2026-12-15")]


async def test_a_commune_admin_cannot_change_topics_or_the_transfer_rule(
    harness: Harness, roster_db: Database
) -> None:
    district = Chat(harness, ADMIN_TG, "Hà")
    await district.send("/chude Nghị quyết Đại hội XIV")
    admin = await commune_admin(harness, roster_db)
    await admin.send("/chude Chủ đề của xã")
    assert "cấp cao nhất" in admin.text
    quarter = "2026-Q4"
    assert [x.title for x in await topics.topics_of(roster_db, quarter)] == ["Nghị quyết Đại hội XIV"]
    [topic] = await topics.topics_of(roster_db, quarter)
    await forge_callback(harness, COMMUNE_ADMIN_TG, f"tp:rm:{topic.id}", admin.screen.message_id)
    assert len(await topics.topics_of(roster_db, quarter)) == 1
    await admin.send("/quytac")
    assert "cấp cao nhất" in admin.text
    assert await denied(roster_db, "org_setting") == [COMMUNE_ADMIN_TG] * 3


async def test_excusing_offers_and_accepts_only_cells_in_scope(harness: Harness, roster_db: Database) -> None:
    """CAN-010's own cells lie in Đăk Ruồng and Đăk Tờ Re; CAN-004's in Tân Lập only."""
    await roster_db.execute("UPDATE cadres SET unit_id = (SELECT id FROM units WHERE code = 'KR-TLAP') "
                            "WHERE code = 'CAN-010'")
    # A cadre with cells both inside and outside Tân Lập.
    t1 = await roster_db.fetchval("SELECT id FROM cells WHERE code = 'CB-KR-DRUONG-T1'")
    cadre = await roster.cadre_by_code(roster_db, TAN_LAP_CADRE)
    assert cadre is not None
    await roster_db.execute(
        "INSERT INTO assignments (cadre_id, cell_id, starts_on, updated_at) VALUES (?, ?, '2026-01-01', '2026-01-01')", (cadre.id, t1)
    )
    admin = await commune_admin(harness, roster_db)
    await admin.send("/mienbaocao")
    await admin.send("Nhung")
    await admin.press("Phạm Thị Hồng Nhung")
    assert not any("Đăk Ruồng" in label for label in admin.buttons), admin.buttons
    assert any("Tân Lập" in label or "thôn 2" in label.lower() for label in admin.buttons), admin.buttons
    await forge_callback(harness, COMMUNE_ADMIN_TG, f"ex:l:{t1}", admin.screen.message_id)
    assert "ngoài phạm vi" in admin.text
    assert await denied(roster_db, "cell_out_of_scope") == [COMMUNE_ADMIN_TG]


async def test_revoking_an_excusal_out_of_scope_is_answered_once_and_audited(harness: Harness, roster_db: Database) -> None:
    """A forged «Thu hồi» (an excusal id that is not the admin's to revoke) is answered
    once, with the one expired answer (handlers/flow.answer_expired), and audited. Before,
    the button was answered twice (an empty answer, then the refusal's)."""
    admin = await commune_admin(harness, roster_db)
    await admin.send("/mienbaocao")
    user = admin.user
    await harness.handled(await user.press_data("ex:rv:999999", message=admin.screen))
    answers = harness.simulator.calls("answerCallbackQuery")
    assert [c.status for c in answers] == [200]
    assert "Nút này đã cũ" in (user.callback_answers[-1]["text"] or "") and "Nút này đã cũ" in admin.text
    assert await denied(roster_db, "excuse_out_of_scope") == [COMMUNE_ADMIN_TG]
