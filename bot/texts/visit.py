"""Texts of the visit report conversation (/baocao)."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.baocao": {VI: "Báo cáo dự sinh hoạt chi bộ", EN: "Report a cell meeting visit"},
    "cmd.huy": {VI: "Dừng thao tác đang làm", EN: "Stop what you are doing"},
    "cmd.baocaothay": {VI: "Báo cáo thay cán bộ (bí thư, quản trị)", EN: "Report for a cadre (secretaries, admins)"},
    "visit.for.choose": {
        VI: "📝 Báo cáo thay cho cán bộ không có điện thoại thông minh hoặc mất sóng.\nChọn cán bộ, "
        "hoặc gõ một phần họ tên để tìm.",
        EN: "📝 Report for a cadre who has no smartphone or no signal.\nChoose the cadre, or type "
        "part of the name to search.",
    },
    "visit.for.none": {
        VI: "Không tìm thấy cán bộ nào khớp «{query}». Xin gõ lại.",
        EN: "No cadre matches «{query}». Please try again.",
    },
    "visit.for.not_allowed": {
        VI: "Chỉ bí thư chi bộ hoặc quản trị viên mới báo cáo thay được.",
        EN: "Only cell secretaries and administrators can report on someone's behalf.",
    },
    "visit.for.header": {VI: "Báo cáo thay cho: {name}\n", EN: "On behalf of: {name}\n"},
    "visit.for.notice": {
        VI: "📝 Đồng chí {filer} đã báo cáo thay đồng chí việc dự sinh hoạt {cell} ngày {day} "
        "(báo cáo số {number}). Xem bằng /xembaocao {number}.",
        EN: "📝 {filer} filed on your behalf the visit to {cell} on {day} (report no. {number}). "
        "See it with /viewreport {number}.",
    },
    "visit.choose_cell": {
        VI: "{behalf}📝 Báo cáo dự sinh hoạt chi bộ — {quarter}\nBước 1/6: chọn chi bộ đã dự "
        "sinh hoạt.",
        EN: "{behalf}📝 Cell meeting visit report — {quarter}\nStep 1/6: choose the cell whose "
        "meeting was attended.",
    },
    "visit.no_assigned_cells": {
        VI: "(Đồng chí chưa được phân công chi bộ nào; chọn «Chi bộ khác».)",
        EN: "(You have no assigned cell; choose «Another cell».)",
    },
    "visit.btn.other_cell": {VI: "🔎 Chi bộ khác", EN: "🔎 Another cell"},
    "visit.choose_commune": {VI: "Chọn xã, thị trấn:", EN: "Choose the commune:"},
    "visit.choose_village_cell": {VI: "Chọn chi bộ ở {commune}:", EN: "Choose the cell in {commune}:"},
    "visit.no_cells_here": {
        VI: "{commune} chưa có chi bộ nào trong danh sách.",
        EN: "{commune} has no cell on the roster.",
    },
    "btn.back": {VI: "⬅ Quay lại", EN: "⬅ Back"},
    "btn.prev_page": {VI: "◀ Trước", EN: "◀ Previous"},
    "btn.next_page": {VI: "Sau ▶", EN: "Next ▶"},
    "btn.next": {VI: "Tiếp ➡", EN: "Next ➡"},
    "btn.skip": {VI: "Bỏ qua ➡", EN: "Skip ➡"},
    "btn.cancel": {VI: "✖ Dừng", EN: "✖ Stop"},
    "visit.choose_date": {
        VI: "Bước 2/6: {cell}\nNgày dự sinh hoạt?",
        EN: "Step 2/6: {cell}\nDate of the meeting?",
    },
    "visit.btn.today": {VI: "Hôm nay ({day})", EN: "Today ({day})"},
    "visit.btn.yesterday": {VI: "Hôm qua ({day})", EN: "Yesterday ({day})"},
    "visit.btn.other_date": {VI: "📅 Ngày khác", EN: "📅 Another date"},
    "visit.type_date": {
        VI: "Chọn ngày dự sinh hoạt, hoặc gõ ngày, ví dụ 15/11/2026 hoặc 15/11.",
        EN: "Pick the meeting date, or type it, e.g. 15/11/2026 or 15/11.",
    },
    "date.format": {
        VI: "Chưa đọc được ngày «{text}». Xin gõ theo dạng ngày/tháng/năm, ví dụ 15/11/2026.",
        EN: "I could not read the date «{text}». Please type day/month/year, e.g. 15/11/2026.",
    },
    "date.invalid": {
        VI: "Ngày «{text}» không có trên lịch. Xin kiểm tra lại.",
        EN: "«{text}» is not a date on the calendar. Please check it.",
    },
    "date.future": {
        VI: "Ngày {day} chưa tới. Xin chọn ngày đã dự sinh hoạt.",
        EN: "{day} has not come yet. Please give the day of the meeting you attended.",
    },
    "date.too_old": {
        VI: "Ngày {day} đã quá một năm. Báo cáo cũ như vậy xin gửi {office}.",
        EN: "{day} is more than a year ago. Please send such an old report to {office}.",
    },
    "visit.late_confirm": {
        VI: "⚠ {day} thuộc {quarter}, quý trước: báo cáo sẽ được ghi là nộp muộn. Đúng ngày "
        "này chứ?",
        EN: "⚠ {day} is in {quarter}, an earlier quarter: the report will be marked late. Is "
        "that the right day?",
    },
    "visit.btn.date_ok": {VI: "✅ Đúng ngày này", EN: "✅ That is the day"},
    "visit.choose_topics": {
        VI: "Bước 3/6: nội dung đã phổ biến, quán triệt.\nBấm để chọn các chủ đề của quý, hoặc "
        "gõ nội dung.{chosen}",
        EN: "Step 3/6: what did you disseminate?\nTap the quarter's topics, or type it in."
        "{chosen}",
    },
    "visit.no_topics": {
        VI: "Bước 3/6: nội dung đã phổ biến, quán triệt? Xin gõ ngắn gọn.{chosen}",
        EN: "Step 3/6: what did you disseminate? Please type it briefly.{chosen}",
    },
    "visit.chosen": {VI: "\n\nĐã chọn:\n{items}", EN: "\n\nChosen:\n{items}"},
    "visit.btn.type_topic": {VI: "✍ Gõ nội dung khác", EN: "✍ Type something else"},
    "visit.type_topic": {
        VI: "Gõ nội dung đã phổ biến (tối đa {limit} ký tự).",
        EN: "Type what you disseminated (at most {limit} characters).",
    },
    "visit.topics_needed": {
        VI: "Xin chọn hoặc gõ ít nhất một nội dung đã phổ biến.",
        EN: "Please choose or type at least one thing you disseminated.",
    },
    "visit.issues": {
        VI: "Bước 4/6: kiến nghị, vấn đề được nêu tại buổi sinh hoạt.{listing}",
        EN: "Step 4/6: issues raised at the meeting.{listing}",
    },
    "visit.issues_none": {VI: "\n(Chưa có kiến nghị nào.)", EN: "\n(No issues yet.)"},
    "visit.btn.add_issue": {VI: "➕ Thêm kiến nghị", EN: "➕ Add an issue"},
    "visit.btn.drop_issue": {VI: "🗑 Xóa kiến nghị cuối", EN: "🗑 Remove the last issue"},
    "visit.btn.no_issues": {VI: "Không có kiến nghị ➡", EN: "No issues ➡"},
    "visit.type_issue": {
        VI: "Gõ nội dung kiến nghị, vấn đề (tối đa {limit} ký tự).",
        EN: "Type the issue (at most {limit} characters).",
    },
    "visit.issue_kind": {
        VI: "«{issue}»\nVấn đề này được xử lý thế nào?",
        EN: "«{issue}»\nHow was this handled?",
    },
    "visit.btn.settled": {VI: "✅ Đã chỉ đạo giải quyết tại chỗ", EN: "✅ Settled on the spot"},
    "visit.btn.escalate": {VI: "⬆ Báo cáo Ban Thường vụ", EN: "⬆ Escalate to the Standing Committee"},
    "issue.settled": {VI: "đã giải quyết tại chỗ", EN: "settled on the spot"},
    "issue.escalated": {VI: "⬆ báo cáo Ban Thường vụ", EN: "⬆ escalated to the Standing Committee"},
    "visit.media": {
        VI: "Bước 5/6: gửi ảnh buổi sinh hoạt, ảnh hoặc tệp PDF biên bản, và vị trí nếu muốn "
        "(không bắt buộc).{received}",
        EN: "Step 5/6: send photos of the meeting, the minutes as a photo or a PDF file, and "
        "the location if you like (optional).{received}",
    },
    "visit.media_received": {
        VI: "\nĐã nhận: {photos} ảnh{location}.",
        EN: "\nReceived: {photos} photo(s){location}.",
    },
    "visit.media_location": {VI: ", vị trí", EN: ", location"},
    "visit.too_many_photos": {
        VI: "Mỗi báo cáo nhận tối đa {limit} ảnh; ảnh này không được thêm.",
        EN: "A report takes at most {limit} photos; this one was not added.",
    },
    "visit.review": {
        VI: "Bước 6/6: xem lại và gửi.\n\n{behalf}{summary}",
        EN: "Step 6/6: review and send.\n\n{behalf}{summary}",
    },
    "visit.summary": {
        VI: "Chi bộ: {cell}\nNgày dự: {day} ({quarter}){late}\nNội dung phổ biến:\n{topics}\n"
        "Kiến nghị:{issues}\nẢnh: {photos} · Vị trí: {location}",
        EN: "Cell: {cell}\nMeeting date: {day} ({quarter}){late}\nDisseminated:\n{topics}\n"
        "Issues:{issues}\nPhotos: {photos} · Location: {location}",
    },
    "visit.late_mark": {VI: " — nộp muộn", EN: " — late"},
    "visit.none": {VI: "không", EN: "none"},
    "visit.yes": {VI: "có", EN: "yes"},
    "visit.btn.edit_cell": {VI: "✏ Chi bộ", EN: "✏ Cell"},
    "visit.btn.edit_date": {VI: "✏ Ngày", EN: "✏ Date"},
    "visit.btn.edit_topics": {VI: "✏ Nội dung", EN: "✏ Topics"},
    "visit.btn.edit_issues": {VI: "✏ Kiến nghị", EN: "✏ Issues"},
    "visit.btn.edit_media": {VI: "✏ Ảnh, vị trí", EN: "✏ Photos, location"},
    "visit.btn.confirm": {VI: "✅ Gửi báo cáo", EN: "✅ Send the report"},
    "visit.receipt": {
        VI: "✅ Đã lưu báo cáo số {number}: {cell}, ngày {day}.{escalated}\nCảm ơn đồng chí!",
        EN: "✅ Report no. {number} saved: {cell}, {day}.{escalated}\nThank you, comrade!",
    },
    "visit.receipt_escalated": {
        VI: "\n{count} kiến nghị đã được chuyển Ban Thường vụ.",
        EN: "\n{count} issue(s) were sent to the Standing Committee.",
    },
    "visit.updated": {
        VI: "✅ Đã sửa báo cáo số {number}.",
        EN: "✅ Report no. {number} updated.",
    },
    "visit.already_saved": {
        VI: "Báo cáo này đã được lưu rồi (số {number}); không lưu lại lần nữa.",
        EN: "This report was saved already (no. {number}); it is not stored twice.",
    },
    "visit.resume": {
        VI: "Đồng chí có một báo cáo đang làm dở ({what}). Tiếp tục hay làm báo cáo mới?",
        EN: "You have an unfinished report ({what}). Continue it, or start a new one?",
    },
    "visit.resume_what": {VI: "bắt đầu {day}", EN: "started {day}"},
    "visit.btn.resume": {VI: "▶ Tiếp tục", EN: "▶ Continue"},
    "visit.btn.restart": {VI: "🆕 Làm báo cáo mới", EN: "🆕 Start a new one"},
    "visit.stopped": {
        VI: "Đã dừng. Bản nháp vẫn được giữ: gửi /baocao để tiếp tục.",
        EN: "Stopped. Your draft is kept: send /baocao to continue.",
    },
    "visit.timed_out": {
        VI: "Báo cáo đang làm dở đã tạm dừng vì lâu không thao tác; bản nháp vẫn được giữ. "
        "Gửi /baocao để tiếp tục.",
        EN: "Your unfinished report was paused after a long pause; the draft is kept. "
        "Send /baocao to continue.",
    },
    "visit.use_buttons": {
        VI: "Xin bấm một nút ở tin nhắn trên (hoặc /huy để dừng).",
        EN: "Please press one of the buttons above (or /cancel to stop).",
    },
    "visit.type_expected": {
        VI: "Xin gõ nội dung bằng chữ (hoặc /huy để dừng).",
        EN: "Please type it as text (or /cancel to stop).",
    },
    "visit.media_expected": {
        VI: "Ở bước này xin gửi ảnh, tệp biên bản (ảnh hoặc PDF) hoặc vị trí, hoặc bấm «{button}» "
        "để sang bước sau.",
        EN: "At this step please send photos, a file of the minutes (image or PDF) or the "
        "location, or press «{button}» to go on.",
    },
    "visit.other_command": {
        VI: "Đồng chí đang làm báo cáo dở. Xin làm tiếp, hoặc gửi /huy để dừng (bản nháp được "
        "giữ) rồi dùng lệnh khác.",
        EN: "You are in the middle of a report. Please go on, or send /cancel to stop (the "
        "draft is kept) and then use another command.",
    },
    "text.too_long": {
        VI: "Nội dung dài {length} ký tự, quá giới hạn {limit}. Xin rút gọn rồi gửi lại; bot "
        "chưa lưu nội dung này.",
        EN: "That is {length} characters, over the limit of {limit}. Please shorten it and send "
        "it again; it has not been stored.",
    },
    "text.empty": {
        VI: "Tin nhắn không có chữ nào. Xin gõ lại.",
        EN: "That message has no text. Please type it again.",
    },
    "button.expired": {
        VI: "Nút này đã cũ. Gửi /baocao để báo cáo, /help để xem hướng dẫn.",
        EN: "This button has expired. Send /report to report, /help for help.",
    },
    "visit.cell_not_found": {
        VI: "Không tìm thấy chi bộ này trong danh sách. Xin chọn lại.",
        EN: "That cell is not on the roster. Please choose again.",
    },
}
