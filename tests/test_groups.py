"""Registering group chats for summaries (/dangkynhom, /huydangky) and /tonghop, through
the real Application on the simulator."""

from __future__ import annotations

from bot.harness import Harness
from bot.simulator import SimGroup, SimUser
from storage import escalations, groups
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_TG

GROUP_ID = -2001


def people(harness: Harness) -> tuple[SimUser, SimUser, SimGroup]:
    sim = harness.simulator
    return sim.user(ADMIN_TG, "Hà"), sim.user(CADRE_TG, "Hùng"), sim.group(GROUP_ID, "Văn phòng Huyện ủy")


async def command(harness: Harness, group: SimGroup, who: SimUser, text: str, args: str = "") -> str:
    await harness.handled(await group.send_command(who, text, args))
    message = group.last_message()
    assert message is not None, "the bot answered nothing"
    return message.text or ""


def app_db(harness: Harness) -> Database:
    return harness.application.bot_data.db


async def unit_code(db: Database, unit_id: int | None) -> str | None:
    return None if unit_id is None else await db.fetchval("SELECT code FROM units WHERE id = ?", (unit_id,))


async def test_an_admin_registers_the_group_for_their_district(harness: Harness) -> None:
    admin, _, group = people(harness)
    reply = await command(harness, group, admin, "dangkynhom")
    assert "Đã đăng ký nhóm «Văn phòng Huyện ủy» nhận tổng hợp của Kon Rẫy" in reply
    assert "thứ Hai hằng tuần lúc 8:00" in reply
    registered = await groups.get(app_db(harness), GROUP_ID)
    assert registered is not None and registered.active and registered.purpose == "summary"
    assert await unit_code(app_db(harness), registered.unit_id) == "KR"


async def test_a_commune_by_name_without_diacritics_or_by_code(harness: Harness) -> None:
    admin, _, group = people(harness)
    assert "nhận tổng hợp của Đăk Ruồng" in await command(harness, group, admin, "dangkynhom", "xa dak ruong")
    registered = await groups.get(app_db(harness), GROUP_ID)
    assert registered is not None and await unit_code(app_db(harness), registered.unit_id) == "KR-DRUONG"
    assert "nhận tổng hợp của Tân Lập" in await command(harness, group, admin, "dangkynhom", "kr-tlap")


async def test_an_unknown_unit_is_explained(harness: Harness) -> None:
    admin, _, group = people(harness)
    reply = await command(harness, group, admin, "dangkynhom", "Xã Không Có")
    assert "Không tìm thấy đơn vị «Xã Không Có»" in reply
    assert await groups.get(app_db(harness), GROUP_ID) is None


async def test_btv_makes_it_the_standing_committees_group(harness: Harness) -> None:
    admin, _, group = people(harness)
    reply = await command(harness, group, admin, "dangkynhom", "btv")
    assert "là nhóm Ban Thường vụ (Kon Rẫy)" in reply
    assert await escalations.destinations(app_db(harness), frozenset()) == [GROUP_ID]


async def test_a_non_admin_is_refused(harness: Harness) -> None:
    _, cadre, group = people(harness)
    assert "Chỉ quản trị viên" in await command(harness, group, cadre, "dangkynhom")
    assert await groups.get(app_db(harness), GROUP_ID) is None


async def test_registering_is_done_inside_the_group(harness: Harness) -> None:
    admin, _, _ = people(harness)
    await harness.handled(await admin.send_command("dangkynhom"))
    assert "trong nhóm cần đăng ký" in (admin.last_message().text or "")


async def test_summary_in_an_unregistered_group_is_refused(harness: Harness) -> None:
    admin, _, group = people(harness)
    reply = await command(harness, group, admin, "tonghop")
    assert "chưa đăng ký nhận tổng hợp" in reply
    assert harness.simulator.calls("sendPhoto") == []


async def test_unregistering_stops_the_summaries(harness: Harness) -> None:
    admin, cadre, group = people(harness)
    await command(harness, group, admin, "dangkynhom")
    assert "Chỉ quản trị viên" in await command(harness, group, cadre, "huydangky")
    assert "Đã hủy đăng ký" in await command(harness, group, admin, "huydangky")
    registered = await groups.get(app_db(harness), GROUP_ID)
    assert registered is not None and not registered.active
    assert "chưa đăng ký nhận tổng hợp" in await command(harness, group, cadre, "summary")


