"""The coaching practice record: /log's session form, /sessions per coachee, /hours against
the learner's own qualification, one-time feedback links for supervisors and observers,
/reflect through Gibbs' six stages with the ACs it fits, and the /diary and /portfolio exports.

A form step or a reflection stage waits for the learner's next plain message
(`Person.awaiting`); `take_answer` gives it that message before the router sees it, and any
command drops the wait (the record stays, and /log or /reflect resumes it). The city typed
after /settings' "Type a city" waits the same way."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from bot.conversation import buttons as cb
from bot.conversation.charts import cell
from bot.conversation.documents import Document, Heading, Paragraph, Table, to_docx, to_pdf
from bot.conversation.registry import REGISTRY, Where
from bot.conversation.replies import Attachment, Button, Reply, esc, rows
from bot.conversation.study import DEEP_LINKS
from bot.conversation.tracking import CITY_WAIT, TRACK, find_timezone
from bot.conversation.turn import Turn
from bot.services import coaching, learners, practice, reminders
from bot.services.dates import DateError, local_today, parse_time, show_date, zone
from bot.services.tables import (
    AcState,
    CoachingSession,
    FeedbackRequest,
    Person,
    Reflection,
    ReminderKind,
    id_of,
)

FEEDBACK_PREFIX = "fb_"  # /start fb_<token>: a supervisor's or observer's one-time link
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
PSEUDONYM = ("🔒 Use a pseudonym or initials for your coachee, never their real name: this "
             "record may go to your centre.")
QUESTIONS = {
    "kind": "Was it coaching or mentoring?",
    "held_on": "When was the session? Press a button or type a date (e.g. 3 Dec).",
    "goal": "What goal did you and your coachee agree?",
    "model": "Which model did you use? Press one or type its name (e.g. CLEAR).",
    "outcome": "What happened, and what was the outcome?",
    "feedback": "Any feedback from your coachee or an observer? (Or ask them for it with a "
                "one-time link from the session card.)",
    "supervision": "A supervision note: what did you and your supervisor say about it?",
    "minutes": "How long was it? e.g. 90m or 1h30",
    "coachee": "Your coachee's pseudonym?",
}
NO_SESSIONS = "No sessions logged yet. Log one with <code>/log 90m Sam — goal setting</code>."
LABELS = {"minutes": "Duration", "coachee": "Coachee", "kind": "Type", "held_on": "Date",
          "goal": "Goal", "model": "Model", "outcome": "What happened", "feedback": "Feedback",
          "supervision": "Supervision"}


def _today(turn: Turn) -> date:
    return local_today(turn.now, zone(turn.person.timezone))


def _local_date(turn: Turn, moment: datetime) -> str:
    return show_date(moment.astimezone(zone(turn.person.timezone)).date())


def _await(turn: Turn, what: str | None) -> None:
    practice.set_awaiting(turn.session, person=turn.person, what=what)


# -- the session form ---------------------------------------------------------------------------

def _models(turn: Turn) -> list[tuple[str, str]]:
    """(label, name) of the catalogue's coaching and mentoring models: GROW, OSKAR..."""
    return [(t.aliases[0] if t.aliases else t.name, t.name) for t in turn.catalogue.theorists
            if t.kind == "model" and ("coach" in t.known_for.lower()
                                      or "mentor" in t.known_for.lower())]


def _prompt(turn: Turn, row: CoachingSession, field: str) -> Reply:
    """Ask one step; the next plain message answers it."""
    number = id_of(row)
    _await(turn, f"session:{number}:{field}")
    choices: list[Button] = []
    if field == "kind":
        choices = [Button(k.title(), cb.make(cb.LOG_FORM, "set", str(number), field, k))
                   for k in practice.KINDS]
    elif field == "held_on":
        today = _today(turn)
        choices = [Button(label, cb.make(cb.LOG_FORM, "set", str(number), field, day.isoformat()))
                   for label, day in (("Today", today), ("Yesterday", today - timedelta(days=1)))]
    elif field == "model":
        choices = [Button(label, cb.make(cb.LOG_FORM, "set", str(number), field, name))
                   for label, name in _models(turn)]
    controls = [Button("Skip ⏭", cb.make(cb.LOG_FORM, "skip", str(number), field)),
                Button("Stop ⏸", cb.make(cb.LOG_FORM, "stop", str(number), field))]
    step = (f" ({practice.FORM_STEPS.index(field) + 1}/{len(practice.FORM_STEPS)})"
            if row.form_step == field else "")
    return Reply(f"<b>Session #{number}</b>{step}: {esc(QUESTIONS[field])}",
                 (*rows(choices, 3), tuple(controls)))


