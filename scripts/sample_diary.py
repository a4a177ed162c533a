"""A sample coaching diary and portfolio, made by talking to the real conversation (a demo ILM
learner on a fresh SQLite database, every answer through the same commands and buttons a
learner uses), written to a folder; with --png, the diary PDF's first page is rendered with
pdftoppm (poppler-utils) for the README.

    python scripts/sample_diary.py docs/ --png
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from bot.conversation import buttons as cb  # noqa: E402
from bot.conversation.chat import Chat  # noqa: E402
from bot.conversation.replies import Reply  # noqa: E402
from bot.conversation.turn import Sender  # noqa: E402
from bot.startup import build_chat  # noqa: E402
from index.settings import Settings  # noqa: E402

LEARNER = Sender(1, "Demo Learner")
SUPERVISOR = Sender(2, "Demo Supervisor")
SESSIONS = [  # first line, type, goal, model, outcome, supervision
    ("/log 60m Sam — contracting", "Coaching", "Agree how we will work and what Sam wants",
     "GROW", "Contract agreed; Sam wants to delegate more", "Check I am not rescuing"),
    ("/log 90m Sam — delegation", "Coaching", "Delegate two reports by month end",
     "GROW", "Sam chose which reports and to whom", ""),
    ("/log 75m Jo — career", "Mentoring", "Plan a move into project management",
     "OSKAR", "Jo scaled readiness at 4/10 and listed three steps", "Boundaries as mentor"),
]


def _button(replies: list[Reply], label: str) -> str:
    return next(b.data for r in replies for row in r.buttons for b in row
                if b.label.startswith(label))


def demo(chat: Chat) -> None:
    """One learner's record through the conversation, as a learner would give it."""
    chat.press(LEARNER, cb.make(cb.PICK_QUALIFICATION, "ILM-L5-CCMM"))
    for first, kind, goal, model, outcome, supervision in SESSIONS:
        replies = chat.press(LEARNER, _button(chat.message(LEARNER, first), kind))
        replies = chat.press(LEARNER, _button(replies, "Yesterday"))
        replies = chat.press(LEARNER, _button(chat.message(LEARNER, goal), model))
        replies = chat.press(LEARNER, _button(chat.message(LEARNER, outcome), "Skip"))
        if supervision:
            chat.message(LEARNER, supervision)
        else:
            chat.press(LEARNER, _button(replies, "Skip"))
    link = next(r.buttons[0][0].url for r in chat.message(LEARNER, "/feedback 1 supervisor"))
    assert link is not None
    chat.message(SUPERVISOR, "/start " + link.split("start=")[1])
    chat.message(SUPERVISOR, "Clear contracting. Let Sam find the options before offering yours.")
    chat.message(LEARNER, "/reflect")
    for answer in ("A delegation session with Sam.", "Keen to help, a little impatient.",
                   "Rapport was good; I offered solutions too early.",
                   "GROW's Options stage needs more silence from me.",
                   "I could have asked what Sam had already tried.",
                   "Ask my supervisor to observe a session and collect feedback on my practice."):
        replies = chat.message(LEARNER, answer)
    chat.press(LEARNER, _button(replies, "📎"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--png", action="store_true", help="render the PDF's first page")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        chat = build_chat(Settings(database_url=f"sqlite:///{tmp}/demo.sqlite3"))
        demo(chat)
        for command in ("/diary", "/portfolio"):
            for reply in chat.message(LEARNER, command):
                if reply.attachment:
                    (args.folder / reply.attachment.filename).write_bytes(reply.attachment.content)
                    print(args.folder / reply.attachment.filename)
    if args.png:
        stem = args.folder / "coaching-diary"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        f"{stem}.pdf", str(stem)], check=True)
        print(f"{stem}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
