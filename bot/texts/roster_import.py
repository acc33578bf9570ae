"""Texts of the roster import's problems (bot/roster_import), as ``baocao import`` words
them in BAOCAO_LANGUAGE. The English ones are also each problem's ``reason`` (logs, tests)."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "import.or": {VI: " hoặc ", EN: " or "},
    # --- the files ------------------------------------------------------------------------
    "import.unsupported": {
        VI: "không đọc được loại tệp '{suffix}': xin lưu danh sách dạng .xlsx hoặc .csv",
        EN: "unsupported file type '{suffix}': save the roster as .xlsx or .csv",
    },
    "import.not_utf8": {
        VI: "không phải văn bản UTF-8: xin lưu lại dạng 'CSV UTF-8'",
        EN: "not UTF-8 text: save it as 'CSV UTF-8'",
    },
    "import.no_file": {VI: "không có tệp này", EN: "no such file"},
    "import.unreadable": {VI: "không đọc được tệp: {detail}", EN: "cannot read the file: {detail}"},
    "import.no_files": {VI: "chưa chọn tệp danh sách nào", EN: "no roster files given"},
    "import.unknown_sheet": {
        VI: "không rõ trang '{title}': cần các trang {expected}",
        EN: "unknown sheet '{title}': expected {expected}",
    },
    "import.sheet_twice": {
        VI: "trang {sheet} có hai lần: {first} và {second}",
        EN: "sheet {sheet} given twice: {first} and {second}",
    },
    "import.sheet_in_file": {VI: "trang tính '{sheet}' trong tệp {file}", EN: "'{sheet}' in {file}"},
    "import.two_columns": {
        VI: "hai cột cùng là {column}: '{first}' và '{second}'",
        EN: "two columns for {column}: '{first}' and '{second}'",
    },
    "import.missing_column": {
        VI: "thiếu cột '{header}' ({column})",
        EN: "missing column {column} ('{header}')",
    },
    # --- the rows -------------------------------------------------------------------------
    "import.missing": {VI: "thiếu {column}", EN: "missing {column}"},
    "import.unknown_choice": {
        VI: "không rõ {column} '{value}': dùng {choices}",
        EN: "unknown {column} '{value}': use {choices}",
    },
    "import.two_roles": {
        VI: "mỗi cán bộ một vai trò, không phải '{value}': thêm 'thủ quỹ' nếu người đó giữ quỹ",
        EN: "one role per cadre, not '{value}': add 'thủ quỹ' (treasurer) if they keep the fund",
    },
    "import.unknown_ref": {VI: "không có {noun} mã '{code}'", EN: "unknown {noun} '{code}'"},
    "import.noun.parent": {VI: "đơn vị cấp trên", EN: "parent"},
    "import.noun.unit": {VI: "đơn vị", EN: "unit"},
    "import.noun.cadre": {VI: "cán bộ", EN: "cadre"},
    "import.noun.cell": {VI: "chi bộ", EN: "cell"},
    "import.noun.secretary": {VI: "bí thư", EN: "secretary"},
    "import.noun.place": {VI: "địa bàn", EN: "place"},
    "import.noun.owner": {VI: "đơn vị chủ trì", EN: "owner unit"},
    "import.bad_date": {
        VI: "ngày '{value}' không đúng: xin ghi ngày/tháng/năm (dd/mm/yyyy)",
        EN: "malformed date '{value}': write dd/mm/yyyy",
    },
    "import.bad_phone": {VI: "số điện thoại '{value}' không đúng: {detail}", EN: "malformed phone '{value}': {detail}"},
    "import.phone.foreign": {VI: "không phải số Việt Nam", EN: "not a Vietnamese number"},
    "import.phone.digits": {VI: "số điện thoại chỉ gồm chữ số", EN: "a phone number has only digits"},
    "import.phone.length": {
        VI: "số di động Việt Nam có 10 chữ số, bắt đầu bằng 0",
        EN: "a Vietnamese mobile number has 10 digits, starting with 0",
    },
    "import.phone.not_mobile": {VI: "không phải số di động Việt Nam", EN: "not a Vietnamese mobile number"},
    "import.phone_taken": {
        VI: "số điện thoại {phone} đã là của cán bộ '{code}' ({where})",
        EN: "phone {phone} also belongs to cadre '{code}' ({where})",
    },
    "import.where_row": {VI: "dòng {row}", EN: "row {row}"},
    "import.where_db": {VI: "trong cơ sở dữ liệu", EN: "in the database"},
    "import.code_breaker": {
        VI: "mã '{code}' không được chứa dấu ';' hoặc ','",
        EN: "code '{code}' must not contain ';' or ','",
    },
    "import.duplicate_code": {
        VI: "mã '{code}' bị trùng (đã có ở dòng {row})",
        EN: "duplicate code '{code}' (also row {row})",
    },
    "import.merged_into_itself": {
        VI: "đơn vị '{code}' không thể sáp nhập vào chính nó",
        EN: "unit '{code}' cannot be merged into itself",
    },
    "import.merger_date_missing": {
        VI: "thiếu ngày sáp nhập: từ ngày nào đơn vị thuộc '{code}'?",
        EN: "missing merger date: from when is it part of '{code}'?",
    },
    "import.merger_date_alone": {
        VI: "có ngày sáp nhập nhưng thiếu đơn vị được sáp nhập vào",
        EN: "a merger date without the unit it was merged into",
    },
    "import.bad_meets_on": {
        VI: "không đọc được '{value}': xin ghi ngày trong tháng và giờ, ví dụ 'ngày 5 hằng tháng 19:30'",
        EN: "cannot read '{value}': write the day of the month and the time, e.g. 'ngày 5 hằng tháng 19:30'",
    },
    "import.secretary_not_cadre": {
        VI: "bí thư '{code}' không phải mã cán bộ (đó là mã {other})",
        EN: "secretary '{code}' is not a cadre (it is a {other} code)",
    },
    "import.end_before_start": {
        VI: "ngày kết thúc {end} trước ngày bắt đầu {start}",
        EN: "end date {end} is before start date {start}",
    },
    "import.duplicate_assignment": {
        VI: "phân công '{cadre}' về '{cell}' từ {start} bị trùng (đã có ở dòng {row})",
        EN: "duplicate assignment of '{cadre}' to '{cell}' from {start} (also row {row})",
    },
    # --- the tree of units ------------------------------------------------------------------
    "import.cycle_parents": {VI: "vòng lặp cấp trên: {path}", EN: "cycle in parent units: {path}"},
    "import.cycle_mergers": {VI: "vòng lặp sáp nhập: {path}", EN: "cycle in mergers: {path}"},
    "import.province_under": {
        VI: "tỉnh không thể thuộc đơn vị khác ('{parent}')",
        EN: "a province cannot be under another unit ('{parent}')",
    },
    "import.wrong_parent": {
        VI: "{kind} phải thuộc {kinds}, nhưng cấp trên '{parent}' là {parent_kind}",
        EN: "a {kind} belongs under a {kinds}, but parent '{parent}' is a {parent_kind}",
    },
    "import.child_in_db": {
        VI: "{kind} '{code}' trong cơ sở dữ liệu đang thuộc đơn vị này, mà {kind} không thể thuộc {above}",
        EN: "{kind} '{code}' in the database is under it, and a {kind} cannot be under a {above}",
    },
}
