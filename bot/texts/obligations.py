"""Texts of excusals (/mienbaocao), local days off (/ngaynghi) and the transfer rule (/quytac)."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.mienbaocao": {VI: "Miễn dự sinh hoạt cho cán bộ (quản trị)", EN: "Excuse a cadre (admins)"},
    "cmd.ngaynghi": {VI: "Ngày nghỉ của địa phương (quản trị)", EN: "Local days off (admins)"},
    "cmd.quytac": {VI: "Quy tắc khi cán bộ chuyển công tác (quản trị)", EN: "Rule for transfers (admins)"},
    "status.due": {VI: "chưa dự", EN: "due"},
    "status.filed": {VI: "đã dự", EN: "filed"},
    "status.late": {VI: "nộp muộn", EN: "late"},
    "status.excused": {VI: "được miễn", EN: "excused"},
    "ex.start": {
        VI: "🩺 Miễn dự sinh hoạt (ốm đau, đi học, chuyển công tác…).\nGõ một phần họ tên cán bộ "
        "cần miễn.{current}",
        EN: "🩺 Excuse a cadre (sick leave, a course, a transfer…).\nType part of the cadre's "
        "name.{current}",
    },
    "ex.current": {VI: "\n\nĐang được miễn:\n{items}", EN: "\n\nCurrently excused:\n{items}"},
    "ex.current_line": {
        VI: "#{number} {cadre} — {cell}, đến {until}: {reason}",
        EN: "#{number} {cadre} — {cell}, until {until}: {reason}",
    },
    "ex.all_cells": {VI: "tất cả chi bộ", EN: "all cells"},
    "ex.btn.revoke": {VI: "↩ Bỏ miễn #{number}", EN: "↩ Revoke #{number}"},
    "ex.revoked": {VI: "Đã bỏ miễn #{number}.", EN: "Excusal #{number} revoked."},
    "ex.no_match": {VI: "Không có cán bộ nào khớp «{query}» trong phạm vi của đồng chí.", EN: "No cadre in your scope matches «{query}»."},
    "ex.pick_cadre": {VI: "Chọn cán bộ:", EN: "Choose the cadre:"},
    "ex.pick_cells": {VI: "Miễn cho {cadre} ở chi bộ nào?", EN: "Excuse {cadre} for which cell?"},
    "ex.btn.all_cells": {VI: "Tất cả chi bộ được phân công", EN: "All assigned cells"},
    "ex.pick_until": {VI: "Miễn đến ngày nào?", EN: "Excused until when?"},
    "ex.btn.quarter_end": {VI: "Hết {quarter} ({day})", EN: "End of {quarter} ({day})"},
    "ex.btn.type_date": {VI: "📅 Gõ ngày khác", EN: "📅 Type another date"},
    "ex.type_date": {VI: "Gõ ngày cuối được miễn, ví dụ 15/01/2027.", EN: "Type the last excused day, e.g. 15/01/2027."},
    "ex.date_past": {VI: "Ngày {day} đã qua. Xin gõ một ngày từ hôm nay trở đi.", EN: "{day} is in the past. Please type today or later."},
    "ex.type_reason": {VI: "Gõ lý do (ví dụ: nghỉ ốm, đi học lớp trung cấp lý luận chính trị).", EN: "Type the reason (e.g. sick leave, a political theory course)."},
    "ex.confirm": {
        VI: "Xác nhận miễn dự sinh hoạt:\nCán bộ: {cadre}\nChi bộ: {cell}\nTừ {start} đến {until}\nLý do: {reason}",
        EN: "Confirm the excusal:\nCadre: {cadre}\nCell: {cell}\nFrom {start} to {until}\nReason: {reason}",
    },
    "ex.btn.confirm": {VI: "✅ Xác nhận", EN: "✅ Confirm"},
    "ex.done": {
        VI: "✅ Đã miễn cho {cadre} đến {until}. Cán bộ được báo; nhắc nhở dừng; tổng hợp tính riêng.",
        EN: "✅ {cadre} is excused until {until}. They are told; reminders stop; summaries count it apart.",
    },
    "ex.notice": {
        VI: "🩺 Đồng chí được miễn dự sinh hoạt {cell} đến hết ngày {until}. Lý do: {reason}.",
        EN: "🩺 You are excused from attending {cell} until {until}. Reason: {reason}.",
    },
    "ex.stopped": {VI: "Đã thôi, không miễn cho ai.", EN: "Stopped; nobody was excused."},
    "ex.use_buttons": {VI: "Xin bấm một nút ở trên, hoặc /huy để thôi.", EN: "Please press a button above, or /cancel."},
    "off.list": {
        VI: "Ngày nghỉ (không gửi nhắc nhở) từ nay đến hết {quarter}:\n{items}\n\nThêm ngày nghỉ của địa "
        "phương: /ngaynghi 05/12/2026 lý do. Bỏ: /ngaynghi xoa 05/12/2026.",
        EN: "Days off (no reminders) from now to the end of {quarter}:\n{items}\n\nAdd a local day "
        "off: /ngaynghi 05/12/2026 reason. Remove: /ngaynghi xoa 05/12/2026.",
    },
    "off.none": {VI: "(không có)", EN: "(none)"},
    "off.public": {VI: "ngày lễ", EN: "public holiday"},
    "off.local": {VI: "nghỉ địa phương", EN: "local day off"},
    "off.added": {VI: "Đã thêm ngày nghỉ {day}.", EN: "{day} added as a day off."},
    "off.exists": {VI: "Ngày {day} đã là ngày nghỉ rồi.", EN: "{day} is a day off already."},
    "off.removed": {VI: "Đã bỏ ngày nghỉ {day}.", EN: "{day} is no longer a day off."},
    "off.not_found": {VI: "Ngày {day} không có trong danh sách nghỉ của địa phương.", EN: "{day} is not a local day off."},
    "rule.show": {
        VI: "Khi cán bộ chuyển công tác giữa quý (phân công bắt đầu hoặc kết thúc trong quý), "
        "quý đó có phải dự sinh hoạt không?\nĐang áp dụng: {current}",
        EN: "When a cadre is transferred mid-quarter (an assignment starts or ends inside the "
        "quarter), is a visit owed for that quarter?\nNow: {current}",
    },
    "rule.any_day": {VI: "Có, nếu được phân công bất kỳ ngày nào trong quý", EN: "Yes, if assigned on any day of the quarter"},
    "rule.at_end": {VI: "Chỉ khi còn được phân công đến cuối quý", EN: "Only if still assigned at the quarter's end"},
    "rule.half": {VI: "Chỉ khi được phân công ít nhất nửa quý", EN: "Only if assigned for at least half the quarter"},
    "rule.set": {VI: "Đã áp dụng: {current}", EN: "Now applied: {current}"},
}