def _card_text(turn: Turn, row: CoachingSession) -> str:
    lines = [f"<b>Session #{id_of(row)}</b> · {show_date(row.held_on)} · "
             f"{coaching.hours(row.minutes)}" + (f" · {esc(row.kind)}" if row.kind else ""),
             f"Coachee: {esc(row.coachee) or '—'}"]
    for field in ("goal", "model", "outcome", "feedback", "supervision"):
        value = getattr(row, field)
        lines.append(f"{LABELS[field]}: {esc(value) if value else '—'}")
    if row.notes:
        lines.append(f"Note: {esc(row.notes)}")
    for answer in practice.feedback_on(turn.session, learner_id=turn.person_id):
        if answer.session_id == row.id:
            lines.append(f"💬 {esc(answer.role.title())} ({esc(answer.answered_by)}): "
                         f"{esc(answer.answer)}")
    return "\n".join(lines)


def _card(turn: Turn, row: CoachingSession, *, edit: bool = False) -> Reply:
    """A finished session with buttons to edit any field, ask for feedback, or reflect."""
    number = str(id_of(row))
    edits = [Button(f"✏️ {LABELS[f]}", cb.make(cb.LOG_FORM, "ask", number, f))
             for f in practice.EDITABLE]
    links = (Button("🔗 Supervisor feedback", cb.make(cb.FEEDBACK_LINK, "supervisor", number)),
             Button("🔗 Observer feedback", cb.make(cb.FEEDBACK_LINK, "observer", number)))
    return Reply(_card_text(turn, row), (*rows(edits, 3), links), edit=edit)


def _after_answer(turn: Turn, row: CoachingSession) -> list[Reply]:
    """The form's next step, or the finished card with where the hours stand."""
    if row.form_step is not None:
        return [_prompt(turn, row, row.form_step)]
    _await(turn, None)
    return [_card(turn, row), Reply(_hours_line(turn))]


@REGISTRY.command("log", "/log 90m Sam — goal setting", "log a coaching session (a short "
                  "form follows)", section=TRACK)
def log(turn: Turn, args: str) -> list[Reply]:
    """/log 90m Sam — goal setting; /log alone resumes a form left unfinished."""
    if not args:
        row = practice.unfinished(turn.session, learner_id=turn.person_id)
        if row is None or row.form_step is None:
            return [Reply("Start with how long it was and a pseudonym for your coachee, e.g. "
                          "<code>/log 90m Sam — goal setting</code>.")]
        return [Reply(f"Picking up session #{id_of(row)} where you left it."),
                _prompt(turn, row, row.form_step)]
    try:
        entry = coaching.parse_log(args)
    except coaching.LogError as exc:
        return [Reply(esc(exc))]
    row = practice.start_session(turn.session, learner=turn.person, entry=entry,
                                 held_on=_today(turn))
    coachee = f" with {esc(entry.coachee)}" if entry.coachee else ""
    return [Reply(f"Logged {coaching.hours(entry.minutes)}{coachee}. {_hours_line(turn)}\n"
                  f"{PSEUDONYM}\nA few questions follow; skip any, stop and resume with /log."),
            _prompt(turn, row, practice.FORM_STEPS[0])]


