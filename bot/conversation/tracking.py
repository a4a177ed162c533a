"""Tracking: checklist, notes, progress, unit targets, PDP reviews, time zone, quiet hours,
calendar, data export and deletion (the coaching practice record is `practice`). Each command
takes the turn and its arguments, each button the turn and the press; all are declared in the
registry, and all show or change one learner's own records, so they work only in private
chats."""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.conversation import buttons as cb
from bot.conversation.registry import REGISTRY, Where
from bot.conversation.rendering import STATE_MARK, unit_heading
from bot.conversation.replies import Attachment, Button, Buttons, Reply, esc, rows
from bot.conversation.study import SIGNED_OFF
from bot.conversation.turn import Turn
from bot.services import cohorts, learners, pdp, people, personal_data, practice, progress
from bot.services.dates import (
    DateError,
    find_zones,
    local_today,
    parse_date,
    show_date,
    show_datetime,
    zone,
)
from bot.services.tables import AcState, Cohort, PdpReview, Person, id_of
from content.catalogue import Unit
from content.refs import parse_reference

TRACK = "Keep track"
MAX_ZONE_CHOICES = 6  # more than this: ask for more of the name rather than a wall of buttons

# The checklist cycles through these; "signed off" is the tutor's to give.
NEXT_STATE = {AcState.not_started: AcState.drafting, AcState.drafting: AcState.done,
              AcState.done: AcState.not_started,
              AcState.signed_off: AcState.signed_off}  # refused: learners.SignedOff
PDP_EXAMPLE = ("For example <code>/pdp add 2026-12-15 Review with line manager</code>, "
               "<code>/pdp add 15 Dec Review</code>, <code>/pdp add 15/1 Review</code>, "
               "<code>/pdp add friday week Review</code>, <code>/pdp add tomorrow Review</code> "
               "or <code>/pdp add in 3 weeks Review every 8 weeks</code>.")
WHICH_REVIEW = ("Which review? <code>/pdp</code> lists them with their numbers; then "
                "<code>/pdp {verb}</code>.")
SNOOZE_LABELS = {"hour": "In 1 hour", "evening": "This evening", "tomorrow": "Tomorrow",
                 "week": "Next week"}
# "/note 5015 2.3 text": the reference at the start, before the note itself.
_NOTE_START = re.compile(r"^\s*(?:unit\s*)?(?:ILM\s*)?[\w.]+\s+(?:ac\s*)?\d{1,2}\.\d{1,2}\s*",
                         re.IGNORECASE)


def _states(turn: Turn, unit: Unit) -> dict[str, AcState]:
    return learners.ac_states(turn.session, learner_id=turn.person_id, unit_code=unit.code)


def _today(turn: Turn) -> date:
    return local_today(turn.now, zone(turn.person.timezone))


# -- checklist and progress -------------------------------------------------------------------

def render_checklist(turn: Turn, unit: Unit, *, edit: bool = False) -> Reply:
    states = _states(turn, unit)
    notes = learners.ac_notes(turn.session, learner_id=turn.person_id, unit_code=unit.code)
    journal = practice.evidence(turn.session, learner_id=turn.person_id, unit_code=unit.code)
    lines = [f"<b>Checklist · {unit_heading(unit)}</b>",
             "⬜ not started · ✏️ drafting · ✅ done · 🎓 signed off by your tutor"]
    for lo in unit.learning_outcomes:
        acs = "\n".join(f"{STATE_MARK[states.get(ac.ref, AcState.not_started)]} "
                        f"{esc(ac.ref)} {esc(ac.text)}"
                        + (f"\n    📝 {esc(notes[ac.ref])}" if ac.ref in notes else "")
                        + "".join(f"\n    🪞 reflection #{r.id}, "
                                  f"{show_date(local_today(r.created_at, zone(turn.person.timezone)))}"
                                  for r in journal.get(ac.key, []))
                        for ac in lo.criteria)
        lines.append(f"<b>LO {esc(lo.number)}</b>\n{acs}")
    buttons = [Button(f"{STATE_MARK[states.get(ac.ref, AcState.not_started)]} {ac.ref}",
                      cb.make(cb.CYCLE, unit.code, ac.ref)) for ac in unit.criteria]
    return Reply("\n\n".join(lines), rows(buttons, 4), edit=edit)


def unit_buttons(turn: Turn, action: str) -> Buttons:
    """A button per unit of the learner's (every unit while they have none), each pressing
    `action` with its unit code: how any command asks which unit it is for."""
    mine = learners.enrolled_units(turn.session, learner_id=turn.person_id)
    return rows([Button(c, cb.make(action, c)) for c in mine or tuple(turn.catalogue.units)], 4)


