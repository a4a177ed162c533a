"""End to end, the draft check: a learner sends a .docx and a .pdf to the real bot process
through the emulator (a Document, getFile, the file URL) and gets the per-AC report; a
corrupt file, a scanned PDF and a 21 MB file get their clear replies; nothing is stored
unless "Save to my checklist" is pressed."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bot.services.database import make_engine
from tests.bot.conftest import Conversation, labels
from tests.bot.test_tutor import snapshot
from tests.drafts.files import as_docx, as_pdf, scanned_pdf

pytestmark = [pytest.mark.database]


@pytest.fixture(scope="module")
def engine(bot_database: str) -> Engine:
    return make_engine(bot_database)


def test_a_docx_gets_the_per_ac_report_and_saving_notes_each_ac(talk, engine: Engine) -> None:
    me: Conversation = talk()
    me.send("/start")
    before = snapshot(engine)
    report = me.send_file("priya draft.docx", as_docx("5015-a-numbered.txt"), caption="5015")
    assert "Draft check · 5015V1 Management of coaching and mentoring" in report.text
    assert "Read in memory only: your draft is not stored." in report.text
    assert "⚠️ 1.2 thin (110 words): AC 1.2 Benefits of coaching" in report.text
    assert "no theorist or model cited; the guidance names Elisabeth Kübler-Ross" in report.text
    assert "✅ 3.2 addressed" in report.text
    assert "Words: 1,006 as CMI counts them" in report.text and "about 1,494 short" in report.text
    assert "Cited but not in the reference list: CMI 2019, Goleman 2000." in report.text
    assert "💾 Save to my checklist" in labels(report)
    assert snapshot(engine)["acstatus"] == before["acstatus"]
    me.press(report, "💾 Save")
    me.emu.wait_for(lambda r: r.chat_id == me.chat.id and r.seq > report.seq
                    and "one line on each of its 10 ACs" in (r.text or ""), timeout=30)
    checklist = me.send("/checklist 5015")
    assert "📝 Draft check" in checklist.text and ": thin (verb)" in checklist.text


def test_a_pdf_without_a_unit_asks_for_it_then_reports(talk, engine: Engine) -> None:
    me: Conversation = talk()
    asked = me.send_file("policy report.pdf", as_pdf("7016-b-topical.txt"))
    assert "Which unit is this draft for?" in asked.text and "7016V1" in labels(asked)
    before = len(me.emu.sent(me.chat.id))
    me.press(asked, "7016V1")
    report = me.emu.wait_for(lambda r: r.chat_id == me.chat.id and r.seq >= before
                             and "Draft check · 7016V1" in (r.text or ""), timeout=60)
    assert "❌ 1.2 not found: Devise a methodology" in report.text
    assert "❌ Open 1.2" in labels(report)


@pytest.mark.parametrize(("name", "make", "says"), [
    ("draft.docx", lambda: as_docx("5015-d-partial.txt")[:1500], "it looks damaged"),
    ("scan.pdf", scanned_pdf, "it looks scanned"),
    ("huge.pdf", lambda: b"%PDF-1.4\n" + bytes(21 * 2**20), "over 20 MB"),
])
def test_files_it_cannot_check_get_a_clear_reply_and_nothing_is_stored(
        talk, engine: Engine, name: str, make, says: str) -> None:
    me: Conversation = talk()
    me.send("/start")
    before = snapshot(engine)
    reply = me.send_file(name, make(), caption="5015")
    assert says in reply.text and "Nothing was stored." in reply.text
    assert snapshot(engine) == before
