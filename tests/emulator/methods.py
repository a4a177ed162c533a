"""The Bot API methods, each a function of (world, params, uploads) -> result or ApiError.

Validation mirrors the real server's error texts so a bot's error handling is exercised by
the same exceptions python-telegram-bot raises in production.
"""

import json
import mimetypes
import re
import struct
from collections.abc import Callable
from typing import Any

from tests.emulator.html_check import HtmlParseError, parse_html, strip_text
from tests.emulator.model import Chat, UploadedFile, bad_request
from tests.emulator.world import World, now

Upload = tuple[str, bytes, str]
Method = Callable[[World, dict, dict[str, Upload]], Any]

_JSON_KEYS = {"reply_markup", "reply_parameters", "entities", "caption_entities",
              "link_preview_options", "commands", "scope", "allowed_updates", "results",
              "button"}
_INT_KEYS = {"message_id", "message_thread_id", "reply_to_message_id", "offset", "limit",
             "timeout", "user_id", "cache_time", "max_connections"}
_BOOL_KEYS = {"disable_notification", "protect_content", "allow_sending_without_reply",
              "show_alert", "drop_pending_updates", "has_spoiler", "allow_paid_broadcast",
              "disable_content_type_detection", "is_personal"}
_BUTTON_ACTIONS = {"url", "callback_data", "web_app", "login_url", "switch_inline_query",
                   "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                   "copy_text", "callback_game", "pay"}
_CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                 "upload_voice", "upload_document", "choose_sticker", "find_location",
                 "record_video_note", "upload_video_note"}
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_INLINE_RESULTS = 50
# Inline result types Telegram has; the emulator builds only articles with a text message.
_INLINE_TYPES = {"article", "photo", "gif", "mpeg4_gif", "video", "audio", "voice", "document",
                 "location", "venue", "contact", "game", "sticker"}
_NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                 "exactly the same as a current content and reply markup of the message")



# ----- parameters ------------------------------------------------------------------------------

