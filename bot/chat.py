"""The conversation, without Telegram: a message or a button press in, replies out.

The Telegram adapter and the console chat both drive this class, so what a learner sees is
the same in both. It opens one database session per message and holds no state of its own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from bot import callbacks as cb
from bot import cohorts, learners, tracking, tutor
from bot.answers import (
    AcAnswer,
    Answer,
    ChooseUnit,
    Context,
    Problem,
    SearchAnswer,
    TheoristList,
    ac_answer,
    answer_reference,
    default_units,
    is_theorist_question,
    qualification_units,
    search,
    theorists_for,
)
from bot.db import session_scope
from bot.messages import Reply, esc
from bot.progress import DONE
from bot.turn import Sender, Turn
from bot.models import AcState, Learner, Role, utcnow
from bot.render import (
    ac_buttons,
    related_buttons,
    render_ac,
    render_choose,
    render_problem,
    render_qualification,
    render_qualification_choice,
    render_search,
    render_theorists,
    render_unit,
    render_unit_choice,
)
from content.catalogue import Catalogue
from content.rules import check_rule
from index.retriever import Retriever
from sqlmodel import Session

# A message longer than this is answered from its beginning (the retriever reads even less).
MAX_INPUT = 4096
_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]{1,32})(?:@(?P<bot>\w+))?(?:\s+(?P<args>.*))?$",
                      re.DOTALL)

WELCOME = (
    "Hello! I help learners on the <b>CMI Level 5</b> and <b>Level 7</b> coaching and mentoring "
    "qualifications and the <b>ILM Level 5 Certificate</b>: what each assessment criterion (AC) "
    "asks, the guidance written for it, and the theorists to cite. Everything I quote comes from "
    "the unit specifications.\n\nWhich qualification are you studying?")
HELP = (
    "<b>Ask me</b>\n"
    "• <code>/ac 5015 2.3</code> or just “what does AC 2.3 need?”\n"
    "• <code>/unit 7016</code>: a unit's aims, LOs and ACs\n"
    "• <code>/units</code>: your qualification and its rule of combination\n"
    "• <code>/theorists coaching culture</code> or <code>/theorists 7015 2.1</code>\n"
    "• <code>/theorist Clutterbuck</code>\n"
    "• any question, e.g. “how do I evaluate a mentoring programme?”\n"
    "• <code>/start</code>: choose your qualification and units\n\n"
    "<b>Keep track</b>\n"
    "• <code>/checklist 5015</code>: tick off ACs · <code>/note 5015 2.3 link or text</code> · "
    "<code>/progress</code> · "
    "<code>/target 5015 31 Mar 2027</code>\n"
    "• <code>/pdp</code>, <code>/pdp add 15 Dec Review with line manager every 8 weeks</code>, "
    "<code>/timezone Europe/London</code>, <code>/quiet 22:00-07:00</code>\n"
    "• <code>/log 90m Sam — goal setting</code>, <code>/hours</code> (ILM D5.03)\n"
    "• <code>/calendar</code>, <code>/mydata</code>, <code>/forgetme</code>")


def parse_command(text: str, bot_username: str | None) -> tuple[str, str] | None:
    """("ac", "5015 2.3") for "/ac@bot 5015 2.3"; None for plain text or another bot's command."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    if match.group("bot") and bot_username and match.group("bot").casefold() != bot_username.casefold():
        return None
    return match.group("name").casefold(), (match.group("args") or "").strip()


