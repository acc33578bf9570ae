"""Texts of the scheduler: visit reminders, group registration and summaries."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    # --- command descriptions -------------------------------------------------------------
    "cmd.tonghop": {VI: "Tổng hợp tình hình dự sinh hoạt (quản trị)", EN: "Summary of cell visits (admins)"},
    "cmd.dangkynhom": {
        VI: "Đăng ký nhóm nhận tổng hợp (quản trị, gõ trong nhóm)",
        EN: "Register a group for summaries (admins, inside the group)",
    },
    "cmd.huydangky": {VI: "Hủy đăng ký nhóm (quản trị)", EN: "Unregister a group (admins)"},
    # --- reminders --------------------------------------------------------------------------
    "sched.remind.lead.start": {VI: "📅 {quarter} đã bắt đầu.", EN: "📅 {quarter} has begun."},
    "sched.remind.lead.before": {
        VI: "⏰ Còn {days} ngày nữa là hết {quarter}.",
        EN: "⏰ {days} days left in {quarter}.",
    },
    "sched.remind.lead.last": {
        VI: "⚠️ Hôm nay là ngày cuối cùng của {quarter}!",
        EN: "⚠️ Today is the last day of {quarter}!",
    },
    "sched.remind.lead.last_working": {
        VI: "⚠️ Hôm nay là ngày làm việc cuối cùng của {quarter}!",
        EN: "⚠️ Today is the last working day of {quarter}!",
    },
    "sched.remind.body": {
        VI: "Đồng chí chưa báo cáo dự sinh hoạt {cell} trong quý này.",
        EN: "You have not reported attending a meeting of {cell} this quarter yet.",
    },
    "sched.remind.meeting_day": {
        VI: "Chi bộ thường sinh hoạt: {day}.",
        EN: "The cell usually meets: {day}.",
    },
    "sched.remind.days_left": {
        VI: "Còn {days} ngày, đến hết ngày {end} ({workdays} ngày làm việc).",
        EN: "{days} day(s) left, until the end of {end} ({workdays} working day(s)).",
    },
    "sched.remind.action": {
        VI: "Đã dự thì bấm «📝 Báo cáo ngay» — chỉ mất một phút.",
        EN: "If you attended, press «📝 Report now» — it takes a minute.",
    },
    "sched.btn.report_now": {VI: "📝 Báo cáo ngay", EN: "📝 Report now"},
    # --- to a cell's secretary --------------------------------------------------------------
    "sched.secretary.lead": {
        VI: "📣 Thưa đồng chí bí thư chi bộ: đồng chí {cadre}, cấp ủy viên được phân công dự "
        "sinh hoạt {cell}, đã được nhắc nhưng chưa báo cáo dự sinh hoạt trong {quarter}.",
        EN: "📣 To the cell secretary: {cadre}, the committee member assigned to {cell}, has "
        "been reminded but has not reported attending a meeting in {quarter} yet.",
    },
    "sched.secretary.action": {
        VI: "Xin đồng chí báo cho đồng chí ấy lịch sinh hoạt tới của chi bộ. Nếu đồng chí ấy "
        "đã dự mà chưa báo cáo, đồng chí có thể báo cáo thay: /baocaothay",
        EN: "Please tell them when the cell meets next. If they attended but did not report, "
        "you can report for them: /baocaothay",
    },
    # --- group registration -------------------------------------------------------------------
    "sched.group.use_in_group": {
        VI: "Xin gõ lệnh này trong nhóm cần đăng ký (thêm bot vào nhóm trước).",
        EN: "Please send this command inside the group to register (add the bot to it first).",
    },
    "sched.group.admins_only": {
        VI: "Chỉ quản trị viên mới đăng ký hoặc hủy đăng ký nhóm.",
        EN: "Only administrators can register or unregister a group.",
    },
    "sched.group.registered": {
        VI: "✅ Đã đăng ký nhóm «{title}» nhận tổng hợp của {scope}.\n"
        "Bản tổng hợp gửi vào {weekday} hằng tuần lúc {hour}:00 và khi hết quý. "
        "Gõ /tonghop để xem ngay.",
        EN: "✅ The group «{title}» now receives the summaries of {scope}.\n"
        "They come every {weekday} at {hour}:00 and at the end of each quarter. "
        "Send /summary to see one now.",
    },
    "sched.group.registered_btv": {
        VI: "✅ Đã đăng ký nhóm «{title}» là nhóm Ban Thường vụ ({scope}): kiến nghị của cán bộ "
        "sẽ gửi vào đây, cùng bản tổng hợp vào {weekday} hằng tuần lúc {hour}:00.",
        EN: "✅ The group «{title}» is now the Standing Committee's ({scope}): cadres' "
        "escalations come here, and the summary every {weekday} at {hour}:00.",
    },
    "sched.group.unit_not_found": {
        VI: "Không tìm thấy đơn vị «{text}». Gõ mã đơn vị (ví dụ: /dangkynhom {example}), "
        "tên xã, hoặc «btv» cho nhóm Ban Thường vụ.",
        EN: "No unit «{text}». Give a unit code (e.g. /dangkynhom {example}), "
        "a commune name, or «btv» for the Standing Committee's group.",
    },
    "sched.group.unit_ambiguous": {
        VI: "Có nhiều đơn vị tên «{text}»: {codes}. Xin gõ mã đơn vị.",
        EN: "Several units are called «{text}»: {codes}. Please give the unit code.",
    },
    "sched.group.out_of_scope": {
        VI: "Đồng chí chỉ đăng ký hoặc hủy đăng ký được nhóm nhận tổng hợp của {scope} hoặc một "
        "đơn vị thuộc {scope}.",
        EN: "You can only register or unregister groups for the summaries of {scope} or a unit "
        "inside it.",
    },
    "sched.group.unregistered": {
        VI: "Đã hủy đăng ký: nhóm này không nhận tổng hợp nữa.",
        EN: "Unregistered: this group gets no more summaries.",
    },
    "sched.group.not_registered": {
        VI: "Nhóm này chưa đăng ký nhận tổng hợp. Quản trị viên gõ /dangkynhom trong nhóm "
        "để đăng ký.",
        EN: "This group is not registered for summaries. An administrator can send "
        "/dangkynhom here to register it.",
    },
    "sched.scope_all": {VI: "toàn bộ các đơn vị", EN: "all units"},
    "sched.weekday.0": {VI: "thứ Hai", EN: "Monday"},
    "sched.weekday.1": {VI: "thứ Ba", EN: "Tuesday"},
    "sched.weekday.2": {VI: "thứ Tư", EN: "Wednesday"},
    "sched.weekday.3": {VI: "thứ Năm", EN: "Thursday"},
    "sched.weekday.4": {VI: "thứ Sáu", EN: "Friday"},
    "sched.weekday.5": {VI: "thứ Bảy", EN: "Saturday"},
    "sched.weekday.6": {VI: "Chủ nhật", EN: "Sunday"},
    # --- summaries ----------------------------------------------------------------------------
    "sched.sum.title": {VI: "📊 TỔNG HỢP {quarter}\n{scope}", EN: "📊 SUMMARY {quarter}\n{scope}"},
    "sched.sum.title_weekly": {
        VI: "📊 TỔNG HỢP TUẦN — {quarter}\n{scope}",
        EN: "📊 WEEKLY SUMMARY — {quarter}\n{scope}",
    },
    "sched.sum.title_final": {
        VI: "📊 BÁO CÁO CUỐI {quarter}\n{scope}",
        EN: "📊 END OF {quarter} REPORT\n{scope}",
    },
    "sched.sum.as_of": {
        VI: "Tính đến {date}: còn {days} ngày hết quý.",
        EN: "As of {date}: {days} day(s) left in the quarter.",
    },
    "sched.sum.as_of_final": {VI: "Quý đã kết thúc ngày {date}.", EN: "The quarter ended on {date}."},
    "sched.sum.coverage_head": {
        VI: "✅ Đã dự sinh hoạt: {done}/{due} lượt ({pct}%)",
        EN: "✅ Visits done: {done} of {due} ({pct}%)",
    },
    "sched.sum.coverage_line": {
        VI: "• {commune}: {done}/{due} ({pct}%) — {statuses}",
        EN: "• {commune}: {done}/{due} ({pct}%) — {statuses}",
    },
    "sched.sum.statuses": {
        VI: "đã dự {filed}, nộp muộn {late}, được miễn {excused}, chưa dự {due}",
        EN: "filed {filed}, late {late}, excused {excused}, due {due}",
    },
    "sched.sum.coverage_none": {
        VI: "✅ Không có phân công dự sinh hoạt nào trong quý.",
        EN: "✅ No visit assignments this quarter.",
    },
    "sched.sum.due_head": {
        VI: "⏳ Còn phải dự: {count} lượt, còn {days} ngày",
        EN: "⏳ Still due: {count}, {days} day(s) left",
    },
    "sched.sum.due_head_final": {
        VI: "❌ Không dự trong quý: {count} lượt",
        EN: "❌ Not visited this quarter: {count}",
    },
    "sched.sum.due_commune": {VI: "📍 {commune}", EN: "📍 {commune}"},
    "sched.sum.due_line": {VI: "• {cadre}: {cells}{marks}", EN: "• {cadre}: {cells}{marks}"},
    "sched.sum.mark_unreachable": {VI: " 🚫 không nhắn được", EN: " 🚫 unreachable"},
    "sched.sum.mark_unlinked": {VI: " (chưa dùng bot)", EN: " (not on the bot)"},
    "sched.sum.due_none": {
        VI: "👏 Mọi phân công đều đã thực hiện.",
        EN: "👏 Every assignment is fulfilled.",
    },
    "sched.sum.other_commune": {VI: "Khác", EN: "Other"},
    "sched.sum.excused_head": {
        VI: "🩺 Được miễn: {count} lượt",
        EN: "🩺 Excused: {count}",
    },
    "sched.sum.excused_line": {VI: "• {cadre}: {cells} (đến {until})", EN: "• {cadre}: {cells} (until {until})"},
    "sched.sum.on_behalf_head": {
        VI: "📝 Báo cáo thay trong quý: {count} báo cáo do bí thư chi bộ hoặc quản trị viên nộp thay cán bộ",
        EN: "📝 Filed on behalf this quarter: {count} report(s) filed for a cadre by a cell secretary "
        "or an administrator",
    },
    "sched.sum.on_behalf_line": {
        VI: "• Số {number}: {cadre} — {cell}, do {filer} nộp{mark}",
        EN: "• No. {number}: {cadre} — {cell}, filed by {filer}{mark}",
    },
    "sched.sum.on_behalf_more": {VI: "… và {count} báo cáo thay khác.", EN: "… and {count} more."},
    "sched.sum.mark_on_behalf": {VI: " (báo cáo thay)", EN: " (filed on behalf)"},
    # --- the live "still due" message of a digest ---------------------------------------------
    "sched.due.title": {
        VI: "📋 DANH SÁCH CÒN PHẢI DỰ — {quarter}\n{scope}",
        EN: "📋 STILL DUE — {quarter}\n{scope}",
    },
    "sched.due.more": {VI: "… và {count} đồng chí khác.", EN: "… and {count} more comrade(s)."},
    "sched.due.updated": {VI: "🕒 Cập nhật lúc {time} {date}", EN: "🕒 Updated at {time} {date}"},
    "sched.sum.esc_head": {
        VI: "⬆ Kiến nghị chờ Ban Thường vụ trả lời: {count}",
        EN: "⬆ Escalations awaiting an answer: {count}",
    },
    "sched.sum.esc_line": {
        VI: "• Số {number} — {cell} — {days} ngày{acknowledged}: {text}",
        EN: "• No. {number} — {cell} — {days} day(s){acknowledged}: {text}",
    },
    "sched.sum.esc_ack": {VI: " (đã tiếp nhận)", EN: " (acknowledged)"},
    "sched.sum.esc_more": {
        VI: "… và {count} kiến nghị khác (xem /kiennghi).",
        EN: "… and {count} more (see /escalations).",
    },
    "sched.sum.esc_none": {
        VI: "⬆ Không có kiến nghị nào chờ trả lời.",
        EN: "⬆ No escalations awaiting an answer.",
    },
    "sched.sum.models_head": {
        VI: "🌱 Mô hình ({period}): {count} lượt đánh giá — tốt {good}, cần củng cố {fair}, "
        "chưa hiệu quả {ineffective}",
        EN: "🌱 Models ({period}): {count} assessments — good {good}, needs work {fair}, "
        "not effective yet {ineffective}",
    },
    "sched.sum.models_none": {
        VI: "🌱 Mô hình ({period}): chưa có đánh giá nào.",
        EN: "🌱 Models ({period}): no assessments yet.",
    },
    "sched.sum.period_week": {VI: "7 ngày qua", EN: "last 7 days"},
    "sched.sum.period_quarter": {VI: "trong quý", EN: "this quarter"},
    "sched.sum.proposal_replicate": {
        VI: "• Đề xuất nhân rộng: {model}{places}",
        EN: "• Proposed for replication: {model}{places}",
    },
    "sched.sum.proposal_convert": {
        VI: "• Đề xuất chuyển đổi: {model}{places}",
        EN: "• Proposed for conversion: {model}{places}",
    },
    "sched.sum.places": {VI: " (tới: {places})", EN: " (to: {places})"},
    "sched.sum.unreachable_head": {
        VI: "🚫 Bot không nhắn được {count} cán bộ (đã chặn hoặc chưa mở bot) — xin nhắc "
        "các đồng chí mở lại bot:",
        EN: "🚫 The bot cannot reach {count} cadre(s) (blocked it or never opened it) — please "
        "ask them to open the bot again:",
    },
    "sched.sum.unreachable_line": {VI: "• {cadre} (từ {since})", EN: "• {cadre} (since {since})"},
    "sched.sum.more_due": {VI: "… và {count} lượt khác.", EN: "… and {count} more."},
    "sched.sum.more_cadres": {VI: "… và {count} cán bộ khác.", EN: "… and {count} more cadre(s)."},
    "sched.sum.part": {VI: "(phần {n}/{total})", EN: "(part {n}/{total})"},
    "sched.chart.caption": {
        VI: "📈 Tỷ lệ dự sinh hoạt theo xã — {quarter}",
        EN: "📈 Visits done by commune — {quarter}",
    },
    "sched.chart.title": {
        VI: "Tỷ lệ dự sinh hoạt theo xã — {quarter}",
        EN: "Visits done by commune — {quarter}",
    },
    "sched.chart.axis": {VI: "% lượt đã dự", EN: "% of visits done"},
}
