"""The one skeleton of the step-by-step report conversations (the visit report, the model update).

Each of them keeps a draft in the user's persisted data and moves one screen at a time.
What they share lives here, once: starting or continuing a draft (resume lands on the
step left, with what was filled shown), stopping (the draft is kept), «⬅ Quay lại» on
every step, hints for input that fits no step, answers to stale and expired buttons,
over-long texts, the end of the conversation, and a stored draft's lost receipt (the
rule that a cadre fills in one report at a time is handlers/one_flow.py's). A flow module only supplies its steps: a screen per state, the
handlers that move between them, and its confirm.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import Any, Generic, Protocol, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.drafts import MAX_PHOTOS, DraftPhoto
from bot.screens import Option, Screen
from bot.texts import t
from domain.clock import parse_stamp, utc_stamp
# The buttons' helpers and typed input are their own modules; the step modules and the
# other conversations import them from here too, as before the split (hence F401).
from handlers.buttons import answer_expired, button, callback_tail, callback_tail_int, page_of, page_rows  # noqa: F401
from handlers.common import answer_button, show
from handlers.conversation import persistent_conversation
from handlers.one_flow import one_flow_at_a_time  # noqa: F401 - re-exported, as before the split
from handlers.typed_input import (  # noqa: F401
    ATTACHMENTS,
    SPLIT_LENGTH,
    TAIL_KEY,
    TAIL_SECONDS,
    TYPED,
    incoming_attachment,
    read_text,
)

END = ConversationHandler.END


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
    stored_as: Callable[[BotContext, D], Awaitable[int | None]] | None = None  # the number stored under its token
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
        previous = self.load(context.user_data)
        if previous is not None and previous.token != draft.token:  # a new draft replaces it
            if (number := await self.stored(context, previous)) is not None:
                note = "\n\n".join(filter(None, [await self.text(update, context, "stored_draft", number=number), note]))
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
        if (number := await self.stored(context, draft)) is not None:
            return await self.forget_stored(update, context, number)
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
        if (number := await self.stored(context, draft)) is not None:
            return await self.forget_stored(update, context, number)
        state = self.resume_step(draft)
        note = ""
        if self.filled is not None and state != self.review:
            note = await self.filled(context, draft, await context.lang(update))
        return await self.go(update, context, draft, state, note=note)

    async def _restart(self, update: Update, context: BotContext) -> object:
        await answer_button(update)
        if (number := await self.stored(context, self.load(context.user_data))) is not None:
            return await self.forget_stored(update, context, number)
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
        """The end of the conversation: the last screen (a refusal), no buttons."""
        await show(update, context, Screen(text), edit=True)
        return END

    # --- a stored draft: told once, never offered again -------------------------------------

    async def receipt(
        self, update: Update, context: BotContext, text: str, *, let_go: Callable[[dict[str, Any]], None] | None = None
    ) -> object:
        """The end of a stored draft: the receipt first, and only then the draft goes
        (``let_go``, by default ``drop``).

        In this order a kill between the store and the receipt leaves the draft, with its
        token, in the persisted data (any update of anyone writes it meanwhile), so the
        cadre's retry - the same Confirm, /baocao, a reminder's button - is told the
        report's number (``stored``) and never starts the same report again. Dropped
        first, a kill could leave a stored report the cadre was never told about.
        """
        await show(update, context, Screen(text), edit=True)
        (let_go or self.drop)(context.user_data)
        return END

    async def stored(self, context: BotContext, draft: D | None) -> int | None:
        """The number of the report this draft was already stored as (its receipt lost
        to a restart), or None."""
        if draft is None or self.stored_as is None:
            return None
        return await self.stored_as(context, draft)

    async def forget_stored(self, update: Update, context: BotContext, number: int) -> object:
        """A draft found stored: the cadre is told its number, and the draft goes."""
        await answer_button(update)
        self.drop(context.user_data)
        await self.say(update, context, "stored_draft", number=number)
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
