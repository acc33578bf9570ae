"""The roster's format: its sheets and columns, the names operators give them, and the
values they write (Vietnamese first, English too, any case, with or without diacritics)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TypeVar, cast

from storage.records import ModelLevel, Role, UnitKind

SHEETS = ("units", "cadres", "cells", "assignments", "models")

# --- the format: sheets, columns and the names people give them -------------------------


@dataclass(frozen=True)
class Column:
    name: str  # canonical, English
    label: str  # how error messages name it
    aliases: tuple[str, ...]  # headers accepted besides ``name``; the first is the Vietnamese one
    required: bool = False


@dataclass(frozen=True)
class SheetSpec:
    name: str
    aliases: tuple[str, ...]  # sheet or file names accepted besides ``name``
    columns: tuple[Column, ...]


def _active() -> Column:
    return Column("active", "active", ("Đang hoạt động", "Hoạt động", "Còn hoạt động"))


SHEET_SPECS: dict[str, SheetSpec] = {
    spec.name: spec
    for spec in (
        SheetSpec(
            "units",
            ("Đơn vị", "Địa bàn", "unit"),
            (
                Column("code", "code", ("Mã", "Mã đơn vị"), required=True),
                Column("name", "name", ("Tên", "Tên đơn vị"), required=True),
                Column("kind", "kind", ("Cấp", "Loại"), required=True),
                Column("parent_code", "parent", ("Mã cấp trên", "Cấp trên", "parent")),
                Column("merged_into", "merged into", ("Sáp nhập vào", "Hợp nhất vào", "Nhập vào", "merged_into_code")),
                Column("merged_on", "merger date", ("Ngày sáp nhập", "Ngày hợp nhất", "merger_date")),
            ),
        ),
        SheetSpec(
            "cadres",
            ("Cán bộ", "cadre"),
            (
                Column("code", "code", ("Mã", "Mã cán bộ"), required=True),
                Column("full_name", "full name", ("Họ và tên", "Họ tên", "Tên", "name"), required=True),
                Column("phone", "phone", ("Số điện thoại", "Điện thoại", "SĐT", "ĐT")),
                Column("role", "role", ("Vai trò",)),
                Column("title", "title", ("Chức vụ",)),
                Column("unit_code", "unit", ("Đơn vị", "Mã đơn vị", "unit")),
                _active(),
            ),
        ),
        SheetSpec(
            "cells",
            ("Chi bộ", "cell"),
            (
                Column("code", "code", ("Mã", "Mã chi bộ"), required=True),
                Column("name", "name", ("Tên", "Tên chi bộ"), required=True),
                Column("unit_code", "unit", ("Đơn vị", "Mã đơn vị", "Thôn", "unit"), required=True),
                Column("secretary_code", "secretary", ("Bí thư", "Mã bí thư", "secretary")),
                Column("meeting_day", "meeting day", ("Ngày sinh hoạt", "Lịch sinh hoạt")),
                Column("meets_on", "regular meeting day", ("Ngày họp thường lệ", "Họp thường lệ")),
                _active(),
            ),
        ),
        SheetSpec(
            "assignments",
            ("Phân công", "assignment"),
            (
                Column("cadre_code", "cadre", ("Mã cán bộ", "Cán bộ", "cadre"), required=True),
                Column("cell_code", "cell", ("Mã chi bộ", "Chi bộ", "cell"), required=True),
                Column("starts_on", "start date", ("Từ ngày", "Ngày bắt đầu", "start"), required=True),
                Column("ends_on", "end date", ("Đến ngày", "Ngày kết thúc", "end")),
            ),
        ),
        SheetSpec(
            "models",
            ("Mô hình", "model"),
            (
                Column("code", "code", ("Mã", "Mã mô hình"), required=True),
                Column("name", "name", ("Tên", "Tên mô hình"), required=True),
                Column("level", "level", ("Mức", "Cấp"), required=True),
                Column("owner", "owner", ("Đơn vị chủ trì", "Chủ trì", "owner_code")),
                Column("places", "places", ("Địa bàn", "Nơi thực hiện", "place")),
                Column("description", "description", ("Mô tả", "Ghi chú")),
            ),
        ),
    )
}

# Values: stored value → what operators write, Vietnamese first, then English (matched
# like headers; the first two name the choice in error messages).
# Since July 2025: tỉnh, thành phố (centrally run) > xã, phường, đặc khu > thôn, tổ dân
# phố…; the district level (huyện, quận, thị xã, a provincial city) only in legacy rosters.
UNIT_KINDS: dict[UnitKind, tuple[str, ...]] = {
    UnitKind.PROVINCE: ("tỉnh", "province", "thành phố", "thành phố trực thuộc trung ương", "city"),
    UnitKind.DISTRICT: ("huyện", "district", "quận", "thị xã", "thành phố thuộc tỉnh"),
    UnitKind.COMMUNE: ("xã", "commune", "phường", "đặc khu", "thị trấn", "ward", "town", "special zone"),
    UnitKind.VILLAGE: (
        "thôn", "village", "làng", "tổ dân phố", "khu phố", "khu dân cư", "ấp", "bản", "buôn",
        "plei", "khối phố", "tổ", "street group",
    ),
}
# A committee member by the committee's name: đảng ủy viên (commune, ward), tỉnh ủy viên,
# thành ủy viên, and the legacy district ones.
_COMMITTEE_MEMBERS = tuple(f"{level} ủy viên" for level in ("đảng", "tỉnh", "thành", "huyện", "quận", "thị"))
ROLES: dict[Role, tuple[str, ...]] = {
    Role.CADRE: ("cán bộ", "cadre", "cấp ủy viên", *_COMMITTEE_MEMBERS, "member"),
    Role.SECRETARY: ("bí thư", "secretary", "bí thư chi bộ"),
    Role.ADMIN: ("quản trị", "admin", "quản trị viên", "administrator"),
}
# The fund's treasurer is a duty besides the role: «thủ quỹ» alone, or with a role in the
# same cell («quản trị, thủ quỹ»). TREASURER is its stored word, in the role column's text.
TREASURER = "treasurer"
TREASURER_WORDS: dict[str, tuple[str, ...]] = {TREASURER: ("thủ quỹ", "treasurer")}
_ROLE_PARTS = re.compile(r"\s*[,;+/]\s*")
MODEL_LEVELS: dict[ModelLevel, tuple[str, ...]] = {
    ModelLevel.PROVINCE: ("điểm cấp tỉnh", "province", "cấp tỉnh", "tỉnh"),
    # Since the 2025 reform the level below the province is the commune/ward pilot: the
    # workbook's own word (wb.level.district) reads back, the old ones still do.
    ModelLevel.DISTRICT: ("cấp huyện", "district", "điểm cấp huyện", "huyện", "điểm cấp xã, phường",
                          "cấp xã, phường", "commune/ward pilot"),
    ModelLevel.GRASSROOTS: ("cơ sở", "grassroots", "cấp cơ sở", "cấp xã", "điểm cơ sở"),
}
YES_NO: dict[bool, tuple[str, ...]] = {
    True: ("có", "yes", "y", "true", "1", "x", "đúng", "còn"),
    False: ("không", "no", "n", "false", "0", "sai", "nghỉ"),
}

# The kinds of unit each kind may sit under (none: it is always a top). Communes sit
# directly under a province since July 2025, under a district in a legacy roster; any unit
# but a village may be the top of a roster.
_PARENT_KINDS: dict[UnitKind, tuple[UnitKind, ...]] = {
    UnitKind.PROVINCE: (),
    UnitKind.DISTRICT: (UnitKind.PROVINCE,),
    UnitKind.COMMUNE: (UnitKind.PROVINCE, UnitKind.DISTRICT),
    UnitKind.VILLAGE: (UnitKind.COMMUNE,),
}


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """The form names are compared in: lower case, no diacritics, ``_``/``-`` as spaces.

    So 'Mã cấp trên', 'MA CAP TREN' and 'ma_cap_tren' are one header, and the old and new
    accent placements ('uỷ', 'ủy') are one word.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[_\-]+", " ", bare.casefold()).split())


