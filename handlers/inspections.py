"""Inspection plans for admins: /kiemtra (the plans and the models due), changing a
level's plan (top unit's admins only: it applies to everyone), /nguoikiemtra (a model's
inspector) and /chuyendoi (closing a model as converted, after a confirming press).

Thin handlers: the rules are domain/inspections.py's, the writes and their audit entries
storage/inspections.py's. Every refusal goes through ``deny`` (audited).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.screens import Option, Screen
from bot.texts import t
from domain import inspections as rule
from domain.clock import utc_stamp
from domain.dates import format_date
from domain.textinput import fold
from handlers.common import answer_button, deny, may_change_org_settings, show
from handlers.flow import button, callback_tail_int
from storage import inspections, proposals, roster, scope
from storage.inspections import InspectionRefused

CB_CONVERT = "kt:cv:"  # + model id: confirms /chuyendoi
PENDING_CONVERSION = "inspections.convert"  # user_data: {model id: reason} waiting for the press
SHOWN_OVERDUE = 10
LEVEL_WORDS = {
    "tinh": "province", "province": "province",
    "xa": "district", "phuong": "district", "district": "district", "commune": "district",
    "coso": "grassroots", "grassroots": "grassroots",
}


async def _admin(update: Update, context: BotContext) -> bool:
    if await context.is_admin():
        return True
    await deny(update, context, "admin_only", action="admin_command")
    return False


def _who(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


# --- /kiemtra -----------------------------------------------------------------------------------


async def plans(update: Update, context: BotContext) -> None:
    """/kiemtra: the plans and the models due in the admin's scope;
    /kiemtra tinh|xa|coso N changes a level's plan (top unit's admins)."""
    if not await _admin(update, context):
        return
    args = list(context.args or [])
    if args and not await _change_plan(update, context, args):
        return
    await show(update, context, Screen(await _plans_text(context, await context.lang(update))))


async def _change_plan(update: Update, context: BotContext, args: list[str]) -> bool:
    """Changes one level's plan; False when refused (nothing more is shown then)."""
    if not await may_change_org_settings(update, context):
        return False
    lang = await context.lang(update)
    level = LEVEL_WORDS.get(fold(args[0]).replace(" ", ""))
    count = args[1] if len(args) == 2 else ""
    if level is None or not count.isdigit() or int(count) > rule.MAX_PER_YEAR:
        await show(update, context, Screen(t("insp.plan_bad", lang, max=rule.MAX_PER_YEAR)))
        return False
    me = await context.cadre()
    await inspections.set_per_year(
        context.db, level, int(count), by=me.id if me else None, telegram_id=_who(update),
        now=utc_stamp(context.clock.now()),
    )
    await show(update, context, Screen(t("insp.plan_saved", lang, level=t(f"insp.level.{level}", lang), count=count)))
    return True


async def _plans_text(context: BotContext, lang: str) -> str:
    per_year = await inspections.per_year(context.db)
    lines = [t("insp.plan_line", lang, level=t(f"insp.level.{level}", lang), count=per_year[level])
             for level in rule.LEVELS]
    today = context.clock.now().date()
    overdue = await inspections.overdue_inspections(context.db, await context.admin_scope(), today)
    if overdue:
        shown = [
            t("insp.overdue_line", lang, model=item.model.name,
              since=t("insp.since", lang, day=format_date(item.due.since)) if item.due.since else t("insp.never", lang),
              inspector=item.model.inspector_name or t("insp.nobody", lang))
            for item in overdue[:SHOWN_OVERDUE]
        ]
        if len(overdue) > SHOWN_OVERDUE:
            shown.append(t("insp.overdue_more", lang, count=len(overdue) - SHOWN_OVERDUE))
        due = t("insp.overdue_head", lang, count=len(overdue)) + "\n" + "\n".join(shown)
    else:
        due = t("insp.none_overdue", lang)
    text = t("insp.plan", lang, plans="\n".join(lines), overdue=due)
    return f"{text}\n\n{t('insp.how', lang)}"


# --- /nguoikiemtra ------------------------------------------------------------------------------


