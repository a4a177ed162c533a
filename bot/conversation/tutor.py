"""Tutor commands: cohorts, invite links, the linked group, pushed reminders, the cohort view,
report, sign-off, caseload, nudges, the weekly digest, and (for admins) promoting tutors.

The registry refuses learners every command and button here before it runs; each command
then only ever finds the caller's own cohorts (another tutor's cohort is "not found")."""

from __future__ import annotations

import logging
import re
import shlex
from collections.abc import Callable
from datetime import datetime, time, timedelta

from sqlmodel import Session

from bot.conversation import buttons as cb
from bot.conversation.charts import LearnerRow, heatmap_pages, report_csv
from bot.conversation.practice import practice_columns
from bot.conversation.registry import REGISTRY, Where
from bot.conversation.replies import Attachment, Button, Buttons, Menu, MenuScope, Reply, esc, rows
from bot.conversation.turn import Turn
from bot.services import cohorts, learners, pdp, people, progress, reminders
from bot.services.dates import (
    DateError,
    local_to_utc,
    local_today,
    parse_date,
    parse_time,
    show_date,
    show_datetime,
    zone,
)
from bot.services.tables import (
    AcState,
    Cohort,
    Person,
    Push,
    PushTarget,
    ReminderKind,
    Role,
    id_of,
)
from content.refs import parse_reference

log = logging.getLogger(__name__)

TUTORS = "Tutors"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WordsCommand = Callable[[Turn, list[str]], list[Reply]]


def _split(args: str) -> list[str] | Reply:
    """The arguments split like a shell, so quoted names with spaces work."""
    try:
        return shlex.split(args)
    except ValueError:
        return Reply("A quote is not closed: put names with spaces in quotes, "
                     "e.g. <code>\"Spring 2027\"</code>.")


def words(command: WordsCommand) -> Callable[[Turn, str], list[Reply]]:
    """Split the arguments like a shell, so quoted names with spaces work."""
    def split(turn: Turn, args: str) -> list[Reply]:
        parts = _split(args)
        return [parts] if isinstance(parts, Reply) else command(turn, parts)
    split.__doc__ = command.__doc__
    return split


def _cohort(turn: Turn, name: str | None) -> Cohort | Reply:
    """The caller's cohort by name, or a reply listing theirs."""
    found = cohorts.find(turn.session, tutor_id=turn.person_id, name=name) if name else None
    if found is not None:
        return found
    mine = cohorts.of_tutor(turn.session, tutor_id=turn.person_id)
    names = ", ".join(esc(c.name) for c in mine) or "none yet (create one with /newcohort)"
    what = f"You have no cohort called “{esc(name)}”." if name else "Which cohort?"
    return Reply(f"{what} Your cohorts: {names}.")


OPENING_QUOTES = {'"': '"', "“": "”", "«": "»", "'": "'"}


def split_cohort_name(args: str, names: list[str]) -> tuple[str, str]:
    """The cohort name at the front and the rest exactly as typed (the tutor's text keeps its
    quotes, apostrophes, backslashes and line breaks). A quoted name is taken as quoted;
    otherwise the longest run of leading words that is one of `names` (any case), so
    "Spring 2027 now Drafts due" needs no quotes; failing that, the first word."""
    args = args.lstrip()
    close = OPENING_QUOTES.get(args[:1])
    if close is not None and (end := args.find(close, 1)) > 0:
        return args[1:end], args[end + 1:]
    known = {" ".join(name.split()).casefold() for name in names}
    ends = [m.end() for m in re.finditer(r"\S+", args)]
    end = next((e for e in reversed(ends) if " ".join(args[:e].split()).casefold() in known),
               ends[0] if ends else 0)
    rest = re.match(r"[ \t]*\n?", args[end:])
    assert rest is not None  # matches any text, the empty one included
    return " ".join(args[:end].split()), args[end + rest.end():]


