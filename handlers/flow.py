"""The one skeleton of the step-by-step report conversations (the visit report, the model update).

Each of them keeps a draft in the user's persisted data and moves one screen at a time.
What they share lives here, once: starting or continuing a draft (resume lands on the
step left, with what was filled shown), stopping (the draft is kept), «⬅ Quay lại» on
every step, hints for input that fits no step, answers to stale and expired buttons,
over-long texts, the end of the conversation, and the rule that a cadre fills in one
report at a time. A flow module only supplies its steps: a screen per state, the
handlers that move between them, and its confirm.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import Any, Generic, Protocol, TypeVar

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.drafts import MAX_PHOTOS, DraftPhoto
from bot.screens import Option, Screen, paged
from bot.texts import t
from domain.clock import parse_stamp, utc_stamp
from domain.ids import parse_id
from domain.textinput import TextEmpty, TextTooLong, clean_text
from handlers.common import answer_button, is_private, show
from handlers.conversation import persistent_conversation
from storage.persistence import SqlitePersistence

END = ConversationHandler.END
TYPED = filters.TEXT & ~filters.COMMAND
# Photos, and files of the minutes: images and PDFs.
ATTACHMENTS = filters.PHOTO | filters.Document.IMAGE | filters.Document.PDF

# The conversations a cadre goes through one at a time (their persistent names).
REPORT_FLOWS = frozenset({"visit", "model_update"})

# Telegram's client splits a message over 4,096 characters in two, sent the same moment; a
# rejected text this long was probably the head of one, and a text right after it its tail.
SPLIT_LENGTH = 4000
TAIL_SECONDS = 3
TAIL_KEY = "flow_tail_expected"  # the time of the rejected head (seconds since the epoch)


class Draft(Protocol):
    token: str
    touched_at: str
    reviewing: bool
    step: str | None
    photos: list[DraftPhoto]


D = TypeVar("D", bound=Draft)
Handler = Callable[[Update, BotContext], Awaitable[object]]
ScreenOf = Callable[[Update, BotContext, D], Awaitable[Screen]]
StepOf = Callable[[Update, BotContext, D], Awaitable[object]]


async def answer_expired(update: Update, context: BotContext) -> None:
    """The one answer to a button nobody is waiting for: the query is answered (once) and,
    in a private chat, told in words too (a cheap phone shows a callback answer briefly)."""
    text = t("button.expired", await context.lang(update))
    await answer_button(update, text)
    if is_private(update):
        await show(update, context, Screen(text))


@dataclass
class DraftFlow(Generic[D]):
    """One draft conversation: its name, its draft's storage, its screens and where each
    step goes back to. ``texts`` is the prefix of its catalogue keys ("visit", "model").

    A state registered with ``back`` gets «⬅ Quay lại»; ``sub`` marks a screen within a
    step (a typed date, a commune list): resuming there lands on its step, and its back
    goes to its step even while the cadre is changing one part from the review.
    """

    name: str
    texts: str
    data: str  # the prefix of its callback data ("v", "m")
    load: Callable[[dict[str, Any]], D | None]
    save: Callable[[dict[str, Any], D], None]
    drop: Callable[[dict[str, Any]], None]
    review: str
    idle_timeout: timedelta
    first_missing: Callable[[D], str]
    complete: frozenset[str]  # what first_missing answers when nothing required is missing
    begin: Handler | None = None
    describe: Callable[[BotContext, D, str], Awaitable[str]] | None = None  # for the resume offer
    filled: Callable[[BotContext, D, str], Awaitable[str]] | None = None  # shown when resuming
    screens: dict[str, ScreenOf[D]] = field(default_factory=dict)
    back_of: dict[str, str] = field(default_factory=dict)
    subs: set[str] = field(default_factory=set)
    hints: dict[str, Handler] = field(default_factory=dict)

    @property
    def cb_back(self) -> str:
        return f"{self.data}:bk"

    @property
    def cb_stop(self) -> str:
        return f"{self.data}:stop"

    @property
    def cb_resume(self) -> str:
        return f"{self.data}:r"

    @property
    def cb_restart(self) -> str:
        return f"{self.data}:n"

    @property
    def cb_confirm(self) -> str:
        return f"{self.data}:ok:"  # + draft token

    @property
    def resume_state(self) -> str:
        return f"{self.texts}.resume"

    # --- declaring steps ------------------------------------------------------------------

    def screen(
        self, state: str, *, back: str | None = None, sub: bool = False, hint: str | None = None
    ) -> Callable[[ScreenOf[D]], ScreenOf[D]]:
        """Registers the screen of ``state`` (a decorator)."""

        def register(build: ScreenOf[D]) -> ScreenOf[D]:
            self.screens[state] = build
            if back is not None:
                self.back_of[state] = back
            if sub:
                self.subs.add(state)
            if hint is not None:
                self.hints[state] = self.hint(hint)
            return build

        return register

    def step(self, body: StepOf[D]) -> Handler:
        """A handler of a step: loads the draft, answers the button, ends politely when the
        draft is gone; typed input after a long pause ends the conversation (the draft is
        kept) instead of answering a question the cadre no longer sees."""

        @wraps(body)
        async def wrapper(update: Update, context: BotContext) -> object:
            draft = self.load(context.user_data)
            if draft is None:
                await answer_expired(update, context)
                return END
            await answer_button(update)
            if update.callback_query is None and _idle(context, draft.touched_at, self.idle_timeout):
                await self.say(update, context, "timed_out")
                return END
            return await body(update, context, draft)

        return wrapper

    # --- moving -----------------------------------------------------------------------------

    async def go(self, update: Update, context: BotContext, draft: D, state: str, *, note: str = "") -> str:
        """Saves the draft and shows the screen of ``state``; returns it as the new state."""
        draft.touched_at = utc_stamp(context.clock.now())
        draft.step = state
        context.user_data.pop(TAIL_KEY, None)
        self.save(context.user_data, draft)
        screen = await self.screens[state](update, context, draft)
        if state in self.back_of:
            back = Option(t("btn.back", await context.lang(update)), self.cb_back)
            screen = Screen(screen.text, (*screen.rows, (back,)))
        if note:
            screen = Screen(f"{note}\n\n{screen.text}", screen.rows)
        await show(update, context, screen, edit=True)
        return state

    async def after(self, update: Update, context: BotContext, draft: D, next_state: str) -> str:
        """The move once a step is complete: back to the review when the cadre has already
        seen it (they were changing one part) and nothing required is missing, else on."""
        if not draft.reviewing:
            return await self.go(update, context, draft, next_state)
        missing = self.first_missing(draft)
        return await self.go(update, context, draft, self.review if missing in self.complete else missing)

    async def take_text(
        self, update: Update, context: BotContext, draft: D, *, limit: int, into: str, then: str, after: bool = False
    ) -> object:
        """A typed answer stored in the draft's field ``into``, then the screen ``then``
        (or the review, with ``after``, when changing one part); a text refused stays put."""
        text = await read_text(update, context, limit)
        if text is None:
            return None
        setattr(draft, into, text)
        move = self.after if after else self.go
        return await move(update, context, draft, then)

    async def take_attachment(self, update: Update, context: BotContext, draft: D, *, then: str) -> object:
        """A photo or a file (the minutes) added to the draft, up to MAX_PHOTOS."""
        if len(draft.photos) >= MAX_PHOTOS:
            await self.say(update, context, "too_many_photos", limit=MAX_PHOTOS)
            return None
        attachment = incoming_attachment(update.effective_message)
        if attachment is not None:
            draft.photos.append(attachment)
        return await self.go(update, context, draft, then)

    async def to_review(self, update: Update, context: BotContext, draft: D) -> object:
        """The last step done: the review, and from now on each step returns to it."""
        draft.reviewing = True
        return await self.go(update, context, draft, self.review)

    async def _back(self, update: Update, context: BotContext, draft: D) -> object:
        state = draft.step or self.first_missing(draft)
        if draft.reviewing and state != self.review and state not in self.subs:
            return await self.go(update, context, draft, self.review)
        return await self.go(update, context, draft, self.back_of.get(state, self.first_missing(draft)))

    # --- starting, resuming, stopping -------------------------------------------------------

    async def offer_resume(self, update: Update, context: BotContext, draft: D) -> object:
        lang = await context.lang(update)
        started = parse_stamp(getattr(draft, "started_at", draft.touched_at)).astimezone(context.clock.tz).date()
        what = t(f"{self.texts}.resume_what", lang, day=started.strftime("%d/%m/%Y"))
        if self.describe is not None:
            what = await self.describe(context, draft, what)
        screen = Screen.of(
            t(f"{self.texts}.resume", lang, what=what),
            Option(t(f"{self.texts}.btn.resume", lang), self.cb_resume),
            Option(t(f"{self.texts}.btn.restart", lang), self.cb_restart),
        )
        await show(update, context, screen, edit=True)
        return self.resume_state

    def resume_step(self, draft: D) -> str:
        """The step the cadre left (a screen within a step: that step). A part that must be
        filled in and is not (a draft saved before the step was kept, or one a restart left
        half-written) comes first: the cadre is never sent to a review that cannot be sent."""
        missing, state = self.first_missing(draft), draft.step
        if missing not in self.complete or state not in self.screens:
            return missing
        while state in self.subs:
            state = self.back_of[state]
        return state

    async def _resume(self, update: Update, context: BotContext) -> object:
        await answer_button(update)
        draft = self.load(context.user_data)
        if draft is None:
            return await self._begin(update, context)
        state = self.resume_step(draft)
        note = ""
        if self.filled is not None and state != self.review:
            note = await self.filled(context, draft, await context.lang(update))
        return await self.go(update, context, draft, state, note=note)

    async def _restart(self, update: Update, context: BotContext) -> object:
        await answer_button(update)
        self.drop(context.user_data)
        return await self._begin(update, context)

    async def _begin(self, update: Update, context: BotContext) -> object:
        assert self.begin is not None
        return await self.begin(update, context)

    async def stop(self, update: Update, context: BotContext) -> object:
        """/huy or the Stop button: ends the conversation, keeps the draft."""
        await answer_button(update)
        await show(update, context, Screen(await self.text(update, context, "stopped")), edit=True)
        return END

    async def finish(self, update: Update, context: BotContext, text: str) -> object:
        """The end of the conversation: the last screen (a receipt, a refusal), no buttons."""
        await show(update, context, Screen(text), edit=True)
        return END

    async def stale_confirm(self, update: Update, context: BotContext, stored: tuple[int, int] | None) -> object:
        """A confirm of another draft than the current one (a double tap, an old review):
        "already saved" when it was stored, else expired. The current state stays, so an
        unfinished newer draft is not interrupted."""
        cadre = await context.cadre()
        if stored is not None and cadre is not None and stored[1] == cadre.id:
            await answer_button(update)
            text = await self.text(update, context, "already_saved", number=stored[0])
            await show(update, context, Screen(text))
        else:
            await answer_expired(update, context)
        return None

    # --- hints ----------------------------------------------------------------------------

    async def text(self, update: Update, context: BotContext, key: str, **values: object) -> str:
        return t(f"{self.texts}.{key}", await context.lang(update), **values)

    async def say(self, update: Update, context: BotContext, key: str, **values: object) -> None:
        await show(update, context, Screen(await self.text(update, context, key, **values)))

    def hint(self, key: str) -> Handler:
        """Input that fits no step (a sticker, a voice note, text where a button is due):
        a hint; the state stays."""

        async def give(update: Update, context: BotContext) -> None:
            await self.say(update, context, key)

        return give

    # --- the conversation -------------------------------------------------------------------

    def conversation(
        self,
        *,
        commands: list[str],
        start: Handler,
        confirm: Handler,
        entry_points: Iterable[BaseHandler] = (),
        states: dict[object, list[BaseHandler]],
        old_back_data: Iterable[str] = (),
    ) -> ConversationHandler:
        """The ConversationHandler, persistent across restarts, with what every step shares:
        resume, back, a late confirm, hints; /huy and Stop from anywhere."""
        states[self.resume_state] = [
            button(self._resume, self.cb_resume, exact=True),
            button(self._restart, self.cb_restart, exact=True),
        ]
        back = self.step(self._back)
        for state, handlers in states.items():
            handlers.append(button(back, self.cb_back, exact=True))
            handlers.extend(button(back, data, exact=True) for data in old_back_data)
            if state != self.review:  # a slow network can deliver the current review's confirm late
                handlers.append(button(confirm, self.cb_confirm))
            handlers.append(MessageHandler(~filters.COMMAND, self.hints.get(str(state), self.hint("use_buttons"))))
        return persistent_conversation(
            self.name,
            # A confirm that arrives after the conversation ended (a double tap, an old
            # review) is answered "already saved" or "expired", never stored again.
            entry_points=[CommandHandler(commands, start), *entry_points, button(confirm, self.cb_confirm)],
            states=states,
            fallbacks=[
                CommandHandler(["huy", "cancel"], self.stop),
                button(self.stop, self.cb_stop, exact=True),
                MessageHandler(filters.COMMAND, self.hint("other_command")),
            ],
            allow_reentry=True,
        )


def _idle(context: BotContext, touched_at: str, timeout: timedelta) -> bool:
    return context.clock.now() - parse_stamp(touched_at) > timeout


def callback_tail(update: Update, prefix: str) -> str:
    """What follows ``prefix`` in the pressed button's data ('' for a message)."""
    data = update.callback_query.data if update.callback_query else None
    return (data or "")[len(prefix) :]


