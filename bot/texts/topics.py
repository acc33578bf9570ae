"""Texts of the quarter's dissemination topics (/chude)."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.chude": {VI: "Chủ đề phổ biến của quý (quản trị)", EN: "The quarter's topics (admins)"},
    "topics.list": {
        VI: "Chủ đề phổ biến {quarter}:\n{items}\n\nThêm: /chude <nội dung>. Bỏ: bấm nút bên dưới.",
        EN: "Topics for {quarter}:\n{items}\n\nAdd: /chude <text>. Remove: press a button below.",
    },
    "topics.none": {VI: "(chưa có chủ đề nào)", EN: "(no topics yet)"},
    "topics.added": {VI: "Đã thêm chủ đề: «{title}».", EN: "Topic added: «{title}»."},
    "topics.exists": {VI: "Chủ đề «{title}» đã có rồi.", EN: "«{title}» is already a topic."},
    "topics.removed": {VI: "Đã bỏ chủ đề.", EN: "Topic removed."},
    "topics.btn.remove": {VI: "🗑 {title}", EN: "🗑 {title}"},
}
