"""Review fix on materials across messengers (issue 10): a picture an admin sent on Zalo
reaches *every* cell as a picture. The Zalo channel hands back an id of its own for each
copy it sends ("zalo-out-…"), which nothing can send again; keeping it as the material's
file id (as Telegram's are kept) made every later copy a caption without the picture."""

from __future__ import annotations

import pytest

from bot.harness import Harness
from domain.clock import ManualClock
from storage.db import Database
from tests.channels import person
from tests.conftest import ADMIN_TG
from tests.test_materials import TITLE
from tests.test_zalo_materials import TAN_LAP, link_tan_lap_on, sweep


@pytest.mark.parametrize("channel_harness", ["zalo"], indirect=True)
async def test_a_picture_sent_on_zalo_reaches_every_cell_as_a_picture(
    channel_harness: Harness, roster_db: Database, clock: ManualClock
) -> None:
    await link_tan_lap_on(channel_harness, roster_db)
    admin = person(channel_harness, ADMIN_TG, "Văn phòng")
    await admin.send("/tailieu")
    await admin.press("➕ Gửi tài liệu mới")
    await admin.photo()
    await admin.send(TITLE)
    await admin.press("Chi bộ của một xã")
    await admin.press("Tân Lập (5)")
    await admin.press("✅ Gửi")
    uploaded = await roster_db.fetchval("SELECT file_id FROM materials")
    result = await sweep(channel_harness.application, clock)
    assert (result.sent, result.failed) == (5, 0)
    received = [m for _, user_id in TAN_LAP for m in person(channel_harness, user_id).user.messages()]
    copies = [m for m in received if TITLE in (m.caption or m.text or "")]
    assert len(copies) == 5  # Vương is the recipient of two cells
    assert all(m.photo_url and m.photo_url.startswith("http") for m in copies)
    assert await roster_db.fetchval("SELECT file_id FROM materials") == uploaded
