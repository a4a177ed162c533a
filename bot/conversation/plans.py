"""/plan 5015 [due date], private chats only: an outline of the assignment (one heading per AC
in order, its word budget, the guidance's must-dos quoted, the theorists it names), also sent
as a .docx skeleton; with a due date, backward checkpoints that become reminders only when the
learner presses "Create"."""

from __future__ import annotations

from datetime import date

from bot.conversation import buttons as cb
from bot.conversation.documents import Document, Heading, Paragraph, to_docx
from bot.conversation.registry import REGISTRY, Where
from bot.conversation.rendering import unit_heading
from bot.conversation.replies import Attachment, Button, Reply, esc
from bot.conversation.tracking import TRACK, unit_buttons
from bot.conversation.turn import Turn
from bot.services import learners, plans
from bot.services.assignment import must_dos, targets, word_range
from bot.services.dates import DateError, local_today, parse_date, show_date, zone
from content.catalogue import Catalogue, Criterion, Unit

EXAMPLE = "e.g. <code>/plan 5015</code>, or with your due date <code>/plan 5015 31 Jan</code>"
DAY = "%Y%m%d"  # a day in a button's payload


def _today(turn: Turn) -> date:
    return local_today(turn.now, zone(turn.person.timezone))


def _theorist_names(catalogue: Catalogue, names: tuple[str, ...]) -> str:
    return ", ".join(t.name if (t := catalogue.theorist(n)) else n for n in names)


def _words_line(unit: Unit) -> str:
    total = word_range(unit)
    if total is None:
        return (f"<b>Words</b>: {esc(unit.awarding_body)} sets no word count for this unit, "
                f"so there are no budgets; give each AC room in proportion to its verb.")
    aim = sum(targets(unit).values())
    return (f"<b>Words</b>: about {aim:,} in all, within the {total[0]:,}–{total[1]:,} Level "
            f"{unit.level} expects; each AC's share is weighted by what its verb asks.")


def _ac_part(turn: Turn, unit: Unit, ac: Criterion, budget: int | None) -> str:
    words = f" · about {budget} words" if budget else ""
    lines = [f"<b>{esc(ac.ref)} {esc(ac.text)}</b>{words}"]
    needed = must_dos(ac)
    if needed:
        lines.append("What the guidance asks for, in its words:")
        lines.extend(f"• <i>“{esc(s)}”</i>" for s in needed)
    elif ac.guidance:
        lines.append(f"The guidance sets no must-do; read it with "
                     f"<code>/ac {esc(unit.code)} {esc(ac.ref)}</code>.")
    if ac.theorists:
        lines.append(f"Theorists and models: {esc(_theorist_names(turn.catalogue, ac.theorists))}")
    return "\n".join(lines)


def skeleton(catalogue: Catalogue, unit: Unit, due: date | None) -> Document:
    """The outline as a document: one heading per AC, its budget and must-dos under it."""
    total = word_range(unit)
    words = (f"about {sum(targets(unit).values()):,} words ({total[0]:,}–{total[1]:,})"
             if total else "no word count set")
    when = f" · due {show_date(due)}" if due else ""
    blocks: list[Heading | Paragraph] = []
    budgets = targets(unit)
    for ac in unit.criteria:
        budget = budgets.get(ac.ref)
        blocks.append(Heading(f"AC {ac.ref} {ac.text}"))
        blocks.append(Paragraph(f"About {budget} words." if budget else "Your answer."))
        blocks.extend(Paragraph(f"Guidance: “{s}”") for s in must_dos(ac))
        if ac.theorists:
            blocks.append(Paragraph("Theorists and models to consider: "
                                    + _theorist_names(catalogue, ac.theorists)))
    return Document(f"{unit.code} {unit.title}: assignment outline",
                    f"{unit.awarding_body} Level {unit.level} · {words}{when}", tuple(blocks))


