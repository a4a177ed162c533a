"""The Telegram adapter: turns updates into `Chat` calls and replies into Bot API calls.

It only translates: no database sessions and no decisions about what to say. The
conversation runs in worker threads (database and model calls block); in polling mode several
updates are handled at once, but one chat's one after another, in the order they came.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import secrets
import socket
import threading
from collections.abc import Awaitable
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatMemberStatus, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.adapters.error_reports import ReportThrottle, report_error
from bot.adapters.send_limiter import rate_limiter
from bot.conversation.chat import Chat
from bot.conversation.drafts import Upload
from bot.conversation.replies import Button, Menu, MenuScope, Reply, split_html
from bot.conversation.turn import Sender
from bot.services.draft_text import MAX_BYTES
from bot.services.reminders import Due, Outcome
from index.settings import Settings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member", "inline_query"]
# Updates held at most (handled or waiting for their chat's turn) per update handled at once.
WAITING_PER_RUNNING = 8
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
# Inline answers: cached by Telegram this long (a learner's context can change), and the tip's
# button opens the private chat with /start inline.
INLINE_CACHE_SECONDS = 10
INLINE_START = "inline"


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[keyboard_button(b) for b in row] for row in reply.buttons])


def keyboard_button(button: Button) -> InlineKeyboardButton:
    """A link, a share (switch_inline_query: pick a chat, the query typed there) or a press."""
    if button.url:
        return InlineKeyboardButton(button.label, url=button.url)
    if button.inline_query is not None:
        return InlineKeyboardButton(button.label, switch_inline_query=button.inline_query)
    return InlineKeyboardButton(button.label, callback_data=button.data)


def chat_of(context: ContextTypes.DEFAULT_TYPE) -> Chat:
    return chat_of_application(context.application)


def scope_of(scope: MenuScope) -> BotCommandScope:
    if scope.kind == "chat" and scope.chat_id is not None:
        return BotCommandScopeChat(scope.chat_id)
    return {"private": BotCommandScopeAllPrivateChats(), "group": BotCommandScopeAllGroupChats(),
            "group_admins": BotCommandScopeAllChatAdministrators()}[scope.kind]


async def set_menus(bot: Bot, menus: list[Menu]) -> None:
    """Set command menus; one person's that Telegram refuses (they never opened a chat with
    the bot) is logged and skipped."""
    for menu in menus:
        commands = [BotCommand(name, description) for name, description in menu.commands]
        try:
            await bot.set_my_commands(commands, scope=scope_of(menu.scope))
        except BadRequest as exc:
            if menu.scope.kind != "chat":
                raise
            log.warning("no command menu for chat %s: %s", menu.scope.chat_id, exc)


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
    """Send replies to a message: in its forum topic, quoting it in groups (as python-telegram-
    bot's `Message.reply_*` shortcuts would), split to fit."""
    thread = message.message_thread_id if message.is_topic_message else None
    quote = message.message_id if message.chat.type != message.chat.PRIVATE else None
    for reply in replies:
        await post(message.get_bot(), message.chat_id, reply, thread=thread, quote=quote)


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message: every one in private, only those addressed to the bot in groups."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    sender = sender_of(update)
    text = message.text
    if not sender.private:
        addressed = addressed_text(message, context.bot.username, context.bot.id)
        if addressed is None:
            return
        text = addressed
        if chat_of(context).needs_chat_admin(text):
            sender = sender_of(update, chat_admin=await is_group_admin(update, context))
    try:
        await message.chat.send_action(ChatAction.TYPING,
                                       message_thread_id=message.message_thread_id
                                       if message.is_topic_message else None)
    except ChatMigrated:
        pass  # the group has just become a supergroup: the answer below follows it there
    replies = await asyncio.to_thread(chat_of(context).message, sender, text)
    try:
        await send(message, replies)
    except ChatMigrated as moved:
        await follow_group(chat_of(context), message.chat_id, moved.new_chat_id)
        for reply in replies:
            await post(context.bot, moved.new_chat_id, reply)
    await set_menus(context.bot, [menu for reply in replies for menu in reply.menus])
    send_due_now(context, replies)


def send_due_now(context: ContextTypes.DEFAULT_TYPE, replies: list[Reply]) -> None:
    """Run the dispatcher once at once when a reply says something is due now (a "now"
    push), rather than at its next tick; claims keep it from sending anything twice."""
    if any(reply.send_due for reply in replies):
        dispatch_now(context)


def dispatch_now(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Run the reminder dispatcher once, at once."""
    if context.job_queue is not None:
        context.job_queue.run_once(dispatch_reminders, when=0, name="reminders now")


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file in a private chat: downloaded into memory (never to disk) when Telegram allows
    it (20 MB), then handed to the conversation as a draft to check."""
    message = update.effective_message
    if message is None or message.document is None or message.chat.type != message.chat.PRIVATE:
        return
    document = message.document
    size = document.file_size or 0
    data: bytes | None = None
    if size <= MAX_BYTES:
        await message.chat.send_action(ChatAction.TYPING)
        try:
            data = bytes(await (await document.get_file()).download_as_bytearray())
        except BadRequest as exc:
            if "too big" not in str(exc).lower():
                raise
    upload = Upload(document.file_name or "draft", size, data, message.caption or "")
    replies = await asyncio.to_thread(chat_of(context).document, sender_of(update), upload)
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
                    await message.edit_text(parts[0], reply_markup=markup(reply))
                    continue
            except BadRequest as exc:
                if "not modified" in str(exc):
                    continue
                raise
        if message is not None:
            await send(message, [Reply(reply.html, reply.buttons, attachment=reply.attachment)])
    send_due_now(context, replies)


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"@bot 5015 2.3" typed in any chat: the AC cards to pick from, or a tip (a button that
    opens the private chat)."""
    query = update.inline_query
    assert query is not None
    answer = await asyncio.to_thread(chat_of(context).inline, query.from_user.id, query.query)
    results = [InlineQueryResultArticle(r.id, r.title, InputTextMessageContent(r.html),
                                        description=r.description) for r in answer.results]
    tip = (InlineQueryResultsButton(answer.tip, start_parameter=INLINE_START)
           if answer.tip else None)
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True, button=tip)


async def post(bot: Bot, chat_id: int, reply: Reply, *, thread: int | None = None,
               quote: int | None = None) -> None:
    """Send a reply to a chat: split to fit, the buttons on its last part, then its
    attachment; in forum topic `thread`, quoting message `quote` (first part and attachment)
    when given."""
    quoted = ReplyParameters(quote) if quote is not None else None
    parts = split_html(reply.html)
    for i, part in enumerate(parts):
        await bot.send_message(chat_id, part, message_thread_id=thread,
                               reply_parameters=quoted if i == 0 else None,
                               reply_markup=markup(reply) if i == len(parts) - 1 else None)
    if reply.attachment is not None and reply.attachment.photo:
        await bot.send_photo(chat_id, reply.attachment.content, message_thread_id=thread,
                             reply_parameters=quoted, filename=reply.attachment.filename,
                             caption=reply.attachment.caption or None)
    elif reply.attachment is not None:
        await bot.send_document(chat_id, reply.attachment.content, message_thread_id=thread,
                                reply_parameters=quoted, filename=reply.attachment.filename,
                                caption=reply.attachment.caption or None)


async def follow_group(chat: Chat, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup with a new id: the cohort linked to it follows. If the
    database is away the move is logged and not recorded; the next send to the old id meets
    the same answer from Telegram and tries again."""
    try:
        moved = await asyncio.to_thread(chat.group_moved, old_chat_id, new_chat_id)
    except Exception as exc:  # any database error: what is being sent still goes to the new id
        log.warning("group %s became supergroup %s; not recorded (%s)", old_chat_id,
                    new_chat_id, type(exc).__name__)
        return
    if moved:
        log.info("group %s became supergroup %s; its cohort follows", old_chat_id, new_chat_id)


async def deliver(bot: Bot, chat: Chat, due: Due, reply: Reply | None) -> Outcome:
    """Send one reminder; the outcome says whether to record it sent, blocked or retry. A
    group that became a supergroup is followed (its cohort too) and sent to once more."""
    if reply is None:
        return Outcome.gone
    try:
        try:
            await post(bot, due.chat_id, reply)
        except ChatMigrated as moved:
            await follow_group(chat, due.chat_id, moved.new_chat_id)
            await post(bot, moved.new_chat_id, reply)
    except Forbidden:
        return Outcome.blocked
    except BadRequest:
        log.warning("reminder %s to chat %s refused", due.id, due.chat_id, exc_info=True)
        return Outcome.gone
    except TimedOut:
        log.warning("reminder %s: no answer in time; it may have arrived, will retry later",
                    due.id)
        return Outcome.unknown
    except TelegramError as exc:
        log.warning("reminder %s not sent (%s); will retry later", due.id, exc)
        return Outcome.retry
    return Outcome.sent


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot's own membership changed: in a private chat the user blocked it ("kicked") or
    unblocked it ("member"); in a group it was removed ("left", "kicked"), which unlinks the
    group's cohort and tells its tutor."""
    change = update.my_chat_member
    assert change is not None
    status, where = change.new_chat_member.status, change.chat
    if where.type == where.PRIVATE and status in (ChatMemberStatus.BANNED,
                                                  ChatMemberStatus.MEMBER):
        await asyncio.to_thread(chat_of(context).set_blocked, where.id,
                                status == ChatMemberStatus.BANNED)
    elif where.type != where.PRIVATE and status in (ChatMemberStatus.LEFT,
                                                    ChatMemberStatus.BANNED):
        if await asyncio.to_thread(chat_of(context).removed_from_group, where.id):
            dispatch_now(context)


async def on_migration(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: the service message in the old chat (migrate_to) and the
    one in the new (migrate_from) both move the linked cohort; the second finds it moved."""
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id is not None:
        await follow_group(chat_of(context), message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id is not None:
        await follow_group(chat_of(context), message.migrate_from_chat_id, message.chat_id)


def chat_key(update: object) -> int | None:
    """Whose updates must keep their order: the chat's (or, for a press on an inline message,
    the person's); None for anything else."""
    if not isinstance(update, Update):
        return None
    where = update.effective_chat or update.effective_user
    return where.id if where is not None else None


class _Turns:
    """One chat's lock and how many of its updates hold or wait for it."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.count = 0


class ChatOrder(BaseUpdateProcessor):
    """Handles up to `running` updates at once, but one chat's one after another in the order
    they came, so a slow /report holds up only its own chat.

    A chat's later updates wait for its lock before taking one of the `running` places, so a
    chat that sends many messages at once cannot take every place; at most `waiting` updates
    are held in all. A chat's lock is dropped when none of its updates holds or waits for it,
    so the table is only as large as the chats with updates in flight."""

    def __init__(self, running: int, waiting: int) -> None:
        super().__init__(max(running, waiting))
        self._running = asyncio.Semaphore(running)
        self._chats: dict[int, _Turns] = {}

    @property
    def chats_in_flight(self) -> int:
        return len(self._chats)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        turns = self._chats.setdefault(key, _Turns())
        turns.count += 1
        try:
            async with turns.lock, self._running:
                await coroutine
        finally:
            turns.count -= 1
            if turns.count == 0:
                del self._chats[key]

    async def initialize(self) -> None:
        """Nothing to set up: the locks are made as chats appear."""

    async def shutdown(self) -> None:
        """Nothing to free: the locks go with their last update."""


# This process, as the holder of the reminder claims it makes.
WORKER = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
# Waits before trying again to record an outcome the database would not take: the row stays
# claimed (and its claim renewed) meanwhile, so a short database blip repeats nothing.
RECORD_RETRIES = (0.2, 0.5, 1, 2, 4)


async def record_outcome(chat: Chat, item: Due, outcome: Outcome) -> None:
    """Record what sending did, trying again for a few seconds if the database is away; if
    it stays away the claim expires and the row is sent again (counted as uncertain)."""
    for wait in (*RECORD_RETRIES, None):
        try:
            await asyncio.to_thread(chat.record, item, outcome)
            return
        except Exception as exc:  # any database error: the claim keeps the row meanwhile
            if wait is None:
                log.error("reminder %s: outcome %s not recorded (%s); it will be sent again",
                          item.id, outcome.value, type(exc).__name__)
                return
            await asyncio.sleep(wait)


async def heartbeat(chat: Chat, in_flight: set[Due], every: float) -> None:
    """Renew this worker's claims on the rows it is still sending, until cancelled."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(chat.renew_claims, list(in_flight), WORKER)
        except Exception as exc:  # the database is away: the next beat tries again
            log.warning("could not renew reminder claims (%s)", type(exc).__name__)


async def dispatch_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: claim a batch of due reminders, send them concurrently (the rate limiter keeps
    to Telegram's limits), record each outcome as soon as it is known; repeat until nothing
    is due, so a large cohort push does not wait for later ticks. While sending, the claims
    are renewed, so they can be short and a dead worker's are taken over in seconds."""
    chat, settings = chat_of(context), context.bot_data["settings"]
    in_flight: set[Due] = set()

    async def send_one(item: Due) -> None:
        reply = await asyncio.to_thread(chat.reminder_message, item)
        outcome = await deliver(context.bot, chat, item, reply)
        await record_outcome(chat, item, outcome)
        in_flight.discard(item)

    beat = asyncio.create_task(heartbeat(chat, in_flight, settings.reminder_claim_seconds / 3))
    try:
        while due := await asyncio.to_thread(chat.claim_reminders,
                                             limit=settings.reminder_batch,
                                             claim_seconds=settings.reminder_claim_seconds,
                                             worker=WORKER):
            in_flight.update(due)
            await asyncio.gather(*(send_one(item) for item in due))
    finally:
        beat.cancel()


async def queue_nudges(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The hourly job: nudges for inactive cohort members (sent by the dispatcher)."""
    queued = await asyncio.to_thread(chat_of(context).queue_nudges)
    if queued:
        log.info("queued %d nudges", queued)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log first; report it to the admins (throttled, without personal data); then tell the
    user something short, without internals."""
    log.error("Exception while handling an update:", exc_info=context.error)
    await report_error(update, context)
    if isinstance(context.error, Forbidden):
        return
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, html.escape(SORRY))
        except Exception:  # the chat may be unreachable; the error is already logged
            log.warning("could not tell the user about the error", exc_info=True)


MODEL_LOAD_WAIT_SECONDS = 60  # how long a stopping bot waits for a model load under way


def load_in_background(chat: Chat) -> threading.Thread:
    """Load the embedding model and index in a thread of their own, so AC references and
    commands are answered as soon as the bot is connected; a free question that comes first
    waits for this load (never a second one). A failed load is logged, and the next free
    question tries again."""
    def load() -> None:
        try:
            chat.retriever.warm()
        except Exception:
            log.exception("could not load the embedding model and index")

    thread = threading.Thread(target=load, name="model-load", daemon=True)
    thread.start()
    return thread


async def post_init(application: Application) -> None:
    """Before the first update: the model starts loading, the chat learns the bot's username,
    and the command menus are set (the group list last)."""
    me = application.bot
    chat = application.bot_data["chat"] = chat_of_application(application).named(me.username)
    application.bot_data["loader"] = load_in_background(chat)
    await set_menus(me, await asyncio.to_thread(chat.menus))
    log.info("bot @%s ready", me.username)


def finish_loading(application: Application) -> None:
    """Let a model load under way finish before the process exits, however the bot stopped:
    an interpreter shutting down under torch's loading threads aborts (SIGABRT) or hangs
    instead of exiting."""
    loader: threading.Thread | None = application.bot_data.get("loader")
    if loader is not None and loader.is_alive():
        log.info("waiting for the model load under way before exiting")
        loader.join(MODEL_LOAD_WAIT_SECONDS)


def chat_of_application(application: Application) -> Chat:
    """The conversation the handlers drive (set up by build_application and post_init)."""
    chat: Chat = application.bot_data["chat"]
    return chat


def build_application(settings: Settings, chat: Chat) -> Application:
    """The application with its handlers; polling or webhook is the caller's choice."""
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_file_base_url)
        .rate_limiter(rate_limiter(chat.engine, settings.rate_limit_per_second))
        # Longer than Telegram takes to answer even when slow: a send given up too early is
        # sent again and arrives twice.
        .read_timeout(settings.send_timeout_seconds)
        .write_timeout(settings.send_timeout_seconds)
        # Updates in polling mode: several at once, each chat's in order (1 = one at a time).
        # A connection for each update being answered and each reminder being sent at once.
        .concurrent_updates(ChatOrder(settings.concurrent_updates,
                                      waiting=WAITING_PER_RUNNING * settings.concurrent_updates))
        .connection_pool_size(settings.concurrent_updates + settings.reminder_batch)
        .post_init(post_init)
        # Every message is the conversation's HTML, and no link unfolds into a preview.
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .build()
    )
    application.bot_data["chat"] = chat
    application.bot_data["settings"] = settings
    application.bot_data["error_reports"] = ReportThrottle(60 * settings.error_report_minutes)
    assert application.job_queue is not None
    application.job_queue.run_repeating(dispatch_reminders, name="reminders", first=1,
                                        interval=settings.reminder_interval_seconds)
    application.job_queue.run_repeating(queue_nudges, name="nudges", first=60, interval=3600)
    application.add_handler(CallbackQueryHandler(on_press))
    application.add_handler(MessageHandler(filters.TEXT, on_message))
    application.add_handler(MessageHandler(filters.Document.ALL, on_document))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migration))
    application.add_handler(ChatMemberHandler(on_my_chat_member,
                                              ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(InlineQueryHandler(on_inline_query))
    application.add_error_handler(on_error)
    return application
