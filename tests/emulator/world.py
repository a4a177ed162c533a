"""Everything the emulated Telegram knows: chats, messages, pending updates, what the bot did.

All access goes through one re-entrant lock because the tornado thread (the bot's requests)
and the test thread (users typing, assertions) touch the same state.
"""

import copy
import itertools
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.emulator.entities import entity_text, user_text_entities
from tests.emulator.model import ApiError, Chat, Record, UploadedFile, User

FAULT_KINDS = ("429", "400", "403", "slow", "drop")
MAX_INLINE_QUERY = 256  # characters a user can type after the bot's name
INLINE_CHAT_TYPES = ("sender", "private", "group", "supergroup", "channel")
NEW_MESSAGE_METHODS = ("sendMessage", "sendPhoto", "sendDocument")
ADMIN_RIGHTS = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                "can_restrict_members", "can_promote_members", "can_change_info",
                "can_invite_users", "can_post_stories", "can_edit_stories",
                "can_delete_stories", "can_pin_messages", "can_manage_topics")


@dataclass
class Fault:
    """An injected failure for the next `times` calls of `method` (lower-cased), or for
    every call until `until` (time.monotonic()) when that is set: an outage."""

    method: str
    kind: str
    times: int
    retry_after: int
    delay: float
    chat_id: int | frozenset[int] | None  # one chat, several, or any
    until: float | None = None

    def matches(self, method: str, chat_id: object) -> bool:
        if self.method != method.lower():
            return False
        if isinstance(self.chat_id, frozenset):
            return chat_id in self.chat_id
        return self.chat_id in (None, chat_id)


def now() -> int:
    """Bot API dates are Unix time in whole seconds."""
    return int(time.time())


