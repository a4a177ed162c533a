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


@dataclass(frozen=True)
class Turn:
    """One message or button press being answered, inside one database session."""

    catalogue: Catalogue
    session: Session
    learner: Learner
    sender: Sender
    now: datetime

    @property
    def learner_id(self) -> int:
        assert self.learner.id is not None
        return self.learner.id
