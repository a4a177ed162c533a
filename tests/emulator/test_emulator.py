"""The emulator answers a real python-telegram-bot Bot exactly as the Bot API would."""

import asyncio
import datetime as dtm
import json
import re
import struct
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    CallbackQuery,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    File,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultPhoto,
    InlineQueryResultsButton,
    InputFile,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
    User,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from tests.emulator import BotApiEmulator
from tests.emulator.html_check import HtmlParseError, parse_html

TOKEN = "123456:TEST"
T = TypeVar("T")


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    """A fresh emulator per test so state never leaks between tests."""
    with BotApiEmulator(token=TOKEN, bot_username="cm_study_bot", bot_id=123456) as emulator:
        yield emulator


def make_bot(emu: BotApiEmulator, token: str = TOKEN) -> Bot:
    """A PTB Bot wired to the emulator the same way the application is."""
    return Bot(token, base_url=f"{emu.api_url}/bot", base_file_url=f"{emu.api_url}/file/bot")


def run(emu: BotApiEmulator, scenario: Callable[[Bot], Awaitable[T]]) -> T:
    """Run an async scenario against an initialised Bot (pytest here has no asyncio plugin)."""

    async def main() -> T:
        async with make_bot(emu) as bot:
            return await scenario(bot)

    return asyncio.run(main())


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def assert_recent(date: dtm.datetime) -> None:
    """Dates are whole seconds of Unix time, so PTB turns them into 'now'."""
    assert abs(date.timestamp() - time.time()) < 5


# ----- basics ----------------------------------------------------------------------------------

def test_get_me_describes_the_bot(emu: BotApiEmulator) -> None:
    me = run(emu, lambda bot: bot.get_me())
    assert isinstance(me, User)
    assert (me.id, me.is_bot, me.username) == (123456, True, "cm_study_bot")
    assert me.can_join_groups and me.can_read_all_group_messages is False
    assert me.supports_inline_queries is False


def test_wrong_token_is_unauthorized_and_unknown_method_not_found(emu: BotApiEmulator) -> None:
    async def wrong_token() -> None:
        async with make_bot(emu, "999:WRONG"):
            pass

    with pytest.raises(InvalidToken):
        asyncio.run(wrong_token())
    with pytest.raises(EndPointNotFound):
        run(emu, lambda bot: bot.do_api_request("noSuchMethod"))
    answer = httpx.post(f"{emu.api_url}/bot999:WRONG/getMe")
    assert answer.status_code == 401
    assert answer.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    answer = httpx.post(f"{emu.api_url}/bot{TOKEN}/noSuchMethod")
    assert (answer.status_code, answer.json()["description"]) == (404, "Not Found")