@REGISTRY.press(cb.LOG_FORM, where=Where.private)
def log_press(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """The form's buttons: a choice, skip, stop, or edit a field of a session."""
    row = practice.own_session(turn.session, learner_id=turn.person_id,
                               session_id=pressed.number or 0)
    field = pressed.name or ""
    if row is None:
        return [Reply("", toast="That session no longer exists.")]
    if pressed.verb == "stop":
        _await(turn, None)
        return [Reply(f"Paused session #{id_of(row)}: <code>/log</code> picks it up again.",
                      edit=True)]
    if pressed.verb == "ask":
        return [_prompt(turn, row, field)]
    if pressed.verb == "skip":
        if row.form_step == field:
            practice.advance(row)
            turn.session.add(row)
        return [Reply(f"Skipped: {esc(LABELS[field].lower())}.", edit=True),
                *_after_answer(turn, row)]
    try:
        practice.set_field(turn.session, row, field, pressed.value or "", today=_today(turn))
    except practice.FieldError as exc:
        return [Reply("", toast=str(exc))]
    return [Reply(f"{esc(LABELS[field])}: {esc(pressed.value)}", edit=True),
            *_after_answer(turn, row)]


def take_answer(turn: Turn, text: str) -> list[Reply] | None:
    """The learner's plain message as the answer to the step that waits for one; None when
    nothing waits (the router answers it)."""
    what = turn.person.awaiting
    if not what or not turn.sender.private:
        return None
    kind, _, rest = what.partition(":")
    number, _, field = rest.partition(":")
    found = int(number) if number.isdigit() else 0
    if kind == "session":
        row = practice.own_session(turn.session, learner_id=turn.person_id, session_id=found)
        if row is not None and field in practice.EDITABLE:
            try:
                practice.set_field(turn.session, row, field, text, today=_today(turn))
            except practice.FieldError as exc:
                return [Reply(esc(exc)), _prompt(turn, row, field)]
            return _after_answer(turn, row)
    elif kind == "reflection":
        entry = practice.own_reflection(turn.session, learner_id=turn.person_id,
                                        reflection_id=found)
        if entry is not None:
            practice.answer_stage(turn.session, entry, text, now=turn.now)
            return _reflection_next(turn, entry)
    elif kind == "feedback":
        return _feedback_answer(turn, found, text)
    elif what == CITY_WAIT:
        _await(turn, None)
        return [find_timezone(turn, text)]
    _await(turn, None)
    return None


def drop_wait(turn: Turn) -> None:
    """A command instead of an answer: nothing waits any more (the record stays)."""
    if turn.person.awaiting:
        _await(turn, None)


# -- hours and sessions per coachee -------------------------------------------------------------

def _hours_line(turn: Turn) -> str:
    rows_ = coaching.sessions(turn.session, learner_id=turn.person_id)
    total = sum(s.minutes for s in rows_)
    target = practice.target_for(turn.catalogue, turn.person.qualification)
    if target.hours is not None:
        left = max(target.hours * 60 - total, 0)
        line = (f"Total {coaching.hours(total)} of the {target.hours} hours ILM "
                f"{esc(target.hours_unit)} requires"
                + (f"; {coaching.hours(left)} to go." if left else " ✅"))
    elif target.acs:
        q = turn.catalogue.qualifications[turn.person.qualification or ""]
        acs = ", ".join(esc(ac.key) for ac in target.acs)
        line = (f"Total {coaching.hours(total)} logged. The {esc(q.short)} sets no hour target; "
                f"these ACs ask for evidence of your own practice: {acs}.")
    else:
        line = (f"Total {coaching.hours(total)} logged. Choose your qualification with /start "
                f"to see what it asks of your practice.")
    unsupervised = practice.unsupervised_minutes(turn.session, learner_id=turn.person_id)
    if unsupervised >= practice.SUPERVISION_NUDGE_MINUTES:
        line += (f"\n💡 {coaching.hours(unsupervised)} logged since your last supervision "
                 f"note: talk it over with your supervisor, then add a note or send them a "
                 f"feedback link from a session card.")
    return line


@REGISTRY.command("hours", "/hours", "coaching hours against what your qualification asks",
                  section=TRACK)
def hours(turn: Turn, args: str) -> list[Reply]:
    """/hours: practice logged, against your own qualification."""
    rows_ = coaching.sessions(turn.session, learner_id=turn.person_id)
    if not rows_:
        return [Reply(NO_SESSIONS)]
    recent = "\n".join(f"• #{s.id} {show_date(s.held_on)}: {coaching.hours(s.minutes)} "
                       f"{esc(s.coachee)}{' — ' + esc(s.notes) if s.notes else ''}"
                       for s in rows_[-10:])
    return [Reply(f"<b>Coaching log</b>\n{recent}\n\n{_hours_line(turn)}\n"
                  f"<code>/sessions</code> shows them per coachee.")]


@REGISTRY.command("sessions", "/sessions Sam", "your sessions per coachee, or one by number",
                  section=TRACK)
def sessions_command(turn: Turn, args: str) -> list[Reply]:
    """/sessions: per coachee; /sessions Sam: that coachee's; /sessions 12: one, to edit."""
    wanted = args.strip().lstrip("#")
    if wanted.isdigit() and len(wanted) < 12:
        row = practice.own_session(turn.session, learner_id=turn.person_id,
                                   session_id=int(wanted))
        return [_card(turn, row) if row is not None else
                Reply(f"You have no session #{esc(wanted)}: <code>/sessions</code> lists them.")]
    groups = practice.sessions_by_coachee(coaching.sessions(turn.session,
                                                             learner_id=turn.person_id))
    if not groups:
        return [Reply(NO_SESSIONS)]
    if wanted:
        chosen = {n: g for n, g in groups.items() if n.casefold() == wanted.casefold()}
        if not chosen:
            return [Reply(f"No sessions with {esc(wanted)}. Your coachees: "
                          f"{esc(', '.join(groups))}.")]
        groups = chosen
    parts = []
    for name, group in groups.items():
        lines = [f"<b>{esc(name)}</b>: {len(group)} session(s), "
                 f"{coaching.hours(sum(s.minutes for s in group))}"]
        lines += [f"• #{s.id} {show_date(s.held_on)} {coaching.hours(s.minutes)}"
                  + (f" — goal: {esc(s.goal)}" if s.goal else "")
                  + (f"\n   outcome: {esc(s.outcome)}" if s.outcome and wanted else "")
                  for s in group]
        parts.append("\n".join(lines))
    return [Reply("\n\n".join(parts) + "\n\n<code>/sessions 12</code> opens session #12 to "
                  "edit it or ask for feedback.")]


# -- feedback links ------------------------------------------------------------------------------

def _feedback_link(turn: Turn, row: CoachingSession, role: str) -> Reply:
    token = practice.new_feedback_link(turn.session, row=row, role=role, now=turn.now)
    link = f"https://t.me/{turn.bot_username}?start={FEEDBACK_PREFIX}{token}"
    days = practice.LINK_VALID.days
    return Reply(f"Send this link to your {esc(role)}; it works once, for {days} days, and "
                 f"asks for feedback on session #{id_of(row)} ({show_date(row.held_on)}). "
                 f"They don't need to join anything.\n{esc(link)}",
                 ((Button(f"Open the {role}'s form", url=link),),))


@REGISTRY.command("feedback", "/feedback 12 supervisor", "a one-time link for a supervisor "
                  "or observer to give feedback on a session", section=TRACK)
def feedback(turn: Turn, args: str) -> list[Reply]:
    """/feedback SESSION [supervisor|observer|peer|coachee]."""
    number, _, role = args.strip().lstrip("#").partition(" ")
    role = role.strip().lower() or "supervisor"
    row = (practice.own_session(turn.session, learner_id=turn.person_id, session_id=int(number))
           if number.isdigit() and len(number) < 12 else None)
    if row is None or role not in practice.FEEDBACK_ROLES:
        return [Reply(f"Say which session (<code>/sessions</code> numbers them) and who gives "
                      f"the feedback ({', '.join(practice.FEEDBACK_ROLES)}), e.g. "
                      f"<code>/feedback 12 supervisor</code>.")]
    return [_feedback_link(turn, row, role)]


@REGISTRY.press(cb.FEEDBACK_LINK, where=Where.private)
def feedback_press(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """A session card's feedback-link buttons."""
    row = practice.own_session(turn.session, learner_id=turn.person_id,
                               session_id=pressed.number or 0)
    if row is None:
        return [Reply("", toast="That session no longer exists.")]
    return [_feedback_link(turn, row, pressed.verb or "supervisor")]


def open_feedback(turn: Turn, token: str) -> Reply:
    """/start fb_<token>: whoever opens the link sees the session and answers in one message."""
    try:
        request = practice.open_link(turn.session, token=token, opener=turn.sender.telegram_id,
                                     opener_id=turn.person_id, now=turn.now)
    except practice.LinkRefused as exc:
        return Reply(esc(exc))
    row = turn.session.get(CoachingSession, request.session_id)
    learner = turn.session.get(Person, request.learner_id)
    assert row is not None and learner is not None  # both cascade-delete the request
    _await(turn, f"feedback:{id_of(request)}")
    about = [f"{show_date(row.held_on)}, {coaching.hours(row.minutes)}"
             + (f" of {esc(row.kind)}" if row.kind else "")]
    about += [f"{LABELS[f]}: {esc(getattr(row, f))}" for f in ("goal", "model")
              if getattr(row, f)]
    return Reply(f"{esc(learner.name or 'A learner')} asks for your feedback, as their "
                 f"{esc(request.role)}, on a session they delivered:\n" + "\n".join(about)
                 + "\n\nReply with your feedback in one message: what went well, and what "
                   "they could do differently. You don't need to join or set anything up.")


DEEP_LINKS[FEEDBACK_PREFIX] = open_feedback


def _feedback_answer(turn: Turn, request_id: int, text: str) -> list[Reply]:
    request = turn.session.get(FeedbackRequest, request_id)
    _await(turn, None)
    if request is None:
        return [Reply("That feedback request no longer exists: the learner deleted it.")]
    try:  # still valid: not answered meanwhile, not expired
        practice.check(request, opener=turn.sender.telegram_id, now=turn.now)
    except practice.LinkRefused as exc:
        return [Reply(esc(exc))]
    practice.answer_link(turn.session, request=request, text=text,
                         name=turn.sender.name or turn.person.name, now=turn.now)
    learner = turn.session.get(Person, request.learner_id)
    assert learner is not None
    reminders.enqueue(turn.session, kind=ReminderKind.text, chat_id=learner.telegram_id,
                      text=f"💬 Your {request.role} answered your feedback link on session "
                           f"#{request.session_id}: /sessions {request.session_id} shows it.",
                      due_at=turn.now, learner_id=id_of(learner), same_day=True)
    return [Reply(f"Thank you: your feedback is with {esc(learner.name or 'the learner')}. "
                  f"The link is now used up.")]


# -- reflective journal --------------------------------------------------------------------------

def _reflect_prompt(turn: Turn, entry: Reflection) -> Reply:
    _await(turn, f"reflection:{id_of(entry)}")
    _field, title, question = practice.GIBBS[entry.stage]
    number = str(id_of(entry))
    return Reply(f"🪞 <b>{title}</b> (stage {entry.stage + 1} of {practice.FINISHED} of Gibbs' "
                 f"reflective cycle)\n{esc(question)}",
                 ((Button("Skip ⏭", cb.make(cb.REFLECT, "skip", number)),
                   Button("Stop ⏸", cb.make(cb.REFLECT, "stop", number))),))


def _reflection_next(turn: Turn, entry: Reflection) -> list[Reply]:
    if entry.stage < practice.FINISHED:
        return [_reflect_prompt(turn, entry)]
    _await(turn, None)
    text = practice.reflection_text(entry)
    if not text:
        return [Reply("Every stage skipped: nothing to keep. /reflect starts again.")]
    found = turn.retriever.search(text, qualification=turn.person.qualification,
                                  prefer=learners.enrolled_units(turn.session,
                                                                 learner_id=turn.person_id),
                                  k=3)
    hits = [h for h in found.hits if turn.catalogue.criterion(h.key) is not None]
    summary = f"🪞 <b>Reflection #{id_of(entry)} saved.</b>\n{esc(text)}"
    if not hits:
        return [Reply(summary + "\n\nNo AC of your qualification stood out for it; "
                      "<code>/portfolio</code> lists it all the same.")]
    lines = []
    for hit in hits:
        ac = turn.catalogue.criterion(hit.key)
        assert ac is not None
        lines.append(f"• <b>{esc(ac.key)}</b> {esc(ac.text)}")
    buttons = [Button(f"📎 {hit.key}", cb.make(cb.REFLECT, "ac", str(id_of(entry)),
                                              *hit.key.split(" "))) for hit in hits]
    return [Reply(summary + "\n\nIt may be evidence for:\n" + "\n".join(lines)
                  + "\nPress one to show it on that AC's checklist line.", rows(buttons, 3))]


@REGISTRY.command("reflect", "/reflect", "a reflective journal entry, one stage at a time "
                  "(or /reflect weekly friday 17:00)", section=TRACK)
def reflect(turn: Turn, args: str) -> list[Reply]:
    """/reflect: resume or start an entry; /reflect weekly DAY HH:MM (or off): a weekly prompt."""
    words = args.split()
    if words and words[0].lower() == "weekly":
        return [_weekly(turn, words[1:])]
    entry = practice.unfinished_reflection(turn.session, learner_id=turn.person_id)
    if entry is not None:
        return [Reply(f"Picking up reflection #{id_of(entry)}."), _reflect_prompt(turn, entry)]
    entry = practice.start_reflection(turn.session, learner_id=turn.person_id)
    return [Reply("A reflection in Gibbs' six stages: answer each in a message, skip any, and "
                  "stop whenever you like (/reflect resumes)."), _reflect_prompt(turn, entry)]


def _weekly(turn: Turn, words: list[str]) -> Reply:
    if words and words[0].lower() == "off":
        practice.set_weekly_prompt(turn.session, person=turn.person, weekday=None, at=None,
                                   now=turn.now)
        return Reply("Weekly reflection prompt off.")
    day = next((i for i, d in enumerate(WEEKDAYS)
                if words and len(words[0]) >= 3 and d.startswith(words[0].lower())), None)
    try:
        at, rest = parse_time(" ".join(words[1:])) if len(words) > 1 else (None, "")
    except DateError:
        at, rest = None, ""
    if day is None or at is None or rest:
        return Reply("Say the day and time, e.g. <code>/reflect weekly friday 17:00</code>, or "
                     "<code>/reflect weekly off</code>.")
    when = practice.set_weekly_prompt(turn.session, person=turn.person, weekday=day, at=at,
                                      now=turn.now)
    assert when is not None
    local = when.astimezone(zone(turn.person.timezone))
    return Reply(f"I'll prompt you to reflect every {WEEKDAYS[day].title()} at {at:%H:%M}; the "
                 f"first on {show_date(local.date())}.")


@REGISTRY.press(cb.REFLECT, where=Where.private)
def reflect_press(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """Skip or stop a stage; attach a finished reflection to a suggested AC; start one."""
    if pressed.verb == "new":
        return reflect(turn, "")
    entry = practice.own_reflection(turn.session, learner_id=turn.person_id,
                                    reflection_id=pressed.number or 0)
    if entry is None:
        return [Reply("", toast="That reflection no longer exists.")]
    if pressed.verb == "stop":
        _await(turn, None)
        return [Reply(f"Paused reflection #{id_of(entry)}: /reflect picks it up again.",
                      edit=True)]
    if pressed.verb == "skip":
        if entry.stage < practice.FINISHED:
            practice.answer_stage(turn.session, entry, None, now=turn.now)
        return _reflection_next(turn, entry)
    added = practice.attach(turn.session, row=entry, unit_code=pressed.unit or "",
                            ref=pressed.ref or "")
    return [Reply("", toast=f"Shown as evidence on {pressed.unit} {pressed.ref}" if added
                  else "Already evidence there")]


def weekly_prompt(turn: Turn) -> Reply:
    """The weekly prompt as the dispatcher sends it; the following week's is queued."""
    practice.schedule_weekly_prompt(turn.session, person=turn.person,
                                    now=turn.now + timedelta(minutes=1))
    return Reply(esc(practice.WEEKLY_TEXT),
                 ((Button("🪞 Reflect now", cb.make(cb.REFLECT, "new", "0")),),))


# -- exports ------------------------------------------------------------------------------------

def _stamp(turn: Turn) -> str:
    q = turn.catalogue.qualifications.get(turn.person.qualification or "")
    return (f"{turn.person.name or 'Learner'} · {q.title if q else 'qualification not chosen'}"
            f" · exported {show_date(_today(turn))} · coachees are named by pseudonym")


def _feedback_rows(turn: Turn, sessions: list[CoachingSession]) -> list[tuple[str, ...]]:
    """Every piece of feedback: supervision notes, what the learner noted, link answers."""
    by_id = {s.id: s for s in sessions}
    out: list[tuple[str, ...]] = []
    for s in sessions:
        if s.supervision:
            out.append((show_date(s.held_on), f"#{s.id}", "Supervision note", s.supervision))
        if s.feedback:
            out.append((show_date(s.held_on), f"#{s.id}", "Coachee/observer (noted)",
                        s.feedback))
    for answer in practice.feedback_on(turn.session, learner_id=turn.person_id):
        held = by_id[answer.session_id].held_on
        out.append((show_date(held), f"#{answer.session_id}",
                    f"{answer.role.title()}: {answer.answered_by}", answer.answer or ""))
    return out


def diary_document(turn: Turn) -> Document:
    """The coaching diary in the sections ILM's D5.03 assessment asks for (its own headings
    from the catalogue), filled from the sessions, feedback and reflections."""
    sessions = coaching.sessions(turn.session, learner_id=turn.person_id)
    unit = turn.catalogue.units[coaching.LOG_UNIT]
    assessment = unit.assessment
    assert assessment is not None and len(assessment.sections) >= 2
    first, second = assessment.sections[0], assessment.sections[1]
    by_coachee = practice.sessions_by_coachee(sessions)
    blocks: list[Heading | Paragraph | Table] = [
        Heading(f"{first.title} (ACs {', '.join(first.covers)})"),
        Heading("Goals agreed", 2),
        Table(("Coachee", "Session", "Goal"),
              tuple((name, f"#{s.id} {show_date(s.held_on)}", s.goal or "—")
                    for name, group in by_coachee.items() for s in group), (25, 25, 50)),
        Heading("Sessions planned and delivered", 2),
        Table(("#", "Date", "Coachee", "Type", "Duration", "Model"),
              tuple((str(s.id), show_date(s.held_on), s.coachee, s.kind or "—",
                     coaching.hours(s.minutes), s.model or "—") for s in sessions),
              (8, 22, 20, 15, 15, 20)),
        Heading("Hours", 2),
        Paragraph(_plain_hours(turn, sessions)),
        Table(("Coachee", "Sessions", "Hours"),
              tuple((name, str(len(g)), coaching.hours(sum(s.minutes for s in g)))
                    for name, g in by_coachee.items()), (50, 20, 30)),
        Heading("Progress reviews", 2),
        Table(("Date", "Coachee", "What happened and the outcome"),
              tuple((show_date(s.held_on), s.coachee, s.outcome or "—") for s in sessions),
              (22, 18, 60)),
        Heading(f"{second.title} (ACs {', '.join(second.covers)})"),
        Heading("Supervisor and peer feedback", 2),
        Table(("Date", "Session", "From", "Feedback"), tuple(_feedback_rows(turn, sessions)),
              (20, 10, 25, 45)),
        Heading("Reflection", 2),
    ]
    entries = practice.reflections(turn.session, learner_id=turn.person_id)
    blocks += [Paragraph(f"Reflection #{r.id} ({_local_date(turn, r.created_at)})\n"
                         f"{practice.reflection_text(r)}") for r in entries
               if practice.reflection_text(r)] or [Paragraph("No reflections yet.")]
    return Document(assessment.title, _stamp(turn), tuple(blocks))


def _plain_hours(turn: Turn, sessions: list[CoachingSession]) -> str:
    total = sum(s.minutes for s in sessions)
    required = coaching.hours_required(turn.catalogue)
    return (f"{coaching.hours(total)} delivered in {len(sessions)} session(s), of the "
            f"{required} hours ILM {coaching.LOG_UNIT} requires.")


def sessions_csv(sessions: list[CoachingSession]) -> bytes:
    """One row per session, every field."""
    out = io.StringIO()
    writer = csv.writer(out)
    fields = ("held_on", "minutes", "coachee", "kind", "goal", "model", "outcome", "feedback",
              "supervision", "notes")
    writer.writerow(("session", *fields))
    for s in sessions:
        writer.writerow((s.id, *(cell(str(getattr(s, f) or "")) for f in fields)))
    return out.getvalue().encode()


@REGISTRY.command("diary", "/diary", "your coaching diary (.docx, .pdf) and sessions (.csv)",
                  section=TRACK)
def diary(turn: Turn, args: str) -> list[Reply]:
    """/diary: the ILM coaching diary as Word and PDF, and the sessions as CSV."""
    sessions = coaching.sessions(turn.session, learner_id=turn.person_id)
    if not sessions:
        return [Reply(f"No diary yet. {NO_SESSIONS}")]
    doc = diary_document(turn)
    return [Reply(f"Your coaching diary: {len(sessions)} session(s), in the sections of the "
                  f"ILM {coaching.LOG_UNIT} assessment.",
                  attachment=Attachment("coaching-diary.docx", to_docx(doc))),
            Reply("", attachment=Attachment("coaching-diary.pdf", to_pdf(doc))),
            Reply("", attachment=Attachment("coaching-sessions.csv", sessions_csv(sessions)))]


STATE_NAMES = {AcState.not_started: "not started", AcState.drafting: "drafting",
               AcState.done: "done", AcState.signed_off: "signed off"}


def portfolio_document(turn: Turn, units: tuple[str, ...]) -> Document:
    """AC × evidence: each AC of each unit with its status, notes and links, sign-off and the
    reflections used as evidence on it."""
    blocks: list[Heading | Paragraph | Table] = []
    evidence = practice.evidence(turn.session, learner_id=turn.person_id)
    for code in units:
        unit = turn.catalogue.units[code]
        states = learners.ac_states(turn.session, learner_id=turn.person_id, unit_code=code)
        notes = learners.ac_notes(turn.session, learner_id=turn.person_id, unit_code=code)
        blocks.append(Heading(f"{unit.code} {unit.title}"))
        blocks.append(Table(
            ("AC", "Criterion", "Status", "Notes and links", "Sign-off", "Reflections"),
            tuple((ac.ref, ac.text, STATE_NAMES[states.get(ac.ref, AcState.not_started)],
                   notes.get(ac.ref, ""),
                   "signed off by tutor" if states.get(ac.ref) == AcState.signed_off else "",
                   "; ".join(f"#{r.id} {_local_date(turn, r.created_at)}"
                             for r in evidence.get(ac.key, [])))
                  for ac in unit.criteria), (7, 38, 12, 18, 12, 13)))
    return Document("Portfolio: assessment criteria and evidence", _stamp(turn), tuple(blocks))


@REGISTRY.command("portfolio", "/portfolio", "an AC × evidence matrix of your units (.docx, "
                  ".pdf)", section=TRACK)
def portfolio(turn: Turn, args: str) -> list[Reply]:
    """/portfolio: every AC of your units with status, notes, links, sign-offs, reflections."""
    units = learners.enrolled_units(turn.session, learner_id=turn.person_id)
    if not units:
        return [Reply("Choose your qualification and units with /start first: the portfolio "
                      "lists their ACs.")]
    doc = portfolio_document(turn, units)
    return [Reply(f"Your portfolio: {len(units)} unit(s), every AC with its evidence.",
                  attachment=Attachment("portfolio.docx", to_docx(doc))),
            Reply("", attachment=Attachment("portfolio.pdf", to_pdf(doc)))]


def practice_columns(turn: Turn, learner_ids: list[int]) -> dict[int, tuple[str, date | None]]:
    """What a tutor sees of each learner's practice: hours and the last session's date, never
    what was said in it."""
    return {i: (coaching.hours(minutes), last)
            for i, (minutes, last) in practice.practice_summary(
                turn.session, learner_ids=learner_ids).items()}

