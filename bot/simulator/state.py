"""The fake Telegram behind the simulator: people, chats, messages, the update queue and the
Bot API methods, with Telegram's own checks and fault injection.

Pure logic plus asyncio primitives; the HTTP layer lives in :mod:`bot.simulator.server`.
Everything here answers in Telegram's real wire format so that an unmodified
python-telegram-bot ``Application`` cannot tell the difference.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import math
import mimetypes
import re
import struct
import time
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "TINY_PNG",
    "ApiCall",
    "ApiError",
    "DroppedRequest",
    "RateLimit",
    "SimGroup",
    "SimMessage",
    "SimUser",
    "SimulatorState",
    "UploadedFile",
    "parse_html",
    "parse_markdown",
    "utf16_len",
]

# --------------------------------------------------------------------------- basics

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
DOWNLOAD_LIMIT = 20 * 1024 * 1024
UPLOAD_LIMIT = 50 * 1024 * 1024
MAX_INLINE_BUTTONS = 100

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: Telegram measures texts and entity offsets this way."""
    return len(text.encode("utf-16-le")) // 2


def _png(width: int = 1, height: int = 1) -> bytes:
    """A valid, tiny, white RGB PNG built with zlib, so user photos are real images."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


TINY_PNG = _png(2, 2)
FAKE_OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"OpusHead"
FAKE_WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 14


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG/JPEG/GIF/WEBP, or None when it is not an image Telegram takes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"GIF8") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return (512, 512)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG markers to the frame header (SOFn) that holds the dimensions."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return (1, 1) if len(data) > 2 else None


class ApiError(Exception):
    """A Bot API error answer: HTTP status plus Telegram's description (and retry_after)."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {
            "ok": False, "error_code": self.status, "description": self.description
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class DroppedRequest(Exception):
    """The request gets no answer: the HTTP layer closes the connection without a response.

    What the bot sees when a request times out on a bad network; whether the call took
    effect first (the message reached the person) is up to the injected timeout.
    """


def _bad(description: str) -> ApiError:
    """400 with Telegram's 'Bad Request: ' prefix."""
    return ApiError(400, f"Bad Request: {description}")


def _forbidden(description: str) -> ApiError:
    """403 with Telegram's 'Forbidden: ' prefix."""
    return ApiError(403, f"Forbidden: {description}")


@dataclass
class UploadedFile:
    """One multipart file part, as the HTTP layer hands it over."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"UploadedFile({self.name!r}, {self.filename!r}, {len(self.data)} bytes)"


# ------------------------------------------------------------------ parameter decoding

_JSON_KEYS = frozenset(
    "reply_markup reply_parameters link_preview_options entities caption_entities media "
    "commands scope allowed_updates menu_button message_ids rights".split()
)
_INT_KEYS = frozenset(
    "message_id reply_to_message_id offset limit user_id cache_time message_thread_id "
    "max_connections from_chat_id".split()
)
_FLOAT_KEYS = frozenset("latitude longitude timeout".split())
_BOOL_KEYS = frozenset(
    "disable_notification protect_content allow_sending_without_reply show_alert "
    "drop_pending_updates disable_web_page_preview has_spoiler show_caption_above_media "
    "disable_content_type_detection for_channels".split()
)


def normalize_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Decode PTB's form fields (non-strings arrive JSON-encoded) into Python values.

    JSON bodies already carry typed values; those pass through unchanged.
    """
    return {key: _coerce(key, value) for key, value in raw.items()}


def _coerce(key: str, value: Any) -> Any:
    """Type one parameter by its well-known name; unknown names stay as sent."""
    if not isinstance(value, str):
        return value
    try:
        if key == "chat_id":
            return int(value) if re.fullmatch(r"-?\d+", value.strip()) else value
        if key in _JSON_KEYS:
            return json.loads(value)
        if key in _INT_KEYS:
            return int(value)
        if key in _FLOAT_KEYS:
            return float(value)
    except ValueError:
        if key == "reply_markup":
            raise _bad("can't parse reply keyboard markup JSON object") from None
        raise _bad(f"can't parse {key}") from None
    if key in _BOOL_KEYS:
        return value.strip().lower() in ("true", "1")
    return value


# -------------------------------------------------------------------- entity parsing

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


# ------------------------------------------------------------------- reply markup checks

_INLINE_ACTIONS = (
    "callback_data", "url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "callback_game", "pay", "web_app", "copy_text",
)  # fmt: skip
_URL = re.compile(r"^(?:(?:https?|tg)://\S+|[\w-]+(?:\.[\w-]+)+(?:[/?#]\S*)?)$")


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate reply_markup like Telegram does and return it (None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _check_rows(markup["keyboard"])
        if not any(markup["keyboard"]):
            raise _bad("keyboard must be non-empty")
    elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
        raise _bad("can't parse reply keyboard markup JSON object")
    return markup


def _check_rows(rows: Any) -> None:
    """Keyboards are arrays of arrays."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad("can't parse reply keyboard markup JSON object")


def _check_inline_keyboard(rows: Any) -> None:
    """Every inline button needs a text and exactly one action; callback_data is 1-64 bytes."""
    _check_rows(rows)
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
        raise _bad("reply markup is too long")
    for button in (b for row in rows for b in row):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise _bad("can't parse inline keyboard button: Text buttons are unallowed "
                       "in the inline keyboard")
        if not any(button.get(action) is not None for action in _INLINE_ACTIONS):
            raise _bad("text buttons are unallowed in the inline keyboard")
        if "callback_data" in button:
            data = button["callback_data"]
            size = len(data.encode("utf-8")) if isinstance(data, str) else 0
            if not 1 <= size <= CALLBACK_DATA_LIMIT:
                raise _bad("BUTTON_DATA_INVALID")
        if "url" in button and not _URL.match(str(button["url"])):
            raise _bad(f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL")


# ------------------------------------------------------------------------ data classes


@dataclass
class RateLimit:
    """Telegram's flood limits for send-type methods (sliding windows on the sim's clock)."""

    per_second: float = 30.0
    per_minute_per_group: int = 20
    per_second_per_chat: float | None = None


@dataclass
class ApiCall:
    """One Bot API request the bot made, for assertions and benchmarks."""

    method: str
    params: dict[str, Any]
    status: int
    time: float
    response: Any = field(default=None, repr=False)

    @property
    def chat_id(self) -> Any:
        """The chat_id parameter, if any (convenient for filtering)."""
        return self.params.get("chat_id")


@dataclass
class SimMessage:
    """A message in a simulated chat (sent by the bot or by a person); edits mutate it in place."""

    message_id: int
    chat_id: int
    text: str | None
    caption: str | None
    reply_markup: dict[str, Any] | None
    kind: str
    seq: int
    edited: bool = False
    parse_mode: str | None = None
    document_name: str | None = None
    document_bytes: bytes | None = field(default=None, repr=False)
    photo_bytes: bytes | None = field(default=None, repr=False)
    raw_text: str | None = None
    raw_caption: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list, repr=False)
    caption_entities: list[dict[str, Any]] = field(default_factory=list, repr=False)
    from_bot: bool = True
    from_user_id: int | None = None
    date: int = 0
    edit_date: int | None = None
    deleted: bool = False
    file_id: str | None = None
    document_mime: str | None = None
    media_group_id: str | None = None
    reply_to_message_id: int | None = None
    disable_notification: bool = False
    media: dict[str, Any] = field(default_factory=dict, repr=False)

    def buttons(self) -> list[list[str]]:
        """Inline button texts by row ([] if none) - what a person sees under the message."""
        return [[b.get("text", "") for b in row] for row in self._inline_rows()]

    def button_data(self) -> list[list[str]]:
        """callback_data by row (None for URL buttons), to check what a press would send."""
        return [[b.get("callback_data") for b in row] for row in self._inline_rows()]

    def button_list(self) -> list[str]:
        """All inline button texts, flattened, for quick membership checks."""
        return [text for row in self.buttons() for text in row]

    def reply_keyboard(self) -> list[list[str]]:
        """Texts of a ReplyKeyboardMarkup sent with this message ([] if none)."""
        return _keyboard_texts(self.reply_markup)

    @property
    def has_inline_keyboard(self) -> bool:
        """True when the message currently carries inline buttons."""
        return bool(self._inline_rows())

    @property
    def content(self) -> str:
        """The visible text: text for text messages, caption for media."""
        return self.text if self.text is not None else (self.caption or "")

    def _inline_rows(self) -> list[list[dict[str, Any]]]:
        return (self.reply_markup or {}).get("inline_keyboard") or []


@dataclass
class StoredFile:
    """A file Telegram keeps: what getFile describes and /file/bot<token>/<path> serves."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes = field(repr=False)
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None

    def photo_size(self) -> dict[str, Any]:
        """The PhotoSize object for this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width or 1,
            "height": self.height or 1,
            "file_size": len(self.data),
        }

    def document(self) -> dict[str, Any]:
        """The Document object for this file."""
        doc: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc


@dataclass
class _Fault:
    """An injected error answer waiting for its method to be called."""

    method: str
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: int | None


@dataclass
class _Timeout:
    """An injected timeout: no answer (after `delay`), the call carried out or not."""

    method: str
    times: int
    chat_id: int | None
    effective: bool
    delay: float


@dataclass
class _Query:
    """A callback query the bot still has to answer."""

    user_id: int
    answered: bool = False


@dataclass
class _Chat:
    """A chat the bot can see: a private chat with a user or a group."""

    id: int
    type: str
    title: str | None = None
    user: SimUser | None = None
    messages: dict[int, SimMessage] = field(default_factory=dict)
    next_message_id: int = 1
    blocked: bool = False
    started: bool = True
    deactivated: bool = False
    bot_status: str = "member"
    members: dict[int, str] = field(default_factory=dict)
    reply_keyboard: dict[str, Any] | None = None
    actions: list[str] = field(default_factory=list)
    menu_button: dict[str, Any] | None = None
    pinned: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The Chat object embedded in messages."""
        if self.user is not None:
            return {"id": self.id, "type": "private", **self.user.name_fields()}
        return {"id": self.id, "type": self.type, "title": self.title}


