"""Callback data shared by more than one layer.

The scheduler sends buttons that the handlers answer; the constant lives here, below
both, so that neither imports the other for it.
"""

CB_START_FOR_CELL = "v:go:"  # + cell id: «📝 Báo cáo ngay» on a reminder opens the visit report
CB_MATERIAL_RECEIVED = "tl:ok:"  # + material id + ":" + cell id: «✅ Đã nhận» on a material sent to a cell
CB_MEETING_YES = "hp:y:"  # + meeting id + ":" + version: «✅ Tôi sẽ dự» on a meeting's invitation
CB_MEETING_NO = "hp:n:"  # + meeting id + ":" + version: «❌ Không dự được»


def start_for_cell_data(cell_id: int, day: str | None = None) -> str:
    """«📝 Báo cáo ngay»'s data: the cell, and the meeting's day (ISO) when it is known."""
    return f"{CB_START_FOR_CELL}{cell_id}:{day.replace('-', '')}" if day else f"{CB_START_FOR_CELL}{cell_id}"


def parse_start_for_cell(tail: str) -> tuple[int | None, str | None]:
    """(cell id, ISO day or None) from what follows CB_START_FOR_CELL; (None, None) if mangled."""
    cell_text, _, day = tail.partition(":")
    if not cell_text.isdigit() or (day and (len(day) != 8 or not day.isdigit())):
        return None, None
    return int(cell_text), f"{day[:4]}-{day[4:6]}-{day[6:]}" if day else None

# A model proposal (storage/proposals.py) posted to the Standing Committee's group
# (scheduler/proposal_posts.py) and decided there (handlers/proposals.py): + proposal id.
CB_PROPOSAL_APPROVE = "pr:ok:"  # a replication: approved; a commendation: choose the form
CB_PROPOSAL_REJECT = "pr:no:"
CB_PROPOSAL_FORM = "pr:f:"  # + proposal id + ":" + form (storage.proposals.FORMS)
CB_PROPOSAL_BACK = "pr:bk:"  # from the forms back to approve / reject
CB_INSPECT_MODEL = "kt:go:"  # + model id: «🔍 Kiểm tra ngay» on an inspection reminder opens /mohinh's inspection
