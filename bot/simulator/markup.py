"""Text entities the way Telegram computes them: parse_mode HTML, Markdown and MarkdownV2,
bot commands, and lengths in UTF-16 code units (Telegram's unit for limits and offsets).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from bot.simulator.wire import _bad


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: Telegram measures texts and entity offsets this way."""
    return len(text.encode("utf-16-le")) // 2


# -------------------------------------------------------------------- HTML

_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "code": "code", "pre": "pre", "a": "text_link", "tg-spoiler": "spoiler", "span": "spoiler",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR = re.compile(r"\s*([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_HTML_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_PLAIN_RUN = re.compile(r"[^<&]+")


class EntityParseError(Exception):
    """Raised with the text Telegram puts after "can't parse entities: "."""


def _byte_offset(source: str, index: int) -> int:
    """Telegram reports parse errors at UTF-8 byte offsets."""
    return len(source[:index].encode("utf-8"))


@dataclass
class _OpenTag:
    """A start tag waiting for its end tag while parsing HTML."""

    name: str
    start: int
    entity: dict[str, Any] | None


class _Builder:
    """Accumulates plain text and entities with UTF-16 offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[dict[str, Any]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += utf16_len(text)

    def close(self, entity: dict[str, Any] | None, start: int) -> None:
        if entity is not None and self.length > start:
            self.entities.append({**entity, "offset": start, "length": self.length - start})

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), self.entities


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: returns (plain text, entities) or raises EntityParseError."""
    out, i = _Builder(), 0
    stack: list[_OpenTag] = []
    while i < len(source):
        if (run := _PLAIN_RUN.match(source, i)) is not None:
            out.add(run.group(0))
            i = run.end()
        elif source[i] == "&":
            i = _html_entity(source, i, out)
        else:
            i = _html_tag(source, i, out, stack)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return out.result()


def _html_entity(source: str, i: int, out: _Builder) -> int:
    """Decode one &entity; (unknown ones stay literal, as Telegram does)."""
    match = _HTML_ENTITY.match(source, i)
    if match is None:
        out.add("&")
        return i + 1
    decoded = html.unescape(match.group(0))
    out.add(decoded)
    return match.end()


def _html_tag(source: str, i: int, out: _Builder, stack: list[_OpenTag]) -> int:
    """Handle one start or end tag at source[i] == '<'; returns the index after it."""
    end = source.find(">", i)
    closing = source.startswith("</", i)
    if end < 0:
        kind = "end" if closing else "start"
        raise EntityParseError(f"Unclosed {kind} tag at byte offset {_byte_offset(source, i)}")
    inner = source[i + 1 : end]
    if closing:
        _html_end_tag(inner[1:].strip().lower(), source, i, out, stack)
    else:
        _html_start_tag(inner, source, i, out, stack)
    return end + 1


def _html_end_tag(name: str, source: str, i: int, out: _Builder, stack: list[_OpenTag]) -> None:
    """Close the innermost open tag; Telegram insists end tags match exactly."""
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(source, i)}")
    top = stack.pop()
    if name and name != top.name:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {_byte_offset(source, i)}, '
            f'expected "</{top.name}>", found "</{name}>"'
        )
    out.close(top.entity, top.start)


