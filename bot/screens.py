"""A screen is a text plus a short list of options.

Conversations build screens, never Telegram keyboards directly, so the same flow can be
shown as inline buttons on Telegram and as numbered choices on a messenger without
buttons (Zalo) or in the terminal demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

# Telegram's own limit; the simulator enforces it too.
MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True, slots=True)
class Option:
    label: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    rows: tuple[tuple[Option, ...], ...] = field(default=())

    @classmethod
    def of(cls, text: str, *rows: list[Option] | tuple[Option, ...] | Option) -> Screen:
        """Screen.of(text, opt_a, [opt_b, opt_c]): a lone option is a row of its own."""
        built = tuple((r,) if isinstance(r, Option) else tuple(r) for r in rows)
        return cls(text, tuple(row for row in built if row))

    @property
    def options(self) -> list[Option]:
        return [option for row in self.rows for option in row]


def inline_markup(screen: Screen) -> InlineKeyboardMarkup | None:
    if not screen.rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(o.label, callback_data=o.data) for o in row] for row in screen.rows]
    )


def numbered_text(screen: Screen, prompt: str) -> str:
    """The screen for a messenger without buttons: options as '1. …' lines."""
    if not screen.rows:
        return screen.text
    lines = [screen.text, "", prompt]
    lines += [f"{n}. {option.label}" for n, option in enumerate(screen.options, start=1)]
    return "\n".join(lines)


PAGE_SIZE = 8


def paged(
    options: list[Option], page: int, *, previous: Option, following: Option, size: int = PAGE_SIZE
) -> list[list[Option]]:
    """One page of a long list, one option a row, with Previous/Next as needed.

    A screen stays a short list (Zalo shows at most a handful of choices comfortably);
    a province has hundreds of communes.
    """
    last_page = max((len(options) - 1) // size, 0)
    page = min(max(page, 0), last_page)
    rows: list[list[Option]] = [[o] for o in options[page * size : (page + 1) * size]]
    turn = ([previous] if page > 0 else []) + ([following] if page < last_page else [])
    if turn:
        rows.append(turn)
    return rows
