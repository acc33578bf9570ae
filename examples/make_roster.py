"""Writes the sample roster: examples/roster.xlsx and examples/csv/*.csv.

The places come from two provincial news articles about the work the bot serves: the
district of Kon Rẫy (Kon Tum) and its models of following Uncle Hồ's example, and the
district of Mộ Đức (Quảng Ngãi), which assigns its committee members to village cells.
The people and phone numbers are invented.

The workbook uses Vietnamese sheet names, headers and values, as a district office would;
the CSV files use English ones. Both describe the same roster, so importing either gives
the same database.

    python examples/make_roster.py            # writes next to this script
    python examples/make_roster.py OUT_DIR    # writes elsewhere
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

START = date(2026, 1, 1)

# --- places --------------------------------------------------------------------------------


def _thon(*numbers: int) -> list[tuple[str, str, str]]:
    return [(f"T{n}", f"Thôn {n}", "thôn") for n in numbers]


# (code, name, kind) of provinces and districts, with the district's province.
TOP_UNITS = [
    ("KT", "Kon Tum", "tỉnh", None),
    ("KR", "Kon Rẫy", "huyện", "KT"),
    ("QN", "Quảng Ngãi", "tỉnh", None),
    ("MD", "Mộ Đức", "huyện", "QN"),
]

# Communes: (code, name, kind, district, villages as (code suffix, name, kind)).
COMMUNES = [
    ("KR-TLAP", "Tân Lập", "xã", "KR", _thon(1, 2, 3, 4, 5)),
    ("KR-DRUONG", "Đăk Ruồng", "xã", "KR", _thon(*range(1, 14))),
    ("KR-DTRE", "Đăk Tờ Re", "xã", "KR", _thon(*range(1, 9))),
    ("KR-DPNE", "Đăk Pne", "xã", "KR", _thon(1, 2, 3, 4)),
    ("KR-DRVE", "Đăk Rve", "thị trấn", "KR", _thon(1, 2, 3, 4, 5)),
    (
        "KR-DKOI", "Đăk Kôi", "xã", "KR",
        _thon(1, 2, 3, 4, 5, 6, 7, 10) + [("KONSKOI", "Làng Kon Skôi", "làng")],
    ),
    (
        "MD-DHOA", "Đức Hòa", "xã", "MD",
        [("ANBA", "Thôn An Ba", "thôn"), ("KTHACH", "Thôn Kim Thạch", "thôn"),
         ("DQUANG", "Thôn Đông Quang", "thôn")],
    ),
    (
        "MD-DHIEP", "Đức Hiệp", "xã", "MD",
        [("LTHUONG", "Thôn Lâm Thượng", "thôn"), ("PSON", "Thôn Phước Sơn", "thôn"),
         ("GIAAN", "Thôn Gia An", "thôn")],
    ),
    (
        "MD-DTHANH", "Đức Thạnh", "xã", "MD",
        [("TTDONG", "Thôn Thạch Trụ Đông", "thôn"), ("TTTAY", "Thôn Thạch Trụ Tây", "thôn"),
         ("TDINH", "Thôn Tân Định", "thôn")],
    ),
    (
        "MD-DCHANH", "Đức Chánh", "xã", "MD",
        [("TTHANG", "Thôn Thạch Thang", "thôn"), ("LHA", "Thôn Lâm Hạ", "thôn"),
         ("ATHANH", "Thôn An Thành", "thôn")],
    ),
    (
        "MD-TT", "Thị trấn Mộ Đức", "thị trấn", "MD",
        [(f"TDP{n}", f"Tổ dân phố {n}", "tổ dân phố") for n in (1, 2, 3)],
    ),
]

# Cell secretaries (bí thư chi bộ): village code → cadre code (the cadres are below).
SECRETARIES = {
    "KR-DRUONG-T9": "CAN-023",
    "KR-DRUONG-T12": "CAN-024",
    "KR-TLAP-T3": "CAN-025",
    "KR-DPNE-T1": "CAN-026",
    "MD-DHOA-KTHACH": "CAN-036",
    "MD-TT-TDP1": "CAN-037",
}

# --- people --------------------------------------------------------------------------------

# (code, full name, phone, role, title, unit, active, village cells assigned from START)
CADRES = [
    ("CAN-001", "Nguyễn Văn Hùng", "0912345001", "cấp ủy viên", "Huyện ủy viên, Trưởng Ban Tuyên giáo Huyện ủy", "KR", "có", ["KR-DRUONG-T9", "KR-DRUONG-T12"]),
    ("CAN-002", "Trần Thị Thu Hà", "0912345002", "quản trị", "Chánh Văn phòng Huyện ủy", "KR", "có", []),
    ("CAN-003", "Lê Văn Thắng", "0905 210 003", "cấp ủy viên", "Bí thư Huyện ủy", "KR", "có", ["KR-TLAP-T1"]),
    ("CAN-004", "Phạm Thị Hồng Nhung", "0935.210.004", "cấp ủy viên", "Phó Bí thư Thường trực Huyện ủy", "KR", "có", ["KR-TLAP-T2", "KR-TLAP-T3"]),
    ("CAN-005", "A Vương", "0983 210 005", "cấp ủy viên", "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện", "KR", "có", ["KR-TLAP-T4", "KR-TLAP-T5"]),
    ("CAN-006", "Đỗ Minh Tuấn", "0978 210 006", "cấp ủy viên", "Trưởng Ban Tổ chức Huyện ủy", "KR", "có", ["KR-DRUONG-T1", "KR-DRUONG-T2", "KR-DRUONG-T3"]),
    ("CAN-007", "Y Hoa", "0356 210 007", "cấp ủy viên", "Chủ tịch Ủy ban MTTQ Việt Nam huyện", "KR", "có", ["KR-DRUONG-T4", "KR-DRUONG-T5"]),
    ("CAN-008", "Hoàng Văn Long", "0388 210 008", "cấp ủy viên", "Chủ nhiệm Ủy ban Kiểm tra Huyện ủy", "KR", "có", ["KR-DRUONG-T6", "KR-DRUONG-T7", "KR-DRUONG-T8"]),
    ("CAN-009", "Vũ Thị Mai", "0868 210 009", "cấp ủy viên", "Trưởng Ban Dân vận Huyện ủy", "KR", "có", ["KR-DRUONG-T10", "KR-DRUONG-T11"]),
    ("CAN-010", "Bùi Quang Huy", "0983456010", "cấp ủy viên", "Phó Chủ tịch UBND huyện", "KR", "có", ["KR-DRUONG-T13", "KR-DTRE-T1"]),
    ("CAN-011", "Ngô Đức Thịnh", "0945 210 011", "cấp ủy viên", "Trưởng Công an huyện", "KR", "có", ["KR-DTRE-T2", "KR-DTRE-T3"]),
    ("CAN-012", "Đặng Văn Khoa", "0905 210 012", "cấp ủy viên", "Chỉ huy trưởng Ban Chỉ huy Quân sự huyện", "KR", "có", ["KR-DTRE-T4", "KR-DTRE-T5"]),
    ("CAN-013", "Trịnh Thị Lan", "0935 210 013", "cấp ủy viên", "Chánh án Tòa án nhân dân huyện", "KR", "có", ["KR-DTRE-T6", "KR-DTRE-T7", "KR-DTRE-T8"]),
    ("CAN-014", "A Dũng", "0983 210 014", "cấp ủy viên", "Huyện ủy viên, Bí thư Đảng ủy xã Đăk Tờ Re", "KR", "có", ["KR-DPNE-T1", "KR-DPNE-T2"]),
    ("CAN-015", "Phan Văn Tài", "0978 210 015", "cấp ủy viên", "Huyện ủy viên, Bí thư Huyện đoàn", "KR", "có", ["KR-DPNE-T3", "KR-DPNE-T4"]),
    ("CAN-016", "Lý Thị Hạnh", "0356 210 016", "cấp ủy viên", "Chủ tịch Hội Liên hiệp Phụ nữ huyện", "KR", "có", ["KR-DRVE-T1", "KR-DRVE-T5"]),
    ("CAN-017", "Đinh Công Thành", "0388 210 017", "cấp ủy viên", "Huyện ủy viên, Trưởng phòng Nông nghiệp và PTNT", "KR", "có", ["KR-DRVE-T3", "KR-DRVE-T4"]),
    ("CAN-018", "Huỳnh Văn Phúc", "0868 210 018", "cấp ủy viên", "Huyện ủy viên, Bí thư Đảng ủy thị trấn Đăk Rve", "KR", "có", ["KR-DKOI-T1", "KR-DKOI-T2"]),
    ("CAN-019", "Y Thương", "0945 210 019", "cấp ủy viên", "Huyện ủy viên, Phó Trưởng Ban Dân vận Huyện ủy", "KR", "có", ["KR-DKOI-T3", "KR-DKOI-T4"]),
    ("CAN-020", "Mai Xuân Trường", "0905 210 020", "cấp ủy viên", "Huyện ủy viên, Chánh Thanh tra huyện", "KR", "có", ["KR-DKOI-T5", "KR-DKOI-T6", "KR-DKOI-T7"]),
    ("CAN-021", "Tạ Quang Vinh", "0935 210 021", "cấp ủy viên", "Huyện ủy viên, Trưởng phòng Lao động - Thương binh và Xã hội", "KR", "có", ["KR-DKOI-T10", "KR-DKOI-KONSKOI"]),
    ("CAN-022", "Cao Văn Bình", "0983 210 022", "cấp ủy viên", "Nguyên Phó Chủ tịch UBND huyện (đã chuyển công tác)", "KR", "không", []),
    ("CAN-023", "A Thuận", "0978 210 023", "bí thư", "Bí thư Chi bộ thôn 9", "KR-DRUONG-T9", "có", []),
    ("CAN-024", "Y Liên", "0356 210 024", "bí thư", "Bí thư Chi bộ thôn 12", "KR-DRUONG-T12", "có", []),
    ("CAN-025", "Nguyễn Thị Kim Oanh", "0388 210 025", "bí thư", "Bí thư Chi bộ thôn 3", "KR-TLAP-T3", "có", []),
    ("CAN-026", "A Phiên", "0868 210 026", "bí thư", "Bí thư Chi bộ thôn 1", "KR-DPNE-T1", "có", []),
    ("CAN-027", "Trương Công Minh", "0945 210 027", "cấp ủy viên", "Bí thư Huyện ủy", "MD", "có", ["MD-DHOA-DQUANG", "MD-DHOA-KTHACH"]),
    ("CAN-028", "Lê Thị Thanh Tâm", "0905 210 028", "cấp ủy viên", "Phó Bí thư Thường trực Huyện ủy", "MD", "có", ["MD-DHOA-ANBA", "MD-DHIEP-LTHUONG"]),
    ("CAN-029", "Phạm Ngọc Sơn", "0935210029", "cấp ủy viên", "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện", "MD", "có", ["MD-DHIEP-PSON", "MD-DHIEP-GIAAN"]),
    ("CAN-030", "Võ Thị Ngọc Ánh", "0983 210 030", "cấp ủy viên", "Trưởng Ban Tuyên giáo Huyện ủy", "MD", "có", ["MD-DTHANH-TTDONG", "MD-DTHANH-TTTAY", "MD-DTHANH-TDINH"]),
    ("CAN-031", "Huỳnh Tấn Lộc", "0978 210 031", "cấp ủy viên", "Chủ nhiệm Ủy ban Kiểm tra Huyện ủy", "MD", "có", ["MD-DCHANH-TTHANG", "MD-DCHANH-LHA"]),
    ("CAN-032", "Nguyễn Hữu Phước", "0356 210 032", "cấp ủy viên", "Trưởng Ban Dân vận Huyện ủy", "MD", "có", ["MD-DCHANH-ATHANH", "MD-TT-TDP1"]),
    ("CAN-033", "Đoàn Thị Thu", "0388 210 033", "cấp ủy viên", "Chủ tịch Ủy ban MTTQ Việt Nam huyện", "MD", "có", ["MD-TT-TDP2", "MD-TT-TDP3"]),
    ("CAN-034", "Trần Văn Quang", "0868 210 034", "cấp ủy viên", "Huyện ủy viên, Trưởng phòng Lao động - Thương binh và Xã hội", "MD", "có", ["MD-DHOA-KTHACH"]),
    ("CAN-035", "Phan Thị Mỹ Linh", "0945 210 035", "quản trị", "Chuyên viên Văn phòng Huyện ủy", "MD", "có", []),
    ("CAN-036", "Võ Văn Tám", "0905 210 036", "bí thư", "Bí thư Chi bộ thôn Kim Thạch", "MD-DHOA-KTHACH", "có", []),
    ("CAN-037", "Lê Thị Sen", "0935 210 037", "bí thư", "Bí thư Chi bộ tổ dân phố 1", "MD-TT-TDP1", "có", []),
    ("CAN-038", "Đặng Quốc Việt", "0983 210 038", "cấp ủy viên", "Huyện ủy viên, Bí thư Đảng ủy xã Đức Chánh", "MD", "có", ["MD-DCHANH-TTHANG"]),
    ("CAN-039", "Nguyễn Thị Bích Ngọc", "0978 210 039", "cấp ủy viên", "Huyện ủy viên, Phó Trưởng Ban Tuyên giáo Huyện ủy", "KR", "có", ["KR-DRUONG-T9"]),
    ("CAN-040", "Lương Văn Hải", "0356 210 040", "cấp ủy viên", "Huyện ủy viên, Giám đốc Trung tâm Chính trị huyện", "KR", "có", ["KR-DTRE-T4"]),
]

# Phones typed as numbers in the workbook: Excel drops their leading 0.
PHONES_AS_NUMBERS = {"CAN-010", "CAN-029"}

# Transfers: (cadre, village cell, from, until) besides the assignments above.
TRANSFERS = [
    ("CAN-022", "KR-DKOI-T1", date(2025, 1, 1), date(2025, 12, 31)),  # left the district
    ("CAN-016", "KR-DRVE-T2", START, date(2026, 3, 31)),  # handed over after Q1 …
    ("CAN-017", "KR-DRVE-T2", date(2026, 4, 1), None),  # … to CAN-017
    ("CAN-038", "MD-DTHANH-TDINH", date(2025, 1, 1), date(2025, 12, 31)),  # moved commune
]

# (code, name, level, owner: a unit code or free text, place codes, description)
MODELS = [
    ("MH-KDCVH", "Khu dân cư văn hóa kiểu mẫu", "điểm cấp tỉnh", "Ủy ban MTTQ Việt Nam huyện Kon Rẫy",
     ["KR-DRUONG-T10", "KR-DPNE-T2", "KR-DRVE-T2", "KR-DRVE-T3"], "Mô hình điểm cấp tỉnh, Mặt trận huyện theo dõi."),
    ("MH-ATGT", "Khu dân cư đảm bảo an toàn giao thông", "cơ sở", "KR-DRUONG",
     ["KR-DRUONG-T9", "KR-DRUONG-T12", "KR-DRUONG-T13"], "Thôn 9, 12, 13 xã Đăk Ruồng."),
    ("MH-HAMON", "Khu dân cư văn hóa kiểu mẫu không còn tà đạo Hà Mòn", "cơ sở", "KR",
     ["KR-DRUONG-T11", "KR-DRUONG-T12", "KR-DTRE-T4", "KR-DTRE-T8"], ""),
    ("MH-NUOCSACH", "Nước sạch vệ sinh môi trường", "cơ sở", "KR-DPNE", ["KR-DPNE-T1"], "Thôn 1 xã Đăk Pne."),
    ("MH-MATUY", "Khu dân cư phòng, chống ma túy", "cơ sở", "KR-TLAP", ["KR-TLAP-T3"], "Thôn 3 xã Tân Lập."),
    ("MH-ANTT", "Khu dân cư an toàn về an ninh trật tự", "điểm cấp tỉnh", "KR-TLAP", ["KR-TLAP-T2"], "Thành lập năm 2019."),
    ("MH-VUONTAP", "Vệ sinh môi trường và cải tạo vườn tạp", "cấp huyện", "KR", ["KR-DKOI-T1"],
     "Cuộc vận động thay đổi nếp nghĩ, cách làm của đồng bào dân tộc thiểu số."),
    ("MH-NUOIGA", "Nuôi gà", "cơ sở", "Tòa án huyện", ["KR-DRVE-T5"], "Phối hợp với Tòa án nhân dân huyện, thôn kết nghĩa."),
    ("MH-MD-SINHHOAT", "Cấp ủy viên tham gia sinh hoạt với chi bộ thôn, tổ dân phố", "cấp huyện", "MD",
     ["MD-DHOA", "MD-DHIEP", "MD-DTHANH", "MD-DCHANH", "MD-TT"], "Ít nhất một quý dự sinh hoạt một lần."),
    ("MH-MD-TAILIEU", "Cung cấp tài liệu tuyên truyền, hướng dẫn sinh hoạt khu dân cư", "cấp huyện", "MD",
     ["MD-DHOA", "MD-DHIEP", "MD-DTHANH", "MD-DCHANH", "MD-TT"], "374 khu dân cư, tổ dân phố."),
    ("MH-MD-TIETKIEM", "Tiết kiệm hỗ trợ đảng viên khó khăn, hộ nghèo", "cấp huyện", "Phòng LĐ-TB&XH huyện Mộ Đức",
     ["MD"], "Mỗi cán bộ, đảng viên tiết kiệm 5.000 đồng/tháng."),
]

MEETING_DAYS = (5, 10, 15, 20, 25)


# --- the roster in canonical columns, Vietnamese values -------------------------------------


def units() -> list[dict[str, object]]:
    rows = [{"code": c, "name": n, "kind": k, "parent_code": p} for c, n, k, p in TOP_UNITS]
    for code, name, kind, district, _ in COMMUNES:
        rows.append({"code": code, "name": name, "kind": kind, "parent_code": district})
    for code, _, _, _, villages in COMMUNES:
        for suffix, name, kind in villages:
            rows.append({"code": f"{code}-{suffix}", "name": name, "kind": kind, "parent_code": code})
    return rows


Row = dict[str, object]
# (code, full name, phone, role, title, unit, active, village cells assigned from the start)
Cadre = tuple[str, str, str, str, str, str, str, list[str]]
Transfer = tuple[str, str, date, date]  # (cadre, village cell, from, until)
Model = tuple[str, str, str, str, list[str], str]  # (code, name, level, owner, places, description)


def cells(unit_rows: list[Row], secretaries: dict[str, str]) -> list[Row]:
    """A cell for each village, its secretary (if named) and a regular meeting day."""
    villages = [u for u in unit_rows if u["kind"] in ("thôn", "làng", "tổ dân phố")]
    return [
        {
            "code": f"CB-{v['code']}",
            "name": f"Chi bộ {str(v['name'])[0].lower()}{str(v['name'])[1:]}",
            "unit_code": v["code"],
            "secretary_code": secretaries.get(str(v["code"])),
            "meeting_day": f"ngày {MEETING_DAYS[i % len(MEETING_DAYS)]} hằng tháng",
            "active": "có",
        }
        for i, v in enumerate(villages)
    ]


def cadres(rows: list[Cadre]) -> list[Row]:
    keys = ("code", "full_name", "phone", "role", "title", "unit_code", "active")
    return [dict(zip(keys, row[:7])) for row in rows]


def assignments(rows: list[Cadre], transfers: list[Transfer], start: date) -> list[Row]:
    """Each cadre's village cells from ``start``, then the transfers with their own dates."""
    assigned: list[Row] = [
        {"cadre_code": c[0], "cell_code": f"CB-{village}", "starts_on": start, "ends_on": None}
        for c in rows
        for village in c[7]
    ]
    assigned += [
        {"cadre_code": cadre, "cell_code": f"CB-{village}", "starts_on": begin, "ends_on": end}
        for cadre, village, begin, end in transfers
    ]
    return assigned


