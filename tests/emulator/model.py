"""The small value types tests pass to and get back from the emulator."""

import copy
from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """A Bot API error answer: HTTP status == error_code, plus the exact description."""

    def __init__(self, code: int, description: str, retry_after: int | None = None,
                 migrate_to_chat_id: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def to_api(self) -> dict:
        """The JSON body Telegram sends with this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        parameters = {key: value for key, value in (("retry_after", self.retry_after),
                                                    ("migrate_to_chat_id",
                                                     self.migrate_to_chat_id))
                      if value is not None}
        if parameters:
            body["parameters"] = parameters
        return body


def bad_request(reason: str) -> ApiError:
    """400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class User:
    """A Telegram user that talks to the bot."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "en"

    def to_api(self) -> dict:
        """The User object as the Bot API sends it."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class Chat:
    """A private chat or a group; `admins` are user ids, the first one being the creator."""

    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    is_forum: bool = False
    admins: tuple[int, ...] = ()

    def to_api(self) -> dict:
        """The Chat object as embedded in a Message."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "first_name", "username"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.is_forum:
            data["is_forum"] = True
        return data


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded (or referenced by file_id)."""

    file_id: str
    file_unique_id: str
    filename: str
    mime_type: str
    data: bytes


@dataclass
class Record:
    """One thing the bot did (a successful call) or tried (a failed one, in emu.failed)."""

    seq: int
    method: str
    params: dict
    chat_id: int | str | None
    message: dict | None = None
    files: dict[str, UploadedFile] = field(default_factory=dict)
    at: float = 0.0
    error: str | None = None

    def __getitem__(self, key: str) -> Any:
        """Dict-style access (record["method"]) for tests that prefer it."""
        return getattr(self, key)

    @property
    def text(self) -> str | None:
        """Text (or caption) of the resulting message; else the call's text parameter."""
        if self.message is None:
            return self.params.get("text")
        return self.message.get("text", self.message.get("caption"))

    @property
    def message_id(self) -> int | None:
        """message_id of the resulting (or edited/deleted) message."""
        if self.message is not None:
            return self.message["message_id"]
        return self.params.get("message_id")

    @property
    def reply_markup(self) -> dict | None:
        """The reply_markup the bot sent (any kind, not only inline keyboards)."""
        return self.params.get("reply_markup")

    @property
    def link_preview_options(self) -> dict | None:
        """The link_preview_options the bot sent ({"is_disabled": True}: no preview)."""
        return self.params.get("link_preview_options")

    @property
    def message_thread_id(self) -> int | None:
        """Forum topic of the resulting message."""
        return (self.message or {}).get("message_thread_id")

    @property
    def reply_to_message_id(self) -> int | None:
        """message_id the resulting message replies to."""
        return ((self.message or {}).get("reply_to_message") or {}).get("message_id")

    def to_api(self) -> dict:
        """JSON-safe form for the /_emu/sent control endpoint (file bytes left out)."""
        return {
            "seq": self.seq,
            "method": self.method,
            "params": self.params,
            "chat_id": self.chat_id,
            "message": copy.deepcopy(self.message),
            "files": {
                name: {"filename": f.filename, "mime_type": f.mime_type, "size": len(f.data)}
                for name, f in self.files.items()
            },
            "at": self.at,
            "error": self.error,
        }
