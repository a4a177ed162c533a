"""The conversation, without Telegram: a message or a button press in, replies out; and the
messages the reminder dispatcher sends.

The Telegram adapters (polling and webhook) and the console all drive this class, so what a
learner sees is the same in each. It opens one database session per message, builds the
`Turn`, and hands it to the command registry; it holds no state of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

# The feature modules declare their commands and buttons in the registry when imported.
from bot.conversation import buttons as cb
from bot.conversation import (
    drafts,
    plans,  # noqa: F401  (declares /plan and its buttons)
    practice,
    settings,  # noqa: F401  (declares /settings and its buttons)
    study,
    tracking,
    tutor,
)
from bot.conversation.answers import Context
from bot.conversation.inline import InlineAnswer, inline_answer
from bot.conversation.registry import REGISTRY
from bot.conversation.replies import Menu, Reply, esc
from bot.conversation.turn import Sender, Turn
from bot.services import cohorts, people, reminders
from bot.services.database import WRITE_ERRORS, Outage, ping, session_scope
from bot.services.reminders import Due, Outcome, RetryPolicy
from bot.services.tables import Person, ReminderKind, utcnow
from content.catalogue import Catalogue
from index.retriever import Retriever

# The answer to anything that needed saving while the database refuses writes.
NOT_SAVED = ("I can't save anything just now (my database is not taking changes), so nothing "
             "was changed. Questions about the units still get answers; please try this again "
             "in a few minutes.")
# A message longer than this is answered from its beginning (the retriever reads even less).
MAX_INPUT = 4096
_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]{1,32})(?:@(?P<bot>\w+))?(?:\s+(?P<args>.*))?$",
                      re.DOTALL)


def parse_command(text: str, bot_username: str | None) -> tuple[str, str] | None:
    """("ac", "5015 2.3") for "/ac@bot 5015 2.3"; None for plain text or another bot's command."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    if match.group("bot") and bot_username and match.group("bot").casefold() != bot_username.casefold():
        return None
    return match.group("name").casefold(), (match.group("args") or "").strip()


def without_nul(text: str) -> str:
    """Text with its NUL characters dropped: PostgreSQL cannot store them, and nobody means
    them."""
    return text.replace("\x00", "")


def clean_sender(sender: Sender) -> Sender:
    """The sender with NUL-free names (they are stored)."""
    return replace(sender, name=without_nul(sender.name),
                   username=without_nul(sender.username) if sender.username else None)


def for_another_bot(text: str, bot_username: str | None) -> bool:
    """A command addressed to another bot by name ("/ban@otherbot"): not this bot's to answer."""
    match = _COMMAND.match(text.strip())
    named = match.group("bot") if match else None
    return bool(named and bot_username and named.casefold() != bot_username.casefold())


