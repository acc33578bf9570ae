"""Texts of the Zalo channel itself (bot/channels/zalo) and the Zalo variants of screens."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "zalo.not_a_choice": {
        VI: "Không có lựa chọn số {number}. Đồng chí gõ số của một trong các lựa chọn:\n{choices}",
        EN: "There is no choice {number}. Please type the number of one of these:\n{choices}",
    },
    "zalo.unreadable": {
        VI: "Bot không đọc được loại tin nhắn này trên Zalo. Xin đồng chí gửi chữ hoặc ảnh.",
        EN: "The bot cannot read this kind of message on Zalo. Please send text or a photo.",
    },
    "zalo.photo_failed": {
        VI: "Bot chưa tải được ảnh này. Xin đồng chí gửi lại ảnh.",
        EN: "The bot could not fetch this photo. Please send it again.",
    },
    "zalo.location": {
        VI: "📍 Vị trí: {latitude}, {longitude}",
        EN: "📍 Location: {latitude}, {longitude}",
    },
    "zalo.part": {
        VI: "({part}/{parts})",
        EN: "({part}/{parts})",
    },
    # Zalo shares no contact: registration there is by invite code only.
    "unknown_user.invite_only": {
        VI: "Xin chào! Bot này chỉ dành cho cán bộ đã có trong danh sách của {org}.\n"
        "Để đăng ký trên Zalo, đồng chí gửi mã mời do {office} cấp (gõ mã vào đây). Zalo "
        "không gửi số điện thoại cho bot, nên không đăng ký bằng số điện thoại được.\n"
        "Cần hỗ trợ, xin liên hệ {office_contact}.",
        EN: "Hello! This bot is only for cadres on the roster of {org}.\n"
        "To register on Zalo, send the invite code from {office} (type it here). Zalo does "
        "not share phone numbers with bots, so a phone number cannot be used.\n"
        "For help, please contact {office_contact}.",
    },
    # Zalo's wording where Telegram's says "press a button" (bot.texts.text_variant).
    "visit.use_buttons@zalo": {
        VI: "Xin gõ số của một lựa chọn ở tin nhắn trên (hoặc «huy» để dừng).",
        EN: "Please type the number of one of the choices above (or «cancel» to stop).",
    },
    "model.use_buttons@zalo": {
        VI: "Xin gõ số của một lựa chọn ở tin nhắn trên (hoặc «huy» để dừng).",
        EN: "Please type the number of one of the choices above (or «cancel» to stop).",
    },
    "ex.use_buttons@zalo": {
        VI: "Xin gõ số của một lựa chọn ở trên, hoặc «huy» để thôi.",
        EN: "Please type the number of a choice above, or «cancel».",
    },
    "visit.media_expected@zalo": {
        VI: "Ở bước này xin gửi ảnh, hoặc gõ số của «Tiếp» để sang bước sau.",
        EN: "At this step please send photos, or type the number of «Next» to go on.",
    },
    "model.photos_expected@zalo": {
        VI: "Ở bước này xin gửi ảnh, hoặc gõ số của «Tiếp» để sang bước sau.",
        EN: "At this step please send photos, or type the number of «Next» to go on.",
    },
    "sched.remind.action@zalo": {
        VI: "Đã dự thì gõ 1 («📝 Báo cáo ngay») — chỉ mất một phút.",
        EN: "If you attended, type 1 («📝 Report now») — it takes a minute.",
    },
    "menu.prompt": {
        VI: "Đồng chí muốn làm gì?",
        EN: "What would you like to do?",
    },
}
