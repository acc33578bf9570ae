"""Texts of the configuration's errors (bot/config_error.py), as ``baocao`` prints them in
BAOCAO_LANGUAGE. The English ones are also each error's ``str()`` (logs, tests)."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "config.setting": {VI: "{env} (hoặc '{name}' trong tệp cấu hình)", EN: "{env} (or '{name}' in the config file)"},
    # --- the config file ------------------------------------------------------------------
    "config.file_missing": {VI: "không có tệp cấu hình {path}", EN: "config file {path} does not exist"},
    "config.file_not_toml": {
        VI: "tệp cấu hình {path} không đúng cú pháp TOML: {detail}",
        EN: "config file {path} is not valid TOML: {detail}",
    },
    "config.file_unknown": {
        VI: "tệp cấu hình {path}: không có thiết lập {unknown}; các thiết lập có: {known}",
        EN: "config file {path}: unknown setting(s) {unknown}; known: {known}",
    },
    # --- one setting's value --------------------------------------------------------------
    "config.url": {
        VI: "{setting} không hợp lệ: cần một địa chỉ bắt đầu bằng http:// hoặc https://, đang là {got}",
        EN: "{setting} must be an http:// or https:// URL, got {got}",
    },
    "config.public_url": {
        VI: "{setting} không hợp lệ: cần một địa chỉ https:// (Telegram và Zalo chỉ gửi webhook qua "
        "HTTPS), ví dụ https://baocao.example.vn; đang là {got}",
        EN: "{setting} must be an https:// address (Telegram and Zalo deliver webhooks over HTTPS only), "
        "such as https://baocao.example.vn; got {got}",
    },
    "config.listen": {
        VI: "{setting} không hợp lệ: cần dạng máy:cổng như 127.0.0.1:8080 (hoặc 'off'), đang là {got}",
        EN: "{setting} must be host:port such as 127.0.0.1:8080 (or 'off'), got {got}",
    },
    "config.secret": {
        VI: "{setting} không hợp lệ: cần 8 đến 256 ký tự, chỉ gồm A-Z, a-z, 0-9, _ và -",
        EN: "{setting} must be 8 to 256 characters of A-Z, a-z, 0-9, _ and -",
    },
    "config.zone": {
        VI: "{setting} không hợp lệ: cần một múi giờ IANA như Asia/Ho_Chi_Minh, đang là {got}",
        EN: "{setting} must be an IANA time zone such as Asia/Ho_Chi_Minh, got {got}",
    },
    "config.admins": {
        VI: "{setting} không hợp lệ: cần các mã số người dùng Telegram cách nhau bằng dấu phẩy, có {got} "
        "(tài khoản Zalo được làm quản trị qua danh sách: vai trò 'quản trị', rồi mã mời)",
        EN: "{setting} must be Telegram user ids separated by commas, got {got} "
        "(Zalo accounts are made admins by the roster: role 'admin', then an invite code)",
    },
    "config.language": {
        VI: "{setting} không hợp lệ: cần 'vi' hoặc 'en', đang là {got}",
        EN: "{setting} must be 'vi' or 'en', got {got}",
    },
    "config.org_name": {
        VI: "{setting} không hợp lệ: cần một tên dài 2 đến 80 ký tự, không có dấu ngoặc nhọn, như "
        "«{example}»; đang là {got}",
        EN: "{setting} must be a name of 2 to 80 characters without braces, such as «{example}»; got {got}",
    },
    "config.org_phone": {
        VI: "{setting} không hợp lệ: cần một số điện thoại như 0260 3823 456; đang là {got}",
        EN: "{setting} must be a phone number such as 0260 3823 456; got {got}",
    },
    "config.integer": {
        VI: "{setting} không hợp lệ: cần một số nguyên từ {low} đến {high}, đang là {got}",
        EN: "{setting} must be a whole number from {low} to {high}, got {got}",
    },
    "config.seconds": {
        VI: "{setting} không hợp lệ: cần một số giây từ {low} đến {high}, đang là {got}",
        EN: "{setting} must be a number of seconds from {low} to {high}, got {got}",
    },
    "config.days_before": {
        VI: "{setting} không hợp lệ: cần các số ngày từ 2 đến 80, cách nhau bằng dấu phẩy, như 30,7; "
        "có {got}",
        EN: "{setting} must be numbers of days from 2 to 80 separated by commas, such as 30,7; got {got}",
    },
    "config.secretary_after": {
        VI: "{setting} không hợp lệ: cần số lần nhắc (0 đến 10) mà sau đó bí thư chi bộ được báo "
        "rằng một cấp ủy viên chưa báo cáo; 0 là tắt; đang là {got}",
        EN: "{setting} must be the number of reminders (0 to 10) after which the cell's secretary is "
        "told that a committee member has not reported; 0 turns it off; got {got}",
    },
    "config.quiet_hours": {
        VI: "{setting} không hợp lệ: cần một khoảng giờ như 21:00-07:00 (hoặc 'off'), đang là {got}",
        EN: "{setting} must be a time range such as 21:00-07:00 (or 'off'), got {got}",
    },
    "config.weekday": {
        VI: "{setting} không hợp lệ: cần một ngày trong tuần: mon, tue, … sun hoặc 1…7 (1 = thứ Hai), "
        "đang là {got}",
        EN: "{setting} must be a weekday: mon, tue, … sun or 1…7 (1 = Monday), got {got}",
    },
    "config.hour_in_quiet": {
        VI: "{setting} ({hour}:00) rơi vào giờ yên lặng ({quiet}, {start}-{end}); xin chọn một giờ "
        "ngoài khoảng đó",
        EN: "{setting} ({hour}:00) falls in the quiet hours ({quiet}, {start}-{end}); choose an hour "
        "outside them",
    },
    # --- what `baocao run` needs ----------------------------------------------------------
    "config.no_telegram_token": {
        VI: "chưa đặt BAOCAO_TELEGRAM_TOKEN: xin ghi mã bot lấy từ @BotFather vào biến môi trường "
        "(hoặc thử `baocao demo`, không cần mã)",
        EN: "BAOCAO_TELEGRAM_TOKEN is not set: give the bot token from @BotFather in the environment "
        "(or try `baocao demo`, which needs none)",
    },
    "config.no_zalo_token": {
        VI: "chưa đặt BAOCAO_ZALO_TOKEN: xin ghi mã của bot tạo trong Zalo Bot Creator vào biến môi trường",
        EN: "BAOCAO_ZALO_TOKEN is not set: give the token of the bot made in Zalo Bot Creator in the "
        "environment",
    },
    "config.no_token": {
        VI: "chưa đặt BAOCAO_TELEGRAM_TOKEN, cũng chưa đặt BAOCAO_ZALO_TOKEN: xin ghi mã của một bot "
        "Telegram (từ @BotFather) hoặc của một bot Zalo (từ Zalo Bot Creator) vào biến môi trường, "
        "hoặc cả hai (hoặc thử `baocao demo`, không cần mã)",
        EN: "BAOCAO_TELEGRAM_TOKEN is not set, nor BAOCAO_ZALO_TOKEN: give the token of a Telegram bot "
        "(from @BotFather) or of a Zalo bot (from Zalo Bot Creator) in the environment, or both "
        "(or try `baocao demo`, which needs none)",
    },
    "config.public_url_needs_listen": {
        VI: "BAOCAO_PUBLIC_URL cần máy chủ HTTP: xin đặt BAOCAO_LISTEN (khác 'off')",
        EN: "BAOCAO_PUBLIC_URL needs the HTTP server: set BAOCAO_LISTEN (not 'off')",
    },
    "config.cannot_listen": {
        VI: "không mở được cổng BAOCAO_LISTEN: {reason}",
        EN: "cannot listen on BAOCAO_LISTEN: {reason}",
    },
}
