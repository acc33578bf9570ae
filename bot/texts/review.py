"""Texts added in review: /dexuat refusals that name what is outside the admin's scope
(handlers/proposals.py)."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "pr.model_out_of_scope": {
        VI: "Mô hình «{code}» thuộc địa bàn khác, ngoài phạm vi quản trị của đồng chí.",
        EN: "The model «{code}» belongs to another area, outside your scope.",
    },
    "pr.place_out_of_scope": {
        VI: "{place} thuộc địa bàn khác, ngoài phạm vi quản trị của đồng chí.",
        EN: "{place} belongs to another area, outside your scope.",
    },
}