def models(rows: list[Model]) -> list[Row]:
    keys = ("code", "name", "level", "owner", "places", "description")
    return [dict(zip(keys, row)) for row in rows]


def roster_of(
    unit_rows: list[Row], cadre_rows: list[Cadre], secretaries: dict[str, str],
    transfers: list[Transfer], model_rows: list[Model], start: date,
) -> dict[str, list[Row]]:
    """The five sheets of a roster; shared with make_commune_roster.py, which has other data."""
    return {
        "units": unit_rows,
        "cadres": cadres(cadre_rows),
        "cells": cells(unit_rows, secretaries),
        "assignments": assignments(cadre_rows, transfers, start),
        "models": models(model_rows),
    }


def roster() -> dict[str, list[Row]]:
    return roster_of(units(), CADRES, SECRETARIES, TRANSFERS, MODELS, START)


# --- writing --------------------------------------------------------------------------------

VIETNAMESE_SHEETS = {
    "units": ("Đơn vị", {"code": "Mã", "name": "Tên", "kind": "Cấp", "parent_code": "Mã cấp trên"}),
    "cadres": ("Cán bộ", {
        "code": "Mã", "full_name": "Họ và tên", "phone": "Số điện thoại", "role": "Vai trò",
        "title": "Chức vụ", "unit_code": "Đơn vị", "active": "Đang hoạt động"}),
    "cells": ("Chi bộ", {
        "code": "Mã", "name": "Tên", "unit_code": "Đơn vị", "secretary_code": "Bí thư",
        "meeting_day": "Ngày sinh hoạt", "active": "Đang hoạt động"}),
    "assignments": ("Phân công", {
        "cadre_code": "Mã cán bộ", "cell_code": "Mã chi bộ", "starts_on": "Từ ngày", "ends_on": "Đến ngày"}),
    "models": ("Mô hình", {
        "code": "Mã", "name": "Tên", "level": "Mức", "owner": "Đơn vị chủ trì", "places": "Địa bàn",
        "description": "Mô tả"}),
}

