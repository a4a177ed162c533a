"""`python -m bot`: the bot on Telegram (long polling) when TELEGRAM_BOT_TOKEN is set, else a
local console chat; `python -m bot ask "QUERY"` answers once and exits."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.console import CONSOLE_USER, show
from bot.console import run as run_console
from bot.db import DatabaseUnavailable
from bot.services import build_chat
from bot.settings import Settings

NO_TOKEN = """No TELEGRAM_BOT_TOKEN is set, so this is a local chat in your terminal.
To run on Telegram: open a chat with @BotFather, send /newbot, follow its questions, and put
the token it gives you in a .env file here (TELEGRAM_BOT_TOKEN=123456:ABC...) or export it.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    ask = sub.add_parser("ask", help="answer one question and exit")
    ask.add_argument("query")
    sub.add_parser("webhook", help="serve Telegram's webhook on PORT (several workers may)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "sentence_transformers", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    settings = Settings()
    try:
        return run(args, settings)
    except DatabaseUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2


def run(args: argparse.Namespace, settings: Settings) -> int:
    """The chosen mode, once the settings are read."""
    if args.command == "ask":
        chat = build_chat(settings, warm=False)
        show(chat.message(CONSOLE_USER, args.query), sys.stdout)
        return 0
    if not settings.telegram_bot_token:
        print(NO_TOKEN)
        run_console(build_chat(settings))
        return 0
    from bot.telegram_app import ALLOWED_UPDATES, build_application

    application = build_application(settings, build_chat(settings))
    if args.command == "webhook":
        if not settings.webhook_url or len(settings.webhook_secret) < 16:
            print("Webhook mode needs WEBHOOK_URL and a WEBHOOK_SECRET of at least 16 "
                  "characters (letters, digits, _ and -).", file=sys.stderr)
            return 2
        from bot.webhook import serve

        asyncio.run(serve(application, settings))
        return 0
    application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
