"""Words in a question that say where to look: a unit ("which bit of 7019…"), a level
("level 7", "L5") or an awarding body ("ilm", "cmi")."""

from __future__ import annotations

import re
from collections.abc import Collection

from content.catalogue import Catalogue
from content.refs import unit_mentions

_LEVEL = re.compile(r"\b(?:level|lvl|l)\s?([57])\b", re.IGNORECASE)
_BODY = re.compile(r"\b(ilm|cmi)\b", re.IGNORECASE)


def narrow_units(query: str, catalogue: Catalogue,
                 allowed: Collection[str] | None = None) -> tuple[str, ...]:
    """The units the question's own words point to (within `allowed`), or () for no narrowing.

    A unit named outright wins; otherwise a level and an awarding body narrow to the units of
    the qualifications at that level or of that body. Words that would leave nothing are
    ignored rather than obeyed."""
    named = [u.code for typed in unit_mentions(query) if (u := catalogue.unit(typed))]
    if named:
        units = set(named)
    else:
        units = set(catalogue.units)
        levels = {int(m) for m in _LEVEL.findall(query)}
        if levels:
            units &= {c for q in catalogue.qualifications.values() if q.level in levels
                      for g in q.rule.groups for c in g.units}
        bodies = {b.upper() for b in _BODY.findall(query)}
        if bodies:
            units &= {c for c, u in catalogue.units.items() if u.awarding_body in bodies}
        if units == set(catalogue.units):
            return ()
    if allowed is not None:
        units &= set(allowed)
    return tuple(sorted(units))
