"""No text shown on Zalo tells the user to press a button (issue 10: Zalo has none).

Every catalogue text is read as the Zalo channel reads it (``text_variant`` set to
Zalo, so ``key@zalo`` wins where there is one); only the terminal's texts and the few
that exist on Telegram alone (a shared contact, a t.me link) are left out, each for a
stated reason. A new text that says «bấm» without a Zalo wording fails here.
"""

from __future__ import annotations

import re

import pytest

from bot.channels import ZALO
from bot.texts import LANGUAGES, TEXTS, placeholders, t, text_variant

BUTTON_WORDS = re.compile(r"\b(bấm|nhấn|nút|chạm|press(ed)?|tap(ped)?|buttons?|click)\b", re.IGNORECASE)

# Never shown in a Zalo chat, and why.
TELEGRAM_ONLY = {
    "unknown_user": "Zalo shows unknown_user.invite_only (handlers/start.py): no contact sharing",
    "reg.contact_not_own": "answers a shared contact, which Zalo cannot send",
    "private.link.telegram": "a t.me deep link; ZaloBot.private_chat_link says private.link.zalo",
}


def shown_on_zalo() -> list[str]:
    return sorted(
        key for key in TEXTS
        if "@" not in key and not key.startswith("cli.") and key not in TELEGRAM_ONLY
    )


def as_on_zalo(key: str, lang: str) -> str:
    token = text_variant.set(ZALO)
    try:
        template = TEXTS.get(f"{key}@zalo", TEXTS[key])[lang]
        return t(key, lang, **{name: "x" for name in placeholders(template)})
    finally:
        text_variant.reset(token)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_shown_on_zalo_says_to_press_a_button(lang: str) -> None:
    offending = {key: as_on_zalo(key, lang) for key in shown_on_zalo() if BUTTON_WORDS.search(as_on_zalo(key, lang))}
    assert offending == {}


def test_the_telegram_wording_is_kept_on_telegram() -> None:
    """The variants are Zalo's only: Telegram still says «bấm» where it has buttons."""
    assert "Bấm" in t("esc.answer_review", "vi", number=1, answer="x")
    assert "Bấm" not in as_on_zalo("esc.answer_review", "vi")


def test_every_zalo_variant_has_a_base_text_with_the_same_placeholders() -> None:
    for key in (k for k in TEXTS if k.endswith("@zalo")):
        base = key.removesuffix("@zalo")
        assert base in TEXTS, key
        for lang in LANGUAGES:
            assert placeholders(TEXTS[key][lang]) <= placeholders(TEXTS[base][lang]) | {
                "org", "office", "office_contact"
            }, key
