"""Tutor commands: cohorts, invite links, the linked group, pushed reminders, the cohort view,
report, sign-off, caseload, nudges, the weekly digest, and promoting tutors.

Every command here checks the caller first: learners are refused with a clear reply, and a
tutor only ever finds their own cohorts (another tutor's cohort is "not found")."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlmodel import select

from bot import callbacks as cb
from bot import cohorts, learners, pdp
from bot.charts import LearnerRow, heatmap_png, report_csv
from bot.dates import DateError, local_to_utc, local_today, parse_date, parse_time, show_date, \
    show_datetime, zone
from bot.messages import Attachment, Button, Reply, esc
from bot.models import AcState, Cohort, Learner, Push, PushTarget, Reminder, Role, UnitTarget
from bot.progress import unit_progress
from bot.render import rows
from bot.turn import Turn
from content.refs import parse_reference

TUTORS_ONLY = Reply("That command is for tutors. If you are one, ask your centre's admin to "
                    "add you.")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def tutors_only(command: Callable[[Turn, list[str]], list[Reply]]) -> Callable[[Turn, str], list[Reply]]:
    """Refuse learners; split the arguments like a shell (quoted names with spaces work)."""
    def guarded(turn: Turn, args: str) -> list[Reply]:
        if not turn.is_tutor:
            return [TUTORS_ONLY]
        try:
            words = shlex.split(args)
        except ValueError:
            return [Reply("A quote is not closed: put names with spaces in quotes, "
                          "e.g. <code>\"Spring 2027\"</code>.")]
        return command(turn, words)
    guarded.__doc__ = command.__doc__
    return guarded


def _cohort(turn: Turn, name: str | None) -> Cohort | Reply:
    """The caller's cohort by name, or a reply listing theirs."""
    found = cohorts.find(turn.session, tutor_id=turn.learner_id, name=name) if name else None
    if found is not None:
        return found
    mine = cohorts.of_tutor(turn.session, tutor_id=turn.learner_id)
    names = ", ".join(esc(c.name) for c in mine) or "none yet (create one with /newcohort)"
    what = f"You have no cohort called “{esc(name)}”." if name else "Which cohort?"
    return Reply(f"{what} Your cohorts: {names}.")


CohortCommand = Callable[[Turn, Cohort, list[str]], list[Reply]]


def cohort_command(*, whole_name: bool = False) -> Callable[[CohortCommand],
                                                             Callable[[Turn, str], list[Reply]]]:
    """A tutor command about one of the caller's cohorts, named by the first argument (the
    rest follow) or, with `whole_name`, by all of them (/cohort Spring 2027)."""
    def wrap(command: CohortCommand) -> Callable[[Turn, str], list[Reply]]:
        def resolved(turn: Turn, words: list[str]) -> list[Reply]:
            name = " ".join(words) if whole_name else (words[0] if words else "")
            found = _cohort(turn, name or None)
            if isinstance(found, Reply):
                return [found]
            return command(turn, found, [] if whole_name else words[1:])
        resolved.__doc__ = command.__doc__
        return tutors_only(resolved)
    return wrap


def _link_line(turn: Turn, cohort: Cohort) -> str:
    link = cohorts.invite_link(turn.bot_username, cohort)
    return (f"Invite link: {esc(link)}" if link
            else "The invite link is revoked: <code>/invite NAME rotate</code> makes a new one.")


@tutors_only
def new_cohort(turn: Turn, words: list[str]) -> list[Reply]:
    """/newcohort NAME [QUALIFICATION]: code (5C2V2), Ofqual number or short name."""
    if not words:
        return [Reply("Name the cohort, e.g. <code>/newcohort \"Spring 2027\" 7D2V2</code>.")]
    q, name = None, " ".join(words)
    for size in (3, 2, 1):  # the qualification is the last word(s): "7D2V2", "L7 Diploma"
        if len(words) > size and (q := turn.catalogue.qualification(" ".join(words[-size:]))):
            name = " ".join(words[:-size])
            break
    if q is None:
        if len(name.encode()) > 40:
            return [Reply("That name is long: keep it under 40 characters.")]
        buttons = [Button(f"{qd.short}: {qd.title}", cb.make(cb.NEW_COHORT, qd.code, name))
                   for qd in turn.catalogue.qualifications.values()]
        return [Reply(f"Which qualification is “{esc(name)}” for?", rows(buttons, 1))]
    return _create(turn, name, q.code)