# ----------------------------------------------------------------------- rate limiting

_SEND_METHODS = frozenset(
    m.lower()
    for m in "sendMessage sendPhoto sendDocument sendMediaGroup sendAudio sendVideo sendAnimation "
    "sendVoice sendSticker sendLocation sendContact sendPoll sendDice copyMessage forwardMessage "
    "editMessageText editMessageReplyMarkup editMessageCaption editMessageMedia".split()
)


class _RateLimiter:
    """Sliding-window flood control on an injectable clock, like Telegram's 429s."""

    def __init__(self, limits: RateLimit, clock: Callable[[], float]) -> None:
        self.limits = limits
        self._clock = clock
        self._global: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}

    def check(self, chat_id: int, count: int = 1) -> None:
        """Raise 429 (with retry_after) if sending `count` more messages exceeds a limit."""
        now = self._clock()
        self._window(self._global, now, 1.0, self.limits.per_second, count)
        if chat_id < 0:
            self._window(self._chat(chat_id), now, 60.0, self.limits.per_minute_per_group, count)
        elif self.limits.per_second_per_chat is not None:
            self._window(self._chat(chat_id), now, 1.0, self.limits.per_second_per_chat, count)

    def record(self, chat_id: int, count: int = 1) -> None:
        """Count messages that were actually sent."""
        now = self._clock()
        for _ in range(count):
            self._global.append(now)
            self._chat(chat_id).append(now)

    def _chat(self, chat_id: int) -> deque[float]:
        return self._chats.setdefault(chat_id, deque())

    @staticmethod
    def _window(stamps: deque[float], now: float, span: float, limit: float, count: int) -> None:
        """Drop stamps older than `span`; 429 with the wait until the oldest one expires."""
        while stamps and stamps[0] <= now - span:
            stamps.popleft()
        if len(stamps) + count > limit:
            oldest = stamps[0] if stamps else now
            retry = max(1, math.ceil(oldest + span - now))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)


# ---------------------------------------------------------------------- people & groups


