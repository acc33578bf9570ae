"""Domain records: what the repositories return and the handlers work with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class UnitKind(StrEnum):
    """The levels of the tree. Since July 2025 a roster is province > commune > village or
    commune > village; the legacy district level (huyện) may still sit between."""

    PROVINCE = "province"  # tỉnh, thành phố trực thuộc trung ương
    DISTRICT = "district"  # huyện, quận, thị xã (before July 2025)
    COMMUNE = "commune"  # xã, phường, đặc khu, thị trấn
    VILLAGE = "village"  # thôn, tổ dân phố, khu phố, ấp, bản, buôn, plei, khu dân cư


class Role(StrEnum):
    CADRE = "cadre"
    SECRETARY = "secretary"
    ADMIN = "admin"


class ModelLevel(StrEnum):
    PROVINCE = "province"  # điểm cấp tỉnh
    DISTRICT = "district"  # điểm cấp huyện
    GRASSROOTS = "grassroots"  # cơ sở


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    code: str
    name: str
    kind: UnitKind
    parent_id: int | None
    merged_into_id: int | None = None  # merged into that unit (communes merged in 2025)
    merged_on: date | None = None


@dataclass(frozen=True, slots=True)
class Cadre:
    id: int
    code: str
    full_name: str
    phone: str | None
    role: Role
    title: str | None
    unit_id: int | None
    telegram_id: int | None
    language: str | None
    active: bool
    # thủ quỹ: keeps the unit's savings fund (/tietkiem). A duty besides the role, so an
    # admin or a secretary may keep the fund too (migration 0026).
    treasurer: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass(frozen=True, slots=True)
class Cell:
    id: int
    code: str
    name: str
    unit_id: int
    secretary_id: int | None
    meeting_day: str | None


@dataclass(frozen=True, slots=True)
class Assignment:
    id: int
    cadre_id: int
    cell_id: int
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True, slots=True)
class Model:
    id: int
    code: str
    name: str
    level: ModelLevel
    owner_name: str | None
    status: str
    place_unit_ids: tuple[int, ...]
