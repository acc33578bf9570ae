"""Texts of the savings fund: /tietkiem (treasurer), /quy, /mucquy, and /cuatoi's months."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cmd.tietkiem": {VI: "Ghi quỹ tiết kiệm (thủ quỹ)", EN: "Record the savings fund (treasurer)"},
    "cmd.quy": {VI: "Quỹ tiết kiệm: số dư, tỷ lệ đóng, hỗ trợ", EN: "Savings fund: balance, collection, aid"},
    "fund.treasurer_only": {
        VI: "Chỉ thủ quỹ của đơn vị mới ghi được quỹ tiết kiệm.",
        EN: "Only the unit's treasurer can record the savings fund.",
    },
    "fund.no_unit": {
        VI: "Danh sách chưa ghi bạn thuộc đơn vị nào; xin liên hệ {office}.",
        EN: "The roster does not say which unit you belong to; please contact {office}.",
    },
    "fund.private_only": {VI: "Xin gửi /tietkiem trong trò chuyện riêng với bot.", EN: "Please send /tietkiem in a private chat with the bot."},
    "fund.menu": {
        VI: "💰 QUỸ TIẾT KIỆM — {unit}\nSố dư: {balance}. Mức đóng: {rate}/người/tháng.\nGhi đóng góp tháng nào?",
        EN: "💰 SAVINGS FUND — {unit}\nBalance: {balance}. Rate: {rate} per person a month.\nRecord which month?",
    },
    "fund.btn.month": {VI: "Tháng {month}", EN: "Month {month}"},
    "fund.btn.aid": {VI: "🤝 Đề xuất hỗ trợ", EN: "🤝 Propose aid"},
    "fund.btn.reverse": {VI: "↩️ Sửa sai một khoản", EN: "↩️ Correct an entry"},
    "fund.except": {
        VI: "Tháng {month}: đã ghi {done}/{members} người.\nTất cả người dưới đây đã nộp, trừ những người bạn bấm để đánh dấu ✖ chưa nộp.\nSẽ ghi: {count} người × {rate} = {total}.",
        EN: "Month {month}: {done}/{members} recorded.\nEveryone below has paid, except those you tap to mark ✖ not paid.\nTo record: {count} × {rate} = {total}.",
    },
    "fund.btn.paid": {VI: "✔️ {name}", EN: "✔️ {name}"},
    "fund.btn.not_paid": {VI: "✖ {name} (chưa nộp)", EN: "✖ {name} (not paid)"},
    "fund.btn.confirm": {VI: "✅ Xác nhận {count} người đã nộp", EN: "✅ Confirm {count} paid"},
    "fund.recorded": {
        VI: "✅ Đã ghi tháng {month}: {count} người × {rate} = {total}.\nSố dư quỹ: {balance}.",
        EN: "✅ Recorded for {month}: {count} × {rate} = {total}.\nFund balance: {balance}.",
    },
    "fund.recorded_already": {
        VI: "Lần xác nhận này đã được ghi rồi ({count} người, tháng {month}); không ghi thêm.\nSố dư quỹ: {balance}.",
        EN: "This confirmation was recorded already ({count} people, {month}); nothing added.\nFund balance: {balance}.",
    },
    "fund.ask_kind": {VI: "🤝 Đề xuất hỗ trợ — hỗ trợ cho ai?", EN: "🤝 Propose aid — for whom?"},
    "fund.kind.household": {VI: "Hộ nghèo", EN: "Poor household"},
    "fund.kind.member": {VI: "Đảng viên khó khăn", EN: "Party member in hardship"},
    "fund.ask_who": {VI: "Gõ tên hộ hoặc đảng viên được hỗ trợ (và thôn).", EN: "Type the name of the household or member (and village)."},
    "fund.ask_reason": {VI: "Gõ lý do hỗ trợ.", EN: "Type the reason for the aid."},
    "fund.ask_amount": {VI: "Gõ số tiền hỗ trợ (ví dụ: 500.000 hoặc 500k).", EN: "Type the amount (e.g. 500.000 or 500k)."},
    "fund.amount.decimal": {
        VI: "Số tiền tính bằng đồng chẵn, không có số lẻ. Xin gõ lại, ví dụ: 5.000 hoặc 5k.",
        EN: "Amounts are whole đồng, without decimals. Please type it again, e.g. 5.000 or 5k.",
    },
    "fund.amount.invalid": {
        VI: "Chưa hiểu số tiền này. Xin gõ một số lớn hơn 0, ví dụ: 5.000, 5.000 đ hoặc 5k.",
        EN: "That amount is not clear. Please type a number above 0, e.g. 5.000, 5.000 đ or 5k.",
    },
    "fund.amount.empty": {VI: "Xin gõ số tiền, ví dụ: 5.000.", EN: "Please type an amount, e.g. 5.000."},
    "fund.aid_review": {
        VI: "Đề xuất hỗ trợ:\n• {kind}: {who}\n• Lý do: {reason}\n• Số tiền: {amount}\nGửi để quản trị duyệt?",
        EN: "Aid proposal:\n• {kind}: {who}\n• Reason: {reason}\n• Amount: {amount}\nSend it for an admin's approval?",
    },
    "fund.btn.propose": {VI: "📨 Gửi đề xuất", EN: "📨 Send the proposal"},
    "fund.proposed": {
        VI: "✅ Đã ghi đề xuất số {number} ({amount}) và báo quản trị. Khi có quyết định, bot sẽ báo bạn.",
        EN: "✅ Proposal {number} recorded ({amount}) and sent to the admins. The bot tells you their decision.",
    },
    "fund.reverse_pick": {
        VI: "↩️ Chọn khoản cần sửa sai. Khoản đó được ghi đảo (bút toán ngược), không xóa.",
        EN: "↩️ Pick the entry to correct. It gets a reversing entry; nothing is deleted.",
    },
    "fund.reverse_none": {VI: "Chưa có khoản nào để sửa sai.", EN: "No entry to correct."},
    "fund.entry.contribution": {VI: "#{number} {name} — tháng {month} — {amount}", EN: "#{number} {name} — {month} — {amount}"},
    "fund.entry.aid": {VI: "#{number} hỗ trợ {who} {amount}", EN: "#{number} aid {who} {amount}"},
    "fund.reversed": {
        VI: "✅ Đã ghi bút toán đảo cho khoản #{number} (lý do: {reason}). Số dư quỹ: {balance}.",
        EN: "✅ Entry #{number} reversed (reason: {reason}). Fund balance: {balance}.",
    },
    "fund.reversed_already": {VI: "Khoản #{number} đã được sửa sai trước đó.", EN: "Entry #{number} was reversed already."},
    "fund.reverse_overdraw": {
        VI: "Không thể đảo khoản #{number}: số dư quỹ ({balance}) sẽ thành số âm.",
        EN: "Entry #{number} cannot be reversed: the balance ({balance}) would go below zero.",
    },
    "fund.stopped": {VI: "Đã dừng. Chưa ghi gì thêm.", EN: "Stopped. Nothing more was recorded."},
    "fund.use_buttons": {VI: "Xin chọn một nút ở trên (hoặc /huy để dừng).", EN: "Please choose a button above (or /cancel to stop)."},
    # --- /quy ---------------------------------------------------------------------------------
    "fund.none": {VI: "Chưa có quỹ tiết kiệm nào (chưa có thủ quỹ trong danh sách).", EN: "No savings fund yet (no treasurer on the roster)."},
    "fund.view_title": {VI: "💰 Quỹ tiết kiệm {unit}: số dư {balance}", EN: "💰 Savings fund {unit}: balance {balance}"},
    "fund.view_rate": {
        VI: "Tháng {month}: đã nộp {paid}/{members} người ({pct}%), mức {rate}/tháng",
        EN: "Month {month}: {paid}/{members} paid ({pct}%), rate {rate} a month",
    },
    "fund.view_aid": {VI: "Hỗ trợ gần đây:", EN: "Recent aid:"},
    "fund.view_no_aid": {VI: "Chưa chi hỗ trợ.", EN: "No aid paid yet."},
    "fund.aid_line": {VI: "• {date}: {who} ({kind}) — {amount} — {reason}", EN: "• {date}: {who} ({kind}) — {amount} — {reason}"},
    "fund.pending_title": {VI: "⏳ Đề xuất chờ duyệt:", EN: "⏳ Proposals awaiting approval:"},
    "fund.pending_line": {
        VI: "#{number} {unit}: {kind} {who} — {amount} — {reason}",
        EN: "#{number} {unit}: {kind} {who} — {amount} — {reason}",
    },
    "fund.btn.approve": {VI: "✅ Duyệt #{number}", EN: "✅ Approve #{number}"},
    "fund.btn.refuse": {VI: "✖ Không duyệt #{number}", EN: "✖ Refuse #{number}"},
    "fund.approved": {
        VI: "✅ Đã duyệt đề xuất #{number}: chi {amount}. Số dư quỹ: {balance}.",
        EN: "✅ Proposal #{number} approved: {amount} paid. Fund balance: {balance}.",
    },
    "fund.refused": {VI: "Đã ghi: không duyệt đề xuất #{number}.", EN: "Recorded: proposal #{number} refused."},
    "fund.decided_already": {VI: "Đề xuất #{number} đã được quyết định rồi.", EN: "Proposal #{number} was decided already."},
    "fund.overdraw": {
        VI: "Chưa duyệt được đề xuất #{number}: quỹ chỉ còn {balance}, không đủ chi {amount}. Số dư không được âm.",
        EN: "Proposal #{number} cannot be approved: the fund holds {balance}, not enough for {amount}. The balance may not go negative.",
    },
    "scope.fund_out_of_scope": {
        VI: "Quỹ này không thuộc đơn vị bạn quản lý.",
        EN: "This fund is outside the unit you administer.",
    },
    # --- /mucquy --------------------------------------------------------------------------------
    "fund.rates_title": {
        VI: "Mức đóng quỹ tiết kiệm mỗi tháng (mặc định {default}). Đổi: /mucquy MÃ_ĐƠN_VỊ 5.000",
        EN: "Monthly savings rates (default {default}). To change: /mucquy UNIT_CODE 5.000",
    },
    "fund.rate_line": {VI: "• {code} {unit}: {rate}", EN: "• {code} {unit}: {rate}"},
    "fund.rate_which_unit": {
        VI: "Xin ghi mã đơn vị, ví dụ: /mucquy KR 5.000",
        EN: "Please give the unit's code, e.g. /mucquy KR 5.000",
    },
    "fund.rate_set": {VI: "✅ Mức đóng của {unit}: {rate}/người/tháng.", EN: "✅ {unit}'s rate: {rate} per person a month."},
    # --- /cuatoi ----------------------------------------------------------------------------------
    "mine.fund": {VI: "💰 Tiết kiệm đã nộp: {months}", EN: "💰 Savings paid: {months}"},
    "mine.fund_month": {VI: "{month} ({amount})", EN: "{month} ({amount})"},
}

# --- baocao fund xlsx ---------------------------------------------------------------------------
TEXTS.update({
    "fundx.made": {VI: "Lập lúc {date}", EN: "Made {date}"},
    "fundx.contributions.sheet": {VI: "Đóng góp", EN: "Contributions"},
    "fundx.contributions.title": {VI: "QUỸ TIẾT KIỆM — ĐÓNG GÓP THEO CÁN BỘ VÀ THÁNG (đồng)", EN: "SAVINGS FUND — CONTRIBUTIONS BY CADRE AND MONTH (đồng)"},
    "fundx.aid.sheet": {VI: "Hỗ trợ", EN: "Aid"},
    "fundx.aid.title": {VI: "QUỸ TIẾT KIỆM — ĐỀ XUẤT VÀ CHI HỖ TRỢ (đồng)", EN: "SAVINGS FUND — AID PROPOSED AND PAID (đồng)"},
    "fundx.balances.sheet": {VI: "Số dư", EN: "Balance"},
    "fundx.balances.title": {VI: "QUỸ TIẾT KIỆM — THU, CHI, SỐ DƯ CUỐI THÁNG (đồng)", EN: "SAVINGS FUND — IN, OUT, BALANCE AT MONTH END (đồng)"},
    "fundx.unit": {VI: "Đơn vị", EN: "Unit"},
    "fundx.cadre": {VI: "Cán bộ", EN: "Cadre"},
    "fundx.total": {VI: "Cộng", EN: "Total"},
    "fundx.proposed_on": {VI: "Ngày đề xuất", EN: "Proposed on"},
    "fundx.kind": {VI: "Đối tượng", EN: "For"},
    "fundx.beneficiary": {VI: "Hộ / đảng viên", EN: "Household / member"},
    "fundx.reason": {VI: "Lý do", EN: "Reason"},
    "fundx.amount": {VI: "Số tiền", EN: "Amount"},
    "fundx.status": {VI: "Trạng thái", EN: "Status"},
    "fundx.decided_on": {VI: "Ngày quyết định", EN: "Decided on"},
    "fundx.status.pending": {VI: "Chờ duyệt", EN: "Awaiting approval"},
    "fundx.status.aid_approved": {VI: "Đã chi", EN: "Paid"},
    "fundx.status.aid_refused": {VI: "Không duyệt", EN: "Refused"},
    "fundx.status.reversed": {VI: "Đã chi, đã đảo", EN: "Paid, then reversed"},
    "fundx.month": {VI: "Tháng", EN: "Month"},
    "fundx.in": {VI: "Thu", EN: "In"},
    "fundx.out": {VI: "Chi", EN: "Out"},
    "fundx.balance": {VI: "Số dư cuối tháng", EN: "Balance at month end"},
})

# --- issue 14 part 1, the gaps: admins asked, the treasurer told, reversal reasons -------
TEXTS.update({
    "fund.ask_admin": {
        VI: "🤝 Đề xuất hỗ trợ #{number} — quỹ tiết kiệm {unit}\n• {kind}: {who}\n• Lý do: {reason}\n• Số tiền: {amount}\nSố dư quỹ: {balance}. Duyệt chi?",
        EN: "🤝 Aid proposal #{number} — savings fund {unit}\n• {kind}: {who}\n• Reason: {reason}\n• Amount: {amount}\nFund balance: {balance}. Approve it?",
    },
    "fund.told_approved": {
        VI: "✅ Đề xuất hỗ trợ #{number} ({who}, {amount}) đã được duyệt. Số dư quỹ: {balance}.",
        EN: "✅ Aid proposal #{number} ({who}, {amount}) was approved. Fund balance: {balance}.",
    },
    "fund.told_refused": {
        VI: "Đề xuất hỗ trợ #{number} ({who}, {amount}) không được duyệt. Số dư quỹ: {balance}.",
        EN: "Aid proposal #{number} ({who}, {amount}) was not approved. Fund balance: {balance}.",
    },
    "fund.own_proposal": {
        VI: "Bạn là người đề xuất khoản này; một quản trị khác sẽ duyệt.",
        EN: "You proposed this aid; another admin decides it.",
    },
    "fund.reverse_why": {
        VI: "↩️ Sửa sai khoản {entry}.\nLý do? Chọn một lý do dưới đây, hoặc gõ lý do khác.",
        EN: "↩️ Correcting {entry}.\nWhy? Choose a reason below, or type another one.",
    },
    "fund.reason.not_paid": {VI: "Thực tế chưa nộp", EN: "Not actually paid"},
    "fund.reason.wrong_person": {VI: "Ghi nhầm người", EN: "Recorded for the wrong person"},
    "fund.reason.wrong_month": {VI: "Ghi nhầm tháng", EN: "Recorded for the wrong month"},
    "fund.reason.twice": {VI: "Ghi trùng hai lần", EN: "Recorded twice"},
    "fund.reason.aid_returned": {VI: "Tiền hỗ trợ được hoàn lại quỹ", EN: "The aid was paid back to the fund"},
    "fund.reason.aid_not_paid": {VI: "Thực tế chưa chi", EN: "Not actually paid out"},
})
