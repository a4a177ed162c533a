"""The draft check without Telegram: reading files in memory (and refusing the ones it cannot
read), the word count and citations, the corpus against its answer keys, the conversation
(pasted text, a file without a unit, saving to the checklist, a tutor's switch) and
`python -m bot check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.__main__ import main
from bot.conversation import buttons as cb
from bot.conversation import drafts
from bot.conversation.chat import Chat
from bot.conversation.drafts import Upload
from bot.conversation.replies import plain
from bot.conversation.turn import Sender
from bot.services.draft_check import DraftChecker
from bot.services.draft_text import MAX_BYTES, Problem, Unreadable, from_text, read_draft
from bot.services.tables import AcStatus
from content.catalogue import Catalogue
from index.retriever import Retriever
from index.settings import IndexSettings
from tests.bot.conftest import TUTOR, buttons, rows, say
from tests.bot.test_tutor import code_of, snapshot
from tests.drafts.files import HERE, as_docx, as_pdf, encrypted_pdf, scanned_pdf
from tests.drafts.keys import run, scores

LEARNER = Sender(7001, "Priya")
DRAFT_A = "5015-a-numbered.txt"


@pytest.fixture(scope="module")
def checker(catalogue: Catalogue, retriever: Retriever) -> DraftChecker:
    return DraftChecker(catalogue, retriever)


# -- reading -------------------------------------------------------------------------------------

def _shape(name: str, data: bytes) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in read_draft(name, data).blocks if b.kind != "table"]


@pytest.mark.parametrize("name", ["5015-a-numbered.txt", "5015-c-noheadings.txt",
                                  "7016-b-topical.txt"])
def test_a_draft_reads_the_same_from_text_word_and_pdf(name: str) -> None:
    text = _shape(name, (HERE / name).read_bytes())
    assert _shape("draft.docx", as_docx(name)) == text
    assert _shape("draft.pdf", as_pdf(name)) == text


def test_text_pasted_with_one_line_a_paragraph_keeps_its_paragraphs() -> None:
    pasted = (HERE / "5015-c-noheadings.txt").read_text().replace("\n\n", "\n")
    draft = from_text(pasted)
    assert [b.words for b in draft.blocks if b.kind == "paragraph"] == [71, 101, 71, 73, 82]
    assert [b.kind for b in draft.blocks][-3:] == ["heading", "reference", "reference"]


def test_the_word_count_leaves_out_headings_tables_references_and_appendices() -> None:
    table = [["Barrier", "Solution"], ["Time pressure on managers", "A two-month pilot"]]
    with_table = read_draft("draft.docx", as_docx(DRAFT_A, table=table))
    plain_text = read_draft(DRAFT_A, (HERE / DRAFT_A).read_bytes())
    assert any(b.kind == "table" and "Time pressure" in b.text for b in with_table.blocks)
    assert with_table.body_words == plain_text.body_words == 1006
    draft = from_text("AC 1.1 Uses\n\nOne two three four five.\n\nReferences\n\n"
                      "Whitmore, J. (2017) Coaching for performance.\n\nAppendix A: survey\n\n"
                      "Six seven eight nine ten eleven.")
    assert draft.body_words == 5
    assert [b.kind for b in draft.blocks] == ["heading", "paragraph", "heading", "reference",
                                              "heading", "appendix"]


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("scan.pdf", scanned_pdf(), Problem.scanned),
    ("locked.pdf", encrypted_pdf("5015-d-partial.txt"), Problem.encrypted),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), Problem.encrypted),
    ("broken.docx", as_docx("5015-d-partial.txt")[:2000], Problem.corrupt),
    ("broken.pdf", as_pdf("5015-d-partial.txt")[:700], Problem.corrupt),
    ("renamed.pdf", b"just some words, not a PDF", Problem.corrupt),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), Problem.unsupported),
    ("blank.txt", b" \n\n  \n", Problem.empty),
    ("big.txt", b"a" * (MAX_BYTES + 1), Problem.too_big),
])
def test_files_it_cannot_read_say_why(name: str, data: bytes, problem: Problem) -> None:
    with pytest.raises(Unreadable) as raised:
        read_draft(name, data)
    assert raised.value.problem == problem


# -- the check -----------------------------------------------------------------------------------

def test_citations_are_held_against_the_reference_list(checker: DraftChecker,
                                                       catalogue: Catalogue) -> None:
    report = checker.check(read_draft(DRAFT_A, (HERE / DRAFT_A).read_bytes()),
                           catalogue.units["5015V1"])
    assert report.cited_not_listed == ("CMI 2019", "Goleman 2000")
    assert report.listed_not_cited == ("Whitmore 2017",)
    assert report.words == 1006 and report.range == (2500, 3000)


def test_the_check_meets_the_targets_on_the_drafts_corpus(checker: DraftChecker,
                                                          catalogue: Catalogue) -> None:
    """The issue's targets, on the 12 drafts and their keys (scripts/eval_drafts.py prints the
    figures and the disagreements)."""
    rows_ = run(checker, catalogue)
    result = scores(rows_)
    assert len({r.file for r in rows_}) >= 12 and {r.file[:2] for r in rows_} >= {"50", "70", "D5"}
    assert result["missing"]["precision"] >= 0.95 and result["missing"]["recall"] >= 0.90
    assert result["thin"]["precision"] >= 0.80


# -- in the conversation -------------------------------------------------------------------------

def test_pasted_text_is_checked_and_nothing_is_kept_until_saved(chat: Chat,
                                                                engine: Engine) -> None:
    say(chat, LEARNER, "/note 5015 3.3 ask Sam about the review dates")
    before = snapshot(engine)
    replies = chat.message(LEARNER, "/check 5015 " + (HERE / "5015-d-partial.txt").read_text())
    text = plain(replies[0].html)
    assert "Draft check · 5015V1" in text and "not stored" in text
    assert "❌ 1.1 not found: Identify how coaching and mentoring is used" in text
    assert "✅ 2.4 addressed" in text and "⚠️ 3.2 thin (7 words)" in text
    assert "won't write any of it for you" in text
    assert ("❌ Open 1.1", cb.make(cb.OPEN_AC, "5015V1", "1.1")) in buttons(replies[0])
    saved = dict(buttons(replies[0]))["💾 Save to my checklist"]
    assert saved == "ds:5015V1:00000011a1"  # 6 missing, 2.4 3.1 addressed, 3.2 thin
    assert snapshot(engine)["acstatus"] == before["acstatus"]
    assert "one line on each of its 10 ACs" in plain(chat.press(LEARNER, saved)[0].html)
    notes = {r.ref: r.note for r in rows(engine, AcStatus)}
    assert notes["1.1"].endswith("Draft check 2026-11-23: not found")
    assert notes["3.2"].endswith(": thin (words)")
    assert notes["3.3"] == "ask Sam about the review dates\nDraft check 2026-11-23: addressed"
    chat.press(LEARNER, saved)  # again: the earlier line is replaced, not repeated
    assert {r.ref: r.note for r in rows(engine, AcStatus)} == notes


def test_a_file_without_a_unit_waits_in_memory_for_the_unit_button(chat: Chat,
                                                                   engine: Engine) -> None:
    data = as_docx("7016-b-topical.txt")
    before = snapshot(engine)
    asked = chat.document(LEARNER, Upload("policy report.docx", len(data), data))
    assert "Which unit is this draft for?" in plain(asked[0].html)
    assert snapshot(engine)["acstatus"] == before["acstatus"]
    report = plain(chat.press(LEARNER, cb.make(cb.DRAFT_UNIT, "7016V1"))[0].html)
    assert "Draft check · 7016V1" in report and "❌ 1.2 not found" in report
    again = plain(chat.press(LEARNER, cb.make(cb.DRAFT_UNIT, "7016V1"))[0].html)
    assert "no longer have that draft" in again


def test_the_unit_comes_from_the_caption_or_the_draft_itself(chat: Chat) -> None:
    data = (HERE / "D5.02-b-topical.txt").read_bytes()
    captioned = chat.document(LEARNER, Upload("reflection.txt", len(data), data, "ILM D5.02"))
    assert "Draft check · D5.02" in plain(captioned[0].html)
    assert "ILM sets no word count" in plain(captioned[0].html)
    titled = (HERE / "5015-a-numbered.txt").read_bytes()  # "Unit 5015V1 …" on its first line
    assert "Draft check · 5015V1" in plain(chat.document(
        LEARNER, Upload("draft.txt", len(titled), titled))[0].html)


@pytest.mark.parametrize(("upload", "says"), [
    (Upload("big.pdf", MAX_BYTES + 1, None), "over 20 MB"),
    (Upload("scan.pdf", 1000, scanned_pdf()), "looks scanned"),
    (Upload("draft.docx", 900, as_docx("5015-d-partial.txt")[:900]), "looks damaged"),
    (Upload("locked.pdf", 1, encrypted_pdf("5015-d-partial.txt")), "password-protected"),
    (Upload("slides.pptx", 5, b"PK\x03\x04x"), "looks damaged"),
    (Upload("song.mp3", 5, b"ID3\x00\x00"), "I can read .docx, .pdf and .txt"),
])
def test_a_file_it_cannot_read_gets_a_clear_reply_and_changes_nothing(
        chat: Chat, engine: Engine, upload: Upload, says: str) -> None:
    say(chat, LEARNER, "/start")
    before = snapshot(engine)
    reply = plain(chat.document(LEARNER, upload)[0].html)
    assert says in reply and "Nothing was stored." in reply
    assert snapshot(engine) == before


def test_drafts_only_in_private_and_not_when_the_tutor_switched_them_off(
        chat: Chat, engine: Engine) -> None:
    data = (HERE / "5015-d-partial.txt").read_bytes()
    in_group = Sender(LEARNER.telegram_id, "Priya", private=False, chat_id=-100)
    assert chat.document(in_group, Upload("d.txt", len(data), data, "5015")) == []
    assert "message me directly" in say(chat, in_group, "/check 5015 some text")
    assert "created" in say(chat, TUTOR, "/newcohort Spring L5 Certificate")
    say(chat, LEARNER, f"/start join_{code_of(engine, 'Spring')}")
    assert "That command is for tutors" in say(chat, LEARNER, "/drafts Spring off")
    assert "Draft checks for Spring are on" in say(chat, TUTOR, "/drafts Spring")
    assert "Draft checks for Spring are off" in say(chat, TUTOR, "/drafts Spring off")
    refused = chat.document(LEARNER, Upload("d.txt", len(data), data, "5015"))
    assert plain(refused[0].html) == drafts.SWITCHED_OFF
    assert say(chat, LEARNER, "/check 5015 text") == drafts.SWITCHED_OFF
    assert "are on" in say(chat, TUTOR, "/drafts Spring on")
    assert "Draft check · 5015V1" in plain(chat.document(
        LEARNER, Upload("d.txt", len(data), data, "5015"))[0].html)


# -- from the command line -----------------------------------------------------------------------

def test_python_m_bot_check_prints_the_report_and_json(
        index_settings: IndexSettings, retriever: Retriever, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("INDEX_DIR", str(index_settings.index_dir))
    draft = tmp_path / "draft.pdf"
    draft.write_bytes(as_pdf("D5.01-b-topical.txt"))
    assert main(["check", str(draft), "--unit", "D5.01", "--json"]) == 0
    out = capsys.readouterr().out.strip().split("\n")
    result = json.loads(out[-1])
    assert result["unit"] == "D5.01" and result["words"] == 444
    assert result["acs"]["D5.01 2.3"] == {"status": "missing", "reasons": [], "where": [],
                                          "words": 0, "own_heading": False}
    assert result["acs"]["D5.01 1.2"]["status"] == "addressed"
    assert result["acs"]["D5.01 1.2"]["where"][0] == "Values, Challenge and Power"
    assert "Draft check · D5.01" in out[0]
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf())
    assert main(["check", str(tmp_path / "scan.pdf"), "--unit", "5015"]) == 2
    assert "looks scanned" in capsys.readouterr().err
    assert main(["check", str(draft), "--unit", "9999"]) == 2
