"""/settings: one message, edited in place at every press, with what a person sets once and
seldom changes: time zone, quiet hours, qualification and units, and for tutors the weekly
digest and each cohort's nudges. Every change is made by the function its own command uses
(/timezone, /quiet, /digest, /nudges, onboarding's unit choice), so the two ways to set a
thing cannot drift apart."""

from __future__ import annotations

from datetime import time

from bot.conversation import buttons as cb
from bot.conversation.registry import REGISTRY, Where
from bot.conversation.rendering import render_qualification_choice, render_unit_choice
from bot.conversation.replies import Button, Reply, esc, plain, rows
from bot.conversation.tracking import (
    CITY_WAIT,
    TRACK,
    quiet_hours,
    set_quiet,
    set_timezone,
)
from bot.conversation.turn import Turn
from bot.conversation.tutor import digest_time, set_digest, set_nudges
from bot.services import cohorts, learners, practice
from bot.services.dates import zone
from bot.services.tables import Role, id_of

DIGEST_ON = (0, time(8, 0))  # "On" in /settings: Mondays at 08:00 (/digest sets any other)
BACK = Button("↩️ Back", cb.make(cb.SETTINGS, "home"))


def _now_in(turn: Turn) -> str:
    return f"{turn.now.astimezone(zone(turn.person.timezone)):%H:%M}"


def _studying(turn: Turn) -> str:
    q = turn.catalogue.qualifications.get(turn.person.qualification or "")
    if q is None:
        return "not chosen yet"
    units = learners.enrolled_units(turn.session, learner_id=turn.person_id)
    return f"{esc(q.short)}, units {esc(', '.join(units)) or 'none yet'}"


def _nudges(turn: Turn) -> str:
    led = cohorts.of_tutor(turn.session, tutor_id=turn.person_id)
    return ", ".join(f"{esc(c.name)} {'on' if c.nudges else 'off'}" for c in led) or \
        "no cohorts yet"


def summary(turn: Turn, *, edit: bool = True, toast: str | None = None) -> Reply:
    """The current values and a button per row; tutors also get theirs."""
    lines = ["<b>Your settings</b>",
             f"🕒 Time zone: {esc(turn.person.timezone)} ({_now_in(turn)} there now)",
             f"🌙 Quiet hours: {quiet_hours(turn.person)}",
             f"🎓 Studying: {_studying(turn)}"]
    buttons = [Button("🕒 Time zone", cb.make(cb.SETTINGS, "tz")),
               Button("🌙 Quiet hours", cb.make(cb.SETTINGS, "quiet")),
               Button("🎓 Qualification and units", cb.make(cb.SETTINGS, "units"))]
    if turn.is_tutor:
        lines += [f"📬 Weekly digest: {digest_time(turn.person)}",
                  f"🔔 Nudges: {_nudges(turn)}"]
        buttons += [Button("📬 Weekly digest", cb.make(cb.TUTOR_SETTINGS, "digest")),
                    Button("🔔 Nudges", cb.make(cb.TUTOR_SETTINGS, "nudges"))]
    return Reply("\n".join(lines), (*rows(buttons, 2), (Button("✅ Done",
                                                               cb.make(cb.SETTINGS, "done")),)),
                 edit=edit, toast=toast)


@REGISTRY.command("settings", "/settings", "time zone, quiet hours, units and more, in one "
                  "menu", section=TRACK)
def settings(turn: Turn, args: str) -> list[Reply]:
    """/settings: the summary, whose buttons open each setting in the same message."""
    return [summary(turn, edit=False)]


def _place(zone: str) -> str:
    """A zone's city as people write it: "America/New_York" is "New York"."""
    return zone.rsplit("/", 1)[1].replace("_", " ")


def _zones(turn: Turn) -> Reply:
    current = turn.person.timezone
    choices = [Button(f"{'✅ ' if name == current else ''}{_place(name)}",
                      cb.make(cb.SETTINGS, "tz", name)) for name in cb.SETTINGS_ZONES]
    return Reply(f"🕒 <b>Time zone</b>: {esc(current)} ({_now_in(turn)} there now). Choose one, "
                 f"or type a city.",
                 (*rows(choices, 3), (Button("⌨️ Type a city", cb.make(cb.SETTINGS, "city")),
                                      BACK)), edit=True)


def _quiet_hours(choice: str) -> str:
    """A quiet-hours choice as /quiet takes it: "2200-0700" -> "22:00-07:00"; "off"."""
    return choice if choice == "off" else \
        f"{choice[:2]}:{choice[2:4]}-{choice[5:7]}:{choice[7:]}"


