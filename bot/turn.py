"""Who is talking and what one message or press can use: passed to every command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.models import Learner
from content.catalogue import Catalogue


@dataclass(frozen=True)
class Sender:
    """Who wrote, and where: progress is only ever shown in their private chat."""

    telegram_id: int
    name: str = ""
    private: bool = True
    username: str | None = None
    chat_id: int | None = None  # the group it was said in (None in private)
    chat_admin: bool = False  # an administrator of that group (checked only for /link)


@dataclass(frozen=True)
class Turn:
    """One message or button press being answered, inside one database session."""

    catalogue: Catalogue
    session: Session
    learner: Learner
    sender: Sender
    now: datetime
    is_tutor: bool = False
    is_admin: bool = False
    bot_username: str = "bot"
    quiet_days: int = 14  # a learner quiet this long shows on /today and gets a nudge

    @property
    def learner_id(self) -> int:
        assert self.learner.id is not None
        return self.learner.id
