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
    text = unicodedata.normalize("NFC", raw)
    kept = []
    for char in text:
        if char in _DROP:
            continue
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            continue
        kept.append(" " if char == "\t" else char)
    lines = [" ".join(line.split()) for line in "".join(kept).split("\n")]
    cleaned = "\n".join(lines).strip()
    while "\n\n\n" in cleaned:
        cleaned = cleaned.replace("\n\n\n", "\n\n")
    if not cleaned:
        raise TextEmpty
    if len(cleaned) > limit:
        raise TextTooLong(len(cleaned), limit)
    return cleaned