def coerce_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Typed parameters from form fields (all strings) or a JSON body (already typed)."""
    return {key: _coerce(key, value) for key, value in raw.items()}


def _coerce(key: str, value: Any) -> Any:
    """One parameter: JSON objects decoded, ids as int, booleans as bool."""
    if not isinstance(value, str):
        return value
    if key in _JSON_KEYS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {key} JSON object") from None
    if key in _INT_KEYS or key == "chat_id":
        if re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        if key != "chat_id":
            raise bad_request(f"invalid {key} specified")
    if key in _BOOL_KEYS:
        return value.lower() in ("true", "1")
    return value


# ----- shared helpers --------------------------------------------------------------------------

def _formatted(params: dict, key: str, entities_key: str) -> tuple[str, list[dict]]:
    """Text and entities after parse_mode, stripped like Telegram does."""
    raw = str(params.get(key) or "")
    mode = str(params.get("parse_mode") or "").lower()
    if mode == "html":
        try:
            text, entities = parse_html(raw)
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif mode in ("", "markdown", "markdownv2"):
        text, entities = raw, list(params.get(entities_key) or [])
    else:
        raise bad_request("unsupported parse_mode")
    return strip_text(text, entities)


def _message_text(params: dict) -> tuple[str, list[dict]]:
    """sendMessage/editMessageText text: non-empty, at most 4096 characters."""
    _link_preview_options(params)
    text, entities = _formatted(params, "text", "entities")
    if not text:
        raise bad_request("message text is empty")
    if len(text) > 4096:
        raise bad_request("message is too long")
    return text, entities


def _link_preview_options(params: dict) -> None:
    """link_preview_options, when given, is an object whose is_disabled is a boolean."""
    options = params.get("link_preview_options")
    if options is None:
        return
    if not isinstance(options, dict) or not isinstance(options.get("is_disabled", False), bool):
        raise bad_request("can't parse link preview options JSON object")


def _caption(params: dict) -> tuple[str, list[dict]]:
    """Media caption: optional, at most 1024 characters."""
    caption, entities = _formatted(params, "caption", "caption_entities")
    if len(caption) > 1024:
        raise bad_request("message caption is too long")
    return caption, entities


def _inline_markup(params: dict) -> dict | None:
    """The reply_markup a Message carries (inline keyboards only), validated like Telegram."""
    markup = params.get("reply_markup")
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard markup JSON object")
    for button in (b for row in rows for b in row):
        _check_button(button)
    return markup


def _check_button(button: Any) -> None:
    """One inline button: has text, exactly one action, callback_data of 1-64 bytes."""
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String')
    if not _BUTTON_ACTIONS & button.keys():
        raise bad_request("can't parse inline keyboard button: "
                          "Text buttons are unallowed in the inline keyboard")
    if "callback_data" in button and not 1 <= len(str(button["callback_data"]).encode()) <= 64:
        raise bad_request("BUTTON_DATA_INVALID")
    for key in ("switch_inline_query", "switch_inline_query_current_chat"):
        if key in button and not isinstance(button[key], str):
            raise bad_request(f'can\'t parse inline keyboard button: Field "{key}" must be of '
                              f'type String')


def _bot_message(world: World, chat: Chat, params: dict) -> dict:
    """A new bot Message with thread, reply and inline keyboard applied from params."""
    message = world.new_message(chat, dict(world.bot))
    replied = _replied_message(world, chat, params)
    thread_id = params.get("message_thread_id")
    if thread_id is None and replied:
        thread_id = replied.get("message_thread_id")
    if chat.is_forum and thread_id:
        message["message_thread_id"] = thread_id
        message["is_topic_message"] = True
    if replied:
        message["reply_to_message"] = replied
    markup = _inline_markup(params)
    if markup:
        message["reply_markup"] = markup
    return message


def _replied_message(world: World, chat: Chat, params: dict) -> dict | None:
    """The message reply_parameters / reply_to_message_id points at, if any."""
    reply = params.get("reply_parameters") or {}
    message_id = reply.get("message_id", params.get("reply_to_message_id"))
    if message_id is None:
        return None
    found = world.embedded(chat.id, int(message_id))
    allow_missing = reply.get("allow_sending_without_reply",
                              params.get("allow_sending_without_reply", False))
    if found is None and not allow_missing:
        raise bad_request("message to be replied not found")
    return found


def _send(world: World, method: str, params: dict, message: dict,
          files: dict[str, UploadedFile] | None = None) -> dict:
    """Store, record and return a newly sent message."""
    stored = world.store(message)
    world.record(method, params, message["chat"]["id"], stored, files)
    return stored


def _bot_owned(world: World, params: dict, action: str) -> tuple[Chat, dict]:
    """The chat and stored bot message an edit targets."""
    if params.get("inline_message_id"):
        raise bad_request("inline messages are not supported by the emulator")
    chat = world.writable_chat(params.get("chat_id"))
    message = world.message(chat.id, int(params.get("message_id") or 0))
    if message is None:
        raise bad_request(f"message to {action} not found")
    if message["from"]["id"] != world.bot["id"]:
        raise bad_request(f"message can't be {action}ed")
    return chat, message


def _apply_edit(world: World, method: str, params: dict, message: dict, changes: dict) -> dict:
    """Replace fields (None removes one), refusing no-op edits like Telegram."""
    if all(message.get(key) == value for key, value in changes.items()):
        raise bad_request(_NOT_MODIFIED)
    for key, value in changes.items():
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value
    message["edit_date"] = now()
    stored = world.store(message)
    world.record(method, params, message["chat"]["id"], stored)
    return stored


# ----- files -----------------------------------------------------------------------------------

def _input_file(world: World, params: dict, uploads: dict[str, Upload], key: str,
                kind: str) -> UploadedFile:
    """The file a send* call refers to: a multipart upload, attach://, a file_id or a URL."""
    value = params.get(key)
    if isinstance(value, str) and value.startswith("attach://"):
        key = value.removeprefix("attach://")
        value = None
    if key in uploads:
        filename, data, mime = uploads[key]
        return _new_file(world, kind, filename, data, mime)
    if isinstance(value, str) and value in world.files:
        return world.files[value]
    if isinstance(value, str) and re.match(r"https?://", value):
        return _new_file(world, kind, value.rsplit("/", 1)[-1] or "file", b"", "")
    if value:
        raise bad_request("wrong file identifier/HTTP URL specified")
    raise bad_request(f"there is no {key} in the request")