class SimUser:
    """A person in a private chat with the bot (chat id == user id)."""

    def __init__(
        self,
        sim: SimulatorState,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        phone_number: str | None = None,
    ) -> None:
        self._sim = sim
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.phone_number = phone_number or f"849{user_id % 10**8:08d}"
        self.callback_answers: list[dict[str, Any]] = []
        self._cursor = 0

    def __repr__(self) -> str:
        return f"SimUser({self.id}, {self.first_name!r})"

    @property
    def chat_id(self) -> int:
        """Private chat id (same as the user id)."""
        return self.id

    def name_fields(self) -> dict[str, Any]:
        """first/last/username as they appear in both User and private Chat objects."""
        fields: dict[str, Any] = {"first_name": self.first_name}
        if self.last_name:
            fields["last_name"] = self.last_name
        if self.username:
            fields["username"] = self.username
        return fields

    def to_dict(self) -> dict[str, Any]:
        """The User object Telegram sends for this person."""
        user = {"id": self.id, "is_bot": False, **self.name_fields()}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    async def _send(self, kind: str, **fields: Any) -> int:
        """Send into the private chat; remember the spot so wait_reply sees only later replies."""
        update_id = await self._sim.user_sends(self.id, self, kind, **fields)
        self._cursor = self._sim.seq_of_update(update_id)
        return update_id

    async def send_text(self, text: str) -> int:
        """Type a message (a leading /command gets its bot_command entity)."""
        return await self._send("text", text=text)

    async def send_command(self, command: str, args: str = "") -> int:
        """Send /command [args]."""
        return await self.send_text(_command_text(command, args))

    async def share_contact(
        self, phone_number: str | None = None, *, own: bool = True, first_name: str | None = None
    ) -> int:
        """Share a contact; own=True is what the 'share my phone number' button does."""
        default_name = self.first_name if own else "Người khác"
        contact: dict[str, Any] = {
            "phone_number": phone_number or self.phone_number,
            "first_name": first_name or default_name,
            "user_id": self.id if own else self.id + 7_000_000_000,
        }
        if own and self.last_name:
            contact["last_name"] = self.last_name
        return await self._send("contact", media={"contact": contact})

    async def send_photo(self, data: bytes = TINY_PNG, caption: str | None = None) -> int:
        """Send a photo; the sim keeps the bytes so the bot can getFile and download them."""
        return await self._send("photo", data=data, caption=caption)

    async def send_document(
        self,
        data: bytes,
        file_name: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> int:
        """Send a file (e.g. an .xlsx) the bot can download."""
        return await self._send(
            "document", data=data, file_name=file_name, mime_type=mime_type, caption=caption
        )

    async def send_location(self, latitude: float, longitude: float) -> int:
        """Share a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send("location", media={"location": location})

    async def send_sticker(self) -> int:
        """Send a sticker - typical 'unexpected input'."""
        return await self._send("sticker", data=FAKE_WEBP)

    async def send_voice(self) -> int:
        """Send a voice note - typical 'unexpected input'."""
        return await self._send("voice", data=FAKE_OGG)

    async def press(
        self, button: str | tuple[int, int], *, message: SimMessage | None = None
    ) -> int:
        """Press an inline button (exact text or (row, col)) on `message` or the latest keyboard."""
        update_id = await self._sim.press_button(self.id, self, button, message)
        self._cursor = self._sim.seq_of_update(update_id)
        return update_id

    async def press_data(self, data: str, *, message: SimMessage | None = None) -> int:
        """Press a button carrying `data` on `message` (default: the latest bot message),
        whether or not the message shows it now - an old message's button, say."""
        update_id = await self._sim.press_data(self.id, self, data, message)
        self._cursor = self._sim.seq_of_update(update_id)
        return update_id

    async def press_reply_button(self, text: str) -> int:
        """Press a button of the current reply keyboard: sends its text, contact or location."""
        button = self._sim.find_reply_button(self.id, text)
        if button.get("request_contact"):
            return await self.share_contact()
        if button.get("request_location"):
            return await self.send_location(21.0285, 105.8542)
        return await self.send_text(text)

    def reply_keyboard(self) -> list[list[str]]:
        """The reply keyboard currently shown to this user ([] if none)."""
        return self._sim.current_reply_keyboard(self.id)

    def messages(self) -> list[SimMessage]:
        """Bot messages in this chat, in order (deleted ones left out)."""
        return self._sim.sent_messages(self.id)

    def last_message(self) -> SimMessage | None:
        """The newest bot message in this chat."""
        messages = self.messages()
        return messages[-1] if messages else None

    async def wait_reply(
        self, *, after_update: int | None = None, timeout: float = 5.0
    ) -> SimMessage:
        """First bot message (new or edited) after the last action or the last reply waited for.

        Successive calls walk forward, so two replies to one action are two wait_reply calls.
        """
        after = self._cursor if after_update is None else self._sim.seq_of_update(after_update)
        message = await self._sim.wait_for_bot_message(self.id, after=after, timeout=timeout)
        self._cursor = max(self._cursor, message.seq)
        return message

    async def wait_callback_answer(self, *, count: int = 1, timeout: float = 5.0) -> dict[str, Any]:
        """Wait until `count` of this user's callback queries were answered; return the latest."""
        await self._sim.wait_until(
            ("answers", self.id), lambda: len(self.callback_answers) >= count, timeout
        )
        return self.callback_answers[-1]

    def block(self) -> None:
        """The user blocks the bot."""
        self._sim.block(self.id)


class SimGroup:
    """A basic group the bot is a member of (negative chat id)."""

    def __init__(self, sim: SimulatorState, chat_id: int, title: str) -> None:
        self._sim = sim
        self.id = chat_id
        self.title = title
        self._cursor = 0

    def __repr__(self) -> str:
        return f"SimGroup({self.id}, {self.title!r})"

    def add_member(self, user: SimUser, status: str = "member") -> None:
        """Make `user` a member (or administrator/creator/left/kicked) of the group."""
        self._sim.chat(self.id).members[user.id] = status

    def _acted(self, update_id: int) -> int:
        """Remember the spot so wait_reply sees only later bot messages."""
        self._cursor = self._sim.seq_of_update(update_id)
        return update_id

    async def send_text(self, from_user: SimUser, text: str) -> int:
        """`from_user` writes in the group (joining it if needed)."""
        return self._acted(await self._sim.user_sends(self.id, from_user, "text", text=text))

    async def send_command(self, from_user: SimUser, command: str, args: str = "") -> int:
        """`from_user` sends /command [args] in the group."""
        return await self.send_text(from_user, _command_text(command, args))

    async def press(
        self,
        from_user: SimUser,
        button: str | tuple[int, int],
        *,
        message: SimMessage | None = None,
    ) -> int:
        """`from_user` presses an inline button on a bot message in the group."""
        return self._acted(await self._sim.press_button(self.id, from_user, button, message))

    def messages(self) -> list[SimMessage]:
        """Bot messages in the group, in order."""
        return self._sim.sent_messages(self.id)

    def last_message(self) -> SimMessage | None:
        """The newest bot message in the group."""
        messages = self.messages()
        return messages[-1] if messages else None

    async def wait_reply(self, *, timeout: float = 5.0) -> SimMessage:
        """First bot message (new or edited) in the group after the last action."""
        message = await self._sim.wait_for_bot_message(self.id, after=self._cursor, timeout=timeout)
        self._cursor = max(self._cursor, message.seq)
        return message


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


# ---------------------------------------------------------------------- the fake Telegram

ApiHandler = Callable[["SimulatorState", dict[str, Any]], Awaitable[Any]]
_METHODS: dict[str, tuple[str, ApiHandler]] = {}


def api_method(name: str) -> Callable[[ApiHandler], ApiHandler]:
    """Register a Bot API method implementation under its (case-insensitive) name."""

    def register(func: ApiHandler) -> ApiHandler:
        _METHODS[name.lower()] = (name, func)
        return func

    return register


class SimulatorState:
    """Telegram's side of the conversation, without the HTTP transport."""

    def __init__(
        self,
        *,
        token: str = "123456:SIMULATED-TOKEN",
        bot_id: int = 123456,
        bot_username: str = "baocao_bot",
        bot_first_name: str = "Báo cáo",
        rate_limit: RateLimit | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], int] = lambda: int(time.time()),
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.rate_limit = rate_limit
        self.rate_limited_count = 0
        self.held_polls = 0
        self.internal_errors: list[Exception] = []
        self.webhook_url = ""
        self.webhook_secret = ""
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.bot_settings: dict[Any, Any] = {}
        self._clock = clock
        self._now = now
        self._limiter = _RateLimiter(rate_limit, clock) if rate_limit else None
        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, SimUser] = {}
        self._groups: dict[int, SimGroup] = {}
        self._bot_messages: list[SimMessage] = []
        self._seq = 0
        self._updates: deque[dict[str, Any]] = deque()
        self._update_seq: dict[int, int] = {}
        self._next_update_id = 1
        self._poll_waiters: set[asyncio.Future[None]] = set()
        self._poll_generation = 0
        self._closed = False
        self._files: dict[str, StoredFile] = {}
        self._paths: dict[str, StoredFile] = {}
        self._queries: dict[str, _Query] = {}
        self._counters: dict[str, int] = {"file": 0, "query": 0, "album": 0}
        self._faults: list[_Fault] = []
        self._timeouts: list[_Timeout] = []
        self._calls: list[ApiCall] = []
        self._conds: dict[Hashable, asyncio.Condition] = {}

    # ------------------------------------------------------------------ people & chats

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        phone_number: str | None = None,
        started: bool = True,
    ) -> SimUser:
        """A person with a private chat with the bot (started=False: never pressed Start).

        Asking again for a known id returns the same SimUser.
        """
        if user_id <= 0:
            raise ValueError("user ids are positive")
        if user_id not in self._users:
            person = SimUser(self, user_id, first_name, last_name=last_name, username=username,
                             language_code=language_code, phone_number=phone_number)  # fmt: skip
            self._users[user_id] = person
            self._chats[user_id] = _Chat(user_id, "private", user=person, started=started)
        return self._users[user_id]

    def group(self, chat_id: int, title: str) -> SimGroup:
        """A basic group containing the bot (same SimGroup for a known id)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        if chat_id not in self._groups:
            self._groups[chat_id] = SimGroup(self, chat_id, title)
            self._chats[chat_id] = _Chat(chat_id, "group", title=title)
        return self._groups[chat_id]

    def chat(self, chat_id: int) -> _Chat:
        """Internal chat state (KeyError if unknown)."""
        return self._chats[chat_id]

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sending to them answers 403."""
        self._chats[user_id].blocked = True

    def unblock(self, user_id: int) -> None:
        """The user unblocked the bot (writing to the bot again does this too)."""
        self._chats[user_id].blocked = False

    def deactivate(self, user_id: int) -> None:
        """The user deleted their account: sending answers 403 'user is deactivated'."""
        self._chats[user_id].deactivated = True

    def kick_bot(self, chat_id: int) -> None:
        """The bot was removed from a group: sending answers 403."""
        self._chats[chat_id].bot_status = "kicked"

    # ----------------------------------------------------------------- what the bot did

    def sent_messages(self, chat_id: int | None = None) -> list[SimMessage]:
        """Messages sent by the bot (current state, deleted ones left out), in order."""
        if chat_id is None:
            return [m for m in self._bot_messages if not m.deleted]
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if m.from_bot and not m.deleted]

    def deleted_messages(self, chat_id: int) -> list[SimMessage]:
        """Bot or user messages the bot deleted in a chat."""
        chat = self._chats.get(chat_id)
        return [m for m in chat.messages.values() if m.deleted] if chat else []

    def chat_actions(self, chat_id: int) -> list[str]:
        """sendChatAction actions seen for a chat, in order."""
        return list(self._chats[chat_id].actions)

    def current_reply_keyboard(self, chat_id: int) -> list[list[str]]:
        """Texts of the reply keyboard the user currently sees ([] if none)."""
        return _keyboard_texts(self._chats[chat_id].reply_keyboard)

    def find_reply_button(self, chat_id: int, text: str) -> dict[str, Any]:
        """The reply keyboard button with this text, or LookupError listing what is there."""
        markup = self._chats[chat_id].reply_keyboard or {}
        for button in (b for row in markup.get("keyboard", []) for b in row):
            button = {"text": button} if isinstance(button, str) else button
            if button.get("text") == text:
                return button
        shown = self.current_reply_keyboard(chat_id)
        raise LookupError(f"no reply button {text!r}; keyboard: {shown}")

    def call_log(self) -> list[ApiCall]:
        """Every Bot API call received, in completion order."""
        return list(self._calls)

    def calls(self, method: str) -> list[ApiCall]:
        """Calls of one method (case-insensitive)."""
        return [c for c in self._calls if c.method.lower() == method.lower()]

    def file_bytes(self, file_id: str) -> bytes:
        """Bytes of a stored file (KeyError if unknown)."""
        return self._files[file_id].data

    @property
    def pending_updates(self) -> int:
        """Updates queued but not yet confirmed by the bot."""
        return len(self._updates)

    def take_updates(self) -> list[dict[str, Any]]:
        """The queued updates, removed from the queue: what Telegram POSTs to a webhook."""
        taken = list(self._updates)
        self._updates.clear()
        return taken

    async def wait_for_bot_message(
        self,
        chat_id: int,
        *,
        after: int = 0,
        timeout: float = 5.0,
        predicate: Callable[[SimMessage], bool] | None = None,
    ) -> SimMessage:
        """The first bot message in the chat with seq > after (and predicate).

        Waits on the chat's condition (woken by every send, edit and delete); TimeoutError if
        nothing matching arrives, listing the chat's latest messages to ease debugging.
        """

        def find() -> SimMessage | None:
            found = [m for m in self.sent_messages(chat_id)
                     if m.seq > after and (predicate is None or predicate(m))]  # fmt: skip
            return min(found, key=lambda m: m.seq) if found else None

        try:
            await self.wait_until(("chat", chat_id), lambda: find() is not None, timeout)
        except TimeoutError:
            recent = [(m.seq, m.content[:60]) for m in self.sent_messages(chat_id)[-5:]]
            raise TimeoutError(
                f"no bot message in chat {chat_id} after seq {after} within {timeout}s; "
                f"recent: {recent}"
            ) from None
        message = find()
        assert message is not None
        return message

    async def wait_until(self, key: Hashable, ready: Callable[[], bool], timeout: float) -> None:
        """Wait on the condition `key` until ready() holds; TimeoutError otherwise (no polling)."""
        cond = self._conds.setdefault(key, asyncio.Condition())
        async with cond:
            async with asyncio.timeout(timeout):
                await cond.wait_for(ready)

    async def wait_for_long_poll(self, timeout: float = 5.0) -> None:
        """Wait until a getUpdates request is being held open (the bot is idle and listening)."""
        await self.wait_until("polls", lambda: self.held_polls > 0, timeout)

    async def _notify(self, key: Hashable) -> None:
        """Wake whoever waits on `key` (only if someone ever waited)."""
        cond = self._conds.get(key)
        if cond is not None:
            async with cond:
                cond.notify_all()

    # ----------------------------------------------------------------------- faults

    def inject_fault(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` (optionally only for chat_id) answer this error."""
        fault = _Fault(method.lower(), status, description, retry_after, times, chat_id)
        self._faults.append(fault)

    def inject_timeout(
        self,
        method: str,
        *,
        times: int = 1,
        chat_id: int | None = None,
        effective: bool = False,
        delay: float = 0.0,
    ) -> None:
        """The next `times` calls of `method` (optionally only for chat_id) get no answer.

        After `delay` seconds the connection is closed without a response, as when a
        request times out. effective=True: the call was carried out first (the message was
        sent, the person sees it) and only the answer was lost - the case a bot cannot
        tell from a call that never arrived. Recorded in the call log with status 0.
        """
        self._timeouts.append(_Timeout(method.lower(), times, chat_id, effective, delay))

    def inject_malformed_update(self, raw: dict[str, Any]) -> int:
        """Queue a raw dict as the next update (an update_id is added if missing)."""
        update = dict(raw)
        if not isinstance(update.get("update_id"), int):
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, update["update_id"]) + 1
        return self._push_update(update)

    def _take_timeout(self, method: str, params: dict[str, Any]) -> _Timeout | None:
        """The first injected timeout matching this call, used up by one."""
        for timeout in self._timeouts:
            if timeout.method == method.lower() and timeout.chat_id in (None, params.get("chat_id")):
                timeout.times -= 1
                if timeout.times <= 0:
                    self._timeouts.remove(timeout)
                return timeout
        return None

    def _take_fault(self, method: str, params: dict[str, Any]) -> None:
        """Raise the first injected fault matching this call."""
        for fault in self._faults:
            if fault.method == method.lower() and fault.chat_id in (None, params.get("chat_id")):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                raise ApiError(fault.status, fault.description, fault.retry_after)

    # ---------------------------------------------------------------------- dispatch

    async def api(
        self, token: str, method: str, raw_params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API request: (HTTP status, JSON body). Used by the HTTP server.

        Raises DroppedRequest when an injected timeout says the request gets no answer.
        """
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        entry = _METHODS.get(method.lower())
        if entry is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        name, handler = entry
        received, params, timeout = self._clock(), raw_params, None
        status, body = 0, {}
        try:
            params = normalize_params(raw_params)
            timeout = self._take_timeout(name, params)
            if timeout is not None and not timeout.effective:
                raise DroppedRequest(name)
            self._take_fault(name, params)
            status, body = 200, {"ok": True, "result": await handler(self, params)}
        except DroppedRequest:
            pass  # answered below: nothing at all
        except ApiError as err:
            status, body = err.status, err.payload()
        except Exception as err:  # a simulator bug or unmodelled input: answer, keep serving
            self.internal_errors.append(err)
            description = f"Internal Server Error: {err!r}"
            status, body = 500, {"ok": False, "error_code": 500, "description": description}
        if timeout is not None:
            self._calls.append(ApiCall(name, params, 0, received, None))
            await self._notify("calls")
            if timeout.delay > 0:
                await asyncio.sleep(timeout.delay)  # the network holds the request this long
            raise DroppedRequest(name)
        self.rate_limited_count += int(status == 429)
        self._calls.append(ApiCall(name, params, status, received, body))
        await self._notify("calls")
        return status, body

    async def wait_for_calls(self, count: int, timeout: float = 5.0) -> None:
        """Wait until the call log holds at least `count` calls (TimeoutError otherwise)."""
        await self.wait_until("calls", lambda: len(self._calls) >= count, timeout)

    def read_file(self, token: str, file_path: str) -> StoredFile | None:
        """The file served at /file/bot<token>/<file_path> (None when unknown or bad token)."""
        return self._paths.get(file_path) if token == self.token else None

    def release_polls(self) -> None:
        """Mark the simulator closed and answer pending long polls with [] right away."""
        self._closed = True
        self._wake_polls()

    def reopen(self) -> None:
        """Accept long polls again after release_polls (the server was restarted)."""
        self._closed = False

    # ------------------------------------------------------------------- updates

    def seq_of_update(self, update_id: int) -> int:
        """The global message seq at the moment an update was queued."""
        return self._update_seq.get(update_id, self._seq)

    def _push_update(self, update: dict[str, Any]) -> int:
        """Append to the queue and wake long polls."""
        self._updates.append(update)
        self._update_seq[update["update_id"]] = self._seq
        self._wake_polls()
        return int(update["update_id"])

    def _wake_polls(self) -> None:
        """Resolve every waiting long poll's future; each re-checks its own condition."""
        for waiter in self._poll_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._poll_waiters.clear()

    async def _queue(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an Update of `kind` and wake long polls."""
        update_id = self._next_update_id
        self._next_update_id += 1
        return self._push_update({"update_id": update_id, kind: payload})

    def _confirm(self, offset: int) -> None:
        """Telegram forgets updates below offset (negative: keep only the last -offset)."""
        if offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
        elif offset > 0 and self._updates and self._updates[0]["update_id"] < offset:
            self._updates = deque(u for u in self._updates if u["update_id"] >= offset)

    async def _hold_poll(self, generation: int, timeout: float) -> None:
        """Wait for an update, closure or a newer poll - on futures, never by sleeping."""
        loop = asyncio.get_running_loop()
        self.held_polls += 1
        await self._notify("polls")
        try:
            async with asyncio.timeout(timeout):
                while not (self._updates or self._closed or self._poll_generation != generation):
                    waiter: asyncio.Future[None] = loop.create_future()
                    self._poll_waiters.add(waiter)
                    await waiter
        except TimeoutError:
            pass
        finally:
            self.held_polls -= 1

    # ------------------------------------------------------------------ user actions

    def _next(self, counter: str) -> int:
        self._counters[counter] += 1
        return self._counters[counter]

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _new_message(
        self, chat: _Chat, kind: str, *, from_bot: bool, from_user_id: int | None, **fields: Any
    ) -> SimMessage:
        """Store a new message in `chat` with the next message id and seq."""
        message = SimMessage(
            message_id=chat.next_message_id,
            chat_id=chat.id,
            text=fields.pop("text", None),
            caption=fields.pop("caption", None),
            reply_markup=fields.pop("reply_markup", None),
            kind=kind,
            seq=self._next_seq(),
            from_bot=from_bot,
            from_user_id=from_user_id,
            date=self._now(),
            **fields,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        if from_bot:
            self._bot_messages.append(message)
        return message

    async def user_sends(
        self,
        chat_id: int,
        person: SimUser,
        kind: str,
        *,
        text: str | None = None,
        caption: str | None = None,
        data: bytes | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
        media: dict[str, Any] | None = None,
    ) -> int:
        """A person sends a message of `kind` into `chat_id`; returns the update_id.

        Writing to the bot also (re)starts and unblocks a private chat, as in Telegram.
        """
        chat = self._chats[chat_id]
        if chat.user is not None:
            chat.blocked = chat.deactivated = False
            chat.started = True
        else:
            chat.members.setdefault(person.id, "member")
        media = dict(media or {})
        if data is not None:
            media.update(self._user_media(kind, data, file_name, mime_type))
        message = self._new_message(
            chat, kind, from_bot=False, from_user_id=person.id, text=text, caption=caption,
            media=media, raw_text=text, document_name=file_name,
            entities=command_entities(text) if text else [],
        )  # fmt: skip
        if kind in ("photo", "document", "sticker", "voice"):
            described = media[kind][-1] if kind == "photo" else media[kind]
            message.file_id = described["file_id"]
        if kind == "photo":
            message.photo_bytes = data
        if kind == "document":
            message.document_bytes, message.document_mime = data, media[kind].get("mime_type")
        return await self._queue("message", self._message_dict(message, person))

    def _user_media(
        self, kind: str, data: bytes, file_name: str | None, mime_type: str | None
    ) -> dict[str, Any]:
        """Store an upload from a person and describe it the way Telegram does."""
        if kind == "photo":
            return {"photo": self._photo_sizes(data)}
        if kind == "document":
            stored = self._store(data, "documents", file_name, mime_type or _guess_mime(file_name))
            return {"document": stored.document()}
        if kind == "sticker":
            stored = self._store(data, "stickers", None, "image/webp")
            sticker = {"type": "regular", "width": 512, "height": 512, "is_animated": False,
                       "is_video": False, "emoji": "👍"}  # fmt: skip
            return {"sticker": {**stored.document(), **sticker}}
        stored = self._store(data, "voice", None, "audio/ogg")
        return {"voice": {**stored.document(), "duration": 2}}

    async def press_button(
        self,
        chat_id: int,
        person: SimUser,
        button: str | tuple[int, int],
        message: SimMessage | None,
    ) -> int:
        """Queue the CallbackQuery Telegram sends when `person` presses an inline button."""
        message = message or self._latest_keyboard(chat_id)
        if message.deleted:
            raise LookupError(f"message {message.message_id} was deleted")
        data = _find_inline_button(message, button).get("callback_data")
        if data is None:
            raise LookupError(f"button {button!r} has no callback_data (URL or other button)")
        return await self._queue_callback_query(chat_id, person, str(data), message)

    async def press_data(
        self, chat_id: int, person: SimUser, data: str, message: SimMessage | None
    ) -> int:
        """Queue a CallbackQuery with any `data`, as a button of an old message sends it.

        The data need not be on the message any more: buttons of a message sent by an
        earlier version of the bot, or of a message the bot has since edited, still send
        what they carried. `message` defaults to the chat's latest bot message.
        """
        if message is None:
            sent = self.sent_messages(chat_id)
            if not sent:
                raise LookupError(f"no bot message in chat {chat_id} to press on")
            message = sent[-1]
        return await self._queue_callback_query(chat_id, person, data, message)

    async def _queue_callback_query(
        self, chat_id: int, person: SimUser, data: str, message: SimMessage
    ) -> int:
        """The CallbackQuery update for a press on `message` carrying `data`."""
        query_id = str(4_000_000_000_000_000_000 + self._next("query"))
        self._queries[query_id] = _Query(person.id)
        query = {
            "id": query_id,
            "from": person.to_dict(),
            "message": self._message_dict(message),
            "chat_instance": str(abs(chat_id) * 31 + self.bot_id),
            "data": data,
        }
        return await self._queue("callback_query", query)

    def _latest_keyboard(self, chat_id: int) -> SimMessage:
        """The newest bot message in the chat that has inline buttons."""
        for message in reversed(self.sent_messages(chat_id)):
            if message.has_inline_keyboard:
                return message
        raise LookupError(f"no bot message with an inline keyboard in chat {chat_id}")

    # ------------------------------------------------------------- wire format

    def bot_user(self) -> dict[str, Any]:
        """The bot's User object."""
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}  # fmt: skip

    def _message_dict(
        self, message: SimMessage, sender: SimUser | None = None, *, nested: bool = False
    ) -> dict[str, Any]:
        """A Message object exactly as Telegram serialises it."""
        chat = self._chats[message.chat_id]
        sender = sender or self._users.get(message.from_user_id or 0)
        author = self.bot_user() if message.from_bot or sender is None else sender.to_dict()
        result: dict[str, Any] = {"message_id": message.message_id, "date": message.date,
                                  "chat": chat.to_dict(), "from": author}  # fmt: skip
        if message.text is not None:
            result["text"] = message.text
            if message.entities:
                result["entities"] = message.entities
        if message.caption is not None:
            result["caption"] = message.caption
            if message.caption_entities:
                result["caption_entities"] = message.caption_entities
        result.update(message.media)
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            result["reply_markup"] = message.reply_markup
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if message.media_group_id:
            result["media_group_id"] = message.media_group_id
        replied = chat.messages.get(message.reply_to_message_id or 0)
        if replied is not None and not nested:
            result["reply_to_message"] = self._message_dict(replied, nested=True)
        return result

    # ------------------------------------------------------------------- files

    def _store(
        self,
        data: bytes,
        folder: str,
        file_name: str | None,
        mime_type: str | None,
        size: tuple[int, int] | None = None,
    ) -> StoredFile:
        """Keep bytes under a fresh file_id and file_path."""
        n = self._next("file")
        stored = StoredFile(
            file_id=f"SIM{folder[:3].upper()}{n:06d}-{self.bot_id}",
            file_unique_id=f"U{n:06d}",
            file_path=f"{folder}/file_{n}{_extension(file_name, mime_type)}",
            data=data,
            mime_type=mime_type,
            file_name=file_name,
            width=size[0] if size else None,
            height=size[1] if size else None,
        )
        self._files[stored.file_id] = stored
        self._paths[stored.file_path] = stored
        return stored

    def _photo_sizes(self, data: bytes) -> list[dict[str, Any]]:
        """Telegram returns several sizes; the sim keeps a thumbnail entry and the full image."""
        width, height = image_size(data) or (1, 1)
        scale = min(1.0, 90 / max(width, height, 1))
        small = (max(1, int(width * scale)), max(1, int(height * scale)))
        thumb = self._store(data, "photos", None, "image/jpeg", small)
        full = self._store(data, "photos", None, "image/jpeg", (width, height))
        return [thumb.photo_size(), full.photo_size()]

    def _input_file(self, params: dict[str, Any], key: str) -> StoredFile | UploadedFile:
        """Resolve an InputFile parameter: an upload, attach://name, or a known file_id."""
        value = params.get(key)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, UploadedFile):
            if not value.data:
                raise _bad("file must be non-empty")
            if len(value.data) > UPLOAD_LIMIT:
                raise ApiError(413, "Request Entity Too Large")
            return value
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            raise _bad("failed to get HTTP URL content")
        if not value:
            raise _bad(f"there is no {key} in the request")
        raise _bad("wrong file identifier/HTTP URL specified")

    def _photo_input(
        self, params: dict[str, Any], key: str
    ) -> tuple[list[dict[str, Any]], bytes, str]:
        """Photo sizes, bytes and the biggest file_id for an uploaded or re-sent photo."""
        source = self._input_file(params, key)
        if isinstance(source, StoredFile):
            return [source.photo_size()], source.data, source.file_id
        size = image_size(source.data)
        if size is None:
            raise _bad("IMAGE_PROCESS_FAILED")
        if size[0] + size[1] > 10000 or min(size) < 1:
            raise _bad("PHOTO_INVALID_DIMENSIONS")
        sizes = self._photo_sizes(source.data)
        return sizes, source.data, sizes[-1]["file_id"]

    def _document_input(self, params: dict[str, Any], key: str) -> StoredFile:
        """A stored document for an upload (keeping its file name) or a known file_id."""
        source = self._input_file(params, key)
        if isinstance(source, StoredFile):
            return source
        mime = source.content_type or _guess_mime(source.filename)
        return self._store(source.data, "documents", source.filename, mime)

    # --------------------------------------------------------------- common checks

    def _writable_chat(self, params: dict[str, Any], key: str = "chat_id") -> _Chat:
        """Resolve chat_id and apply Telegram's 400/403 checks for sending into it."""
        chat = self._known_chat(params, key)
        if chat.user is not None:
            if chat.deactivated:
                raise _forbidden("user is deactivated")
            if chat.blocked:
                raise _forbidden("bot was blocked by the user")
            if not chat.started:
                raise _forbidden("bot can't initiate conversation with a user")
        elif chat.bot_status == "kicked":
            raise _forbidden("bot was kicked from the group chat")
        elif chat.bot_status == "left":
            raise _forbidden("bot is not a member of the group chat")
        return chat

    def _known_chat(self, params: dict[str, Any], key: str = "chat_id") -> _Chat:
        """Resolve chat_id to a chat the bot has seen (400 chat not found otherwise)."""
        chat_id = params.get(key)
        if chat_id is None or chat_id == "":
            raise _bad(f"{key} is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise _bad("chat not found")
        return chat

    def _text(self, params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        """Parse and check message text: not empty, at most 4096 UTF-16 units."""
        raw = params.get("text")
        raw = str(raw) if isinstance(raw, int | float) else raw
        if not isinstance(raw, str) or not raw.strip():
            raise _bad("message text is empty")
        text, entities = parse_text(raw, params.get("parse_mode"))
        if not text.strip():
            raise _bad("message text is empty")
        if utf16_len(text) > TEXT_LIMIT:
            raise _bad("message is too long")
        return text, params.get("entities") or entities

    def _caption(self, params: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
        """Parse and check a caption: optional, at most 1024 UTF-16 units."""
        raw = params.get("caption")
        if raw is None or raw == "":
            return None, []
        caption, entities = parse_text(str(raw), params.get("parse_mode"))
        if utf16_len(caption) > CAPTION_LIMIT:
            raise _bad("message caption is too long")
        return caption, params.get("caption_entities") or entities

    def _reply_to(self, chat: _Chat, params: dict[str, Any]) -> int | None:
        """reply_parameters / reply_to_message_id must name a message in the chat."""
        reply = params.get("reply_parameters")
        reply = reply if isinstance(reply, dict) else {}
        target = reply.get("message_id") or params.get("reply_to_message_id")
        if not target:
            return None
        message = chat.messages.get(int(target))
        if message is None or message.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            if params.get("allow_sending_without_reply"):
                return None
            raise _bad("message to be replied not found")
        return int(target)

    def _rate_check(self, chat: _Chat, count: int = 1) -> None:
        """429 before sending when a RateLimit is configured and exceeded."""
        if self._limiter is not None:
            self._limiter.check(chat.id, count)

    def _rate_record(self, chat: _Chat, count: int = 1) -> None:
        """Count only messages that were really sent."""
        if self._limiter is not None:
            self._limiter.record(chat.id, count)

    async def _send(
        self, chat: _Chat, kind: str, params: dict[str, Any], **fields: Any
    ) -> SimMessage:
        """Store one bot message after the common checks and wake waiters on the chat."""
        markup = check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat, params)
        self._rate_check(chat)
        message = self._new_message(
            chat, kind, from_bot=True, from_user_id=None, reply_markup=markup,
            parse_mode=params.get("parse_mode"), reply_to_message_id=reply_to,
            disable_notification=bool(params.get("disable_notification")), **fields,
        )  # fmt: skip
        self._rate_record(chat)
        if markup and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        await self._notify(("chat", chat.id))
        return message

    def _editable(self, params: dict[str, Any]) -> tuple[_Chat, SimMessage]:
        """The bot message an edit method targets (400s as Telegram)."""
        if params.get("inline_message_id") and not params.get("chat_id"):
            raise _bad("MESSAGE_ID_INVALID")
        chat = self._writable_chat(params)
        message = chat.messages.get(params.get("message_id") or 0)
        if message is None or message.deleted:
            raise _bad("message to edit not found")
        if not message.from_bot:
            raise _bad("message can't be edited")
        return chat, message

    async def _commit_edit(
        self, chat: _Chat, message: SimMessage, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """Apply an edit unless nothing changes; bump seq so waiters see it."""
        if all(getattr(message, key) == value for key, value in changes.items()):
            raise _bad(NOT_MODIFIED)
        self._rate_check(chat)
        for key, value in changes.items():
            setattr(message, key, value)
        message.edited, message.edit_date, message.seq = True, self._now(), self._next_seq()
        self._rate_record(chat)
        await self._notify(("chat", chat.id))
        return self._message_dict(message)

    def _member(self, chat: _Chat, user_id: int) -> dict[str, Any]:
        """A ChatMember object for user_id in chat."""
        if user_id == self.bot_id:
            status = chat.bot_status if chat.user is None else "member"
            return _member_dict(self.bot_user(), status)
        if user_id not in self._users:
            raise _bad("user not found")
        if chat.user is not None:
            status = "member" if user_id == chat.id else "left"
        else:
            status = chat.members.get(user_id, "left")
        return _member_dict(self._users[user_id].to_dict(), status)

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> str:
        """Commands are stored per scope and language, as Telegram does."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    # ============================================================ Bot API methods
    # Each takes the decoded parameters and returns the "result" of a successful answer.

    @api_method("getMe")
    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        """The bot's own User plus its capability flags (PTB calls it on initialize)."""
        flags = ("can_read_all_group_messages supports_inline_queries can_connect_to_business "
                 "has_main_web_app").split()  # fmt: skip
        return {**self.bot_user(), "can_join_groups": True, **dict.fromkeys(flags, False)}

    @api_method("logOut")
    async def _log_out(self, params: dict[str, Any]) -> bool:
        """Nothing to log out of; answers True like Telegram."""
        return True

    @api_method("close")
    async def _close(self, params: dict[str, Any]) -> bool:
        """Nothing to close; answers True like Telegram."""
        return True

    @api_method("getUpdates")
    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long polling: answer at once if updates are queued, else hold up to `timeout` s."""
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")  # fmt: skip
        self._confirm(int(params.get("offset") or 0))
        limit = min(100, max(1, int(params.get("limit") or 100)))
        timeout = max(0.0, float(params.get("timeout") or 0))
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_polls()  # a newer poll terminates an older one, like Telegram
        if not self._updates and timeout > 0 and not self._closed:
            await self._hold_poll(generation, timeout)
        if self._poll_generation != generation and not self._closed:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                "make sure that only one bot instance is running")  # fmt: skip
        return [] if self._closed else list(itertools.islice(self._updates, limit))

    @api_method("setWebhook")
    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        """Stored only: while a URL is set, getUpdates answers 409 as Telegram does."""
        self.webhook_url = str(params.get("url") or "")
        self.webhook_secret = str(params.get("secret_token") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    @api_method("deleteWebhook")
    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        """PTB calls this before polling; drop_pending_updates empties the queue."""
        self.webhook_url = self.webhook_secret = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    @api_method("getWebhookInfo")
    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        """The stored URL and the number of unconfirmed updates."""
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}  # fmt: skip

    @api_method("setMyCommands")
    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        """Validates names/descriptions like Telegram; stored per scope+language."""
        commands = params.get("commands")
        if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    @api_method("getMyCommands")
    async def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Commands for the scope+language (none set: [])."""
        return self.commands.get(self._commands_key(params), [])

    @api_method("deleteMyCommands")
    async def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        """Forget the commands of a scope+language."""
        self.commands.pop(self._commands_key(params), None)
        return True

    @api_method("setChatMenuButton")
    async def _set_chat_menu_button(self, params: dict[str, Any]) -> bool:
        """Stored per chat, or as the default when chat_id is absent."""
        button = params.get("menu_button") or {"type": "default"}
        if params.get("chat_id") is not None:
            self._known_chat(params).menu_button = button
        else:
            self.bot_settings["menu_button"] = button
        return True

    @api_method("getChatMenuButton")
    async def _get_chat_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        """The chat's button, else the default, else the commands menu."""
        chat = self._known_chat(params) if params.get("chat_id") is not None else None
        if chat is not None and chat.menu_button:
            return chat.menu_button
        return dict(self.bot_settings.get("menu_button", {"type": "commands"}))

    def _save_setting(self, key: str, params: dict[str, Any]) -> bool:
        """setMyName/Description/ShortDescription: stored per language."""
        self.bot_settings[(key, params.get("language_code") or "")] = params.get(key) or ""
        return True

    def _read_setting(self, key: str, params: dict[str, Any], default: str = "") -> dict[str, str]:
        """getMyName/Description/ShortDescription."""
        return {key: self.bot_settings.get((key, params.get("language_code") or ""), default)}

    @api_method("setMyDescription")
    async def _set_my_description(self, params: dict[str, Any]) -> bool:
        """Stored per language."""
        return self._save_setting("description", params)

    @api_method("setMyShortDescription")
    async def _set_my_short_description(self, params: dict[str, Any]) -> bool:
        """Stored per language."""
        return self._save_setting("short_description", params)

    @api_method("setMyName")
    async def _set_my_name(self, params: dict[str, Any]) -> bool:
        """Stored per language."""
        return self._save_setting("name", params)

    @api_method("getMyDescription")
    async def _get_my_description(self, params: dict[str, Any]) -> dict[str, str]:
        """As stored per language."""
        return self._read_setting("description", params)

    @api_method("getMyShortDescription")
    async def _get_my_short_description(self, params: dict[str, Any]) -> dict[str, str]:
        """As stored per language."""
        return self._read_setting("short_description", params)

    @api_method("getMyName")
    async def _get_my_name(self, params: dict[str, Any]) -> dict[str, str]:
        """As stored per language, defaulting to the bot's first name."""
        return self._read_setting("name", params, self.bot_first_name)

    @api_method("sendMessage")
    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        """Text with parse_mode/entities, markup and reply checks, then rate limits."""
        chat = self._writable_chat(params)
        text, entities = self._text(params)
        message = await self._send(chat, "text", params, text=text, entities=entities,
                                   raw_text=str(params["text"]))  # fmt: skip
        return self._message_dict(message)

    @api_method("editMessageText")
    async def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        """Leaving out reply_markup removes the inline keyboard, as in Telegram."""
        chat, message = self._editable(params)
        if message.text is None:
            raise _bad("there is no text in the message to edit")
        text, entities = self._text(params)
        markup = _edited_markup(message, params)
        changes = {"text": text, "entities": entities, "reply_markup": markup}
        result = await self._commit_edit(chat, message, changes)
        message.raw_text, message.parse_mode = str(params["text"]), params.get("parse_mode")
        return result

    @api_method("editMessageCaption")
    async def _edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        """Only media messages have captions."""
        chat, message = self._editable(params)
        if message.kind == "text":
            raise _bad("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        markup = _edited_markup(message, params)
        changes = {"caption": caption, "caption_entities": entities, "reply_markup": markup}
        result = await self._commit_edit(chat, message, changes)
        message.raw_caption = params.get("caption")
        return result

    @api_method("editMessageReplyMarkup")
    async def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        """Replace or (without reply_markup) remove the inline keyboard."""
        chat, message = self._editable(params)
        changes = {"reply_markup": _edited_markup(message, params)}
        return await self._commit_edit(chat, message, changes)

    @api_method("deleteMessage")
    async def _delete_message(self, params: dict[str, Any]) -> bool:
        """Marks the message deleted (it stays visible via deleted_messages)."""
        chat = self._writable_chat(params)
        message = chat.messages.get(params.get("message_id") or 0)
        if message is None or message.deleted:
            raise _bad("message to delete not found")
        message.deleted = True
        await self._notify(("chat", chat.id))
        return True

    @api_method("deleteMessages")
    async def _delete_messages(self, params: dict[str, Any]) -> bool:
        """Bulk delete; unknown ids are skipped like Telegram."""
        chat = self._writable_chat(params)
        for message_id in params.get("message_ids") or []:
            if (message := chat.messages.get(int(message_id))) is not None:
                message.deleted = True
        await self._notify(("chat", chat.id))
        return True

    @api_method("answerCallbackQuery")
    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        """Each query can be answered once; the answer is kept on the SimUser."""
        query_id = str(params.get("callback_query_id") or "")
        query = self._queries.get(query_id)
        if query is None or query.answered:
            raise _bad(QUERY_TOO_OLD)
        text = params.get("text")
        if text and utf16_len(str(text)) > CALLBACK_ANSWER_LIMIT:
            raise _bad("MESSAGE_TOO_LONG")
        query.answered = True
        answer = {"callback_query_id": query_id, "text": text,
                  "show_alert": bool(params.get("show_alert")), "url": params.get("url"),
                  "cache_time": params.get("cache_time")}  # fmt: skip
        self._users[query.user_id].callback_answers.append(answer)
        await self._notify(("answers", query.user_id))
        return True

    @api_method("sendPhoto")
    async def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        """An uploaded image (checked to be one) or a known file_id."""
        chat = self._writable_chat(params)
        caption, entities = self._caption(params)
        sizes, data, file_id = self._photo_input(params, "photo")
        message = await self._send(
            chat, "photo", params, caption=caption, caption_entities=entities,
            raw_caption=params.get("caption"), photo_bytes=data, file_id=file_id,
            media={"photo": sizes},
        )  # fmt: skip
        return self._message_dict(message)

    @api_method("sendDocument")
    async def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        """An upload keeps its file name and MIME type, or a known file_id."""
        chat = self._writable_chat(params)
        caption, entities = self._caption(params)
        stored = self._document_input(params, "document")
        message = await self._send(
            chat, "document", params, caption=caption, caption_entities=entities,
            raw_caption=params.get("caption"), **_document_fields(stored),
        )  # fmt: skip
        return self._message_dict(message)

    @api_method("sendMediaGroup")
    async def _send_media_group(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """2-10 photos/documents sharing a media_group_id; counts as N messages."""
        chat = self._writable_chat(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _bad("wrong number of media in the group, must be between 2 and 10")
        items = [self._album_item(item, params) for item in media]
        reply_to = self._reply_to(chat, params)
        self._rate_check(chat, len(items))
        album = str(13_000_000_000_000_000 + self._next("album"))
        messages = [
            self._new_message(chat, kind, from_bot=True, from_user_id=None, media_group_id=album,
                              reply_to_message_id=reply_to, **fields)  # fmt: skip
            for kind, fields in items
        ]
        self._rate_record(chat, len(items))
        await self._notify(("chat", chat.id))
        return [self._message_dict(m) for m in messages]

    def _album_item(self, item: Any, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(kind, message fields) for one InputMedia of a media group."""
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in ("photo", "document"):
            raise _bad("can't parse InputMedia: unsupported media type")
        sub = {**params, "media": item.get("media"), "caption": item.get("caption"),
               "parse_mode": item.get("parse_mode")}  # fmt: skip
        caption, entities = self._caption(sub)
        fields: dict[str, Any] = {"caption": caption, "caption_entities": entities,
                                  "raw_caption": item.get("caption")}  # fmt: skip
        if kind == "photo":
            sizes, data, file_id = self._photo_input(sub, "media")
            return kind, {**fields, "photo_bytes": data, "file_id": file_id,
                          "media": {"photo": sizes}}  # fmt: skip
        return kind, {**fields, **_document_fields(self._document_input(sub, "media"))}

    @api_method("copyMessage")
    async def _copy_message(self, params: dict[str, Any]) -> dict[str, int]:
        """A copy without a link to the original; answers the new MessageId."""
        copy = await self._duplicate(params)
        return {"message_id": copy.message_id}

    @api_method("forwardMessage")
    async def _forward_message(self, params: dict[str, Any]) -> dict[str, Any]:
        """Modelled as a copy; answers the new Message."""
        return self._message_dict(await self._duplicate(params))

    async def _duplicate(self, params: dict[str, Any]) -> SimMessage:
        """Copy a message from from_chat_id into chat_id as a new bot message."""
        chat = self._writable_chat(params)
        source_chat = self._known_chat(params, "from_chat_id")
        source = source_chat.messages.get(params.get("message_id") or 0)
        if source is None or source.deleted:
            raise _bad("message to copy not found")
        copied = ("text caption entities caption_entities raw_text raw_caption document_name "
                  "document_bytes photo_bytes document_mime file_id").split()  # fmt: skip
        fields = {key: getattr(source, key) for key in copied}
        return await self._send(chat, source.kind, params, media=dict(source.media), **fields)

    @api_method("sendChatAction")
    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        """Recorded per chat (see chat_actions) after checking the action name."""
        chat = self._writable_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        chat.actions.append(params["action"])
        return True

    @api_method("getFile")
    async def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        """The file_path to download from /file/bot<token>/<file_path> (max 20 MB)."""
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.data) > DOWNLOAD_LIMIT:
            raise _bad("file is too big")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data), "file_path": stored.file_path}  # fmt: skip

    @api_method("getChat")
    async def _get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        """ChatFullInfo with the fields PTB requires."""
        chat = self._known_chat(params)
        gifts = dict.fromkeys(("unlimited_gifts limited_gifts unique_gifts premium_subscription "
                               "gifts_from_channels").split(), False)  # fmt: skip
        return {**chat.to_dict(), "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": gifts}  # fmt: skip

    @api_method("getChatMember")
    async def _get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        """Membership of a known user (groups: add_member, or by writing there)."""
        chat = self._known_chat(params)
        user_id = params.get("user_id")
        return self._member(chat, user_id if isinstance(user_id, int) else 0)

    @api_method("getChatAdministrators")
    async def _get_chat_administrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Members marked administrator or creator."""
        chat = self._known_chat(params)
        admins = [uid for uid, status in chat.members.items()
                  if status in ("administrator", "creator")]  # fmt: skip
        return [self._member(chat, uid) for uid in admins]

    @api_method("getChatMemberCount")
    async def _get_chat_member_count(self, params: dict[str, Any]) -> int:
        """The bot plus current members."""
        chat = self._known_chat(params)
        if chat.user is not None:
            return 2
        return 1 + sum(status not in ("left", "kicked") for status in chat.members.values())

    @api_method("leaveChat")
    async def _leave_chat(self, params: dict[str, Any]) -> bool:
        """The bot leaves a group; sending there then answers 403."""
        chat = self._known_chat(params)
        if chat.user is not None:
            raise _bad("chat member status can't be changed in private chats")
        if chat.bot_status in ("left", "kicked"):
            raise _forbidden("bot is not a member of the group chat")
        chat.bot_status = "left"
        return True

    @api_method("pinChatMessage")
    async def _pin_chat_message(self, params: dict[str, Any]) -> bool:
        """Recorded on the chat."""
        chat = self._writable_chat(params)
        if params.get("message_id") not in chat.messages:
            raise _bad("message to pin not found")
        chat.pinned.append(params["message_id"])
        return True

    @api_method("unpinChatMessage")
    async def _unpin_chat_message(self, params: dict[str, Any]) -> bool:
        """The given message, or the latest pinned one."""
        chat = self._writable_chat(params)
        target = params.get("message_id") or (chat.pinned[-1] if chat.pinned else None)
        chat.pinned = [m for m in chat.pinned if m != target]
        return True

    @api_method("unpinAllChatMessages")
    async def _unpin_all_chat_messages(self, params: dict[str, Any]) -> bool:
        """Clears the chat's pins."""
        self._writable_chat(params).pinned.clear()
        return True


# --------------------------------------------------------------------- small helpers

_CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)
_MIME_EXT = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "audio/ogg": ".oga",
    "application/pdf": ".pdf", "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}  # fmt: skip


def _guess_mime(file_name: str | None) -> str | None:
    """MIME type from a file name, as Telegram guesses it for documents."""
    return mimetypes.guess_type(file_name)[0] if file_name else None


def _extension(file_name: str | None, mime_type: str | None) -> str:
    """File extension for the stored file_path (Telegram keeps the original extension)."""
    if file_name and "." in file_name:
        ext = "." + file_name.rsplit(".", 1)[1]
        return ext if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", ext) else ""
    return _MIME_EXT.get(mime_type or "", "")


def _keyboard_texts(markup: dict[str, Any] | None) -> list[list[str]]:
    """Button texts of a ReplyKeyboardMarkup, whose buttons may be strings or objects."""
    rows = (markup or {}).get("keyboard") or []
    return [[b if isinstance(b, str) else b.get("text", "") for b in row] for row in rows]


def _document_fields(stored: StoredFile) -> dict[str, Any]:
    """SimMessage fields describing a document message."""
    return {"document_name": stored.file_name, "document_bytes": stored.data,
            "document_mime": stored.mime_type, "file_id": stored.file_id,
            "media": {"document": stored.document()}}  # fmt: skip


def _edited_markup(message: SimMessage, params: dict[str, Any]) -> dict[str, Any] | None:
    """The markup after an edit: edits set (or drop) the inline keyboard only.

    A reply keyboard sent with the message belongs to the chat, so an edit leaves it alone.
    """
    markup = check_reply_markup(params.get("reply_markup"))
    if markup is not None and "inline_keyboard" not in markup:
        raise _bad("inline keyboard expected")
    if markup is None and message.reply_markup and "inline_keyboard" not in message.reply_markup:
        return message.reply_markup
    return markup


def _find_inline_button(message: SimMessage, button: str | tuple[int, int]) -> dict[str, Any]:
    """The inline button by exact text or (row, col); LookupError lists what exists."""
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    if isinstance(button, tuple):
        row, col = button
        if 0 <= row < len(rows) and 0 <= col < len(rows[row]):
            return dict(rows[row][col])
    else:
        for candidate in (b for r in rows for b in r):
            if candidate.get("text") == button:
                return dict(candidate)
    raise LookupError(
        f"no button {button!r} on message {message.message_id}; buttons: {message.buttons()}"
    )


def _member_dict(user: dict[str, Any], status: str) -> dict[str, Any]:
    """ChatMember objects carry different required fields per status."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        rights = ("can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
                  "can_promote_members can_change_info can_invite_users can_post_stories "
                  "can_edit_stories can_delete_stories").split()  # fmt: skip
        member.update(can_be_edited=False, is_anonymous=False, **dict.fromkeys(rights, True))
    elif status == "kicked":
        member["until_date"] = 0
    return member