def callback_tail_int(update: Update, prefix: str) -> int | None:
    """The number after ``prefix`` (up to the next ':'), or None."""
    tail = callback_tail(update, prefix).split(":")[0]
    return parse_id(tail)


def page_of(update: Update, prefix: str) -> int:
    """The page a paging button asks for; 0 when the screen is reached another way."""
    data = update.callback_query.data if update.callback_query else None
    if not data or not data.startswith(prefix):
        return 0
    return callback_tail_int(update, prefix) or 0


def page_rows(options: list[Option], page: int, page_prefix: str, lang: str) -> list[list[Option]]:
    """One page of a long pick-list, with «◀ Trước» / «Sau ▶» buttons carrying ``page_prefix``."""
    return paged(
        options,
        page,
        previous=Option(t("btn.prev_page", lang), f"{page_prefix}{page - 1}"),
        following=Option(t("btn.next_page", lang), f"{page_prefix}{page + 1}"),
    )


async def read_text(update: Update, context: BotContext, limit: int) -> str | None:
    """The typed text, cleaned; None (after telling the cadre why) when it cannot be used.

    A text refused as too long leaves the step where it was, its buttons working. When it
    was long enough to be the first half of a message Telegram split, the next text is
    taken for its tail: refused too, with a word, rather than stored as the content.
    """
    lang = await context.lang(update)
    message = update.effective_message
    raw = message.text or "" if message else ""
    sent = int(message.date.timestamp()) if message and message.date else 0
    head = context.user_data.pop(TAIL_KEY, None)
    if isinstance(head, int) and 0 <= sent - head <= TAIL_SECONDS:
        await show(update, context, Screen(t("text.tail", lang, length=len(raw))))
        return None
    try:
        return clean_text(raw, limit)
    except TextTooLong as error:
        if error.length >= SPLIT_LENGTH:
            context.user_data[TAIL_KEY] = sent
        await show(update, context, Screen(t("text.too_long", lang, length=error.length, limit=limit)))
    except TextEmpty:
        await show(update, context, Screen(t("text.empty", lang)))
    return None