def named_cohort(turn: Turn, args: str, *, whole_name: bool = False) -> tuple[Cohort, str] | Reply:
    """The caller's cohort named at the front of `args` (see `split_cohort_name`) and the rest
    as typed; with `whole_name` all of `args` is the name. The one way every tutor command
    finds its cohort."""
    mine = [c.name for c in cohorts.of_tutor(turn.session, tutor_id=turn.person_id)]
    name, rest = split_cohort_name(args, mine)
    if whole_name and rest.strip():
        name, rest = " ".join(args.split()), ""
    found = _cohort(turn, name or None)
    return found if isinstance(found, Reply) else (found, rest)


CohortCommand = Callable[[Turn, Cohort, list[str]], list[Reply]]


def cohort_command(*, whole_name: bool = False) -> Callable[[CohortCommand],
                                                             Callable[[Turn, str], list[Reply]]]:
    """A tutor command about one of the caller's cohorts, named at the front of the arguments
    (quoted, or unquoted with spaces: /signoff Spring 2027 @sam 5015 2.3) with the rest split
    like a shell, or, with `whole_name`, by all of them (/cohort Spring 2027)."""
    def wrap(command: CohortCommand) -> Callable[[Turn, str], list[Reply]]:
        def resolved(turn: Turn, args: str) -> list[Reply]:
            found = named_cohort(turn, args, whole_name=whole_name)
            if isinstance(found, Reply):
                return [found]
            parts = _split(found[1])
            return [parts] if isinstance(parts, Reply) else command(turn, found[0], parts)
        resolved.__doc__ = command.__doc__
        return resolved
    return wrap


def _link_line(turn: Turn, cohort: Cohort) -> str:
    link = cohorts.invite_link(turn.bot_username, cohort)
    return (f"Invite link: {esc(link)}" if link
            else "The invite link is revoked: <code>/invite NAME rotate</code> makes a new one.")


@REGISTRY.command("newcohort", '/newcohort "Spring 2027" 7D2V2', "create a cohort for a "
                  "qualification (code, Ofqual number or short name)", section=TUTORS,
                  audience=Role.tutor)
@words
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


@REGISTRY.press(cb.NEW_COHORT, where=Where.private, audience=Role.tutor)
def create_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """/newcohort's qualification chosen with a button."""
    return [Reply(r.html, r.buttons, edit=True)
            for r in _create(turn, pressed.name or "", pressed.qualification or "")]


def _create(turn: Turn, name: str, qualification: str) -> list[Reply]:
    q = turn.catalogue.qualifications[qualification]
    try:
        cohort = cohorts.create(turn.session, tutor=turn.person, name=name, qualification=q)
    except cohorts.CohortError as exc:
        return [Reply(esc(exc))]
    return [Reply(f"Cohort <b>{esc(cohort.name)}</b> for {esc(q.title)} created.\n"
                  f"{_link_line(turn, cohort)}\nShare it with your learners; "
                  f"in your group chat, add me and send <code>/link {esc(cohort.name)}</code>.")]


@REGISTRY.command("cohorts", "/cohorts", "your cohorts and invite links", section=TUTORS,
                  audience=Role.tutor)
@words
def list_cohorts(turn: Turn, words: list[str]) -> list[Reply]:
    """/cohorts: yours, with member counts and invite links."""
    mine = cohorts.of_tutor(turn.session, tutor_id=turn.person_id)
    if not mine:
        return [Reply("No cohorts yet: <code>/newcohort \"Spring 2027\" 7D2V2</code>.")]
    lines = [f"<b>{esc(c.name)}</b> ({esc(c.qualification)}): "
             f"{len(cohorts.members(turn.session, cohort_id=id_of(c)))} members"
             f"{', group linked' if c.group_chat_id else ''}\n{_link_line(turn, c)}" for c in mine]
    return [Reply("\n\n".join(lines))]


@REGISTRY.command("invite", "/invite NAME [rotate|revoke]", "a cohort's invite link: shown, "
                  "replaced or revoked", section=TUTORS, audience=Role.tutor)
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


@REGISTRY.command("remove", "/remove NAME @member", "take a learner out of a cohort",
                  section=TUTORS, audience=Role.tutor)