def _new_file(world: World, kind: str, filename: str, data: bytes, mime: str) -> UploadedFile:
    """Register an uploaded file under fresh file_id / file_unique_id."""
    return world.add_file(kind, filename, data, mime)


def _file_path(file: UploadedFile) -> str:
    """Where getFile says the file lives (under base_file_url)."""
    extension = mimetypes.guess_extension(file.mime_type) or ""
    return f"{file.file_id.split('-')[0]}s/{file.file_unique_id}{extension}"


def find_by_path(world: World, path: str) -> UploadedFile | None:
    """The file served at base_file_url/<token>/<path>."""
    with world.lock:
        return next((f for f in world.files.values() if _file_path(f) == path), None)


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG; a plausible default for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return 800, 600


def _with_caption(message: dict, params: dict) -> dict:
    """Add caption and caption_entities to a media message."""
    caption, entities = _caption(params)
    if caption:
        message["caption"] = caption
    if entities:
        message["caption_entities"] = entities
    return message


# ----- methods ---------------------------------------------------------------------------------

def get_me(world: World, params: dict, uploads: dict) -> dict:
    """The bot's own User, with the bot-only capability flags."""
    return {**world.bot, "can_join_groups": True,
            "can_read_all_group_messages": not world.privacy_mode,
            "supports_inline_queries": world.inline_mode, "can_connect_to_business": False,
            "has_main_web_app": False}


def send_message(world: World, params: dict, uploads: dict) -> dict:
    """sendMessage."""
    chat = world.writable_chat(params.get("chat_id"))
    text, entities = _message_text(params)
    message = _bot_message(world, chat, params)
    message["text"] = text
    if entities:
        message["entities"] = entities
    return _send(world, "sendMessage", params, message)


def send_photo(world: World, params: dict, uploads: dict) -> dict:
    """sendPhoto (one PhotoSize: the original)."""
    chat = world.writable_chat(params.get("chat_id"))
    file = _input_file(world, params, uploads, "photo", "photo")
    width, height = _image_size(file.data)
    message = _with_caption(_bot_message(world, chat, params), params)
    message["photo"] = [{"file_id": file.file_id, "file_unique_id": file.file_unique_id,
                         "width": width, "height": height, "file_size": len(file.data)}]
    return _send(world, "sendPhoto", params, message, {"photo": file})


def send_document(world: World, params: dict, uploads: dict) -> dict:
    """sendDocument."""
    chat = world.writable_chat(params.get("chat_id"))
    file = _input_file(world, params, uploads, "document", "document")
    message = _with_caption(_bot_message(world, chat, params), params)
    message["document"] = {"file_id": file.file_id, "file_unique_id": file.file_unique_id,
                           "file_name": file.filename, "mime_type": file.mime_type,
                           "file_size": len(file.data)}
    return _send(world, "sendDocument", params, message, {"document": file})


def get_file(world: World, params: dict, uploads: dict) -> dict:
    """getFile: a path under base_file_url where the bytes can be downloaded."""
    file = world.files.get(str(params.get("file_id")))
    if file is None:
        raise bad_request("invalid file_id")
    if len(file.data) > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {"file_id": file.file_id, "file_unique_id": file.file_unique_id,
            "file_size": len(file.data), "file_path": _file_path(file)}


def edit_message_text(world: World, params: dict, uploads: dict) -> dict:
    """editMessageText; leaving out reply_markup removes the keyboard, as on Telegram."""
    _, message = _bot_owned(world, params, "edit")
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    text, entities = _message_text(params)
    changes = {"text": text, "entities": entities or None,
               "reply_markup": _inline_markup(params)}
    return _apply_edit(world, "editMessageText", params, message, changes)


def edit_message_reply_markup(world: World, params: dict, uploads: dict) -> dict:
    """editMessageReplyMarkup."""
    _, message = _bot_owned(world, params, "edit")
    changes = {"reply_markup": _inline_markup(params)}
    return _apply_edit(world, "editMessageReplyMarkup", params, message, changes)


