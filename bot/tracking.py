"""Learner tracking commands: checklist, progress, PDP reviews, time zone, quiet hours, unit
targets, coaching log, calendar, data export and deletion. Each takes the turn and the
command's arguments and returns replies; nothing here knows about Telegram."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from bot import callbacks as cb
from bot import coaching, learners, mydata, pdp
from bot.dates import DateError, local_today, parse_date, show_date, zone
from bot.messages import Attachment, Button, Reply, esc
from bot.models import AcState, UnitTarget
from bot.progress import BEHIND_POINTS, bar, rule_status, unit_progress
from bot.render import STATE_MARK, rows, unit_heading
from bot.turn import Turn
from sqlmodel import select

from content.catalogue import Unit
from content.refs import parse_reference

# The checklist cycles through these; "signed off" is the tutor's to give.
NEXT_STATE = {AcState.not_started: AcState.drafting, AcState.drafting: AcState.done,
              AcState.done: AcState.not_started}
PDP_EXAMPLE = ("For example <code>/pdp add 2026-12-15 Review with line manager</code>, "
               "<code>/pdp add 15 Dec Review</code>, <code>/pdp add next Friday Review</code> or "
               "<code>/pdp add in 3 weeks Review every 8 weeks</code>.")
# "/note 5015 2.3 text": the reference at the start, before the note itself.
_NOTE_START = re.compile(r"^\s*(?:unit\s*)?(?:ILM\s*)?[\w.]+\s+(?:ac\s*)?\d{1,2}\.\d{1,2}\s*",
                         re.IGNORECASE)
PRIVATE_ONLY = Reply("That is private: message me directly and I'll show you there.")


def private_only(command: Callable[[Turn, str], list[Reply]]) -> Callable[[Turn, str], list[Reply]]:
    """Commands that show or change one learner's own records answer only in private."""
    def guarded(turn: Turn, args: str) -> list[Reply]:
        return command(turn, args) if turn.sender.private else [PRIVATE_ONLY]
    guarded.__doc__ = command.__doc__
    return guarded


def _states(turn: Turn, unit: Unit) -> dict[str, AcState]:
    return learners.ac_states(turn.session, learner_id=turn.learner_id, unit_code=unit.code)


def _today(turn: Turn) -> date:
    return local_today(turn.now, zone(turn.learner.timezone))


# -- checklist and progress -------------------------------------------------------------------

def render_checklist(turn: Turn, unit: Unit, *, edit: bool = False) -> Reply:
    states = _states(turn, unit)
    notes = learners.ac_notes(turn.session, learner_id=turn.learner_id, unit_code=unit.code)
    lines = [f"<b>Checklist · {unit_heading(unit)}</b>",
             "⬜ not started · ✏️ drafting · ✅ done · 🎓 signed off by your tutor"]
    for lo in unit.learning_outcomes:
        acs = "\n".join(f"{STATE_MARK[states.get(ac.ref, AcState.not_started)]} "
                        f"{esc(ac.ref)} {esc(ac.text)}"
                        + (f"\n    📝 {esc(notes[ac.ref])}" if ac.ref in notes else "")
                        for ac in lo.criteria)
        lines.append(f"<b>LO {esc(lo.number)}</b>\n{acs}")
    buttons = [Button(f"{STATE_MARK[states.get(ac.ref, AcState.not_started)]} {ac.ref}",
                      cb.make(cb.CYCLE, unit.code, ac.ref)) for ac in unit.criteria]
    return Reply("\n\n".join(lines), rows(buttons, 4), edit=edit)


@private_only
def checklist(turn: Turn, args: str) -> list[Reply]:
    """/checklist [unit]: the unit's ACs with their status; buttons cycle the status."""
    unit = turn.catalogue.unit(args.split()[0]) if args else (
        turn.catalogue.units.get(turn.learner.last_unit or ""))
    if unit is None and args:
        return [Reply(f"There is no unit {esc(args[:40])}. The units are: "
                      f"{esc(', '.join(turn.catalogue.units))}.")]
    if unit is None:
        mine = learners.enrolled_units(turn.session, learner_id=turn.learner_id)
        choices = mine or tuple(turn.catalogue.units)
        return [Reply("Which unit's checklist? For example <code>/checklist 5015</code>.",
                      rows([Button(c, cb.make(cb.UNIT, c)) for c in choices], 4))]
    learners.remember_unit(turn.session, learner=turn.learner, unit_code=unit.code)
    return [render_checklist(turn, unit)]