@cohort_command()
def remove(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/remove NAME MEMBER (Telegram id, @username or name)."""
    candidates = (cohorts.find_members(turn.session, cohort_id=id_of(found), who=" ".join(words))
                  if words else [])
    if len(candidates) != 1:
        return [_which_member(turn, found, candidates, f"/remove {found.name} @username",
                              lambda m: cb.make(cb.REMOVE, str(found.id), str(m.telegram_id)))]
    return [_removed(turn, found, candidates[0])]


def _removed(turn: Turn, found: Cohort, member: Person, *, edit: bool = False) -> Reply:
    cancelled = cohorts.remove(turn.session, cohort=found, learner=member)
    waiting = f" {cancelled} pushed reminder(s) still waiting for them are cancelled." \
        if cancelled else ""
    return Reply(f"{esc(member.name)} is no longer in {esc(found.name)}.{waiting}", edit=edit)


def _which_member(turn: Turn, found: Cohort, candidates: list[Person], usage: str,
                  payload: Callable[[Person], str]) -> Reply:
    """No member, or several, fit what the tutor typed: say so, and with several ask which
    one with a button each (name, @username and Telegram id tell them apart)."""
    if not candidates:
        return Reply(f"No member of {esc(found.name)} is called that. Name them by Telegram "
                     f"id, @username or name, e.g. <code>{esc(usage)}</code> (see "
                     f"<code>/cohort {esc(found.name)}</code>).")
    buttons = [Button(f"{m.name} · @{m.username} · {m.telegram_id}" if m.username
                      else f"{m.name} · {m.telegram_id}", payload(m)) for m in candidates[:10]]
    return Reply(f"{len(candidates)} members of {esc(found.name)} fit that: which one?",
                 rows(buttons, 1))


def _pressed_member(turn: Turn, pressed: cb.Press) -> tuple[Cohort, Person] | None:
    """The caller's cohort and its member that a /remove or /signoff button names."""
    cohort = turn.session.get(Cohort, pressed.number or 0)
    if cohort is None or cohort.tutor_id != turn.person_id or pressed.member is None:
        return None
    member = people.by_telegram_id(turn.session, pressed.member)
    if member is None or not cohorts.is_member(turn.session, cohort_id=id_of(cohort),
                                               learner_id=id_of(member)):
        return None
    return cohort, member


@REGISTRY.press(cb.REMOVE, where=Where.private, audience=Role.tutor)
def remove_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """/remove's member chosen with a button."""
    found = _pressed_member(turn, pressed)
    if found is None:
        return [Reply("", toast="That member is no longer in the cohort.")]
    return [_removed(turn, *found, edit=True)]


@REGISTRY.command("link", "/link NAME", "link this group to your cohort (group admins)",
                  section=TUTORS, where=Where.group, audience=Role.tutor)
def link(turn: Turn, args: str) -> list[Reply]:
    """/link NAME, in the group: links it to your cohort (you must be a group admin)."""
    if turn.sender.chat_id is None:
        return [Reply("Send /link in the cohort's group chat, after adding me there.")]
    if not turn.sender.chat_admin:
        return [Reply("Only a group administrator can link this group to a cohort.")]
    named = named_cohort(turn, args, whole_name=True)
    if isinstance(named, Reply):
        return [named]
    found = named[0]
    current = cohorts.by_group(turn.session, chat_id=turn.sender.chat_id)
    if current is not None and current.tutor_id != turn.person_id:
        return [Reply("This group is linked to another tutor's cohort; it stays linked to "
                      "it. Ask that tutor if it should change.")]
    cohorts.link_group(turn.session, cohort=found, chat_id=turn.sender.chat_id)
    return [Reply(f"This group is now linked to <b>{esc(found.name)}</b>. I'll post the tutor's "
                  f"reminders here. Not in the cohort yet? Join privately:",
                  join_button(turn, found))]


REMOVED_FROM_GROUP = ("I was removed from the group chat linked to your cohort “{name}”, so I've "
                      "unlinked it: I'll post nothing more there, and members still get your "
                      "reminders privately. To link a group again, add me to it and send "
                      "/link {name} there.")


def removed_from_group(session: Session, *, chat_id: int, now: datetime) -> bool:
    """The bot was removed from a group: the cohort linked to it (if any) is unlinked and its
    tutor told privately, through the reminder dispatcher (so retries and blocking apply).
    True when a tutor is to be told."""
    cohort = cohorts.unlink_group(session, chat_id=chat_id)
    tutor = session.get(Person, cohort.tutor_id) if cohort is not None else None
    if cohort is None or tutor is None:
        return False
    reminders.enqueue(session, kind=ReminderKind.text, chat_id=tutor.telegram_id,
                      text=REMOVED_FROM_GROUP.format(name=cohort.name), due_at=now,
                      learner_id=id_of(tutor), same_day=True)
    return True


def join_button(turn: Turn, cohort: Cohort) -> Buttons:
    url = cohorts.invite_link(turn.bot_username, cohort)
    return ((Button("Join the cohort", url=url),),) if url else ()


def offer_to_join(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """In a cohort's group, someone not in the cohort gets a button to join privately."""
    if turn.sender.private or turn.sender.chat_id is None or not replies:
        return replies
    cohort = cohorts.by_group(turn.session, chat_id=turn.sender.chat_id)
    if (cohort is None or cohort.tutor_id == turn.person_id
            or cohorts.is_member(turn.session, cohort_id=id_of(cohort),
                                 learner_id=turn.person_id)):
        return replies
    last = replies[-1]
    join = join_button(turn, cohort)
    if not join or last.edit or not last.html:
        return replies
    return [*replies[:-1], Reply(last.html, (*last.buttons, *join), attachment=last.attachment)]


def parse_when(text: str, now: datetime, tz_name: str) -> tuple[datetime, str]:
    """"now …", "2026-12-01 17:00 …", "friday 17:00 …", "in 2 days …": the moment (UTC) and
    the rest. A day without a time means 09:00 local."""
    text = text.strip()
    if re.match(r"now\b", text, re.I):
        return now, text[3:].strip()
    tz = zone(tz_name)
    parsed = parse_date(text, local_today(now, tz))
    at, rest = parse_time(parsed.rest)
    when = local_to_utc(parsed.day, at or time(9), tz)
    if when < now:
        raise DateError(f"{show_datetime(when, tz)} has passed.")
    return when, rest


@REGISTRY.command("remind", "/remind NAME friday 17:00 TEXT", "push a reminder to a cohort, "
                  "now or at a time", section=TUTORS, audience=Role.tutor)
def remind(turn: Turn, args: str) -> list[Reply]:
    """/remind NAME WHEN TEXT: WHEN is now, a date and time, "friday 17:00", "in 2 days"; the
    text is sent as typed."""
    named = named_cohort(turn, args)
    if isinstance(named, Reply):
        return [named]
    found, rest = named
    example = (f"e.g. <code>/remind {esc(found.name)} friday 17:00 Assignment 1 due at "
               f"midnight</code> or <code>/remind {esc(found.name)} now Workshop moved to room 4</code>.")
    try:
        when, text = parse_when(rest, turn.now, turn.person.timezone)
    except DateError as exc:
        return [Reply(f"{esc(exc)} {example}")]
    if not text.strip():
        return [Reply(f"What should the reminder say? {example}")]
    push = cohorts.draft_push(turn.session, cohort=found, text=text, due_at=when)
    if found.group_chat_id is None:
        return [_scheduled(turn, push, PushTarget.members)]
    buttons = [Button(label, cb.make(cb.PUSH, target.value, str(push.id)))
               for label, target in (("Members privately", PushTarget.members),
                                     ("The group", PushTarget.group), ("Both", PushTarget.both))]
    return [Reply(f"Where should “{esc(text)}” go?", (tuple(buttons),))]


@REGISTRY.press(cb.PUSH, where=Where.private, audience=Role.tutor)
def push_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """Where a pushed reminder goes: members privately, the group, or both."""
    push = _own_push(turn, pressed.number or 0)
    if push is None or push.target is not None:
        return [Reply("", toast="That reminder is already scheduled or no longer exists.")]
    return [_scheduled(turn, push, PushTarget(pressed.verb), edit=True)]


def _scheduled(turn: Turn, push: Push, target: PushTarget, *, edit: bool = False) -> Reply:
    try:
        count = cohorts.schedule_push(turn.session, push=push, target=target)
    except cohorts.CohortError as exc:
        return Reply(esc(exc), edit=edit)
    tz = zone(turn.person.timezone)
    now = push.due_at <= turn.now
    when = "now" if now else show_datetime(push.due_at, tz)
    return Reply(f"Scheduled for {when}: {count} message(s) ({target.value}). "
                 f"<code>/reminders</code> shows the delivery report.", edit=edit, send_due=now)


def _own_push(turn: Turn, push_id: int) -> Push | None:
    push = turn.session.get(Push, push_id)
    cohort = turn.session.get(Cohort, push.cohort_id) if push else None
    return push if cohort is not None and cohort.tutor_id == turn.person_id else None


@REGISTRY.command("reminders", "/reminders [NAME]", "pushed reminders and their delivery",
                  section=TUTORS, audience=Role.tutor)
def pushed(turn: Turn, args: str) -> list[Reply]:
    """/reminders [NAME]: pushed reminders with delivery reports; pending ones can be cancelled."""
    if args.strip():
        named = named_cohort(turn, args, whole_name=True)
        if isinstance(named, Reply):
            return [named]
        mine = [named[0]]
    else:
        mine = cohorts.of_tutor(turn.session, tutor_id=turn.person_id)
    tz = zone(turn.person.timezone)
    replies = []
    for cohort in mine:
        for push in cohorts.pushes(turn.session, cohort_id=id_of(cohort)):
            counts = cohorts.delivery(turn.session, push_id=id_of(push))
            report = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())
                               if k != cohorts.REPEATED) or "nothing"
            if counts[cohorts.REPEATED]:
                report += (f" ({counts[cohorts.REPEATED]} may have arrived twice: Telegram "
                           f"did not answer in time)")
            state = " (cancelled)" if push.cancelled_at else ""
            buttons = (((Button("Cancel", cb.make(cb.CANCEL_PUSH, str(push.id))),),)
                       if (counts["pending"] or counts["retrying"]) and not push.cancelled_at
                       else ())
            replies.append(Reply(f"<b>{esc(cohort.name)}</b> · {show_datetime(push.due_at, tz)}"
                                 f"{state}: {esc(push.text)}\n{report}", buttons))
    return replies or [Reply("No pushed reminders yet: <code>/remind NAME WHEN TEXT</code>.")]