def preview(turn: Turn, unit: Unit, due: date | None) -> Reply:
    """The plan: words, one part per AC, and with a due date its checkpoints and the buttons
    to create their reminders (nothing is scheduled before "Create")."""
    learners.remember_unit(turn.session, learner=turn.person, unit_code=unit.code)
    parts = [f"<b>Assignment plan · {unit_heading(unit)}</b>", _words_line(unit)]
    if not any(ac.guidance for ac in unit.criteria):
        parts[-1] += (f" The specification gives no guidance per AC; see the unit's indicative "
                      f"content with <code>/unit {esc(unit.code)}</code>.")
    budgets = targets(unit)
    parts.extend(_ac_part(turn, unit, ac, budgets.get(ac.ref)) for ac in unit.criteria)
    parts.append(f"<i>Quoted from {esc(turn.catalogue.document_title(unit.source))}. The "
                 f"outline is attached as a .docx: one heading per AC.</i>")
    doc = Attachment(f"plan-{unit.code}.docx", to_docx(skeleton(turn.catalogue, unit, due)),
                     caption=f"Outline for {esc(unit.code)}: one heading per AC, its budget "
                             f"under it.")
    if due is None:
        parts.append(f"Add your due date for checkpoint reminders, e.g. "
                     f"<code>/plan {esc(unit.code)} 31 Jan</code>.")
        return Reply("\n\n".join(parts), attachment=doc)
    start = _today(turn)
    points = plans.checkpoints(start=start, due=due, now=turn.now,
                               timezone=turn.person.timezone)
    lines = "\n".join(f"• {show_date(p.day)}: {p.name}" for p in points)
    parts.append(f"<b>Checkpoints</b> to {show_date(due)} (reminders at "
                 f"{plans.CHECKPOINT_TIME:%H:%M}, {esc(turn.person.timezone)})\n{lines}\n"
                 f"Press <b>Create</b> to schedule these reminders.")
    payload = (unit.code, f"{start:{DAY}}", f"{due:{DAY}}")
    return Reply("\n\n".join(parts),
                 ((Button("✅ Create reminders", cb.make(cb.PLAN, "create", *payload)),
                   Button("✖️ Cancel", cb.make(cb.PLAN, "cancel", *payload))),),
                 attachment=doc)


def _choose_unit(turn: Turn, intro: str) -> Reply:
    return Reply(f"{intro} Which unit is the assignment for? ({EXAMPLE}.)",
                 unit_buttons(turn, cb.PLAN_UNIT))


@REGISTRY.command("plan", "/plan 5015 31 Jan", "an assignment plan: headings, word budgets, "
                  "must-dos and checkpoint reminders to your due date", section=TRACK)
def plan(turn: Turn, args: str) -> list[Reply]:
    """/plan [unit] [due date]: the plan's preview (the unit asked with buttons if missing)."""
    first, _, when = args.strip().partition(" ")
    if not first:
        return [_choose_unit(turn, "Let's plan your assignment.")]
    unit = turn.catalogue.unit(first)
    if unit is None:
        return [_choose_unit(turn, f"I don't know the unit “{esc(first[:40])}”.")]
    if not when.strip():
        return [preview(turn, unit, None)]
    try:
        parsed = parse_date(when, _today(turn))
    except DateError as exc:
        return [Reply(f"{esc(exc)} Give the due date after the unit, {EXAMPLE}.")]
    if parsed.rest:
        return [Reply(f"I read the due date as {show_date(parsed.day)} but not "
                      f"“{esc(parsed.rest[:40])}” after it. Give only the date, {EXAMPLE}.")]
    if parsed.day <= _today(turn):
        return [Reply(f"{show_date(parsed.day)} is not in the future: a due date needs to be, "
                      f"{EXAMPLE}. Nothing was scheduled.")]
    return [preview(turn, unit, parsed.day)]


@REGISTRY.press(cb.PLAN_UNIT, where=Where.private)
def unit_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """The unit for /plan, pressed."""
    return [preview(turn, turn.catalogue.units[pressed.unit or ""], None)]


@REGISTRY.press(cb.PLAN, where=Where.private)
def plan_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """Create the previewed checkpoints' reminders (once, however often it is pressed), or
    cancel, which schedules nothing."""
    unit = turn.catalogue.units[pressed.unit or ""]
    start, due = cb.payload_day(pressed.name or ""), cb.payload_day(pressed.value or "")
    assert start is not None and due is not None  # buttons.parse checked both
    if pressed.verb == "cancel":
        gone = plans.cancel(turn.session, learner=turn.person, unit=unit, due=due)
        also = f" ({gone} scheduled earlier now cancelled)" if gone else ""
        return [Reply(f"Cancelled: no checkpoint reminders for {esc(unit.code)} due "
                      f"{show_date(due)}{also}. The outline is yours to keep.",
                      toast="Cancelled")]
    points = plans.checkpoints(start=start, due=due, now=turn.now,
                               timezone=turn.person.timezone)
    if due <= _today(turn) or not points:
        return [Reply(f"{show_date(due)} has passed, so there is nothing to schedule. Send "
                      f"<code>/plan {esc(unit.code)} DATE</code> with your new date.")]
    made = plans.schedule(turn.session, learner=turn.person, unit=unit, due=due, points=points)
    lines = "\n".join(f"• {show_date(p.day)}: {p.name}" for p in points)
    if made == 0:
        return [Reply(f"These reminders for {esc(unit.code)} were already scheduled; nothing "
                      f"added.\n{lines}", toast="Already scheduled")]
    return [Reply(f"✅ Scheduled {made} reminders for {esc(unit.code)}, due "
                  f"{show_date(due)} (at {plans.CHECKPOINT_TIME:%H:%M} your time):\n{lines}\n"
                  f"A new <code>/plan {esc(unit.code)} DATE</code> replaces them.",
                  toast="Scheduled")]