def incoming_attachment(message: Message | None) -> DraftPhoto | None:
    """The photo of a message (its largest size), or a file: an image or the minutes as a PDF."""
    if message is None:
        return None
    if message.photo:
        biggest = message.photo[-1]
        return DraftPhoto(biggest.file_id, biggest.file_unique_id)
    document = message.document
    if document is not None:
        image = (document.mime_type or "").startswith("image/")
        return DraftPhoto(document.file_id, document.file_unique_id, "photo" if image else "document")
    return None


def button(callback: Callable[..., Any], data: str, *, exact: bool = False) -> CallbackQueryHandler:
    """A handler for buttons whose data is ``data`` (exact) or starts with it."""
    pattern = f"^{data}$" if exact else f"^{data}"
    return CallbackQueryHandler(callback, pattern=pattern)


def one_flow_at_a_time(own: str) -> Callable[[Handler], Handler]:
    """For the entry points of a report flow: while the cadre is half-way through another
    one, a hint, rather than a second flow started with the first left dangling underneath.
    """

    def decorate(entry: Handler) -> Handler:
        @wraps(entry)
        async def wrapper(update: Update, context: BotContext) -> object:
            if await other_flow_in_progress(update, context, own):
                await answer_button(update)
                await show(update, context, Screen(t("flow.busy", await context.lang(update))))
                return None  # the conversation is not entered; the other one stays as it is
            return await entry(update, context)

        return wrapper

    return decorate


async def other_flow_in_progress(update: Update, context: BotContext, own: str) -> bool:
    """Whether this chat's user is half-way through another report flow than ``own``.

    Read from the persisted conversation states, which are written after every update
    (handlers/updates.py): the public way to see another ConversationHandler's state.
    """
    chat, user, persistence = update.effective_chat, update.effective_user, context.application.persistence
    if chat is None or user is None or not isinstance(persistence, SqlitePersistence):
        return False
    for name in REPORT_FLOWS - {own}:
        if await persistence.state_of(name, (chat.id, user.id)) is not None:
            return True
    return False