@REGISTRY.press(cb.CANCEL_PUSH, where=Where.private, audience=Role.tutor)
def cancel_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """Cancel what a pushed reminder has not sent yet."""
    push = _own_push(turn, pressed.number or 0)
    if push is None:
        return [Reply("", toast="That reminder no longer exists.")]
    count = cohorts.cancel_push(turn.session, push=push, now=turn.now)
    return [Reply(f"Cancelled: {esc(push.text)} ({count} not yet sent).", edit=True)]


def _learner_rows(turn: Turn, cohort: Cohort) -> tuple[list[LearnerRow], dict[str, int]]:
    """Each member's progress in the units they are enrolled in, and every unit of the
    qualification with its number of ACs."""
    q = turn.catalogue.qualifications[cohort.qualification]
    units = {c: len(turn.catalogue.units[c].criteria) for g in q.rule.groups for c in g.units}
    optional = frozenset(c for g in q.rule.groups if not g.mandatory for c in g.units)
    tz = zone(turn.person.timezone)
    out = []
    members = cohorts.members(turn.session, cohort_id=id_of(cohort))
    counts = learners.done_counts(turn.session, learner_ids=[id_of(m) for m in members])
    practised = practice_columns(turn, [id_of(m) for m in members])
    for member in members:
        enrolled = learners.enrolled_units(turn.session, learner_id=id_of(member))
        done = {code: counts.get((id_of(member), code), 0) for code in units if code in enrolled}
        reviews = pdp.open_reviews(turn.session, learner_id=id_of(member))
        out.append(LearnerRow(member.name or str(member.telegram_id), done,
                              member.last_active_at.astimezone(tz).date(),
                              reviews[0].due_on if reviews else None,
                              *practised[id_of(member)], optional=optional))
    return out, units


