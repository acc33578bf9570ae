"""/tailieu: an admin sends a material to the cells; a cell confirms it with «✅ Đã nhận».

``/tailieu`` lists the latest materials with their receipt rates, and offers to send a
new one in four steps: the file (PDF, DOCX, a picture) or a link → the title → the
audience (all cells of the admin's scope, one commune's cells, or the cells of one kind of
residential area) → review and send. Confirming stores the material and one delivery
per cell (storage/materials.py) and wakes the materials sweep (scheduler/materials.py),
which sends it through the reminders' throttle.

The «✅ Đã nhận» button records the cell's receipt once: pressed by the cell's recipient,
its secretary or a cadre assigned to it. A second press, or an old message's, is
answered and changes nothing; anyone else is refused and audit-logged.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.screens import Option, Screen, paged
from bot.texts import t
from domain.areas import area_kind
from domain.callbacks import CB_MATERIAL_RECEIVED
from domain.clock import parse_stamp, utc_stamp
from domain.dates import format_date
from domain.ids import parse_id
from handlers.buttons import answer_expired
from handlers.common import answer_button, deny, drop_buttons, say, show
from handlers.conversation import persistent_conversation
from handlers.flow import button, callback_tail, callback_tail_int, read_text
from scheduler import jobs
from scheduler.schedule import is_quiet, quiet_until
from scheduler.settings import load_settings
from storage import materials as store
from storage.materials import AudienceCell, NewMaterial

END = ConversationHandler.END
TL_MENU, TL_FILE, TL_TITLE, TL_AUDIENCE, TL_COMMUNE, TL_KIND, TL_CONFIRM = (
    "tl.menu", "tl.file", "tl.title", "tl.audience", "tl.commune", "tl.kind", "tl.confirm",
)
DRAFT_KEY = "material_draft"
TITLE_LIMIT = 150
LIST_LIMIT = 8

CB_NEW = "tl:new"
CB_CAPTION = "tl:cap"
CB_ALL = "tl:all"
CB_COMMUNES = "tl:cms:"  # + page
CB_COMMUNE = "tl:cm:"  # + commune id
CB_KINDS = "tl:kinds"
CB_KIND = "tl:k:"  # + index into the kinds shown
CB_SEND = "tl:send"
CB_STOP = "tl:x"

DOCUMENT_SUFFIXES = (".pdf", ".docx", ".doc")
_LINK = re.compile(r"https?://\S+", re.IGNORECASE)


# --- /tailieu: the list ---------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> object:
    """/tailieu: an admin sends a material (a file) to the cells of their scope."""
    if not await context.is_admin():
        await deny(update, context, "admin_only", action="materials")
        return END
    lang = await context.lang(update)
    context.user_data.pop(DRAFT_KEY, None)
    receipts = await store.receipts(context.db, await context.admin_scope(), limit=LIST_LIMIT, missing_limit=0)
    lines = [t("tl.list_title", lang)]
    for r in receipts:
        unsent = r.cells - r.sent
        lines.append(t(
            "tl.list_line", lang, number=r.material_id, title=r.title, date=format_date(_local_day(context, r.created_at)),
            received=r.received, cells=r.cells, pct=r.percent,
            unsent=t("tl.list_unsent", lang, count=unsent) if unsent else "",
        ))
    if not receipts:
        lines.append(t("tl.list_none", lang))
    await show(update, context, Screen.of("\n".join(lines), Option(t("tl.btn.new", lang), CB_NEW)))
    return TL_MENU


def _local_day(context: BotContext, stamp: str) -> Any:
    return parse_stamp(stamp).astimezone(context.config.tz).date()


async def ask_file(update: Update, context: BotContext) -> object:
    """Asks for the file; the draft's token makes a double-tapped send store it once."""
    await answer_button(update)
    lang = await context.lang(update)
    context.user_data[DRAFT_KEY] = {"token": secrets.token_hex(8)}
    await show(update, context, Screen.of(t("tl.ask_file", lang), Option(t("btn.cancel", lang), CB_STOP)), edit=True)
    return TL_FILE


# --- step 1: the file or the link ---------------------------------------------------------------


