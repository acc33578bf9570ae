"""Registration: linking a Telegram account to a roster cadre, re-linking, the language."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    # --- the share-my-phone-number button (handlers/start.py refuse_unknown) -----------
    "reg.btn.share_phone": {VI: "📱 Gửi số điện thoại", EN: "📱 Share phone number"},
    # --- invite codes -----------------------------------------------------------------------
    "reg.code_wrong": {
        VI: "Mã mời này không đúng. Xin kiểm tra lại: mã có 8 ký tự, dạng ABCD-EFGH "
        "(không có chữ O, I, L và số 0, 1). Hoặc bấm «Gửi số điện thoại» để đăng ký bằng số "
        "điện thoại trong danh sách.",
        EN: "That invite code is not right. Please check it: a code has 8 characters, like "
        "ABCD-EFGH (no letters O, I, L and no digits 0, 1). Or press «Share phone number» "
        "to register with the phone number on the roster.",
    },
    "reg.code_expired": {
        VI: "Mã mời này đã hết hạn. Xin liên hệ {office} để được cấp mã mới.",
        EN: "This invite code has expired. Please ask {office} for a new one.",
    },
    "reg.code_used": {
        VI: "Mã mời này đã được dùng rồi; mỗi mã chỉ dùng được một lần. Xin liên hệ {office} "
        "để được cấp mã mới.",
        EN: "This invite code has been used already; each code works once. Please ask "
        "{office} for a new one.",
    },
    "reg.code_revoked": {
        VI: "Mã mời này đã được thay bằng một mã mới hơn. Xin dùng mã mới nhất "
        "{office} đã cấp.",
        EN: "This invite code was replaced by a newer one. Please use the latest code "
        "from {office}.",
    },
    "reg.too_many_attempts": {
        VI: "Đồng chí đã nhập sai mã nhiều lần. Để bảo vệ tài khoản, xin thử lại sau {time}, "
        "hoặc liên hệ {office}.",
        EN: "You have entered a wrong code several times. To keep accounts safe, please try "
        "again after {time}, or contact {office}.",
    },
    # --- contact sharing --------------------------------------------------------------------
    "reg.contact_not_own": {
        VI: "Xin gửi số điện thoại của chính đồng chí bằng nút «Gửi số điện thoại», không "
        "gửi danh bạ của người khác.",
        EN: "Please share your own phone number with the «Share phone number» button, not "
        "someone else's contact.",
    },
    "reg.phone_not_found": {
        VI: "Số điện thoại {phone} không có trong danh sách cán bộ. Xin liên hệ "
        "{office} để được bổ sung hoặc cấp mã mời.",
        EN: "The phone number {phone} is not on the roster. Please contact "
        "{office} to be added or to get an invite code.",
    },
    "reg.phone_ambiguous": {
        VI: "Số điện thoại {phone} trùng với nhiều người trong danh sách. Xin liên hệ "
        "{office} để được cấp mã mời.",
        EN: "The phone number {phone} matches more than one person on the roster. Please "
        "contact {office} for an invite code.",
    },
    # --- linking refused --------------------------------------------------------------------
    "reg.cadre_taken": {
        VI: "Cán bộ này đã được liên kết với một tài khoản Telegram khác. Nếu đồng chí đổi "
        "điện thoại hoặc tài khoản, xin nhờ quản trị viên ({office}) gỡ liên kết "
        "cũ rồi đăng ký lại.",
        EN: "This cadre is already linked to another Telegram account. If you changed phone "
        "or account, please ask an administrator ({office}) to remove the old "
        "link, then register again.",
    },
    "reg.account_taken": {
        VI: "Tài khoản Telegram này đã được liên kết với đồng chí {name}. Muốn liên kết lại, "
        "xin nhờ quản trị viên ({office}) gỡ liên kết cũ.",
        EN: "This Telegram account is already linked to {name}. To link it again, please ask "
        "an administrator ({office}) to remove the old link.",
    },
    # --- an admin re-links: /golienket CODE -------------------------------------------------
    "reg.unlink_usage": {
        VI: "Cách dùng: /golienket MÃ_CÁN_BỘ (ví dụ /golienket CAN-001). Lệnh gỡ liên kết "
        "Telegram của cán bộ đó để họ đăng ký lại.",
        EN: "Usage: /unlink CADRE_CODE (for example /unlink CAN-001). It removes that "
        "cadre's Telegram link so that they can register again.",
    },
    "reg.unlink_not_found": {
        VI: "Không có cán bộ mã {code} trong danh sách.",
        EN: "There is no cadre with code {code} on the roster.",
    },
    "reg.unlink_not_linked": {
        VI: "Đồng chí {name} ({code}) chưa liên kết tài khoản Telegram nào.",
        EN: "{name} ({code}) has no Telegram account linked.",
    },
    "reg.unlinked": {
        VI: "Đã gỡ liên kết Telegram của đồng chí {name} ({code}). Đồng chí ấy có thể đăng "
        "ký lại bằng số điện thoại hoặc bằng mã mời mới.",
        EN: "Removed the Telegram link of {name} ({code}). They can register again with "
        "their phone number or a new invite code.",
    },
    "reg.btn.new_invite": {VI: "Cấp mã mời mới", EN: "Issue a new invite code"},
    "reg.new_invite": {
        VI: "Mã mời cho đồng chí {name} ({code}): {invite}\nDùng được một lần, đến hết "
        "ngày {expires}.{link}\nMã chỉ hiện một lần này; xin chuyển riêng cho đồng chí ấy.",
        EN: "Invite code for {name} ({code}): {invite}\nIt works once, until the end of "
        "{expires}.{link}\nThe code is shown only this once; please pass it on privately.",
    },
    "reg.new_invite_link": {
        VI: "\nHoặc mở liên kết: {url}",
        EN: "\nOr open the link: {url}",
    },
    # --- language: /ngonngu -----------------------------------------------------------------
    "reg.language_choose": {
        VI: "Chọn ngôn ngữ của bot:",
        EN: "Choose the bot's language:",
    },
    "reg.language_vi": {VI: "Tiếng Việt", EN: "Tiếng Việt"},
    "reg.language_en": {VI: "English", EN: "English"},
    "reg.language_set": {
        VI: "Từ nay bot nói tiếng Việt với đồng chí.",
        EN: "From now on the bot speaks English with you.",
    },
    "cmd.ngonngu": {VI: "Đổi ngôn ngữ (Tiếng Việt / English)", EN: "Change language"},
}