async def assign(update: Update, context: BotContext) -> None:
    """/nguoikiemtra MODEL CADRE: the model's inspector, both within the admin's scope."""
    if not await _admin(update, context):
        return
    lang = await context.lang(update)
    args = list(context.args or [])
    if len(args) != 2:
        await show(update, context, Screen(t("insp.assign_bad", lang)))
        return
    admin_scope = await context.admin_scope()
    model = await proposals.running_model_by_code(context.db, args[0])
    if model is None:
        await show(update, context, Screen(t("insp.model_unknown", lang, code=args[0][:30])))
        return
    if not await proposals.model_owned_in_scope(context.db, model.id, admin_scope):
        await deny(update, context, "insp.model_out_of_scope", action="model_inspector")
        return
    cadre = await roster.cadre_by_code(context.db, args[1])
    if cadre is None or not cadre.active:
        await show(update, context, Screen(t("insp.cadre_unknown", lang, code=args[1][:30])))
        return
    if not await scope.cadre_in_scope(context.db, cadre.id, admin_scope):
        await deny(update, context, "scope.cadre_out_of_scope", action="model_inspector")
        return
    me = await context.cadre()
    await inspections.set_inspector(
        context.db, model.id, cadre.id, by=me.id if me else None, telegram_id=_who(update),
        now=utc_stamp(context.clock.now()),
    )
    await show(update, context, Screen(t("insp.assigned", lang, model=model.name, cadre=cadre.full_name)))


# --- /chuyendoi ---------------------------------------------------------------------------------


async def ask_conversion(update: Update, context: BotContext) -> None:
    """/chuyendoi MODEL REASON: asks to confirm closing the model (a press, not a typo)."""
    if not await _admin(update, context):
        return
    lang = await context.lang(update)
    args = list(context.args or [])
    reason = " ".join(args[1:]).strip()[:500]
    if len(args) < 2 or not reason:
        await show(update, context, Screen(t("insp.convert_bad", lang)))
        return
    model = await proposals.running_model_by_code(context.db, args[0])
    if model is None:
        await show(update, context, Screen(t("insp.model_unknown", lang, code=args[0][:30])))
        return
    if not await proposals.model_owned_in_scope(context.db, model.id, await context.admin_scope()):
        await deny(update, context, "insp.model_out_of_scope", action="model_convert")
        return
    context.user_data[PENDING_CONVERSION] = {str(model.id): reason}
    await show(update, context, Screen.of(
        t("insp.convert_ask", lang, model=model.name, reason=reason),
        Option(t("insp.btn.convert", lang), f"{CB_CONVERT}{model.id}"),
        Option(t("btn.cancel", lang), f"{CB_CONVERT}0"),
    ))


async def convert(update: Update, context: BotContext) -> None:
    """The confirming press: closes the model once (a second press changes nothing)."""
    if not await context.is_admin():
        await deny(update, context, "admin_only", action="admin_button")
        return
    await answer_button(update)
    lang = await context.lang(update)
    model_id = callback_tail_int(update, CB_CONVERT) or 0
    reason = (context.user_data.get(PENDING_CONVERSION) or {}).get(str(model_id))
    if not model_id or reason is None:
        context.user_data.pop(PENDING_CONVERSION, None)
        await show(update, context, Screen(t("insp.converted_already" if model_id else "insp.convert_cancelled", lang)), edit=True)
        return
    if not await proposals.model_owned_in_scope(context.db, model_id, await context.admin_scope()):
        await deny(update, context, "insp.model_out_of_scope", action="model_convert")
        return
    me = await context.cadre()
    try:
        done = await inspections.convert_model(
            context.db, model_id, reason, by=me.id if me else None, telegram_id=_who(update),
            now=utc_stamp(context.clock.now()),
        )
    except InspectionRefused:
        done = False
    context.user_data.pop(PENDING_CONVERSION, None)
    name = await inspections.model_name(context.db, model_id)
    await show(update, context, Screen(t("insp.converted" if done else "insp.converted_already", lang, model=name)),
               edit=True)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["kiemtra", "inspections"], plans),
        CommandHandler(["nguoikiemtra", "inspector"], assign),
        CommandHandler(["chuyendoi", "convert"], ask_conversion),
        button(convert, CB_CONVERT),
    ]
