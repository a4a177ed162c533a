"""Draft check, private chats only: a learner sends a .docx, .pdf or .txt (or pastes text after
/check 5015) and gets one line per AC of the unit (addressed and where, thin and why, not
found), the word count against the level's range, citations against the reference list and
whether each AC has a heading of its own.

The file is read in memory and never stored. A draft that arrives without a unit waits in this
process's memory (at most `PENDING_SECONDS`) until the learner presses the unit's button;
only a press of "Save to my checklist" writes anything: one line on each AC's note.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from bot.conversation import buttons as cb
from bot.conversation.registry import REGISTRY, Where
from bot.conversation.rendering import unit_heading
from bot.conversation.replies import Button, Reply, esc, rows
from bot.conversation.tracking import TRACK, unit_buttons
from bot.conversation.turn import Turn
from bot.conversation.tutor import TUTORS, cohort_command
from bot.services import draft_notes, learners
from bot.services.dates import local_today, zone
from bot.services.draft_check import DraftChecker, DraftReport
from bot.services.draft_text import (
    MAX_BYTES,
    DraftText,
    Problem,
    Unreadable,
    from_text,
    read_draft,
)
from bot.services.tables import Cohort, Role
from content.catalogue import Catalogue, Unit

PENDING_SECONDS = 600
NOT_STORED = "🔒 Read in memory only: your draft is not stored."
NO_WRITING = ("I check your draft against the ACs; I won't write any of it for you, but each "
              "line above says what to work on.")
SEND_HOW = ("Send your draft as a .docx, .pdf or .txt file with the unit as its caption "
            "(e.g. <code>5015</code>), or paste the text after <code>/check 5015</code>.")
PROBLEMS = {
    Problem.too_big: "That file is over 20 MB, the most Telegram lets me download. Save a copy "
                     "without images, or as .txt, and send that.",
    Problem.unsupported: "I can read .docx, .pdf and .txt files. Save your draft as one of those "
                         "(File → Save as) and send it again.",
    Problem.empty: "I found no text in that file. Is it the right one?",
    Problem.scanned: "That PDF has pages but no text I can read: it looks scanned. Send the "
                     "original .docx, or a PDF saved from your word processor.",
    Problem.encrypted: "That file is password-protected, so I can't open it. Save a copy "
                       "without the password and send that.",
    Problem.corrupt: "I couldn't open that file: it looks damaged. Save it again (or as .pdf "
                     "or .txt) and send it again.",
}
SWITCHED_OFF = ("Your tutor has switched draft checks off for your cohort. /plan and "
                "/checklist still work.")
MARK = {"addressed": "✅", "thin": "⚠️", "missing": "❌"}
# A check's result per AC in a button payload: 0 missing, 1 addressed, a-o thin (reason bits).
REASON_BITS = {"words": 1, "verb": 2, "examples": 4, "theorists": 8}
_UNIT_WORD = re.compile(r"\b(?:ILM\s*)?([A-Za-z]?\d{1,4}(?:\.\d{2})?(?:V\d)?)\b")


@dataclass(frozen=True)
class Upload:
    """A file a learner sent: its bytes, or None when it was too big to download."""

    filename: str
    size: int
    data: bytes | None
    caption: str = ""


class _Waiting:
    """Drafts that arrived without a unit, by Telegram id, until the unit's button is pressed
    (in this process's memory only, and for a few minutes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._drafts: dict[int, tuple[float, DraftText]] = {}

    def put(self, telegram_id: int, draft: DraftText) -> None:
        with self._lock:
            now = time.monotonic()
            self._drafts = {k: v for k, v in self._drafts.items()
                            if now - v[0] < PENDING_SECONDS}
            self._drafts[telegram_id] = (now, draft)

    def take(self, telegram_id: int) -> DraftText | None:
        with self._lock:
            found = self._drafts.pop(telegram_id, None)
        if found is None or time.monotonic() - found[0] >= PENDING_SECONDS:
            return None
        return found[1]


WAITING = _Waiting()


def unit_in(text: str, catalogue: Catalogue) -> Unit | None:
    """The first unit code in `text` ("5015", "unit 7016V1", "ILM D5.01")."""
    for match in _UNIT_WORD.finditer(text[:600]):
        unit = catalogue.unit(match.group(1))
        if unit is not None:
            return unit
    return None


def codes(report: DraftReport) -> str:
    """The report's result per AC, one character each, for the save button."""
    out = []
    for result in report.acs:
        if result.status == "thin":
            bits = sum(REASON_BITS[r.code] for r in result.reasons)
            out.append(chr(ord("a") + bits - 1))
        else:
            out.append("1" if result.status == "addressed" else "0")
    return "".join(out)


def describe_code(code: str) -> str:
    """The words a saved note uses for one character of `codes`."""
    if code in "01":
        return "addressed" if code == "1" else "not found"
    bits = ord(code) - ord("a") + 1
    return "thin (" + ", ".join(r for r, b in REASON_BITS.items() if bits & b) + ")"


def render_report(report: DraftReport) -> Reply:
    """One line per AC, then words, citations and headings; buttons to open what is missing
    and to save the result on the checklist."""
    parts = [f"<b>Draft check · {unit_heading(report.unit)}</b>\n{NOT_STORED}"]
    for lo in report.unit.learning_outcomes:
        lines = []
        for ac in lo.criteria:
            result = report.result(ac.ref)
            line = f"{MARK[result.status]} <b>{esc(ac.ref)}</b> "
            if result.status == "missing":
                line += f"not found: {esc(ac.text)}"
            else:
                line += f"{result.status} ({result.words} words): {esc(' · '.join(result.where))}"
                line += "".join(f"\n    • {esc(r.text)}" for r in result.reasons)
            lines.append(line)
        parts.append(f"<b>LO {esc(lo.number)}</b>\n" + "\n".join(lines))
    parts.append(_words_line(report))
    parts.append(_citations_line(report))
    parts.append(_headings_line(report))
    parts.append(f"<i>{NO_WRITING}</i>")
    missing = [Button(f"❌ Open {r.criterion.ref}", cb.make(cb.OPEN_AC, report.unit.code,
                                                             r.criterion.ref))
               for r in report.acs if r.status == "missing"]
    save = Button("💾 Save to my checklist", cb.make(cb.SAVE_DRAFT, report.unit.code,
                                                     codes(report)))
    return Reply("\n\n".join(parts), (*rows(missing, 4), (save,)))


def _words_line(report: DraftReport) -> str:
    line = (f"<b>Words</b>: {report.words:,} as CMI counts them (headings, tables, the "
            f"reference list and appendices left out).")
    if report.range is None:
        line += f" {esc(report.unit.awarding_body)} sets no word count for this unit."
    else:
        low, high = report.range
        line += f" Level {report.unit.level} expects {low:,}–{high:,} for the unit"
        if report.words < low:
            line += f": about {low - report.words:,} short."
        elif report.words > high:
            line += f": about {report.words - high:,} over."
        else:
            line += ": within the range ✅."
    if report.appendix_words:
        line += (f" Appendices hold {report.appendix_words:,} more words, not counted: the "
                 f"answer belongs in the body.")
    return line


def _citations_line(report: DraftReport) -> str:
    if not report.cited_not_listed and not report.listed_not_cited:
        return ("<b>Citations</b>: every in-text citation is in the reference list ✅"
                if report.has_reference_list else
                "<b>Citations</b>: no citations and no reference list found.")
    lines = ["<b>Citations</b>"]
    if report.cited_not_listed:
        where = "in the reference list" if report.has_reference_list else \
            "in a reference list (I found none)"
        lines.append(f"Cited but not {where}: {esc(', '.join(report.cited_not_listed))}.")
    if report.listed_not_cited:
        lines.append(f"In the reference list but not cited: "
                     f"{esc(', '.join(report.listed_not_cited))}.")
    return "\n".join(lines)


def _headings_line(report: DraftReport) -> str:
    found = [r for r in report.acs if r.status != "missing"]
    without = [r.criterion.ref for r in found if not r.own_heading]
    if not found:
        return "<b>Headings</b>: no AC found."
    if not without:
        return "<b>Headings</b>: every AC found has a heading of its own ✅"
    return (f"<b>Headings</b>: no heading of their own for {esc(', '.join(without))}. A marker "
            f"looks for one heading per AC, e.g. “AC 1.2 Benefits to the organisation”.")


def _check(turn: Turn, draft: DraftText, unit: Unit) -> list[Reply]:
    learners.remember_unit(turn.session, learner=turn.person, unit_code=unit.code)
    report = DraftChecker(turn.catalogue, turn.retriever).check(draft, unit)
    return [render_report(report)]


def _ask_unit(turn: Turn, draft: DraftText) -> list[Reply]:
    WAITING.put(turn.sender.telegram_id, draft)
    return [Reply(f"Which unit is this draft for? I keep it in memory for "
                  f"{PENDING_SECONDS // 60} minutes while you choose; it is never stored.",
                  unit_buttons(turn, cb.DRAFT_UNIT))]


def received(turn: Turn, upload: Upload) -> list[Reply]:
    """A file in a private chat: read it in memory, then check it (or ask for the unit)."""
    if not turn.sender.private:
        return []
    if not draft_notes.allowed(turn.session, learner_id=turn.person_id):
        return [Reply(SWITCHED_OFF)]
    if upload.data is None or upload.size > MAX_BYTES:
        return [Reply(f"{PROBLEMS[Problem.too_big]} Nothing was stored.")]
    try:
        draft = read_draft(upload.filename, upload.data)
    except Unreadable as exc:
        return [Reply(f"{PROBLEMS[exc.problem]} Nothing was stored.")]
    heading = " ".join(b.text for b in draft.blocks[:3])
    unit = (unit_in(upload.caption, turn.catalogue)
            or unit_in(f"{upload.filename} {heading}", turn.catalogue))
    if unit is None:
        return _ask_unit(turn, draft)
    return _check(turn, draft, unit)


@REGISTRY.command("check", "/check 5015", "check your draft against a unit's ACs (send the "
                  "file, or paste the text after the unit)", section=TRACK)
def check(turn: Turn, args: str) -> list[Reply]:
    """/check [unit] [pasted text]: a draft check of pasted text, or how to send a file."""
    if not draft_notes.allowed(turn.session, learner_id=turn.person_id):
        return [Reply(SWITCHED_OFF)]
    first, _, rest = args.strip().partition(" ")
    unit = turn.catalogue.unit(first) if first else None
    text = rest.strip() if unit is not None else args.strip()
    if not text:
        return [Reply(SEND_HOW)]
    try:
        draft = from_text(text)
    except Unreadable:
        return [Reply(f"I found no paragraphs in that text. {SEND_HOW}")]
    return _check(turn, draft, unit) if unit is not None else _ask_unit(turn, draft)


@REGISTRY.press(cb.DRAFT_UNIT, where=Where.private)
def unit_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """The unit for a draft waiting in memory."""
    draft = WAITING.take(turn.sender.telegram_id)
    unit = turn.catalogue.units[pressed.unit or ""]
    if draft is None:
        return [Reply(f"I no longer have that draft in memory (I never store drafts). Send it "
                      f"again with <code>{esc(unit.code)}</code> as its caption.", edit=True)]
    return _check(turn, draft, unit)


@REGISTRY.press(cb.SAVE_DRAFT, where=Where.private)
def save_pressed(turn: Turn, pressed: cb.Press) -> list[Reply]:
    """Save a check's per-AC result as a line on each AC's note (the draft is not kept)."""
    unit = turn.catalogue.units[pressed.unit or ""]
    results = {ac.ref: describe_code(code)
               for ac, code in zip(unit.criteria, pressed.name or "", strict=True)}
    day = local_today(turn.now, zone(turn.person.timezone))
    saved = draft_notes.save(turn.session, learner_id=turn.person_id, unit_code=unit.code,
                             results=results, day=day)
    return [Reply(f"Saved on your /checklist for {esc(unit.code)}: one line on each of its "
                  f"{saved} ACs. The draft itself is not stored.", toast="Saved")]


@REGISTRY.command("drafts", "/drafts NAME on|off", "whether a cohort's learners may have "
                  "drafts checked", section=TUTORS, audience=Role.tutor)
@cohort_command()
def drafts_switch(turn: Turn, found: Cohort, words: list[str]) -> list[Reply]:
    """/drafts NAME on|off: draft checks for a cohort's members."""
    wanted = words[0].lower() if words else ""
    if wanted not in ("on", "off"):
        return [Reply(f"Draft checks for {esc(found.name)} are "
                      f"{'on' if found.draft_checks else 'off'}. Switch them with "
                      f"<code>/drafts {esc(found.name)} off</code> or <code>on</code>.")]
    found.draft_checks = wanted == "on"
    turn.session.add(found)
    return [Reply(f"Draft checks for {esc(found.name)} are {wanted}: its members "
                  f"{'can' if found.draft_checks else 'can no longer'} send drafts to check.")]