ENGLISH_VALUES = {
    "tỉnh": "province", "huyện": "district", "xã": "commune", "thị trấn": "commune",
    "thôn": "village", "làng": "village", "tổ dân phố": "village",
    "phường": "commune", "khu phố": "village", "đảng ủy viên": "cadre",
    "cấp ủy viên": "cadre", "bí thư": "secretary", "quản trị": "admin",
    "điểm cấp tỉnh": "province", "cấp huyện": "district", "cơ sở": "grassroots",
    "có": "yes", "không": "no",
}


def _xlsx_value(sheet: str, row: dict[str, object], column: str) -> object:
    """Values as people type them: real dates, a few phones as numbers, dd/mm/yyyy text."""
    value = row[column]
    if column == "places":
        return "; ".join(value)  # type: ignore[arg-type]
    if column == "phone" and row["code"] in PHONES_AS_NUMBERS:
        return int(str(value))
    if column in ("ends_on", "merged_on") and isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def _csv_value(row: dict[str, object], column: str) -> str:
    value = row[column]
    if value is None:
        return ""
    if column == "places":
        return ";".join(value)  # type: ignore[arg-type]
    if isinstance(value, date):
        return value.isoformat()
    return ENGLISH_VALUES.get(str(value), str(value)) if column in ("kind", "role", "level", "active") else str(value)


