"""Cell meetings: /hop, the invitation and its answer, the reminders, /lichhop."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.hop": {VI: "Thông báo, dời, hủy lịch họp chi bộ (bí thư, quản trị)", EN: "Announce, move, cancel cell meetings (secretaries, admins)"},
    "cmd.lichhop": {VI: "Lịch họp các chi bộ của tôi", EN: "My cells' meetings"},
    # --- a meeting in words ------------------------------------------------------------------
    "meet.when": {VI: "{at} {day} {date}", EN: "{at} {day} {date}"},
    "meet.weekday.0": {VI: "thứ Hai", EN: "Monday"},
    "meet.weekday.1": {VI: "thứ Ba", EN: "Tuesday"},
    "meet.weekday.2": {VI: "thứ Tư", EN: "Wednesday"},
    "meet.weekday.3": {VI: "thứ Năm", EN: "Thursday"},
    "meet.weekday.4": {VI: "thứ Sáu", EN: "Friday"},
    "meet.weekday.5": {VI: "thứ Bảy", EN: "Saturday"},
    "meet.weekday.6": {VI: "Chủ nhật", EN: "Sunday"},
    "meet.line": {VI: "{cell} họp {when}", EN: "{cell} meets at {when}"},
    "meet.place": {VI: "Tại: {place}", EN: "Place: {place}"},
    "meet.agenda": {VI: "Nội dung: {agenda}", EN: "Agenda: {agenda}"},
    "meet.next": {VI: "📅 {cell} họp {when}.", EN: "📅 {cell} meets at {when}."},
    "meet.cell_line": {VI: "• {cell} — 📅 họp {when}", EN: "• {cell} — 📅 meets at {when}"},
    # --- what invitees get -------------------------------------------------------------------
    "meet.msg.invite": {
        VI: "📅 MỜI DỰ SINH HOẠT CHI BỘ\n{meeting}\nAnh/chị còn phải dự sinh hoạt chi bộ này trong quý. Anh/chị có dự được không?",
        EN: "📅 INVITATION TO A CELL MEETING\n{meeting}\nYou still owe this cell a visit this quarter. Will you attend?",
    },
    "meet.msg.moved": {
        VI: "📅 ĐỔI LỊCH HỌP\n{meeting}\nXin anh/chị trả lời lại.",
        EN: "📅 MEETING MOVED\n{meeting}\nPlease answer again.",
    },
    "meet.msg.cancelled": {
        VI: "✖ HỦY CUỘC HỌP\n{meeting}\nCuộc họp này không diễn ra nữa.",
        EN: "✖ MEETING CANCELLED\n{meeting}\nThis meeting will not take place.",
    },
    "meet.msg.eve": {VI: "🔔 Nhắc lịch họp\n{meeting}", EN: "🔔 Meeting reminder\n{meeting}"},
    "meet.msg.morning": {VI: "🔔 Hôm nay có họp\n{meeting}", EN: "🔔 Meeting today\n{meeting}"},
    "meet.msg.after": {
        VI: "📝 Cuộc họp đã diễn ra\n{meeting}\nNếu anh/chị đã dự, xin báo cáo ngay.",
        EN: "📝 The meeting has taken place\n{meeting}\nIf you attended, please report now.",
    },
    "meet.btn.yes": {VI: "✅ Tôi sẽ dự", EN: "✅ I will attend"},
    "meet.btn.no": {VI: "❌ Không dự được", EN: "❌ I cannot attend"},
    "meet.btn.report": {VI: "📝 Báo cáo ngay", EN: "📝 Report now"},
    # --- the answer --------------------------------------------------------------------------
    "meet.answer.yes": {
        VI: "Đã ghi nhận: anh/chị sẽ dự {cell} lúc {when}. Bot sẽ nhắc trước buổi họp.",
        EN: "Noted: you will attend {cell} at {when}. The bot will remind you before the meeting.",
    },
    "meet.answer.no": {
        VI: "Đã ghi nhận: anh/chị không dự {cell} lúc {when}. Anh/chị vẫn cần dự một buổi sinh hoạt trong quý.",
        EN: "Noted: you will not attend {cell} at {when}. You still need to attend one meeting this quarter.",
    },
    "meet.answer_already": {
        VI: "Anh/chị đã trả lời rồi: {answer}.", EN: "You have already answered: {answer}.",
    },
    "meet.answer_stale": {
        VI: "Lịch họp đã thay đổi, nay là {when}. Xin trả lời ở tin nhắn đổi lịch mới nhất.",
        EN: "The meeting has moved to {when}. Please answer in the latest message about it.",
    },
    "meet.answer_cancelled": {
        VI: "Cuộc họp lúc {when} đã bị hủy.", EN: "The meeting at {when} was cancelled.",
    },
    "meet.not_invited": {
        VI: "Anh/chị không có trong danh sách mời của cuộc họp này.",
        EN: "You are not on this meeting's list of invitees.",
    },
    # --- /hop ----------------------------------------------------------------------------------
    "meet.private_only": {
        VI: "Xin dùng /hop trong trò chuyện riêng với bot.", EN: "Please use /hop in your private chat with the bot.",
    },
    "meet.not_allowed": {
        VI: "Chỉ bí thư chi bộ (cho chi bộ của mình) hoặc quản trị viên mới thông báo lịch họp được.",
        EN: "Only a cell's secretary (for their cells) or an administrator can announce meetings.",
    },
    "meet.not_yours": {
        VI: "Anh/chị không phụ trách chi bộ này.", EN: "This cell is not yours to manage.",
    },
    "meet.pick_cell": {VI: "Lịch họp: chọn chi bộ", EN: "Meetings: choose the cell"},
    "meet.menu": {VI: "📅 {cell}\nCác cuộc họp sắp tới:", EN: "📅 {cell}\nComing meetings:"},
    "meet.menu_none": {VI: "(chưa có)", EN: "(none yet)"},
    "meet.btn.new": {VI: "➕ Thông báo cuộc họp", EN: "➕ Announce a meeting"},
    "meet.btn.move": {VI: "✏️ Dời {when}", EN: "✏️ Move {when}"},
    "meet.btn.cancel_meeting": {VI: "✖ Hủy họp {when}", EN: "✖ Cancel {when}"},
    "meet.ask_date": {
        VI: "Bước 1/4: {cell} họp ngày nào? Gõ ngày (vd 05/12) hoặc chọn:",
        EN: "Step 1/4: on which day does {cell} meet? Type a date (e.g. 05/12) or choose:",
    },
    "meet.ask_date_move": {
        VI: "Dời lịch họp của {cell}: gõ ngày mới (vd 05/12) hoặc chọn:",
        EN: "Moving {cell}'s meeting: type the new date (e.g. 05/12) or choose:",
    },
    "meet.btn.regular": {VI: "Ngày thường lệ: {when}", EN: "Regular day: {when}"},
    "meet.btn.last_month": {VI: "Như tháng trước: {when}", EN: "Same as last month: {when}"},
    "meet.bad_date": {
        VI: "Không đọc được ngày «{text}». Xin gõ ngày/tháng, vd 05/12 hoặc 05/12/2026.",
        EN: "Could not read the date «{text}». Please type day/month, e.g. 05/12 or 05/12/2026.",
    },
    "meet.past_date": {
        VI: "Ngày «{text}» đã qua. Xin gõ một ngày sắp tới.", EN: "«{text}» has passed. Please type a coming day.",
    },
    "meet.ask_time": {
        VI: "Bước 2/4: họp lúc mấy giờ ngày {date}? Gõ giờ (vd 19:30 hoặc 19h30) hoặc chọn:",
        EN: "Step 2/4: at what time on {date}? Type it (e.g. 19:30) or choose:",
    },
    "meet.bad_time": {
        VI: "Không đọc được giờ «{text}». Xin gõ vd 19:30 hoặc 19h30.",
        EN: "Could not read the time «{text}». Please type e.g. 19:30.",
    },
    "meet.bad_regular": {
        VI: "Không đọc được ngày họp thường lệ «{text}». Viết như: ngày 5 hằng tháng 19:30.",
        EN: "Could not read the regular day «{text}». Write it as: ngày 5 hằng tháng 19:30.",
    },
    "meet.past_time": {
        VI: "Giờ đó đã qua. Xin gõ một giờ sắp tới.", EN: "That time has passed. Please type a coming time.",
    },
    "meet.ask_place": {
        VI: "Bước 3/4: họp ở đâu? (vd Nhà văn hóa thôn 9)", EN: "Step 3/4: where? (e.g. the village hall)",
    },
    "meet.btn.keep_place": {VI: "Dùng: {place}", EN: "Use: {place}"},
    "meet.ask_agenda": {
        VI: "Bước 4/4: nội dung cuộc họp (không bắt buộc). Gõ nội dung hoặc bỏ qua.",
        EN: "Step 4/4: the agenda (optional). Type it, or skip.",
    },
    "meet.btn.no_agenda": {VI: "Bỏ qua", EN: "Skip"},
    "meet.review": {
        VI: "Xem lại:\n{meeting}\nSẽ mời {count} cán bộ còn phải dự sinh hoạt chi bộ này trong quý.",
        EN: "Review:\n{meeting}\n{count} cadres who still owe this cell a visit this quarter will be invited.",
    },
    "meet.review_move": {
        VI: "Dời lịch họp thành:\n{meeting}\nNhững người đã được mời sẽ được báo một lần.",
        EN: "Move the meeting to:\n{meeting}\nThose invited will be told once.",
    },
    "meet.btn.confirm": {VI: "✅ Thông báo", EN: "✅ Announce"},
    "meet.btn.confirm_move": {VI: "✅ Dời lịch", EN: "✅ Move it"},
    "meet.announced": {
        VI: "✅ Đã lưu cuộc họp số {number}; đang mời {count} cán bộ.",
        EN: "✅ Meeting {number} saved; inviting {count} cadres.",
    },
    "meet.moved": {
        VI: "✅ Đã dời cuộc họp sang {when}; những người được mời sẽ được báo.",
        EN: "✅ The meeting moved to {when}; those invited will be told.",
    },
    "meet.changed_meanwhile": {
        VI: "Cuộc họp vừa được người khác thay đổi. Xin mở lại /hop.",
        EN: "Someone else has just changed this meeting. Please open /hop again.",
    },
    "meet.confirm_cancel": {
        VI: "Hủy cuộc họp này?\n{meeting}", EN: "Cancel this meeting?\n{meeting}",
    },
    "meet.btn.confirm_cancel": {VI: "✖ Hủy cuộc họp", EN: "✖ Cancel the meeting"},
    "meet.cancelled": {
        VI: "✅ Đã hủy cuộc họp {when}; những người được mời sẽ được báo.",
        EN: "✅ The meeting at {when} is cancelled; those invited will be told.",
    },
    "meet.stopped": {VI: "Đã dừng. Gõ /hop để bắt đầu lại.", EN: "Stopped. Send /hop to start again."},
    "meet.use_buttons": {
        VI: "Xin chọn một mục ở trên, hoặc /huy để dừng.", EN: "Please choose one of the options above, or /cancel.",
    },
    # --- /lichhop -------------------------------------------------------------------------------
    "meet.calendar_unknown": {
        VI: "Lịch họp chỉ dành cho cán bộ đã đăng ký. Gõ /start để đăng ký.",
        EN: "The meeting calendar is for registered cadres. Send /start to register.",
    },
    "meet.calendar_none": {
        VI: "Các chi bộ của anh/chị chưa thông báo cuộc họp nào sắp tới.",
        EN: "Your cells have announced no coming meetings.",
    },
    "meet.calendar_title": {VI: "📅 Lịch họp các chi bộ của anh/chị", EN: "📅 Your cells' meetings"},
    "meet.calendar_answer.yes": {VI: "Anh/chị: sẽ dự", EN: "You: attending"},
    "meet.calendar_answer.no": {VI: "Anh/chị: không dự", EN: "You: not attending"},
    "meet.calendar_answer.none": {VI: "Anh/chị: chưa trả lời", EN: "You: not answered"},
    "meet.calendar_file": {
        VI: "Mở tệp này để thêm lịch họp vào lịch của điện thoại.",
        EN: "Open this file to add the meetings to your phone's calendar.",
    },
    # --- summaries and the workbook ------------------------------------------------------------
    "meet.sum.head": {
        VI: "📅 Họp chi bộ trong quý: {held} cuộc đã họp, {announced} cuộc đã thông báo; {with_meetings}/{cells} chi bộ có lịch họp.",
        EN: "📅 Cell meetings this quarter: {held} held, {announced} announced; {with_meetings}/{cells} cells announced one.",
    },
    "meet.sum.silent": {
        VI: "Chưa thông báo cuộc họp nào ({count}): {cells}", EN: "Announced no meeting ({count}): {cells}",
    },
    "meet.sum.more": {VI: " và {count} chi bộ khác", EN: " and {count} more cells"},
    "meet.wb.sheet": {VI: "Họp chi bộ", EN: "Cell meetings"},
    "meet.wb.col.commune": {VI: "Xã, phường", EN: "Commune"},
    "meet.wb.col.cell": {VI: "Chi bộ", EN: "Cell"},
    "meet.wb.col.announced": {VI: "Cuộc họp đã thông báo", EN: "Meetings announced"},
    "meet.wb.col.held": {VI: "Đã họp", EN: "Held"},
    "meet.wb.col.note": {VI: "Ghi chú", EN: "Note"},
    "meet.wb.none": {VI: "Chưa thông báo cuộc họp nào", EN: "No meeting announced"},
    "meet.ics_summary": {VI: "Sinh hoạt {cell}", EN: "{cell} meeting"},
}
