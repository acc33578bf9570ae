"""The command menu: which commands each kind of user sees in /help and in Telegram."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand
from telegram.ext import Application

from bot.screens import Option, Screen
from bot.texts import LANGUAGES, VI, t


@dataclass(frozen=True)
class MenuCommand:
    command: str
    text_key: str
    admin_only: bool = False
    secretaries_too: bool = False  # an admin command cell secretaries may use as well


# In the order /help lists them.
MENU: tuple[MenuCommand, ...] = (
    MenuCommand("baocao", "cmd.baocao"),
    MenuCommand("mohinh", "cmd.mohinh"),
    MenuCommand("cuatoi", "cmd.cuatoi"),
    MenuCommand("xembaocao", "cmd.xembaocao"),
    MenuCommand("quy", "cmd.quy"),
    MenuCommand("huy", "cmd.huy"),
    MenuCommand("baocaothay", "cmd.baocaothay", admin_only=True, secretaries_too=True),
    MenuCommand("kiennghi", "cmd.kiennghi", admin_only=True),
    MenuCommand("dexuat", "cmd.dexuat", admin_only=True),
    MenuCommand("chude", "cmd.chude", admin_only=True),
    MenuCommand("mienbaocao", "cmd.mienbaocao", admin_only=True),
    MenuCommand("ngaynghi", "cmd.ngaynghi", admin_only=True),
    MenuCommand("quytac", "cmd.quytac", admin_only=True),
    MenuCommand("ngonngu", "cmd.ngonngu"),
    MenuCommand("tonghop", "cmd.tonghop", admin_only=True),
    MenuCommand("baocaoquy", "cmd.baocaoquy", admin_only=True),
    MenuCommand("tailieu", "cmd.tailieu", admin_only=True),
    MenuCommand("lichhop", "cmd.lichhop"),
    MenuCommand("hop", "cmd.hop", admin_only=True, secretaries_too=True),
    MenuCommand("dangkynhom", "cmd.dangkynhom", admin_only=True),
    MenuCommand("huydangky", "cmd.huydangky", admin_only=True),
    MenuCommand("help", "cmd.help"),
)


# The main menu where a messenger has no command menu (Zalo): the everyday commands.
# An option whose data is a command ("/baocao") is delivered as that command.
MAIN_MENU = ("baocao", "mohinh", "cuatoi", "baocaothay", "kiennghi", "ngonngu", "help")


def main_menu(lang: str, *, admin: bool, secretary: bool = False) -> Screen:
    """The everyday commands as choices, for a messenger without a command menu (Zalo)."""
    shown = [c for c in MENU if c.command in MAIN_MENU]
    options = [
        Option(t(c.text_key, lang), f"/{c.command}")
        for c in shown
        if admin or not c.admin_only or (secretary and c.secretaries_too)
    ]
    return Screen.of(t("menu.prompt", lang), *options)


def help_lines(lang: str, *, admin: bool, secretary: bool = False) -> str:
    """One line a command this user may use, for /start and /help."""
    return "\n".join(
        f"/{c.command} — {t(c.text_key, lang)}"
        for c in MENU
        if admin or not c.admin_only or (secretary and c.secretaries_too)
    )


async def publish_commands(application: Application) -> None:
    """Sets Telegram's command menu: Vietnamese by default, English for English clients."""
    for lang in LANGUAGES:
        commands = [BotCommand(c.command, t(c.text_key, lang)) for c in MENU if not c.admin_only]
        await application.bot.set_my_commands(commands, language_code=None if lang == VI else lang)