def _quiet(turn: Turn) -> Reply:
    current = quiet_hours(turn.person)
    labels = {choice: _quiet_hours(choice).replace("-", "–") for choice in cb.QUIET_CHOICES}
    choices = [Button(f"{'✅ ' if label == current else ''}{label.title()}",
                      cb.make(cb.SETTINGS, "quiet", choice)) for choice, label in labels.items()]
    return Reply(f"🌙 <b>Quiet hours</b>: {current}. Only same-day reminders are sent inside "
                 f"them. Other hours: <code>/quiet 23:30-06:30</code>.",
                 (*rows(choices, 2), (BACK,)), edit=True)


def _units(turn: Turn) -> Reply:
    q = turn.catalogue.qualifications.get(turn.person.qualification or "")
    if q is None:
        return _qualifications(turn)
    chosen = learners.enrolled_units(turn.session, learner_id=turn.person_id)
    return render_unit_choice(q, chosen, turn.catalogue, in_settings=True)


def _qualifications(turn: Turn) -> Reply:
    """Choosing another qualification starts its units afresh, as /start does."""
    choice = render_qualification_choice(
        turn.catalogue, "🎓 Which qualification are you studying? Choosing one starts its "
                        "units afresh: its mandatory units ticked, the rest for you to choose.")
    return Reply(choice.html, (*choice.buttons, (BACK,)), edit=True)


def _city(turn: Turn) -> Reply:
    practice.set_awaiting(turn.session, person=turn.person, what=CITY_WAIT)
    return Reply("🕒 Send the name of your city, country or zone, e.g. <code>Lisbon</code>, "
                 "<code>Dubai</code> or <code>Europe/Paris</code>.", ((BACK,),), edit=True)


PAGES = {"home": summary, "tz": _zones, "quiet": _quiet, "units": _units,
         "qual": _qualifications, "city": _city}


@REGISTRY.press(cb.SETTINGS, where=Where.private, elsewhere="Open /settings in a private chat "
                                                           "with me.")
def settings_press(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """A page of /settings, or a choice on one: made, then the summary with a toast."""
    if turn.person.awaiting == CITY_WAIT and pressed.verb != "city":
        practice.set_awaiting(turn.session, person=turn.person, what=None)
    if pressed.verb == "done":
        return [Reply(f"{summary(turn).html}\n\n<i>/settings opens this again.</i>", edit=True)]
    if pressed.value is None:
        return [PAGES[pressed.verb or "home"](turn)]
    if pressed.verb == "tz":
        said = set_timezone(turn, pressed.value)
    else:  # "quiet": one of the choices, as buttons.parse() checked
        said = set_quiet(turn, _quiet_hours(pressed.value))
    return [summary(turn, toast=plain(said.html))]


@REGISTRY.press(cb.TUTOR_SETTINGS, where=Where.private, audience=Role.tutor,
                elsewhere="Open /settings in a private chat with me.")
def tutor_settings_press(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """The tutors' pages: the weekly digest on or off, each cohort's nudges on or off."""
    if pressed.verb == "digest" and pressed.value is not None:
        said = set_digest(turn, DIGEST_ON if pressed.value == "on" else None)
        return [summary(turn, toast=plain(said))]
    if pressed.verb == "digest":
        return [Reply(f"📬 <b>Weekly digest</b> (your /today by message): "
                      f"{digest_time(turn.person)}. Another day or time: "
                      f"<code>/digest friday 16:00</code>.",
                      ((Button("On: Mondays at 08:00", cb.make(cb.TUTOR_SETTINGS, "digest", "on")),
                        Button("Off", cb.make(cb.TUTOR_SETTINGS, "digest", "off"))), (BACK,)),
                      edit=True)]
    led = cohorts.of_tutor(turn.session, tutor_id=turn.person_id)
    if pressed.number is not None:
        cohort = next((c for c in led if c.id == pressed.number), None)
        if cohort is None:
            return [Reply("", toast="That cohort is not yours, or no longer exists.")]
        said = set_nudges(turn, cohort, on=pressed.value == "on")
        return [summary(turn, toast=plain(said))]
    choices = [Button(f"{c.name[:40]}: {'on ✅' if c.nudges else 'off'}",
                      cb.make(cb.TUTOR_SETTINGS, "nudges", str(id_of(c)),
                              "off" if c.nudges else "on")) for c in led]
    text = ("🔔 <b>Nudges</b>: a friendly message to a cohort's learners after "
            f"{turn.inactive_after_days} days without a word. Press a cohort to switch them."
            if led else "🔔 <b>Nudges</b>: you have no cohorts yet (/newcohort creates one).")
    return [Reply(text, (*rows(choices, 1), (BACK,)), edit=True)]
