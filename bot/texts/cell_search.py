"""Finding a cell by typing its name: a merged commune has well over a hundred cells."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "cellsearch.hint": {
        VI: "Hoặc gõ tên chi bộ, thôn để tìm (không cần dấu, ví dụ: thon 9).",
        EN: "Or type the name of the cell or village to find it (no accents needed, e.g. thon 9).",
    },
    "cellsearch.found": {
        VI: "🔎 {count} chi bộ khớp «{query}» (chi bộ của đồng chí lên đầu). Chọn chi bộ đã dự, "
        "hoặc gõ thêm để lọc:",
        EN: "🔎 {count} cell(s) match «{query}» (yours first). Choose the one you attended, or "
        "type more to narrow it down:",
    },
    "cellsearch.none": {
        VI: "Không tìm thấy chi bộ nào khớp «{query}». Xin gõ tên khác (ví dụ: thon 9, dak ruong), "
        "hoặc quay lại danh sách.",
        EN: "No cell matches «{query}». Please type another name (e.g. thon 9, dak ruong), or go "
        "back to the list.",
    },
}
