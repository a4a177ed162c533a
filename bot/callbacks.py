"""Inline-button payloads: built here, parsed and checked here.

A payload is `<action>:<arg>[:<arg>]`, at most 64 bytes (Telegram's limit). Anything pressed
is untrusted: a payload that does not parse, or names a unit or AC the catalogue does not
have, yields None and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

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
PDP = "pd"  # a PDP review's reminder buttons (what, review id)
PDP_ACTIONS = ("done", "snooze", "move")
FORGET = "fg"  # /forgetme confirmation ("yes" or "no")
NEW_COHORT = "nc"  # /newcohort without a qualification (qualification code, cohort name)
PUSH = "pu"  # where a pushed reminder goes (target, push id)
CANCEL_PUSH = "px"  # cancel a pushed reminder (push id)
PUSH_TARGETS = ("members", "group", "both")

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
    if action == PICK_QUALIFICATION and len(args) == 1 and args[0] in catalogue.qualifications:
        return Press(action, qualification=args[0])
    if action == DONE and not args:
        return Press(action)
    if action == PDP and len(args) == 2 and args[0] in PDP_ACTIONS and _id(args[1]):
        return Press(action, verb=args[0], number=int(args[1]))
    if action == FORGET and args in (["yes"], ["no"]):
        return Press(action, verb=args[0])
    if action == NEW_COHORT and len(args) >= 2 and args[0] in catalogue.qualifications:
        return Press(action, qualification=args[0], name=":".join(args[1:]))
    if action == PUSH and len(args) == 2 and args[0] in PUSH_TARGETS and _id(args[1]):
        return Press(action, verb=args[0], number=int(args[1]))
    if action == CANCEL_PUSH and len(args) == 1 and _id(args[0]):
        return Press(action, number=int(args[0]))
    return None


def _id(text: str) -> bool:
    """A database id as a payload carries it: digits, not absurdly long."""
    return text.isdigit() and len(text) < 12
