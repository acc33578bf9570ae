"""Numbers read from callback data and commands: strict, because anyone can send them.

``str.isdigit()`` is true for '²' or '①' (which ``int()`` then refuses) and says nothing
of size (SQLite stores 64-bit integers). Buttons of old messages and modified clients
send such data; it must read as "no such thing", never as a crash.
"""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}")


def parse_id(text: str | None) -> int | None:
    """A row id or a page number written in ASCII digits, else None."""
    if text is None or _ID.fullmatch(text) is None:
        return None
    return int(text)
