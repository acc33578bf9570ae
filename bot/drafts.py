"""Half-written reports, kept in the user's persisted data between steps.

A draft is a plain JSON-able dict underneath (python-telegram-bot's persistence stores
it in SQLite after every update); these dataclasses give it names and types.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

VISIT_DRAFT_KEY = "visit_draft"
MAX_PHOTOS = 10


def new_token() -> str:
    """The idempotency key of one draft: the report it becomes is stored once."""
    return secrets.token_urlsafe(9)


@dataclass
class DraftIssue:
    description: str
    escalate: bool


@dataclass
class DraftPhoto:
    file_id: str
    file_unique_id: str | None = None


@dataclass
class VisitDraft:
    token: str
    cadre_id: int
    started_at: str
    touched_at: str
    cell_id: int | None = None
    meeting_date: str | None = None  # ISO
    topic_ids: list[int] = field(default_factory=list)
    notes: str = ""
    issues: list[DraftIssue] = field(default_factory=list)
    pending_issue: str | None = None
    photos: list[DraftPhoto] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    editing_report_id: int | None = None  # set when the draft edits a stored report
    reviewing: bool = False  # once the review was shown, each step returns to it

    @property
    def date(self) -> date | None:
        return date.fromisoformat(self.meeting_date) if self.meeting_date else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VisitDraft:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["issues"] = [DraftIssue(**i) for i in values.get("issues", [])]
        values["photos"] = [DraftPhoto(**p) for p in values.get("photos", [])]
        return cls(**values)


def load_visit_draft(user_data: dict[str, Any]) -> VisitDraft | None:
    raw = user_data.get(VISIT_DRAFT_KEY)
    return VisitDraft.from_dict(raw) if raw else None


def save_visit_draft(user_data: dict[str, Any], draft: VisitDraft) -> None:
    user_data[VISIT_DRAFT_KEY] = draft.to_dict()


def drop_visit_draft(user_data: dict[str, Any]) -> None:
    user_data.pop(VISIT_DRAFT_KEY, None)
