"""Webhook mode: the real bot process serving Telegram's POSTs behind a secret token, a health
endpoint, and a graceful shutdown that finishes the update in flight."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from index.settings import IndexSettings
from tests.bot.conftest import (
    BOT,
    Conversation,
    free_port,
    fresh_database,
    start_bot,
    wait_ready,
)
from tests.emulator import BotApiEmulator

pytestmark = [pytest.mark.database]
SECRET = "s3cret-token_for-tests"


def post(url: str, body: dict, secret: str | None) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    if secret is not None:
        request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def webhook_bot(tmp_path_factory: pytest.TempPathFactory, index_settings: IndexSettings,
                retriever) -> Iterator[tuple[BotApiEmulator, subprocess.Popen, str, int]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/updates"
    log = tmp_path_factory.mktemp("log") / "webhook.log"
    with BotApiEmulator(token="123456:TEST", bot_username=BOT) as emu:
        process = start_bot(emu, fresh_database(tmp_path_factory), index_settings.index_dir,
                            log, "webhook", WEBHOOK_URL=url, WEBHOOK_SECRET=SECRET,
                            PORT=str(port), WEBHOOK_LISTEN="127.0.0.1")
        try:
            yield emu, process, url, port
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
            print(log.read_text()[-4000:])


def test_webhook_is_registered_and_healthy(webhook_bot) -> None:
    emu, _, url, port = webhook_bot
    hook = emu.wait_for(lambda r: r.method == "setWebhook", timeout=120)
    assert hook.params["url"] == url and hook.params["secret_token"] == SECRET
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, body = health(port)
            break
        except OSError:
            time.sleep(0.2)
    assert status == 200 and body["database"] == "ok"


def update(update_id: int, chat_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": int(time.time()), "text": text,
        "chat": {"id": chat_id, "type": "private", "first_name": "Direct"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Direct"}}}


def test_requests_without_or_with_a_wrong_secret_are_refused(webhook_bot) -> None:
    emu, _, url, _ = webhook_bot
    emu.wait_for(lambda r: r.method == "setWebhook", timeout=120)
    assert post(url, update(9001, 6001, "/help"), None) == 403
    assert post(url, update(9002, 6001, "/help"), "wrong-secret-of-same-size!") == 403
    assert post(url, update(9003, 6001, "/help"), "") == 403
    time.sleep(1)
    assert not emu.sent(6001)  # nothing was handled


def test_a_valid_request_is_handled(webhook_bot) -> None:
    emu, _, url, _ = webhook_bot
    emu.wait_for(lambda r: r.method == "setWebhook", timeout=120)
    emu.private_chat(emu.user(6002, "Direct"))
    assert post(url, update(9004, 6002, "/ac 5015 2.3"), SECRET) == 200
    (reply,) = emu.wait_messages(6002, 1, timeout=30)
    assert "5015V1" in reply.text
    assert post(url, {"not": "an update"}, SECRET) == 400


def test_bodies_that_are_not_an_update_get_400_and_a_redelivery_is_answered_once(
        webhook_bot) -> None:
    emu, _, url, _ = webhook_bot
    emu.wait_for(lambda r: r.method == "setWebhook", timeout=120)
    for body in ([1, 2], "text", 42, None, {"update_id": "x"}):
        assert post(url, body, SECRET) == 400, body  # type: ignore[arg-type]
    emu.private_chat(emu.user(6005, "Twice"))
    assert post(url, update(9005, 6005, "/ac 5015 2.3"), SECRET) == 200
    assert post(url, update(9005, 6005, "/ac 5015 2.3"), SECRET) == 200  # Telegram resends
    emu.wait_messages(6005, 1, timeout=30)
    time.sleep(2)
    assert len([r for r in emu.sent(6005) if r.method == "sendMessage"]) == 1


def test_updates_from_the_emulator_arrive_through_the_webhook(webhook_bot) -> None:
    emu, _, _, _ = webhook_bot
    emu.wait_for(lambda r: r.method == "setWebhook", timeout=120)
    me = Conversation(emu, 6003, "Hooked")
    assert "AC 2.3" in me.send("/ac 5015 2.3").text


def test_sigterm_finishes_the_update_in_flight(webhook_bot) -> None:
    emu, process, _, port = webhook_bot
    emu.wait_for(lambda r: r.method == "setWebhook", timeout=120)
    me = Conversation(emu, 6004, "Last one")
    emu.fault("sendMessage", "slow", delay=2.0, chat_id=me.chat.id)
    emu.send_text(me.chat, me.user, "/ac 7015 2.1")
    emu.wait_for(lambda r: r.method == "sendChatAction" and r.chat_id == me.chat.id, timeout=30)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    (answer,) = emu.wait_messages(me.chat.id, 1, timeout=5)
    assert "7015V1" in answer.text


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_sigterm_while_the_model_loads_exits_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                                     index_settings: IndexSettings,
                                                     retriever, mode: str) -> None:
    """Stopped a moment after its first answer, the bot is still loading the model in its own
    thread: it waits for the load and exits with 0. Exiting mid-load aborted the process
    (SIGABRT), or hung it, when the interpreter shut down under transformers' loading
    threads."""
    port = free_port()
    log = tmp_path_factory.mktemp("log") / f"{mode}.log"
    webhook = ({"WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/updates",
                "WEBHOOK_SECRET": SECRET, "PORT": str(port), "WEBHOOK_LISTEN": "127.0.0.1"}
               if mode == "webhook" else {})
    with BotApiEmulator(token="123456:TEST", bot_username=BOT) as emu:
        process = start_bot(emu, fresh_database(tmp_path_factory), index_settings.index_dir,
                            log, *([mode] if mode == "webhook" else []), **webhook)
        try:
            wait_ready(emu)
            if mode == "webhook":
                emu.wait_for(lambda r: r.method == "setWebhook", timeout=60)
            # Taking updates (an AC reference needs no model), and still loading the model.
            assert "AC 2.3" in Conversation(emu, 6010, "Early").send("/ac 5015 2.3").text
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                pytest.fail(f"still running 90 s after SIGTERM:\n{log.read_text()[-3000:]}")
            assert code == 0, log.read_text()[-3000:]
            # The load ran to its end: exiting mid-load is what torch's threads abort on.
            assert "embedding model and index loaded" in log.read_text()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