async def got_file(update: Update, context: BotContext) -> object:
    """The file received (a document or photo); its caption is offered as the title."""
    lang = await context.lang(update)
    message = update.effective_message
    draft = context.user_data.setdefault(DRAFT_KEY, {"token": secrets.token_hex(8)})
    if message is None:
        return TL_FILE
    caption = (message.caption or "").strip()
    if message.photo:
        draft.update(kind="photo", file_id=message.photo[-1].file_id, file_name=None, url=None)
    elif message.document is not None:
        document = message.document
        name = document.file_name or ""
        is_image = (document.mime_type or "").startswith("image/")
        if not (name.lower().endswith(DOCUMENT_SUFFIXES) or is_image):
            await show(update, context, Screen(t("tl.bad_file", lang, name=name[:60] or "?")))
            return TL_FILE
        draft.update(kind="document", file_id=document.file_id, file_name=name or None, url=None)
    else:
        link = _LINK.search(message.text or "")
        if link is None:
            await show(update, context, Screen(t("tl.bad_input", lang)))
            return TL_FILE
        draft.update(kind="link", file_id=None, file_name=None, url=link.group(0)[:500])
        caption = (message.text or "").replace(link.group(0), " ").strip()
    caption = " ".join(caption.split())[:TITLE_LIMIT]
    draft["caption"] = caption
    options = [Option(t("tl.btn.use_caption", lang, caption=caption[:40]), CB_CAPTION)] if caption else []
    await show(update, context, Screen.of(t("tl.ask_title", lang), *options, Option(t("btn.cancel", lang), CB_STOP)))
    return TL_TITLE


# --- step 2: the title ----------------------------------------------------------------------


async def typed_title(update: Update, context: BotContext) -> object:
    """A typed title (too long or empty: asked again)."""
    title = await read_text(update, context, TITLE_LIMIT)
    if title is None:
        return TL_TITLE
    return await _set_title(update, context, title)


async def use_caption(update: Update, context: BotContext) -> object:
    """The file's caption as the title."""
    await answer_button(update)
    caption = context.user_data.get(DRAFT_KEY, {}).get("caption")
    if not caption:
        return TL_TITLE
    return await _set_title(update, context, caption)


async def _set_title(update: Update, context: BotContext, title: str) -> object:
    draft = context.user_data.get(DRAFT_KEY)
    if not draft or "kind" not in draft:
        await answer_expired(update, context, answered=True)
        return END
    draft["title"] = title
    return await _ask_audience(update, context)


# --- step 3: the audience -------------------------------------------------------------------


async def _cells(context: BotContext) -> list[AudienceCell]:
    today = context.clock.now().astimezone(context.config.tz).date().isoformat()
    return await store.audience_cells(context.db, await context.admin_scope(), today=today)


async def _ask_audience(update: Update, context: BotContext) -> object:
    lang = await context.lang(update)
    cells = await _cells(context)
    if not cells:
        await say(update, context, "tl.no_cells")
        return END
    screen = Screen.of(
        t("tl.ask_audience", lang, title=context.user_data[DRAFT_KEY]["title"]),
        Option(t("tl.btn.all", lang, count=len(cells)), CB_ALL),
        Option(t("tl.btn.commune", lang), f"{CB_COMMUNES}0"),
        Option(t("tl.btn.kind", lang), CB_KINDS),
        Option(t("btn.cancel", lang), CB_STOP),
    )
    await show(update, context, screen, edit=update.callback_query is not None)
    return TL_AUDIENCE


async def pick_all(update: Update, context: BotContext) -> object:
    """Every cell of the admin's scope."""
    await answer_button(update)
    return await _review(update, context, "all", None, None)


async def list_communes(update: Update, context: BotContext) -> object:
    """The communes of the scope, each with its number of cells."""
    await answer_button(update)
    lang = await context.lang(update)
    counts: dict[int, tuple[str, int]] = {}
    for cell in await _cells(context):
        if cell.commune_id is not None:
            name, count = counts.get(cell.commune_id, (cell.commune_name or "", 0))
            counts[cell.commune_id] = (name, count + 1)
    options = [
        Option(t("tl.option_count", lang, name=name, count=count), f"{CB_COMMUNE}{commune_id}")
        for commune_id, (name, count) in sorted(counts.items(), key=lambda item: item[1][0])
    ]
    page = callback_tail_int(update, CB_COMMUNES) or 0
    rows = paged(options, page, previous=Option("◀", f"{CB_COMMUNES}{page - 1}"), following=Option("▶", f"{CB_COMMUNES}{page + 1}"))
    await show(update, context, Screen.of(t("tl.pick_commune", lang), *rows, Option(t("btn.cancel", lang), CB_STOP)), edit=True)
    return TL_COMMUNE