@REGISTRY.command("cohort", "/cohort NAME", "a cohort's members and progress", section=TUTORS,
                  audience=Role.tutor)
@cohort_command(whole_name=True)
def cohort_view(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/cohort NAME: members with ACs done of their enrolled units, last activity, next PDP
    review."""
    learner_rows, units = _learner_rows(turn, found)
    if not learner_rows:
        return [Reply(f"<b>{esc(found.name)}</b> has no members yet.\n{_link_line(turn, found)}")]
    lines = [f"<b>{esc(found.name)}</b> · {esc(found.qualification)} · {len(learner_rows)} "
             f"members"]
    lines += [f"• <b>{esc(r.name)}</b>: {sum(r.done.values())}/{sum(units[c] for c in r.done)} "
              f"ACs in {len(r.done)} units; last active {show_date(r.last_active)}; next PDP "
              f"review {show_date(r.next_review) if r.next_review else 'none'}; coaching "
              f"{r.practice_hours}, last session "
              f"{show_date(r.last_session) if r.last_session else 'none'}" for r in learner_rows]
    return [Reply("\n".join(lines))]


@REGISTRY.command("report", "/report NAME", "a cohort's chart (PNG) and table (CSV)",
                  section=TUTORS, audience=Role.tutor)
@cohort_command(whole_name=True)
def report(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/report NAME: a CSV, one row per learner, then the chart (PNG, in pages for a large
    cohort). The table comes first and does not depend on the chart: it is what a centre
    files."""
    learner_rows, units = _learner_rows(turn, found)
    title = f"{found.name}: ACs done per learner and unit"
    stem = "".join(ch if ch.isalnum() else "-" for ch in found.name).strip("-") or "cohort"
    heading = f"Report for <b>{esc(found.name)}</b>: {len(learner_rows)} learners."
    try:
        pages = heatmap_pages(learner_rows, units, title)
    except Exception as exc:  # a chart that cannot be drawn must not take the table with it
        # The kind of error only: matplotlib's messages quote the text (learners' names).
        log.error("report: the chart for cohort %s could not be drawn (%s)", found.id,
                  type(exc).__name__)
        heading += " The chart could not be drawn; the table has every figure."
        pages = []
    table = Reply(heading, attachment=Attachment(f"{stem}.csv", report_csv(learner_rows, units)))
    numbered = len(pages) > 1
    return [table, *(Reply("", attachment=Attachment(
        f"{stem}-{i}.png" if numbered else f"{stem}.png", png, photo=True))
        for i, png in enumerate(pages, 1))]


@REGISTRY.command("signoff", "/signoff NAME @member 5015 2.3", "sign off an AC for a learner",
                  section=TUTORS, audience=Role.tutor)
@cohort_command()
def sign_off(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/signoff NAME MEMBER UNIT AC: the learner sees it on their checklist and is told."""
    usage = f"e.g. <code>/signoff {esc(found.name)} @sam 5015 2.3</code>"
    reference = parse_reference(" ".join(words[1:]), turn.catalogue) if len(words) > 1 else None
    if reference is None or not reference.ok or reference.unit_code is None:
        problem = esc(reference.problem) + " " if reference and reference.problem else ""
        return [Reply(f"{problem}Name a member, a unit and an AC, {usage}.")]
    units = _units_of(turn, found)
    if reference.unit_code not in units:
        q = turn.catalogue.qualifications[found.qualification]
        return [Reply(f"{esc(reference.unit_code)} is not a unit of {esc(q.title)}, the "
                      f"qualification of {esc(found.name)}: its units are "
                      f"{', '.join(sorted(units))}.")]
    candidates = cohorts.find_members(turn.session, cohort_id=id_of(found), who=words[0])
    if len(candidates) != 1:
        return [_which_member(turn, found, candidates,
                              f"/signoff {found.name} @sam {reference.unit_code} {reference.ref}",
                              lambda m: cb.make(cb.SIGN_OFF, str(found.id), str(m.telegram_id),
                                                reference.unit_code or "", reference.ref))]
    return [_signed_off(turn, candidates[0], reference.unit_code, reference.ref)]


def _units_of(turn: Turn, cohort: Cohort) -> set[str]:
    q = turn.catalogue.qualifications[cohort.qualification]
    return {code for group in q.rule.groups for code in group.units}


def _signed_off(turn: Turn, member: Person, unit_code: str, ref: str, *,
                edit: bool = False) -> Reply:
    learners.set_ac_state(turn.session, learner_id=id_of(member), unit_code=unit_code, ref=ref,
                          state=AcState.signed_off)
    reminders.enqueue(turn.session, kind=ReminderKind.sign_off, chat_id=member.telegram_id,
                      text=f"🎓 Your tutor signed off {unit_code} {ref}.",
                      due_at=turn.now, learner_id=id_of(member), same_day=True)
    return Reply(f"Signed off {esc(unit_code)} {esc(ref)} for {esc(member.name)}; they will "
                 f"be told.", edit=edit)


@REGISTRY.press(cb.SIGN_OFF, where=Where.private, audience=Role.tutor)
def sign_off_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """/signoff's member chosen with a button."""
    found = _pressed_member(turn, pressed)
    if found is None or pressed.unit not in _units_of(turn, found[0]):
        return [Reply("", toast="That member is no longer in the cohort.")]
    return [_signed_off(turn, found[1], pressed.unit or "", pressed.ref or "", edit=True)]


def caseload_text(turn: Turn) -> str:
    """Across the tutor's cohorts: PDP reviews today, within 7 days, overdue; learners off
    track; learners inactive for `turn.inactive_after_days` days."""
    tz = zone(turn.person.timezone)
    today = local_today(turn.now, tz)
    days = turn.inactive_after_days
    due_today, this_week, overdue, off_track, inactive = [], [], [], [], []
    for cohort in cohorts.of_tutor(turn.session, tutor_id=turn.person_id):
        for member in cohorts.members(turn.session, cohort_id=id_of(cohort)):
            who = f"{esc(member.name)} ({esc(cohort.name)})"
            for review in pdp.open_reviews(turn.session, learner_id=id_of(member)):
                line = f"{who}: {esc(review.title)}, {show_date(review.due_on)}"
                if review.due_on < today:
                    overdue.append(line)
                elif review.due_on == today:
                    due_today.append(line)
                elif review.due_on <= today + timedelta(days=7):
                    this_week.append(line)
            behind = progress.off_track_units(turn.session, turn.catalogue,
                                              learner_id=id_of(member), today=today)
            if behind:
                off_track.append(f"{who}: {', '.join(behind)}")
            if cohorts.is_inactive(member, now=turn.now, inactive_after_days=days):
                last = show_date(member.last_active_at.astimezone(tz).date())
                inactive.append(f"{who}: last active {last}")
    sections = [("PDP reviews due today", due_today), ("Due in the next 7 days", this_week),
                ("Overdue PDP reviews", overdue), ("Off track", off_track),
                (f"Inactive for {days}+ days", inactive)]
    return "\n\n".join(f"<b>{title}</b>\n" + ("\n".join(f"• {line}" for line in lines) or "none")
                       for title, lines in sections)


def weekly_digest(turn: Turn) -> str | None:
    """A tutor's weekly /today, written now; the following week's is scheduled. None for
    someone no longer a tutor."""
    people.schedule_digest(turn.session, tutor=turn.person, now=turn.now + timedelta(minutes=1))
    if not turn.is_tutor:
        return None
    return f"<b>Your week</b>\n\n{caseload_text(turn)}"


@REGISTRY.command("today", "/today", "PDP reviews due, learners off track or inactive",
                  section=TUTORS, audience=Role.tutor)
@words
def today(turn: Turn, words: list[str]) -> list[Reply]:
    """/today: your caseload across cohorts."""
    return [Reply(caseload_text(turn))]


@REGISTRY.command("nudges", "/nudges NAME on|off", "friendly nudges for a cohort's inactive "
                  "learners", section=TUTORS, audience=Role.tutor)
@cohort_command()
def nudges(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/nudges NAME on|off: friendly nudges to learners who became inactive."""
    if not words or words[0].lower() not in ("on", "off"):
        state = "on" if found.nudges else "off"
        return [Reply(f"Nudges for {esc(found.name)} are {state}: "
                      f"<code>/nudges {esc(found.name)} off</code> turns them off.")]
    return [Reply(set_nudges(turn, found, on=words[0].lower() == "on"))]


def set_nudges(turn: Turn, cohort: Cohort, *, on: bool) -> str:
    """Nudges for one of the tutor's cohorts on or off, and what to say (/nudges, /settings)."""
    cohort.nudges = on
    turn.session.add(cohort)
    return f"Nudges for {esc(cohort.name)} are {'on' if on else 'off'}."


@REGISTRY.command("digest", "/digest monday 08:00", "your /today by message, weekly (or off)",
                  section=TUTORS, audience=Role.tutor)
@words
def digest(turn: Turn, words: list[str]) -> list[Reply]:
    """/digest monday 08:00 (or off): your /today, weekly."""
    if words and words[0].lower() == "off":
        return [Reply(set_digest(turn, None))]
    day = next((i for i, d in enumerate(WEEKDAYS) if words and d.startswith(words[0].lower()[:3])), None)
    try:
        at = datetime.strptime(words[1], "%H:%M").time() if len(words) > 1 else None
    except ValueError:
        at = None
    if day is None or at is None:
        return [Reply("Say the day and time, e.g. <code>/digest monday 08:00</code>, or "
                      "<code>/digest off</code>.")]
    return [Reply(set_digest(turn, (day, at)))]


def set_digest(turn: Turn, when: tuple[int, time] | None) -> str:
    """The weekly digest on a weekday (0 = Monday) at a local time, or off (None), and what
    to say (/digest, /settings)."""
    day, at = when if when is not None else (None, None)
    first = people.set_digest(turn.session, tutor=turn.person, weekday=day, at=at, now=turn.now)
    if first is None:
        return "Weekly digest off."
    return (f"Weekly digest every {digest_time(turn.person)}; the first on "
            f"{show_datetime(first, zone(turn.person.timezone))}.")


def digest_time(tutor: Person) -> str:
    """When the tutor's weekly digest comes: "Monday at 08:00", or "off"."""
    if tutor.digest_weekday is None or tutor.digest_time is None:
        return "off"
    return f"{WEEKDAYS[tutor.digest_weekday].title()} at {tutor.digest_time}"


@REGISTRY.command("promote", "/promote TELEGRAM_ID", "make someone a tutor", section="Admins",
                  audience=Role.admin)
def promote(turn: Turn, args: str) -> list[Reply]:
    """/promote TELEGRAM_ID: admins make a user a tutor."""
    wanted = args.strip()
    if not (wanted.isascii() and wanted.isdigit()) or len(wanted) > 15:
        return [Reply("Give the user's Telegram id, e.g. <code>/promote 123456789</code>; they "
                      "must have messaged me once.")]
    user = people.by_telegram_id(turn.session, int(wanted))
    if user is None:
        return [Reply("I don't know that user yet: ask them to send me /start first.")]
    people.promote(turn.session, person=user)
    menu = Menu(MenuScope("chat", user.telegram_id), REGISTRY.menu(Role.tutor, Where.private))
    return [Reply(f"{esc(user.name)} is now a tutor.", menus=(menu,))]

