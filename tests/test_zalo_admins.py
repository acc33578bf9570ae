"""Admins on Zalo (issue 10): admins come from the roster, whatever the messenger.

BAOCAO_ADMINS names Telegram accounts; an admin who writes from Zalo is an admin by the
roster's role (linked with an invite code), and a person named in BAOCAO_ADMINS keeps
their powers from their Zalo account too. Through the real Application on both channels.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.channels import ZALO
from bot.config import Config, ConfigError, load_config
from bot.harness import Harness, bot_with_simulator
from bot.simulator import TelegramSimulator
from domain.clock import ManualClock
from storage.db import Database
from tests.channels import link_on_zalo, person, zalo_id
from tests.conftest import ADMIN_TG, CADRE_CODE, CADRE_TG

# Every admin command a committee's office uses in a private chat (/dangkynhom is a
# group's: tests/test_channel_flows.py), with what shows that it was not refused.
ADMIN_COMMANDS = {
    "/kiennghi": "kiến nghị",
    "/chude": "Chủ đề phổ biến",
    "/mienbaocao": "",
    "/ngaynghi": "",
    "/quytac": "",
    "/golienket": "",
    "/baocaoquy": "",
    "/tailieu": "",
    "/hop": "",
    "/baocaothay": "",
    "/mucquy": "",
}


async def denials(db: Database) -> int:
    return int(await db.fetchval("SELECT count(*) FROM audit_log WHERE action LIKE 'denied.%'"))


@pytest.mark.parametrize("command", sorted(ADMIN_COMMANDS))
async def test_a_roster_admin_has_every_admin_power_on_either_messenger(
    channel_harness: Harness, roster_db: Database, command: str
) -> None:
    admin = person(channel_harness, ADMIN_TG, "Văn phòng")
    await admin.send(command)
    assert await denials(roster_db) == 0, admin.text
    assert "chỉ dành cho quản trị viên" not in admin.text
    assert ADMIN_COMMANDS[command] in admin.text
    cadre = person(channel_harness, CADRE_TG)  # the same command from a cadre: refused
    await cadre.send(command)
    assert await denials(roster_db) == 1


async def test_baocao_admins_count_for_the_same_person_on_zalo(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    """CAN-001 is no admin in the roster, but their Telegram id is in BAOCAO_ADMINS: from
    their Zalo account they may change the organisation's settings (a top admin's power)."""
    await link_on_zalo(roster_db, CADRE_CODE, zalo_id(CADRE_TG))
    named = replace(config, admin_ids=frozenset({CADRE_TG}))
    async with TelegramSimulator() as sim:  # one simulator: its Zalo event ids go on
        async with bot_with_simulator(named, clock=clock, simulator=sim, poll_timeout=1, channel=ZALO) as harness:
            cadre = person(harness, CADRE_TG)
            await cadre.send("/ngaynghi 28/12/2026 Nghỉ bù")
            assert await denials(roster_db) == 0, cadre.text
            assert "28/12/2026" in cadre.text
        async with bot_with_simulator(config, clock=clock, simulator=sim, poll_timeout=1, channel=ZALO) as harness:
            cadre = person(harness, CADRE_TG)
            await cadre.send("/ngaynghi 29/12/2026 Nghỉ bù")  # not named any more: refused
            assert await denials(roster_db) == 1


def test_baocao_admins_says_where_zalo_admins_come_from() -> None:
    with pytest.raises(ConfigError, match="Zalo accounts are made admins by the roster"):
        load_config(env={"BAOCAO_ADMINS": "zalo:8123456789"})