def test_json_and_form_bodies_are_both_accepted(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    url = f"{emu.api_url}/bot{TOKEN}/sendMessage"
    as_json = httpx.post(url, json={"chat_id": chat.id, "text": "json"}).json()
    as_form = httpx.post(url, data={"chat_id": str(chat.id), "text": "form"}).json()
    assert as_json["ok"] and as_form["ok"]
    assert [r.text for r in emu.sent(42)] == ["json", "form"]
    assert [r.message_id for r in emu.sent(42)] == [1, 2]


def test_application_round_trip_with_polling(emu: BotApiEmulator) -> None:
    """The way the real bot is built: ApplicationBuilder with base_url, run_polling's parts."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text("Hi <b>there</b>", parse_mode="HTML",
                                        reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("ok")
        await update.callback_query.edit_message_text("Went")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)

    async def scenario() -> None:
        app = (ApplicationBuilder().token(TOKEN).base_url(f"{emu.api_url}/bot")
               .base_file_url(f"{emu.api_url}/file/bot").build())
        app.add_handlers([CommandHandler("start", start), CallbackQueryHandler(pressed),
                          MessageHandler(filters.TEXT & ~filters.COMMAND, echo)])
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0)
            ann = emu.user(5, "Ann")
            chat = emu.private_chat(ann)
            emu.send_text(chat, ann, "/start")
            greeting = (await asyncio.to_thread(emu.wait_messages, chat.id, 1))[0]
            emu.press(chat, ann, greeting.message_id, "go")
            await asyncio.to_thread(emu.wait_for, lambda r: r.method == "editMessageText")
            emu.send_text(chat, ann, "echo 😀", reply_to=greeting.message_id)
            await asyncio.to_thread(emu.wait_messages, chat.id, 2)
            await app.updater.stop()
            await app.stop()

    asyncio.run(scenario())
    greeting, echoed = emu.wait_messages(5, 2)
    assert (greeting.text, greeting.reply_markup) == ("Hi there", keyboard.to_dict())
    assert emu.message(5, greeting.message_id)["text"] == "Went"
    assert emu.message(5, 3)["reply_to_message"]["text"] == "Went"
    assert (echoed.text, echoed.message_id) == ("echo 😀", 4)
    assert emu.answered_callbacks[0]["text"] == "ok"


# ----- updates -----------------------------------------------------------------------------------

def test_user_message_update_has_utf16_command_and_mention_entities(emu: BotApiEmulator) -> None:
    ann = emu.user(42, "Ann", username="ann")
    text = "/start@cm_study_bot 😀 ask @tutor_bob"
    sent = emu.send_text(emu.private_chat(ann), ann, text)
    updates = run(emu, lambda bot: bot.get_updates())
    assert len(updates) == 1 and isinstance(updates[0], Update)
    message = updates[0].message
    assert message.message_id == sent["message_id"] and message.from_user.username == "ann"
    assert_recent(message.date)
    assert isinstance(sent["date"], int)
    assert message.entities == (
        MessageEntity("bot_command", 0, 19),
        MessageEntity("mention", 27, 10),
    )
    assert list(message.parse_entities().values()) == ["/start@cm_study_bot", "@tutor_bob"]


def test_offset_confirms_updates_and_limit_caps_them(emu: BotApiEmulator) -> None:
    ann = emu.user(42, "Ann")
    chat = emu.private_chat(ann)
    for text in ("one", "two", "three"):
        emu.send_text(chat, ann, text)

    async def scenario(bot: Bot) -> tuple[list[Update], list[Update]]:
        first = await bot.get_updates(limit=2)
        rest = await bot.get_updates(offset=first[-1].update_id + 1)
        return first, rest

    first, rest = run(emu, scenario)
    assert [u.message.text for u in first] == ["one", "two"]
    assert [u.message.text for u in rest] == ["three"]
    assert emu.updates_pending() == 1
    run(emu, lambda bot: bot.get_updates(offset=rest[0].update_id + 1))
    assert emu.updates_pending() == 0


def test_long_poll_returns_early_when_an_update_arrives(emu: BotApiEmulator) -> None:
    ann = emu.user(42, "Ann")

    async def scenario(bot: Bot) -> tuple[list[Update], float]:
        started = time.monotonic()
        poll = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.2)
        await asyncio.to_thread(emu.send_text, emu.private_chat(ann), ann, "hello")
        return await poll, time.monotonic() - started

    updates, elapsed = run(emu, scenario)
    assert [u.message.text for u in updates] == ["hello"]
    assert elapsed < 2


def test_long_poll_returns_empty_after_its_timeout(emu: BotApiEmulator) -> None:
    async def scenario(bot: Bot) -> tuple[list[Update], float]:
        started = time.monotonic()
        updates = await bot.get_updates(timeout=1)
        return updates, time.monotonic() - started

    updates, elapsed = run(emu, scenario)
    assert updates == () or updates == []
    assert 0.9 <= elapsed < 3


def test_second_poller_terminates_the_first_with_conflict(emu: BotApiEmulator) -> None:
    async def scenario(bot: Bot) -> None:
        first = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.2)
        async with make_bot(emu) as second_instance:
            await second_instance.get_updates(timeout=0)
        with pytest.raises(Conflict, match="(?i)terminated by other getUpdates"):
            await first

    run(emu, scenario)


def test_group_privacy_mode_hides_plain_text(emu: BotApiEmulator) -> None:
    ann, bob = emu.user(1, "Ann"), emu.user(2, "Bob")
    group = emu.group(-100, "Cohort", admins=[ann.id])
    emu.send_text(group, bob, "just chatting")
    emu.send_text(group, bob, "/help@other_bot")
    assert emu.updates_pending() == 0
    emu.send_text(group, bob, "/help")
    emu.send_text(group, bob, "hey @cm_study_bot")
    assert emu.updates_pending() == 2
    question = httpx.post(f"{emu.api_url}/bot{TOKEN}/sendMessage",
                          json={"chat_id": group.id, "text": "Question?"}).json()["result"]
    emu.send_text(group, bob, "an answer", reply_to=question["message_id"])
    assert emu.updates_pending() == 3


# ----- sending and editing -----------------------------------------------------------------------

def test_send_message_replies_inside_a_forum_topic(emu: BotApiEmulator) -> None:
    ann = emu.user(1, "Ann")
    forum = emu.group(-1001, "Study", forum=True, admins=[ann.id])
    question = emu.send_text(forum, ann, "/ask what is GROW?", thread_id=7)

    async def scenario(bot: Bot) -> Message:
        return await bot.send_message(
            forum.id, "<b>GROW</b> is a model", parse_mode="HTML",
            reply_parameters=ReplyParameters(question["message_id"]))

    reply = run(emu, scenario)
    assert isinstance(reply, Message)
    assert reply.from_user.id == 123456 and reply.from_user.is_bot
    assert reply.message_id == question["message_id"] + 1
    assert (reply.message_thread_id, reply.is_topic_message) == (7, True)
    assert reply.reply_to_message.text == "/ask what is GROW?"
    assert reply.text == "GROW is a model"
    assert reply.entities == (MessageEntity("bold", 0, 4),)
    assert_recent(reply.date)
    record = emu.wait_messages(forum.id, 1)[0]
    assert (record.method, record.chat_id, record.text) == ("sendMessage", forum.id, reply.text)
    assert record.reply_to_message_id == question["message_id"]
    assert record.message_thread_id == 7


def test_html_offsets_count_utf16_units(emu: BotApiEmulator) -> None:
    ann = emu.user(42, "Ann")
    chat = emu.private_chat(ann)
    message = run(emu, lambda bot: bot.send_message(chat.id, "😀 <i>fine</i> &lt;ok&gt;",
                                                     parse_mode="HTML"))
    assert message.text == "😀 fine <ok>"
    assert message.entities == (MessageEntity("italic", 3, 4),)
    assert message.parse_entity(message.entities[0]) == "fine"


@pytest.mark.parametrize(
    ("text", "parse_mode", "error"),
    [
        ("<b>bold</i>", "HTML", "can't parse entities: Unmatched end tag"),
        ("1 < 2", "HTML", 'can\'t parse entities: Unsupported start tag ""'),
        ("line<br>break", "HTML", 'Unsupported start tag "br"'),
        ("<b>open", "HTML", "Can't find end tag corresponding to start tag \"b\""),
        ("x" * 4097, None, "Message is too long"),
        ("<b> </b>", "HTML", "Message text is empty"),
    ],
)
def test_invalid_text_gets_400(emu: BotApiEmulator, text: str, parse_mode: str | None,
                               error: str) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        run(emu, lambda bot: bot.send_message(chat.id, text, parse_mode=parse_mode))
    assert emu.sent() == [] and emu.failed[0].method == "sendMessage"


def test_message_of_4096_characters_is_accepted(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    message = run(emu, lambda bot: bot.send_message(chat.id, "<b>" + "x" * 4096 + "</b>",
                                                     parse_mode="HTML"))
    assert len(message.text) == 4096


def test_callback_data_over_64_bytes_is_rejected(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        run(emu, lambda bot: bot.send_message(chat.id, "pick", reply_markup=markup))


def test_button_press_gives_a_callback_query_and_can_be_answered_once(
        emu: BotApiEmulator) -> None:
    ann = emu.user(42, "Ann")
    chat = emu.private_chat(ann)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Unit 1", callback_data="unit:1")]])
    sent = run(emu, lambda bot: bot.send_message(chat.id, "Pick a unit", reply_markup=markup))
    query_id = emu.press(chat, ann, sent.message_id, "unit:1")

    async def scenario(bot: Bot) -> CallbackQuery:
        query = (await bot.get_updates())[0].callback_query
        assert await bot.answer_callback_query(query.id, text="Loading")
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await bot.answer_callback_query(query.id)
        return query

    query = run(emu, scenario)
    assert isinstance(query, CallbackQuery)
    assert (query.id, query.data, query.from_user.id) == (query_id, "unit:1", 42)
    assert query.chat_instance
    assert query.message.message_id == sent.message_id
    assert query.message.reply_markup == markup
    assert emu.answered_callbacks == [{"callback_query_id": query_id, "text": "Loading"}]
    with pytest.raises(ValueError, match="no button"):
        emu.press(chat, ann, sent.message_id, "unit:2")


def test_edit_message_text_returns_and_stores_the_edited_message(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more")]])

    async def scenario(bot: Bot) -> tuple[Message, Message]:
        sent = await bot.send_message(chat.id, "Draft", reply_markup=markup)
        edited = await bot.edit_message_text("Final", chat.id, sent.message_id,
                                             reply_markup=markup)
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_text("Final", chat.id, sent.message_id, reply_markup=markup)
        bare = await bot.edit_message_reply_markup(chat.id, sent.message_id)
        assert await bot.delete_message(chat.id, sent.message_id)
        with pytest.raises(BadRequest, match="(?i)message to edit not found"):
            await bot.edit_message_text("Gone", chat.id, sent.message_id)
        return edited, bare

    edited, bare = run(emu, scenario)
    assert isinstance(edited, Message) and edited.text == "Final" and edited.edit_date
    assert edited.reply_markup == markup and bare.reply_markup is None
    assert [r.method for r in emu.sent(chat.id)] == [
        "sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage"]
    assert emu.message(chat.id, edited.message_id) is None


def test_emulator_message_reflects_edits(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))

    async def scenario(bot: Bot) -> int:
        sent = await bot.send_message(chat.id, "v1")
        await bot.edit_message_text("v2", chat.id, sent.message_id)
        return sent.message_id

    message_id = run(emu, scenario)
    assert emu.message(chat.id, message_id)["text"] == "v2"
    assert emu.wait_for(lambda r: r.method == "editMessageText").text == "v2"


# ----- commands, actions, files ----------------------------------------------------------------

def test_commands_and_chat_actions(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    commands = [BotCommand("start", "Begin"), BotCommand("units", "List the units")]
    scope = BotCommandScopeAllPrivateChats()

    async def scenario(bot: Bot) -> tuple[BotCommand, ...]:
        assert await bot.set_my_commands(commands, scope=scope, language_code="en")
        with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
            await bot.set_my_commands([BotCommand("Bad-Name", "x")])
        assert await bot.send_chat_action(chat.id, "typing")
        assert await bot.set_my_name("CM Study") and await bot.set_my_description("Helps")
        return await bot.get_my_commands(scope=scope, language_code="en")

    assert run(emu, scenario) == tuple(commands)
    key = emu.commands_for({"type": "all_private_chats"}, "en")
    assert emu.commands[key] == [{"command": "start", "description": "Begin"},
                                 {"command": "units", "description": "List the units"}]
    assert emu.chat_actions == [{"chat_id": 42, "action": "typing", "message_thread_id": None}]


def test_photo_and_document_uploads_are_kept_and_downloadable(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    image, notes = png(3, 2), "GROW model notes\n".encode()

    async def scenario(bot: Bot) -> tuple[Message, Message, Message, File, bytes]:
        photo = await bot.send_photo(chat.id, image, caption="<i>chart</i>", parse_mode="HTML")
        document = await bot.send_document(chat.id, InputFile(notes, filename="notes.txt"))
        again = await bot.send_photo(chat.id, photo.photo[-1].file_id)
        file = await bot.get_file(document.document.file_id)
        return photo, document, again, file, bytes(await file.download_as_bytearray())

    photo, document, again, file, downloaded = run(emu, scenario)
    assert (photo.photo[-1].width, photo.photo[-1].height) == (3, 2)
    assert photo.caption == "chart" and photo.caption_entities[0].type == "italic"
    assert document.document.file_name == "notes.txt"
    assert document.document.mime_type == "text/plain"
    assert document.document.file_size == len(notes)
    assert again.photo[-1].file_id == photo.photo[-1].file_id
    assert isinstance(file, File) and downloaded == notes
    uploads = [r.files for r in emu.sent(chat.id)]
    assert uploads[0]["photo"].data == image
    assert (uploads[1]["document"].filename, uploads[1]["document"].data) == ("notes.txt", notes)


def test_a_user_sends_a_document_the_bot_downloads_it_but_not_over_20_mb(
        emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(43, "Bea"))
    draft = b"AC 1.1 How coaching is used\n\nOur mentoring scheme pairs graduates..."
    emu.send_document(chat, emu.user(43, "Bea"), "draft.txt", draft, caption="5015")
    emu.send_document(chat, emu.user(43, "Bea"), "huge.pdf", b"%PDF" + bytes(21 * 2**20))

    async def scenario(bot: Bot) -> tuple[list[Update], bytes, str]:
        updates = await bot.get_updates()
        small, big = (u.message.document for u in updates)
        downloaded = bytes(await (await bot.get_file(small.file_id)).download_as_bytearray())
        with pytest.raises(BadRequest) as refused:
            await bot.get_file(big.file_id)
        return updates, downloaded, str(refused.value)

    updates, downloaded, refused = run(emu, scenario)
    first = updates[0].message
    assert first.caption == "5015" and first.document.file_name == "draft.txt"
    assert first.document.mime_type == "text/plain"
    assert updates[1].message.document.file_size == 4 + 21 * 2**20
    assert downloaded == draft
    assert refused == "File is too big"


# ----- chats and members -----------------------------------------------------------------------

def test_chat_and_member_lookups_parse(emu: BotApiEmulator) -> None:
    owner, admin, member, stranger = (emu.user(i, n) for i, n in
                                      ((1, "Owner"), (2, "Admin"), (3, "Member"), (4, "Lost")))
    group = emu.group(-1002, "Cohort", supergroup=True, admins=[owner.id, admin.id])
    emu.send_text(group, member, "/start")

    async def scenario(bot: Bot) -> list:
        chat = await bot.get_chat(group.id)
        members = [await bot.get_chat_member(group.id, u.id)
                   for u in (owner, admin, member, stranger)]
        admins = await bot.get_chat_administrators(group.id)
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.get_chat(-5)
        return [chat, members, admins]

    chat, members, admins = run(emu, scenario)
    assert isinstance(chat, ChatFullInfo) and chat.title == "Cohort"
    assert [type(m) for m in members] == [ChatMemberOwner, ChatMemberAdministrator,
                                          ChatMemberMember, ChatMemberLeft]
    assert [m.user.id for m in admins] == [1, 2]


# ----- the bot's own membership and group upgrades ------------------------------------------

def test_blocking_the_bot_is_told_once_and_sends_get_403_until_unblocked(
        emu: BotApiEmulator) -> None:
    ann, bob = emu.user(42, "Ann"), emu.user(43, "Bob")
    emu.private_chat(ann)
    emu.block(ann.id)
    emu.block(ann.id)  # already blocked: Telegram says nothing more
    emu.block(bob.id, tell_bot=False)

    async def scenario(bot: Bot) -> tuple:
        blocked = await bot.get_updates()
        with pytest.raises(Forbidden, match="^Forbidden: bot was blocked by the user$"):
            await bot.send_message(ann.id, "hi")
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(bob.id, "hi")
        emu.unblock(ann.id)
        unblocked = await bot.get_updates(offset=blocked[-1].update_id + 1)
        await bot.send_message(ann.id, "welcome back")
        return blocked, unblocked

    blocked, unblocked = run(emu, scenario)
    (block,) = (u.my_chat_member for u in blocked)
    assert (block.chat.id, block.chat.type, block.from_user.id) == (42, "private", 42)
    assert isinstance(block.old_chat_member, ChatMemberMember)
    assert isinstance(block.new_chat_member, ChatMemberBanned)
    assert block.new_chat_member.user.id == 123456 and block.new_chat_member.user.is_bot
    (unblock,) = (u.my_chat_member for u in unblocked)
    assert isinstance(unblock.old_chat_member, ChatMemberBanned)
    assert isinstance(unblock.new_chat_member, ChatMemberMember)
    assert [r.text for r in emu.sent()] == ["welcome back"]


def test_removing_the_bot_from_a_group_is_told_and_sends_there_get_403(
        emu: BotApiEmulator) -> None:
    owner = emu.user(1, "Owner")
    group = emu.group(-200, "Cohort", admins=[owner.id])
    supergroup = emu.group(-1001000000201, "Other", supergroup=True, admins=[owner.id])
    emu.remove_bot(group, owner)
    emu.remove_bot(supergroup, owner, kicked=True)
    emu.send_text(group, owner, "/start")  # the bot is not there to see it

    async def scenario(bot: Bot) -> tuple:
        removed = await bot.get_updates()
        with pytest.raises(Forbidden, match="^Forbidden: bot is not a member of the group chat$"):
            await bot.send_message(group.id, "hi")
        with pytest.raises(Forbidden,
                           match="^Forbidden: bot was kicked from the supergroup chat$"):
            await bot.send_message(supergroup.id, "hi")
        banned = await bot.get_chat_member(supergroup.id, 123456)
        emu.add_bot(group, owner)
        added = await bot.get_updates(offset=removed[-1].update_id + 1)
        await bot.send_message(group.id, "back")
        return removed, banned, added

    removed, banned, added = run(emu, scenario)
    assert [(u.my_chat_member.chat.id, u.my_chat_member.from_user.id,
             u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
            for u in removed] == [(-200, 1, "member", "left"),
                                  (supergroup.id, 1, "member", "kicked")]
    assert isinstance(removed[0].my_chat_member.new_chat_member, ChatMemberLeft)
    assert isinstance(banned, ChatMemberBanned)
    assert [(u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
            for u in added] == [("left", "member")]
    assert [r.text for r in emu.sent()] == ["back"]


def test_upgrading_a_group_moves_it_to_a_supergroup_and_the_old_id_says_where(
        emu: BotApiEmulator) -> None:
    owner, member = emu.user(1, "Owner"), emu.user(2, "Member")
    group = emu.group(-300, "Cohort", admins=[owner.id])
    emu.send_text(group, member, "/start")
    new = emu.migrate(group, owner)
    quiet = emu.migrate(emu.group(-301, "Quiet", admins=[owner.id]), owner, tell_bot=False)

    async def scenario(bot: Bot) -> tuple:
        updates = await bot.get_updates()
        moved_to = []
        for old in (group.id, -301):
            with pytest.raises(ChatMigrated) as moved:
                await bot.send_message(old, "hi")
            moved_to.append(moved.value.new_chat_id)
        await bot.send_message(new.id, "hello supergroup")
        still = await bot.get_chat_member(new.id, member.id)
        return updates, moved_to, still

    updates, moved_to, still = run(emu, scenario)
    assert (new.id, new.type, new.title, new.admins) == (-1000000000300, "supergroup", "Cohort",
                                                         (1,))
    assert moved_to == [new.id, quiet.id] and quiet.id == -1000000000301
    started, moved_from_old, joined, moved_into_new = updates  # nothing from the quiet one
    assert started.message.text == "/start"
    assert (moved_from_old.message.chat.id, moved_from_old.message.migrate_to_chat_id) == \
        (-300, new.id)
    assert (joined.my_chat_member.chat.id, joined.my_chat_member.chat.type) == \
        (new.id, "supergroup")
    assert isinstance(joined.my_chat_member.old_chat_member, ChatMemberLeft)
    assert isinstance(joined.my_chat_member.new_chat_member, ChatMemberMember)
    assert (moved_into_new.message.chat.id, moved_into_new.message.migrate_from_chat_id) == \
        (new.id, -300)
    assert isinstance(still, ChatMemberMember)  # members came along
    assert [(r.chat_id, r.text) for r in emu.sent()] == [(new.id, "hello supergroup")]
    raw = httpx.post(f"{emu.api_url}/bot{TOKEN}/sendMessage", json={"chat_id": -300, "text": "x"})
    assert (raw.status_code, raw.json()) == (400, {
        "ok": False, "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": new.id}})
    with pytest.raises(ValueError, match="only a group"):
        emu.migrate(new, owner)


def test_my_chat_member_arrives_only_when_allowed_updates_ask_for_it(
        emu: BotApiEmulator) -> None:
    ann, bob = emu.user(42, "Ann"), emu.user(43, "Bob")

    async def scenario(bot: Bot) -> tuple:
        emu.block(ann.id)
        emu.send_text(emu.private_chat(bob), bob, "hello")
        messages_only = await bot.get_updates(allowed_updates=["message"])
        emu.block(bob.id)
        asked = await bot.get_updates(offset=messages_only[-1].update_id + 1,
                                      allowed_updates=["message", "my_chat_member"])
        return messages_only, asked

    messages_only, asked = run(emu, scenario)
    assert [u.message.text for u in messages_only] == ["hello"]  # Ann's block was dropped
    assert [u.my_chat_member.chat.id for u in asked] == [bob.id]


# ----- failures --------------------------------------------------------------------------------

def test_faults_raise_the_matching_ptb_errors(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    emu.fault("sendMessage", "429", retry_after=3)
    emu.fault("sendMessage", "403")
    emu.fault("sendMessage", "400")
    emu.fault("sendMessage", "drop")
    emu.fault("sendMessage", "slow", delay=0.3)

    async def scenario(bot: Bot) -> float:
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(chat.id, "a")
        retry = flood.value.retry_after
        assert (retry.total_seconds() if isinstance(retry, dtm.timedelta) else retry) == 3
        with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
            await bot.send_message(chat.id, "b")
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(chat.id, "c")
        with pytest.raises(NetworkError):
            await bot.send_message(chat.id, "d")
        started = time.monotonic()
        await bot.send_message(chat.id, "e")
        return time.monotonic() - started

    assert run(emu, scenario) >= 0.3
    assert [r.text for r in emu.sent()] == ["e"]
    assert len(emu.failed) == 4


def test_raw_429_answer_has_retry_after_parameter(emu: BotApiEmulator) -> None:
    emu.fault("getMe", "429", retry_after=7)
    answer = httpx.get(f"{emu.api_url}/bot{TOKEN}/getMe")
    assert answer.status_code == 429
    assert answer.json() == {"ok": False, "error_code": 429,
                             "description": "Too Many Requests: retry after 7",
                             "parameters": {"retry_after": 7}}


def test_fault_limited_to_one_chat_and_blocked_user(emu: BotApiEmulator) -> None:
    ann, bob = emu.user(1, "Ann"), emu.user(2, "Bob")
    emu.private_chat(ann), emu.private_chat(bob)
    emu.fault("sendMessage", "429", chat_id=2, times=2)
    emu.block(1)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(Forbidden, match="(?i)Forbidden: bot was blocked by the user"):
            await bot.send_message(1, "hi")
        for _ in range(2):
            with pytest.raises(RetryAfter):
                await bot.send_message(2, "hi")
        await bot.send_message(2, "hi")

    run(emu, scenario)
    assert [r.chat_id for r in emu.sent()] == [2]


def test_wait_for_timeout_dumps_what_was_sent(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    run(emu, lambda bot: bot.send_message(chat.id, "only this"))
    with pytest.raises(AssertionError, match="only this"):
        emu.wait_for(lambda record: record.text == "never", timeout=0.05)
    with pytest.raises(AssertionError, match="expected 2 messages"):
        emu.wait_messages(chat.id, 2, timeout=0.05)


# ----- webhook and control endpoints -------------------------------------------------------------

class _Hook(RequestHandler):
    """Collects webhook POSTs."""

    def initialize(self, received: list) -> None:
        self.received = received

    def post(self) -> None:
        self.received.append((self.request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                              json.loads(self.request.body)))


def hook(received: list) -> tuple[HTTPServer, str]:
    """A webhook receiver on 127.0.0.1 that keeps (secret, body) of each delivery in
    `received`; the server and its URL. Made inside the scenario's event loop."""
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(Application([(r"/hook", _Hook, {"received": received})]))
    server.add_sockets(sockets)
    return server, f"http://127.0.0.1:{sockets[0].getsockname()[1]}/hook"


async def first_delivery(received: list) -> None:
    """Wait up to 2 s for the webhook's first delivery."""
    for _ in range(200):
        if received:
            return
        await asyncio.sleep(0.01)


def test_webhook_receives_updates_with_secret_and_blocks_polling(emu: BotApiEmulator) -> None:
    ann = emu.user(42, "Ann")
    received: list = []

    async def scenario(bot: Bot) -> None:
        server, url = hook(received)
        assert await bot.set_webhook(url, secret_token="s3cret")
        await asyncio.to_thread(emu.send_text, emu.private_chat(ann), ann, "via hook")
        await first_delivery(received)
        with pytest.raises(Conflict, match="(?i)webhook is active"):
            await bot.get_updates()
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == (url, 0)
        assert await bot.delete_webhook()
        assert await bot.get_updates() == ()
        server.stop()

    run(emu, scenario)
    secret, body = received[0]
    assert secret == "s3cret"
    assert Update.de_json(body, None).message.text == "via hook"


def test_a_webhook_gets_only_the_kinds_of_update_it_asked_for(emu: BotApiEmulator) -> None:
    ann, bob = emu.user(42, "Ann"), emu.user(43, "Bob")
    received: list = []

    async def scenario(bot: Bot) -> None:
        server, url = hook(received)
        assert await bot.set_webhook(url, allowed_updates=["message"])
        await asyncio.to_thread(emu.block, ann.id)
        await asyncio.to_thread(emu.send_text, emu.private_chat(bob), bob, "after")
        await first_delivery(received)
        await asyncio.sleep(0.3)  # time for anything else to arrive
        server.stop()

    run(emu, scenario)
    assert [Update.de_json(body, None).message.text for _, body in received] == ["after"]
    assert emu.updates_pending() == 0  # the block was dropped, not kept for later


def test_http_control_endpoints(emu: BotApiEmulator) -> None:
    control = f"{emu.api_url}/_emu"
    user = {"id": 7, "first_name": "Load", "username": "load7"}
    sent = httpx.post(f"{control}/send_text", json={"user": user, "text": "/start"}).json()
    assert sent["ok"] and sent["result"]["chat"]["id"] == 7
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    httpx.post(f"{emu.api_url}/bot{TOKEN}/sendMessage",
               json={"chat_id": 7, "text": "Menu", "reply_markup": markup})
    records = httpx.get(f"{control}/sent", params={"chat_id": 7, "since": 0}).json()["result"]
    assert [r["message"]["text"] for r in records] == ["Menu"]
    press = {"user": user, "chat_id": 7, "message_id": records[0]["message"]["message_id"],
             "data": "go"}
    pressed = httpx.post(f"{control}/press", json=press).json()
    assert pressed["ok"] and emu.updates_pending() == 2
    assert httpx.get(f"{control}/sent", params={"since": 1}).json()["result"] == []


# ----- inline mode -----------------------------------------------------------------------------

@pytest.fixture
def inline_emu() -> Iterator[BotApiEmulator]:
    """An emulator whose bot has inline mode switched on (BotFather's /setinline)."""
    with BotApiEmulator(token=TOKEN, inline_mode=True) as emulator:
        yield emulator


def article(result_id: str, text: str, **kwargs: object) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(result_id, f"Title {result_id}",
                                    InputTextMessageContent(text, parse_mode="HTML"), **kwargs)


def test_inline_query_reaches_the_bot_and_is_answered_once(inline_emu: BotApiEmulator) -> None:
    ann = inline_emu.user(42, "Ann")
    query_id = inline_emu.inline_query(ann, "5015 2.3", chat_type="group")
    tip = InlineQueryResultsButton("Type a unit and AC", start_parameter="inline")

    async def scenario(bot: Bot) -> InlineQuery:
        assert (await bot.get_me()).supports_inline_queries is True
        query = (await bot.get_updates())[0].inline_query
        assert await bot.answer_inline_query(query.id, [article("a", "<b>AC</b> 2.3")],
                                             cache_time=5, is_personal=True, button=tip)
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await bot.answer_inline_query(query.id, [])
        return query

    query = run(inline_emu, scenario)
    assert isinstance(query, InlineQuery)
    assert (query.id, query.query, query.offset, query.chat_type, query.from_user.id) == (
        query_id, "5015 2.3", "", "group", 42)
    answer = inline_emu.inline_answer(query_id)
    assert answer["texts"] == ["AC 2.3"]
    assert answer["results"][0]["input_message_content"]["message_text"] == "<b>AC</b> 2.3"
    assert (answer["cache_time"], answer["is_personal"]) == (5, True)
    assert answer["button"] == {"text": "Type a unit and AC", "start_parameter": "inline"}
    assert [r.method for r in inline_emu.sent()] == ["answerInlineQuery"]


def test_inline_queries_need_inline_mode(emu: BotApiEmulator) -> None:
    with pytest.raises(ValueError, match="inline_mode"):
        emu.inline_query(emu.user(42, "Ann"), "5015 2.3")


@pytest.mark.parametrize(
    ("results", "button", "error"),
    [
        ([article(str(i), "x") for i in range(51)], None, "RESULTS_TOO_MUCH"),
        ([article("same", "x"), article("same", "y")], None, "RESULT_ID_DUPLICATE"),
        ([article("é" * 33, "x")], None, "RESULT_ID_INVALID"),
        ([article("a", "<p>x</p>")], None, "can't parse entities"),
        ([article("a", "<b></b>")], None, "MESSAGE_EMPTY"),
        ([article("a", "x" * 4097)], None, "MESSAGE_TOO_LONG"),
        ([InlineQueryResultPhoto("p", "https://x.org/a.jpg", "https://x.org/t.jpg")], None,
         "not supported by the emulator"),
        ([article("a", "x", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("x", callback_data="é" * 33)]]))], None,
         "BUTTON_DATA_INVALID"),
        ([], InlineQueryResultsButton("Tip", start_parameter="no spaces"), "START_PARAM_INVALID"),
    ],
)
def test_inline_answers_are_checked_like_telegram(inline_emu: BotApiEmulator, results: list,
                                                  button: InlineQueryResultsButton | None,
                                                  error: str) -> None:
    query_id = inline_emu.inline_query(inline_emu.user(42, "Ann"), "q")
    with pytest.raises(BadRequest, match=f"(?i){re.escape(error)}"):
        run(inline_emu, lambda bot: bot.answer_inline_query(query_id, results, button=button))
    assert inline_emu.world.inline_answers == {}