def delete_message(world: World, params: dict, uploads: dict) -> bool:
    """deleteMessage (any message in the chat, like a bot admin or a private chat)."""
    chat = world.writable_chat(params.get("chat_id"))
    if not world.delete_message(chat.id, int(params.get("message_id") or 0)):
        raise bad_request("message to delete not found")
    world.record("deleteMessage", params, chat.id)
    return True


def answer_callback_query(world: World, params: dict, uploads: dict) -> bool:
    """answerCallbackQuery: each query can be answered once."""
    with world.lock:
        query = world.callbacks.pop(str(params.get("callback_query_id")), None)
        if query is None:
            raise bad_request("query is too old and response timeout expired or query ID is "
                              "invalid")
        world.answered_callbacks.append(dict(params))
    world.record("answerCallbackQuery", params, query["message"]["chat"]["id"])
    return True


def answer_inline_query(world: World, params: dict, uploads: dict) -> bool:
    """answerInlineQuery: each query answered once, with at most 50 results of unique ids
    (1-64 bytes); articles' messages parsed like sendMessage's; the answer is kept for tests
    (emu.inline_answer), with the text each result's message would show."""
    results = params.get("results")
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    texts = [_inline_result(result) for result in results]
    ids = [str(result["id"]) for result in results]
    if len(set(ids)) < len(ids):
        raise bad_request("RESULT_ID_DUPLICATE")
    if len(str(params.get("next_offset") or "").encode()) > 64:
        raise bad_request("NEXT_OFFSET_INVALID")
    _inline_button(params.get("button"))
    with world.lock:
        query = world.inline_queries.pop(str(params.get("inline_query_id")), None)
        if query is None:
            raise bad_request("query is too old and response timeout expired or query ID is "
                              "invalid")
        world.inline_answers[query["id"]] = {**params, "texts": texts}
    world.record("answerInlineQuery", params, None)
    return True


def _inline_result(result: Any) -> str:
    """One InlineQueryResult checked like Telegram; the text its message would show."""
    if not isinstance(result, dict):
        raise bad_request("can't parse inline query result JSON object")
    if not 1 <= len(str(result.get("id") or "").encode()) <= 64:
        raise bad_request("RESULT_ID_INVALID")
    kind = result.get("type")
    if kind not in _INLINE_TYPES:
        raise bad_request("RESULT_TYPE_INVALID")
    if kind != "article":
        raise bad_request(f"inline results of type {kind} are not supported by the emulator")
    if not isinstance(result.get("title"), str) or not result["title"].strip():
        raise bad_request('can\'t parse inline query result: Field "title" must be of type '
                          'String')
    content = result.get("input_message_content")
    if not isinstance(content, dict) or "message_text" not in content:
        raise bad_request("can't parse inline query result: Field \"input_message_content\" "
                          "must be of type Object")
    _inline_markup(result)
    _link_preview_options(content)
    text, _ = _formatted({**content, "text": content["message_text"]}, "text", "entities")
    if not text:
        raise bad_request("MESSAGE_EMPTY")
    if len(text) > 4096:
        raise bad_request("MESSAGE_TOO_LONG")
    return text


def _inline_button(button: Any) -> None:
    """The button shown above inline results: text, and a start_parameter or a web_app."""
    if button is None:
        return
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request('can\'t parse inline query results button: Field "text" must be of '
                          'type String')
    if ("start_parameter" in button) == ("web_app" in button):
        raise bad_request("can't parse inline query results button: exactly one of "
                          "start_parameter and web_app must be given")
    if "start_parameter" in button and not _START_PARAMETER.fullmatch(
            str(button["start_parameter"])):
        raise bad_request("START_PARAM_INVALID")


def send_chat_action(world: World, params: dict, uploads: dict) -> bool:
    """sendChatAction."""
    chat = world.writable_chat(params.get("chat_id"))
    if params.get("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    with world.lock:
        world.chat_actions.append({"chat_id": chat.id, "action": params["action"],
                                   "message_thread_id": params.get("message_thread_id")})
    world.record("sendChatAction", params, chat.id)
    return True


def commands_key(params: dict) -> tuple[str, str]:
    """(scope JSON, language_code): how emu.commands is keyed."""
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True, separators=(",", ":")), params.get(
        "language_code") or ""


