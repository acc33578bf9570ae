"""Texts of the cadre's own view (/cuatoi) and of editing or withdrawing a report."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.cuatoi": {VI: "Chi bộ và báo cáo của tôi", EN: "My cells and reports"},
    "mine.title": {VI: "👤 {name} — {quarter}", EN: "👤 {name} — {quarter}"},
    "mine.cells": {VI: "Chi bộ được phân công:", EN: "Assigned cells:"},
    "mine.no_cells": {VI: "(chưa được phân công chi bộ nào)", EN: "(no assigned cell)"},
    "mine.cell_done": {VI: "✅ {cell} — đã báo cáo", EN: "✅ {cell} — reported"},
    "mine.cell_due": {VI: "⏳ {cell} — còn {days} ngày", EN: "⏳ {cell} — {days} days left"},
    "mine.reports": {VI: "Báo cáo gần đây:", EN: "Recent reports:"},
    "mine.no_reports": {VI: "(chưa có báo cáo nào)", EN: "(no reports yet)"},
    "mine.report_line": {
        VI: "#{number} · {day} · {cell}{state}",
        EN: "#{number} · {day} · {cell}{state}",
    },
    "mine.withdrawn": {VI: " (đã rút)", EN: " (withdrawn)"},
    "mine.late": {VI: " (nộp muộn)", EN: " (late)"},
    "mine.issue_line": {VI: "   ⬆ {text} — {state}", EN: "   ⬆ {text} — {state}"},
    "mine.issue_open": {VI: "chờ trả lời", EN: "waiting for an answer"},
    "mine.issue_acknowledged": {VI: "đã tiếp nhận", EN: "acknowledged"},
    "mine.issue_answered": {VI: "trả lời: {answer}", EN: "answer: {answer}"},
    "mine.issue_closed": {VI: "đã đóng", EN: "closed"},
    "mine.btn.edit": {VI: "✏ Sửa #{number}", EN: "✏ Edit #{number}"},
    "mine.btn.withdraw": {VI: "🗑 Rút #{number}", EN: "🗑 Withdraw #{number}"},
    "mine.edit_hint": {
        VI: "Có thể sửa hoặc rút báo cáo trong 48 giờ sau khi gửi.",
        EN: "A report can be edited or withdrawn within 48 hours of sending it.",
    },
    "mine.confirm_withdraw": {
        VI: "Rút báo cáo số {number} ({cell}, {day})? Báo cáo được giữ lại trong hồ sơ nhưng "
        "không còn được tính.",
        EN: "Withdraw report no. {number} ({cell}, {day})? It stays on record but no longer "
        "counts.",
    },
    "mine.btn.withdraw_yes": {VI: "🗑 Rút báo cáo", EN: "🗑 Withdraw it"},
    "mine.btn.keep": {VI: "Không, giữ lại", EN: "No, keep it"},
    "mine.withdrawn_done": {VI: "Đã rút báo cáo số {number}.", EN: "Report no. {number} withdrawn."},
    "mine.kept": {VI: "Báo cáo được giữ nguyên.", EN: "The report is unchanged."},
    "mine.window_passed": {
        VI: "Đã quá 48 giờ nên không sửa, rút được báo cáo số {number}. Xin liên hệ "
        "{office}.",
        EN: "More than 48 hours have passed: report no. {number} can no longer be edited or "
        "withdrawn. Please contact {office}.",
    },
    "mine.not_yours": {
        VI: "Đồng chí chỉ xem, sửa được báo cáo của mình.",
        EN: "You can only see and change your own reports.",
    },
    "cmd.xembaocao": {VI: "Xem một báo cáo theo số", EN: "View a report by its number"},
    "mine.view": {
        VI: "Báo cáo số {number}{state}\nCán bộ: {cadre}{filed_by}\nGửi lúc: {sent}\n\n{summary}",
        EN: "Report no. {number}{state}\nCadre: {cadre}{filed_by}\nSent: {sent}\n\n{summary}",
    },
    "mine.view_usage": {
        VI: "Gõ /xembaocao kèm số báo cáo, ví dụ /xembaocao 12.",
        EN: "Send /viewreport with the report number, e.g. /viewreport 12.",
    },
    "mine.not_found": {VI: "Không tìm thấy báo cáo số {number}.", EN: "Report no. {number} was not found."},
}
