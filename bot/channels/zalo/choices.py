"""Numbered choices instead of buttons, and texts cut to Zalo's 2,000 characters.

A screen's options are shown as ``1. …`` lines below its text (bot/screens.py says why
every screen is a short list). A reply picks one when it is the number (``2``, ``2.``,
`` 2 ``) or the option's own words, ignoring case, diacritics and the emoji in front.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.textinput import fold

MAX_TEXT = 2000
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")
_EDGES = re.compile(r"^[^\w]+|[^\w]+$")

Options = tuple[tuple[str, str], ...]  # (label, callback data)


def render(text: str, options: Options) -> str:
    """The screen as one text: its own text, then one numbered line per option."""
    if not options:
        return text
    lines = [f"{n}. {label}" for n, (label, _) in enumerate(options, start=1)]
    return "\n".join([text, "", *lines])


def choice_lines(options: Options) -> str:
    return "\n".join(f"{n}. {label}" for n, (label, _) in enumerate(options, start=1))


@dataclass(frozen=True, slots=True)
class Reply:
    """How a typed reply relates to the choices on screen."""

    data: str | None = None  # the chosen option's callback data
    missing_number: int | None = None  # a number that is not among the choices


def read_reply(text: str, options: Options) -> Reply:
    if not options:
        return Reply()
    number = _NUMBER.match(text)
    if number is not None:
        index = int(number.group(1))
        if 1 <= index <= len(options):
            return Reply(data=options[index - 1][1])
        return Reply(missing_number=index)
    typed = _words(text)
    if typed:
        for label, data in options:
            if _words(label) == typed:
                return Reply(data=data)
    return Reply()


def _words(text: str) -> str:
    """A label as people type it: no emoji or punctuation around it, folded."""
    return fold(_EDGES.sub("", fold(text)))


def split(text: str, part_label: str, limit: int = MAX_TEXT) -> list[str]:
    """Parts of at most ``limit`` characters, cut at line ends, numbered "(1/3)" when cut.

    A line longer than a whole part (rare: a pasted paragraph) is cut at a space.
    """
    if len(text) <= limit:
        return [text]
    room = limit - len(part_label.format(part=999, parts=999)) - 1
    parts: list[str] = []
    current = ""
    for line in _short_lines(text.split("\n"), room):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > room and current:
            parts.append(current)
            candidate = line
        current = candidate
    if current:
        parts.append(current)
    total = len(parts)
    return [f"{part_label.format(part=n, parts=total)} {p}" for n, p in enumerate(parts, start=1)]


def _short_lines(lines: list[str], room: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        while len(line) > room:
            cut = line.rfind(" ", 0, room)
            cut = cut if cut > room // 2 else room
            out.append(line[:cut])
            line = line[cut:].lstrip()
        out.append(line)
    return out
