"""One cadre on two messengers, and files on a messenger that takes links only."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "visit.draft_elsewhere": {
        VI: "ℹ️ Đồng chí còn một báo cáo đang soạn dở trên {messenger}. Báo cáo này là một bản mới, "
        "riêng; bản trên {messenger} vẫn được giữ ở đó, để gửi tiếp hoặc bỏ trên {messenger}.",
        EN: "ℹ️ You have an unfinished report on {messenger}. This is a new, separate one; the one on "
        "{messenger} stays there, to finish or drop on {messenger}.",
    },
    "visit.draft_elsewhere_cell": {
        VI: "ℹ️ Đồng chí còn một báo cáo đang soạn dở trên {messenger} ({cell}). Báo cáo này là một "
        "bản mới, riêng; bản trên {messenger} vẫn được giữ ở đó, để gửi tiếp hoặc bỏ trên {messenger}.",
        EN: "ℹ️ You have an unfinished report on {messenger} ({cell}). This is a new, separate one; the "
        "one on {messenger} stays there, to finish or drop on {messenger}.",
    },
}