class World:
    """State of the emulated Bot API server and its users."""

    def __init__(self, bot_username: str, bot_id: int, bot_name: str, privacy_mode: bool,
                 inline_mode: bool = False) -> None:
        self.lock = threading.RLock()
        self.bot = {"id": bot_id, "is_bot": True, "first_name": bot_name, "username": bot_username}
        self.privacy_mode = privacy_mode
        self.inline_mode = inline_mode  # BotFather's /setinline: users may query the bot inline
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.members: dict[int, set[int]] = {}
        self.messages: dict[tuple[int, int], dict] = {}
        self.last_message_id: dict[int, int] = {}
        self.updates: list[dict] = []
        self.delivering: set[int] = set()  # update ids being POSTed to the webhook
        self.update_ids = itertools.count(1)
        self.callback_ids = itertools.count(4_000_000_000_000_000_001)
        self.callbacks: dict[str, dict] = {}
        self.inline_ids = itertools.count(5_000_000_000_000_000_001)
        self.inline_queries: dict[str, dict] = {}  # sent to the bot, not answered yet
        self.inline_answers: dict[str, dict] = {}  # query id -> the bot's answer
        self.records: list[Record] = []
        self.failed: list[Record] = []
        self.answered_callbacks: list[dict] = []
        self.chat_actions: list[dict] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.blocked: set[int] = set()
        self.bot_gone: dict[int, str] = {}  # groups the bot was removed from: "left", "kicked"
        self.migrated: dict[int, int] = {}  # a group upgraded to a supergroup: old id -> new
        self.faults: list[Fault] = []
        self.webhook: dict = {}
        self.webhook_error: tuple[int, str] | None = None
        self.allowed_updates: list[str] = []
        self.profile: dict[str, str] = {}
        self.on_update: Callable[[], None] = lambda: None

    # ----- users and chats -------------------------------------------------------------------

    def add_chat(self, chat: Chat) -> Chat:
        """Make a chat known so the bot may send to it."""
        with self.lock:
            self.chats[chat.id] = chat
            self.members.setdefault(chat.id, set())
        return chat

    def add_user(self, user: User) -> User:
        """Make a user known (for getChatMember and getChatAdministrators)."""
        with self.lock:
            self.users[user.id] = user
        return user

    def user_dict(self, user_id: int) -> dict:
        """The User object for an id, inventing a name for ids no test introduced."""
        if user_id == self.bot["id"]:
            return dict(self.bot)
        user = self.users.get(user_id)
        return user.to_api() if user else {"id": user_id, "is_bot": False, "first_name": "User"}

    def chat(self, chat_id: int | str | None) -> Chat:
        """A known chat by id or @username, else Telegram's 400."""
        with self.lock:
            if isinstance(chat_id, str) and chat_id.startswith("@"):
                found = next((c for c in self.chats.values() if c.username == chat_id[1:]), None)
            else:
                found = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if found is None:
            raise ApiError(400, "Bad Request: chat not found")
        return found

    def writable_chat(self, chat_id: int | str | None) -> Chat:
        """A chat the bot can post to: known, not blocked (private), still holding the bot and
        not upgraded to a supergroup (groups), each refused with Telegram's own answer."""
        chat = self.chat(chat_id)
        kind = "supergroup" if chat.type == "supergroup" else "group"
        with self.lock:
            blocked, gone = chat.id in self.blocked, self.bot_gone.get(chat.id)
            moved_to = self.migrated.get(chat.id)
        if chat.type == "private" and blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if moved_to is not None:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           migrate_to_chat_id=moved_to)
        if gone == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        if gone == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")
        return chat

    def member_status(self, chat: Chat, user_id: int) -> str:
        """creator / administrator / member / left (kicked: the bot, removed by an admin),
        from the group's admins, who spoke and whether the bot was removed."""
        if chat.type == "private":
            return "member" if user_id in (chat.id, self.bot["id"]) else "left"
        with self.lock:
            gone = self.bot_gone.get(chat.id)
        if user_id == self.bot["id"] and gone is not None:
            return gone
        if chat.admins and user_id == chat.admins[0]:
            return "creator"
        if user_id in chat.admins:
            return "administrator"
        with self.lock:
            seen = user_id in self.members.get(chat.id, set())
        return "member" if seen or user_id == self.bot["id"] else "left"

    def chat_member(self, user_id: int, status: str) -> dict:
        """A ChatMember object of the subtype for `status`, with the fields it requires."""
        member: dict[str, Any] = {"status": status, "user": self.user_dict(user_id)}
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            member.update(dict.fromkeys(ADMIN_RIGHTS, True), can_be_edited=False,
                          is_anonymous=False)
        if status == "kicked":
            member["until_date"] = 0  # for ever
        return member

    # ----- the bot's own membership -------------------------------------------------------------

    def bot_status_changed(self, chat: Chat, by: dict, old: str, new: str) -> None:
        """A my_chat_member update: the bot's status in `chat` went from `old` to `new`."""
        self.queue_update("my_chat_member", {
            "chat": chat.to_api(), "from": by, "date": now(),
            "old_chat_member": self.chat_member(self.bot["id"], old),
            "new_chat_member": self.chat_member(self.bot["id"], new)})

    def set_blocked(self, user_id: int, blocked: bool, tell_bot: bool) -> None:
        """The user blocks the bot (or unblocks it): while blocked, sends to their private
        chat get 403. Telegram tells the bot once per change (my_chat_member, member to
        kicked and back); with `tell_bot` False the bot never gets that update."""
        with self.lock:
            changed = (user_id in self.blocked) != blocked
            if blocked:
                self.blocked.add(user_id)
            else:
                self.blocked.discard(user_id)
            chat = self.chats.get(user_id)
        if chat is None:
            chat = self.add_chat(Chat(user_id, "private",
                                      first_name=self.user_dict(user_id)["first_name"]))
        if changed and tell_bot:
            old, new = ("member", "kicked") if blocked else ("kicked", "member")
            self.bot_status_changed(chat, self.user_dict(user_id), old, new)

    def remove_bot(self, chat: Chat, by: User, kicked: bool) -> None:
        """`by` removes the bot from a group (kicked: banned by an admin; else it just left):
        a my_chat_member update, and from then on sends there get 403 and the bot sees
        nothing said there."""
        if chat.type == "private":
            raise ValueError("a private chat is left by blocking the bot: use block()")
        self.add_user(by)
        old = self.member_status(chat, self.bot["id"])
        with self.lock:
            self.bot_gone[chat.id] = "kicked" if kicked else "left"
        self.bot_status_changed(chat, by.to_api(), old, self.bot_gone[chat.id])

    def add_bot(self, chat: Chat, by: User) -> None:
        """`by` adds the bot to a group (again): a my_chat_member update from left."""
        self.add_user(by)
        self.add_chat(chat)
        with self.lock:
            old = self.bot_gone.pop(chat.id, "left")
        self.bot_status_changed(chat, by.to_api(), old,
                                self.member_status(chat, self.bot["id"]))

    def migrate(self, chat: Chat, by: User, tell_bot: bool) -> Chat:
        """`by` upgrades a group to a supergroup: a new chat (-100…) with the same title,
        admins and members. As on Telegram the bot gets a service message with
        migrate_to_chat_id in the old chat, joins the new one (my_chat_member) and gets one
        with migrate_from_chat_id there; from then on a send to the old id answers 400 with
        migrate_to_chat_id. With `tell_bot` False the bot never gets those updates. A user
        message in the old chat afterwards still reaches the bot, as one sent just before
        the upgrade would."""
        if chat.type != "group":
            raise ValueError(f"chat {chat.id} is a {chat.type}: only a group is upgraded")
        self.add_user(by)
        new = self.add_chat(Chat(int(f"-100{abs(chat.id):010d}"), "supergroup",
                                 title=chat.title, admins=chat.admins))
        with self.lock:
            self.members[new.id] = set(self.members.get(chat.id, set()))
            self.migrated[chat.id] = new.id
        moved_to = {**self.new_message(chat, by.to_api()), "migrate_to_chat_id": new.id}
        moved_from = {**self.new_message(new, by.to_api()), "migrate_from_chat_id": chat.id}
        self.store(moved_to)
        self.store(moved_from)
        if tell_bot:
            self.queue_update("message", copy.deepcopy(moved_to))
            self.bot_status_changed(new, by.to_api(), "left",
                                    self.member_status(new, self.bot["id"]))
            self.queue_update("message", copy.deepcopy(moved_from))
        return new

    # ----- messages ----------------------------------------------------------------------------

    def new_message(self, chat: Chat, sender: dict) -> dict:
        """A Message skeleton with the chat's next message_id."""
        with self.lock:
            message_id = self.last_message_id.get(chat.id, 0) + 1
            self.last_message_id[chat.id] = message_id
        return {"message_id": message_id, "from": sender, "date": now(), "chat": chat.to_api()}

    def store(self, message: dict) -> dict:
        """Keep the current state of a message; returns a copy safe to hand out."""
        with self.lock:
            self.messages[(message["chat"]["id"], message["message_id"])] = message
            return copy.deepcopy(message)

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """Current state of a stored message (copy), None if unknown or deleted."""
        with self.lock:
            found = self.messages.get((chat_id, message_id))
            return copy.deepcopy(found) if found else None

    def embedded(self, chat_id: int, message_id: int) -> dict | None:
        """A message as embedded in another (reply_to_message): without its own reply."""
        found = self.message(chat_id, message_id)
        if found:
            found.pop("reply_to_message", None)
        return found

    def delete_message(self, chat_id: int, message_id: int) -> bool:
        """Forget a message; False if there was none."""
        with self.lock:
            return self.messages.pop((chat_id, message_id), None) is not None

    # ----- updates -----------------------------------------------------------------------------

    def queue_update(self, kind: str, payload: dict) -> None:
        """Add an Update and wake long polls / the webhook sender."""
        with self.lock:
            self.updates.append({"update_id": next(self.update_ids), kind: payload})
        self.on_update()

    def take_updates(self, offset: int, limit: int) -> list[dict]:
        """getUpdates semantics: confirm everything before offset, then return up to limit."""
        with self.lock:
            if offset > 0:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            elif offset < 0:
                self.updates = self.updates[offset:]
            self._drop_unwanted()
            return copy.deepcopy(self.updates[:limit])

    def _drop_unwanted(self) -> None:
        """Updates of kinds the bot did not ask for (allowed_updates) are dropped, as
        Telegram drops them."""
        if self.allowed_updates:
            self.updates = [u for u in self.updates if _kind(u) in self.allowed_updates]

    def pending_count(self) -> int:
        """Updates not yet confirmed (polling) or delivered (webhook)."""
        with self.lock:
            return len(self.updates)

    def take_for_webhook(self) -> dict | None:
        """The oldest update no webhook delivery holds, skipping chats that have one in
        flight (Telegram delivers one chat's updates in order), marked as in flight."""
        with self.lock:
            self._drop_unwanted()
            busy = {_chat_of(u) for u in self.updates if u["update_id"] in self.delivering}
            for update in self.updates:
                chat = _chat_of(update)  # None for an inline query: no chat to keep in order
                if update["update_id"] not in self.delivering and (chat is None
                                                                    or chat not in busy):
                    self.delivering.add(update["update_id"])
                    return copy.deepcopy(update)
            return None

    def release_update(self, update_id: int) -> None:
        """A webhook delivery failed: the update waits for the next attempt."""
        with self.lock:
            self.delivering.discard(update_id)

    def ack_update(self, update_id: int) -> None:
        """The webhook accepted an update: drop it from the queue."""
        with self.lock:
            self.updates = [u for u in self.updates if u["update_id"] != update_id]
            self.delivering.discard(update_id)
            self.webhook_error = None

    def user_message(self, chat: Chat, user: User, text: str, reply_to: int | None,
                     thread_id: int | None) -> dict:
        """A user types `text` in `chat`; the bot gets it unless group privacy hides it."""
        self.add_user(user)
        self.add_chat(chat)
        with self.lock:
            self.members[chat.id].add(user.id)
        if thread_id is not None and not chat.is_forum:
            raise ValueError(f"chat {chat.id} is not a forum; thread_id needs forum=True")
        replied = self.embedded(chat.id, reply_to) if reply_to is not None else None
        if reply_to is not None and replied is None:
            raise ValueError(f"no message {reply_to} in chat {chat.id} to reply to")
        message = self.new_message(chat, user.to_api())
        message["text"] = text
        entities = user_text_entities(text)
        if entities:
            message["entities"] = entities
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        if replied is not None:
            message["reply_to_message"] = replied
        stored = self.store(message)
        if self._bot_sees(chat, message):
            self.queue_update("message", copy.deepcopy(message))
        return stored

    def add_file(self, kind: str, filename: str, data: bytes, mime: str) -> UploadedFile:
        """Keep a file under fresh file_id / file_unique_id (uploads by the bot or a user)."""
        with self.lock:
            number = len(self.files) + 1
            mime = mime or mimetypes.guess_type(filename)[0] or "application/octet-stream"
            file = UploadedFile(f"{kind}-{number:06d}-emu", f"u{number:06d}", filename, mime,
                                data)
            self.files[file.file_id] = file
        return file

    def user_document(self, chat: Chat, user: User, filename: str, data: bytes, mime: str,
                      caption: str | None) -> dict:
        """A user sends a file; the bot gets a message with a Document (in groups, under
        privacy mode, only with a command in its caption)."""
        self.add_user(user)
        self.add_chat(chat)
        file = self.add_file("document", filename, data, mime)
        message = self.new_message(chat, user.to_api())
        message["document"] = {"file_id": file.file_id, "file_unique_id": file.file_unique_id,
                               "file_name": filename, "mime_type": file.mime_type,
                               "file_size": len(data)}
        if caption:
            message["caption"] = caption
            entities = user_text_entities(caption)
            if entities:
                message["caption_entities"] = entities
        stored = self.store(message)
        if chat.type == "private" or not self.privacy_mode or self.bot["id"] in chat.admins \
                or caption and caption.startswith("/"):
            self.queue_update("message", copy.deepcopy(message))
        return stored

    def _bot_sees(self, chat: Chat, message: dict) -> bool:
        """Group privacy mode: only commands, mentions and replies to the bot get through
        (nothing in a group the bot was removed from)."""
        with self.lock:
            if chat.id in self.bot_gone:
                return False
        if chat.type == "private" or not self.privacy_mode or self.bot["id"] in chat.admins:
            return True
        username = self.bot["username"].lower()
        for entity in message.get("entities", []):
            part = entity_text(message["text"], entity).lower()
            if entity["type"] == "bot_command" and part.partition("@")[2] in ("", username):
                return True
            if entity["type"] == "mention" and part == f"@{username}":
                return True
        replied = message.get("reply_to_message") or {}
        return replied.get("from", {}).get("id") == self.bot["id"]

    def press(self, chat: Chat, user: User, message_id: int, data: str) -> str:
        """A user taps an inline button with callback_data `data` on a bot message."""
        self.add_user(user)
        message = self.message(chat.id, message_id)
        if message is None or message["from"]["id"] != self.bot["id"]:
            raise ValueError(f"no bot message {message_id} in chat {chat.id}")
        buttons = [b for row in message.get("reply_markup", {}).get("inline_keyboard", [])
                   for b in row]
        if not any(b.get("callback_data") == data for b in buttons):
            raise ValueError(f"message {message_id} has no button with callback_data {data!r}; "
                             f"buttons: {buttons}")
        query = {
            "id": str(next(self.callback_ids)),
            "from": user.to_api(),
            "message": message,
            "chat_instance": str((chat.id * 1_000_003 + self.bot["id"]) % 2**62),
            "data": data,
        }
        with self.lock:
            self.callbacks[query["id"]] = query
        self.queue_update("callback_query", copy.deepcopy(query))
        return query["id"]

    def inline_query(self, user: User, query: str, offset: str, chat_type: str) -> str:
        """A user types "@bot `query`" in a chat of `chat_type`; returns the inline query id."""
        if not self.inline_mode:
            raise ValueError("the bot has no inline mode (BotFather's /setinline): start the "
                             "emulator with inline_mode=True")
        if len(query) > MAX_INLINE_QUERY:
            raise ValueError(f"an inline query is at most {MAX_INLINE_QUERY} characters")
        if chat_type not in INLINE_CHAT_TYPES:
            raise ValueError(f"chat_type must be one of {INLINE_CHAT_TYPES}, not {chat_type!r}")
        self.add_user(user)
        inline = {"id": str(next(self.inline_ids)), "from": user.to_api(), "query": query,
                  "offset": offset, "chat_type": chat_type}
        with self.lock:
            self.inline_queries[inline["id"]] = inline
        self.queue_update("inline_query", copy.deepcopy(inline))
        return inline["id"]

    def share(self, chat: Chat, user: User, message_id: int, label: str,
              chat_type: str) -> str:
        """A user taps a switch_inline_query button (labelled `label`) on a bot message and
        picks a chat of `chat_type`: Telegram types "@bot <query>" there, which is an inline
        query; returns its id."""
        message = self.message(chat.id, message_id)
        if message is None or message["from"]["id"] != self.bot["id"]:
            raise ValueError(f"no bot message {message_id} in chat {chat.id}")
        buttons = [b for row in message.get("reply_markup", {}).get("inline_keyboard", [])
                   for b in row]
        found = next((b for b in buttons if b["text"] == label and "switch_inline_query" in b),
                     None)
        if found is None:
            raise ValueError(f"message {message_id} has no switch_inline_query button {label!r}; "
                             f"buttons: {buttons}")
        return self.inline_query(user, found["switch_inline_query"], "", chat_type)

    # ----- what the bot did --------------------------------------------------------------------

    def record(self, method: str, params: dict, chat_id: int | str | None,
               message: dict | None = None, files: dict | None = None) -> Record:
        """Log a successful call."""
        with self.lock:
            entry = Record(len(self.records), method, params, chat_id, copy.deepcopy(message),
                           files or {}, time.time())
            self.records.append(entry)
            return entry

    def record_failure(self, method: str, params: dict, error: ApiError | str) -> None:
        """Log a call that got an error (or a dropped connection)."""
        with self.lock:
            self.failed.append(Record(len(self.failed), method, params, params.get("chat_id"),
                                      at=time.time(), error=str(error)))

    def sent(self, chat_id: int | None = None) -> list[Record]:
        """Successful calls so far, optionally for one chat."""
        with self.lock:
            return [r for r in self.records if chat_id is None or r.chat_id == chat_id]

    def take_fault(self, method: str, chat_id: object) -> Fault | None:
        """Consume one use of the first fault armed for this call."""
        with self.lock:
            for fault in list(self.faults):
                if fault.until is not None and time.monotonic() >= fault.until:
                    self.faults.remove(fault)  # the outage is over
                    continue
                if fault.matches(method, chat_id):
                    if fault.until is not None:
                        return fault
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None


def _chat_of(update: dict) -> int | None:
    """The chat an update belongs to (a message's, or a pressed button's message's)."""
    payload = update[_kind(update)]
    message = payload.get("message", payload) if isinstance(payload, dict) else {}
    return (message.get("chat") or {}).get("id")


def _kind(update: dict) -> str:
    """The update type, e.g. "message" or "callback_query"."""
    return next(key for key in update if key != "update_id")
