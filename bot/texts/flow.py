"""Texts of the report flows' shared skeleton (handlers/flow.py): resuming, dates, long texts."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "flow.filled": {VI: "Đã điền:\n{items}", EN: "Filled in so far:\n{items}"},
    "visit.filled_issues": {VI: "{count} kiến nghị", EN: "{count} issue(s)"},
    "visit.where": {VI: "{cell} · {day}\n", EN: "{cell} · {day}\n"},
    "date.need_year": {
        VI: "Chưa rõ «{text}» là ngày nào: ngày gần nhất đã qua là {day}, từ hơn một quý trước. "
        "Nếu đúng ngày đó, xin gõ đủ cả năm: {day}.",
        EN: "Which «{text}»? The nearest past one is {day}, more than a quarter ago. If that is "
        "the day, please type it with the year: {day}.",
    },
    # A draft found already stored: a restart took its receipt (handlers/flow.py, receipt).
    "visit.stored_draft": {
        VI: "Báo cáo đồng chí gửi lần trước đã được lưu rồi (số {number}), dù lúc đó bot chưa kịp "
        "báo lại. Không cần gửi lại.",
        EN: "The report you sent last time was saved already (no. {number}), though the bot could "
        "not tell you then. No need to send it again.",
    },
    "model.stored_draft": {
        VI: "Cập nhật mô hình đồng chí gửi lần trước đã được lưu rồi (số {number}), dù lúc đó bot "
        "chưa kịp báo lại. Không cần gửi lại.",
        EN: "The model update you sent last time was saved already (no. {number}), though the bot "
        "could not tell you then. No need to send it again.",
    },
    "text.tail": {
        VI: "Tin nhắn này ({length} ký tự) có vẻ là phần cuối của tin nhắn quá dài vừa rồi, nên "
        "bot chưa lưu. Nếu đúng là nội dung mới, xin gửi lại.",
        EN: "This message ({length} characters) looks like the end of the over-long one before, "
        "so it was not stored. If it is new content, please send it again.",
    },
}
