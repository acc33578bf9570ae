"""Vietnamese alphabetical order (issue 12, item 21): the sort key, and the lists that use
it, through the real Application on the simulator."""

from __future__ import annotations

import unicodedata

from bot.harness import Harness
from domain.collation import natural_key, sort_key, sorted_by_name
from storage.db import Database
from tests.helpers import Chat


def ordered(*names: str) -> list[str]:
    return sorted(names, key=sort_key)


def test_d_with_stroke_comes_after_d() -> None:
    assert ordered("Eo", "Đinh", "Dương", "Cao", "Đào") == ["Cao", "Dương", "Đào", "Đinh", "Eo"]


def test_letters_with_marks_have_their_dictionary_place() -> None:
    assert ordered("Bé", "Âu", "Ăn", "An") == ["An", "Ăn", "Âu", "Bé"]
    assert ordered("Ếch", "Em", "Gà") == ["Em", "Ếch", "Gà"]
    assert ordered("Ơn", "Ông", "Oanh", "Phúc") == ["Oanh", "Ông", "Ơn", "Phúc"]
    assert ordered("Vân", "Ứng", "Uyên") == ["Uyên", "Ứng", "Vân"]


def test_tones_in_dictionary_order() -> None:
    tones = ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"]  # ngang, huyền, hỏi, ngã, sắc, nặng
    assert ordered(*reversed(tones)) == tones


def test_letters_decide_before_tones_and_case() -> None:
    assert ordered("Hà Bình", "Ha Anh") == ["Ha Anh", "Hà Bình"]
    assert ordered("hà", "Ha") == ["Ha", "hà"]
    assert ordered("Hùng", "hung")[0] == "hung"


def test_a_word_ends_before_a_longer_one() -> None:
    assert ordered("An Bình", "A Vương", "Anh") == ["A Vương", "An Bình", "Anh"]


def test_where_the_tone_mark_sits_and_the_normal_form_do_not_matter() -> None:
    assert sort_key("Hoà")[:2] == sort_key("Hòa")[:2]
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Hùng")
    assert sort_key(decomposed)[:3] == sort_key("Nguyễn Văn Hùng")[:3]


def test_numbers_compare_as_numbers() -> None:
    assert sorted(["Thôn 10", "Thôn 2", "Thôn 1"], key=natural_key) == ["Thôn 1", "Thôn 2", "Thôn 10"]


def test_chosen_items_lead() -> None:
    assert sorted_by_name(["Đăk Ruồng", "Tân Lập", "Đăk Kôi"], str, first=lambda n: n == "Tân Lập") == [
        "Tân Lập", "Đăk Kôi", "Đăk Ruồng"
    ]


# --- the lists ---------------------------------------------------------------------------------

COMMUNE_ADMIN_TG = 2099
EXPECTED = [
    "Ân Văn Cả", "Âu Thị Dạ", "Dương Thị Bé", "Đinh Văn An",
    "Hà Văn Tư", "Hả Văn Tư", "Há Văn Tư", "Hạ Văn Tư",
]


async def tan_lap_with_names(db: Database) -> None:
    """The commune admin CAN-010 of Tân Lập, whose scope holds exactly eight other cadres."""
    commune = await db.fetchval("SELECT id FROM units WHERE code = 'KR-TLAP'")
    await db.execute(
        "UPDATE cadres SET role = 'admin', unit_id = ?, telegram_id = ? WHERE code = 'CAN-010'",
        (commune, COMMUNE_ADMIN_TG),
    )
    for code, name in [("CAN-003", "Đinh Văn An"), ("CAN-004", "Dương Thị Bé"), ("CAN-005", "Ân Văn Cả"),
                       ("CAN-025", "Âu Thị Dạ")]:
        await db.execute("UPDATE cadres SET full_name = ? WHERE code = ?", (name, code))
    for n, name in enumerate(["Hạ Văn Tư", "Há Văn Tư", "Hà Văn Tư", "Hả Văn Tư"]):
        await db.execute(
            "INSERT INTO cadres (code, full_name, unit_id, updated_at) VALUES (?, ?, ?, '2026-01-01')",
            (f"TEST-{n}", name, commune),
        )


async def test_the_cadre_picker_lists_names_in_vietnamese_order(harness: Harness, roster_db: Database) -> None:
    await tan_lap_with_names(roster_db)
    admin = Chat(harness, COMMUNE_ADMIN_TG, "Huy")
    await admin.send("/baocaothay")
    assert admin.buttons[:8] == EXPECTED


async def test_a_commune_admin_sees_their_commune_first(harness: Harness, roster_db: Database) -> None:
    await tan_lap_with_names(roster_db)
    admin = Chat(harness, COMMUNE_ADMIN_TG, "Huy")
    await admin.send("/baocao")
    await admin.press("🔎")  # «Chi bộ khác»: the communes
    communes = [b for b in admin.buttons if not b.startswith(("Chi bộ", "✖", "◀", "⬅", "Sau", "🔎"))]
    assert communes[0] == "Tân Lập", admin.buttons
    assert communes[1:] == sorted(communes[1:], key=natural_key)
    assert communes[1] == "Đăk Kôi"  # then in Vietnamese order (before: "Thị trấn Mộ Đức")
