"""Texts of model inspections on a schedule: the plans, inspectors, reminders, conversion.

Model levels: 'district' is, since the 2025 reform, the pilot at commune/ward level.
"""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "insp.level.province": {VI: "Điểm cấp tỉnh", EN: "Provincial pilot"},
    "insp.level.district": {VI: "Điểm cấp xã, phường", EN: "Commune/ward pilot"},
    "insp.level.grassroots": {VI: "Cơ sở", EN: "Grassroots"},
    # --- /kiemtra: the plans and what is overdue ------------------------------------------
    "insp.plan": {
        VI: "🔍 Kế hoạch kiểm tra mô hình (số lần tối thiểu mỗi năm):\n{plans}\n\n{overdue}",
        EN: "🔍 Model inspection plans (at least, per year):\n{plans}\n\n{overdue}",
    },
    "insp.plan_line": {VI: "• {level}: {count} lần/năm", EN: "• {level}: {count} a year"},
    "insp.overdue_head": {
        VI: "Mô hình đến hạn kiểm tra ({count}):",
        EN: "Models due an inspection ({count}):",
    },
    "insp.overdue_line": {
        VI: "• {model} — {since}; người kiểm tra: {inspector}",
        EN: "• {model} — {since}; inspector: {inspector}",
    },
    "insp.overdue_more": {VI: "… và {count} mô hình khác.", EN: "… and {count} more."},
    "insp.none_overdue": {VI: "Không có mô hình nào đến hạn kiểm tra.", EN: "No model is due an inspection."},
    "insp.since": {VI: "đến hạn từ {day}", EN: "due since {day}"},
    "insp.never": {VI: "chưa kiểm tra lần nào", EN: "never inspected"},
    "insp.nobody": {VI: "chưa phân công", EN: "not assigned"},
    "insp.how": {
        VI: "Đổi kế hoạch (quản trị cấp cao nhất): /kiemtra tinh|xa|coso SỐ_LẦN.\n"
        "Phân công người kiểm tra: /nguoikiemtra MÃ_MÔ_HÌNH MÃ_CÁN_BỘ.\n"
        "Chuyển đổi mô hình: /chuyendoi MÃ_MÔ_HÌNH LÝ_DO.",
        EN: "Change a plan (top unit's admins): /kiemtra tinh|xa|coso COUNT.\n"
        "Assign an inspector: /nguoikiemtra MODEL_CODE CADRE_CODE.\n"
        "Convert a model: /chuyendoi MODEL_CODE REASON.",
    },
    "insp.plan_saved": {
        VI: "✅ Đã đổi: {level} — {count} lần/năm.",
        EN: "✅ Changed: {level} — {count} a year.",
    },
    "insp.plan_bad": {
        VI: "Chưa hiểu. Xin gõ ví dụ «/kiemtra tinh 4» (cấp: tinh, xa hoặc coso; số lần từ 0 đến {max}).",
        EN: "Not understood. Please type e.g. «/kiemtra tinh 4» (level: tinh, xa or coso; 0 to {max} a year).",
    },
    # --- /nguoikiemtra ----------------------------------------------------------------------
    "insp.assign_bad": {
        VI: "Xin gõ «/nguoikiemtra MÃ_MÔ_HÌNH MÃ_CÁN_BỘ», ví dụ «/nguoikiemtra MH-01 CAN-001».",
        EN: "Please type «/nguoikiemtra MODEL_CODE CADRE_CODE», e.g. «/nguoikiemtra MH-01 CAN-001».",
    },
    "insp.model_unknown": {
        VI: "Không tìm thấy mô hình đang theo dõi có mã «{code}».",
        EN: "No model being followed has the code «{code}».",
    },
    "insp.cadre_unknown": {
        VI: "Không tìm thấy cán bộ có mã «{code}».",
        EN: "No cadre has the code «{code}».",
    },
    "insp.model_out_of_scope": {
        VI: "Mô hình này không thuộc địa bàn đồng chí quản lý.",
        EN: "This model is not within your scope.",
    },
    "insp.assigned": {
        VI: "✅ Người kiểm tra mô hình «{model}»: {cadre}.",
        EN: "✅ The inspector of «{model}»: {cadre}.",
    },
    # --- /chuyendoi -------------------------------------------------------------------------
    "insp.convert_bad": {
        VI: "Xin gõ «/chuyendoi MÃ_MÔ_HÌNH LÝ_DO», ví dụ «/chuyendoi MH-01 sáp nhập vào mô hình khác».",
        EN: "Please type «/chuyendoi MODEL_CODE REASON», e.g. «/chuyendoi MH-01 merged into another model».",
    },
    "insp.convert_ask": {
        VI: "Chuyển đổi (đóng) mô hình «{model}»?\nLý do: {reason}\nLịch sử cập nhật, kiểm tra được giữ "
        "nguyên; mô hình không còn được nhắc kiểm tra.",
        EN: "Convert (close) the model «{model}»?\nReason: {reason}\nIts updates and inspections are "
        "kept; it is no longer reminded for inspection.",
    },
    "insp.btn.convert": {VI: "✅ Chuyển đổi", EN: "✅ Convert"},
    "insp.converted": {
        VI: "✅ Đã chuyển đổi mô hình «{model}».",
        EN: "✅ The model «{model}» was converted.",
    },
    "insp.convert_cancelled": {VI: "Đã dừng; mô hình không thay đổi.", EN: "Stopped; the model is unchanged."},
    "insp.converted_already": {
        VI: "Mô hình này đã được đóng trước đó; không thay đổi gì.",
        EN: "This model had been closed already; nothing changed.",
    },
    # --- the reminder -----------------------------------------------------------------------
    "insp.remind": {
        VI: "🔍 Đến hạn kiểm tra mô hình «{model}» ({level}, tối thiểu {per_year} lần/năm): {since}.\n"
        "Đồng chí được phân công kiểm tra mô hình này.",
        EN: "🔍 The model «{model}» is due an inspection ({level}, at least {per_year} a year): {since}.\n"
        "You are its assigned inspector.",
    },
    "insp.remind.since": {VI: "đến hạn từ {day}", EN: "due since {day}"},
    "insp.remind.never": {VI: "chưa được kiểm tra lần nào", EN: "it has never been inspected"},
    "insp.btn.inspect": {VI: "🔍 Kiểm tra ngay", EN: "🔍 Inspect now"},
    # --- recording an inspection ------------------------------------------------------------
    "insp.not_inspector": {
        VI: "Chỉ quản trị trong phạm vi hoặc người được phân công kiểm tra mới ghi kết quả kiểm tra "
        "mô hình này.",
        EN: "Only an admin within scope or the model's assigned inspector records its inspections.",
    },
    "insp.proposal_filed": {
        VI: "📨 Đã gửi đề xuất {kind} số {number} tới Ban Thường vụ.",
        EN: "📨 Proposal no. {number} ({kind}) sent to the Standing Committee.",
    },
    "insp.proposal_kind.replicate": {VI: "nhân rộng", EN: "replication"},
    "insp.proposal_kind.commend": {VI: "khen thưởng", EN: "commendation"},
    "insp.replicate_unresolved": {
        VI: "Chưa xác định được một thôn, xã cụ thể từ «{places}» nên chưa gửi đề xuất nhân rộng; "
        "quản trị có thể gửi bằng /dexuat nhanrong.",
        EN: "No single village or commune could be told from «{places}», so no replication proposal "
        "was sent; an admin can file one with /dexuat nhanrong.",
    },
    "insp.proposal_refused": {
        VI: "Đề xuất không gửi được (mô hình đã đóng hoặc nơi nhân rộng không hợp lệ).",
        EN: "The proposal could not be filed (the model is closed or the place is not valid).",
    },
}