def cycle(turn: Turn, unit_code: str, ref: str) -> list[Reply]:
    """A checklist button: the AC's next status, and the checklist edited in place."""
    if not turn.sender.private:
        return [Reply("", toast="Use your checklist in a private chat with me.")]
    current = learners.ac_state(turn.session, learner_id=turn.learner_id, unit_code=unit_code,
                                ref=ref)
    if current == AcState.signed_off:
        return [Reply("", toast="Your tutor signed this AC off; it stays done.")]
    learners.set_ac_state(turn.session, learner_id=turn.learner_id, unit_code=unit_code,
                          ref=ref, state=NEXT_STATE[current])
    reply = render_checklist(turn, turn.catalogue.units[unit_code], edit=True)
    label = NEXT_STATE[current].value.replace("_", " ")
    return [Reply(reply.html, reply.buttons, edit=True, toast=f"{unit_code} {ref}: {label}")]


@private_only
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
    learners.set_ac_note(turn.session, learner_id=turn.learner_id,
                         unit_code=reference.unit_code, ref=reference.ref,
                         note=None if link else text, evidence_url=link)
    kind = "Evidence link" if link else "Note"
    return [Reply(f"{kind} saved on {esc(reference.unit_code)} {esc(reference.ref)}.")]


@private_only
def progress(turn: Turn, args: str) -> list[Reply]:
    """/progress: ACs done per unit, credits against the rule, on track for targets."""
    codes = learners.enrolled_units(turn.session, learner_id=turn.learner_id) or \
        learners.units_with_status(turn.session, learner_id=turn.learner_id)
    if not codes:
        return [Reply("Nothing to show yet: choose your units with /start, or tick ACs on a "
                      "/checklist.")]
    targets = {t.unit_code: t for t in turn.session.exec(
        select(UnitTarget).where(UnitTarget.learner_id == turn.learner_id))}
    today = _today(turn)
    report = [unit_progress(turn.catalogue.units[c], _states(turn, turn.catalogue.units[c]),
                            targets.get(c), today) for c in codes]
    lines = ["<b>Your progress</b>"]
    for p in report:
        line = f"<code>{bar(p.done, p.total)}</code> {esc(p.unit.code)} {p.done}/{p.total} ACs"
        if p.target is not None and p.behind_points is not None:
            state = (f"⚠️ {p.behind_points:.0f} points behind" if p.off_track else "on track")
            line += f"\n   target {show_date(p.target.target_on)}: {state}"
        lines.append(line)
    status = rule_status(turn.catalogue, turn.learner.qualification, report)
    if status is not None:
        q = turn.catalogue.qualifications[status.qualification]
        verdict = "rule of combination met ✅" if status.met else esc("; ".join(status.missing))
        lines.append(f"<b>{esc(q.short)}</b>: {status.credits} of {status.min_credits} credits "
                     f"from completed units. {esc(status.summary())}.\n{verdict}")
    if any(p.target for p in report):
        lines.append(f"<i>Behind means the share of time gone to your target is {BEHIND_POINTS} "
                     f"or more points ahead of the share of ACs done.</i>")
    return [Reply("\n\n".join(lines))]


@private_only
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
    learners.set_target(turn.session, learner_id=turn.learner_id, unit_code=unit.code,
                        started_on=_today(turn), target_on=when)
    return [Reply(f"Target for {esc(unit.code)}: {show_date(when)}. /progress shows whether you "
                  f"are on track.")]


# -- PDP reviews --------------------------------------------------------------------------------

def review_buttons(review_id: int) -> tuple[tuple[Button, ...], ...]:
    """On a review and on each of its reminders: done, snooze a day, move the date."""
    return ((Button("✅ Done", cb.make(cb.PDP, "done", str(review_id))),
             Button("⏰ Snooze a day", cb.make(cb.PDP, "snooze", str(review_id))),
             Button("📆 Move date", cb.make(cb.PDP, "move", str(review_id)))),)


@private_only
def pdp_command(turn: Turn, args: str) -> list[Reply]:
    """/pdp, /pdp add DATE TITLE [every N weeks], /pdp move ID DATE."""
    verb, _, rest = args.partition(" ")
    if verb.lower() == "add":
        return _pdp_add(turn, rest)
    if verb.lower() == "move":
        return _pdp_move(turn, rest)
    if args:
        return [Reply(f"I can list, add or move reviews. {PDP_EXAMPLE}")]
    reviews = pdp.open_reviews(turn.session, learner_id=turn.learner_id)
    if not reviews:
        return [Reply(f"No PDP review dates yet. {PDP_EXAMPLE}")]
    replies = []
    for review in reviews:
        every = f", every {review.every_weeks} weeks" if review.every_weeks else ""
        replies.append(Reply(f"📅 <b>{show_date(review.due_on)}</b>: {esc(review.title)}{every} "
                             f"(#{review.id})", review_buttons(review.id)))  # type: ignore[arg-type]
    return replies


