"""The Telegram adapter: turns updates into `Chat` calls and replies into Bot API calls.

No business rules here. The services run in a worker thread (database and model calls are
blocking), one update at a time.
"""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ChatMemberStatus, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import cohorts
from bot.chat import Chat, Sender
from bot.db import session_scope
from bot.learners import DIGEST
from bot.messages import Reply, esc, split_html
from bot.models import utcnow
from bot.reminders import Due, Outcome, claim_due, record
from bot.settings import Settings
from bot.tracking import review_buttons

log = logging.getLogger(__name__)

PRIVATE_COMMANDS = [
    BotCommand("ac", "What an assessment criterion needs, e.g. /ac 5015 2.3"),
    BotCommand("unit", "A unit's aims, LOs and ACs, e.g. /unit 7016"),
    BotCommand("units", "Your qualification and its rule of combination"),
    BotCommand("theorists", "Theorists for a topic or an AC"),
    BotCommand("theorist", "One theorist or model, e.g. /theorist Clutterbuck"),
    BotCommand("checklist", "Tick off a unit's ACs, e.g. /checklist 5015"),
    BotCommand("note", "A note or evidence link on an AC: /note 5015 2.3 https://…"),
    BotCommand("progress", "Progress per unit and towards your qualification"),
    BotCommand("pdp", "PDP review dates: /pdp add 15 Dec Review with line manager"),
    BotCommand("target", "Target date for a unit, e.g. /target 5015 31 Mar 2027"),
    BotCommand("timezone", "Your time zone, e.g. /timezone Europe/London"),
    BotCommand("quiet", "Quiet hours for reminders, e.g. /quiet 22:00-07:00"),
    BotCommand("log", "Log coaching delivered: /log 90m Sam — goal setting"),
    BotCommand("hours", "Coaching hours against the 12 D5.03 requires"),
    BotCommand("calendar", "Your PDP review dates as a calendar file"),
    BotCommand("mydata", "Everything stored about you, as JSON"),
    BotCommand("forgetme", "Delete everything stored about you"),
    BotCommand("start", "Choose your qualification and units"),
    BotCommand("help", "What I can do"),
]
TUTOR_COMMANDS = [
    BotCommand("newcohort", "Tutors: create a cohort, e.g. /newcohort \"Spring 2027\" 7D2V2"),
    BotCommand("cohorts", "Tutors: your cohorts and invite links"),
    BotCommand("cohort", "Tutors: a cohort's members and progress"),
    BotCommand("report", "Tutors: a cohort's chart and CSV"),
    BotCommand("remind", "Tutors: push a reminder, e.g. /remind Spring friday 17:00 Essay due"),
    BotCommand("reminders", "Tutors: pushed reminders and their delivery"),
    BotCommand("today", "Tutors: reviews due, learners off track or quiet"),
    BotCommand("signoff", "Tutors: sign off an AC, e.g. /signoff Spring @sam 5015 2.3"),
]
GROUP_COMMANDS = [c for c in PRIVATE_COMMANDS
                  if c.command in {"ac", "unit", "theorists", "theorist", "help"}] + [
    BotCommand("link", "Tutors: link this group to your cohort, e.g. /link Spring 2027")]
ALLOWED_UPDATES = ["message", "callback_query"]
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, url=b.url) if b.url
                                  else InlineKeyboardButton(b.label, callback_data=b.data)
                                  for b in row] for row in reply.buttons])


def chat_of(context: ContextTypes.DEFAULT_TYPE) -> Chat:
    return context.bot_data["chat"]


def sender_of(update: Update, chat_admin: bool = False) -> Sender:
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    private = chat.type == chat.PRIVATE
    return Sender(user.id, user.full_name, private=private, username=user.username,
                  chat_id=None if private else chat.id, chat_admin=chat_admin)