class Chat:
    """Answers messages and button presses for any number of users."""

    def __init__(self, catalogue: Catalogue, retriever: Retriever, engine: Engine,
                 bot_username: str | None = None,
                 now: Callable[[], datetime] = utcnow, *,
                 tutors: frozenset[int] = frozenset(), admins: frozenset[int] = frozenset(),
                 quiet_days: int = 14) -> None:
        self.catalogue = catalogue
        self.retriever = retriever
        self.engine = engine
        self.bot_username = bot_username
        self.now = now
        self.tutors = tutors
        self.admins = admins
        self.quiet_days = quiet_days
        self._commands = {
            "start": self._start, "help": self._help, "ac": self._ac, "unit": self._unit,
            "units": self._units, "theorists": self._theorists, "theorist": self._theorist,
        }

    # -- messages ---------------------------------------------------------------------------

    def message(self, sender: Sender, text: str) -> list[Reply]:
        """Replies to a message (a command or free text)."""
        text = (text or "")[:MAX_INPUT]
        with session_scope(self.engine) as session:
            learner = learners.get_or_create_learner(session, telegram_id=sender.telegram_id,
                                                     name=sender.name, username=sender.username)
            replies = self._message(session, learner, sender, text)
            if not sender.private and sender.chat_id is not None:
                replies = self._offer_to_join(session, learner, sender.chat_id, replies)
            return replies

    def _message(self, session: Session, learner: Learner, sender: Sender,
                 text: str) -> list[Reply]:
        command = parse_command(text, self.bot_username)
        if command is None:
            return self._free_text(session, learner, sender, text)
        name, args = command
        for module in (tracking, tutor):
            if name in module.COMMANDS:
                return module.COMMANDS[name](self._turn(session, learner, sender), args)
        handler = self._commands.get(name)
        if handler is None:
            return [Reply(f"I don't know the command /{esc(name)}.\n\n{HELP}")]
        return handler(session, learner, sender, args)

    def _turn(self, session: Session, learner: Learner, sender: Sender) -> Turn:
        admin = learner.telegram_id in self.admins or learner.role == Role.admin
        tutor_ = admin or learner.telegram_id in self.tutors or learner.role == Role.tutor
        return Turn(self.catalogue, session, learner, sender, self.now(), is_tutor=tutor_,
                    is_admin=admin, bot_username=self.bot_username or "bot",
                    quiet_days=self.quiet_days)

    def _offer_to_join(self, session: Session, learner: Learner, chat_id: int,
                       replies: list[Reply]) -> list[Reply]:
        """In a cohort's group, someone not in the cohort gets a button to join privately."""
        cohort = cohorts.by_group(session, chat_id=chat_id)
        if (cohort is None or not replies or cohort.tutor_id == learner.id
                or cohorts.is_member(session, cohort_id=cohort.id, learner_id=learner.id)):  # type: ignore[arg-type]
            return replies
        turn = self._turn(session, learner, Sender(learner.telegram_id))
        last = replies[-1]
        join = tutor.join_button(turn, cohort)
        if not join or last.edit or not last.html:
            return replies
        return [*replies[:-1], Reply(last.html, (*last.buttons, *join), attachment=last.attachment)]

    def digest(self, learner_id: int) -> str | None:
        """A tutor's weekly /today, written now; the following week's is scheduled."""
        with session_scope(self.engine) as session:
            learner = session.get(Learner, learner_id)
            if learner is None:
                return None
            turn = self._turn(session, learner, Sender(learner.telegram_id))
            learners.schedule_digest(session, learner=learner, now=turn.now + timedelta(minutes=1))
            if not turn.is_tutor:
                return None
            return f"<b>Your week</b>\n\n{tutor.caseload_text(turn, self.quiet_days)}"

    def _free_text(self, session: Session, learner: Learner, sender: Sender,
                   text: str) -> list[Reply]:
        if not text.strip():
            return [Reply(f"Ask me about an AC or a topic.\n\n{HELP}")]
        context = self._context(session, learner)
        if is_theorist_question(text):
            answer: Answer = theorists_for(self.catalogue, self.retriever, text, context)
        else:
            answer = (answer_reference(self.catalogue, self.retriever, text, context)
                      or search(self.catalogue, self.retriever, text, context))
        return [self._render(session, learner, sender, answer)]

    def _start(self, session: Session, learner: Learner, sender: Sender,
               args: str) -> list[Reply]:
        if not sender.private:
            return [Reply("Hello! Ask me about an AC with <code>/ac 5015 2.3</code>, or "
                          "mention me with a question. Message me privately to set up your "
                          "qualification and units.")]
        if args.startswith(cohorts.JOIN_PREFIX):
            return [self._join(session, learner, args.removeprefix(cohorts.JOIN_PREFIX))]
        return [render_qualification_choice(self.catalogue, WELCOME)]

    def _join(self, session: Session, learner: Learner, code: str) -> Reply:
        cohort = cohorts.cohort_for_code(session, code)
        if cohort is None:
            return Reply("That invite link is not valid any more. Ask your tutor for a new one; "
                         "meanwhile /start sets up your qualification yourself.")
        q = self.catalogue.qualifications[cohort.qualification]
        joined = cohorts.join(session, learner=learner, cohort=cohort, qualification=q)
        units = ", ".join(learners.enrolled_units(session, learner_id=learner.id))  # type: ignore[arg-type]
        first = "Welcome to" if joined else "You are already in"
        return Reply(f"{first} <b>{esc(cohort.name)}</b> ({esc(q.title)}). Your units: "
                     f"{esc(units) or 'none yet'}.\n\n{HELP}")

    def _help(self, session: Session, learner: Learner, sender: Sender,
              args: str) -> list[Reply]:
        return [Reply(HELP)]

    def _ac(self, session: Session, learner: Learner, sender: Sender, args: str) -> list[Reply]:
        answer = answer_reference(self.catalogue, self.retriever, args,
                                  self._context(session, learner))
        if answer is None:
            return [Reply("Which AC? For example <code>/ac 5015 2.3</code>, "
                          "<code>/ac D5.01 1.1</code> or <code>/ac 2.3</code>.")]
        return [self._render(session, learner, sender, answer)]

    def _unit(self, session: Session, learner: Learner, sender: Sender,
              args: str) -> list[Reply]:
        if not args:
            return [Reply("Which unit? For example <code>/unit 5015</code> or "
                          f"<code>/unit D5.03</code>. The units are: "
                          f"{esc(', '.join(self.catalogue.units))}.")]
        unit = self.catalogue.unit(args.split()[0])
        if unit is None:
            return [Reply(f"There is no unit {esc(args[:40])}. The units are: "
                          f"{esc(', '.join(self.catalogue.units))}.")]
        learners.remember_unit(session, learner=learner, unit_code=unit.code)
        states = self._states(session, learner, unit.code) if sender.private else {}
        return [render_unit(unit, states)]

    def _units(self, session: Session, learner: Learner, sender: Sender,
               args: str) -> list[Reply]:
        q = self.catalogue.qualifications.get(learner.qualification or "")
        if q is None:
            return [render_qualification_choice(
                self.catalogue, "You have not chosen a qualification yet. Which one is it?")]
        status = None
        if sender.private:
            credits = {c: u.credits for c, u in self.catalogue.units.items()}
            status = check_rule(q, self._completed_units(session, learner), credits)
        return [render_qualification(q, status, qualification_units(self.catalogue, q))]

    def _theorists(self, session: Session, learner: Learner, sender: Sender,
                   args: str) -> list[Reply]:
        if not args:
            return [Reply("Theorists for what? For example <code>/theorists coaching "
                          "culture</code> or <code>/theorists 7015 2.1</code>.")]
        answer = theorists_for(self.catalogue, self.retriever, args,
                               self._context(session, learner))
        return [self._render(session, learner, sender, answer)]

    def _theorist(self, session: Session, learner: Learner, sender: Sender,
                  args: str) -> list[Reply]:
        if not args:
            return [Reply("Which theorist? For example <code>/theorist Clutterbuck</code>.")]
        theorist = self.catalogue.theorist(args)
        if theorist is not None:
            return [render_theorists(TheoristList(theorist.name, (theorist,)))]
        spellings = {s: t.name for t in self.catalogue.theorists for s in (t.name, *t.aliases)}
        close = difflib.get_close_matches(args, list(spellings), n=3, cutoff=0.6)
        hint = (f" Did you mean {esc(', '.join(dict.fromkeys(spellings[c] for c in close)))}?"
                if close else " Try <code>/theorists</code> with a topic instead.")
        return [Reply(f"The unit specifications name no theorist “{esc(args[:80])}”.{hint}")]

    # -- button presses ---------------------------------------------------------------------

    def press(self, sender: Sender, data: str) -> list[Reply]:
        """Replies to a button press; a payload this bot did not make changes nothing."""
        pressed = cb.parse(data, self.catalogue)
        if pressed is None:
            return [Reply("", toast="That button is no longer valid.")]
        with session_scope(self.engine) as session:
            learner = learners.get_or_create_learner(session, telegram_id=sender.telegram_id,
                                                     name=sender.name)
            return self._press(session, learner, sender, pressed)

    def _press(self, session: Session, learner: Learner, sender: Sender,
               pressed: cb.Press) -> list[Reply]:
        action = pressed.action
        turn = self._turn(session, learner, sender)
        if action == cb.NEW_COHORT:
            return tutor.create_pressed(turn, pressed.qualification or "", pressed.name or "")
        if action == cb.PUSH:
            return tutor.push_pressed(turn, pressed.verb or "", pressed.number or 0)
        if action == cb.CANCEL_PUSH:
            return tutor.cancel_pressed(turn, pressed.number or 0)
        if action == cb.CYCLE:
            return tracking.cycle(turn, pressed.unit or "", pressed.ref or "")
        if action == cb.PDP:
            return tracking.pdp_press(turn, pressed.verb or "", pressed.number or 0)
        if action == cb.FORGET:
            return tracking.forget_press(turn, pressed.verb or "")
        if action in (cb.OPEN_AC, cb.SHOW_AC):
            answer = ac_answer(self.catalogue, pressed.key)
            assert answer is not None  # parse() checked the AC exists
            reply = self._render(session, learner, sender, answer)
            return [Reply(reply.html, reply.buttons, edit=action == cb.SHOW_AC)]
        if action == cb.MARK:
            return [self._toggle_done(session, learner, sender, pressed)]
        if action in (cb.RELATED, cb.BACK):
            answer = ac_answer(self.catalogue, pressed.key)
            assert answer is not None
            state = self._state(session, learner, sender, pressed.unit, pressed.ref)
            buttons = (related_buttons(answer) if action == cb.RELATED
                       else ac_buttons(answer, state))
            return [Reply("", buttons, edit=True, markup_only=True)]
        if action == cb.THEORISTS:
            answer = ac_answer(self.catalogue, pressed.key)
            assert answer is not None
            return [render_theorists(TheoristList(pressed.key, answer.theorists))]
        if action == cb.UNIT:
            return self._unit(session, learner, sender, pressed.unit or "")
        return self._onboarding(session, learner, sender, pressed)

    def _toggle_done(self, session: Session, learner: Learner, sender: Sender,
                     pressed: cb.Press) -> Reply:
        assert pressed.unit and pressed.ref and learner.id is not None
        current = learners.ac_state(session, learner_id=learner.id, unit_code=pressed.unit,
                                    ref=pressed.ref)
        new = AcState.not_started if current in (AcState.done, AcState.signed_off) else AcState.done
        if current == AcState.signed_off:
            return Reply("", toast="Your tutor signed this AC off; it stays done.")
        learners.set_ac_state(session, learner_id=learner.id, unit_code=pressed.unit,
                              ref=pressed.ref, state=new)
        toast = (f"{pressed.key} marked done ✅" if new == AcState.done
                 else f"{pressed.key} back to not started")
        if not sender.private:  # never show one learner's progress to a group
            return Reply("", toast=toast)
        answer = ac_answer(self.catalogue, pressed.key)
        assert answer is not None
        return Reply("", ac_buttons(answer, new), edit=True, markup_only=True,
                     toast=toast)

    def _onboarding(self, session: Session, learner: Learner, sender: Sender,
                    pressed: cb.Press) -> list[Reply]:
        if not sender.private:
            return [Reply("", toast="Set up your qualification in a private chat with me.")]
        if pressed.action == cb.PICK_QUALIFICATION:
            q = self.catalogue.qualifications[pressed.qualification or ""]
            units = default_units(q)
            learners.set_qualification(session, learner=learner, code=q.code, units=units)
            return [render_unit_choice(q, units, self.catalogue)]
        q = self.catalogue.qualifications.get(learner.qualification or "")
        if q is None:
            return [Reply("", toast="Choose a qualification first: /start")]
        chosen = list(learners.enrolled_units(session, learner_id=learner.id))  # type: ignore[arg-type]
        if pressed.action == cb.TOGGLE_UNIT:
            if pressed.unit not in {c for g in q.rule.groups for c in g.units}:
                return [Reply("", toast="That unit is not part of your qualification.")]
            chosen = ([c for c in chosen if c != pressed.unit] if pressed.unit in chosen
                      else [*chosen, pressed.unit or ""])
            learners.set_units(session, learner_id=learner.id, units=chosen)  # type: ignore[arg-type]
            reply = render_unit_choice(q, chosen, self.catalogue)
            return [Reply("", reply.buttons, edit=True, markup_only=True)]
        names = ", ".join(sorted(chosen)) or "none yet"
        return [Reply(f"All set: <b>{esc(q.title)}</b>, units {esc(names)}.\n\n{HELP}",
                      edit=True)]

    # -- helpers ----------------------------------------------------------------------------

    def _render(self, session: Session, learner: Learner, sender: Sender,
                answer: Answer) -> Reply:
        if isinstance(answer, AcAnswer):
            learners.remember_unit(session, learner=learner, unit_code=answer.unit.code)
            state = self._state(session, learner, sender, answer.unit.code,
                                answer.criterion.ref)
            return render_ac(answer, state, self.catalogue)
        if isinstance(answer, ChooseUnit):
            return render_choose(answer)
        if isinstance(answer, Problem):
            return render_problem(answer)
        if isinstance(answer, SearchAnswer):
            return render_search(answer)
        return render_theorists(answer)

    def _context(self, session: Session, learner: Learner) -> Context:
        units = learners.enrolled_units(session, learner_id=learner.id)  # type: ignore[arg-type]
        return Context(units=units, last_unit=learner.last_unit)

    def _state(self, session: Session, learner: Learner, sender: Sender, unit: str | None,
               ref: str | None) -> AcState:
        """The learner's state of an AC, or "not started" where others could see it."""
        if not sender.private or learner.id is None:
            return AcState.not_started
        return learners.ac_state(session, learner_id=learner.id, unit_code=unit or "",
                                 ref=ref or "")

    def _states(self, session: Session, learner: Learner, unit_code: str) -> dict[str, AcState]:
        return learners.ac_states(session, learner_id=learner.id,  # type: ignore[arg-type]
                                  unit_code=unit_code)

    def _completed_units(self, session: Session, learner: Learner) -> list[str]:
        """Units whose every AC is done or signed off."""
        completed = []
        for code, unit in self.catalogue.units.items():
            states = self._states(session, learner, code)
            if all(states.get(ac.ref) in DONE for ac in unit.criteria):
                completed.append(code)
        return completed
