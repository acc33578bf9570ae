"""Vietnamese alphabetical order, as a dictionary or a roster lists names.

Python sorts by code point: "Đinh" after "Hà" and "Ân" after "Yên", and a plain
``ORDER BY`` in SQLite does the same. ICU has the Vietnamese collation, but PyICU ships no
wheel and needs the ICU headers and a compiler on every machine, so the rule is here, in
one place, for every list of names (cadre pickers, summaries, due lists, communes).

The alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z, in
foreign names, where the Latin alphabet puts them). Letters decide first, ignoring
tones and case; then the tones, word by word, in dictionary order: ngang, huyền, hỏi,
ngã, sắc, nặng; then case. Numbers inside a name compare as numbers ("Thôn 2" before
"Thôn 10").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}

# Tones are combining marks after NFD; ngang (no mark) is 0.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a letter of their own: ă (breve), â ê ô (circumflex), ơ ư (horn).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

_NUMBER = re.compile(r"\d+")

SortKey = tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...], str]


def sort_key(text: str) -> SortKey:
    """A key that sorts texts in Vietnamese alphabetical order (see the module doc)."""
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    cases: list[int] = []
    tone = 0
    for base, marks in _letters(unicodedata.normalize("NFD", text)):
        if base.isspace():
            tones.append(tone)  # one tone per word: where the mark sits does not matter
            tone = 0
            if letters and letters[-1] != (0, 0):
                letters.append((0, 0))
            continue
        tone = max(tone, *(_TONES.get(m, 0) for m in marks), 0)
        letter = unicodedata.normalize("NFC", base.lower() + "".join(m for m in marks if m in _LETTER_MARKS))
        letters.append(_rank(letter))
        cases.append(1 if base.isupper() else 0)
    tones.append(tone)
    return tuple(letters), tuple(tones), tuple(cases), text


def natural_key(text: str) -> tuple[object, ...]:
    """``sort_key`` with the numbers in a name compared as numbers."""
    parts = _NUMBER.split(text)
    numbers = [int(n) for n in _NUMBER.findall(text)]
    return tuple(p for pair in zip(parts, [*numbers, -1], strict=True) for p in (sort_key(pair[0]), pair[1]))


def sorted_by_name(items: Iterable[T], name: Callable[[T], str], *, first: Callable[[T], bool] | None = None) -> list[T]:
    """``items`` in Vietnamese order of ``name(item)``; those ``first`` picks lead."""
    return sorted(items, key=lambda item: (not first(item) if first else False, natural_key(name(item))))


def _letters(decomposed: str) -> Iterable[tuple[str, list[str]]]:
    """Each base character with the combining marks that follow it."""
    base, marks = "", []
    for char in decomposed:
        if unicodedata.combining(char) and base:
            marks.append(char)
            continue
        if base:
            yield base, marks
        base, marks = char, []
    if base:
        yield base, marks


def _rank(letter: str) -> tuple[int, int]:
    """Digits, then letters in the Vietnamese alphabet, then anything else."""
    if letter in _RANK:
        return 2, _RANK[letter]
    if letter.isdigit():
        return 1, ord(letter)
    return 3, ord(letter)