async def is_group_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Asked of Telegram only when it matters (linking a group to a cohort)."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """In a group: the text meant for the bot (a command, a mention, a reply to the bot), with
    the mention removed; None for chatter the bot should leave alone."""
    text = message.text or ""
    if text.startswith("/"):
        return text
    mentions = [e for e in message.entities if e.type == MessageEntity.MENTION
                and message.parse_entity(e).casefold() == f"@{bot_username}".casefold()]
    if mentions:
        for entity in mentions:
            text = text.replace(message.parse_entity(entity), " ", 1)
        return " ".join(text.split())
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    return None


async def send(message: Message, replies: list[Reply]) -> None:
    """Send replies to a message: in its thread, quoting it in groups, split to fit."""
    quote = message.chat.type != message.chat.PRIVATE
    for reply in replies:
        parts = split_html(reply.html)
        for i, part in enumerate(parts):
            await message.reply_text(part, parse_mode=ParseMode.HTML, do_quote=quote and i == 0,
                                     reply_markup=markup(reply) if i == len(parts) - 1 else None)
        if reply.attachment is not None and reply.attachment.photo:
            await message.reply_photo(reply.attachment.content,
                                      filename=reply.attachment.filename,
                                      caption=reply.attachment.caption or None)
        elif reply.attachment is not None:
            await message.reply_document(reply.attachment.content,
                                         filename=reply.attachment.filename,
                                         caption=reply.attachment.caption or None)


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message: every one in private, only those addressed to the bot in groups."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    sender = sender_of(update)
    text: str | None = message.text
    if not sender.private:
        text = addressed_text(message, context.bot.username, context.bot.id)
        if text is None:
            return
        if text.split("@")[0].split()[0].lower() == "/link":
            sender = sender_of(update, chat_admin=await is_group_admin(update, context))
    await message.chat.send_action(ChatAction.TYPING,
                                   message_thread_id=message.message_thread_id
                                   if message.is_topic_message else None)
    replies = await asyncio.to_thread(chat_of(context).message, sender, text)
    await send(message, replies)


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a button press: edit the pressed message where the reply says so."""
    query = update.callback_query
    assert query is not None
    replies = await asyncio.to_thread(chat_of(context).press, sender_of(update), query.data or "")
    await query.answer(replies[0].toast if replies else None)
    message = query.message if isinstance(query.message, Message) else None
    for reply in replies:
        if not reply.html and not reply.buttons:
            continue
        if reply.edit and message is not None:
            try:
                if reply.markup_only:
                    await message.edit_reply_markup(reply_markup=markup(reply))
                    continue
                parts = split_html(reply.html)
                if len(parts) == 1:
                    await message.edit_text(parts[0], parse_mode=ParseMode.HTML,
                                            reply_markup=markup(reply))
                    continue
            except BadRequest as exc:
                if "not modified" in str(exc):
                    continue
                raise
        if message is not None:
            await send(message, [Reply(reply.html, reply.buttons, attachment=reply.attachment)])


async def deliver(application: Application, due: Due) -> Outcome:
    """Send one reminder; the outcome says whether to record it sent, blocked or retry."""
    buttons = (markup(Reply("", review_buttons(due.pdp_review_id)))
               if due.pdp_review_id is not None else None)
    text = esc(due.text)
    if due.kind == DIGEST:
        written = await asyncio.to_thread(application.bot_data["chat"].digest, due.learner_id)
        if written is None:
            return Outcome.gone
        text = written
    try:
        for part in split_html(text):
            await application.bot.send_message(due.chat_id, part, parse_mode=ParseMode.HTML,
                                               reply_markup=buttons)
    except Forbidden:
        return Outcome.blocked
    except BadRequest:
        log.warning("reminder %s to chat %s refused", due.id, due.chat_id, exc_info=True)
        return Outcome.gone
    except TelegramError:
        log.warning("reminder %s not sent; will retry", due.id, exc_info=True)
        return Outcome.retry
    return Outcome.sent


async def dispatch_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: claim a batch of due reminders, send them concurrently (the rate limiter keeps
    to Telegram's limits), record each outcome as soon as it is known; repeat until nothing
    is due, so a large cohort push does not wait for later ticks."""
    chat, settings = chat_of(context), context.bot_data["settings"]

    async def send_one(item: Due) -> None:
        outcome = await deliver(context.application, item)
        await asyncio.to_thread(record, chat.engine, reminder_id=item.id, outcome=outcome,
                                now=utcnow())

    while due := await asyncio.to_thread(claim_due, chat.engine, now=utcnow(),
                                         limit=settings.reminder_batch,
                                         claim_seconds=settings.reminder_claim_seconds):
        await asyncio.gather(*(send_one(item) for item in due))


async def queue_nudges(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The hourly job: a nudge for cohort members who went quiet (sent by the dispatcher)."""
    chat, settings = chat_of(context), context.bot_data["settings"]

    def queue() -> int:
        with session_scope(chat.engine) as session:
            return cohorts.queue_nudges(session, now=utcnow(),
                                        after_days=settings.nudge_after_days)

    queued = await asyncio.to_thread(queue)
    if queued:
        log.info("queued %d nudges", queued)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log first; then tell the user something short, without internals."""
    log.error("Exception while handling an update:", exc_info=context.error)
    if isinstance(context.error, Forbidden):
        return
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, html.escape(SORRY))
        except Exception:  # the chat may be unreachable; the error is already logged
            log.warning("could not tell the user about the error", exc_info=True)


async def post_init(application: Application) -> None:
    """Commands for the menu: separate lists for private chats and groups."""
    await application.bot.set_my_commands(PRIVATE_COMMANDS + TUTOR_COMMANDS,
                                          scope=BotCommandScopeAllPrivateChats())
    await application.bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    me = application.bot
    application.bot_data["chat"].bot_username = me.username
    log.info("bot @%s ready", me.username)


def build_application(settings: Settings, chat: Chat) -> Application:
    """The application with its handlers; polling or webhook is the caller's choice."""
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_file_base_url)
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.rate_limit_per_second,
                                     max_retries=3))
        .post_init(post_init)
        .build()
    )
    application.bot_data["chat"] = chat
    application.bot_data["settings"] = settings
    assert application.job_queue is not None
    application.job_queue.run_repeating(dispatch_reminders, name="reminders", first=1,
                                        interval=settings.reminder_interval_seconds)
    application.job_queue.run_repeating(queue_nudges, name="nudges", first=60, interval=3600)
    application.add_handler(CallbackQueryHandler(on_press))
    application.add_handler(MessageHandler(filters.TEXT, on_message))
    application.add_error_handler(on_error)
    return application
