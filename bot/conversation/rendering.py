"""Answers as messages: HTML built from catalogue text (always escaped) and inline buttons.

Sentences attributed to a specification are quoted verbatim from the catalogue with their
document; everything else is this bot's own wording and reads as such.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from bot.conversation import buttons as cb
from bot.conversation.answers import (
    AcAnswer,
    ChooseUnit,
    Problem,
    SearchAnswer,
    TheoristList,
)
from bot.conversation.replies import Button, Buttons, Reply, esc, rows
from bot.conversation.router import (
    FactAnswer,
    Greeting,
    Integrity,
    Refusal,
    TheoristCard,
    VerbAnswer,
)
from bot.services.learners import is_done
from bot.services.tables import AcState
from content.catalogue import Catalogue, Criterion, Fact, Theorist, Unit
from content.rules import RuleStatus
from content.schema import QualificationData
from index.lexical import stem, tokens

STATE_MARK = {AcState.not_started: "⬜", AcState.drafting: "✏️", AcState.done: "✅",
              AcState.signed_off: "🎓"}


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


def ac_buttons(answer: AcAnswer, state: AcState) -> Buttons:
    ac = answer.criterion
    args = (ac.unit_code, ac.ref)
    done = is_done(state)
    first = [Button(f"{STATE_MARK[state]} {'Done' if done else 'Mark done'}",
                    cb.make(cb.MARK, *args))]
    if ac.related:
        first.append(Button("Related ACs", cb.make(cb.RELATED, *args)))
    first.append(Button("Share", inline_query=share_query(answer)))
    second = []
    if answer.theorists:
        second.append(Button("Theorists", cb.make(cb.THEORISTS, *args)))
    following = answer.unit.next_criterion(ac.ref)
    if following:
        second.append(Button(f"Next: AC {following.ref} ▶",
                             cb.make(cb.SHOW_AC, following.unit_code, following.ref)))
    second.append(Button(f"Unit {ac.unit_code}", cb.make(cb.UNIT, ac.unit_code)))
    others = tuple(Button(f"Or {key}?", cb.make(cb.OPEN_AC, *key.split(" ")))
                   for key in answer.alternatives)
    return (tuple(first), tuple(second), others) if others else (tuple(first), tuple(second))


def share_query(answer: AcAnswer) -> str:
    """What "Share" types after the bot's name in the chat picked: the reference as learners
    write it ("5015 2.3"), which the inline answer turns back into this card."""
    return f"{answer.unit.short_code} {answer.criterion.ref}"


def render_ac(answer: AcAnswer, state: AcState, catalogue: Catalogue, *,
              edit: bool = False) -> Reply:
    return Reply(ac_text(answer, catalogue), ac_buttons(answer, state), edit=edit)


def related_buttons(answer: AcAnswer) -> Buttons:
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


def theorist_text(t: Theorist, limit: int = 6) -> str:
    where = list(t.cited_in[:limit]) + [f"{u} indicative content" for u in t.mentioned_in]
    more = f" and {len(t.cited_in) - limit} more" if len(t.cited_in) > limit else ""
    aliases = [a for a in t.aliases if a != t.name]
    spelled = f" (in the sources also: {esc(', '.join(aliases))})" if aliases else ""
    return (f"• <b>{esc(t.name)}</b>{spelled}: {esc(t.known_for)}\n"
            f"  <i>Cited in: {esc(', '.join(where))}{more}</i>")


def render_theorists(found: TheoristList) -> Reply:
    """The theorists, headed by the topic, with the ACs whose guidance names them to open."""
    about = f"for “{esc(found.topic)}”" if found.topic else "for that"
    if not found.theorists:
        return Reply(f"The unit guidance names no theorists {about}. Try a broader topic or "
                     f"an AC, e.g. <code>/theorists 7015 2.1</code>.")
    heading = f"<b>Theorists and models {about}</b>"
    named = [s for s in found.sources if s != found.topic]  # an AC's own list says so above
    acs = [s for s in found.acs if s != found.topic]
    if named:
        where = ", ".join(f"{s} guidance" if s in acs else s for s in named)
        heading += f"\n<i>Named in: {esc(where)}</i>"
    body = "\n".join(theorist_text(t) for t in found.theorists)
    buttons = [Button(f"Open {key}", cb.make(cb.OPEN_AC, *key.split(" "))) for key in acs]
    return Reply(f"{heading}\n{body}", rows(buttons, 1))


def render_unit(unit: Unit, states: dict[str, AcState] | None = None,
                planning: bool = False) -> Reply:
    """The unit's card; asked how to plan its assignment, it ends with the way to /plan."""
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
    if planning:
        code = esc(unit.code.removesuffix("V1"))
        parts.append(f"To plan the assignment AC by AC, with a word budget and the guidance's "
                     f"must-dos for each, send <code>/plan {code}</code> in a private chat with "
                     f"me (add a due date for checkpoints).")
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
                       edit: bool = True, in_settings: bool = False) -> Reply:
    """The qualification's units to tick, with its rule of combination. Opened from
    /settings (`in_settings`), each tick says so, and the last row goes back to the settings
    (or to choosing another qualification) instead of Done."""
    chosen = set(chosen)
    where = (cb.IN_SETTINGS,) if in_settings else ()
    buttons = [Button(f"{'✅' if c in chosen else '⬜'} {c} {catalogue.units[c].title}",
                      cb.make(cb.TOGGLE_UNIT, c, *where))
               for g in q.rule.groups for c in g.units]
    last = ((Button("🔁 Another qualification", cb.make(cb.SETTINGS, "qual")),
             Button("↩️ Back", cb.make(cb.SETTINGS, "home"))) if in_settings
            else (Button("Done", cb.make(cb.DONE)),))
    text = (f"<b>{esc(q.title)}</b>\n{esc(q.rule.text)}\n\nTick the units you are studying, "
            f"then press {'Back' if in_settings else 'Done'}.")
    return Reply(text, (*rows(buttons, 1), last), edit=edit)


