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
STASHED_VISIT_DRAFT_KEY = "visit_draft_stashed"
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
    """An attachment: a photo, or a file (the minutes as a PDF) when ``kind`` is 'document'."""

    file_id: str
    file_unique_id: str | None = None
    kind: str = "photo"  # 'photo' | 'document'; drafts saved before files were taken have none


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
    filed_by_id: int | None = None  # a secretary or admin filing for a cadre (/baocaothay)
    reviewing: bool = False  # once the review was shown, each step returns to it
    pending_date: str | None = None  # ISO: a date of an earlier quarter, waiting for a tap
    step: str | None = None  # the state last shown (drafts saved before it have none)

    @property
    def date(self) -> date | None:
        return date.fromisoformat(self.meeting_date) if self.meeting_date else None

    @property
    def owner_id(self) -> int:
        """Who is filling it in: the cadre, or whoever files on their behalf."""
        return self.filed_by_id or self.cadre_id

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


def stash_visit_draft(user_data: dict[str, Any]) -> None:
    """Puts an unfinished new report aside while the cadre edits a stored one."""
    current = load_visit_draft(user_data)
    if current is not None and current.editing_report_id is None:
        user_data[STASHED_VISIT_DRAFT_KEY] = user_data[VISIT_DRAFT_KEY]


def restore_stashed_visit_draft(user_data: dict[str, Any]) -> None:
    """Brings the unfinished new report back after an edit (or drops the edit draft)."""
    stashed = user_data.pop(STASHED_VISIT_DRAFT_KEY, None)
    if stashed is not None:
        user_data[VISIT_DRAFT_KEY] = stashed
    else:
        drop_visit_draft(user_data)


MODEL_DRAFT_KEY = "model_draft"


@dataclass
class ModelDraft:
    """A model update (or, by an admin, an inspection) on its way to being stored."""

    token: str
    cadre_id: int
    started_at: str
    touched_at: str
    asks_kind: bool = False  # admins choose between an update and an inspection
    kind: str | None = None  # 'update' | 'inspection'
    model_id: int | None = None
    assessment: str | None = None  # 'good' | 'fair' | 'ineffective'
    notes: str | None = None  # None: not answered yet; '': skipped
    proposal: str | None = None  # 'maintain' | 'replicate' | 'convert'
    proposal_places: str = ""  # where to replicate to, as the cadre typed it
    photos: list[DraftPhoto] = field(default_factory=list)
    search: str = ""  # the last name search, so that its result pages can be turned
    reviewing: bool = False  # once the review was shown, each step returns to it
    step: str | None = None  # the state last shown (drafts saved before it have none)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelDraft:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["photos"] = [DraftPhoto(**p) for p in values.get("photos", [])]
        return cls(**values)


def load_model_draft(user_data: dict[str, Any]) -> ModelDraft | None:
    raw = user_data.get(MODEL_DRAFT_KEY)
    return ModelDraft.from_dict(raw) if raw else None


def save_model_draft(user_data: dict[str, Any], draft: ModelDraft) -> None:
    user_data[MODEL_DRAFT_KEY] = draft.to_dict()


def drop_model_draft(user_data: dict[str, Any]) -> None:
    user_data.pop(MODEL_DRAFT_KEY, None)
