"""Kinds of residential area (khu dân cư): thôn, làng, tổ dân phố…, read from the name.

The roster stores every unit under a commune as a 'village' and keeps no word for its
kind; the name does («Thôn 9», «Tổ dân phố 1», «Làng Kon Skôi»). An admin who sends
materials to "the street groups" or "the villages" chooses by that leading word.
"""

from __future__ import annotations

from domain.textinput import fold

# Leading words of residential areas' names, longest first so «tổ dân phố» wins over «tổ».
AREA_WORDS = (
    "tổ dân phố", "khu dân cư", "khối phố", "khu phố", "thôn", "làng", "xóm", "ấp", "bản", "buôn",
    "plei", "khu", "tổ", "khối", "sóc", "phum",
)
OTHER = "khác"


def area_kind(name: str) -> str:
    """The kind of area a name starts with, as written in AREA_WORDS ('khác' for none)."""
    folded = fold(name)
    for word in AREA_WORDS:
        key = fold(word)
        if folded == key or folded.startswith(key + " "):
            return word
    return OTHER
