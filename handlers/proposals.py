"""Model proposals: replicate a model to a village, or commend it (issue 14 part 2).

A proposal comes from an inspection's recommendation (the inspection flow calls
storage/proposals.py ``file_proposal`` and then ``post_new_proposals``) or from an admin
with ``/dexuat``. It is posted where escalations go — the Standing Committee's group, or
every admin without one — with «✅» / «❌». An admin whose scope covers it decides there:
a replication at once (the village becomes a place of the model), a commendation after
choosing its form (Giấy khen, Bằng khen, Biểu dương; another form is typed with
``/dexuat quyetdinh N …``). The decision is recorded once (a double tap, or two admins
at once, change nothing more), shown on every posted copy, and announced to the model's
owner (scheduler/proposal_posts.py ``announce``). Anyone else's press is refused, and
the refusal audited.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.screens import Screen
from bot.texts import t
from domain.callbacks import CB_PROPOSAL_APPROVE, CB_PROPOSAL_BACK, CB_PROPOSAL_FORM, CB_PROPOSAL_REJECT
from domain.clock import utc_stamp
from domain.ids import parse_id
from domain.textinput import fold
from handlers.common import answer_button, deny, say, show
from scheduler import proposal_posts
from storage import proposals, roster
from storage.proposals import COMMEND, FORMS, PROPOSED, REPLICATE, Decision, Proposal, ProposalRefused

SHOWN_OPEN = 5  # waiting proposals /dexuat shows with their buttons
COMMEND_WORDS = frozenset({"khen", "khenthuong", "commend"})
REPLICATE_WORDS = frozenset({"nhanrong", "replicate"})
DECIDE_WORDS = frozenset({"quyetdinh", "decide"})


async def post_new_proposals(context: BotContext) -> None:
    """Posts whatever waiting proposal has not been posted yet (the one just filed)."""
    await proposal_posts.post_unposted(
        context.db, context.bot_data.channels, admin_ids=context.config.admin_ids,
        lang=context.config.default_language, tz=context.clock.tz, now_stamp=utc_stamp(context.clock.now()),
    )


# --- the buttons on a posted proposal ------------------------------------------------------------


async def _proposal_for_admin(update: Update, context: BotContext, prefix: str) -> Proposal | None:
    """The proposal a button names, if the presser may decide it; else the press is
    answered (and a refusal audited)."""
    if not await context.is_admin():
        await deny(update, context, "pr.admins_only", action="proposal_button")
        return None
    query = update.callback_query
    tail = (query.data or "")[len(prefix):] if query else ""
    proposal_id = parse_id(tail.split(":", 1)[0])
    proposal = await proposals.get(context.db, proposal_id) if proposal_id is not None else None
    if proposal is None:
        await answer_button(update, t("pr.not_found", await context.lang(update)))
        return None
    if not await proposals.in_scope(context.db, proposal, await context.admin_scope()):
        await deny(update, context, "pr.out_of_scope", action="proposal_out_of_scope")
        return None
    if proposal.status != PROPOSED:
        await answer_button(update, t("pr.already_decided", await context.lang(update), number=proposal.id))
        await _show_decided(update, context, proposal)
        return None
    return proposal


async def approve(update: Update, context: BotContext) -> None:
    """«✅»: a replication is approved; a commendation asks for its form first."""
    proposal = await _proposal_for_admin(update, context, CB_PROPOSAL_APPROVE)
    if proposal is None:
        return
    lang = context.config.default_language
    if proposal.kind == COMMEND:
        await answer_button(update, t("pr.choose_toast", await context.lang(update)))
        await show(update, context, proposal_posts.post_screen(proposal, lang, context.clock.tz, choosing_form=True), edit=True)
        return
    await _decide(update, context, proposal, approve=True)


async def choose_form(update: Update, context: BotContext) -> None:
    """A form of commendation pressed: the commendation is approved with it."""
    proposal = await _proposal_for_admin(update, context, CB_PROPOSAL_FORM)
    if proposal is None:
        return
    query = update.callback_query
    form = (query.data or "").rsplit(":", 1)[-1] if query else ""
    if proposal.kind != COMMEND or form not in FORMS:
        await answer_button(update, t("pr.not_found", await context.lang(update)))
        return
    await _decide(update, context, proposal, approve=True, form=form)


async def reject(update: Update, context: BotContext) -> None:
    proposal = await _proposal_for_admin(update, context, CB_PROPOSAL_REJECT)
    if proposal is not None:
        await _decide(update, context, proposal, approve=False)


async def back(update: Update, context: BotContext) -> None:
    """From the forms back to «✅» / «❌» (nothing is recorded)."""
    proposal = await _proposal_for_admin(update, context, CB_PROPOSAL_BACK)
    if proposal is None:
        return
    await answer_button(update)
    screen = proposal_posts.post_screen(proposal, context.config.default_language, context.clock.tz)
    await show(update, context, screen, edit=True)


async def _decide(update: Update, context: BotContext, proposal: Proposal, *, approve: bool,
                  form: str | None = None, text: str | None = None) -> Decision | None:
    """Records the decision once; the first to record it updates the posts and tells the owner."""
    lang = await context.lang(update)
    if approve and proposal.model_status not in ("active", "replicated"):
        await _tell(update, context, "pr.model_closed")
        return None
    cadre = await context.cadre()
    user = update.effective_user
    decision = await proposals.decide(
        context.db, proposal.id, approve=approve, by=cadre.id if cadre else None, now=context.clock.now(),
        telegram_id=user.id if user else None, form=form, text=text,
    )
    if decision is None:
        await _tell(update, context, "pr.not_found")
        return None
    key = "pr.decided_toast" if decision.changed else "pr.already_decided"
    await answer_button(update, t(key, lang, number=proposal.id))
    await _show_decided(update, context, decision.proposal)
    if decision.changed:
        await proposal_posts.announce(
            context.db, context.bot_data.channels, decision.proposal,
            default_lang=context.config.default_language, skip=cadre.id if cadre else None,
        )
    return decision


async def _tell(update: Update, context: BotContext, key: str) -> None:
    """A toast under the pressed button, or a message for a typed ``/dexuat quyetdinh``:
    a command gets no toast, so without this it would get no answer at all."""
    if update.callback_query is not None:
        await answer_button(update, t(key, await context.lang(update)))
    else:
        await say(update, context, key)


async def _show_decided(update: Update, context: BotContext, proposal: Proposal) -> None:
    """The decision on every posted copy, and on the pressed message (a /dexuat list)."""
    decider = await _decider_name(context, proposal)
    lang, tz = context.config.default_language, context.clock.tz
    await proposal_posts.refresh_posts(context.db, context.bot_data.channels, proposal, lang=lang, tz=tz, decider=decider)
    query = update.callback_query
    posted = {message for _, message in await proposals.posts(context.db, proposal.id)}
    if query is not None and query.message is not None and query.message.message_id not in posted:
        await show(update, context, proposal_posts.post_screen(proposal, lang, tz, decider=decider), edit=True)


async def _decider_name(context: BotContext, proposal: Proposal) -> str:
    cadre = await roster.get_cadre(context.db, proposal.decided_by) if proposal.decided_by else None
    return cadre.full_name if cadre else t("pr.someone", context.config.default_language)


# --- /dexuat -------------------------------------------------------------------------------------


async def propose(update: Update, context: BotContext) -> None:
    """/dexuat: the waiting proposals (with their buttons) and how to file one;
    /dexuat khen|nhanrong … files one; /dexuat quyetdinh N … decides with a typed form."""
    if not await context.is_admin():
        await deny(update, context, "admin_only", action="admin_command")
        return
    words = list(context.args or [])
    verb = fold(words[0]).replace(" ", "") if words else ""
    if verb in COMMEND_WORDS and len(words) >= 2:
        await _file(update, context, COMMEND, words[1], None, " ".join(words[2:]))
    elif verb in REPLICATE_WORDS and len(words) >= 3:
        await _file(update, context, REPLICATE, words[1], words[2], " ".join(words[3:]))
    elif verb in DECIDE_WORDS and len(words) >= 3:
        await _decide_typed(update, context, words[1], " ".join(words[2:]))
    else:
        await _list_open(update, context)


async def _list_open(update: Update, context: BotContext) -> None:
    lang = await context.lang(update)
    waiting = await proposals.decidable(context.db, await context.admin_scope(), limit=SHOWN_OPEN)
    head = t("pr.open_head", lang, count=len(waiting)) if waiting else t("pr.open_none", lang)
    await show(update, context, Screen(f"{head}\n\n{t('pr.usage', lang)}"))
    for proposal in waiting:
        await show(update, context, proposal_posts.post_screen(proposal, lang, context.clock.tz))


async def _file(update: Update, context: BotContext, kind: str, model_code: str, place_code: str | None,
                detail: str) -> None:
    """Files an admin's proposal inside their scope, then posts it."""
    scope = await context.admin_scope()
    model = await proposals.running_model_by_code(context.db, model_code)
    if model is None:
        await say(update, context, "pr.unknown_model", code=model_code)
        return
    if kind == COMMEND and not await proposals.model_in_scope(context.db, model.id, scope):
        await deny(update, context, "pr.model_out_of_scope", action="proposal_out_of_scope", code=model.code)
        return
    target = await proposals.unit_by_code(context.db, place_code) if place_code else None
    if kind == REPLICATE:
        if target is None:
            await say(update, context, "pr.unknown_place", code=place_code)
            return
        if not await proposals.unit_in_scope(context.db, target[0], scope):
            await deny(update, context, "pr.place_out_of_scope", action="proposal_out_of_scope", place=target[1])
            return
        if await proposals.is_place(context.db, model.id, target[0]):
            await say(update, context, "pr.already_a_place", model=model.name, target=target[1])
            return
    cadre, message = await context.cadre(), update.effective_message
    token = f"cmd:{context.channel}:{message.chat_id}:{message.message_id}" if message else f"cmd:{update.update_id}"
    try:
        filed = await proposals.file_proposal(
            context.db, token=token, kind=kind, model_id=model.id, proposed_by=cadre.id if cadre else None,
            now=context.clock.now(), target_unit_id=target[0] if target else None, detail=detail[: proposals.DETAIL_LIMIT],
            telegram_id=update.effective_user.id if update.effective_user else None,
        )
    except ProposalRefused:
        await say(update, context, "pr.unknown_model", code=model_code)
        return
    await post_new_proposals(context)
    await say(update, context, "pr.filed" if filed.created else "pr.already_filed", number=filed.id)


