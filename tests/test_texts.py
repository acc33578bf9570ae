import pytest

from bot.texts import EN, LANGUAGES, TEXTS, VI, pick_language, placeholders, t


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == set(LANGUAGES), key
    assert placeholders(entry[VI]) == placeholders(entry[EN]), key
    assert entry[VI].strip() and entry[EN].strip()


def test_vietnamese_texts_have_diacritics() -> None:
    # A text typed without diacritics reads as careless to the users; check the long ones.
    ascii_only = [k for k, e in TEXTS.items() if len(e[VI]) > 20 and e[VI].isascii()]
    assert ascii_only == []


def test_language_choice() -> None:
    assert pick_language(None, None) == VI
    assert pick_language(None, "vi-VN") == VI
    assert pick_language(None, "en") == EN
    assert pick_language(None, "ru") == EN
    assert pick_language("vi", "en") == VI
    assert pick_language("en", "vi") == EN
    assert t("admin_only", "xx") == TEXTS["admin_only"][VI]
