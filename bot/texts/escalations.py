"""Texts of escalations to the Standing Committee and their answers."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.kiennghi": {VI: "Kiến nghị chờ trả lời (quản trị)", EN: "Open escalations (admins)"},
    "esc.post": {
        VI: "⬆ Kiến nghị số {number} gửi Ban Thường vụ\nCán bộ: {cadre}\nChi bộ: {cell}\n"
        "Ngày sinh hoạt: {day}\nNội dung: {text}{state}",
        EN: "⬆ Escalation no. {number} to the Standing Committee\nCadre: {cadre}\nCell: {cell}\n"
        "Meeting date: {day}\nIssue: {text}{state}",
    },
    "esc.state_acknowledged": {
        VI: "\n\n👌 Đã tiếp nhận ({at}).",
        EN: "\n\n👌 Acknowledged ({at}).",
    },
    "esc.state_answered": {
        VI: "\n\n📩 Đã trả lời ({at}): {answer}",
        EN: "\n\n📩 Answered ({at}): {answer}",
    },
    "esc.btn.acknowledge": {VI: "👌 Đã tiếp nhận", EN: "👌 Acknowledge"},
    "esc.btn.answer": {VI: "✍ Trả lời", EN: "✍ Answer"},
    "esc.admins_only": {
        VI: "Chỉ quản trị viên mới tiếp nhận, trả lời kiến nghị.",
        EN: "Only administrators acknowledge or answer escalations.",
    },
    "esc.out_of_scope": {
        VI: "Kiến nghị này thuộc địa bàn khác, ngoài phạm vi quản trị của đồng chí.",
        EN: "This escalation belongs to another area, outside your scope.",
    },
    "esc.not_found": {VI: "Không tìm thấy kiến nghị này.", EN: "That escalation was not found."},
    "esc.already_answered": {
        VI: "Kiến nghị số {number} đã được trả lời rồi.",
        EN: "Escalation no. {number} was answered already.",
    },
    "esc.acknowledged_toast": {VI: "Đã ghi nhận.", EN: "Acknowledged."},
    "esc.to_cadre_acknowledged": {
        VI: "👌 Ban Thường vụ đã tiếp nhận kiến nghị số {number} của đồng chí ({cell}, {day}).",
        EN: "👌 The Standing Committee has acknowledged your escalation no. {number} ({cell}, {day}).",
    },
    "esc.type_answer": {
        VI: "✍ Trả lời kiến nghị số {number}:\n«{text}»\n\nGõ câu trả lời (tối đa {limit} ký tự), "
        "hoặc /huy để thôi.",
        EN: "✍ Answer escalation no. {number}:\n«{text}»\n\nType the answer (at most {limit} "
        "characters), or /cancel.",
    },
    "esc.open_private_chat": {
        VI: "Xin mở trò chuyện riêng với bot (bấm vào tên bot, chọn Bắt đầu) rồi bấm lại «Trả lời».",
        EN: "Please open a private chat with the bot (tap its name, then Start), then press "
        "«Answer» again.",
    },
    "esc.answer_saved": {
        VI: "✅ Đã lưu câu trả lời kiến nghị số {number} và gửi tới cán bộ {cadre}.",
        EN: "✅ The answer to escalation no. {number} is saved and sent to {cadre}.",
    },
    "esc.answer_saved_unsent": {
        VI: "✅ Đã lưu câu trả lời kiến nghị số {number}; cán bộ {cadre} chưa nhận được tin nhắn "
        "(chưa mở bot), sẽ thấy khi dùng /cuatoi.",
        EN: "✅ The answer to escalation no. {number} is saved; {cadre} could not be messaged "
        "(has not opened the bot) and will see it in /me.",
    },
    "esc.to_cadre_answer": {
        VI: "📩 Ban Thường vụ trả lời kiến nghị số {number} ({cell}, {day}):\n«{question}»\n\n{answer}",
        EN: "📩 The Standing Committee answered escalation no. {number} ({cell}, {day}):\n"
        "«{question}»\n\n{answer}",
    },
    "esc.answer_cancelled": {VI: "Đã thôi trả lời.", EN: "Answer cancelled."},
    "esc.list_title": {
        VI: "Kiến nghị chờ trả lời ({count}):",
        EN: "Escalations waiting for an answer ({count}):",
    },
    "esc.list_line": {
        VI: "#{number} · {days} ngày · {cadre} · {cell}\n   {text}{acknowledged}",
        EN: "#{number} · {days} days · {cadre} · {cell}\n   {text}{acknowledged}",
    },
    "esc.list_acknowledged": {VI: " (đã tiếp nhận)", EN: " (acknowledged)"},
    "esc.list_empty": {VI: "Không có kiến nghị nào chờ trả lời. 👍", EN: "No open escalations. 👍"},
    "esc.btn.answer_number": {VI: "✍ Trả lời #{number}", EN: "✍ Answer #{number}"},
}
