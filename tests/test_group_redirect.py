"""Private flows sent in a group chat (issue 12, item 12): a short note with a link to the
private chat, and the flow never runs in the group. Through the real Application on the
simulator."""

from __future__ import annotations

from bot.channels import ZALO
from bot.config import Config
from bot.harness import Harness, bot_with_simulator
from domain.clock import ManualClock
from storage import audit
from storage.db import Database
from tests.channels import link_on_zalo, zalo_id
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat

GROUP_ID = -5001


async def in_group(harness: Harness, user_id: int, command: str) -> list[str]:
    group = harness.simulator.group(GROUP_ID, "Chi bộ thôn 9")
    before = len(group.messages())
    await harness.handled(await group.send_command(harness.simulator.user(user_id, "Hùng"), command))
    return [m.text or "" for m in group.messages()[before:]]


async def test_private_flows_in_a_group_answer_with_a_link_and_never_run(harness: Harness) -> None:
    for command in ("baocao", "mohinh", "cuatoi", "xembaocao", "report"):
        [note] = await in_group(harness, CADRE_TG, command)
        assert "trò chuyện riêng" in note, command
        assert "https://t.me/baocao_bot?start=" in note, command
        assert "Bước" not in note and "thôn 9" not in note.lower()  # no flow, no private data
    # Nothing was started in the group: a text there is not taken as a step's answer.
    group = harness.simulator.group(GROUP_ID, "Chi bộ thôn 9")
    before = len(group.messages())
    await harness.handled(await group.send_text(harness.simulator.user(CADRE_TG, "Hùng"), "Chi bộ thôn 9"))
    assert len(group.messages()) == before
    # The cadre's private chat got nothing from all this.
    assert harness.simulator.user(CADRE_TG, "Hùng").messages() == []


async def test_admin_flows_in_a_group_are_sent_to_the_private_chat_too(harness: Harness) -> None:
    [note] = await in_group(harness, ADMIN_TG, "mienbaocao")
    assert "https://t.me/baocao_bot?start=mienbaocao" in note
    [note] = await in_group(harness, ADMIN_TG, "baocaothay")
    assert "https://t.me/baocao_bot?start=baocaothay" in note
    assert await audit.entries(harness.application.bot_data.db, action="denied.report_on_behalf") == []


async def test_the_link_opens_the_private_chat_with_the_command_to_tap(harness: Harness) -> None:
    [note] = await in_group(harness, CADRE_TG, "baocao")
    payload = note.split("?start=", 1)[1].split()[0]
    cadre = Chat(harness, CADRE_TG)
    await cadre.send(f"/start {payload}")
    assert cadre.text.startswith("Xin chào đồng chí Nguyễn Văn Hùng!")
    assert cadre.text.rstrip().endswith("👉 Bấm /baocao để bắt đầu.")


async def test_an_english_user_gets_the_note_in_english(harness: Harness) -> None:
    group = harness.simulator.group(GROUP_ID, "Group")
    user = harness.simulator.user(CADRE_TG, "Hùng", language_code="en")
    await harness.application.bot_data.db.execute("UPDATE cadres SET language = 'en' WHERE code = 'CAN-001'")
    await harness.handled(await group.send_command(user, "baocao"))
    note = group.last_message()
    assert note is not None and "private chat" in (note.text or "")


async def test_on_zalo_the_way_to_the_private_chat_is_said_in_zalo_words(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    await link_on_zalo(roster_db, "CAN-001", zalo_id(CADRE_TG))
    async with bot_with_simulator(config, clock=clock, poll_timeout=1, channel=ZALO) as harness:
        sim = harness.simulator.zalo
        group = sim.group("zg-1", "Chi bộ thôn 9")
        user = sim.user(zalo_id(CADRE_TG), "Hùng")
        update_id = await group.send_text(user, "/baocao")
        assert update_id is not None
        await harness.handled(update_id)
        [note] = [m.content for m in group.messages()]
        assert "trên Zalo rồi gửi /baocao" in note and "t.me" not in note