def create_pressed(turn: Turn, qualification: str, name: str) -> list[Reply]:
    if not turn.is_tutor:
        return [Reply("", toast="That is for tutors.")]
    return [Reply(r.html, r.buttons, edit=True) for r in _create(turn, name, qualification)]


def _create(turn: Turn, name: str, qualification: str) -> list[Reply]:
    q = turn.catalogue.qualifications[qualification]
    try:
        cohort = cohorts.create(turn.session, tutor=turn.learner, name=name, qualification=q)
    except cohorts.CohortError as exc:
        return [Reply(esc(exc))]
    return [Reply(f"Cohort <b>{esc(cohort.name)}</b> for {esc(q.title)} created.\n"
                  f"{_link_line(turn, cohort)}\nShare it with your learners; "
                  f"in your group chat, add me and send <code>/link {esc(cohort.name)}</code>.")]


@tutors_only
def list_cohorts(turn: Turn, words: list[str]) -> list[Reply]:
    """/cohorts: yours, with member counts and invite links."""
    mine = cohorts.of_tutor(turn.session, tutor_id=turn.learner_id)
    if not mine:
        return [Reply("No cohorts yet: <code>/newcohort \"Spring 2027\" 7D2V2</code>.")]
    lines = [f"<b>{esc(c.name)}</b> ({esc(c.qualification)}): "
             f"{len(cohorts.members(turn.session, cohort_id=c.id))} members"  # type: ignore[arg-type]
             f"{', group linked' if c.group_chat_id else ''}\n{_link_line(turn, c)}" for c in mine]
    return [Reply("\n\n".join(lines))]