def _html_start_tag(inner: str, source: str, i: int, out: _Builder, stack: list[_OpenTag]) -> None:
    """Open a supported tag, turning its attributes into entity fields."""
    match = _TAG_NAME.match(inner)
    name = match.group(0).lower() if match else inner.split(" ")[0]
    if name not in _HTML_TAGS:
        offset = _byte_offset(source, i)
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
    attrs = {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(inner, len(name))
        if m.group(1)
    }
    entity: dict[str, Any] | None = {"type": _HTML_TAGS[name]}
    if name == "a":
        entity = {"type": "text_link", "url": attrs["href"]} if attrs.get("href") else None
    elif name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError('Tag "span" must have class "tg-spoiler"')
    elif name == "blockquote" and "expandable" in attrs:
        entity = {"type": "expandable_blockquote"}
    elif name == "tg-emoji":
        entity = {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id", "")}
    elif name == "code" and stack and stack[-1].name == "pre" and _is_language(attrs):
        if stack[-1].entity is not None:
            stack[-1].entity["language"] = attrs["class"].removeprefix("language-")
        entity = None  # Telegram folds <pre><code class=...> into one pre entity
    stack.append(_OpenTag(name, out.length, entity))


def _is_language(attrs: dict[str, str]) -> bool:
    """<code class="language-x"> inside <pre> names the pre block's language."""
    return attrs.get("class", "").startswith("language-")


# -------------------------------------------------------------------- Markdown

_MD2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MD2_MARKERS = {
    "*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"
}
_MD1_MARKERS = {"*": "bold", "_": "italic"}
_MD_TOKENS = ("__", "||", "`", "*", "_", "~", "[")
_MD_URL = re.compile(r"\(((?:[^)\\]|\\.)*)\)")


def parse_markdown(source: str, *, v2: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's MarkdownV2 (or legacy Markdown with v2=False): (plain text, entities).

    Covers the common syntax (bold, italic, underline, strike, spoiler, code, pre, links) and
    the error real bots hit most: an unescaped reserved character.
    """
    out, i = _Builder(), 0
    stack: list[tuple[str, int, int]] = []  # (marker, start in UTF-16 units, byte offset)
    markers = _MD2_MARKERS if v2 else _MD1_MARKERS
    while i < len(source):
        i = _md_step(source, i, out, stack, markers, v2)
    if stack:
        marker, _, byte = stack[-1]
        kind = _md_kind(marker, markers)
        raise EntityParseError(
            f"Can't find end of {kind.capitalize()} entity at byte offset {byte}"
            if v2
            else f"Can't find end of the entity starting at byte offset {byte}"
        )
    return out.result()


def _md_kind(marker: str, markers: dict[str, str]) -> str:
    """Entity type of a Markdown marker."""
    return {"`": "code", "```": "pre", "[": "text_link"}.get(marker) or markers[marker]


def _md_step(
    source: str,
    i: int,
    out: _Builder,
    stack: list[tuple[str, int, int]],
    markers: dict[str, str],
    v2: bool,
) -> int:
    """Consume one token of Markdown; returns the next index."""
    char = source[i]
    in_code = bool(stack) and stack[-1][0] in ("`", "```")
    escapable = i + 1 < len(source) and (
        ord(source[i + 1]) < 127 if v2 else source[i + 1] in "_*`["
    )
    if char == "\\" and escapable:
        out.add(source[i + 1])
        return i + 2
    if in_code:
        marker = stack[-1][0]
        if source.startswith(marker, i):
            _, start, _ = stack.pop()
            out.close({"type": _md_kind(marker, markers)}, start)
            return i + len(marker)
        out.add(char)
        return i + 1
    if source.startswith("```", i):
        stack.append(("```", out.length, _byte_offset(source, i)))
        return _md_skip_language(source, i + 3)
    token = next(
        (m for m in _MD_TOKENS if source.startswith(m, i) and (m in markers or m in "`[")), None
    )
    if token == "[" or (token is None and char == "]" and any(m == "[" for m, _, _ in stack)):
        return _md_link(source, i, out, stack)
    if token is not None:
        if stack and stack[-1][0] == token:
            _, start, _ = stack.pop()
            out.close({"type": _md_kind(token, markers)}, start)
        else:
            stack.append((token, out.length, _byte_offset(source, i)))
        return i + len(token)
    if v2 and char == ">" and (i == 0 or source[i - 1] == "\n"):
        return i + 1  # a quote line: the marker is not shown (no blockquote entity modelled)
    if v2 and char in _MD2_RESERVED:
        raise EntityParseError(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )
    out.add(char)
    return i + 1


def _md_skip_language(source: str, i: int) -> int:
    """Skip an optional language name right after ``` up to the newline."""
    match = re.match(r"[a-zA-Z0-9_+-]*\n", source[i:])
    return i + match.end() if match else i


def _md_link(source: str, i: int, out: _Builder, stack: list[tuple[str, int, int]]) -> int:
    """Open '[' or close ']' of an inline link whose URL follows in parentheses."""
    if source[i] == "[":
        stack.append(("[", out.length, _byte_offset(source, i)))
        return i + 1
    while stack[-1][0] != "[":
        stack.pop()
    _, start, byte = stack.pop()
    url = _MD_URL.match(source, i + 1)
    if url is None:
        raise EntityParseError(f"Can't find end of a url at byte offset {byte}")
    out.close({"type": "text_link", "url": re.sub(r"\\(.)", r"\1", url.group(1))}, start)
    return url.end()


def parse_text(raw: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Apply parse_mode like Telegram; errors become 400 "can't parse entities"."""
    mode = (parse_mode or "").lower()
    try:
        if not mode:
            return raw, []
        if mode == "html":
            return parse_html(raw)
        if mode in ("markdownv2", "markdown"):
            return parse_markdown(raw, v2=mode == "markdownv2")
    except EntityParseError as err:
        raise _bad(f"can't parse entities: {err}") from None
    raise _bad("unsupported parse_mode")


# -------------------------------------------------------------------- commands


def _command_text(command: str, args: str) -> str:
    """'/cmd args' from a command name with or without its slash."""
    text = "/" + command.lstrip("/")
    return f"{text} {args}" if args else text


_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram attaches to a leading /command."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]
