"""Texts of model proposals: replication and commendation, posted to the Standing
Committee and decided there; and their figures in summaries and the workbook."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.dexuat": {VI: "Đề xuất nhân rộng, khen thưởng mô hình (quản trị)", EN: "Propose replicating or commending a model (admins)"},
    # --- the post in the Standing Committee's group -------------------------------------------
    "pr.post.commend": {
        VI: "🏅 Đề xuất khen thưởng số {number}\nMô hình: {model} ({code})\nNgười đề xuất: {proposer}, {day}{source}\n"
        "Nội dung: {detail}{state}",
        EN: "🏅 Commendation proposal no. {number}\nModel: {model} ({code})\nProposed by: {proposer}, {day}{source}\n"
        "Grounds: {detail}{state}",
    },
    "pr.post.replicate": {
        VI: "🌱 Đề xuất nhân rộng số {number}\nMô hình: {model} ({code})\nNhân rộng đến: {target}\n"
        "Người đề xuất: {proposer}, {day}{source}\nNội dung: {detail}{state}",
        EN: "🌱 Replication proposal no. {number}\nModel: {model} ({code})\nReplicate to: {target}\n"
        "Proposed by: {proposer}, {day}{source}\nGrounds: {detail}{state}",
    },
    "pr.source": {VI: " (theo kết quả kiểm tra số {number})", EN: " (from inspection no. {number})"},
    "pr.no_detail": {VI: "(không ghi)", EN: "(none given)"},
    "pr.someone": {VI: "quản trị viên", EN: "an administrator"},
    "pr.state.approved_commend": {
        VI: "\n\n✅ Đã quyết định khen thưởng ({at}, {by}): {form}{text}",
        EN: "\n\n✅ Commendation approved ({at}, {by}): {form}{text}",
    },
    "pr.state.approved_replicate": {
        VI: "\n\n✅ Đã duyệt nhân rộng ({at}, {by}).{text}",
        EN: "\n\n✅ Replication approved ({at}, {by}).{text}",
    },
    "pr.state.rejected": {
        VI: "\n\n❌ Không duyệt ({at}, {by}).{text}",
        EN: "\n\n❌ Not approved ({at}, {by}).{text}",
    },
    "pr.choose_form": {
        VI: "\n\n👉 Chọn hình thức khen thưởng:",
        EN: "\n\n👉 Choose the form of commendation:",
    },
    "pr.btn.commend": {VI: "✅ Khen thưởng", EN: "✅ Commend"},
    "pr.btn.replicate": {VI: "✅ Duyệt nhân rộng", EN: "✅ Approve replication"},
    "pr.btn.reject": {VI: "❌ Không duyệt", EN: "❌ Do not approve"},
    "pr.btn.back": {VI: "⬅ Quay lại", EN: "⬅ Back"},
    "pr.form.certificate": {VI: "Giấy khen", EN: "Certificate of merit (Giấy khen)"},
    "pr.form.merit": {VI: "Bằng khen", EN: "Diploma of merit (Bằng khen)"},
    "pr.form.praise": {VI: "Biểu dương", EN: "Public praise (Biểu dương)"},
    "pr.form.other": {VI: "Hình thức khác", EN: "Another form"},
    # --- answers to the presser ---------------------------------------------------------------
    "pr.admins_only": {
        VI: "Chỉ quản trị viên mới quyết định đề xuất về mô hình.",
        EN: "Only administrators decide proposals about models.",
    },
    "pr.out_of_scope": {
        VI: "Đề xuất này thuộc địa bàn khác, ngoài phạm vi quản trị của đồng chí.",
        EN: "This proposal belongs to another area, outside your scope.",
    },
    "pr.not_found": {VI: "Không tìm thấy đề xuất này.", EN: "That proposal was not found."},
    "pr.already_decided": {
        VI: "Đề xuất số {number} đã được quyết định rồi.",
        EN: "Proposal no. {number} was decided already.",
    },
    "pr.model_closed": {
        VI: "Mô hình này đã chuyển đổi hoặc dừng, không duyệt được nữa.",
        EN: "This model was converted or dropped; it can no longer be approved.",
    },
    "pr.decided_toast": {VI: "Đã ghi quyết định.", EN: "Decision recorded."},
    "pr.choose_toast": {VI: "Chọn hình thức khen thưởng.", EN: "Choose the form."},
    # --- the announcement to the model's owner and the proposer ------------------------------
    "pr.to_owner.approved_commend": {
        VI: "🏅 Ban Thường vụ quyết định khen thưởng mô hình «{model}» (đề xuất số {number}): {form}{text}",
        EN: "🏅 The Standing Committee decided to commend the model «{model}» (proposal no. {number}): {form}{text}",
    },
    "pr.to_owner.rejected_commend": {
        VI: "Đề xuất khen thưởng mô hình «{model}» (số {number}) không được duyệt.{text}",
        EN: "The proposal to commend the model «{model}» (no. {number}) was not approved.{text}",
    },
    "pr.to_owner.approved_replicate": {
        VI: "🌱 Đã duyệt nhân rộng mô hình «{model}» đến {target} (đề xuất số {number}).{text}",
        EN: "🌱 Replicating the model «{model}» to {target} was approved (proposal no. {number}).{text}",
    },
    "pr.to_owner.rejected_replicate": {
        VI: "Đề xuất nhân rộng mô hình «{model}» đến {target} (số {number}) không được duyệt.{text}",
        EN: "The proposal to replicate the model «{model}» to {target} (no. {number}) was not approved.{text}",
    },
    "pr.text_suffix": {VI: " — {text}", EN: " — {text}"},
    # --- /dexuat ------------------------------------------------------------------------------
    "pr.usage": {
        VI: "Đề xuất về mô hình (quản trị):\n"
        "• /dexuat khen MÃ-MÔ-HÌNH lý do — đề xuất khen thưởng\n"
        "• /dexuat nhanrong MÃ-MÔ-HÌNH MÃ-THÔN [lý do] — đề xuất nhân rộng đến một thôn\n"
        "• /dexuat quyetdinh SỐ hình thức — ghi hình thức khen thưởng khác khi duyệt\n"
        "Ví dụ: /dexuat nhanrong MH-ATGT KR-DRUONG-T1 Thôn đã đăng ký",
        EN: "Proposals about models (admins):\n"
        "• /propose commend MODEL-CODE grounds — propose a commendation\n"
        "• /propose replicate MODEL-CODE VILLAGE-CODE [grounds] — propose replicating to a village\n"
        "• /propose decide NUMBER form — approve a commendation with another form, typed\n"
        "Example: /propose replicate MH-ATGT KR-DRUONG-T1 The village has signed up",
    },
    "pr.open_head": {VI: "Đề xuất chờ quyết định: {count}", EN: "Proposals waiting for a decision: {count}"},
    "pr.open_none": {VI: "Không có đề xuất nào chờ quyết định.", EN: "No proposals are waiting for a decision."},
    "pr.unknown_model": {
        VI: "Không có mô hình đang hoạt động mã «{code}».",
        EN: "There is no running model with code «{code}».",
    },
    "pr.unknown_place": {
        VI: "Không có đơn vị mã «{code}». Ghi mã thôn như trong danh sách (ví dụ KR-DRUONG-T1).",
        EN: "There is no unit with code «{code}». Give the village's code as in the roster (e.g. KR-DRUONG-T1).",
    },
    "pr.already_a_place": {
        VI: "Mô hình «{model}» đã thực hiện ở {target} rồi.",
        EN: "The model «{model}» already runs in {target}.",
    },
    "pr.filed": {
        VI: "Đã gửi đề xuất số {number} lên Ban Thường vụ. Quyết định sẽ được báo lại.",
        EN: "Proposal no. {number} was sent to the Standing Committee. You will be told the decision.",
    },
    "pr.already_filed": {VI: "Đề xuất số {number} đã được gửi rồi.", EN: "Proposal no. {number} was sent already."},
    "pr.not_commend": {
        VI: "Đề xuất số {number} không phải đề xuất khen thưởng đang chờ quyết định.",
        EN: "Proposal no. {number} is not a commendation waiting for a decision.",
    },
    "pr.decided": {VI: "Đã ghi quyết định đề xuất số {number}.", EN: "The decision on proposal no. {number} is recorded."},
    # --- summaries and the workbook ---------------------------------------------------------
    "pr.sum.head": {VI: "🏅 Theo dõi mô hình {period}:", EN: "🏅 Models {period}:"},
    "pr.sum.inspections": {
        VI: "• Kiểm tra: {count} lượt ở {models} mô hình",
        EN: "• Inspections: {count} of {models} models",
    },
    "pr.sum.overdue": {
        VI: "• Quá hạn kiểm tra: {count} mô hình{names}",
        EN: "• Overdue for inspection: {count} models{names}",
    },
    "pr.sum.replications": {
        VI: "• Nhân rộng: {approved} đã duyệt, {waiting} chờ duyệt",
        EN: "• Replications: {approved} approved, {waiting} waiting",
    },
    "pr.sum.commendations": {
        VI: "• Khen thưởng: {approved} đã quyết định, {waiting} chờ quyết định",
        EN: "• Commendations: {approved} decided, {waiting} waiting",
    },
    "pr.sum.conversions": {VI: "• Chuyển đổi: {count} mô hình", EN: "• Conversions: {count} models"},
    "pr.sum.line": {VI: "   – {what}: {model}{target}", EN: "   – {what}: {model}{target}"},
    "pr.sum.target": {VI: " → {target}", EN: " → {target}"},
    "pr.wb.sheet": {VI: "Đề xuất mô hình", EN: "Model proposals"},
    "pr.wb.follow_sheet": {VI: "Theo dõi mô hình", EN: "Model follow-up"},
    "pr.wb.col.code": {VI: "Mã", EN: "Code"},
    "pr.wb.col.level": {VI: "Cấp", EN: "Level"},
    "pr.wb.col.model_status": {VI: "Trạng thái", EN: "Status"},
    "pr.wb.col.inspections": {VI: "Lượt kiểm tra trong quý", EN: "Inspections this quarter"},
    "pr.wb.col.last_inspected": {VI: "Kiểm tra gần nhất", EN: "Last inspected"},
    "pr.wb.col.overdue": {VI: "Quá hạn kiểm tra", EN: "Overdue for inspection"},
    "pr.wb.col.replicated": {VI: "Nhân rộng đã duyệt", EN: "Replications approved"},
    "pr.wb.col.replications_waiting": {VI: "Nhân rộng chờ duyệt", EN: "Replications waiting"},
    "pr.wb.col.commended": {VI: "Khen thưởng đã quyết định", EN: "Commendations decided"},
    "pr.wb.col.forms": {VI: "Hình thức khen thưởng", EN: "Forms of commendation"},
    "pr.wb.col.commendations_waiting": {VI: "Khen thưởng chờ quyết định", EN: "Commendations waiting"},
    "pr.wb.yes": {VI: "Quá hạn", EN: "Overdue"},
    "pr.wb.col.number": {VI: "Số", EN: "No."},
    "pr.wb.col.kind": {VI: "Loại", EN: "Kind"},
    "pr.wb.col.model": {VI: "Mô hình", EN: "Model"},
    "pr.wb.col.target": {VI: "Nhân rộng đến", EN: "Replicate to"},
    "pr.wb.col.proposer": {VI: "Người đề xuất", EN: "Proposed by"},
    "pr.wb.col.proposed_on": {VI: "Ngày đề xuất", EN: "Proposed on"},
    "pr.wb.col.status": {VI: "Kết quả", EN: "Decision"},
    "pr.wb.col.decided_on": {VI: "Ngày quyết định", EN: "Decided on"},
    "pr.wb.col.form": {VI: "Hình thức", EN: "Form"},
    "pr.wb.col.note": {VI: "Ghi chú", EN: "Note"},
    "pr.kind.replicate": {VI: "Nhân rộng", EN: "Replication"},
    "pr.kind.commend": {VI: "Khen thưởng", EN: "Commendation"},
    "pr.kind.convert": {VI: "Chuyển đổi", EN: "Conversion"},
    "pr.wb.col.converted_on": {VI: "Ngày chuyển đổi", EN: "Converted on"},
    "pr.status.proposed": {VI: "Chờ quyết định", EN: "Waiting"},
    "pr.status.approved": {VI: "Đã duyệt", EN: "Approved"},
    "pr.status.rejected": {VI: "Không duyệt", EN: "Not approved"},
}