async def _decide_typed(update: Update, context: BotContext, number: str, form_text: str) -> None:
    """/dexuat quyetdinh N Bằng khen của Chủ tịch UBND tỉnh: approves a commendation with
    a form that is not on the buttons."""
    proposal_id = parse_id(number.lstrip("#"))
    proposal = await proposals.get(context.db, proposal_id) if proposal_id is not None else None
    if proposal is None or proposal.kind != COMMEND or proposal.status != PROPOSED:
        await say(update, context, "pr.not_commend", number=number)
        return
    if not await proposals.in_scope(context.db, proposal, await context.admin_scope()):
        await deny(update, context, "pr.out_of_scope", action="proposal_out_of_scope")
        return
    decision = await _decide(update, context, proposal, approve=True, form="other",
                             text=form_text[: proposals.DECISION_LIMIT])
    if decision is not None:
        await say(update, context, "pr.decided" if decision.changed else "pr.already_decided", number=proposal.id)


def handlers() -> list:
    """The proposal handlers: the buttons on a posted proposal, and /dexuat."""
    return [
        CallbackQueryHandler(approve, pattern=f"^{CB_PROPOSAL_APPROVE}"),
        CallbackQueryHandler(choose_form, pattern=f"^{CB_PROPOSAL_FORM}"),
        CallbackQueryHandler(reject, pattern=f"^{CB_PROPOSAL_REJECT}"),
        CallbackQueryHandler(back, pattern=f"^{CB_PROPOSAL_BACK}"),
        CommandHandler(["dexuat", "propose"], propose),
    ]
