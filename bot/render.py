"""Answers as messages: HTML built from catalogue text (always escaped) and inline buttons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot import callbacks as cb
from bot.answers import AcAnswer, ChooseUnit, Problem, SearchAnswer, TheoristList
from bot.messages import Button, Reply, esc
from bot.models import AcState
from content.catalogue import Catalogue, Theorist, Unit
from content.rules import RuleStatus
from content.schema import QualificationData

STATE_MARK = {AcState.not_started: "⬜", AcState.drafting: "✏️", AcState.done: "✅",
              AcState.signed_off: "🎓"}
KIND_REASON = {"ac": "its wording and guidance match", "aims": "its unit's aims match",
               "indicative": "its unit's indicative content matches",
               "theorist": "a theorist its guidance cites matches"}


def rows(buttons: Sequence[Button], width: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i:i + width]) for i in range(0, len(buttons), width))


def unit_heading(unit: Unit) -> str:
    return f"{esc(unit.code)} {esc(unit.title)} ({esc(unit.awarding_body)} Level {unit.level})"


def ac_text(answer: AcAnswer, catalogue: Catalogue) -> str:
    """Everything a learner needs for one AC, each part from the catalogue."""
    ac, unit, lo = answer.criterion, answer.unit, answer.outcome
    parts = [
        f"<b>AC {esc(ac.ref)}</b> · {unit_heading(unit)}\n"
        f"<b>LO {esc(lo.number)}</b>: {esc(lo.text)}",
        f"<blockquote>{esc(ac.text)}</blockquote>",
    ]
    if answer.verb:
        parts.append(f"<b>What “{esc(ac.verb)}” asks of you</b>\n{esc(answer.verb.meaning)}")
    for guidance in ac.guidance:
        shared = _shared_note(guidance.shared_with)
        parts.append(f"<b>Guidance{shared}</b>")
        parts.extend(esc(p) for p in guidance.paragraphs)
    if not ac.guidance:
        parts.append(_no_guidance_note(unit))
    if answer.theorists:
        names = "\n".join(f"• <b>{esc(t.name)}</b>: {esc(t.known_for)}" for t in answer.theorists)
        parts.append(f"<b>Theorists and models to consider</b>\n{names}")
    if unit.word_count:
        wc = unit.word_count
        parts.append(f"<b>Expected length</b>: {wc.min_words:,}–{wc.max_words:,} words for the "
                     f"unit (“{esc(wc.quote)}”)")
    parts.append(f"<i>Source: {esc(catalogue.document_title(unit.source))}, unit "
                 f"{esc(unit.code)}.</i>")
    return "\n\n".join(parts)


def _shared_note(others: tuple[str, ...]) -> str:
    if not others:
        return ""
    if len(others) > 4:
        return f" (shared with {len(others)} other ACs of this unit)"
    return f" (shared with AC {', '.join(esc(r) for r in others)})"


def _no_guidance_note(unit: Unit) -> str:
    if unit.indicative_content:
        items = "\n".join(f"• {esc(i)}" for i in unit.indicative_content)
        return (f"<b>Indicative content for the unit</b> (the specification gives no guidance "
                f"per AC)\n{items}")
    return "<i>The specification gives no good-practice guidance for this AC.</i>"


def ac_buttons(answer: AcAnswer, state: AcState) -> tuple[tuple[Button, ...], ...]:
    ac = answer.criterion
    args = (ac.unit_code, ac.ref)
    done = state in (AcState.done, AcState.signed_off)
    first = [Button(f"{STATE_MARK[state]} {'Done' if done else 'Mark done'}",
                    cb.make(cb.MARK, *args))]
    if ac.related:
        first.append(Button("Related ACs", cb.make(cb.RELATED, *args)))
    second = []
    if answer.theorists:
        second.append(Button("Theorists", cb.make(cb.THEORISTS, *args)))
    following = answer.unit.next_criterion(ac.ref)
    if following:
        second.append(Button(f"Next: AC {following.ref} ▶",
                             cb.make(cb.SHOW_AC, following.unit_code, following.ref)))
    second.append(Button(f"Unit {ac.unit_code}", cb.make(cb.UNIT, ac.unit_code)))
    return (tuple(first), tuple(second))


def render_ac(answer: AcAnswer, state: AcState, catalogue: Catalogue, *,
              edit: bool = False) -> Reply:
    return Reply(ac_text(answer, catalogue), ac_buttons(answer, state), edit=edit)


def related_buttons(answer: AcAnswer) -> tuple[tuple[Button, ...], ...]:
    ac = answer.criterion
    related = [Button(f"AC {key.split(' ')[1]}", cb.make(cb.SHOW_AC, *key.split(" ")))
               for key in ac.related]
    back = Button("◀ Back", cb.make(cb.BACK, ac.unit_code, ac.ref))
    return (*rows(related, 4), (back,))


def render_choose(choice: ChooseUnit) -> Reply:
    buttons = [Button(f"{u.code} {u.title}", cb.make(cb.SHOW_AC, u.code, choice.ref))
               for u in choice.units]
    return Reply(f"Several units have an AC {esc(choice.ref)}. Which unit do you mean?",
                 rows(buttons, 1))


def render_problem(problem: Problem) -> Reply:
    return Reply(esc(problem.message))


def render_search(answer: SearchAnswer) -> Reply:
    if not answer.covered:
        return Reply("The unit guidance does not cover that. Try /unit with a unit code (e.g. "
                     "<code>/unit 5015</code>) to see what a unit asks, or ask about an AC "
                     "(e.g. <code>/ac 5015 2.3</code>).")
    lines = ["These assessment criteria are closest to your question:"]
    buttons = []
    for i, found in enumerate(answer.found, 1):
        ac = found.criterion
        reason = KIND_REASON[found.hit.chunk.kind] if found.hit.chunk else "it matches"
        lines.append(f"{i}. <b>{esc(ac.key)}</b> {esc(ac.text)}\n<i>Why: {reason}.</i>")
        buttons.append(Button(f"Open {ac.key}", cb.make(cb.OPEN_AC, ac.unit_code, ac.ref)))
    return Reply("\n\n".join(lines), rows(buttons, 1))


def theorist_text(t: Theorist, limit: int = 6) -> str:
    where = list(t.cited_in[:limit]) + [f"{u} indicative content" for u in t.mentioned_in]
    more = f" and {len(t.cited_in) - limit} more" if len(t.cited_in) > limit else ""
    aliases = [a for a in t.aliases if a != t.name]
    spelled = f" (in the sources also: {esc(', '.join(aliases))})" if aliases else ""
    return (f"• <b>{esc(t.name)}</b>{spelled}: {esc(t.known_for)}\n"
            f"  <i>Cited in: {esc(', '.join(where))}{more}</i>")


def render_theorists(found: TheoristList) -> Reply:
    if not found.theorists:
        return Reply(f"The unit guidance names no theorists for “{esc(found.topic)}”. Try a "
                     f"broader topic or an AC, e.g. <code>/theorists 7015 2.1</code>.")
    body = "\n".join(theorist_text(t) for t in found.theorists)
    return Reply(f"<b>Theorists and models for {esc(found.topic)}</b>\n{body}")


def render_unit(unit: Unit, states: dict[str, AcState] | None = None) -> Reply:
    states = states or {}
    facts = [f"{unit.credits} credits"]
    if unit.glh:
        facts.append(f"{unit.glh} guided learning hours")
    if unit.tut:
        facts.append(f"total unit time {unit.tut} hours")
    parts = [f"<b>{unit_heading(unit)}</b>\n{', '.join(facts)}"
             + (f"; Ofqual {esc(unit.ofqual_ref)}" if unit.ofqual_ref else ""),
             f"<b>Aims</b>: {esc(unit.aims)}"]
    for lo in unit.learning_outcomes:
        acs = "\n".join(f"{STATE_MARK[states.get(ac.ref, AcState.not_started)]} {esc(ac.ref)} "
                        f"{esc(ac.text)}" for ac in lo.criteria)
        parts.append(f"<b>LO {esc(lo.number)}</b> {esc(lo.text)}\n{acs}")
    if unit.delivery_hours_required:
        parts.append(f"This unit asks you to deliver {unit.delivery_hours_required} hours of "
                     f"coaching or mentoring.")
    buttons = [Button(ac.ref, cb.make(cb.OPEN_AC, unit.code, ac.ref)) for ac in unit.criteria]
    return Reply("\n\n".join(parts), rows(buttons, 5))


def render_qualification(q: QualificationData, status: RuleStatus | None,
                         units: Iterable[Unit]) -> Reply:
    lines = [f"<b>{esc(q.title)}</b> ({esc(q.code)}"
             + (f", Ofqual {esc(q.qrn)}" if q.qrn else "") + ")",
             f"<b>Rule of combination</b>: {esc(q.rule.text)}"]
    for group in q.rule.groups:
        need = "all of these" if group.mandatory else f"at least {group.min_credits} credits"
        lines.append(f"<b>{esc(group.name)}</b> ({need}): {esc(', '.join(group.units))}")
    if status is not None:
        lines.append(f"<b>You</b>: {status.credits} of {status.min_credits} credits; "
                     + ("rule met ✅" if status.met else esc("; ".join(status.missing))))
    buttons = [Button(f"{u.code} {u.title}", cb.make(cb.UNIT, u.code)) for u in units]
    return Reply("\n\n".join(lines), rows(buttons, 1))


def render_qualification_choice(catalogue: Catalogue, intro: str) -> Reply:
    buttons = [Button(q.title.removeprefix("CMI "), cb.make(cb.PICK_QUALIFICATION, q.code))
               for q in catalogue.qualifications.values()]
    return Reply(intro, rows(buttons, 1))


def render_unit_choice(q: QualificationData, chosen: Iterable[str], catalogue: Catalogue, *,
                       edit: bool = True) -> Reply:
    chosen = set(chosen)
    buttons = [Button(f"{'✅' if c in chosen else '⬜'} {c} {catalogue.units[c].title}",
                      cb.make(cb.TOGGLE_UNIT, c))
               for g in q.rule.groups for c in g.units]
    text = (f"<b>{esc(q.title)}</b>\n{esc(q.rule.text)}\n\nTick the units you are studying, "
            f"then press Done.")
    return Reply(text, (*rows(buttons, 1), (Button("Done", cb.make(cb.DONE)),)), edit=edit)
