"""Bot API methods about the bot itself and its chats: identity, updates and webhooks,
commands, menu button, names and descriptions, chat info, members and pins.

Each takes the decoded parameters and returns the "result" of a successful answer; the
registry (bot.simulator.registry) maps Telegram's method names to them.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from bot.simulator.people import _Chat
from bot.simulator.registry import api_method
from bot.simulator.wire import ApiError, _bad, _forbidden


class BotMethods:
    """getMe, getUpdates, webhooks, commands, settings, chats and members."""

    @api_method("getMe")
    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        """The bot's own User plus its capability flags (PTB calls it on initialize)."""
        flags = ("can_read_all_group_messages supports_inline_queries can_connect_to_business "
                 "has_main_web_app").split()  # fmt: skip
        return {**self.bot_user(), "can_join_groups": True, **dict.fromkeys(flags, False)}

    @api_method("logOut")
    async def _log_out(self, params: dict[str, Any]) -> bool:
        """Nothing to log out of; answers True like Telegram."""
        return True

    @api_method("close")
    async def _close(self, params: dict[str, Any]) -> bool:
        """Nothing to close; answers True like Telegram."""
        return True

    @api_method("getUpdates")
    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long polling: answer at once if updates are queued, else hold up to `timeout` s."""
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")  # fmt: skip
        self._confirm(int(params.get("offset") or 0))
        limit = min(100, max(1, int(params.get("limit") or 100)))
        timeout = max(0.0, float(params.get("timeout") or 0))
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_polls()  # a newer poll terminates an older one, like Telegram
        if not self._updates and timeout > 0 and not self._closed:
            await self._hold_poll(generation, timeout)
        if self._poll_generation != generation and not self._closed:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                "make sure that only one bot instance is running")  # fmt: skip
        return [] if self._closed else list(itertools.islice(self._updates, limit))

    @api_method("setWebhook")
    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        """Stored only: while a URL is set, getUpdates answers 409 as Telegram does."""
        self.webhook_url = str(params.get("url") or "")
        self.webhook_secret = str(params.get("secret_token") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    @api_method("deleteWebhook")
    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        """PTB calls this before polling; drop_pending_updates empties the queue."""
        self.webhook_url = self.webhook_secret = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    @api_method("getWebhookInfo")
    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        """The stored URL and the number of unconfirmed updates."""
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}  # fmt: skip

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> str:
        """Commands are stored per scope and language, as Telegram does."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    @api_method("setMyCommands")
    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        """Validates names/descriptions like Telegram; stored per scope+language."""
        commands = params.get("commands")
        if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    @api_method("getMyCommands")
    async def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Commands for the scope+language (none set: [])."""
        return self.commands.get(self._commands_key(params), [])

    @api_method("deleteMyCommands")
    async def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        """Forget the commands of a scope+language."""
        self.commands.pop(self._commands_key(params), None)
        return True

    @api_method("setChatMenuButton")
    async def _set_chat_menu_button(self, params: dict[str, Any]) -> bool:
        """Stored per chat, or as the default when chat_id is absent."""
        button = params.get("menu_button") or {"type": "default"}
        if params.get("chat_id") is not None:
            self._known_chat(params).menu_button = button
        else:
            self.bot_settings["menu_button"] = button
        return True

    @api_method("getChatMenuButton")
    async def _get_chat_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        """The chat's button, else the default, else the commands menu."""
        chat = self._known_chat(params) if params.get("chat_id") is not None else None
        if chat is not None and chat.menu_button:
            return chat.menu_button
        return dict(self.bot_settings.get("menu_button", {"type": "commands"}))

    def _save_setting(self, key: str, params: dict[str, Any]) -> bool:
        """setMyName/Description/ShortDescription: stored per language."""
        self.bot_settings[(key, params.get("language_code") or "")] = params.get(key) or ""
        return True

    def _read_setting(self, key: str, params: dict[str, Any], default: str = "") -> dict[str, str]:
        """getMyName/Description/ShortDescription."""
        return {key: self.bot_settings.get((key, params.get("language_code") or ""), default)}

    @api_method("setMyDescription")
    async def _set_my_description(self, params: dict[str, Any]) -> bool:
        """Stored per language."""
        return self._save_setting("description", params)

    @api_method("setMyShortDescription")
    async def _set_my_short_description(self, params: dict[str, Any]) -> bool:
        """Stored per language."""
        return self._save_setting("short_description", params)

    @api_method("setMyName")
    async def _set_my_name(self, params: dict[str, Any]) -> bool:
        """Stored per language."""
        return self._save_setting("name", params)

    @api_method("getMyDescription")
    async def _get_my_description(self, params: dict[str, Any]) -> dict[str, str]:
        """As stored per language."""
        return self._read_setting("description", params)

    @api_method("getMyShortDescription")
    async def _get_my_short_description(self, params: dict[str, Any]) -> dict[str, str]:
        """As stored per language."""
        return self._read_setting("short_description", params)

    @api_method("getMyName")
    async def _get_my_name(self, params: dict[str, Any]) -> dict[str, str]:
        """As stored per language, defaulting to the bot's first name."""
        return self._read_setting("name", params, self.bot_first_name)

    @api_method("getChat")
    async def _get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        """ChatFullInfo with the fields PTB requires."""
        chat = self._known_chat(params)
        gifts = dict.fromkeys(("unlimited_gifts limited_gifts unique_gifts premium_subscription "
                               "gifts_from_channels").split(), False)  # fmt: skip
        return {**chat.to_dict(), "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": gifts}  # fmt: skip

    def _member(self, chat: _Chat, user_id: int) -> dict[str, Any]:
        """A ChatMember object for user_id in chat."""
        if user_id == self.bot_id:
            status = chat.bot_status if chat.user is None else "member"
            return _member_dict(self.bot_user(), status)
        if user_id not in self._users:
            raise _bad("user not found")
        if chat.user is not None:
            status = "member" if user_id == chat.id else "left"
        else:
            status = chat.members.get(user_id, "left")
        return _member_dict(self._users[user_id].to_dict(), status)

    @api_method("getChatMember")
    async def _get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        """Membership of a known user (groups: add_member, or by writing there)."""
        chat = self._known_chat(params)
        user_id = params.get("user_id")
        return self._member(chat, user_id if isinstance(user_id, int) else 0)

    @api_method("getChatAdministrators")
    async def _get_chat_administrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Members marked administrator or creator."""
        chat = self._known_chat(params)
        admins = [uid for uid, status in chat.members.items()
                  if status in ("administrator", "creator")]  # fmt: skip
        return [self._member(chat, uid) for uid in admins]

    @api_method("getChatMemberCount")
    async def _get_chat_member_count(self, params: dict[str, Any]) -> int:
        """The bot plus current members."""
        chat = self._known_chat(params)
        if chat.user is not None:
            return 2
        return 1 + sum(status not in ("left", "kicked") for status in chat.members.values())

    @api_method("leaveChat")
    async def _leave_chat(self, params: dict[str, Any]) -> bool:
        """The bot leaves a group; sending there then answers 403."""
        chat = self._known_chat(params)
        if chat.user is not None:
            raise _bad("chat member status can't be changed in private chats")
        if chat.bot_status in ("left", "kicked"):
            raise _forbidden("bot is not a member of the group chat")
        chat.bot_status = "left"
        return True

    @api_method("pinChatMessage")
    async def _pin_chat_message(self, params: dict[str, Any]) -> bool:
        """Recorded on the chat."""
        chat = self._writable_chat(params)
        if params.get("message_id") not in chat.messages:
            raise _bad("message to pin not found")
        chat.pinned.append(params["message_id"])
        return True

    @api_method("unpinChatMessage")
    async def _unpin_chat_message(self, params: dict[str, Any]) -> bool:
        """The given message, or the latest pinned one."""
        chat = self._writable_chat(params)
        target = params.get("message_id") or (chat.pinned[-1] if chat.pinned else None)
        chat.pinned = [m for m in chat.pinned if m != target]
        return True

    @api_method("unpinAllChatMessages")
    async def _unpin_all_chat_messages(self, params: dict[str, Any]) -> bool:
        """Clears the chat's pins."""
        self._writable_chat(params).pinned.clear()
        return True



def _member_dict(user: dict[str, Any], status: str) -> dict[str, Any]:
    """ChatMember objects carry different required fields per status."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        rights = ("can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
                  "can_promote_members can_change_info can_invite_users can_post_stories "
                  "can_edit_stories can_delete_stories").split()  # fmt: skip
        member.update(can_be_edited=False, is_anonymous=False, **dict.fromkeys(rights, True))
    elif status == "kicked":
        member["until_date"] = 0
    return member
