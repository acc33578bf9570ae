"""Texts of private flows asked for in a group chat, and of the link to the private chat."""

from bot.texts.keys import EN, VI

TEXTS: dict[str, dict[str, str]] = {
    "private.in_group": {
        VI: "Lệnh /{command} làm trong trò chuyện riêng với bot, để thông tin của đồng chí không "
        "hiện trong nhóm.\n{link}",
        EN: "/{command} works in your private chat with the bot, so that your details stay out "
        "of the group.\n{link}",
    },
    # The channel's own way to the private chat (bot/tolerant_bot.py for Telegram).
    "private.link.telegram": {
        VI: "👉 Bấm để mở trò chuyện riêng: {url}",
        EN: "👉 Tap to open the private chat: {url}",
    },
    "private.link.zalo": {
        VI: "👉 Xin nhắn riêng cho bot trên Zalo rồi gửi /{command}.",
        EN: "👉 Please message the bot privately on Zalo, then send /{command}.",
    },
    # /start with the link's payload, in the private chat: the command to tap.
    "private.start_here": {
        VI: "\n\n👉 Bấm /{command} để bắt đầu.",
        EN: "\n\n👉 Tap /{command} to begin.",
    },
}
