"""Telegram's wire format: limits, error answers, parameter decoding and reply-markup checks.

Everything the simulator rejects before it looks at people or chats lives here, so each
check reads as Telegram documents it and answers with Telegram's own description.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

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


def _keyboard_texts(markup: dict[str, Any] | None) -> list[list[str]]:
    """Button texts of a ReplyKeyboardMarkup, whose buttons may be strings or objects."""
    rows = (markup or {}).get("keyboard") or []
    return [[b if isinstance(b, str) else b.get("text", "") for b in row] for row in rows]
