"""Texts of materials sent to the cells (/tailieu) and their receipts."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.tailieu": {VI: "Gửi tài liệu tới chi bộ, xem đã nhận (quản trị)", EN: "Send materials to cells, see receipts (admins)"},
    # --- /tailieu: the list ---------------------------------------------------------------
    "tl.list_title": {VI: "📎 TÀI LIỆU ĐÃ GỬI CHI BỘ", EN: "📎 MATERIALS SENT TO CELLS"},
    "tl.list_line": {
        VI: "#{number} «{title}» — {date}: {received}/{cells} chi bộ đã nhận ({pct}%){unsent}",
        EN: "#{number} «{title}» — {date}: {received}/{cells} cells confirmed ({pct}%){unsent}",
    },
    "tl.list_unsent": {VI: ", {count} chưa gửi đến được", EN: ", {count} not delivered yet"},
    "tl.list_none": {VI: "Chưa gửi tài liệu nào.", EN: "No material sent yet."},
    "tl.btn.new": {VI: "➕ Gửi tài liệu mới", EN: "➕ Send a new material"},
    # --- /tailieu: sending ----------------------------------------------------------------
    "tl.ask_file": {
        VI: "📎 Gửi tài liệu mới — bước 1/4\nGửi tệp tài liệu (PDF, DOCX hoặc ảnh) vào đây, hoặc dán đường link (https://…).",
        EN: "📎 New material — step 1/4\nSend the file (PDF, DOCX or a picture) here, or paste a link (https://…).",
    },
    "tl.bad_file": {
        VI: "Tệp «{name}» không phải PDF, DOCX hay ảnh. Xin gửi tệp PDF, DOCX, ảnh, hoặc dán một đường link.",
        EN: "«{name}» is not a PDF, DOCX or picture. Please send a PDF, DOCX, a picture, or paste a link.",
    },
    "tl.bad_input": {
        VI: "Xin gửi tệp PDF, DOCX, ảnh, hoặc dán một đường link bắt đầu bằng https://",
        EN: "Please send a PDF, DOCX, a picture, or paste a link starting with https://",
    },
    "tl.ask_title": {
        VI: "Bước 2/4: gõ tiêu đề tài liệu (ví dụ: Hướng dẫn sinh hoạt chi bộ tháng 12).",
        EN: "Step 2/4: type the material's title (e.g. Guidance for the December cell meetings).",
    },
    "tl.btn.use_caption": {VI: "Dùng: {caption}", EN: "Use: {caption}"},
    "tl.ask_audience": {VI: "Bước 3/4: gửi «{title}» tới chi bộ nào?", EN: "Step 3/4: send «{title}» to which cells?"},
    "tl.btn.all": {VI: "Tất cả chi bộ ({count})", EN: "All cells ({count})"},
    "tl.btn.commune": {VI: "Chi bộ của một xã", EN: "The cells of one commune"},
    "tl.btn.kind": {VI: "Theo loại khu dân cư", EN: "By kind of residential area"},
    "tl.pick_commune": {VI: "Chọn xã, phường, thị trấn:", EN: "Choose the commune:"},
    "tl.pick_kind": {VI: "Chọn loại khu dân cư:", EN: "Choose the kind of residential area:"},
    "tl.option_count": {VI: "{name} ({count})", EN: "{name} ({count})"},
    "tl.no_cells": {VI: "Không có chi bộ nào trong phạm vi của đồng chí.", EN: "There is no cell in your scope."},
    "tl.confirm": {
        VI: "Bước 4/4: xem lại và gửi\nTài liệu: {title}\n{what}\nGửi tới: {audience} — {count} chi bộ\n"
        "Người nhận: bí thư chi bộ; chi bộ chưa có bí thư dùng bot thì cán bộ được phân công dự sinh hoạt.",
        EN: "Step 4/4: review and send\nMaterial: {title}\n{what}\nTo: {audience} — {count} cells\n"
        "Recipients: the cell secretary; where the secretary does not use the bot, the cadre assigned to the cell.",
    },
    "tl.what.document": {VI: "Tệp: {name}", EN: "File: {name}"},
    "tl.what.photo": {VI: "Ảnh", EN: "Picture"},
    "tl.what.link": {VI: "Link: {url}", EN: "Link: {url}"},
    "tl.audience.all": {VI: "tất cả chi bộ", EN: "all cells"},
    "tl.audience.commune": {VI: "các chi bộ của {name}", EN: "the cells of {name}"},
    "tl.audience.area_kind": {VI: "các chi bộ {kind}", EN: "the cells of every «{kind}»"},
    "tl.btn.send": {VI: "✅ Gửi", EN: "✅ Send"},
    "tl.sent": {
        VI: "✅ Đã lưu tài liệu số {number}; đang gửi tới {count} chi bộ. Xem tỷ lệ đã nhận: /tailieu",
        EN: "✅ Material no. {number} saved; sending it to {count} cells. Receipts: /tailieu",
    },
    "tl.sent_later": {
        VI: "✅ Đã lưu tài liệu số {number}; sẽ gửi tới {count} chi bộ từ {time} ngày {date} (ngoài giờ nghỉ). "
        "Xem tỷ lệ đã nhận: /tailieu",
        EN: "✅ Material no. {number} saved; it goes to {count} cells from {time} on {date} (outside quiet hours). "
        "Receipts: /tailieu",
    },
    "tl.stopped": {VI: "Đã thôi gửi tài liệu.", EN: "Sending the material stopped."},
    "tl.use_buttons": {VI: "Xin chọn bằng các nút bên trên, hoặc /huy để thôi.", EN: "Please use the buttons above, or /cancel to stop."},
    # --- what a cell gets -----------------------------------------------------------------
    "tl.message": {
        VI: "📎 TÀI LIỆU TUYÊN TRUYỀN, HƯỚNG DẪN SINH HOẠT\n«{title}»\nGửi: {cell}{link}\n\n"
        "Xin đồng chí phổ biến tại buổi sinh hoạt chi bộ và bấm «✅ Đã nhận» để {org} biết chi bộ đã nhận.",
        EN: "📎 PROPAGANDA AND MEETING-GUIDANCE MATERIAL\n«{title}»\nTo: {cell}{link}\n\n"
        "Please present it at the cell meeting and press «✅ Received» so that {org} knows the cell has it.",
    },
    "tl.link": {VI: "\nLink: {url}", EN: "\nLink: {url}"},
    "tl.reminder": {
        VI: "🔔 Nhắc: {cell} chưa xác nhận đã nhận tài liệu «{title}» gửi ngày {date}.{link}\n"
        "Xin đồng chí bấm «✅ Đã nhận» khi chi bộ đã nhận.",
        EN: "🔔 Reminder: {cell} has not confirmed the material «{title}» sent on {date}.{link}\n"
        "Please press «✅ Received» once the cell has it.",
    },
    "tl.btn.received": {VI: "✅ Đã nhận", EN: "✅ Received"},
    "tl.received": {
        VI: "✅ Đã ghi nhận: {cell} đã nhận «{title}». Cảm ơn đồng chí!",
        EN: "✅ Noted: {cell} has received «{title}». Thank you, comrade!",
    },
    "tl.already": {
        VI: "{cell} đã xác nhận nhận «{title}» ngày {date} ({who}). Không cần bấm lại.",
        EN: "{cell} confirmed «{title}» on {date} ({who}) already. No need to press again.",
    },
    "tl.not_yours": {
        VI: "Đồng chí không phụ trách chi bộ này nên không xác nhận thay được.",
        EN: "You are not in charge of this cell, so you cannot confirm for it.",
    },
    # --- summaries and the workbook -------------------------------------------------------
    "tl.sum.head": {VI: "📎 Tài liệu gửi chi bộ: {count}", EN: "📎 Materials sent to cells: {count}"},
    "tl.sum.line": {
        VI: "• «{title}» ({date}): {received}/{cells} chi bộ đã nhận ({pct}%)",
        EN: "• «{title}» ({date}): {received}/{cells} cells confirmed ({pct}%)",
    },
    "tl.sum.missing": {VI: "  Chưa nhận: {cells}", EN: "  Not confirmed: {cells}"},
    "tl.sum.more": {VI: " … và {count} chi bộ khác", EN: " … and {count} more cells"},
    "wb.col.material_no": {VI: "Số", EN: "No."},
    "wb.col.material": {VI: "Tài liệu", EN: "Material"},
    "wb.col.sent_on": {VI: "Ngày gửi", EN: "Sent on"},
    "wb.col.cells": {VI: "Số chi bộ", EN: "Cells"},
    "wb.col.reached": {VI: "Đã gửi đến", EN: "Delivered"},
    "wb.col.received": {VI: "Đã nhận", EN: "Confirmed"},
    "wb.col.receipt_rate": {VI: "Tỷ lệ đã nhận", EN: "Receipt rate"},
    "wb.col.not_received": {VI: "Chi bộ chưa nhận", EN: "Cells not confirmed"},
}
