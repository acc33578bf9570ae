"""Writes the 2026 sample roster: examples/commune/roster.xlsx and examples/commune/csv/*.csv.

Since 1 July 2025 there are no districts: the Party Committee of a merged commune assigns
its members (đảng ủy viên) to the village cells, as the Kon Rẫy district committee did in
the 2021 article. This roster is such a committee's: the commune Đăk Ruồng, into which
the old communes Tân Lập, Đăk Ruồng and Đăk Tờ Re of that article are merged, in the
province of Quảng Ngãi (which Kon Tum joined). The merger as drawn here is illustrative;
the places and models come from the article, the people and phone numbers are invented.

The old communes keep their rows, marked ``merged_into`` the new one, and their villages
stay under them: the history of the district years stays readable, and the new commune's
summaries count those villages' cells from the merger date.

    python examples/make_commune_roster.py            # writes examples/commune/
    python examples/make_commune_roster.py OUT_DIR    # writes elsewhere
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_roster import VIETNAMESE_SHEETS, roster_of, write_csvs, write_xlsx  # noqa: E402

START = date(2026, 1, 1)
MERGED_ON = date(2025, 7, 1)
COMMUNE = "XA-DRUONG"

SHEETS = {
    **VIETNAMESE_SHEETS,
    "units": ("Đơn vị", {
        "code": "Mã", "name": "Tên", "kind": "Cấp", "parent_code": "Mã cấp trên",
        "merged_into": "Sáp nhập vào", "merged_on": "Ngày sáp nhập"}),
}

# The old communes merged into Đăk Ruồng: (code, name, kind, numbers of their villages).
OLD_COMMUNES = [
    ("KR-TLAP", "Tân Lập", "xã", range(1, 6)),
    ("KR-DRUONG", "Đăk Ruồng", "xã", range(1, 14)),
    ("KR-DTRE", "Đăk Tờ Re", "xã", range(1, 9)),
]

# Cell secretaries (bí thư chi bộ): village code → cadre code.
SECRETARIES = {"KR-DRUONG-T9": "CAN-023", "KR-DRUONG-T12": "CAN-024", "KR-TLAP-T3": "CAN-025"}

# (code, full name, phone, role, title, unit, active, village cells assigned from START)
CADRES = [
    ("CAN-001", "Nguyễn Văn Hùng", "0912345001", "đảng ủy viên", "Đảng ủy viên, Trưởng Ban Xây dựng Đảng", COMMUNE, "có", ["KR-DRUONG-T9", "KR-DRUONG-T12"]),
    ("CAN-002", "Trần Thị Thu Hà", "0912345002", "quản trị", "Chánh Văn phòng Đảng ủy xã", COMMUNE, "có", []),
    ("CAN-003", "Lê Văn Thắng", "0905 210 003", "đảng ủy viên", "Bí thư Đảng ủy xã", COMMUNE, "có", ["KR-TLAP-T1"]),
    ("CAN-004", "Phạm Thị Hồng Nhung", "0935.210.004", "đảng ủy viên", "Phó Bí thư Thường trực Đảng ủy xã", COMMUNE, "có", ["KR-TLAP-T2", "KR-TLAP-T3"]),
    ("CAN-005", "A Vương", "0983 210 005", "đảng ủy viên", "Phó Bí thư Đảng ủy, Chủ tịch UBND xã", COMMUNE, "có", ["KR-TLAP-T4", "KR-TLAP-T5"]),
    ("CAN-006", "Đỗ Minh Tuấn", "0978 210 006", "đảng ủy viên", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy xã", COMMUNE, "có", ["KR-DRUONG-T1", "KR-DRUONG-T2"]),
    ("CAN-007", "Y Hoa", "0356 210 007", "đảng ủy viên", "Chủ tịch Ủy ban MTTQ Việt Nam xã", COMMUNE, "có", ["KR-DRUONG-T3", "KR-DRUONG-T4"]),
    ("CAN-008", "Hoàng Văn Long", "0388 210 008", "đảng ủy viên", "Trưởng Công an xã", COMMUNE, "có", ["KR-DRUONG-T5", "KR-DRUONG-T6"]),
    ("CAN-009", "Vũ Thị Mai", "0868 210 009", "đảng ủy viên", "Phó Chủ tịch UBND xã", COMMUNE, "có", ["KR-DRUONG-T7", "KR-DRUONG-T8"]),
    ("CAN-010", "Bùi Quang Huy", "0983456010", "đảng ủy viên", "Chỉ huy trưởng Ban Chỉ huy Quân sự xã", COMMUNE, "có", ["KR-DRUONG-T10", "KR-DRUONG-T11"]),
    ("CAN-011", "Ngô Đức Thịnh", "0945 210 011", "đảng ủy viên", "Phó Chủ tịch HĐND xã", COMMUNE, "có", ["KR-DRUONG-T13", "KR-DTRE-T1"]),
    ("CAN-012", "Đặng Văn Khoa", "0905 210 012", "đảng ủy viên", "Trưởng phòng Kinh tế xã", COMMUNE, "có", ["KR-DTRE-T2", "KR-DTRE-T3"]),
    ("CAN-013", "Trịnh Thị Lan", "0935 210 013", "đảng ủy viên", "Chủ tịch Hội Liên hiệp Phụ nữ xã", COMMUNE, "có", ["KR-DTRE-T4", "KR-DTRE-T5"]),
    ("CAN-014", "A Dũng", "0983 210 014", "đảng ủy viên", "Bí thư Đoàn xã", COMMUNE, "có", ["KR-DTRE-T6", "KR-DTRE-T7"]),
    ("CAN-015", "Phan Văn Tài", "0978 210 015", "đảng ủy viên", "Trưởng phòng Văn hóa - Xã hội xã", COMMUNE, "có", ["KR-DTRE-T8", "KR-DRUONG-T9"]),
    ("CAN-016", "Lý Thị Hạnh", "0356 210 016", "đảng ủy viên", "Phó Chủ tịch Ủy ban MTTQ Việt Nam xã", COMMUNE, "có", ["KR-DRUONG-T12", "KR-DRUONG-T13"]),
    ("CAN-022", "Cao Văn Bình", "0983 210 022", "đảng ủy viên", "Nguyên Phó Chủ tịch UBND xã Tân Lập (đã chuyển công tác)", COMMUNE, "không", []),
    ("CAN-023", "A Thuận", "0978 210 023", "bí thư", "Bí thư Chi bộ thôn 9", "KR-DRUONG-T9", "có", []),
    ("CAN-024", "Y Liên", "0356 210 024", "bí thư", "Bí thư Chi bộ thôn 12", "KR-DRUONG-T12", "có", []),
    ("CAN-025", "Nguyễn Thị Kim Oanh", "0388 210 025", "bí thư", "Bí thư Chi bộ thôn 3", "KR-TLAP-T3", "có", []),
]

# Transfers: (cadre, village cell, from, until) besides the assignments above.
TRANSFERS = [
    ("CAN-022", "KR-TLAP-T4", date(2025, 7, 1), date(2025, 12, 31)),  # left the commune
]

# (code, name, level, owner: a unit code or free text, place codes, description)
MODELS = [
    ("MH-ATGT", "Khu dân cư đảm bảo an toàn giao thông", "cơ sở", "KR-DRUONG",
     ["KR-DRUONG-T9", "KR-DRUONG-T12", "KR-DRUONG-T13"], "Thôn 9, 12, 13 (xã Đăk Ruồng cũ)."),
    ("MH-HAMON", "Khu dân cư văn hóa kiểu mẫu không còn tà đạo Hà Mòn", "cơ sở", COMMUNE,
     ["KR-DRUONG-T11", "KR-DRUONG-T12", "KR-DTRE-T4", "KR-DTRE-T8"], ""),
    ("MH-VSMT", "Khu dân cư đảm bảo vệ sinh môi trường", "cơ sở", "KR-DRUONG", ["KR-DRUONG-T8"], ""),
    ("MH-KDCVH", "Khu dân cư văn hóa kiểu mẫu", "điểm cấp tỉnh", "Ủy ban MTTQ Việt Nam xã", ["KR-DRUONG-T10"], ""),
    ("MH-MATUY", "Khu dân cư phòng, chống ma túy", "cơ sở", "KR-TLAP", ["KR-TLAP-T3"], "Thôn 3 (xã Tân Lập cũ)."),
    ("MH-ANTT", "Khu dân cư an toàn về an ninh trật tự", "điểm cấp tỉnh", "KR-TLAP", ["KR-TLAP-T2"], "Thành lập năm 2019."),
]

def units() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"code": "QNG", "name": "Quảng Ngãi", "kind": "tỉnh", "parent_code": None},
        {"code": COMMUNE, "name": "Đăk Ruồng", "kind": "xã", "parent_code": "QNG"},
    ]
    for code, name, kind, _ in OLD_COMMUNES:
        rows.append({"code": code, "name": name, "kind": kind, "parent_code": None,
                     "merged_into": COMMUNE, "merged_on": MERGED_ON})
    for code, _, _, numbers in OLD_COMMUNES:
        rows += [{"code": f"{code}-T{n}", "name": f"Thôn {n}", "kind": "thôn", "parent_code": code} for n in numbers]
    return [{"merged_into": None, "merged_on": None} | row for row in rows]


def roster() -> dict[str, list[dict[str, object]]]:
    return roster_of(units(), CADRES, SECRETARIES, TRANSFERS, MODELS, START)


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "commune"
    out.mkdir(parents=True, exist_ok=True)
    data = roster()
    write_xlsx(out / "roster.xlsx", data, SHEETS)
    write_csvs(out / "csv", data, SHEETS)
    counts = ", ".join(f"{len(rows)} {sheet}" for sheet, rows in data.items())
    print(f"wrote {out / 'roster.xlsx'} and {out / 'csv'}/*.csv: {counts}")


if __name__ == "__main__":
    main(sys.argv)