Sheets = dict[str, tuple[str, dict[str, str]]]


def write_xlsx(path: Path, data: dict[str, list[dict[str, object]]], sheets: Sheets = VIETNAMESE_SHEETS) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet, rows in data.items():
        title, headers = sheets[sheet]
        ws = workbook.create_sheet(title)
        ws.append(list(headers.values()))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_xlsx_value(sheet, row, column) for column in headers])
        for column_cells in ws.columns:
            width = max(len(str(c.value or "")) for c in column_cells)
            ws.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 8), 60)
            for cell in column_cells[1:]:
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
        ws.freeze_panes = "A2"
    workbook.save(path)


def write_csvs(folder: Path, data: dict[str, list[dict[str, object]]], sheets: Sheets = VIETNAMESE_SHEETS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for sheet, rows in data.items():
        columns = list(sheets[sheet][1])
        with open(folder / f"{sheet}.csv", "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([_csv_value(row, column) for column in columns] for row in rows)


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    data = roster()
    write_xlsx(out / "roster.xlsx", data)
    write_csvs(out / "csv", data)
    counts = ", ".join(f"{len(rows)} {sheet}" for sheet, rows in data.items())
    print(f"wrote {out / 'roster.xlsx'} and {out / 'csv'}/*.csv: {counts}")


if __name__ == "__main__":
    main(sys.argv)
