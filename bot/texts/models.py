"""Texts of the model update conversation (/mohinh), and the one every report flow shares."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.mohinh": {VI: "Cập nhật tình hình mô hình", EN: "Update a model's progress"},
    # Shared by the report flows (handlers/flow.py): a command of the other flow mid-way.
    "flow.busy": {
        VI: "Đồng chí đang làm dở một báo cáo khác. Xin làm tiếp, hoặc gửi /huy để dừng (bản "
        "nháp được giữ) rồi dùng lệnh này.",
        EN: "You are in the middle of another report. Please go on, or send /cancel to stop "
        "(the draft is kept) and then use this command.",
    },
    # --- step: update or inspection (admins) ---------------------------------------------
    "model.choose_kind": {
        VI: "🌱 Mô hình — {quarter}\nBước 1/{total}: đồng chí ghi nhận gì?",
        EN: "🌱 Models — {quarter}\nStep 1/{total}: what are you recording?",
    },
    "model.kind.update": {VI: "Cập nhật tình hình", EN: "Progress update"},
    "model.kind.inspection": {VI: "Kiểm tra (giám sát)", EN: "Inspection"},
    # --- step: the model ---------------------------------------------------------------
    "model.choose": {
        VI: "🌱 {title} — {quarter}\nBước {step}/{total}: chọn mô hình. Các mô hình ở địa bàn "
        "đồng chí phụ trách ở dưới; có thể gõ một phần tên để tìm.",
        EN: "🌱 {title} — {quarter}\nStep {step}/{total}: choose the model. Those at your "
        "places are below; you can also type part of its name.",
    },
    "model.title.update": {VI: "Cập nhật mô hình", EN: "Model update"},
    "model.title.inspection": {VI: "Kiểm tra mô hình", EN: "Model inspection"},
    "model.none_mine": {
        VI: "(Chưa có mô hình nào ở địa bàn đồng chí phụ trách: tìm theo tên hoặc theo địa bàn.)",
        EN: "(No model at your places: search by name or by place.)",
    },
    "model.btn.search": {VI: "🔎 Tìm theo tên", EN: "🔎 Search by name"},
    "model.btn.by_place": {VI: "📍 Theo địa bàn", EN: "📍 By place"},
    "model.type_search": {
        VI: "Gõ một phần tên mô hình (có dấu hay không dấu đều được), ví dụ «nước sạch».",
        EN: "Type part of the model's name (with or without diacritics), e.g. «nuoc sach».",
    },
    "model.found": {
        VI: "Các mô hình có «{query}»:",
        EN: "Models matching «{query}»:",
    },
    "model.not_found": {
        VI: "Không tìm thấy mô hình nào có «{query}». Xin gõ từ khác, hoặc chọn theo địa bàn.",
        EN: "No model matches «{query}». Please type another word, or choose by place.",
    },
    "model.choose_commune": {
        VI: "Chọn xã, thị trấn để xem các mô hình ở đó:",
        EN: "Choose a commune to see its models:",
    },
    "model.at_commune": {VI: "Các mô hình ở {commune}:", EN: "Models in {commune}:"},
    "model.none_at_commune": {
        VI: "{commune} chưa có mô hình nào trong danh sách.",
        EN: "{commune} has no model on the roster.",
    },
    "model.not_available": {
        VI: "Không tìm thấy mô hình này (có thể đã dừng theo dõi). Xin chọn lại.",
        EN: "That model was not found (it may no longer be followed). Please choose again.",
    },
    # --- step: assessment -------------------------------------------------------------
    "model.assess": {
        VI: "Bước {step}/{total}: «{model}»{last}\nĐánh giá hiệu quả của mô hình?",
        EN: "Step {step}/{total}: «{model}»{last}\nHow effective is the model?",
    },
    "model.last_update": {
        VI: "\nLần gần nhất: {day} — {assessment}.",
        EN: "\nLast time: {day} — {assessment}.",
    },
    "model.assessment.good": {VI: "Tốt", EN: "Good"},
    "model.assessment.fair": {VI: "Cần củng cố", EN: "Needs work"},
    "model.assessment.ineffective": {VI: "Chưa hiệu quả", EN: "Not effective yet"},
    # --- step: progress notes ------------------------------------------------------------
    "model.notes": {
        VI: "Bước {step}/{total}: tình hình thực hiện, kết quả nổi bật, khó khăn (gõ tối đa "
        "{limit} ký tự), hoặc bấm «Bỏ qua».{current}",
        EN: "Step {step}/{total}: progress, notable results, difficulties (type at most "
        "{limit} characters), or press «Skip».{current}",
    },
    "model.notes_current": {VI: "\n\nĐã ghi: {notes}", EN: "\n\nSo far: {notes}"},
    "model.btn.keep": {VI: "Giữ nguyên ➡", EN: "Keep it ➡"},
    # --- step: proposal -------------------------------------------------------------------
    "model.propose": {
        VI: "Bước {step}/{total}: đề xuất đối với mô hình?",
        EN: "Step {step}/{total}: what do you propose for the model?",
    },
    "model.proposal.maintain": {VI: "Duy trì", EN: "Maintain"},
    "model.proposal.replicate": {VI: "Nhân rộng", EN: "Replicate"},
    "model.proposal.convert": {VI: "Chuyển đổi", EN: "Convert"},
    "model.proposal.commend": {VI: "Đề nghị khen thưởng", EN: "Propose commendation"},
    "model.type_places": {
        VI: "Nhân rộng tới đâu? Gõ tên các thôn, xã (tối đa {limit} ký tự), ví dụ «Thôn 5, "
        "Thôn 7 xã Đăk Ruồng».{current}",
        EN: "Replicate to where? Type the villages or communes (at most {limit} characters), "
        "e.g. «Villages 5 and 7 of Đăk Ruồng».{current}",
    },
    "model.places_current": {VI: "\n\nĐã ghi: {places}", EN: "\n\nSo far: {places}"},
    # --- step: photos ---------------------------------------------------------------------
    "model.photos": {
        VI: "Bước {step}/{total}: gửi ảnh mô hình nếu có (không bắt buộc, tối đa {limit} ảnh)."
        "{received}",
        EN: "Step {step}/{total}: send photos of the model if you have any (optional, at "
        "most {limit}).{received}",
    },
    "model.photos_received": {VI: "\nĐã nhận: {count} ảnh.", EN: "\nReceived: {count} photo(s)."},
    "model.btn.clear_photos": {VI: "🗑 Bỏ các ảnh đã gửi", EN: "🗑 Remove the photos"},
    "model.too_many_photos": {
        VI: "Mỗi lần cập nhật nhận tối đa {limit} ảnh; ảnh này không được thêm.",
        EN: "An update takes at most {limit} photos; this one was not added.",
    },
    # --- review and confirm ---------------------------------------------------------------
    "model.review": {
        VI: "Bước {step}/{total}: xem lại và gửi.\n\n{summary}",
        EN: "Step {step}/{total}: review and send.\n\n{summary}",
    },
    "model.summary": {
        VI: "Mô hình: {model}\n{kind}Đánh giá: {assessment}\nTình hình: {notes}\nĐề xuất: "
        "{proposal}\nẢnh: {photos} · {quarter}",
        EN: "Model: {model}\n{kind}Assessment: {assessment}\nProgress: {notes}\nProposal: "
        "{proposal}\nPhotos: {photos} · {quarter}",
    },
    "model.summary_kind": {VI: "Loại: {kind}\n", EN: "Kind: {kind}\n"},
    "model.replicate_to": {VI: "{proposal} tới {places}", EN: "{proposal} to {places}"},
    "model.none": {VI: "không", EN: "none"},
    "model.btn.edit_kind": {VI: "✏ Loại", EN: "✏ Kind"},
    "model.btn.edit_model": {VI: "✏ Mô hình", EN: "✏ Model"},
    "model.btn.edit_assessment": {VI: "✏ Đánh giá", EN: "✏ Assessment"},
    "model.btn.edit_notes": {VI: "✏ Tình hình", EN: "✏ Progress"},
    "model.btn.edit_proposal": {VI: "✏ Đề xuất", EN: "✏ Proposal"},
    "model.btn.edit_photos": {VI: "✏ Ảnh", EN: "✏ Photos"},
    "model.btn.confirm": {VI: "✅ Gửi", EN: "✅ Send"},
    "model.receipt": {
        VI: "✅ Đã lưu {what} số {number}: «{model}» — {assessment}.\nCảm ơn đồng chí!",
        EN: "✅ {what} no. {number} saved: «{model}» — {assessment}.\nThank you, comrade!",
    },
    "model.receipt.update": {VI: "cập nhật mô hình", EN: "Model update"},
    "model.receipt.inspection": {VI: "kết quả kiểm tra mô hình", EN: "Model inspection"},
    "model.already_saved": {
        VI: "Cập nhật mô hình này đã được lưu rồi (số {number}); không lưu lại lần nữa.",
        EN: "This model update was saved already (no. {number}); it is not stored twice.",
    },
    "model.incomplete": {
        VI: "Bản nháp chưa đủ thông tin; xin làm tiếp các bước còn thiếu.",
        EN: "The draft is not complete yet; please finish the missing steps.",
    },
    # --- continuing, leaving, unexpected input ----------------------------------------------
    "model.resume": {
        VI: "Đồng chí có một cập nhật mô hình đang làm dở ({what}). Tiếp tục hay làm mới?",
        EN: "You have an unfinished model update ({what}). Continue it, or start a new one?",
    },
    "model.resume_what": {VI: "bắt đầu {day}", EN: "started {day}"},
    "model.btn.resume": {VI: "▶ Tiếp tục", EN: "▶ Continue"},
    "model.btn.restart": {VI: "🆕 Làm mới", EN: "🆕 Start a new one"},
    "model.stopped": {
        VI: "Đã dừng. Bản nháp vẫn được giữ: gửi /mohinh để tiếp tục.",
        EN: "Stopped. Your draft is kept: send /model to continue.",
    },
    "model.timed_out": {
        VI: "Cập nhật mô hình đang làm dở đã tạm dừng vì lâu không thao tác; bản nháp vẫn được "
        "giữ. Gửi /mohinh để tiếp tục.",
        EN: "Your unfinished model update was paused after a long pause; the draft is kept. "
        "Send /model to continue.",
    },
    "model.use_buttons": {
        VI: "Xin bấm một nút ở tin nhắn trên (hoặc /huy để dừng).",
        EN: "Please press one of the buttons above (or /cancel to stop).",
    },
    "model.type_expected": {
        VI: "Xin gõ nội dung bằng chữ (hoặc /huy để dừng).",
        EN: "Please type it as text (or /cancel to stop).",
    },
    "model.photos_expected": {
        VI: "Ở bước này xin gửi ảnh (hoặc tệp ảnh, PDF), hoặc bấm «{button}» để sang bước sau.",
        EN: "At this step please send photos (or an image or PDF file), or press «{button}» to "
        "go on.",
    },
    "model.other_command": {
        VI: "Đồng chí đang cập nhật mô hình dở. Xin làm tiếp, hoặc gửi /huy để dừng (bản nháp "
        "được giữ) rồi dùng lệnh khác.",
        EN: "You are in the middle of a model update. Please go on, or send /cancel to stop "
        "(the draft is kept) and then use another command.",
    },
}
