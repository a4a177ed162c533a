"""The HTTP side: a tornado server in a background thread, and the BotApiEmulator facade.

The bot under test talks real HTTP to 127.0.0.1 (so python-telegram-bot's request stack, retries
and error mapping run unchanged) while synchronous pytest code drives users and inspects what
the bot did through thread-safe methods.
"""

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from tests.emulator.methods import METHODS, coerce_params, commands_key, find_by_path
from tests.emulator.model import ApiError, Chat, Record, User, bad_request
from tests.emulator.world import FAULT_KINDS, NEW_MESSAGE_METHODS, Fault, World

_LOG = logging.getLogger(__name__)
WEBHOOK_CONNECTIONS = 40
_BY_LOWER = {name.lower(): name for name in [*METHODS, "getUpdates"]}
_CONFLICT_WEBHOOK = ("Conflict: can't use getUpdates method while webhook is active; "
                     "use deleteWebhook to delete the webhook first")
_CONFLICT_POLL = ("Conflict: terminated by other getUpdates request; make sure that only one "
                  "bot instance is running")


class _Base(RequestHandler):
    """Shared plumbing: access to the emulator and Bot API style JSON answers."""

    emu: "BotApiEmulator"

    def initialize(self, emu: "BotApiEmulator") -> None:
        """Tornado hands every handler the emulator it serves."""
        self.emu = emu

    def answer(self, result: Any) -> None:
        """{"ok": true, "result": ...}."""
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"ok": True, "result": result}, ensure_ascii=False))

    def fail(self, error: ApiError) -> None:
        """Error answer whose HTTP status equals error_code, like Telegram."""
        self.set_status(error.code)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(error.to_api()))

    def json_body(self) -> dict:
        """Control endpoints take a JSON object."""
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise bad_request("body is not JSON") from None
        if not isinstance(body, dict):
            raise bad_request("body must be a JSON object")
        return body


class NotFoundHandler(_Base):
    """Any other path: Telegram's 404."""

    def prepare(self) -> None:
        """Answer before any verb-specific method runs."""
        self.fail(ApiError(404, "Not Found"))


class ApiHandler(_Base):
    """/bot<token>/<method>: GET with a query string or POST (JSON, form, multipart)."""

    async def get(self, token: str, method: str) -> None:
        """Telegram accepts GET as well as POST."""
        await self.handle(token, method)

    async def post(self, token: str, method: str) -> None:
        """The usual way python-telegram-bot calls."""
        await self.handle(token, method)

    async def handle(self, token: str, method: str) -> None:
        """Authenticate, route, inject faults, run the method and answer."""
        if token != self.emu.token:
            return self.fail(ApiError(401, "Unauthorized"))
        name = _BY_LOWER.get(method.lower())
        if name is None:
            return self.fail(ApiError(404, "Not Found"))
        params: dict = {}
        try:
            params = coerce_params(self.raw_params())
            fault = self.emu.world.take_fault(name, params.get("chat_id"))
            if fault and await self.apply_fault(fault, name, params):
                return None
            result = await self.emu.call(name, params, self.uploads())
        except ApiError as error:
            if not name.startswith("get"):
                self.emu.world.record_failure(name, params, error)
            return self.fail(error)
        return self.answer(result)

    def raw_params(self) -> dict[str, Any]:
        """Parameters from the query string and a JSON, form or multipart body."""
        params: dict[str, Any] = {
            key: values[-1].decode() for key, values in self.request.query_arguments.items()}
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            body = self.json_body()
            params.update(body)
            return params
        for key, values in self.request.body_arguments.items():
            params[key] = values[-1].decode()
        return params

    def uploads(self) -> dict[str, tuple[str, bytes, str]]:
        """Multipart files as (filename, bytes, content type)."""
        return {key: (files[0].filename, files[0].body, files[0].content_type)
                for key, files in self.request.files.items()}

    async def apply_fault(self, fault: Fault, name: str, params: dict) -> bool:
        """Act out an injected fault; True when the request has been dealt with."""
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            return False
        if fault.kind == "drop":
            self.emu.world.record_failure(name, params, "connection dropped")
            self.detach().close()
            return True
        raise {
            "429": ApiError(429, f"Too Many Requests: retry after {fault.retry_after}",
                            retry_after=fault.retry_after),
            "400": ApiError(400, "Bad Request: chat not found"),
            "403": ApiError(403, "Forbidden: bot was blocked by the user"),
        }[fault.kind]


