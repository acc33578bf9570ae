"""Texts of scope checks and refusals (issue 12): who may act on whom, and where."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "scope.cadre_out_of_scope": {
        VI: "Đồng chí {code} ở ngoài phạm vi quản trị của đồng chí (hoặc là quản trị viên cấp "
        "trên), nên không thể thực hiện thao tác này. Xin liên hệ quản trị viên cấp trên.",
        EN: "{code} is outside the scope you administer (or is an admin of a wider scope), "
        "so you cannot do this. Please ask an admin of the higher level.",
    },
}