@cohort_command()
def invite(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/invite NAME [rotate|revoke]."""
    action = words[0].lower() if words else ""
    if action == "rotate":
        cohorts.rotate(turn.session, cohort=found)
        return [Reply(f"New invite link for {esc(found.name)}; the old one no longer works.\n"
                      f"{_link_line(turn, found)}")]
    if action == "revoke":
        cohorts.revoke(turn.session, cohort=found)
        return [Reply(f"Invite link for {esc(found.name)} revoked: nobody new can join.")]
    return [Reply(_link_line(turn, found))]


@cohort_command()
def remove(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/remove NAME MEMBER (@username, Telegram id or name)."""
    member = (cohorts.find_member(turn.session, cohort_id=found.id, who=" ".join(words))  # type: ignore[arg-type]
              if words else None)
    if member is None:
        return [Reply(f"Who? <code>/remove {esc(found.name)} @username</code> (see "
                      f"<code>/cohort {esc(found.name)}</code>).")]
    cohorts.remove(turn.session, cohort=found, learner=member)
    return [Reply(f"{esc(member.name)} is no longer in {esc(found.name)}.")]


@tutors_only
def link(turn: Turn, words: list[str]) -> list[Reply]:
    """/link NAME, in the group: links it to your cohort (you must be a group admin)."""
    if turn.sender.private or turn.sender.chat_id is None:
        return [Reply("Send /link in the cohort's group chat, after adding me there.")]
    if not turn.sender.chat_admin:
        return [Reply("Only a group administrator can link this group to a cohort.")]
    found = _cohort(turn, " ".join(words) if words else None)
    if isinstance(found, Reply):
        return [found]
    cohorts.link_group(turn.session, cohort=found, chat_id=turn.sender.chat_id)
    return [Reply(f"This group is now linked to <b>{esc(found.name)}</b>. I'll post the tutor's "
                  f"reminders here. Not in the cohort yet? Join privately:",
                  join_button(turn, found))]


def join_button(turn: Turn, cohort: Cohort) -> tuple[tuple[Button, ...], ...]:
    url = cohorts.invite_link(turn.bot_username, cohort)
    return ((Button("Join the cohort", url=url),),) if url else ()


def parse_when(text: str, now: datetime, tz_name: str) -> tuple[datetime, str]:
    """"now …", "2026-12-01 17:00 …", "friday 17:00 …", "in 2 days …": the moment (UTC) and
    the rest. A day without a time means 09:00 local."""
    if text.lower().startswith("now"):
        return now, text[3:].strip()
    tz = zone(tz_name)
    parsed = parse_date(text, local_today(now, tz))
    at, rest = parse_time(parsed.rest)
    when = local_to_utc(parsed.day, at or time(9), tz)
    if when < now:
        raise DateError(f"{show_datetime(when, tz)} has passed.")
    return when, rest


@cohort_command()
def remind(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/remind NAME WHEN TEXT: WHEN is now, a date and time, "friday 17:00", "in 2 days"."""
    example = (f"e.g. <code>/remind {esc(found.name)} friday 17:00 Assignment 1 due at "
               f"midnight</code> or <code>/remind {esc(found.name)} now Workshop moved to room 4</code>.")
    try:
        when, text = parse_when(" ".join(words), turn.now, turn.learner.timezone)
    except DateError as exc:
        return [Reply(f"{esc(exc)} {example}")]
    if not text:
        return [Reply(f"What should the reminder say? {example}")]
    push = cohorts.draft_push(turn.session, cohort=found, text=text, due_at=when)
    if found.group_chat_id is None:
        return [_scheduled(turn, push, PushTarget.members)]
    buttons = [Button(label, cb.make(cb.PUSH, target.value, str(push.id)))
               for label, target in (("Members privately", PushTarget.members),
                                     ("The group", PushTarget.group), ("Both", PushTarget.both))]
    return [Reply(f"Where should “{esc(text)}” go?", (tuple(buttons),))]


def push_pressed(turn: Turn, target: str, push_id: int) -> list[Reply]:
    push = _own_push(turn, push_id)
    if push is None or push.target is not None:
        return [Reply("", toast="That reminder is already scheduled or no longer exists.")]
    return [_scheduled(turn, push, PushTarget(target), edit=True)]


def _scheduled(turn: Turn, push: Push, target: PushTarget, *, edit: bool = False) -> Reply:
    try:
        count = cohorts.schedule_push(turn.session, push=push, target=target)
    except cohorts.CohortError as exc:
        return Reply(esc(exc), edit=edit)
    tz = zone(turn.learner.timezone)
    when = "now" if push.due_at <= turn.now else show_datetime(push.due_at, tz)
    return Reply(f"Scheduled for {when}: {count} message(s) ({target.value}). "
                 f"<code>/reminders</code> shows the delivery report.", edit=edit)


def _own_push(turn: Turn, push_id: int) -> Push | None:
    push = turn.session.get(Push, push_id)
    cohort = turn.session.get(Cohort, push.cohort_id) if push else None
    return push if cohort is not None and cohort.tutor_id == turn.learner_id else None


@tutors_only
def reminders(turn: Turn, words: list[str]) -> list[Reply]:
    """/reminders [NAME]: pushed reminders with delivery reports; pending ones can be cancelled."""
    if words:
        found = _cohort(turn, " ".join(words))
        if isinstance(found, Reply):
            return [found]
        mine = [found]
    else:
        mine = cohorts.of_tutor(turn.session, tutor_id=turn.learner_id)
    tz = zone(turn.learner.timezone)
    replies = []
    for cohort in mine:
        for push in cohorts.pushes(turn.session, cohort_id=cohort.id):  # type: ignore[arg-type]
            counts = cohorts.delivery(turn.session, push_id=push.id)  # type: ignore[arg-type]
            report = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing"
            state = " (cancelled)" if push.cancelled_at else ""
            buttons = (((Button("Cancel", cb.make(cb.CANCEL_PUSH, str(push.id))),),)
                       if counts.get("pending") and not push.cancelled_at else ())
            replies.append(Reply(f"<b>{esc(cohort.name)}</b> · {show_datetime(push.due_at, tz)}"
                                 f"{state}: {esc(push.text)}\n{report}", buttons))
    return replies or [Reply("No pushed reminders yet: <code>/remind NAME WHEN TEXT</code>.")]


def cancel_pressed(turn: Turn, push_id: int) -> list[Reply]:
    push = _own_push(turn, push_id)
    if push is None:
        return [Reply("", toast="That reminder no longer exists.")]
    count = cohorts.cancel_push(turn.session, push=push, now=turn.now)
    return [Reply(f"Cancelled: {esc(push.text)} ({count} not yet sent).", edit=True)]


def _learner_rows(turn: Turn, cohort: Cohort) -> tuple[list[LearnerRow], dict[str, int]]:
    q = turn.catalogue.qualifications[cohort.qualification]
    units = {c: len(turn.catalogue.units[c].criteria) for g in q.rule.groups for c in g.units}
    tz = zone(turn.learner.timezone)
    out = []
    members = cohorts.members(turn.session, cohort_id=cohort.id)  # type: ignore[arg-type]
    counts = learners.done_counts(turn.session, learner_ids=[m.id for m in members])  # type: ignore[misc]
    for member in members:
        done = {code: counts.get((member.id, code), 0) for code in units}  # type: ignore[arg-type]
        reviews = pdp.open_reviews(turn.session, learner_id=member.id)  # type: ignore[arg-type]
        out.append(LearnerRow(member.name or str(member.telegram_id), done,
                              show_date(member.last_active_at.astimezone(tz).date()),
                              show_date(reviews[0].due_on) if reviews else "none"))
    return out, units


@cohort_command(whole_name=True)
def cohort_view(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/cohort NAME: members with ACs done, last activity, next PDP review."""
    learner_rows, units = _learner_rows(turn, found)
    if not learner_rows:
        return [Reply(f"<b>{esc(found.name)}</b> has no members yet.\n{_link_line(turn, found)}")]
    total = sum(units.values())
    lines = [f"<b>{esc(found.name)}</b> · {esc(found.qualification)} · {len(learner_rows)} "
             f"members"]
    lines += [f"• <b>{esc(r.name)}</b>: {sum(r.done.values())}/{total} ACs; last active "
              f"{r.last_active}; next PDP review {r.next_review}" for r in learner_rows]
    return [Reply("\n".join(lines))]


@cohort_command(whole_name=True)
def report(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/report NAME: a chart (PNG) and a CSV, one row per learner."""
    learner_rows, units = _learner_rows(turn, found)
    title = f"{found.name}: ACs done per learner and unit"
    stem = "".join(ch if ch.isalnum() else "-" for ch in found.name).strip("-") or "cohort"
    return [Reply(f"Report for <b>{esc(found.name)}</b>: {len(learner_rows)} learners.",
                  attachment=Attachment(f"{stem}.png", heatmap_png(learner_rows, units, title),
                                        photo=True)),
            Reply("", attachment=Attachment(f"{stem}.csv", report_csv(learner_rows, units)))]


@cohort_command()
def sign_off(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/signoff NAME MEMBER UNIT AC: the learner sees it on their checklist and is told."""
    usage = f"e.g. <code>/signoff {esc(found.name)} @sam 5015 2.3</code>"
    member = (cohorts.find_member(turn.session, cohort_id=found.id, who=words[0])  # type: ignore[arg-type]
              if words else None)
    reference = parse_reference(" ".join(words[1:]), turn.catalogue) if len(words) > 1 else None
    if member is None or reference is None or not reference.ok or reference.unit_code is None:
        problem = esc(reference.problem) + " " if reference and reference.problem else ""
        return [Reply(f"{problem}Name a member, a unit and an AC, {usage}.")]
    learners.set_ac_state(turn.session, learner_id=member.id, unit_code=reference.unit_code,  # type: ignore[arg-type]
                          ref=reference.ref, state=AcState.signed_off)
    turn.session.add(Reminder(learner_id=member.id, chat_id=member.telegram_id, same_day=True,
                              due_at=turn.now,
                              text=f"🎓 Your tutor signed off {reference.unit_code} "
                                   f"{reference.ref}."))
    return [Reply(f"Signed off {esc(reference.unit_code)} {esc(reference.ref)} for "
                  f"{esc(member.name)}; they will be told.")]


def caseload_text(turn: Turn, quiet_days: int) -> str:
    """Across the tutor's cohorts: PDP reviews today, within 7 days, overdue; learners off
    track; learners quiet for `quiet_days` days."""
    tz = zone(turn.learner.timezone)
    today = local_today(turn.now, tz)
    due_today, this_week, overdue, off_track, quiet = [], [], [], [], []
    for cohort in cohorts.of_tutor(turn.session, tutor_id=turn.learner_id):
        for member in cohorts.members(turn.session, cohort_id=cohort.id):  # type: ignore[arg-type]
            who = f"{esc(member.name)} ({esc(cohort.name)})"
            for review in pdp.open_reviews(turn.session, learner_id=member.id):  # type: ignore[arg-type]
                line = f"{who}: {esc(review.title)}, {show_date(review.due_on)}"
                if review.due_on < today:
                    overdue.append(line)
                elif review.due_on == today:
                    due_today.append(line)
                elif review.due_on <= today + timedelta(days=7):
                    this_week.append(line)
            behind = _behind_units(turn, member, today)
            if behind:
                off_track.append(f"{who}: {', '.join(behind)}")
            if member.last_active_at < turn.now - timedelta(days=quiet_days):
                quiet.append(f"{who}: last active {show_date(member.last_active_at.astimezone(tz).date())}")
    sections = [("PDP reviews due today", due_today), ("Due in the next 7 days", this_week),
                ("Overdue PDP reviews", overdue), ("Off track", off_track),
                (f"Quiet for {quiet_days}+ days", quiet)]
    return "\n\n".join(f"<b>{title}</b>\n" + ("\n".join(f"• {line}" for line in lines) or "none")
                       for title, lines in sections)


def _behind_units(turn: Turn, member: Learner, today: date) -> list[str]:
    targets = turn.session.exec(select(UnitTarget).where(UnitTarget.learner_id == member.id))
    behind = []
    for target in targets:
        unit = turn.catalogue.units[target.unit_code]
        states = learners.ac_states(turn.session, learner_id=member.id, unit_code=unit.code)  # type: ignore[arg-type]
        if unit_progress(unit, states, target, today).off_track:
            behind.append(unit.code)
    return behind


@tutors_only
def today(turn: Turn, words: list[str]) -> list[Reply]:
    """/today: your caseload across cohorts."""
    return [Reply(caseload_text(turn, turn.quiet_days))]


@cohort_command()
def nudges(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/nudges NAME on|off: friendly nudges to learners who went quiet."""
    if not words or words[0].lower() not in ("on", "off"):
        state = "on" if found.nudges else "off"
        return [Reply(f"Nudges for {esc(found.name)} are {state}: "
                      f"<code>/nudges {esc(found.name)} off</code> turns them off.")]
    found.nudges = words[0].lower() == "on"
    turn.session.add(found)
    return [Reply(f"Nudges for {esc(found.name)} are {'on' if found.nudges else 'off'}.")]


@tutors_only
def digest(turn: Turn, words: list[str]) -> list[Reply]:
    """/digest monday 08:00 (or off): your /today, weekly."""
    if words and words[0].lower() == "off":
        learners.set_digest(turn.session, learner=turn.learner, weekday=None, at=None, now=turn.now)
        return [Reply("Weekly digest off.")]
    day = next((i for i, d in enumerate(WEEKDAYS) if words and d.startswith(words[0].lower()[:3])), None)
    try:
        at = datetime.strptime(words[1], "%H:%M").time() if len(words) > 1 else None
    except ValueError:
        at = None
    if day is None or at is None:
        return [Reply("Say the day and time, e.g. <code>/digest monday 08:00</code>, or "
                      "<code>/digest off</code>.")]
    when = learners.set_digest(turn.session, learner=turn.learner, weekday=day, at=at, now=turn.now)
    return [Reply(f"Weekly digest every {WEEKDAYS[day].title()} at {at:%H:%M}; the first on "
                  f"{show_datetime(when, zone(turn.learner.timezone))}.")]


def promote(turn: Turn, args: str) -> list[Reply]:
    """/promote TELEGRAM_ID: admins make a user a tutor."""
    if not turn.is_admin:
        return [Reply("That command is for admins.")]
    if not args.strip().isdigit() or len(args.strip()) > 15:
        return [Reply("Give the user's Telegram id, e.g. <code>/promote 123456789</code>; they "
                      "must have messaged me once.")]
    user = turn.session.exec(select(Learner).where(Learner.telegram_id == int(args))).first()
    if user is None:
        return [Reply("I don't know that user yet: ask them to send me /start first.")]
    user.role = Role.tutor
    turn.session.add(user)
    return [Reply(f"{esc(user.name)} is now a tutor.")]


COMMANDS: dict[str, Callable[[Turn, str], list[Reply]]] = {
    "newcohort": new_cohort, "cohorts": list_cohorts, "invite": invite, "remove": remove,
    "link": link, "remind": remind, "reminders": reminders, "cohort": cohort_view,
    "report": report, "signoff": sign_off, "today": today, "nudges": nudges, "digest": digest,
    "promote": promote,
}