def _pdp_add(turn: Turn, text: str) -> list[Reply]:
    try:
        parsed = parse_date(text, _today(turn))
    except DateError as exc:
        return [Reply(f"{esc(exc)} {PDP_EXAMPLE}")]
    if parsed.day < _today(turn):
        return [Reply(f"{show_date(parsed.day)} is in the past. {PDP_EXAMPLE}")]
    title, every = pdp.split_recurrence(parsed.rest)
    review = pdp.add_review(turn.session, learner=turn.learner, title=title, due_on=parsed.day,
                            every_weeks=every, now=turn.now)
    reminders = pdp.pending_reminders(turn.session, review_id=review.id)  # type: ignore[arg-type]
    when = ", ".join(show_date(r.due_at.astimezone(zone(turn.learner.timezone)).date())
                     for r in reminders) or "none left before the date"
    every_text = f", then every {every} weeks" if every else ""
    return [Reply(f"Added: <b>{show_date(review.due_on)}</b> {esc(review.title)}{every_text}.\n"
                  f"I'll remind you at 09:00 ({esc(turn.learner.timezone)}) on: {when}.",
                  review_buttons(review.id))]  # type: ignore[arg-type]


def _pdp_move(turn: Turn, text: str) -> list[Reply]:
    number, _, when = text.strip().lstrip("#").partition(" ")
    review = (pdp.own_review(turn.session, learner_id=turn.learner_id, review_id=int(number))
              if number.isdigit() and len(number) < 12 else None)
    if review is None:
        return [Reply("Which review? <code>/pdp</code> lists them with their numbers; then "
                      "<code>/pdp move 3 20 Jan</code>.")]
    try:
        day = parse_date(when, _today(turn)).day
    except DateError as exc:
        return [Reply(f"{esc(exc)} For example <code>/pdp move {review.id} 20 Jan</code>.")]
    if day < _today(turn):
        return [Reply(f"{show_date(day)} is in the past. For example "
                      f"<code>/pdp move {review.id} next Friday</code>.")]
    pdp.move(turn.session, learner=turn.learner, review=review, due_on=day, now=turn.now)
    return [Reply(f"Moved: <b>{show_date(day)}</b> {esc(review.title)}. Reminders rescheduled.")]


def pdp_press(turn: Turn, verb: str, review_id: int) -> list[Reply]:
    """The buttons on a review or its reminder."""
    review = pdp.own_review(turn.session, learner_id=turn.learner_id, review_id=review_id)
    if review is None or review.done_at is not None:
        return [Reply("", toast="That review is closed or no longer exists.")]
    if verb == "done":
        following = pdp.mark_done(turn.session, learner=turn.learner, review=review, now=turn.now)
        text = f"✅ Done: {esc(review.title)} ({show_date(review.due_on)})."
        if following is not None:
            text += f" Next review: <b>{show_date(following.due_on)}</b>."
        return [Reply(text, edit=True, toast="Marked done")]
    if verb == "snooze":
        pdp.snooze(turn.session, learner=turn.learner, review=review, now=turn.now)
        return [Reply("", toast="I'll remind you again in a day.")]
    return [Reply(f"Send the new date like this: <code>/pdp move {review.id} 20 Jan</code>")]


@private_only
def timezone(turn: Turn, args: str) -> list[Reply]:
    """/timezone Europe/London."""
    if not args:
        return [Reply(f"Your time zone is {esc(turn.learner.timezone)}. Change it with e.g. "
                      f"<code>/timezone Europe/Paris</code>.")]
    try:
        zone(args.strip())
    except DateError as exc:
        return [Reply(f"{esc(exc)} Use a name like <code>Europe/London</code> or "
                      f"<code>Asia/Dubai</code>.")]
    learners.set_timezone(turn.session, learner=turn.learner, name=args.strip(), now=turn.now)
    return [Reply(f"Time zone set to {esc(args.strip())}. Your reminders follow it.")]


