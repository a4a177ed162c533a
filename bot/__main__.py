"""`python -m bot`: the bot on Telegram (long polling) when TELEGRAM_BOT_TOKEN is set, else a
local console chat; `python -m bot ask "QUERY"` answers once and exits; `python -m bot ask
--jsonl FILE` answers every line of a file in one process, one JSON object a line; `python -m
bot check FILE --unit 5015 [--json]` checks a draft against a unit's ACs."""

from __future__ import annotations

import argparse
import asyncio
import sys

from telegram.error import InvalidToken

from bot.adapters import logs
from bot.adapters.console import CONSOLE_USER, show
from bot.adapters.console import run as run_console
from bot.services.database import DatabaseUnavailable
from bot.startup import build_chat
from index.settings import Settings

NO_TOKEN = """No TELEGRAM_BOT_TOKEN is set, so this is a local chat in your terminal.
To run on Telegram: open a chat with @BotFather, send /newbot, follow its questions, and put
the token it gives you in a .env file here (TELEGRAM_BOT_TOKEN=123456:ABC...) or export it.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    ask = sub.add_parser("ask", help="answer one question (or a file of them) and exit")
    ask.add_argument("query", nargs="?")
    ask.add_argument("--jsonl", metavar="FILE",
                     help='lines {"query": ..., "units": [...]}; prints {"query", "kind", '
                          '"acs", "theorists", "text"} a line ("-" reads standard input)')
    check = sub.add_parser("check", help="check a draft (.docx, .pdf, .txt) against a unit's ACs")
    check.add_argument("file")
    check.add_argument("--unit", required=True, help="the unit, e.g. 5015 or D5.01")
    check.add_argument("--json", action="store_true",
                       help='the last line is {"unit", "words", "acs": {key: {"status", '
                            '"reasons", "where"}}, ...}')
    sub.add_parser("webhook", help="serve Telegram's webhook on PORT (several workers may)")
    args = parser.parse_args(argv)
    settings = Settings()
    secrets = logs.secrets_of(settings.telegram_bot_token, settings.webhook_secret)
    logs.setup(secrets)
    try:
        return run(args, settings)
    except DatabaseUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    except InvalidToken:
        print(f"Telegram refused the bot token (TELEGRAM_BOT_TOKEN, at "
              f"{settings.telegram_api_url}): check it with @BotFather.", file=sys.stderr)
        return 2


def run(args: argparse.Namespace, settings: Settings) -> int:
    """The chosen mode, once the settings are read."""
    if args.command == "check":
        from bot.adapters.draft_cli import check_file

        return check_file(settings, args.file, args.unit, as_json=args.json, out=sys.stdout)
    if args.command == "ask" and args.jsonl:
        from bot.adapters.batch import answer_lines

        return answer_lines(settings, args.jsonl, sys.stdout)
    if args.command == "ask":
        if not args.query:
            print("Ask a question, e.g. python -m bot ask \"what does 5015 2.3 need?\"",
                  file=sys.stderr)
            return 2
        chat = build_chat(settings, warm=False)
        show(chat.message(CONSOLE_USER, args.query), sys.stdout)
        return 0
    if not settings.telegram_bot_token:
        print(NO_TOKEN)
        run_console(build_chat(settings))
        return 0
    from bot.adapters.telegram import ALLOWED_UPDATES, build_application, finish_loading

    # Connect first (a refused token is reported at once); post_init loads the model meanwhile.
    application = build_application(settings, build_chat(settings, warm=False))
    if args.command == "webhook" and (not settings.webhook_url
                                      or len(settings.webhook_secret) < 16):
        print("Webhook mode needs WEBHOOK_URL and a WEBHOOK_SECRET of at least 16 "
              "characters (letters, digits, _ and -).", file=sys.stderr)
        return 2
    try:
        if args.command == "webhook":
            from bot.adapters.webhook import serve

            asyncio.run(serve(application, settings))
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    finally:
        finish_loading(application)
    return 0


if __name__ == "__main__":
    sys.exit(main())
