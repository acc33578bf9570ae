"""Texts of answering an escalation: the answer is shown back before it is sent."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "esc.answer_review": {
        VI: "✍ Câu trả lời kiến nghị số {number}:\n\n{answer}\n\nBấm «Gửi» để gửi tới cán bộ, "
        "«Sửa» để gõ lại, hoặc «Hủy».",
        EN: "✍ Your answer to escalation no. {number}:\n\n{answer}\n\nPress «Send» to send it to "
        "the cadre, «Edit» to type it again, or «Cancel».",
    },
    "esc.btn.send": {VI: "✅ Gửi", EN: "✅ Send"},
    "esc.btn.rewrite": {VI: "✏ Sửa", EN: "✏ Edit"},
    "esc.btn.drop": {VI: "✖ Hủy", EN: "✖ Cancel"},
    "esc.type_again": {
        VI: "Gõ câu trả lời mới (tối đa {limit} ký tự), hoặc /huy để thôi.",
        EN: "Type the new answer (at most {limit} characters), or /cancel.",
    },
    "esc.answer_timed_out": {
        VI: "Đã quá lâu kể từ khi bấm «Trả lời», nên tin nhắn này không được lấy làm câu trả lời. "
        "Xin bấm lại «Trả lời» (hoặc dùng /kiennghi) nếu vẫn muốn trả lời.",
        EN: "It has been too long since you pressed «Answer», so this message was not taken as "
        "the answer. Press «Answer» again (or use /escalations) to answer.",
    },
}