@private_only
def quiet(turn: Turn, args: str) -> list[Reply]:
    """/quiet 22:00-07:00, or /quiet off."""
    if args.strip().lower() == "off":
        learners.set_quiet_hours(turn.session, learner=turn.learner, start=None, end=None)
        return [Reply("Quiet hours off.")]
    start, _, end = args.replace("–", "-").partition("-")
    try:
        start_t, end_t = (datetime.strptime(t.strip(), "%H:%M").time() for t in (start, end))
    except ValueError:
        return [Reply("Give quiet hours as <code>/quiet 22:00-07:00</code> (or "
                      "<code>/quiet off</code>). Only same-day PDP reminders are sent inside them.")]
    learners.set_quiet_hours(turn.session, learner=turn.learner, start=f"{start_t:%H:%M}",
                             end=f"{end_t:%H:%M}")
    return [Reply(f"Quiet hours {start_t:%H:%M}–{end_t:%H:%M}: only same-day reminders then.")]


# -- coaching log -------------------------------------------------------------------------------

@private_only
def log(turn: Turn, args: str) -> list[Reply]:
    """/log 90m Sam — goal setting session."""
    try:
        entry = coaching.parse_log(args)
    except coaching.LogError as exc:
        return [Reply(esc(exc))]
    coaching.log_session(turn.session, learner_id=turn.learner_id, entry=entry,
                         held_on=_today(turn))
    coachee = f" with {esc(entry.coachee)}" if entry.coachee else ""
    return [Reply(f"Logged {coaching.hours(entry.minutes)}{coachee}. {_total_line(turn)}")]


def _total_line(turn: Turn) -> str:
    required = turn.catalogue.units["D5.03"].delivery_hours_required or 12
    total = sum(s.minutes for s in coaching.sessions(turn.session, learner_id=turn.learner_id))
    left = max(required * 60 - total, 0)
    return (f"Total {coaching.hours(total)} of the {required} hours ILM D5.03 requires"
            + (f"; {coaching.hours(left)} to go." if left else " ✅"))


@private_only
def hours(turn: Turn, args: str) -> list[Reply]:
    """/hours: coaching delivered against the 12 hours D5.03 requires."""
    rows_ = coaching.sessions(turn.session, learner_id=turn.learner_id)
    if not rows_:
        return [Reply("No sessions logged yet. Log one with <code>/log 90m Sam — goal "
                      "setting</code>.")]
    recent = "\n".join(f"• {show_date(s.held_on)}: {coaching.hours(s.minutes)} "
                       f"{esc(s.coachee)}{' — ' + esc(s.notes) if s.notes else ''}"
                       for s in rows_[-10:])
    return [Reply(f"<b>Coaching log</b>\n{recent}\n\n{_total_line(turn)}")]


# -- your data ----------------------------------------------------------------------------------

@private_only
def calendar(turn: Turn, args: str) -> list[Reply]:
    """/calendar: the PDP review dates as an .ics file."""
    reviews = pdp.open_reviews(turn.session, learner_id=turn.learner_id)
    if not reviews:
        return [Reply(f"No PDP review dates to put in a calendar yet. {PDP_EXAMPLE}")]
    return [Reply(f"{len(reviews)} PDP review date(s) for your calendar.",
                  attachment=Attachment("pdp-reviews.ics",
                                        mydata.calendar_file(reviews, turn.now)))]


@private_only
def export(turn: Turn, args: str) -> list[Reply]:
    """/mydata: everything stored about you, as JSON."""
    return [Reply("Everything I store about you.",
                  attachment=Attachment("my-data.json", mydata.everything(turn.session,
                                                                          turn.learner)))]


@private_only
def forget_me(turn: Turn, args: str) -> list[Reply]:
    """/forgetme: asks first."""
    return [Reply("Delete everything I store about you (qualification, checklist, PDP reviews, "
                  "reminders, coaching log)? This cannot be undone.",
                  ((Button("Yes, delete everything", cb.make(cb.FORGET, "yes")),
                    Button("No, keep it", cb.make(cb.FORGET, "no"))),))]


def forget_press(turn: Turn, verb: str) -> list[Reply]:
    if not turn.sender.private:
        return [Reply("", toast="Only in a private chat with me.")]
    if verb == "no":
        return [Reply("Kept. Nothing was deleted.", edit=True)]
    mydata.forget(turn.session, turn.learner)
    return [Reply("Done: everything I stored about you is deleted. /start begins afresh.",
                  edit=True)]


COMMANDS: dict[str, Callable[[Turn, str], list[Reply]]] = {
    "checklist": checklist, "note": note, "progress": progress, "target": target, "pdp": pdp_command,
    "timezone": timezone, "quiet": quiet, "log": log, "hours": hours, "calendar": calendar,
    "mydata": export, "forgetme": forget_me,
}
