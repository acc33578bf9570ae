"""/chude: admins set the quarter's topics; cadres tap them in the visit report."""

from storage import audit
from storage.db import Database
from tests.conftest import ADMIN_TG, CADRE_TG
from tests.helpers import Chat


async def test_admin_sets_topics_and_a_cadre_taps_them(harness, roster_db: Database) -> None:
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/chude Nghị quyết số 18-NQ/TW về tinh gọn bộ máy")
    await admin.send("/chude Chỉ thị 05-CT/TW")
    assert "• Nghị quyết số 18-NQ/TW về tinh gọn bộ máy\n• Chỉ thị 05-CT/TW" in admin.text
    await admin.send("/chude Chỉ thị 05-CT/TW")
    assert any("«Chỉ thị 05-CT/TW» đã có rồi" in (m.text or "") for m in admin.user.messages())

    cadre = Chat(harness, CADRE_TG)
    await cadre.send("/baocao")
    await cadre.press("Chi bộ thôn 9")
    await cadre.press("Hôm nay")
    assert "Bấm để chọn các chủ đề của quý" in cadre.text
    await cadre.press("☐ Chỉ thị 05")
    assert "☑ Chỉ thị 05-CT/TW" in cadre.buttons
    await cadre.press("Tiếp")
    await cadre.press("Không có kiến nghị")
    await cadre.press("Bỏ qua")
    await cadre.press("✅ Gửi")
    stored = await roster_db.fetchval("SELECT disseminated FROM visit_reports")
    assert stored == "Chỉ thị 05-CT/TW"
    assert [e.action for e in await audit.entries(roster_db, action="topic.add")] == ["topic.add", "topic.add"]


async def test_a_topic_can_be_removed_and_cadres_cannot_manage_topics(harness, roster_db: Database) -> None:
    admin = Chat(harness, ADMIN_TG)
    await admin.send("/chude Chỉ thị 05-CT/TW")
    await admin.press("🗑 Chỉ thị 05")
    assert "(chưa có chủ đề nào)" in admin.text
    cadre = Chat(harness, CADRE_TG)
    assert "chỉ dành cho quản trị viên" in (await cadre.send("/chude Bất kỳ")).text
    assert await roster_db.fetchval("SELECT count(*) FROM quarter_topics WHERE active = 1") == 0