@REGISTRY.command("checklist", "/checklist 5015", "tick off a unit's ACs",
                  section=TRACK)
def checklist(turn: Turn, args: str) -> list[Reply]:
    """/checklist [unit]: the unit's ACs with their status; buttons cycle the status."""
    unit = turn.catalogue.unit(args.split()[0]) if args else (
        turn.catalogue.units.get(turn.person.last_unit or ""))
    if unit is None and args:
        return [Reply(f"There is no unit {esc(args[:40])}. The units are: "
                      f"{esc(', '.join(turn.catalogue.units))}.")]
    if unit is None:
        return [Reply("Which unit's checklist? For example <code>/checklist 5015</code>.",
                      unit_buttons(turn, cb.UNIT))]
    learners.remember_unit(turn.session, learner=turn.person, unit_code=unit.code)
    return [render_checklist(turn, unit)]


@REGISTRY.press(cb.CYCLE, where=Where.private,
                elsewhere="Use your checklist in a private chat with me.")
def cycle(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """A checklist button: the AC's next status, and the checklist edited in place."""
    unit_code, ref = pressed.unit or "", pressed.ref or ""
    current = learners.ac_state(turn.session, learner_id=turn.person_id, unit_code=unit_code,
                                ref=ref)
    try:
        learners.change_own_state(turn.session, learner_id=turn.person_id,
                                  unit_code=unit_code, ref=ref, state=NEXT_STATE[current])
    except learners.SignedOff:
        return [Reply("", toast=SIGNED_OFF)]
    reply = render_checklist(turn, turn.catalogue.units[unit_code], edit=True)
    label = NEXT_STATE[current].value.replace("_", " ")
    return [Reply(reply.html, reply.buttons, edit=True, toast=f"{unit_code} {ref}: {label}")]


@REGISTRY.command("note", "/note 5015 2.3 TEXT or LINK", "a note or an evidence link on an AC",
                  section=TRACK)
def note(turn: Turn, args: str) -> list[Reply]:
    """/note 5015 2.3 TEXT or LINK: a note or evidence link on an AC of your checklist."""
    reference = parse_reference(args, turn.catalogue)
    if reference is None or not reference.ok or reference.unit_code is None:
        problem = reference.problem if reference is not None and reference.problem else ""
        return [Reply(f"{esc(problem)} Say the unit and AC, then the note or link, e.g. "
                      f"<code>/note 5015 2.3 draft in shared drive</code>.".strip())]
    text = _NOTE_START.sub("", args, count=1).strip()[:1000]
    if not text:
        return [Reply("What should the note say? e.g. <code>/note 5015 2.3 https://…</code>")]
    link = text if text.startswith(("https://", "http://")) and " " not in text else None
    learners.set_ac_note(turn.session, learner_id=turn.person_id,
                         unit_code=reference.unit_code, ref=reference.ref,
                         note=None if link else text, evidence_url=link)
    kind = "Evidence link" if link else "Note"
    return [Reply(f"{kind} saved on {esc(reference.unit_code)} {esc(reference.ref)}.")]


@REGISTRY.command("progress", "/progress", "progress per unit and towards your qualification",
                  section=TRACK)
def progress_command(turn: Turn, args: str) -> list[Reply]:
    """/progress: ACs done per unit, credits against the rule, on track for targets."""
    report = progress.learner_progress(turn.session, turn.catalogue, learner_id=turn.person_id,
                                       today=_today(turn))
    if not report:
        return [Reply("Nothing to show yet: choose your units with /start, or tick ACs on a "
                      "/checklist.")]
    lines = ["<b>Your progress</b>"]
    for p in report:
        line = (f"<code>{progress.bar(p.done, p.total)}</code> {esc(p.unit.code)} "
                f"{p.done}/{p.total} ACs")
        if p.target is not None and p.behind_points is not None:
            state = (f"⚠️ {p.behind_points:.0f} points behind" if p.off_track else "on track")
            line += f"\n   target {show_date(p.target.target_on)}: {state}"
        lines.append(line)
    status = progress.qualification_status(turn.session, turn.catalogue, turn.person)
    if status is not None:
        q = turn.catalogue.qualifications[status.qualification]
        verdict = "\nrule of combination met ✅" if status.met else ""
        lines.append(f"<b>{esc(q.short)}</b>: {status.credits} of {status.min_credits} credits "
                     f"from completed units. {esc(status.summary())}.{verdict}")
    if any(p.target for p in report):
        lines.append(f"<i>Behind means the share of time gone to your target is "
                     f"{progress.BEHIND_POINTS} "
                     f"or more points ahead of the share of ACs done.</i>")
    return [Reply("\n\n".join(lines))]


@REGISTRY.command("target", "/target 5015 31 Mar 2027", "a target date for a unit",
                  section=TRACK)
def target(turn: Turn, args: str) -> list[Reply]:
    """/target 5015 2027-03-31: when you mean to finish a unit."""
    parts = args.split(maxsplit=1)
    unit = turn.catalogue.unit(parts[0]) if parts else None
    if unit is None or len(parts) < 2:
        return [Reply("Say which unit and by when, e.g. <code>/target 5015 31 Mar 2027</code>.")]
    try:
        when = parse_date(parts[1], _today(turn)).day
    except DateError as exc:
        return [Reply(f"{esc(exc)} For example <code>/target 5015 2027-03-31</code>.")]
    if when <= _today(turn):
        return [Reply("A target needs to be in the future, e.g. <code>/target 5015 in 2 months</code>.")]
    learners.set_target(turn.session, learner_id=turn.person_id, unit_code=unit.code,
                        started_on=_today(turn), target_on=when)
    return [Reply(f"Target for {esc(unit.code)}: {show_date(when)}. /progress shows whether you "
                  f"are on track.")]


# -- PDP reviews --------------------------------------------------------------------------------

def review_buttons(review_id: int) -> Buttons:
    """On a review and on each of its reminders: done, snooze (its choices follow), move the
    date."""
    return ((Button("✅ Done", cb.make(cb.PDP, "done", str(review_id))),
             Button("⏰ Snooze", cb.make(cb.PDP, "snooze", str(review_id))),
             Button("📆 Move date", cb.make(cb.PDP, "move", str(review_id)))),)


@REGISTRY.command("pdp", "/pdp add 15 Dec Review with line manager every 8 weeks", "PDP review dates and their reminders",
                  section=TRACK)
def pdp_command(turn: Turn, args: str) -> list[Reply]:
    """/pdp, /pdp add DATE TITLE [every N weeks], /pdp move ID DATE, /pdp delete ID."""
    verb, _, rest = args.partition(" ")
    if verb.lower() == "add":
        return _pdp_add(turn, rest)
    if verb.lower() == "move":
        return _pdp_move(turn, rest)
    if verb.lower() == "delete":
        return _pdp_delete(turn, rest)
    if args:
        return [Reply(f"I can list, add, move or delete reviews. {PDP_EXAMPLE}")]
    reviews = pdp.open_reviews(turn.session, learner_id=turn.person_id)
    if not reviews:
        return [Reply(f"No PDP review dates yet. {PDP_EXAMPLE}")]
    replies = []
    for review in reviews:
        every = f", every {review.every_weeks} weeks" if review.every_weeks else ""
        replies.append(Reply(f"📅 <b>{show_date(review.due_on)}</b>: {esc(review.title)}{every} "
                             f"(#{review.id})", review_buttons(id_of(review))))
    return replies


def _pdp_add(turn: Turn, text: str) -> list[Reply]:
    try:
        parsed = parse_date(text, _today(turn))
    except DateError as exc:
        return [Reply(f"{esc(exc)} {PDP_EXAMPLE}")]
    if parsed.day < _today(turn):
        return [Reply(f"{show_date(parsed.day)} is in the past. {PDP_EXAMPLE}")]
    title, every = pdp.split_recurrence(parsed.rest)
    review = pdp.add_review(turn.session, learner=turn.person, title=title, due_on=parsed.day,
                            every_weeks=every, now=turn.now)
    reminders = pdp.pending_reminders(turn.session, review_id=id_of(review))
    when = ", ".join(show_date(r.due_at.astimezone(zone(turn.person.timezone)).date())
                     for r in reminders) or "none left before the date"
    every_text = f", then every {every} weeks" if every else ""
    return [Reply(f"Added: <b>{show_date(review.due_on)}</b> {esc(review.title)}{every_text}.\n"
                  f"I'll remind you at 09:00 ({esc(turn.person.timezone)}) on: {when}.",
                  review_buttons(id_of(review)))]


def _numbered_review(turn: Turn, number: str) -> PdpReview | None:
    """The learner's own open review by the number /pdp shows ("10" or "#10"); None for any
    other number, someone else's review or a closed one."""
    review_id = cb.database_id(number.lstrip("#"))
    review = (pdp.own_review(turn.session, learner_id=turn.person_id, review_id=review_id)
              if review_id is not None else None)
    return review if review is not None and review.done_at is None else None


def _pdp_delete(turn: Turn, text: str) -> list[Reply]:
    """Asks first: a deleted review takes its reminders with it."""
    review = _numbered_review(turn, text.strip())
    if review is None:
        return [Reply(WHICH_REVIEW.format(verb="delete 3"))]
    number = str(id_of(review))
    return [Reply(f"Delete <b>{show_date(review.due_on)}</b> {esc(review.title)} (#{number}) "
                  f"and its reminders?",
                  ((Button("Yes, delete it", cb.make(cb.PDP, "drop", number)),
                    Button("No, keep it", cb.make(cb.PDP, "keep", number))),))]


def _pdp_move(turn: Turn, text: str) -> list[Reply]:
    number, _, when = text.strip().partition(" ")
    review = _numbered_review(turn, number)
    if review is None:
        return [Reply(WHICH_REVIEW.format(verb="move 3 20 Jan"))]
    try:
        day = parse_date(when, _today(turn)).day
    except DateError as exc:
        return [Reply(f"{esc(exc)} For example <code>/pdp move {review.id} 20 Jan</code>.")]
    if day < _today(turn):
        return [Reply(f"{show_date(day)} is in the past. For example "
                      f"<code>/pdp move {review.id} next Friday</code>.")]
    pdp.move(turn.session, learner=turn.person, review=review, due_on=day, now=turn.now)
    return [Reply(f"Moved: <b>{show_date(day)}</b> {esc(review.title)}. Reminders rescheduled.")]


@REGISTRY.press(cb.PDP, where=Where.private)
def pdp_press(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """The buttons on a review or its reminder: done, snooze and its choices, move the date,
    and /pdp delete's confirmation."""
    verb = pressed.verb
    review = pdp.own_review(turn.session, learner_id=turn.person_id,
                            review_id=pressed.number or 0)
    if review is None or review.done_at is not None:
        return [Reply("", toast="That review is closed or no longer exists.")]
    if verb == "done":
        following = pdp.mark_done(turn.session, learner=turn.person, review=review, now=turn.now)
        text = f"✅ Done: {esc(review.title)} ({show_date(review.due_on)})."
        if following is not None:
            text += f" Next review: <b>{show_date(following.due_on)}</b>."
        return [Reply(text, edit=True, toast="Marked done")]
    if verb == "snooze":
        return [Reply("", _snooze_buttons(turn, id_of(review)), edit=True, markup_only=True)]
    if verb == "later":
        return [_snooze(turn, review, pressed.name or "")]
    if verb == "drop":
        pdp.delete(turn.session, review=review)
        return [Reply(f"Deleted: {esc(review.title)} ({show_date(review.due_on)}) and its "
                      f"reminders.", edit=True)]
    if verb == "back":
        return [Reply("", review_buttons(id_of(review)), edit=True, markup_only=True)]
    if verb == "keep":
        return [Reply(f"Kept: <b>{show_date(review.due_on)}</b> {esc(review.title)}.",
                      review_buttons(id_of(review)), edit=True)]
    return [Reply(f"Send the new date like this: <code>/pdp move {review.id} 20 Jan</code>")]


def _snooze_buttons(turn: Turn, review_id: int) -> Buttons:
    """The snooze choices still ahead, each with when it would remind again, and a way back."""
    tz = zone(turn.person.timezone)
    choices = [Button(f"{SNOOZE_LABELS[key]} ({_when(turn, at)})",
                      cb.make(cb.PDP, "later", str(review_id), key))
               for key, at in pdp.snooze_times(turn.now, tz).items()]
    return (*rows(choices, 2), (Button("↩️ Back", cb.make(cb.PDP, "back", str(review_id))),))


def _when(turn: Turn, moment: datetime) -> str:
    """"18:00" today, else e.g. "Tue 09:00", in the learner's time zone."""
    local = moment.astimezone(zone(turn.person.timezone))
    return f"{local:%H:%M}" if local.date() == _today(turn) else f"{local:%a %H:%M}"


def _snooze(turn: Turn, review: PdpReview, choice: str) -> Reply:
    """Snooze to the choice pressed; one no longer ahead (this evening, pressed late) is
    refused and the choices are shown again."""
    at = pdp.snooze_times(turn.now, zone(turn.person.timezone)).get(choice)
    if at is None:
        return Reply("", _snooze_buttons(turn, id_of(review)), edit=True, markup_only=True,
                     toast="That time has passed: choose another.")
    pdp.snooze(turn.session, learner=turn.person, review=review, until=at)
    return Reply("", review_buttons(id_of(review)), edit=True, markup_only=True,
                 toast=f"I'll remind you again {show_datetime(at, zone(turn.person.timezone))}.")


CITY_WAIT = "timezone"  # Person.awaiting after /settings' "Type a city": the city comes next
TIMEZONE_HELP = ("Send a city or country, e.g. <code>/timezone London</code>, "
                 "<code>/timezone Dubai</code> or <code>/timezone Europe/Paris</code>.")


@REGISTRY.command("timezone", "/timezone London", "your time zone (a city, country or zone)",
                  section=TRACK)
def timezone(turn: Turn, args: str) -> list[Reply]:
    """/timezone London, /timezone UK or /timezone Europe/London; buttons when a name fits
    several zones."""
    if not args.strip():
        return [Reply(f"Your time zone is {esc(turn.person.timezone)}. {TIMEZONE_HELP}")]
    return [find_timezone(turn, args)]


def find_timezone(turn: Turn, text: str) -> Reply:
    """The zone a typed city, country or zone name stands for: set when one fits, a button
    each when a few do (/timezone, and the city typed in /settings)."""
    found = find_zones(text[:60])
    if len(found) == 1:
        return set_timezone(turn, found[0])
    if not found:
        return Reply(f"I don't know the time zone {esc(text.strip()[:40])}. {TIMEZONE_HELP}")
    if len(found) > MAX_ZONE_CHOICES:
        return Reply(f"{len(found)} time zones fit {esc(text.strip()[:40])}: say more of the "
                     f"city's name. {TIMEZONE_HELP}")
    return Reply("Which time zone do you mean?",
                 rows([Button(name, cb.make(cb.TIMEZONE, name)) for name in found], 2))


@REGISTRY.press(cb.TIMEZONE, where=Where.private)
def timezone_press(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """/timezone's choice when a name fitted several zones."""
    reply = set_timezone(turn, pressed.name or "")
    return [Reply(reply.html, edit=True)]


def set_timezone(turn: Turn, name: str) -> Reply:
    """Set the zone (`name`, a zone that exists) and say what time it is there."""
    people.set_timezone(turn.session, person=turn.person, name=name, now=turn.now)
    local = turn.now.astimezone(zone(name))
    return Reply(f"Time zone set to {esc(name)} (it is {local:%H:%M} there now). Your reminders "
                 f"follow it.")


@REGISTRY.command("quiet", "/quiet 22:00-07:00", "quiet hours for reminders",
                  section=TRACK)
def quiet(turn: Turn, args: str) -> list[Reply]:
    """/quiet 22:00-07:00, or /quiet off."""
    return [set_quiet(turn, args)]


def set_quiet(turn: Turn, text: str) -> Reply:
    """Quiet hours from "22:00-07:00" or "off" (/quiet, and the choices in /settings)."""
    if text.strip().lower() == "off":
        people.set_quiet_hours(turn.session, person=turn.person, start=None, end=None)
        return Reply("Quiet hours off.")
    start, _, end = text.replace("–", "-").partition("-")
    try:
        start_t, end_t = (datetime.strptime(t.strip(), "%H:%M").time() for t in (start, end))
    except ValueError:
        return Reply("Give quiet hours as <code>/quiet 22:00-07:00</code> (or "
                     "<code>/quiet off</code>). Only same-day PDP reminders are sent inside them.")
    if start_t == end_t:  # no end: every reminder would wait for ever
        return Reply(f"Quiet hours need an end different from their start ({start_t:%H:%M}): "
                     f"e.g. <code>/quiet 22:00-07:00</code>, or <code>/quiet off</code>.")
    people.set_quiet_hours(turn.session, person=turn.person, start=f"{start_t:%H:%M}",
                           end=f"{end_t:%H:%M}")
    return Reply(f"Quiet hours {start_t:%H:%M}–{end_t:%H:%M}: only same-day reminders then.")


def quiet_hours(person: Person) -> str:
    """A person's quiet hours as /settings shows them: "22:00–07:00" or "off"."""
    return f"{person.quiet_start}–{person.quiet_end}" if person.quiet_start else "off"


# -- your data ----------------------------------------------------------------------------------

@REGISTRY.command("calendar", "/calendar", "your PDP review dates as a calendar file",
                  section=TRACK)
def calendar(turn: Turn, args: str) -> list[Reply]:
    """/calendar: the PDP review dates as an .ics file."""
    reviews = pdp.open_reviews(turn.session, learner_id=turn.person_id)
    if not reviews:
        return [Reply(f"No PDP review dates to put in a calendar yet. {PDP_EXAMPLE}")]
    return [Reply(f"{len(reviews)} PDP review date(s) for your calendar.",
                  attachment=Attachment("pdp-reviews.ics",
                                        personal_data.calendar_file(reviews, turn.now)))]


@REGISTRY.command("mydata", "/mydata", "everything stored about you, as JSON",
                  section=TRACK)
def export(turn: Turn, args: str) -> list[Reply]:
    """/mydata: everything stored about you, as JSON."""
    return [Reply("Everything I store about you.",
                  attachment=Attachment("my-data.json", personal_data.everything(turn.session,
                                                                          turn.person)))]


@REGISTRY.command("forgetme", "/forgetme", "delete everything stored about you",
                  section=TRACK)
def forget_me(turn: Turn, args: str) -> list[Reply]:
    """/forgetme: asks first; a tutor who leads cohorts first chooses who takes them over."""
    led = cohorts.of_tutor(turn.session, tutor_id=turn.person_id)
    if led:
        return [_hand_over_first(turn, led)]
    return [Reply("Delete everything I store about you (qualification, checklist, PDP reviews, "
                  "reminders, coaching sessions, feedback, reflections)? This cannot be undone.",
                  ((Button("Yes, delete everything", cb.make(cb.FORGET, "yes")),
                    Button("No, keep it", cb.make(cb.FORGET, "no"))),))]


def _heirs(turn: Turn) -> list[Person]:
    """Who can take a leaving tutor's cohorts: the other tutors and admins I know."""
    staff = people.staff(turn.session, tutors=turn.tutors, admins=turn.admins)
    found = (people.by_telegram_id(turn.session, telegram_id) for telegram_id in sorted(staff)
             if telegram_id != turn.person.telegram_id)
    return [person for person in found if person is not None]


def _hand_over_first(turn: Turn, led: list[Cohort], *, edit: bool = False) -> Reply:
    """A tutor's cohorts hold other people's records: they go to another tutor, never away."""
    members = sum(len(cohorts.members(turn.session, cohort_id=id_of(c))) for c in led)
    what = (f"You lead {len(led)} cohort(s) ({esc(', '.join(c.name for c in led))}) with "
            f"{members} learner(s). Their memberships and reminders are theirs, so the cohorts "
            f"stay: ")
    heirs = _heirs(turn)
    if not heirs:
        return Reply(what + "no other tutor or admin has messaged me yet to take them over. Ask "
                     "your centre's admin to message me (or to /promote a tutor who has), then "
                     "send /forgetme again. Nothing was deleted.", edit=edit)
    choices = [Button(f"Hand over to {p.name[:40] or p.telegram_id}",
                      cb.make(cb.FORGET, "to", str(p.telegram_id))) for p in heirs[:8]]
    return Reply(what + "choose who takes them over (members, group link, invite link and "
                 "pending reminders go with them). Then everything I store about you is deleted. "
                 "This cannot be undone.",
                 (*rows(choices, 1), (Button("No, keep everything", cb.make(cb.FORGET, "no")),)),
                 edit=edit)


@REGISTRY.press(cb.FORGET, where=Where.private)
def forget_press(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """/forgetme's answer: delete everything (a tutor's cohorts handed over first), or keep
    it. A "yes" from before the tutor led cohorts asks again rather than deleting them."""
    if pressed.verb == "no":
        return [Reply("Kept. Nothing was deleted.", edit=True)]
    led = cohorts.of_tutor(turn.session, tutor_id=turn.person_id)
    handed = ""
    if pressed.verb == "to":
        heir = next((p for p in _heirs(turn) if p.telegram_id == pressed.member), None)
        if heir is None:
            return [Reply("", toast="They cannot take over your cohorts.")]
        if led:
            names = cohorts.hand_over(turn.session, led=led, heir=heir, leaving=turn.person.name,
                                      now=turn.now)
            handed = (f"{esc(', '.join(names))} now belong to {esc(heir.name)}, who is told, "
                      f"and ")
    elif led:
        return [_hand_over_first(turn, led, edit=True)]
    personal_data.forget(turn.session, turn.person)
    return [Reply(f"Done: {handed}everything I stored about you is deleted. /start begins "
                  f"afresh.", edit=True)]