TRY = ("• an AC: “what does 5015 2.3 need?”\n"
       "• a topic in your own words: “my team don't buy into coaching”\n"
       "• a theorist or model: “who is Whitmore?”, “who should I cite for coaching culture?”\n"
       "• your qualification: “how many words per unit?”, “what does evaluate mean?”")
# Facts shown with their source quotes when there are at most this many; more are listed.
QUOTED_FACTS = 3


def render_greeting(greeting: Greeting) -> Reply:
    if greeting.said == "thanks":
        return Reply("You're welcome! Ask me again whenever you're stuck on an AC.")
    if greeting.said == "bye":
        return Reply("Bye for now! Ask me again whenever you're stuck on an AC.")
    if greeting.said == "ok":
        return Reply("👍 Ask me again whenever you're stuck on an AC.")
    return Reply(f"Hello! I know your coaching and mentoring units inside out. Ask me:\n{TRY}")


def render_integrity(integrity: Integrity) -> Reply:
    example = esc(integrity.example)
    return Reply(
        "I can't write your assignment, or any part of it, for you, nor help make up or sign "
        "records (logs, hours, feedback forms) that aren't genuinely yours: what you hand in "
        "has to be your own, and your assessor checks that it is. What I can do is help you "
        "write it yourself:\n"
        f"• what each AC asks, with the guidance written for it (<code>/ac {example}</code>)\n"
        f"• the theorists and models to read and cite (<code>/theorists {example}</code>)\n"
        "• what a command verb such as “evaluate” expects, and the word count for your level\n"
        "Tell me which AC you're working on and we'll start there.")


def render_refusal(refusal: Refusal) -> Reply:
    q = refusal.qualification
    scope = f"the units of the <b>{esc(q.title)}</b>" if q else "your coaching and mentoring units"
    return Reply(f"Sorry, that's not something {scope} cover, so I can't answer it. "
                 f"I can help with:\n{TRY}")


SIZES_IN_FULL = 2  # more units named than this get their credits on one line


def _unit_size(unit: Unit) -> str:
    """A unit's credits and hours, as its own specification page gives them."""
    hours = [f"{unit.glh} guided learning hours" if unit.glh else "",
             f"{unit.tut} hours of total unit time" if unit.tut else ""]
    said = " and ".join(h for h in hours if h)
    return (f"Unit {unit.code} {unit.title} carries {unit.credits} credits"
            + (f", with {said}." if said else "."))


def _quoted_once(fact: Fact, catalogue: Catalogue) -> dict[str, list[str]]:
    """Each quote's text once, with every source that prints it: the Level 5 and Level 7
    syllabi often say the same sentence, which a learner need not read twice."""
    quotes: dict[str, list[str]] = {}
    for source, text in fact.quotes:
        titles = quotes.setdefault(" ".join(text.split()), [])
        if (title := catalogue.document_title(source)) not in titles:
            titles.append(title)
    return quotes