async def test_summary_in_private_is_for_admins(harness: Harness) -> None:
    admin, cadre, _ = people(harness)
    await harness.handled(await cadre.send_command("tonghop"))
    assert "chỉ dành cho quản trị viên" in (cadre.last_message().text or "")
    await harness.handled(await admin.send_command("tonghop"))
    texts = [m.content for m in admin.messages()]
    assert any(text.startswith("📊 TỔNG HỢP Quý IV/2026\nKon Rẫy") for text in texts)
    assert any(m.kind == "photo" for m in admin.messages())


async def test_help_lists_the_group_commands_for_admins_only(harness: Harness) -> None:
    admin, cadre, _ = people(harness)
    await harness.handled(await admin.send_command("help"))
    assert "/dangkynhom" in (admin.last_message().text or "")
    await harness.handled(await cadre.send_command("help"))
    assert "/dangkynhom" not in (cadre.last_message().text or "")


# --- scoped admins ----------------------------------------------------------------------------------

COMMUNE_ADMIN_TG = 2099


async def commune_admin(harness: Harness) -> SimUser:
    """CAN-010 made the admin of the commune of Tân Lập."""
    db = app_db(harness)
    commune = await db.fetchval("SELECT id FROM units WHERE code = 'KR-TLAP'")
    await db.execute(
        "UPDATE cadres SET role = 'admin', unit_id = ?, telegram_id = ? WHERE code = 'CAN-010'",
        (commune, COMMUNE_ADMIN_TG),
    )
    return harness.simulator.user(COMMUNE_ADMIN_TG, "Huy")


async def denials(harness: Harness) -> list[int | None]:
    from storage import audit

    return [e.telegram_id for e in await audit.entries(app_db(harness), action="denied.group_out_of_scope")]


async def test_a_commune_admin_registers_a_group_for_their_commune_only(harness: Harness) -> None:
    admin = await commune_admin(harness)
    group = harness.simulator.group(GROUP_ID, "Chi bộ xã Tân Lập")
    reply = await command(harness, group, admin, "dangkynhom", "xa dak ruong")
    assert "chỉ đăng ký hoặc hủy đăng ký được nhóm nhận tổng hợp của Tân Lập" in reply
    assert await groups.get(app_db(harness), GROUP_ID) is None
    assert await denials(harness) == [COMMUNE_ADMIN_TG]
    assert "chỉ đăng ký" in await command(harness, group, admin, "dangkynhom", "KR")  # the district
    assert "chỉ đăng ký" in await command(harness, group, admin, "dangkynhom", "btv")
    assert await groups.get(app_db(harness), GROUP_ID) is None and len(await denials(harness)) == 3

    assert "nhận tổng hợp của Tân Lập" in await command(harness, group, admin, "dangkynhom")  # the default
    registered = await groups.get(app_db(harness), GROUP_ID)
    assert registered is not None and await unit_code(app_db(harness), registered.unit_id) == "KR-TLAP"
    assert "nhận tổng hợp của Thôn 3" in await command(harness, group, admin, "dangkynhom", "KR-TLAP-T3")
    registered = await groups.get(app_db(harness), GROUP_ID)
    assert registered is not None and await unit_code(app_db(harness), registered.unit_id) == "KR-TLAP-T3"


async def test_a_commune_admin_cannot_unregister_the_districts_group(harness: Harness) -> None:
    district_admin, _, group = people(harness)
    await command(harness, group, district_admin, "dangkynhom")
    admin = await commune_admin(harness)
    assert "chỉ đăng ký hoặc hủy đăng ký" in await command(harness, group, admin, "huydangky")
    registered = await groups.get(app_db(harness), GROUP_ID)
    assert registered is not None and registered.active
    assert await denials(harness) == [COMMUNE_ADMIN_TG]


async def test_a_commune_admins_private_summary_covers_their_commune_only(harness: Harness) -> None:
    admin = await commune_admin(harness)
    await harness.handled(await admin.send_command("tonghop"))
    text = "\n".join(m.content for m in admin.messages())
    assert text.startswith("📊 TỔNG HỢP Quý IV/2026\nTân Lập")
    assert "• Tân Lập: 0/5 (0%)" in text
    assert "Đăk Ruồng" not in text and "Nguyễn Văn Hùng" not in text