K = TypeVar("K")


def _lookup(table: Mapping[K, Iterable[str]]) -> dict[str, K]:
    """Folded alias → key; a string key is its own alias too."""
    found = {fold(alias): key for key, aliases in table.items() for alias in aliases}
    return found | {fold(key): key for key in table if isinstance(key, str)}


_CHOICE_LOOKUPS: dict[int, dict[str, object]] = {}


def _choices(table: Mapping[K, Iterable[str]]) -> dict[str, K]:
    """``_lookup`` of one of the value tables above, built once."""
    found = _CHOICE_LOOKUPS.get(id(table))
    if found is None:
        found = _CHOICE_LOOKUPS[id(table)] = _lookup(table)
    return cast(dict[str, K], found)


_SHEET_NAMES = _lookup({name: spec.aliases for name, spec in SHEET_SPECS.items()})
_HEADERS = {
    name: _lookup({column.name: column.aliases for column in spec.columns})
    for name, spec in SHEET_SPECS.items()
}


def sheet_for_name(name: str) -> str | None:
    """The canonical sheet a worksheet title or CSV file stem stands for (plurals too)."""
    key = fold(name)
    return _SHEET_NAMES.get(key) or _SHEET_NAMES.get(key.removesuffix("s"))


def column_for_header(sheet: str, header: str) -> str | None:
    """The canonical column a header stands for, or None for a column the import ignores.

    Templates often mark headers ('Mã (*)', 'Số điện thoại (di động)') or write both
    languages ('Tên / name'); those marks are ignored.
    """
    headers = _HEADERS[sheet]
    plain = re.sub(r"\(.*?\)|\*", " ", header)
    for candidate in (plain, *re.split(r"[/|]", plain)):
        found = headers.get(fold(candidate))
        if found:
            return found
    return None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date:
    """A date as operators type it (dd/mm/yyyy, the Vietnamese order) or as ISO yyyy-mm-dd."""
    value = text.strip().split(" ")[0].split("T")[0]
    quick = _DMY.fullmatch(value) or _YMD.fullmatch(value)
    if quick:  # the two usual forms without strptime, which costs 50 µs a call
        first, second, third = (int(part) for part in quick.groups())
        try:
            return date(third, second, first) if quick.re is _DMY else date(first, second, third)
        except ValueError:
            pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")