def test_share_button_types_its_query_in_the_chat_picked(inline_emu: BotApiEmulator) -> None:
    ann = inline_emu.user(42, "Ann")
    chat = inline_emu.private_chat(ann)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Share",
                                                         switch_inline_query="5015 2.3")]])
    sent = run(inline_emu, lambda bot: bot.send_message(chat.id, "card", reply_markup=markup))
    query_id = inline_emu.share(chat, ann, sent.message_id, "Share", chat_type="supergroup")
    query = run(inline_emu, lambda bot: bot.get_updates())[0].inline_query
    assert (query.id, query.query, query.chat_type) == (query_id, "5015 2.3", "supergroup")
    with pytest.raises(ValueError, match="no switch_inline_query button"):
        inline_emu.share(chat, ann, sent.message_id, "Other", chat_type="group")
    raw = {"chat_id": 42, "text": "x",
           "reply_markup": {"inline_keyboard": [[{"text": "S", "switch_inline_query": 5}]]}}
    refused = httpx.post(f"{inline_emu.api_url}/bot{TOKEN}/sendMessage", json=raw).json()
    assert 'Field "switch_inline_query" must be of type String' in refused["description"]


def test_link_preview_options_are_checked_and_recorded(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(42, "Ann"))
    run(emu, lambda bot: bot.send_message(chat.id, "https://x.org",
                                          link_preview_options=LinkPreviewOptions(True)))
    assert emu.sent()[-1].link_preview_options == {"is_disabled": True}
    raw = {"chat_id": 42, "text": "x", "link_preview_options": {"is_disabled": "yes"}}
    refused = httpx.post(f"{emu.api_url}/bot{TOKEN}/sendMessage", json=raw).json()
    assert "link preview options" in refused["description"]


# ----- the HTML checker on its own ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ('<a href="https://x.org/?a=1&amp;b=2">site</a>', "site",
         [{"type": "text_link", "offset": 0, "length": 4, "url": "https://x.org/?a=1&b=2"}]),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1",
         [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st",
         [{"type": "spoiler", "offset": 0, "length": 1},
          {"type": "spoiler", "offset": 1, "length": 1}]),
        ("<b>a<i>b</i></b>&#128512;&#x41;&quot;", 'ab😀A"',
         [{"type": "bold", "offset": 0, "length": 2},
          {"type": "italic", "offset": 1, "length": 1}]),
        ("<blockquote expandable>q</blockquote>", "q",
         [{"type": "expandable_blockquote", "offset": 0, "length": 1}]),
    ],
)
def test_html_parser_accepts_telegram_html(source: str, text: str, entities: list) -> None:
    assert parse_html(source) == (text, entities)


@pytest.mark.parametrize("source", ["<span>x</span>", "<b>x</b></b>", "<p>x</p>", "<b x>y</b>"])
def test_html_parser_rejects_what_telegram_rejects(source: str) -> None:
    with pytest.raises(HtmlParseError):
        parse_html(source)