async def pick_commune(update: Update, context: BotContext) -> object:
    """One commune's cells; a commune outside the scope (an old or forged button) is refused."""
    commune_id = callback_tail_int(update, CB_COMMUNE)
    if commune_id is None or not any(c.commune_id == commune_id for c in await _cells(context)):
        await answer_expired(update, context, denied="materials_out_of_scope")
        return END
    await answer_button(update)
    return await _review(update, context, "commune", commune_id, None)


def _kinds(cells: list[AudienceCell]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for cell in cells:
        kind = area_kind(cell.village_name)
        counts[kind] = counts.get(kind, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


async def list_kinds(update: Update, context: BotContext) -> object:
    """The kinds of village (thôn, tổ dân phố…) found in the scope."""
    await answer_button(update)
    lang = await context.lang(update)
    kinds = _kinds(await _cells(context))[:8]
    context.user_data[DRAFT_KEY]["kinds"] = [kind for kind, _ in kinds]
    options = [
        Option(t("tl.option_count", lang, name=kind[:1].upper() + kind[1:], count=count), f"{CB_KIND}{index}")
        for index, (kind, count) in enumerate(kinds)
    ]
    await show(update, context, Screen.of(t("tl.pick_kind", lang), *options, Option(t("btn.cancel", lang), CB_STOP)), edit=True)
    return TL_KIND


async def pick_kind(update: Update, context: BotContext) -> object:
    """The cells of one kind of village."""
    await answer_button(update)
    index = callback_tail_int(update, CB_KIND)
    kinds = context.user_data.get(DRAFT_KEY, {}).get("kinds", [])
    if index is None or index >= len(kinds):
        await answer_expired(update, context, answered=True)
        return END
    return await _review(update, context, "area_kind", None, kinds[index])


def _audience_cells(cells: list[AudienceCell], audience: str, unit_id: int | None, kind: str | None) -> list[AudienceCell]:
    if audience == "commune":
        return [c for c in cells if c.commune_id == unit_id]
    if audience == "area_kind":
        return [c for c in cells if area_kind(c.village_name) == kind]
    return cells


# --- step 4: review and send ----------------------------------------------------------------


async def _review(update: Update, context: BotContext, audience: str, unit_id: int | None, kind: str | None) -> object:
    lang = await context.lang(update)
    draft = context.user_data.get(DRAFT_KEY)
    if not draft or "title" not in draft:
        await answer_expired(update, context, answered=True)
        return END
    chosen = _audience_cells(await _cells(context), audience, unit_id, kind)
    draft.update(audience=audience, unit_id=unit_id, area_kind=kind)
    what = t(f"tl.what.{draft['kind']}", lang, name=draft.get("file_name") or "", url=draft.get("url") or "")
    text = t("tl.confirm", lang, title=draft["title"], what=what, audience=_audience_label(chosen, audience, kind, lang),
             count=len(chosen))
    screen = Screen.of(text, Option(t("tl.btn.send", lang), CB_SEND), Option(t("btn.cancel", lang), CB_STOP))
    await show(update, context, screen, edit=True)
    return TL_CONFIRM


def _audience_label(cells: list[AudienceCell], audience: str, kind: str | None, lang: str) -> str:
    if audience == "commune":
        return t("tl.audience.commune", lang, name=cells[0].commune_name if cells else "")
    if audience == "area_kind":
        return t("tl.audience.area_kind", lang, kind=kind or "")
    return t("tl.audience.all", lang)


async def send(update: Update, context: BotContext) -> object:
    """Stores the material and its deliveries, once, and wakes the materials sweep."""
    await answer_button(update)
    lang = await context.lang(update)
    draft = context.user_data.pop(DRAFT_KEY, None) or {}
    if "audience" not in draft or "title" not in draft:
        await answer_expired(update, context, edit=True, answered=True)
        return END
    admin_scope = await context.admin_scope()
    chosen = _audience_cells(await _cells(context), draft["audience"], draft.get("unit_id"), draft.get("area_kind"))
    me = await context.cadre()
    user = update.effective_user
    material_id, _ = await store.create(
        context.db,
        NewMaterial(
            title=draft["title"], kind=draft["kind"], file_id=draft.get("file_id"), file_name=draft.get("file_name"),
            url=draft.get("url"), audience=draft["audience"], audience_unit_id=draft.get("unit_id"),
            audience_kind=draft.get("area_kind"), cell_ids=tuple(c.cell_id for c in chosen), token=draft["token"],
            channel=context.channel,  # whose bot holds the file: other messengers get its bytes
        ),
        by=me.id if me else None, telegram_id=user.id if user else None, scope_unit_id=admin_scope,
        now=utc_stamp(context.clock.now()),
    )
    jobs.send_materials_now(context.application)
    settings = await load_settings(context.db, context.config)
    now = context.clock.now()
    if is_quiet(now, settings):
        at = quiet_until(now, settings)
        text = t("tl.sent_later", lang, number=material_id, count=len(chosen), time=f"{at:%H:%M}", date=format_date(at.date()))
    else:
        text = t("tl.sent", lang, number=material_id, count=len(chosen))
    await show(update, context, Screen(text), edit=True)
    return END


async def stop(update: Update, context: BotContext) -> object:
    """/huy or «Hủy»: nothing was stored."""
    await answer_button(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, context, Screen(t("tl.stopped", await context.lang(update))), edit=update.callback_query is not None)
    return END


async def use_buttons(update: Update, context: BotContext) -> None:
    """Anything but the expected answer: a hint, and the step stays."""
    await say(update, context, "tl.use_buttons")


def conversation() -> ConversationHandler:
    """The /tailieu conversation, persisted so a restart mid-way loses nothing."""
    typed = filters.TEXT & ~filters.COMMAND
    hint = MessageHandler(~filters.COMMAND, use_buttons)
    return persistent_conversation(
        "materials",
        entry_points=[CommandHandler(["tailieu", "materials"], start)],
        states={
            TL_MENU: [button(ask_file, CB_NEW, exact=True)],
            TL_FILE: [MessageHandler((filters.Document.ALL | filters.PHOTO | typed), got_file)],
            TL_TITLE: [MessageHandler(typed, typed_title), button(use_caption, CB_CAPTION, exact=True)],
            TL_AUDIENCE: [button(pick_all, CB_ALL, exact=True), button(list_communes, CB_COMMUNES),
                          button(list_kinds, CB_KINDS, exact=True), hint],
            TL_COMMUNE: [button(list_communes, CB_COMMUNES), button(pick_commune, CB_COMMUNE), hint],
            TL_KIND: [button(pick_kind, CB_KIND), hint],
            TL_CONFIRM: [button(send, CB_SEND, exact=True), hint],
        },
        fallbacks=[CommandHandler(["huy", "cancel"], stop), button(stop, CB_STOP, exact=True)],
        allow_reentry=True,
    )


# --- «✅ Đã nhận» -----------------------------------------------------------------------------


async def received(update: Update, context: BotContext) -> None:
    """A cell confirms a material: once; a second press is answered and changes nothing."""
    lang = await context.lang(update)
    material_id, _, cell_text = callback_tail(update, CB_MATERIAL_RECEIVED).partition(":")
    material, cell_id = parse_id(material_id), parse_id(cell_text)
    state = await store.receipt_state(context.db, material or 0, cell_id or 0)
    cadre = await context.cadre()
    if state is None or material is None or cell_id is None:
        await answer_expired(update, context)
        return
    today = context.clock.now().astimezone(context.config.tz).date().isoformat()
    if cadre is None or not (
        cadre.id in (state.recipient_id, state.secretary_id)
        or await store.assigned_to_cell(context.db, cadre.id, cell_id, today)
    ):
        await deny(update, context, "tl.not_yours", action="material_receipt")
        return
    if state.received_at is None and await store.receive(
        context.db, material, cell_id, by=cadre.id, now=utc_stamp(context.clock.now())
    ):
        text = t("tl.received", lang, cell=state.cell_name, title=state.title)
    else:
        state = await store.receipt_state(context.db, material, cell_id) or state
        day = _local_day(context, state.received_at) if state.received_at else context.clock.now().date()
        text = t("tl.already", lang, cell=state.cell_name, title=state.title, date=format_date(day),
                 who=state.received_by_name or "")
    await answer_button(update, text[:200])
    await drop_buttons(update)
    await show(update, context, Screen(text))


def handlers() -> list[Any]:
    """/tailieu and the cells' «Đã nhận» button."""
    return [conversation(), button(received, CB_MATERIAL_RECEIVED)]