def set_my_commands(world: World, params: dict, uploads: dict) -> bool:
    """setMyCommands with scope and language_code."""
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    with world.lock:
        world.commands[commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands]
    world.record("setMyCommands", params, None)
    return True


def get_my_commands(world: World, params: dict, uploads: dict) -> list[dict]:
    """getMyCommands for exactly that scope and language."""
    with world.lock:
        return list(world.commands.get(commands_key(params), []))


def delete_my_commands(world: World, params: dict, uploads: dict) -> bool:
    """deleteMyCommands."""
    with world.lock:
        world.commands.pop(commands_key(params), None)
    world.record("deleteMyCommands", params, None)
    return True


def get_chat(world: World, params: dict, uploads: dict) -> dict:
    """getChat: a ChatFullInfo with the fields PTB requires."""
    chat = world.chat(params.get("chat_id"))
    gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                           "premium_subscription", "gifts_from_channels"), False)
    return {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11,
            "accepted_gift_types": gifts}


def _chat_member(world: World, chat: Chat, user_id: int) -> dict:
    """A ChatMember object of the right subtype for the status."""
    return world.chat_member(user_id, world.member_status(chat, user_id))


def get_chat_member(world: World, params: dict, uploads: dict) -> dict:
    """getChatMember."""
    chat = world.chat(params.get("chat_id"))
    user_id = params.get("user_id")
    known = user_id in world.users or user_id == world.bot["id"] or user_id in chat.admins
    if not known:
        raise bad_request("user not found")
    return _chat_member(world, chat, user_id)


def get_chat_administrators(world: World, params: dict, uploads: dict) -> list[dict]:
    """getChatAdministrators: the group's creator and admins."""
    chat = world.chat(params.get("chat_id"))
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    return [_chat_member(world, chat, user_id) for user_id in chat.admins]


def set_webhook(world: World, params: dict, uploads: dict) -> bool:
    """setWebhook: later updates are POSTed to url instead of queued for getUpdates."""
    url = str(params.get("url") or "")
    secret = params.get("secret_token")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if url and not re.match(r"https?://", url):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    with world.lock:
        world.webhook = {k: v for k, v in params.items() if k != "certificate"} if url else {}
        world.webhook_error = None
        if params.get("allowed_updates") is not None:
            world.allowed_updates = list(params["allowed_updates"])
        if params.get("drop_pending_updates"):
            world.updates.clear()
    world.record("setWebhook", params, None)
    world.on_update()
    return True


def delete_webhook(world: World, params: dict, uploads: dict) -> bool:
    """deleteWebhook: back to getUpdates."""
    with world.lock:
        world.webhook = {}
        if params.get("drop_pending_updates"):
            world.updates.clear()
    world.record("deleteWebhook", params, None)
    return True


def get_webhook_info(world: World, params: dict, uploads: dict) -> dict:
    """getWebhookInfo."""
    with world.lock:
        info: dict[str, Any] = {"url": world.webhook.get("url", ""),
                                "has_custom_certificate": False,
                                "pending_update_count": len(world.updates)}
        if world.webhook:
            info["max_connections"] = world.webhook.get("max_connections", 40)
            if world.allowed_updates:
                info["allowed_updates"] = list(world.allowed_updates)
        if world.webhook_error:
            info["last_error_date"], info["last_error_message"] = world.webhook_error
    return info


def _profile_setter(method: str, key: str) -> Method:
    """setMyName / setMyDescription / setMyShortDescription: record and remember."""

    def setter(world: World, params: dict, uploads: dict) -> bool:
        with world.lock:
            world.profile[f"{key}:{params.get('language_code') or ''}"] = str(
                params.get(key) or "")
        world.record(method, params, None)
        return True

    setter.__doc__ = f"{method}."
    return setter


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "getFile": get_file,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "answerInlineQuery": answer_inline_query,
    "sendChatAction": send_chat_action,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyName": _profile_setter("setMyName", "name"),
    "setMyDescription": _profile_setter("setMyDescription", "description"),
    "setMyShortDescription": _profile_setter("setMyShortDescription", "short_description"),
}