class FileHandler(_Base):
    """/file/bot<token>/<file_path>: downloads for getFile."""

    def get(self, token: str, path: str) -> None:
        """Serve the uploaded bytes."""
        file = find_by_path(self.emu.world, path) if token == self.emu.token else None
        if file is None:
            return self.fail(ApiError(404, "Not Found"))
        self.set_header("Content-Type", file.mime_type)
        return self.finish(file.data)


class ControlHandler(_Base):
    """/_emu/...: drive users and read records from another process (load tests)."""

    def get(self, action: str) -> None:
        """GET /_emu/sent?chat_id=&since= -> records with seq >= since."""
        if action != "sent":
            return self.fail(ApiError(404, "Not Found"))
        chat_id = self.get_query_argument("chat_id", None)
        since = int(self.get_query_argument("since", "0"))
        records = self.emu.sent(int(chat_id) if chat_id else None)
        return self.answer([r.to_api() for r in records if r.seq >= since])

    def post(self, action: str) -> None:
        """POST /_emu/send_text or /_emu/press with a JSON body."""
        try:
            body = self.json_body()
            if action == "send_text":
                return self.answer(self.send_text(body))
            if action == "press":
                return self.answer(self.press(body))
        except (KeyError, TypeError, ValueError) as error:
            return self.fail(bad_request(f"{type(error).__name__}: {error}"))
        except ApiError as error:
            return self.fail(error)
        return self.fail(ApiError(404, "Not Found"))

    def user(self, body: dict) -> User:
        """{"user": {"id": .., "first_name": .., "username": .., "language_code": ..}}."""
        data = body["user"]
        return self.emu.user(int(data["id"]), data.get("first_name", f"User {data['id']}"),
                             data.get("username"), data.get("language_code", "en"))

    def chat(self, body: dict, user: User) -> Chat:
        """"chat_id" of a known chat, a "chat" for emu.group(), or else the user's private chat."""
        if "chat_id" in body:
            return self.emu.world.chat(int(body["chat_id"]))
        if "chat" in body:
            data = body["chat"]
            return self.emu.group(int(data["id"]), data.get("title", "Group"),
                                  supergroup=data.get("supergroup", False),
                                  forum=data.get("forum", False), admins=data.get("admins", ()))
        return self.emu.private_chat(user)

    def send_text(self, body: dict) -> dict:
        """A user message; answers the Message."""
        user = self.user(body)
        return self.emu.send_text(self.chat(body, user), user, body["text"],
                                  reply_to=body.get("reply_to"), thread_id=body.get("thread_id"))

    def press(self, body: dict) -> str:
        """A button press; answers the callback query id."""
        user = self.user(body)
        return self.emu.press(self.chat(body, user), user, int(body["message_id"]), body["data"])


