"""Texts of the ``baocao`` command: --help of every subcommand and argument, and what the
commands print. The language is BAOCAO_LANGUAGE (Vietnamese unless it says en)."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    # --- --help ---------------------------------------------------------------------------
    "cli.description": {
        VI: "Báo cáo: cán bộ báo cáo dự sinh hoạt chi bộ và tình hình mô hình qua Telegram.",
        EN: "Báo cáo: cadres report their cell meeting visits and model updates over Telegram.",
    },
    "cli.epilog": {
        VI: "Mỗi lệnh có --help riêng, ví dụ: baocao run --help. "
        "Ngôn ngữ: BAOCAO_LANGUAGE=vi|en.",
        EN: "Every command has its own --help, e.g. baocao run --help. "
        "Language: BAOCAO_LANGUAGE=vi|en.",
    },
    "cli.arg.config": {
        VI: "tệp TOML chứa cấu hình (biến môi trường được ưu tiên hơn)",
        EN: "a TOML file of settings (the environment wins over it)",
    },
    "cli.arg.verbose": {VI: "ghi nhật ký chi tiết hơn", EN: "log more"},
    "cli.arg.version": {VI: "in phiên bản rồi thoát", EN: "print the version and exit"},
    "cli.arg.command": {VI: "việc cần làm", EN: "what to do"},
    "cli.run.help": {
        VI: "chạy bot trên mọi kênh đã có token (long polling, hoặc webhook khi có "
        "BAOCAO_PUBLIC_URL)",
        EN: "run the bot on every channel whose token is set (polling, or webhooks with "
        "BAOCAO_PUBLIC_URL)",
    },
    "cli.run.description": {
        VI: "Chạy bot: nhận tin (long polling, hoặc webhook khi có BAOCAO_PUBLIC_URL), gửi "
        "nhắc nhở và bản tổng hợp. Khi khởi "
        "động, bot kiểm tra nhanh cơ sở dữ liệu, giữ khóa <db>.lock (mỗi cơ sở dữ liệu chỉ "
        "một bot chạy) và thử lại với thời gian chờ tăng dần khi chưa kết nối được Bot API.",
        EN: "Run the bot: messages by long polling (or webhooks with BAOCAO_PUBLIC_URL), "
        "reminders and summaries. At start it "
        "quick-checks the database, holds <db>.lock (one running bot per database) and, while "
        "the Bot API cannot be reached, retries with a growing pause.",
    },
    "cli.run.environment": {
        VI: "Biến môi trường (hoặc cùng tên, viết thường, không có BAOCAO_, trong tệp --config):",
        EN: "Environment variables (or the same name in lower case without BAOCAO_ in the "
        "--config file):",
    },
    "cli.demo.help": {
        VI: "thử bot ngay trong cửa sổ lệnh: Telegram giả lập, danh sách mẫu, không cần token",
        EN: "try the bot in the terminal: built-in simulator, sample roster, no token",
    },
    "cli.demo.description": {
        VI: "Chạy bot với Telegram giả lập: đồng chí trò chuyện như một cán bộ, gõ số để bấm nút.",
        EN: "The bot against the built-in Telegram simulator: you chat as a cadre and type a "
        "number to press a button.",
    },
    "cli.demo.script": {
        VI: "chạy một kịch bản hội thoại và in kết quả; '-' là đọc từ stdin",
        EN: "play a scripted conversation and print the transcript; '-' reads stdin",
    },
    "cli.demo.db": {
        VI: "giữ cơ sở dữ liệu của bản thử ở đây để dùng lại (mặc định: một tệp tạm)",
        EN: "keep the demo database here, to use it again (default: a temporary file)",
    },
    "cli.demo.roster": {
        VI: "danh sách cán bộ để nạp (mặc định: danh sách mẫu)",
        EN: "roster to load (default: the sample)",
    },
    "cli.demo.now": {
        VI: "cố định đồng hồ, ví dụ 2026-11-23T09:00",
        EN: "pin the clock, e.g. 2026-11-23T09:00",
    },
    "cli.demo.channel": {
        VI: "ứng dụng nhắn tin giả lập: nút bấm của Telegram, hoặc lựa chọn đánh số của Zalo",
        EN: "the messenger to simulate: Telegram's buttons, or Zalo's numbered choices",
    },
    "cli.import.help": {
        VI: "nhập danh sách từ tệp .xlsx hoặc .csv",
        EN: "import the roster from .xlsx or .csv files",
    },
    "cli.import.description": {
        VI: "Nhập danh sách đơn vị, cán bộ, chi bộ, phân công và mô hình. Nhập tất cả hoặc "
        "không gì cả: một lỗi là không nhập dòng nào, và mọi lỗi được liệt kê.",
        EN: "Import units, cadres, cells, assignments and models. All or nothing: one error "
        "and nothing is imported, with every error listed.",
    },
    "cli.import.files": {
        VI: "tệp .xlsx, hoặc các tệp .csv đặt tên theo trang tính",
        EN: "an .xlsx workbook, or .csv files named after their sheet",
    },
    "cli.import.transfer_rule": {
        VI: "cán bộ được phân công hoặc thôi phân công giữa quý có phải dự quý đó không: "
        "any_day (được phân công vào bất kỳ ngày nào của quý), at_end (còn phân công vào "
        "ngày cuối quý) hoặc half (được phân công ít nhất nửa quý); giữ đến khi đổi (cả bằng "
        "/quytac)",
        EN: "whether a cadre whose assignment starts or ends inside a quarter owes that "
        "quarter's visit: any_day (assigned on any day of it), at_end (still assigned on its "
        "last day) or half (assigned for at least half of it); kept until changed (also by "
        "/quytac)",
    },
    "cli.invite.help": {
        VI: "mã mời dùng một lần để cán bộ liên kết tài khoản Telegram",
        EN: "one-time codes with which cadres link their Telegram account",
    },
    "cli.invite.description": {
        VI: "Tạo mã mời (chỉ lưu bản băm, dùng một lần, có hạn). Các mã chỉ được in ra ở đây.",
        EN: "Create invite codes (stored hashed, single use, expiring). This output is the "
        "only place the codes exist.",
    },
    "cli.invite.cadre": {VI: "mã cán bộ trong danh sách", EN: "roster code(s) of the cadres"},
    "cli.invite.all_unlinked": {
        VI: "mọi cán bộ đang hoạt động chưa liên kết",
        EN: "every active cadre not linked yet",
    },
    "cli.invite.days": {
        VI: "có hiệu lực N ngày (mặc định 14)",
        EN: "valid for N days (default 14)",
    },
    "cli.invite.channel": {
        VI: "ứng dụng mà mã mời liên kết (cán bộ đã dùng Telegram vẫn có thể liên kết thêm Zalo); "
        "mặc định telegram",
        EN: "the messenger the codes link (a cadre on Telegram may link Zalo too); default telegram",
    },
    "cli.invite.out": {
        VI: "ghi ra tệp CSV để phát thay vì in ra màn hình",
        EN: "write a CSV to hand out instead of printing",
    },
    "cli.remind.help": {
        VI: "nhắc nhở: ai sẽ được nhắc lúc này, và vì sao",
        EN: "visit reminders: who would be reminded now, and why",
    },
    "cli.remind.description": {
        VI: "Xem trước lượt nhắc nhở; bot đang chạy tự gửi nhắc nhở.",
        EN: "Preview the reminder sweep; the running bot sends reminders itself.",
    },
    "cli.remind.dry_run": {VI: "in kế hoạch, không gửi gì", EN: "print the plan; send nothing"},
    "cli.arg.now": {
        VI: "như thể đang là lúc đó, ví dụ 2026-12-01T08:30",
        EN: "as if it were then, e.g. 2026-12-01T08:30",
    },
    "cli.summary.help": {
        VI: "bản tổng hợp mà nhóm chat sẽ nhận",
        EN: "the summary a group chat would get",
    },
    "cli.summary.description": {
        VI: "In bản tổng hợp tình hình báo cáo; các nhóm đã đăng ký nhận nó từ bot.",
        EN: "Print the report summary; registered groups get it from the bot.",
    },
    "cli.summary.print": {VI: "in ra đây, không gửi gì", EN: "print it here; send nothing"},
    "cli.summary.unit": {
        VI: "của đơn vị này: đơn vị cấp trên cùng, một xã (mặc định: tất cả)",
        EN: "for this unit: the top unit, a commune (default: all)",
    },
    "cli.fund.help": {VI: "sổ quỹ tiết kiệm", EN: "the savings fund's ledger"},
    "cli.fund.description": {
        VI: "Sổ quỹ tiết kiệm giúp đảng viên khó khăn, hộ nghèo, ghi ra tệp.",
        EN: "The savings fund's ledger (aid to members in hardship and poor households), written to a file.",
    },
    "cli.fund.xlsx": {
        VI: "tiền tiết kiệm theo cán bộ × tháng, các khoản trợ giúp, số dư theo tháng",
        EN: "contributions by cadre × month, aid, balance by month",
    },
    "cli.fund.unit": {
        VI: "quỹ của đơn vị này và các đơn vị trực thuộc (mặc định: tất cả)",
        EN: "this unit's fund and the funds under it (default: all)",
    },
    "cli.report.help": {VI: "báo cáo chính thức hằng quý", EN: "the official quarterly report"},
    "cli.report.description": {
        VI: "Báo cáo chính thức hằng quý, ghi ra tệp.",
        EN: "The official quarterly report, written to a file.",
    },
    "cli.report.format": {VI: "định dạng", EN: "format"},
    "cli.report.xlsx": {
        VI: "báo cáo quý dưới dạng bảng tính Excel",
        EN: "the quarterly report as an Excel workbook",
    },
    "cli.report.quarter": {
        VI: "ví dụ 2026-Q4 (mặc định: quý hiện tại)",
        EN: "e.g. 2026-Q4 (default: the current quarter)",
    },
    "cli.report.unit": {
        VI: "của đơn vị này và các đơn vị trực thuộc (mặc định: tất cả)",
        EN: "for this unit and what is under it (default: all)",
    },
    "cli.report.out": {VI: "tệp sẽ ghi ra", EN: "where to write it"},
    "cli.summary.chat": {
        VI: "như nhóm chat đã đăng ký này nhận",
        EN: "as the registered group gets it",
    },
    "cli.db.help": {VI: "bảo trì cơ sở dữ liệu", EN: "database maintenance"},
    "cli.db.description": {
        VI: "Nâng cấp, sao lưu và kiểm tra tệp cơ sở dữ liệu SQLite (BAOCAO_DB).",
        EN: "Upgrade, back up and check the SQLite database file (BAOCAO_DB).",
    },
    "cli.db.action": {VI: "thao tác", EN: "action"},
    "cli.db.upgrade": {
        VI: "áp dụng các bản nâng cấp cấu trúc còn thiếu",
        EN: "apply pending schema migrations",
    },
    "cli.db.backup": {
        VI: "bản sao nhất quán của cơ sở dữ liệu, an toàn khi bot đang chạy",
        EN: "consistent online copy of the database, safe while the bot runs",
    },
    "cli.db.backup.path": {
        VI: "tệp sao lưu mới (không ghi đè tệp có sẵn)",
        EN: "the new backup file (never overwrites one)",
    },
    "cli.db.check": {
        VI: "kiểm tra toàn vẹn (integrity_check và foreign_key_check)",
        EN: "integrity check (integrity_check and foreign_key_check)",
    },
    # --- output ---------------------------------------------------------------------------
    "cli.error": {VI: "baocao: {message}", EN: "baocao: {message}"},
    "cli.db_unusable": {
        VI: "baocao: không mở được cơ sở dữ liệu {path}: {reason}",
        EN: "baocao: cannot open the database {path}: {reason}",
    },
    "cli.db_error": {
        VI: "baocao: lỗi cơ sở dữ liệu {path}: {reason}",
        EN: "baocao: database error in {path}: {reason}",
    },
    "cli.db_damaged": {
        VI: "baocao: cơ sở dữ liệu {path} bị hỏng ({problem}); chạy «baocao db check» để xem "
        "chi tiết và khôi phục từ bản sao lưu",
        EN: "baocao: the database {path} is damaged ({problem}); run `baocao db check` for "
        "details and restore a backup",
    },
    "cli.already_running": {
        VI: "baocao: một bot khác (tiến trình {pid}) đang chạy với cơ sở dữ liệu {path}; "
        "mỗi cơ sở dữ liệu chỉ một bot",
        EN: "baocao: another bot (process {pid}) is running on the database {path}; "
        "one bot per database",
    },
    "cli.token_refused": {
        VI: "baocao: Telegram không nhận token (BAOCAO_TELEGRAM_TOKEN); lấy lại token từ "
        "@BotFather",
        EN: "baocao: Telegram refused the token (BAOCAO_TELEGRAM_TOKEN); get it again from "
        "@BotFather",
    },
    "cli.no_database": {
        VI: "baocao: không có cơ sở dữ liệu tại {path}",
        EN: "baocao: no database at {path}",
    },
    "cli.file_exists": {
        VI: "baocao: {path} đã có; hãy chọn tên tệp mới",
        EN: "baocao: {path} exists already; choose a new file name",
    },
    "cli.migration_applied": {VI: "đã áp dụng {name}", EN: "applied {name}"},
    "cli.up_to_date": {
        VI: "cơ sở dữ liệu đã ở phiên bản mới nhất",
        EN: "the database is up to date",
    },
    "cli.backed_up": {VI: "đã sao lưu {path} vào {target}", EN: "backed up {path} to {target}"},
    "cli.check_ok": {
        VI: "{path}: tốt (integrity_check, foreign_key_check)",
        EN: "{path}: ok (integrity_check, foreign_key_check)",
    },
    "cli.check_problems": {
        VI: "{path}: {count} lỗi:",
        EN: "{path}: {count} problem(s):",
    },
    "cli.transfer_rule": {VI: "quy tắc chuyển công tác: {rule}", EN: "transfer rule: {rule}"},
    "cli.import_refused": {
        VI: "Không nhập được danh sách — không dòng nào được nhập ({count} lỗi):",
        EN: "The roster was not imported — nothing was imported ({count} error(s)):",
    },
    "cli.import_file_error": {VI: "{sheet}: {reason}", EN: "{sheet}: {reason}"},
    "cli.import_cell_error": {
        VI: "{sheet}, dòng {row} ({column}): {reason}",
        EN: "{sheet} row {row} ({column}): {reason}",
    },
    "cli.import_row_error": {
        VI: "{sheet}, dòng {row}: {reason}",
        EN: "{sheet} row {row}: {reason}",
    },
    "cli.import_counts": {
        VI: "{sheet}: {created} thêm mới, {updated} cập nhật, {unchanged} không đổi",
        EN: "{sheet}: {created} created, {updated} updated, {unchanged} unchanged",
    },
    "cli.invite_needs_whom": {
        VI: "baocao invite: cần --cadre MÃ … hoặc --all-unlinked",
        EN: "baocao invite: give --cadre CODE … or --all-unlinked",
    },
    "cli.invite_days": {
        VI: "baocao invite: --days phải ít nhất là 1",
        EN: "baocao invite: --days must be at least 1",
    },
    "cli.invite_refused": {
        VI: "Không tạo mã mời nào:",
        EN: "No code was created:",
    },
    "cli.invite_not_on_roster": {
        VI: "{code}: không có trong danh sách",
        EN: "{code}: not on the roster",
    },
    "cli.invite_inactive": {
        VI: "{code}: không còn hoạt động trong danh sách",
        EN: "{code}: not active on the roster",
    },
    "cli.invite_linked": {
        VI: "{code}: đã liên kết {messenger}; quản trị viên gỡ liên kết trước (/golienket {code})",
        EN: "{code}: linked to {messenger} already; an admin unlinks first (/golienket {code})",
    },
    "cli.invites_written": {
        VI: "đã ghi {count} mã mời vào {path}",
        EN: "{count} invite code(s) written to {path}",
    },
    "cli.invite_headers": {
        VI: "Mã cán bộ|Họ và tên|Mã mời|Hết hạn",
        EN: "Cadre code|Full name|Invite code|Expires",
    },
}
