"""The organisation is configuration: its name, office and phone in every text that names it."""

from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config
from bot.harness import bot_with_simulator
from bot.texts import TEXTS, VI, Organisation, t
from domain.clock import ManualClock
from storage.db import Database
from tests.conftest import CADRE_TG, STRANGER_TG

ROOT = Path(__file__).resolve().parent.parent
COMMUNE_ORG = Organisation("Đảng ủy xã Đăk Ruồng", "Văn phòng Đảng ủy xã", "0260 3823 456")


def test_the_default_is_a_party_committee_and_its_office() -> None:
    config = load_config(env={})
    assert config.organisation == Organisation("Đảng ủy", "Văn phòng Đảng ủy", None)


def test_the_organisation_comes_from_the_environment() -> None:
    config = load_config(env={
        "BAOCAO_ORG_NAME": " Tỉnh ủy  Quảng Ngãi ", "BAOCAO_ORG_OFFICE": "Văn phòng Tỉnh ủy",
        "BAOCAO_ORG_PHONE": "0255 3822 111",
    })
    assert config.organisation == Organisation("Tỉnh ủy Quảng Ngãi", "Văn phòng Tỉnh ủy", "0255 3822 111")


@pytest.mark.parametrize(
    ("variable", "value"),
    [("BAOCAO_ORG_NAME", "x"), ("BAOCAO_ORG_OFFICE", "Văn phòng {org}"), ("BAOCAO_ORG_PHONE", "gọi tôi"),
     ("BAOCAO_ORG_PHONE", "123")],
)
def test_a_malformed_organisation_setting_is_named(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_config(env={variable: value})


def test_no_text_names_a_district_committee() -> None:
    for key, entry in TEXTS.items():
        for text in entry.values():
            assert "huyện ủy" not in text.lower() and "district" not in text.lower(), key


async def test_a_stranger_reads_the_configured_committee_office_and_phone(
    config: Config, clock: ManualClock, roster_db: Database
) -> None:
    configured = replace(config, organisation=COMMUNE_ORG)
    async with bot_with_simulator(configured, clock=clock, poll_timeout=1) as harness:
        for user_id, language, words in (
            (STRANGER_TG, "vi", "xin liên hệ Văn phòng Đảng ủy xã (điện thoại 0260 3823 456)"),
            (STRANGER_TG + 1, "en", "contact Văn phòng Đảng ủy xã (phone 0260 3823 456)"),
        ):
            stranger = harness.simulator.user(user_id, "Khách", language_code=language)
            await harness.handled(await stranger.send_text("/start"))
            reply = stranger.last_message()
            assert reply is not None and "Đảng ủy xã Đăk Ruồng" in (reply.text or "")
            assert words in (reply.text or "")
        cadre = harness.simulator.user(CADRE_TG, "Hùng", language_code="vi")
        await harness.handled(await cadre.send_text("/start"))
        welcome = cadre.last_message()
        assert welcome is not None and "bot Báo cáo của Đảng ủy xã Đăk Ruồng" in (welcome.text or "")


def test_without_a_phone_the_office_alone_is_named() -> None:
    assert t("unknown_user", VI).endswith("xin liên hệ Văn phòng Đảng ủy.")
