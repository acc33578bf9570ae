"""Who runs the bot: the Party committee and its office, named in every text that needs them.

Since 1 July 2025 the committees that send their members to village cells are the commune
and ward Party Committees (Đảng ủy xã, Đảng ủy phường) and the provincial ones (Tỉnh ủy);
the district committees of the older rosters are gone. So the organisation is
configuration (``BAOCAO_ORG_NAME``, ``BAOCAO_ORG_OFFICE``, ``BAOCAO_ORG_PHONE``), and the
catalogue formats it into its texts as ``{org}`` (the committee), ``{office}`` (whom to
contact) and ``{office_contact}`` (the office, with its phone when one is configured: what a
stranger who is not on the roster needs).

The names are proper names: the English texts use them as they are, in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.texts.keys import EN, VI

# «Đảng ủy» (a Party committee) is right at every level since 2025 — commune, ward,
# province's own wording aside — and reads well in every sentence without a place name;
# an operator names theirs in full («Đảng ủy xã Đăk Ruồng», «Tỉnh ủy Quảng Ngãi»).
DEFAULT_ORG_NAME = "Đảng ủy"
DEFAULT_ORG_OFFICE = "Văn phòng Đảng ủy"


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str = DEFAULT_ORG_NAME
    office: str = DEFAULT_ORG_OFFICE
    phone: str | None = None


TEXTS: dict[str, dict[str, str]] = {
    "org.office_with_phone": {
        VI: "{office} (điện thoại {phone})",
        EN: "{office} (phone {phone})",
    },
}


def org_values(org: Organisation, lang: str) -> dict[str, str]:
    """The placeholders every text may use: {org}, {office}, {office_contact}."""
    template = TEXTS["org.office_with_phone"].get(lang) or TEXTS["org.office_with_phone"][VI]
    contact = template.format(office=org.office, phone=org.phone) if org.phone else org.office
    return {"org": org.name, "office": org.office, "office_contact": contact}