def render_fact(answer: FactAnswer, catalogue: Catalogue) -> Reply:
    scope = f" · {esc(answer.scope)}" if answer.scope else ""
    parts = [f"<b>{esc(answer.topic)}</b>{scope}"]
    if len(answer.sizes) <= SIZES_IN_FULL:
        parts += [f"• {esc(_unit_size(unit))}\n<i>— {esc(catalogue.document_title(unit.source))}, "
                  f"unit {esc(unit.code)}</i>" for unit in answer.sizes]
    else:  # "done 5014 to 5019": one line, not six
        each = ", ".join(f"{u.short_code} {u.credits}" for u in answer.sizes)
        pages = "; ".join(dict.fromkeys(catalogue.document_title(u.source) for u in answer.sizes))
        parts.append(f"• Credits by unit: {esc(each)}.\n<i>— {esc(pages)}</i>")
    parts += [f"• {esc(w.text)}\n<i>Worked out from {esc(w.basis)}.</i>" for w in answer.worked]
    quoted = len(answer.facts) <= QUOTED_FACTS
    for fact in answer.facts:
        line = f"• {esc(fact.answer)}"
        if quoted:
            line += "".join(f"\n<blockquote>{esc(text)}</blockquote>\n"
                            f"<i>— {esc('; '.join(titles))}</i>"
                            for text, titles in _quoted_once(fact, catalogue).items())
        parts.append(line)
    if not quoted:
        sources = dict.fromkeys(catalogue.document_title(s) for f in answer.facts
                                for s, _ in f.quotes)
        parts.append(f"<i>Sources: {esc('; '.join(sources))}.</i>")
    if not answer.scope and answer.unit is None:
        parts.append("Choose your qualification with /start and I'll answer for yours alone.")
    return Reply("\n\n".join(parts))


def render_verb(answer: VerbAnswer, catalogue: Catalogue) -> Reply:
    parts = []
    for verb in answer.verbs:
        origin = (f"<i>{esc(catalogue.document_title(verb.source))}</i>" if verb.source
                  else "<i>This bot's summary of how CMI and ILM use the word.</i>")
        parts.append(f"<b>“{esc(verb.verb.capitalize())}”</b>: {esc(verb.meaning)}\n{origin}")
    return Reply("\n\n".join(parts))


def render_card(card: TheoristCard) -> Reply:
    """One theorist or model, as `/theorist` shows it."""
    return Reply(theorist_text(card.theorist).removeprefix("• "))


def render_search(answer: SearchAnswer) -> Reply:
    """Up to three ACs, each with the sentence that matched and the learner's words in bold."""
    lines = ["These ACs are the closest to your question:"]
    buttons = []
    for i, found in enumerate(answer.found, 1):
        ac = found.criterion
        chunk = found.hit.chunk
        if chunk is not None and chunk.kind == "bank":
            why = f"Learners ask: “{bold_words(chunk.text, answer.query)}”"
        else:
            why = f"Matched: “{bold_words(best_sentence(ac, answer.query), answer.query)}”"
        lines.append(f"{i}. <b>{esc(ac.key)}</b> {esc(ac.text)}\n<i>{why}</i>")
        buttons.append(Button(f"Open {ac.key}", cb.make(cb.OPEN_AC, ac.unit_code, ac.ref)))
    return Reply("\n\n".join(lines), rows(buttons, 1))


def best_sentence(criterion: Criterion, query: str) -> str:
    """The sentence of the AC or its guidance that shares most of the question's words."""
    wanted = set(tokens(query))
    sentences = [criterion.text] + [s for g in criterion.guidance for p in g.paragraphs
                                     for s in re.split(r"(?<=[.!?])\s+", p) if s.strip()]
    return max(sentences, key=lambda s: (len(wanted & set(tokens(s))), -len(s)))


def bold_words(text: str, query: str) -> str:
    """`text` escaped, with the words it shares with the question in bold."""
    wanted = set(tokens(query))
    out = []
    for piece in re.split(r"(\w+)", text):
        escaped = html.escape(piece, quote=False)
        out.append(f"<b>{escaped}</b>" if piece.isalnum() and stem(piece.casefold()) in wanted
                   else escaped)
    return "".join(out)
