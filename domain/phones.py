"""Vietnamese phone numbers: the roster and Telegram's contacts write them differently."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s.\-()]")


class PhoneError(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """Returns the number as +84 followed by 9 digits.

    Accepts the forms people and Telegram use: 0912 345 678, 0912.345.678, +84912345678,
    84912345678, 912345678 (Excel drops the leading zero of a number typed in a cell).
    """
    # Fullwidth and other Unicode digits (some phone keyboards) become ASCII first; after
    # that only 0-9 count as digits.
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw).strip())
    if text.startswith("+"):
        text = text[1:]
        if not text.startswith("84"):
            raise PhoneError("not a Vietnamese number")
    if not (text.isascii() and text.isdigit()):
        raise PhoneError("a phone number has only digits")
    if text.startswith("84") and len(text) == 11:
        national = text[2:]
    elif text.startswith("0") and len(text) == 10:
        national = text[1:]
    elif len(text) == 9 and not text.startswith("0"):
        national = text
    else:
        raise PhoneError("a Vietnamese mobile number has 10 digits, starting with 0")
    if national[0] not in "35789":
        raise PhoneError("not a Vietnamese mobile number")
    return "+84" + national
