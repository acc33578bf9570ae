"""One-time invite codes: how they are made, written, read back and hashed. Pure functions.

A code is 8 characters from an alphabet without the look-alikes 0/O and 1/I/L, so it can
be read aloud over the phone or copied from paper without doubt. It is shown as
``ABCD-EFGH`` and read back case-insensitively, with or without the dash or spaces
(phones like to capitalise, autocorrect a hyphen into a dash, or insert a space).

The database keeps only an HMAC-SHA256 of the code, keyed with a random salt made once
per database (migration 0003). Why a keyed hash rather than plain SHA-256: the same code
hashes differently in every installation, so no table of precomputed hashes of the
8.5·10¹¹ possible codes works against any of them, and a hash copied from one database
says nothing about another. What it does not do is stop someone who has stolen the whole
database file (salt included) from trying every code offline; that is why codes are
short-lived, single-use and revoked by a newer one, and why such a thief has everything
anyway. A deterministic hash (not a per-code salt) keeps the lookup of a typed code one
indexed query.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import date, datetime, time, timedelta, tzinfo

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
DEFAULT_DAYS = 14

# What people put between the characters of a code: spaces, a hyphen, or the dash a
# phone's autocorrect makes of it.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_]+")
_CHAR = f"[{ALPHABET}{ALPHABET.lower()}]"
_SEP = r"[\s\-‐‑‒–—_]*"
# A whole message that is a code (for the handlers' filters), separators allowed between
# the characters, any case.
CODE_PATTERN = f"{_CHAR}(?:{_SEP}{_CHAR}){{{CODE_LENGTH - 1}}}"
CODE_MESSAGE = re.compile(rf"^\s*{CODE_PATTERN}\s*$")
# A message shaped like a code though it cannot be one (a 0, 1, I, L or O in it, a typo):
# four and four letters or digits, split by a separator or with a digit among them. Its
# sender is told the code is wrong, not greeted as if they had sent nothing of the kind.
CODE_SHAPED = re.compile(r"^\s*(?:[A-Za-z0-9]{4}[\s\-‐‑‒–—_]+[A-Za-z0-9]{4}|(?=[A-Za-z]*\d)[A-Za-z0-9]{8})\s*$")


def new_code() -> str:
    """A fresh code in its canonical form (8 characters, no dash), from the OS's randomness."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``ABCDEFGH`` → ``ABCD-EFGH``, the form printed for people."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(text: str) -> str | None:
    """The canonical code typed in ``text``, or None when it cannot be one."""
    candidate = _SEPARATORS.sub("", text).upper()
    if len(candidate) != CODE_LENGTH or any(c not in ALPHABET for c in candidate):
        return None
    return candidate


def hash_code(code: str, salt: str) -> str:
    """The stored form of a canonical code: HMAC-SHA256 keyed with the database's salt."""
    return hmac.new(salt.encode(), code.encode(), hashlib.sha256).hexdigest()


def last_valid_day(now: datetime, days: int) -> date:
    """The day printed on the code: it works until the end of that day, local time."""
    return now.date() + timedelta(days=days)


def expires_at(now: datetime, days: int) -> datetime:
    """The moment the code stops working: midnight after its last valid day, in now's zone."""
    zone: tzinfo | None = now.tzinfo
    return datetime.combine(last_valid_day(now, days) + timedelta(days=1), time(0), zone)


def deep_link(bot_username: str, code: str) -> str:
    """A link that opens the bot and sends ``/start CODE`` with one tap."""
    return f"https://t.me/{bot_username}?start={code}"
