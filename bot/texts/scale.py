"""Texts of the one-message-per-cadre reminder and the compact top-unit summary (issue 15)."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    # --- one reminder per cadre and slot, listing every cell still due ---------------------
    "remind.cells_head": {
        VI: "Đồng chí chưa báo cáo dự sinh hoạt {count} chi bộ trong quý này:",
        EN: "You have not reported attending a meeting of these {count} cells this quarter yet:",
    },
    "remind.cell_line": {VI: "• {cell}", EN: "• {cell}"},
    "remind.cell_line_meets": {VI: "• {cell} — thường sinh hoạt: {day}", EN: "• {cell} — usually meets: {day}"},
    "remind.deadline": {
        VI: "Hạn: hết ngày {end} ({workdays} ngày làm việc).",
        EN: "Deadline: the end of {end} ({workdays} working day(s)).",
    },
    "remind.action_many": {
        VI: "Đã dự chi bộ nào thì bấm nút của chi bộ đó — chỉ mất một phút.",
        EN: "Press the button of a cell you attended — it takes a minute.",
    },
    "remind.action_many@zalo": {
        VI: "Đã dự chi bộ nào thì gõ số của chi bộ đó — chỉ mất một phút.",
        EN: "Type the number of a cell you attended — it takes a minute.",
    },
    "remind.btn.cell": {VI: "📝 {cell}", EN: "📝 {cell}"},
    # --- a summary's statuses: only those that are not zero ---------------------------------
    "sum.status.filed": {VI: "đã dự {count}", EN: "filed {count}"},
    "sum.status.late": {VI: "nộp muộn {count}", EN: "late {count}"},
    "sum.status.excused": {VI: "được miễn {count}", EN: "excused {count}"},
    "sum.status.due": {VI: "chưa dự {count}", EN: "due {count}"},
    # --- the top unit's compact summary -------------------------------------------------------
    "sum.children_head": {
        VI: "📊 Theo đơn vị trực thuộc ({count}):",
        EN: "📊 By the units directly under it ({count}):",
    },
    "sum.lowest_head": {
        VI: "🔻 {count} xã, phường có tỉ lệ thấp nhất:",
        EN: "🔻 The {count} communes with the lowest coverage:",
    },
    "sum.due_elsewhere": {
        VI: "👥 Còn {count} lượt chưa dự; danh sách từng người gửi về nhóm của từng xã, phường.",
        EN: "👥 {count} visit(s) still due; the list by name goes to each commune's own group.",
    },
    "sum.more_children": {VI: "… và {count} đơn vị khác", EN: "… and {count} more unit(s)"},
}
