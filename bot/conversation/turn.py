"""Who is talking and what one message or press can use: the one argument of every command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.services.tables import Person, Role, id_of
from content.catalogue import Catalogue
from index.retriever import Retriever


@dataclass(frozen=True)
class Sender:
    """Who wrote, and where: progress is only ever shown in their private chat."""

    telegram_id: int
    name: str = ""
    private: bool = True
    username: str | None = None
    chat_id: int | None = None  # the group it was said in (None in private)
    chat_admin: bool = False  # an administrator of that group (asked only where it matters)


@dataclass(frozen=True)
class Turn:
    """One message or button press being answered, inside one database session."""

    catalogue: Catalogue
    retriever: Retriever
    session: Session
    person: Person
    sender: Sender
    now: datetime
    role: Role = Role.learner
    bot_username: str = "bot"
    inactive_after_days: int = 14  # inactive this long: listed on /today, nudged
    tutors: frozenset[int] = frozenset()  # the settings' TUTOR_IDS and ADMIN_IDS (Telegram ids)
    admins: frozenset[int] = frozenset()

    @property
    def person_id(self) -> int:
        return id_of(self.person)

    @property
    def is_tutor(self) -> bool:
        return self.role.includes(Role.tutor)
