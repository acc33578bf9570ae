"""Zalo's wording of texts that tell the user to press a button (``key@zalo``).

Zalo has no buttons: every choice is a numbered line that the user answers by typing its
number (or its words). ``bot.texts.t`` picks these while an update from Zalo is handled
(``bot.texts.text_variant``); tests/test_zalo_wording.py checks that no text shown on
Zalo still says «bấm», «nhấn» or «nút».
"""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "help@zalo": {
        VI: "Các lệnh của đồng chí (gõ có hoặc không có dấu /):\n{commands}\n\n"
        "Gõ /huy bất cứ lúc nào để dừng thao tác đang làm.",
        EN: "Your commands (typed with or without the /):\n{commands}\n\n"
        "Send /cancel at any time to stop what you are doing.",
    },
    "esc.answer_review@zalo": {
        VI: "✍ Câu trả lời kiến nghị số {number}:\n\n{answer}\n\n"
        "Gõ số của «Gửi» để gửi tới cán bộ, của «Sửa» để gõ lại, hoặc của «Hủy».",
        EN: "✍ Your answer to escalation no. {number}:\n\n{answer}\n\n"
        "Type the number of «Send» to send it to the cadre, of «Edit» to type it again, or of «Cancel».",
    },
    "esc.answer_timed_out@zalo": {
        VI: "Đã quá lâu kể từ khi chọn «Trả lời», nên tin nhắn này không được lấy làm câu trả lời. "
        "Xin chọn lại «Trả lời» (hoặc gõ /kiennghi) nếu vẫn muốn trả lời.",
        EN: "It has been too long since you chose «Answer», so this message was not taken as the answer. "
        "Choose «Answer» again (or send /escalations) to answer.",
    },
    "esc.open_private_chat@zalo": {
        VI: "Xin nhắn riêng cho bot trên Zalo (tìm tên bot, gõ «kiennghi») rồi trả lời ở đó.",
        EN: "Please write to the bot in a private Zalo chat (find the bot's name, type «escalations») "
        "and answer there.",
    },
    "fund.except@zalo": {
        VI: "Tháng {month}: đã ghi {done}/{members} người.\n"
        "Tất cả người dưới đây đã nộp, trừ những người đồng chí gõ số để đánh dấu ✖ chưa nộp.\n"
        "Sẽ ghi: {count} người × {rate} = {total}.",
        EN: "Month {month}: {done}/{members} recorded.\n"
        "Everyone below has paid, except those whose number you type to mark ✖ not paid.\n"
        "To record: {count} × {rate} = {total}.",
    },
    "fund.use_buttons@zalo": {
        VI: "Xin gõ số của một lựa chọn ở trên (hoặc «huy» để dừng).",
        EN: "Please type the number of a choice above (or «cancel» to stop).",
    },
    "tl.use_buttons@zalo": {
        VI: "Xin gõ số của một lựa chọn ở trên, hoặc «huy» để thôi.",
        EN: "Please type the number of a choice above, or «cancel» to stop.",
    },
    "tl.message@zalo": {
        VI: "📎 TÀI LIỆU TUYÊN TRUYỀN, HƯỚNG DẪN SINH HOẠT\n«{title}»\nGửi: {cell}{link}\n\n"
        "Xin đồng chí phổ biến tại buổi sinh hoạt chi bộ và gõ số của «✅ Đã nhận» để {org} biết "
        "chi bộ đã nhận.",
        EN: "📎 PROPAGANDA AND MEETING-GUIDANCE MATERIAL\n«{title}»\nTo: {cell}{link}\n\n"
        "Please present it at the cell meeting and type the number of «✅ Received» so that {org} "
        "knows the cell has it.",
    },
    "tl.reminder@zalo": {
        VI: "🔔 Nhắc: {cell} chưa xác nhận đã nhận tài liệu «{title}» gửi ngày {date}.{link}\n"
        "Xin đồng chí gõ số của «✅ Đã nhận» khi chi bộ đã nhận.",
        EN: "🔔 Reminder: {cell} has not confirmed the material «{title}» sent on {date}.{link}\n"
        "Please type the number of «✅ Received» once the cell has it.",
    },
    "tl.already@zalo": {
        VI: "{cell} đã xác nhận nhận «{title}» ngày {date} ({who}). Không cần xác nhận lại.",
        EN: "{cell} confirmed «{title}» on {date} ({who}) already. No need to confirm again.",
    },
    "model.notes@zalo": {
        VI: "Bước {step}/{total}: tình hình thực hiện, kết quả nổi bật, khó khăn (gõ tối đa {limit} ký tự), "
        "hoặc gõ số của «Bỏ qua».{current}",
        EN: "Step {step}/{total}: progress, notable results, difficulties (type at most {limit} characters), "
        "or type the number of «Skip».{current}",
    },
    "private.start_here@zalo": {
        VI: "\n\n👉 Gõ /{command} để bắt đầu.",
        EN: "\n\n👉 Type /{command} to begin.",
    },
    "reg.code_wrong@zalo": {
        VI: "Mã mời này không đúng. Xin kiểm tra lại: mã có 8 ký tự, dạng ABCD-EFGH (không có chữ O, I, L "
        "và số 0, 1). Nếu chưa có mã, xin liên hệ {office_contact}.",
        EN: "That invite code is not right. Please check it: a code has 8 characters, like ABCD-EFGH "
        "(no letters O, I, L and no digits 0, 1). If you have no code, please contact {office_contact}.",
    },
    "topics.list@zalo": {
        VI: "Chủ đề phổ biến {quarter}:\n{items}\n\nThêm: /chude <nội dung>. Bỏ: gõ số của chủ đề ở dưới.",
        EN: "Topics for {quarter}:\n{items}\n\nAdd: /chude <text>. Remove: type the number of a topic below.",
    },
    "visit.choose_topics@zalo": {
        VI: "Bước 3/6: nội dung đã phổ biến, quán triệt.\n"
        "Gõ số để chọn các chủ đề của quý, hoặc gõ nội dung.{chosen}",
        EN: "Step 3/6: what did you disseminate?\n"
        "Type the numbers of the quarter's topics, or type it in.{chosen}",
    },
    "button.expired@zalo": {
        VI: "Lựa chọn này đã cũ. Gửi /baocao để báo cáo, /help để xem hướng dẫn.",
        EN: "This choice has expired. Send /report to report, /help for help.",
    },
}
