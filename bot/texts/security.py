"""Texts of scope checks and refusals (issue 12): who may act on whom, and where."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "scope.cadre_out_of_scope": {
        VI: "Đồng chí {code} ở ngoài phạm vi quản trị của đồng chí (hoặc là quản trị viên cấp "
        "trên), nên không thể thực hiện thao tác này. Xin liên hệ quản trị viên cấp trên.",
        EN: "{code} is outside the scope you administer (or is an admin of a wider scope), "
        "so you cannot do this. Please ask an admin of the higher level.",
    },
    "scope.org_setting": {
        VI: "Thiết lập này áp dụng cho toàn tổ chức, nên chỉ quản trị viên cấp cao nhất được "
        "thay đổi. Xin đề nghị quản trị viên cấp cao nhất.",
        EN: "This setting applies to the whole organisation, so only admins of the top level "
        "may change it. Please ask one of them.",
    },
    "scope.cell_out_of_scope": {
        VI: "Chi bộ này ở ngoài phạm vi quản trị của đồng chí, nên không miễn báo cáo được.",
        EN: "This cell is outside the scope you administer, so you cannot excuse it.",
    },
    "unknown_user_button": {
        VI: "Tài khoản này chưa liên kết với cán bộ nào trong danh sách.",
        EN: "This account is not linked to any cadre on the roster.",
    },
}
