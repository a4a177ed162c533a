"""The catalogue as one JSON-ready document: the stable interface of `python -m content dump`."""

from __future__ import annotations

from typing import Any

from content.catalogue import Catalogue, Criterion, Unit


def _criterion(ac: Criterion) -> dict[str, Any]:
    return {
        "ref": ac.ref,
        "text": ac.text,
        "verb": ac.verb,
        "guidance": [p for g in ac.guidance for p in g.paragraphs],
        "guidance_shared_with": sorted({r for g in ac.guidance for r in g.shared_with}),
        "theorists": list(ac.theorists),
        "related": list(ac.related),
    }


def _unit(unit: Unit) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "code": unit.code,
        "title": unit.title,
        "awarding_body": unit.awarding_body,
        "level": unit.level,
        "credits": unit.credits,
        "glh": unit.glh,
        "tut": unit.tut,
        "ofqual_ref": unit.ofqual_ref,
        "source": unit.source,
        "aims": unit.aims,
        "learning_outcomes": [
            {"number": lo.number, "text": lo.text,
             "criteria": [_criterion(ac) for ac in lo.criteria]}
            for lo in unit.learning_outcomes
        ],
        "word_count": ({"min": unit.word_count.min_words, "max": unit.word_count.max_words}
                       if unit.word_count else None),
        "conflicts": [c.model_dump() for c in unit.conflicts],
    }
    if unit.indicative_content:
        doc["indicative_content"] = list(unit.indicative_content)
    if unit.assessment:
        doc["assessment"] = unit.assessment.model_dump()
    if unit.delivery_hours_required:
        doc["delivery_hours_required"] = unit.delivery_hours_required
    return doc


def catalogue_document(catalogue: Catalogue) -> dict[str, Any]:
    """Units, qualifications, theorists and verbs in the documented dump shape."""
    return {
        "units": [_unit(u) for u in catalogue.units.values()],
        "qualifications": [q.model_dump() for q in catalogue.qualifications.values()],
        "theorists": [
            {"name": t.name, "aliases": list(t.aliases), "known_for": t.known_for,
             "kind": t.kind, "cited_in": list(t.cited_in),
             "mentioned_in": list(t.mentioned_in)}
            for t in catalogue.theorists
        ],
        "verbs": [{"verb": v.verb, "meaning": v.meaning, "source": v.source}
                  for v in catalogue.verbs.values()],
        "conflicts": [c.model_dump() for c in catalogue.conflicts],
    }
