"""Cutting a long text into messages a messenger accepts: under Telegram's 4096 UTF-16
code units, at section or line boundaries, numbered "(part 1/3)" when there are several.
Shared by every summary (scheduler/summaries.py, scheduler/summary_text.py)."""

from __future__ import annotations

from bot.texts import t

MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 code units
PART_RESERVE = 24  # room for "(phần 10/12)"


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, lang: str = "vi", limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cuts a text into messages of at most ``limit``: a section moves whole to the next
    message when it fits in one; a longer section is cut between lines (a monstrous
    line, anywhere). Several messages are numbered "(part n/total)"."""
    if utf16_len(text) <= limit:
        return [text]
    packer = _Packer(limit - PART_RESERVE)
    for block in text.split("\n\n"):
        if utf16_len(block) <= packer.budget:
            packer.add(block, "\n\n")
            continue
        for number, line in enumerate(block.split("\n")):
            for cut, part in enumerate(_cut(line, packer.budget)):
                packer.add(part, "" if cut else "\n" if number else "\n\n")
    chunks = packer.done()
    total = len(chunks)
    return [f"{chunk}\n\n{t('sched.sum.part', lang, n=n, total=total)}" for n, chunk in enumerate(chunks, 1)]


def _cut(line: str, budget: int) -> list[str]:
    """A line in pieces within the budget (almost always the line itself)."""
    if utf16_len(line) <= budget:
        return [line]
    pieces, current = [], ""
    for char in line:
        if utf16_len(current) + utf16_len(char) > budget:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


class _Packer:
    """Fills messages greedily with pieces, each joined by its separator."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.chunks: list[str] = []
        self.current = ""

    def add(self, piece: str, separator: str) -> None:
        candidate = f"{self.current}{separator}{piece}" if self.current else piece
        if utf16_len(candidate) <= self.budget:
            self.current = candidate
            return
        if self.current:
            self.chunks.append(self.current)
        self.current = piece

    def done(self) -> list[str]:
        return [*self.chunks, self.current] if self.current else self.chunks
