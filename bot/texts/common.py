"""Texts every flow shares: greetings, help, refusals, errors."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    # --- general ------------------------------------------------------------------------
    "welcome": {
        VI: "Xin chào đồng chí {name}!\n"
        "Đây là bot Báo cáo của {org}: báo cáo dự sinh hoạt chi bộ và tình hình mô hình "
        "ngay trên điện thoại.\n\n{commands}",
        EN: "Hello, comrade {name}!\n"
        "This is the Report bot of {org}: report your cell meeting visits and "
        "model updates from your phone.\n\n{commands}",
    },
    "help": {
        VI: "Các lệnh của đồng chí:\n{commands}\n\nBấm /huy bất cứ lúc nào để dừng thao tác "
        "đang làm.",
        EN: "Your commands:\n{commands}\n\nSend /cancel at any time to stop what you are "
        "doing.",
    },
    "unknown_user": {
        VI: "Xin chào! Bot này chỉ dành cho cán bộ đã có trong danh sách của {org}.\n"
        "Để đăng ký, đồng chí bấm nút «Gửi số điện thoại» bên dưới (số phải trùng với số "
        "trong danh sách), hoặc gửi mã mời do {office} cấp.\n"
        "Cần hỗ trợ, xin liên hệ {office_contact}.",
        EN: "Hello! This bot is only for cadres on the roster of {org}.\n"
        "To register, press «Share phone number» below (it must match the roster), or send "
        "the invite code from {office}.\n"
        "For help, please contact {office_contact}.",
    },
    "unknown_command": {
        VI: "Bot chưa hiểu lệnh này. Gửi /help để xem các lệnh có thể dùng.",
        EN: "I don't know that command. Send /help to see what you can do.",
    },
    "not_understood": {
        VI: "Bot chưa hiểu tin nhắn này. Gửi /help để xem các lệnh có thể dùng.",
        EN: "I didn't understand that message. Send /help to see what you can do.",
    },
    "admin_only": {
        VI: "Lệnh này chỉ dành cho quản trị viên.",
        EN: "This command is for administrators only.",
    },
    "private_only": {
        VI: "Xin nhắn riêng cho bot để dùng lệnh này.",
        EN: "Please message the bot privately to use this command.",
    },
    "error_generic": {
        VI: "Xin lỗi, đã có lỗi khi xử lý. Dữ liệu đồng chí đã nhập vẫn được giữ; xin thử lại "
        "sau ít phút.",
        EN: "Sorry, something went wrong. What you entered is kept; please try again in a "
        "few minutes.",
    },
    "choose_by_number": {
        VI: "Trả lời bằng số để chọn:",
        EN: "Reply with a number to choose:",
    },
    # --- weekdays, Monday first (date.weekday()) -----------------------------------------
    "weekday.0": {VI: "T2", EN: "Mon"},
    "weekday.1": {VI: "T3", EN: "Tue"},
    "weekday.2": {VI: "T4", EN: "Wed"},
    "weekday.3": {VI: "T5", EN: "Thu"},
    "weekday.4": {VI: "T6", EN: "Fri"},
    "weekday.5": {VI: "T7", EN: "Sat"},
    "weekday.6": {VI: "CN", EN: "Sun"},
    # --- command descriptions (the Telegram menu and /help) -----------------------------
    "cmd.start": {VI: "Bắt đầu", EN: "Start"},
    "cmd.help": {VI: "Hướng dẫn sử dụng", EN: "How to use the bot"},
}
