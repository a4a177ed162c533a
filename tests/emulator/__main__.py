"""`python -m tests.emulator --port N`: the emulator as a standalone process (load tests)."""

import argparse
import threading

from tests.emulator.server import BotApiEmulator


def main() -> None:
    """Serve until interrupted, printing the URL other processes should use."""
    parser = argparse.ArgumentParser(description="Telegram Bot API emulator on 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--bot-username", default="cm_study_bot")
    parser.add_argument("--bot-id", type=int, default=123456)
    parser.add_argument("--no-privacy", action="store_true",
                        help="the bot sees every group message (as if privacy mode were off)")
    args = parser.parse_args()
    emulator = BotApiEmulator(args.token, args.bot_username, args.bot_id, port=args.port,
                              privacy_mode=not args.no_privacy)
    with emulator:
        print(emulator.api_url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
