"""Free text typed by cadres: cleaned, bounded, never silently cut."""

from __future__ import annotations

import unicodedata

# Invisible characters that only confuse a printed report or a spreadsheet: controls,
# bidirectional overrides and marks, zero-width spaces (ZWJ stays: it builds emoji).
_DROP = {
    "\u200b", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff",
}


class TextTooLong(ValueError):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"{length} characters, at most {limit}")
        self.length = length
        self.limit = limit


class TextEmpty(ValueError):
    pass


def clean_text(raw: str, limit: int) -> str:
    """NFC-normalised text without control or direction characters, at most ``limit`` long.

    Vietnamese typed on different phones arrives composed or decomposed; NFC makes the
    same word the same string. Too long raises rather than truncating: the cadre shortens
    it, and nothing they wrote is lost without them knowing.
    """
    kept = []
    for char in raw:
        if char in _DROP:
            continue
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            continue
        kept.append(" " if char == "\t" else char)
    # NFC after the invisible characters are gone, so that a mark they separated from its
    # letter composes with it: the same word is always stored the same way.
    text = unicodedata.normalize("NFC", "".join(kept))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    cleaned = "\n".join(lines).strip()
    while "\n\n\n" in cleaned:
        cleaned = cleaned.replace("\n\n\n", "\n\n")
    if not cleaned:
        raise TextEmpty
    if len(cleaned) > limit:
        raise TextTooLong(len(cleaned), limit)
    return cleaned


def fold(text: str) -> str:
    """Text as a search compares it: lower case, no diacritics, single-spaced.

    Cadres often type without a Vietnamese keyboard: "dak ruong" must find "Đăk Ruồng".
    đ is a letter of its own in Unicode, not d with a mark, so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def matches(query: str, *fields: str) -> bool:
    """Every word of the query appears in one of the fields, diacritics or not."""
    haystack = " ".join(fold(f) for f in fields)
    return all(word in haystack for word in fold(query).split())