@dataclass(frozen=True)
class Chat:
    """Answers messages and button presses for any number of users.

    Args:
        bot_username: the bot's Telegram username (for invite links and `/cmd@bot`); the
            Telegram adapter makes a copy with it once Telegram has told it (`named`).
        now: the clock (tests move it).
        tutors, admins: Telegram ids from the settings, in addition to promoted tutors.
        inactive_after_days: a cohort member this long without a message is inactive.
        retry: how failed reminder sends wait and when they are given up.
        answers, dispatcher: told when the database stops (and starts again) taking their
            writes; each logs one line per outage.
    """

    catalogue: Catalogue
    retriever: Retriever
    engine: Engine = field(repr=False)
    bot_username: str | None = None
    now: Callable[[], datetime] = utcnow
    tutors: frozenset[int] = frozenset()
    admins: frozenset[int] = frozenset()
    inactive_after_days: int = 14
    retry: RetryPolicy = RetryPolicy()
    answers: Outage = field(default_factory=lambda: Outage("answers"), repr=False)
    dispatcher: Outage = field(default_factory=lambda: Outage("reminders"), repr=False)

    def named(self, bot_username: str) -> Chat:
        return replace(self, bot_username=bot_username)

    def _turn(self, session: Session, person: Person, sender: Sender) -> Turn:
        role = people.role_of(person, tutors=self.tutors | self.admins, admins=self.admins)
        return Turn(self.catalogue, self.retriever, session, person, sender, self.now(),
                    role=role, bot_username=self.bot_username or "bot",
                    inactive_after_days=self.inactive_after_days, tutors=self.tutors,
                    admins=self.admins)

    # -- messages and presses ---------------------------------------------------------------

    def message(self, sender: Sender, text: str) -> list[Reply]:
        """Replies to a message (a command or free text)."""
        text, sender = without_nul((text or "")[:MAX_INPUT]), clean_sender(sender)
        if for_another_bot(text, self.bot_username):
            return []  # "/ban@otherbot" in a group where this bot sees every message

        def answer(turn: Turn) -> list[Reply]:
            command = parse_command(text, self.bot_username)
            if command is None:
                replies = practice.take_answer(turn, text) or study.free_text(turn, text)
            else:
                name, args = command
                practice.drop_wait(turn)  # a command, not the answer a form step waits for
                replies = REGISTRY.run_command(turn, name, args) or [Reply(
                    f"I don't know the command /{esc(name)}.\n\n{study.help_text(turn)}")]
            return tutor.offer_to_join(turn, replies)
        return self._answer(sender, answer)

    def press(self, sender: Sender, data: str) -> list[Reply]:
        """Replies to a button press; a payload this bot did not make changes nothing."""
        sender = clean_sender(sender)
        pressed = cb.parse(without_nul(data or ""), self.catalogue)
        if pressed is None:
            return [Reply("", toast="That button is no longer valid.")]
        return self._answer(sender, lambda turn: REGISTRY.run_press(turn, pressed))

    def document(self, sender: Sender, upload: drafts.Upload) -> list[Reply]:
        """Replies to a file: a draft to check (read in memory, never stored)."""
        return self._answer(sender, lambda turn: drafts.received(turn, upload))

    def _answer(self, sender: Sender, answer: Callable[[Turn], list[Reply]]) -> list[Reply]:
        """`answer` in one database session for the sender. While the database refuses
        writes, what needs none (a question, an AC, a checklist) is still answered; what
        needed saving gets NOT_SAVED and changes nothing."""
        try:
            with session_scope(self.engine) as session:
                person = self._person(session, sender)
                return answer(self._turn(session, person, sender))
        except WRITE_ERRORS as exc:
            self.answers.failed(exc)
            return [Reply(NOT_SAVED)]

    def _person(self, session: Session, sender: Sender) -> Person:
        """The sender, marked active now. When that write is refused, the sender as stored,
        detached from the session: neither their last-active time nor the unit last
        discussed may stand between them and an answer (a newcomer, who cannot be stored,
        gets the refusal).

        The mark is committed at once: the answer may wait (a free question for the model
        still loading in the background, or a search), and on SQLite a write left open holds
        every other chat's writes until it ends; a learner sending "5015 2.3" would wait for
        another's question."""
        try:
            person = people.get_or_create(session, telegram_id=sender.telegram_id,
                                          name=sender.name, username=sender.username,
                                          now=self.now())
            session.commit()
        except WRITE_ERRORS as exc:
            session.rollback()
            known = people.by_telegram_id(session, sender.telegram_id)
            if known is None:
                raise
            session.expunge(known)
            self.answers.failed(exc)
            return known
        self.answers.worked()
        return person

    def inline(self, telegram_id: int, query: str) -> InlineAnswer:
        """The answer to an inline query ("@bot 5015 2.3" typed in any chat). Read only, as
        queries come on every keystroke: nothing is stored and nobody is created; a learner
        the bot knows has a bare AC number resolved from their units, as in their chat."""
        with session_scope(self.engine) as session:
            person = people.by_telegram_id(session, telegram_id)
            context = study.learner_context(session, person) if person else Context()
        return inline_answer(self.catalogue, self.retriever, without_nul(query[:MAX_INPUT]),
                             context, self.bot_username or "bot")

    def needs_chat_admin(self, text: str) -> bool:
        """Whether answering `text` in a group needs to know if the sender administers it."""
        command = parse_command(text, self.bot_username)
        return command is not None and REGISTRY.needs_chat_admin(command[0])

    def menus(self) -> list[Menu]:
        """Every command menu to set at start, tutors' and admins' own included."""
        with session_scope(self.engine) as session:
            staff = people.staff(session, tutors=self.tutors, admins=self.admins)
        return REGISTRY.menus(staff)

    # -- the bot's own place in chats ----------------------------------------------------------

    def set_blocked(self, telegram_id: int, blocked: bool) -> None:
        """Telegram said the user blocked the bot (nothing more is sent to them) or
        unblocked it."""
        with session_scope(self.engine) as session:
            people.set_blocked(session, telegram_id=telegram_id,
                               at=self.now() if blocked else None)

    def removed_from_group(self, chat_id: int) -> bool:
        """The bot left or was removed from a group; True when a tutor is to be told (a
        reminder row, due now)."""
        with session_scope(self.engine) as session:
            return tutor.removed_from_group(session, chat_id=chat_id, now=self.now())

    def group_moved(self, old_chat_id: int, new_chat_id: int) -> bool:
        """The group became a supergroup; True when a cohort followed it (False when none
        was linked, or it had followed already)."""
        with session_scope(self.engine) as session:
            return cohorts.move_group(session, old_chat_id=old_chat_id,
                                      new_chat_id=new_chat_id) is not None

    # -- reminders ---------------------------------------------------------------------------

    def claim_reminders(self, *, limit: int, claim_seconds: float, worker: str) -> list[Due]:
        """Due reminders, claimed for this worker; none while the database refuses writes
        (the job runs again next tick, and the outage is logged once, not once a tick)."""
        try:
            due = reminders.claim_due(self.engine, now=utcnow(), limit=limit,
                                      claim_seconds=claim_seconds, worker=worker)
        except WRITE_ERRORS as exc:
            self.dispatcher.failed(exc)
            return []
        self.dispatcher.worked()
        return due

    def renew_claims(self, due: list[Due], worker: str) -> int:
        """The dispatcher's heartbeat: keep the claims on what it is still sending."""
        return reminders.renew(self.engine, reminder_ids=[d.id for d in due], worker=worker,
                               now=utcnow())

    def reminder_message(self, due: Due) -> Reply | None:
        """What a claimed reminder says, with its buttons; None when there is nothing to send
        any more (a digest for someone no longer a tutor)."""
        if due.kind == ReminderKind.digest:
            return self._digest(due.learner_id)
        if due.kind == ReminderKind.reflect:
            return self._weekly_prompt(due.learner_id)
        buttons = (tracking.review_buttons(due.pdp_review_id)
                   if due.pdp_review_id is not None else ())
        return Reply(esc(due.text), buttons)

    def _digest(self, person_id: int | None) -> Reply | None:
        def write(turn: Turn) -> Reply | None:
            written = tutor.weekly_digest(turn)
            return Reply(written) if written is not None else None
        return self._for_person(person_id, write)

    def _weekly_prompt(self, person_id: int | None) -> Reply | None:
        return self._for_person(person_id, practice.weekly_prompt)

    def _for_person(self, person_id: int | None,
                    write: Callable[[Turn], Reply | None]) -> Reply | None:
        """A scheduled message written at sending time, in a turn of its recipient (None
        when they are gone)."""
        with session_scope(self.engine) as session:
            person = session.get(Person, person_id) if person_id is not None else None
            if person is None:
                return None
            return write(self._turn(session, person, Sender(person.telegram_id)))

    def record(self, due: Due, outcome: Outcome) -> None:
        reminders.record(self.engine, reminder_id=due.id, outcome=outcome, now=utcnow(),
                         policy=self.retry)

    def queue_nudges(self) -> int:
        """Nudges for inactive cohort members (sent by the dispatcher); how many."""
        with session_scope(self.engine) as session:
            return cohorts.queue_nudges(session, now=utcnow(),
                                        inactive_after_days=self.inactive_after_days)

    def ping(self) -> None:
        """Raises when the database does not answer."""
        ping(self.engine)
