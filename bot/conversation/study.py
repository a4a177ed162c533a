"""Study: what an AC needs, units, qualifications, theorists, free questions, and choosing a
qualification and units. Commands and buttons are functions of a `Turn`, declared in the
registry; what to answer is decided in `bot.conversation.answers`, how it looks in
`bot.conversation.rendering`."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import lru_cache

from sqlmodel import Session

from bot.conversation import buttons as cb
from bot.conversation.answers import (
    AcAnswer,
    Answer,
    ChooseUnit,
    Context,
    Problem,
    SearchAnswer,
    TheoristList,
    ac_answer,
    answer_reference,
    qualification_units,
    theorists_for,
)
from bot.conversation.registry import REGISTRY, Where
from bot.conversation.rendering import (
    ac_buttons,
    related_buttons,
    render_ac,
    render_card,
    render_choose,
    render_fact,
    render_greeting,
    render_integrity,
    render_problem,
    render_qualification,
    render_qualification_choice,
    render_refusal,
    render_search,
    render_theorists,
    render_unit,
    render_unit_choice,
    render_verb,
)
from bot.conversation.replies import Reply, esc
from bot.conversation.router import (
    FactAnswer,
    Greeting,
    Integrity,
    Refusal,
    Routed,
    Router,
    TheoristCard,
    Understood,
    UnitAnswer,
    VerbAnswer,
)
from bot.conversation.turn import Turn
from bot.services import cohorts, learners, progress
from bot.services.tables import AcState, Person, id_of
from content.catalogue import Catalogue, Unit
from index.retriever import Retriever

WELCOME = (
    "Hello! I help learners on the <b>CMI Level 5</b> and <b>Level 7</b> coaching and mentoring "
    "qualifications and the <b>ILM Level 5 Certificate</b>: what each assessment criterion (AC) "
    "asks, the guidance written for it, and the theorists to cite. Everything I quote comes from "
    "the unit specifications.\n\nWhich qualification are you studying?")
ASK = "Ask me"
# /start PAYLOAD from a t.me link: payload prefix -> what opens it (the feature modules add
# theirs, e.g. a supervisor's one-time feedback link).
DEEP_LINKS: dict[str, Callable[[Turn, str], Reply]] = {}
REGISTRY.note(ASK, "any question, e.g. “how do I evaluate a mentoring programme?”")


def help_text(turn: Turn) -> str:
    """/help for this person, here."""
    return REGISTRY.help_text(turn.role, private=turn.sender.private)


def context(turn: Turn) -> Context:
    return learner_context(turn.session, turn.person)


def learner_context(session: Session, person: Person) -> Context:
    """What the bot knows of a learner that resolves their questions (read only: inline
    queries use it outside a turn)."""
    units = learners.enrolled_units(session, learner_id=id_of(person))
    return Context(units=units, last_unit=person.last_unit, qualification=person.qualification)


@lru_cache(maxsize=4)
def router(retriever: Retriever) -> Router:
    """One router per retriever (it indexes the theorists' spellings once)."""
    return Router(retriever.catalogue, retriever)


def state(turn: Turn, unit: str, ref: str) -> AcState:
    """The learner's state of an AC, or "not started" where others could see it."""
    if not turn.sender.private:
        return AcState.not_started
    return learners.ac_state(turn.session, learner_id=turn.person_id, unit_code=unit, ref=ref)


def render(turn: Turn, answer: Answer | Routed) -> Reply:
    if isinstance(answer, AcAnswer):
        learners.remember_unit(turn.session, learner=turn.person, unit_code=answer.unit.code)
        return render_ac(answer, state(turn, answer.unit.code, answer.criterion.ref),
                         turn.catalogue)
    if isinstance(answer, UnitAnswer):
        return _unit_card(turn, answer.unit, answer.planning)
    return render_plain(answer, turn.catalogue)


def render_plain(answer: Answer | Routed, catalogue: Catalogue) -> Reply:
    """Any answer that shows nobody's own progress, as a message (the batch `ask` uses it
    as it is; `render` adds the asker's state to AC cards and units)."""
    if isinstance(answer, AcAnswer):
        return render_ac(answer, AcState.not_started, catalogue)
    if isinstance(answer, UnitAnswer):
        return render_unit(answer.unit, planning=answer.planning)
    if isinstance(answer, ChooseUnit):
        return render_choose(answer)
    if isinstance(answer, Problem):
        return render_problem(answer)
    if isinstance(answer, SearchAnswer):
        return render_search(answer)
    if isinstance(answer, TheoristList):
        return render_theorists(answer)
    if isinstance(answer, TheoristCard):
        return render_card(answer)
    if isinstance(answer, FactAnswer):
        return render_fact(answer, catalogue)
    if isinstance(answer, VerbAnswer):
        return render_verb(answer, catalogue)
    if isinstance(answer, Greeting):
        return render_greeting(answer)
    if isinstance(answer, Integrity):
        return render_integrity(answer)
    assert isinstance(answer, Refusal)
    return render_refusal(answer)


def understand(turn: Turn, text: str) -> Understood:
    return router(turn.retriever).answer(text, context(turn))


def free_text(turn: Turn, text: str) -> list[Reply]:
    """A message that is not a command: the router decides what kind of question it is."""
    return [render(turn, understand(turn, text).answer)]


# -- commands -------------------------------------------------------------------------------

@REGISTRY.command("start", "/start", "choose your qualification and units", section=ASK,
                  where=Where.anywhere)
def start(turn: Turn, args: str) -> list[Reply]:
    if not turn.sender.private:
        return [Reply("Hello! Ask me about an AC with <code>/ac 5015 2.3</code>, or "
                      "mention me with a question. Message me privately to set up your "
                      "qualification and units.")]
    if args.startswith(cohorts.JOIN_PREFIX):
        return [_join(turn, args.removeprefix(cohorts.JOIN_PREFIX))]
    for prefix, opens in DEEP_LINKS.items():
        if args.startswith(prefix):
            return [opens(turn, args.removeprefix(prefix))]
    return [render_qualification_choice(turn.catalogue, WELCOME)]


def _join(turn: Turn, code: str) -> Reply:
    cohort = cohorts.cohort_for_code(turn.session, code)
    if cohort is None:
        return Reply("That invite link is not valid any more. Ask your tutor for a new one; "
                     "meanwhile /start sets up your qualification yourself.")
    q = turn.catalogue.qualifications[cohort.qualification]
    joined = cohorts.join(turn.session, learner=turn.person, cohort=cohort, qualification=q)
    chosen = learners.enrolled_units(turn.session, learner_id=turn.person_id)
    first = "Welcome to" if joined else "You are already in"
    units = esc(", ".join(chosen)) or "none yet"
    if all(g.mandatory for g in q.rule.groups):
        return Reply(f"{first} <b>{esc(cohort.name)}</b> ({esc(q.title)}). Your units: "
                     f"{units}.\n\n{help_text(turn)}")
    # Optional units to choose, as onboarding offers them; its Done then shows /help.
    choice = render_unit_choice(q, chosen, turn.catalogue, edit=False)
    return Reply(f"{first} <b>{esc(cohort.name)}</b>. Your units so far: {units}.\n\n"
                 f"{choice.html}", choice.buttons)


@REGISTRY.command("help", "/help", "what I can do", section=ASK, where=Where.anywhere)
def help_command(turn: Turn, args: str) -> list[Reply]:
    return [Reply(help_text(turn))]


@REGISTRY.command("ac", "/ac 5015 2.3", "what an AC needs; or just ask “what does AC 2.3 "
                  "need?”", section=ASK, where=Where.anywhere)
def ac(turn: Turn, args: str) -> list[Reply]:
    answer = answer_reference(turn.catalogue, turn.retriever, args, context(turn))
    if answer is None:
        return [Reply("Which AC? For example <code>/ac 5015 2.3</code>, "
                      "<code>/ac D5.01 1.1</code> or <code>/ac 2.3</code>.")]
    return [render(turn, answer)]


def _no_unit(turn: Turn, args: str) -> Reply:
    units = esc(", ".join(turn.catalogue.units))
    if not args:
        return Reply("Which unit? For example <code>/unit 5015</code> or "
                     f"<code>/unit D5.03</code>. The units are: {units}.")
    return Reply(f"There is no unit {esc(args[:40])}. The units are: {units}.")


@REGISTRY.command("unit", "/unit 7016", "a unit's aims, LOs and ACs", section=ASK,
                  where=Where.anywhere)
def unit(turn: Turn, args: str) -> list[Reply]:
    found = turn.catalogue.unit(args.split()[0]) if args else None
    if found is None:
        return [_no_unit(turn, args)]
    return [_unit_card(turn, found)]


def _unit_card(turn: Turn, found: Unit, planning: bool = False) -> Reply:
    """The unit with the asker's ticks (in a private chat), remembered as their last unit."""
    learners.remember_unit(turn.session, learner=turn.person, unit_code=found.code)
    states = (learners.ac_states(turn.session, learner_id=turn.person_id, unit_code=found.code)
              if turn.sender.private else {})
    return render_unit(found, states, planning)


@REGISTRY.command("units", "/units", "your qualification, its rule of combination and what "
                  "you still need", section=ASK, where=Where.anywhere)
def units(turn: Turn, args: str) -> list[Reply]:
    q = turn.catalogue.qualifications.get(turn.person.qualification or "")
    if q is None:
        return [render_qualification_choice(
            turn.catalogue, "You have not chosen a qualification yet. Which one is it?")]
    status = (progress.qualification_status(turn.session, turn.catalogue, turn.person)
              if turn.sender.private else None)
    return [render_qualification(q, status, qualification_units(turn.catalogue, q))]


@REGISTRY.command("theorists", "/theorists coaching culture", "theorists and models for a "
                  "topic or an AC", section=ASK,
                  where=Where.anywhere)
def theorists(turn: Turn, args: str) -> list[Reply]:
    if not args:
        return [Reply("Theorists for what? For example <code>/theorists coaching "
                      "culture</code> or <code>/theorists 7015 2.1</code>.")]
    return [render(turn, theorists_for(turn.catalogue, turn.retriever, args, context(turn)))]


@REGISTRY.command("theorist", "/theorist Clutterbuck", "one theorist or model, by any "
                  "spelling in the sources", section=ASK, where=Where.anywhere)
def theorist(turn: Turn, args: str) -> list[Reply]:
    if not args:
        return [Reply("Which theorist? For example <code>/theorist Clutterbuck</code>.")]
    found = turn.catalogue.theorist(args) or router(turn.retriever).find_theorist(args)
    if found is not None:
        return [render_card(TheoristCard(found))]
    spellings = {s: t.name for t in turn.catalogue.theorists for s in (t.name, *t.aliases)}
    close = difflib.get_close_matches(args, list(spellings), n=3, cutoff=0.6)
    hint = (f" Did you mean {esc(', '.join(dict.fromkeys(spellings[c] for c in close)))}?"
            if close else " Try <code>/theorists</code> with a topic instead.")
    return [Reply(f"The unit specifications name no theorist “{esc(args[:80])}”.{hint}")]


# -- buttons --------------------------------------------------------------------------------

def _answer(pressed: cb.Press, turn: Turn) -> AcAnswer:
    answer = ac_answer(turn.catalogue, pressed.key)
    assert answer is not None  # buttons.parse() checked the AC exists
    return answer


@REGISTRY.press(cb.OPEN_AC, cb.SHOW_AC)
def open_ac(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """An AC's answer: in a new message, or (SHOW_AC) in place of the pressed one."""
    reply = render(turn, _answer(pressed, turn))
    return [Reply(reply.html, reply.buttons, edit=pressed.action == cb.SHOW_AC)]


@REGISTRY.press(cb.RELATED, cb.BACK)
def related(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """The pressed message's buttons: the related ACs, or back to the AC's own."""
    answer = _answer(pressed, turn)
    shown = (related_buttons(answer) if pressed.action == cb.RELATED
             else ac_buttons(answer, state(turn, answer.unit.code, answer.criterion.ref)))
    return [Reply("", shown, edit=True, markup_only=True)]


@REGISTRY.press(cb.THEORISTS)
def ac_theorists(turn: Turn, pressed: cb.Press) -> list[Reply]:
    return [render_theorists(TheoristList(pressed.key, _answer(pressed, turn).theorists))]


@REGISTRY.press(cb.UNIT)
def unit_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    return unit(turn, pressed.unit or "")


@REGISTRY.press(cb.MARK)
def mark(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """Mark an AC done, or back to not started; in a group only a toast says so."""
    assert pressed.unit and pressed.ref
    current = learners.ac_state(turn.session, learner_id=turn.person_id,
                                unit_code=pressed.unit, ref=pressed.ref)
    new = AcState.not_started if learners.is_done(current) else AcState.done
    try:
        learners.change_own_state(turn.session, learner_id=turn.person_id,
                                  unit_code=pressed.unit, ref=pressed.ref, state=new)
    except learners.SignedOff:
        return [Reply("", toast=SIGNED_OFF)]
    toast = (f"{pressed.key} marked done ✅" if new == AcState.done
             else f"{pressed.key} back to not started")
    if not turn.sender.private:  # never show one learner's progress to a group
        return [Reply("", toast=toast)]
    return [Reply("", ac_buttons(_answer(pressed, turn), new), edit=True, markup_only=True,
                  toast=toast)]


SIGNED_OFF = "Your tutor signed this AC off; it stays done."
SET_UP_PRIVATELY = "Set up your qualification in a private chat with me."


@REGISTRY.press(cb.PICK_QUALIFICATION, where=Where.private, elsewhere=SET_UP_PRIVATELY)
def pick_qualification(turn: Turn, pressed: cb.Press) -> list[Reply]:
    q = turn.catalogue.qualifications[pressed.qualification or ""]
    chosen = learners.set_qualification(turn.session, learner=turn.person, qualification=q)
    return [render_unit_choice(q, chosen, turn.catalogue)]


@REGISTRY.press(cb.TOGGLE_UNIT, cb.DONE, where=Where.private, elsewhere=SET_UP_PRIVATELY)
def choose_units(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """Onboarding: a unit ticked or unticked, or Done."""
    q = turn.catalogue.qualifications.get(turn.person.qualification or "")
    if q is None:
        return [Reply("", toast="Choose a qualification first: /start")]
    chosen = list(learners.enrolled_units(turn.session, learner_id=turn.person_id))
    if pressed.action == cb.TOGGLE_UNIT:
        if pressed.unit not in {c for g in q.rule.groups for c in g.units}:
            return [Reply("", toast="That unit is not part of your qualification.")]
        chosen = ([c for c in chosen if c != pressed.unit] if pressed.unit in chosen
                  else [*chosen, pressed.unit or ""])
        learners.set_units(turn.session, learner_id=turn.person_id, units=chosen)
        reply = render_unit_choice(q, chosen, turn.catalogue,
                                   in_settings=pressed.verb == cb.IN_SETTINGS)
        return [Reply("", reply.buttons, edit=True, markup_only=True)]
    names = ", ".join(sorted(chosen)) or "none yet"
    return [Reply(f"All set: <b>{esc(q.title)}</b>, units {esc(names)}.\n\n{help_text(turn)}",
                  edit=True)]
