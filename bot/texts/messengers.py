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
    "zalo.file_unnamed": {
        VI: "tệp",
        EN: "file",
    },
    "zalo.file_link": {
        VI: "📎 Tệp «{name}»: {url}\n(Mở liên kết để tải về; liên kết có hạn 30 ngày.)",
        EN: "📎 File «{name}»: {url}\n(Open the link to download it; the link lasts 30 days.)",
    },
    "zalo.file_elsewhere": {
        VI: "📎 Tệp «{name}» không gửi được qua Zalo. Xin nhận tệp tại {office} ({office_contact}).",
        EN: "📎 The file «{name}» cannot be sent on Zalo. Please get it from {office} ({office_contact}).",
    },
    "tl.file_elsewhere": {
        VI: "📎 Tệp «{name}» chưa gửi được qua ứng dụng này. Xin nhận tệp tại {office} ({office_contact}).",
        EN: "📎 The file «{name}» could not be sent on this messenger. Please get it from {office} "
        "({office_contact}).",
    },
}
