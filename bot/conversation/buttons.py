"""Inline-button payloads: built here, parsed and checked here.

A payload is `<action>:<arg>[:<arg>]`, at most 64 bytes (Telegram's limit). Anything pressed
is untrusted: a payload that does not parse, or names a unit or AC the catalogue does not
have, yields None and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import available_timezones

from bot.services.pdp import SNOOZES
from bot.services.practice import EDITABLE, FEEDBACK_ROLES
from content.catalogue import Catalogue

# action -> what its arguments are
OPEN_AC = "ac"  # show an AC's answer in a new message (unit, ref)
SHOW_AC = "pk"  # show an AC's answer in place of the pressed message (unit, ref)
MARK = "mk"  # mark an AC done / not done on the checklist (unit, ref)
RELATED = "rel"  # show buttons for the related ACs (unit, ref)
THEORISTS = "th"  # theorists of an AC (unit, ref)
BACK = "bk"  # back to an AC's own buttons (unit, ref)
UNIT = "un"  # unit overview (unit)
PICK_QUALIFICATION = "q"  # onboarding: qualification (code)
TOGGLE_UNIT = "tu"  # onboarding: add or remove a unit (unit)
DONE = "ok"  # onboarding finished (no argument)
CYCLE = "ck"  # checklist: next status of an AC (unit, ref)
PDP = "pd"  # a PDP review's buttons (what, review id), or (later, review id, snooze choice)
PDP_ACTIONS = ("done", "snooze", "back", "move", "delete", "drop", "keep")
TIMEZONE = "tz"  # /timezone when a name fits several zones (IANA zone name)
FORGET = "fg"  # /forgetme confirmation ("yes" or "no"; or "to", the heir of a tutor's cohorts)
NEW_COHORT = "nc"  # /newcohort without a qualification (qualification code, cohort name)
PUSH = "pu"  # where a pushed reminder goes (target, push id)
CANCEL_PUSH = "px"  # cancel a pushed reminder (push id)
PUSH_TARGETS = ("members", "group", "both")
SIGN_OFF = "so"  # /signoff when a name fits several members (cohort id, member, unit, ref)
REMOVE = "rm"  # /remove when a name fits several members (cohort id, member)
LOG_FORM = "lf"  # /log's form (ask|skip|set|stop, session id, field[, chosen value])
LOG_VERBS = ("ask", "skip", "set", "stop")
FEEDBACK_LINK = "fl"  # a one-time feedback link for a session (role, session id)
REFLECT = "rf"  # /reflect (skip|stop|new, reflection id) or (ac, reflection id, unit, ref)
REFLECT_VERBS = ("skip", "stop", "new")
DRAFT_UNIT = "du"  # the unit a draft waiting in memory is for (unit)
SAVE_DRAFT = "ds"  # save a draft check's result on the checklist (unit, one code per AC)
DRAFT_CODES = frozenset("01abcdefghijklmno")  # 0 missing, 1 addressed, a-o thin (reasons)
PLAN_UNIT = "pn"  # /plan without a unit: the unit pressed (unit)
PLAN = "pl"  # a plan's preview: create or cancel (verb, unit, start day, due day as YYYYMMDD)
PLAN_VERBS = ("create", "cancel")
SETTINGS = "se"  # /settings: a page (SETTINGS_PAGES), or (tz, zone) or (quiet, choice)
SETTINGS_PAGES = ("home", "done", "tz", "city", "quiet", "units", "qual")
SETTINGS_ZONES = ("Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris",
                  "Europe/Berlin", "Europe/Madrid", "Europe/Athens", "Africa/Lagos",
                  "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "America/New_York")
QUIET_CHOICES = ("2200-0700", "2100-0800", "2300-0600", "off")  # HHMM-HHMM: no colons here
TUTOR_SETTINGS = "sx"  # /settings, tutors' pages: digest or nudges; (digest, on|off);
# (nudges, cohort id, on|off)
IN_SETTINGS = "s"  # TOGGLE_UNIT's optional second argument: the choice was opened in /settings
_SETTING_VALUES = {"tz": SETTINGS_ZONES, "quiet": QUIET_CHOICES}

_AC_ACTIONS = {OPEN_AC, SHOW_AC, MARK, RELATED, THEORISTS, BACK, CYCLE}


@dataclass(frozen=True)
class Press:
    action: str
    unit: str | None = None
    ref: str | None = None
    qualification: str | None = None
    verb: str | None = None
    number: int | None = None
    name: str | None = None
    member: int | None = None  # a learner's Telegram id
    value: str | None = None

    @property
    def key(self) -> str:
        return f"{self.unit} {self.ref}"


def make(action: str, *args: str) -> str:
    data = ":".join((action, *args))
    if len(data.encode()) > 64:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse(data: str, catalogue: Catalogue) -> Press | None:
    """The press a payload stands for, or None when it is not one this bot made."""
    action, *args = (data or "").split(":")
    if action in _AC_ACTIONS and len(args) == 2:
        unit, ref = args
        if catalogue.criterion(f"{unit} {ref}") is None:
            return None
        return Press(action, unit=unit, ref=ref)
    if action in (UNIT, TOGGLE_UNIT) and len(args) == 1 and args[0] in catalogue.units:
        return Press(action, unit=args[0])
    if action == TOGGLE_UNIT and len(args) == 2 and args[0] in catalogue.units and \
            args[1] == IN_SETTINGS:
        return Press(action, unit=args[0], verb=IN_SETTINGS)
    if action == PICK_QUALIFICATION and len(args) == 1 and args[0] in catalogue.qualifications:
        return Press(action, qualification=args[0])
    if action == DONE and not args:
        return Press(action)
    if action == PDP and len(args) == 2 and args[0] in PDP_ACTIONS and _id(args[1]):
        return Press(action, verb=args[0], number=int(args[1]))
    if (action == PDP and len(args) == 3 and args[0] == "later" and _id(args[1])
            and args[2] in SNOOZES):
        return Press(action, verb=args[0], number=int(args[1]), name=args[2])
    if action == TIMEZONE and len(args) == 1 and args[0] in available_timezones():
        return Press(action, name=args[0])
    if action == FORGET and args in (["yes"], ["no"]):
        return Press(action, verb=args[0])
    if action == FORGET and len(args) == 2 and args[0] == "to" and _telegram_id(args[1]):
        return Press(action, verb="to", member=int(args[1]))
    if action == NEW_COHORT and len(args) >= 2 and args[0] in catalogue.qualifications:
        return Press(action, qualification=args[0], name=":".join(args[1:]))
    if action == PUSH and len(args) == 2 and args[0] in PUSH_TARGETS and _id(args[1]):
        return Press(action, verb=args[0], number=int(args[1]))
    if action == DRAFT_UNIT and len(args) == 1 and args[0] in catalogue.units:
        return Press(action, unit=args[0])
    if action == PLAN_UNIT and len(args) == 1 and args[0] in catalogue.units:
        return Press(action, unit=args[0])
    if (action == PLAN and len(args) == 4 and args[0] in PLAN_VERBS and args[1] in catalogue.units
            and all(payload_day(a) is not None for a in args[2:])):
        return Press(action, verb=args[0], unit=args[1], name=args[2], value=args[3])
    if action == SAVE_DRAFT and len(args) == 2 and args[0] in catalogue.units and \
            len(args[1]) == len(catalogue.units[args[0]].criteria) and \
            set(args[1]) <= DRAFT_CODES:
        return Press(action, unit=args[0], name=args[1])
    if action == SETTINGS and len(args) == 1 and args[0] in SETTINGS_PAGES:
        return Press(action, verb=args[0])
    if action == SETTINGS and len(args) == 2 and args[1] in _SETTING_VALUES.get(args[0], ()):
        return Press(action, verb=args[0], value=args[1])
    if action == TUTOR_SETTINGS and args in (["digest"], ["nudges"]):
        return Press(action, verb=args[0])
    if action == TUTOR_SETTINGS and args[:1] == ["digest"] and args[1:] in (["on"], ["off"]):
        return Press(action, verb="digest", value=args[1])
    if (action == TUTOR_SETTINGS and len(args) == 3 and args[0] == "nudges" and _id(args[1])
            and args[2] in ("on", "off")):
        return Press(action, verb="nudges", number=int(args[1]), value=args[2])
    if action == CANCEL_PUSH and len(args) == 1 and _id(args[0]):
        return Press(action, number=int(args[0]))
    if (action == SIGN_OFF and len(args) == 4 and _id(args[0]) and _telegram_id(args[1])
            and catalogue.criterion(f"{args[2]} {args[3]}") is not None):
        return Press(action, number=int(args[0]), member=int(args[1]), unit=args[2],
                     ref=args[3])
    if action == REMOVE and len(args) == 2 and _id(args[0]) and _telegram_id(args[1]):
        return Press(action, number=int(args[0]), member=int(args[1]))
    if (action == LOG_FORM and len(args) >= 3 and args[0] in LOG_VERBS and _id(args[1])
            and args[2] in EDITABLE and (len(args) > 3) == (args[0] == "set")):
        return Press(action, verb=args[0], number=int(args[1]), name=args[2],
                     value=":".join(args[3:]) or None)
    if action == FEEDBACK_LINK and len(args) == 2 and args[0] in FEEDBACK_ROLES and _id(args[1]):
        return Press(action, verb=args[0], number=int(args[1]))
    if action == REFLECT and len(args) == 2 and args[0] in REFLECT_VERBS and _id(args[1]):
        return Press(action, verb=args[0], number=int(args[1]))
    if (action == REFLECT and len(args) == 4 and args[0] == "ac" and _id(args[1])
            and catalogue.criterion(f"{args[2]} {args[3]}") is not None):
        return Press(action, verb="ac", number=int(args[1]), unit=args[2], ref=args[3])
    return None


MAX_ID = 2**31 - 1  # the largest id a database integer column holds


def database_id(text: str) -> int | None:
    """A row id as typed or carried by a payload: ASCII digits (not "²" or "٣"), within an
    integer column (PostgreSQL refuses a larger one with an error); else None."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) < 11) or int(text) > MAX_ID:
        return None
    return int(text)


def payload_day(text: str) -> date | None:
    """A day carried by a payload as YYYYMMDD; None for anything else."""
    if not (text.isascii() and text.isdigit() and len(text) == 8):
        return None
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _id(text: str) -> bool:
    return database_id(text) is not None


def _telegram_id(text: str) -> bool:
    """A Telegram user id: ASCII digits, at most 52 bits."""
    return text.isascii() and text.isdigit() and len(text) < 17