class BotApiEmulator:
    """A fake api.telegram.org for one bot, on 127.0.0.1, for end-to-end tests."""

    def __init__(self, token: str = "123456:TEST", bot_username: str = "cm_study_bot",
                 bot_id: int = 123456, *, bot_name: str = "Test Bot", port: int = 0,
                 privacy_mode: bool = True, inline_mode: bool = False) -> None:
        self.token = token
        self.world = World(bot_username, bot_id, bot_name, privacy_mode, inline_mode)
        self.port = port
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._update_event: asyncio.Event | None = None
        self._stop_event: asyncio.Event | None = None
        self._poll_ticket = 0
        self._closing = False

    # ----- lifecycle ---------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """http://127.0.0.1:PORT; the bot uses f"{api_url}/bot" and f"{api_url}/file/bot"."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "BotApiEmulator":
        """Bind 127.0.0.1 (a free port unless one was given) and serve in a daemon thread."""
        sockets = bind_sockets(self.port, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(sockets),),
                                        name="bot-api-emulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("emulator did not start")
        self.world.on_update = self._notify
        return self

    def stop(self) -> None:
        """Answer pending long polls, close connections and end the thread."""
        if self._loop is None or self._thread is None or self._stop_event is None:
            return
        self.world.on_update = lambda: None
        self._loop.call_soon_threadsafe(self._stop_event.set)
        self._thread.join(10)
        self._loop = None

    def __enter__(self) -> "BotApiEmulator":
        """`with BotApiEmulator() as emu:` guarantees the thread and port are released."""
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        """Stop even when the test failed."""
        self.stop()

    async def _serve(self, sockets: list) -> None:
        """The server thread's whole life."""
        self._loop = asyncio.get_running_loop()
        self._update_event = asyncio.Event()
        self._stop_event = asyncio.Event()
        routes: list = [
            (r"/bot([^/]+)/([A-Za-z]*)", ApiHandler, {"emu": self}),
            (r"/file/bot([^/]+)/(.+)", FileHandler, {"emu": self}),
            (r"/_emu/([a-z_]+)", ControlHandler, {"emu": self}),
        ]
        app = Application(routes, default_handler_class=NotFoundHandler,
                          default_handler_args={"emu": self}, log_function=_log_request)
        server = HTTPServer(app)
        server.add_sockets(sockets)
        # Like Telegram (max_connections defaults to 40): several deliveries at once.
        AsyncHTTPClient.configure(None, max_clients=WEBHOOK_CONNECTIONS)
        deliveries = [asyncio.create_task(self._deliver_webhooks())
                      for _ in range(WEBHOOK_CONNECTIONS)]
        self._ready.set()
        await self._stop_event.wait()
        self._closing = True
        server.stop()
        self._wake()
        for delivery in deliveries:
            delivery.cancel()
        try:
            await asyncio.wait_for(server.close_all_connections(), 2)
        except TimeoutError:
            pass

    def _notify(self) -> None:
        """Called from any thread when updates or the webhook changed."""
        loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits
                loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        """(Server thread) release everyone waiting for updates."""
        assert self._update_event is not None
        self._update_event.set()
        self._update_event = asyncio.Event()

    async def _wait_update(self, timeout: float) -> None:
        """(Server thread) sleep until the next wake or the timeout."""
        assert self._update_event is not None
        try:
            await asyncio.wait_for(self._update_event.wait(), timeout)
        except TimeoutError:
            pass

    # ----- server-side work --------------------------------------------------------------------

    async def call(self, name: str, params: dict, uploads: dict) -> Any:
        """Run one Bot API method (server thread)."""
        if name == "getUpdates":
            return await self._get_updates(params)
        return METHODS[name](self.world, params, uploads)

    async def _get_updates(self, params: dict) -> list[dict]:
        """Long poll: answer as soon as there are updates, or [] after `timeout` seconds."""
        world = self.world
        with world.lock:
            if world.webhook:
                raise ApiError(409, _CONFLICT_WEBHOOK)
            if params.get("allowed_updates") is not None:
                world.allowed_updates = list(params["allowed_updates"])
        self._poll_ticket += 1
        ticket = self._poll_ticket
        self._wake()
        deadline = time.monotonic() + min(max(int(params.get("timeout") or 0), 0), 50)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        while True:
            updates = world.take_updates(int(params.get("offset") or 0), limit)
            if updates or self._closing or time.monotonic() >= deadline:
                return updates
            await self._wait_update(deadline - time.monotonic())
            if ticket != self._poll_ticket:
                raise ApiError(409, _CONFLICT_POLL)

    async def _deliver_webhooks(self) -> None:
        """POST queued updates, oldest first, to the webhook while one is set."""
        client = AsyncHTTPClient()
        while not self._closing:
            hook = self.webhook
            update = self.world.take_for_webhook() if hook else None
            if update is None:
                await self._wait_update(5)
                continue
            error = await self._post_update(client, hook, update)
            if error is None:
                self.world.ack_update(update["update_id"])
                self._wake()  # the chat is free again for the other deliveries
            else:
                self.world.release_update(update["update_id"])
                with self.world.lock:
                    self.world.webhook_error = (int(time.time()), error)
                await self._wait_update(0.5)

    @staticmethod
    async def _post_update(client: AsyncHTTPClient, hook: dict, update: dict) -> str | None:
        """One delivery attempt; the error text getWebhookInfo reports, or None."""
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(hook["secret_token"])
        try:
            response = await client.fetch(hook["url"], method="POST", body=json.dumps(update),
                                          headers=headers, raise_error=False,
                                          request_timeout=10)
        except Exception as error:  # noqa: BLE001 - any failure is a failed delivery
            return f"Connection error: {error}"
        if 200 <= response.code < 300:
            return None
        return f"Wrong response from the webhook: {response.code} {response.reason}"

    # ----- users, chats and what they do ------------------------------------------------------

    def user(self, user_id: int, first_name: str, username: str | None = None,
             language_code: str | None = "en") -> User:
        """A user who can talk to the bot."""
        return self.world.add_user(User(user_id, first_name, username, language_code))

    def private_chat(self, user: User) -> Chat:
        """The user's private chat with the bot (chat id == user id)."""
        return self.world.add_chat(Chat(user.id, "private", first_name=user.first_name,
                                        username=user.username))

    def group(self, chat_id: int, title: str, supergroup: bool = False, forum: bool = False,
              admins: Iterable[int] = ()) -> Chat:
        """A group; forum implies supergroup; admins[0] is the creator."""
        kind = "supergroup" if supergroup or forum else "group"
        return self.world.add_chat(Chat(chat_id, kind, title=title, is_forum=forum,
                                        admins=tuple(admins)))

    def send_text(self, chat: Chat, user: User, text: str, *, reply_to: int | None = None,
                  thread_id: int | None = None) -> dict:
        """The user sends `text`; returns the Message (the Update is queued unless group
        privacy mode hides it from the bot: plain group text needs a command, an @mention of
        the bot or a reply to the bot, or the bot being an admin)."""
        return self.world.user_message(chat, user, text, reply_to, thread_id)

    def send_document(self, chat: Chat, user: User, filename: str, data: bytes, *,
                      mime: str = "", caption: str | None = None) -> dict:
        """The user sends a file (the update carries a Document whose file_id getFile and the
        file URL serve); returns the Message."""
        return self.world.user_document(chat, user, filename, data, mime, caption)

    def press(self, chat: Chat, user: User, message_id: int, data: str) -> str:
        """The user taps the button with callback_data `data`; returns the callback query id."""
        return self.world.press(chat, user, message_id, data)

    def inline_query(self, user: User, query: str, *, chat_type: str = "sender",
                     offset: str = "") -> str:
        """The user types "@bot `query`" in a chat of `chat_type` ("sender": their chat with
        the bot; "private", "group", "supergroup", "channel"); returns the inline query id.
        Needs inline_mode=True, as a real bot needs inline mode switched on."""
        return self.world.inline_query(user, query, offset, chat_type)

    def share(self, chat: Chat, user: User, message_id: int, label: str, *,
              chat_type: str = "private") -> str:
        """The user taps the switch_inline_query button `label` and picks a chat of
        `chat_type`: an inline query with the button's text; returns its id."""
        return self.world.share(chat, user, message_id, label, chat_type)

    def block(self, user_id: int, *, tell_bot: bool = True) -> None:
        """The user blocks the bot: sends to their private chat get 403, and the bot gets a
        my_chat_member update (member to kicked) unless `tell_bot` is False (an update it
        never saw: it learns on its next send)."""
        self.world.set_blocked(user_id, True, tell_bot)

    def unblock(self, user_id: int, *, tell_bot: bool = True) -> None:
        """The user unblocks (restarts) the bot: my_chat_member from kicked to member."""
        self.world.set_blocked(user_id, False, tell_bot)

    def remove_bot(self, chat: Chat, by: User, *, kicked: bool = False) -> None:
        """`by` removes the bot from a group (`kicked`: banned by an admin): my_chat_member
        with status left or kicked; sends there get 403 from then on."""
        self.world.remove_bot(chat, by, kicked)

    def add_bot(self, chat: Chat, by: User) -> None:
        """`by` adds the bot to a group (again): my_chat_member to member (administrator if
        the bot is among the chat's admins)."""
        self.world.add_bot(chat, by)

    def migrate(self, chat: Chat, by: User, *, tell_bot: bool = True) -> Chat:
        """`by` upgrades a group to a supergroup; the new chat. The bot gets the service
        messages (migrate_to_chat_id, migrate_from_chat_id) unless `tell_bot` is False; a
        send to the old id answers 400 "group chat was upgraded to a supergroup chat" with
        migrate_to_chat_id, as on Telegram."""
        return self.world.migrate(chat, by, tell_bot)

    def fault(self, method: str, kind: str, *, times: int = 1, retry_after: int = 1,
              delay: float = 0.0, chat_id: int | Iterable[int] | None = None,
              for_seconds: float | None = None) -> None:
        """Make the next `times` calls of `method` (in `chat_id`, or any of several, if given)
        fail as `kind`:
        "429", "400", "403", "slow" (answer after `delay` s) or "drop" (close, no answer).
        With `for_seconds`, every such call fails for that long instead (an outage)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, not {kind!r}")
        until = time.monotonic() + for_seconds if for_seconds is not None else None
        chats = chat_id if chat_id is None or isinstance(chat_id, int) else frozenset(chat_id)
        with self.world.lock:
            self.world.faults.append(Fault(method.lower(), kind, times, retry_after, delay,
                                           chats, until))

    # ----- inspection --------------------------------------------------------------------------

    def updates_pending(self) -> int:
        """Updates the bot has not confirmed (or the webhook not accepted) yet."""
        return self.world.pending_count()

    def sent(self, chat_id: int | None = None) -> list[Record]:
        """Successful calls that changed something (not get*), in order; optionally one chat."""
        return self.world.sent(chat_id)

    @property
    def failed(self) -> list[Record]:
        """Calls that got an error answer or a dropped connection (record.error says which)."""
        with self.world.lock:
            return list(self.world.failed)

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """Current state of a message (after edits); None if unknown or deleted."""
        return self.world.message(chat_id, message_id)

    @property
    def answered_callbacks(self) -> list[dict]:
        """Parameters of every answerCallbackQuery, in order."""
        with self.world.lock:
            return list(self.world.answered_callbacks)

    def inline_answer(self, query_id: str, timeout: float = 10.0) -> dict:
        """The bot's answerInlineQuery parameters for a query (decoded), with "texts": the
        text each result's message would show; waits up to `timeout` s for it."""
        deadline = time.monotonic() + timeout
        while True:
            with self.world.lock:
                answer = self.world.inline_answers.get(query_id)
            if answer is not None:
                return dict(answer)
            if time.monotonic() >= deadline:
                raise AssertionError(f"no answer to inline query {query_id} within {timeout}s"
                                     f"\n{self.dump()}")
            time.sleep(0.01)

    @property
    def chat_actions(self) -> list[dict]:
        """{"chat_id", "action", "message_thread_id"} of every sendChatAction."""
        with self.world.lock:
            return list(self.world.chat_actions)

    @property
    def commands(self) -> dict[tuple[str, str], list[dict]]:
        """Commands by (scope JSON with sorted keys, language_code); see commands_for()."""
        with self.world.lock:
            return dict(self.world.commands)

    @staticmethod
    def commands_for(scope: dict | None = None, language_code: str = "") -> tuple[str, str]:
        """The emu.commands key for a scope dict such as {"type": "all_private_chats"}."""
        return commands_key({"scope": scope, "language_code": language_code})

    @property
    def webhook(self) -> dict:
        """Parameters of the current setWebhook ({} when polling)."""
        with self.world.lock:
            return dict(self.world.webhook)

    def wait_for(self, predicate: Callable[[Record], bool], timeout: float = 10.0) -> Record:
        """The first record matching `predicate`, waiting up to `timeout` s for it."""
        deadline = time.monotonic() + timeout
        while True:
            match = next((r for r in self.sent() if predicate(r)), None)
            if match is not None:
                return match
            if time.monotonic() >= deadline:
                raise AssertionError(f"no matching call within {timeout}s\n{self.dump()}")
            time.sleep(0.01)

    def wait_messages(self, chat_id: int, count: int, timeout: float = 10.0) -> list[Record]:
        """The first `count` new messages (sendMessage/sendPhoto/sendDocument) in a chat."""
        deadline = time.monotonic() + timeout
        while True:
            found = [r for r in self.sent(chat_id) if r.method in NEW_MESSAGE_METHODS]
            if len(found) >= count:
                return found[:count]
            if time.monotonic() >= deadline:
                raise AssertionError(f"expected {count} messages in chat {chat_id}, got "
                                     f"{len(found)} within {timeout}s\n{self.dump()}")
            time.sleep(0.01)

    def dump(self) -> str:
        """Readable list of everything the bot did and tried, for assertion messages."""
        lines = ["calls made by the bot:"] + [_describe(r) for r in self.sent()]
        failed = self.failed
        if failed:
            lines += ["failed calls:"] + [_describe(r) for r in failed]
        lines.append(f"updates pending: {self.updates_pending()}")
        return "\n".join(lines)


def _log_request(handler: RequestHandler) -> None:
    """Access log at DEBUG: 4xx answers are normal here and must not clutter test output."""
    request = handler.request
    _LOG.debug("%d %s %s %.1fms", handler.get_status(), request.method, request.path,
               1000 * request.request_time())


def _describe(record: Record) -> str:
    """One line per record."""
    parts = [f"  #{record.seq} {record.method} chat={record.chat_id}"]
    if record.message_id is not None:
        parts.append(f"id={record.message_id}")
    if record.text is not None:
        parts.append(f"text={record.text[:200]!r}")
    if record.reply_markup:
        parts.append(f"markup={json.dumps(record.reply_markup, ensure_ascii=False)[:200]}")
    if record.error:
        parts.append(f"error={record.error!r}")
    return " ".join(parts)

