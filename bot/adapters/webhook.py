"""Webhook mode: a tornado server that takes Telegram's POSTs at the path of WEBHOOK_URL,
refuses any without the secret token (403), answers /health, and on SIGTERM stops taking
requests, finishes the updates in flight, then shuts the application down.

Several such workers can sit behind one load balancer and share one PostgreSQL: the reminder
dispatcher claims rows with FOR UPDATE SKIP LOCKED, and the index is only read."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections import OrderedDict
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.adapters.telegram import ALLOWED_UPDATES, chat_of_application, post_init
from index.settings import Settings

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20  # a Telegram update is a few KB; refuse anything absurd
DRAIN_SECONDS = 30
# Update ids a worker remembers to drop redeliveries (Telegram resends an update whose answer
# it did not get; with several workers, one that lands on another worker is still answered).
SEEN_UPDATES = 10_000


class Worker:
    """The running state the request handlers share: the application and what is in flight."""

    def __init__(self, application: Application, secret: str) -> None:
        self.application = application
        self.secret = secret
        self.in_flight = 0
        self.drained = asyncio.Event()
        self.drained.set()
        self.stopping = False
        self.seen: OrderedDict[int, None] = OrderedDict()

    def first_time(self, update_id: int) -> bool:
        """Whether this worker sees the update for the first time (it remembers the last
        SEEN_UPDATES); a redelivered one is acknowledged and not answered twice."""
        if update_id in self.seen:
            return False
        self.seen[update_id] = None
        if len(self.seen) > SEEN_UPDATES:
            self.seen.popitem(last=False)
        return True


class UpdateHandler(RequestHandler):
    def initialize(self, worker: Worker) -> None:
        self.worker = worker

    async def post(self) -> None:
        """One update: checked, then handled before answering (so Telegram retries on error)."""
        worker = self.worker
        given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), worker.secret.encode()):
            self.set_status(403)
            self.finish({"ok": False, "description": "wrong or missing secret token"})
            return
        if worker.stopping:
            self.set_status(503)  # Telegram retries, and reaches another worker
            self.finish({"ok": False, "description": "shutting down"})
            return
        try:
            data = json.loads(self.request.body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not a JSON object with an update_id")
            update = Update.de_json(data, worker.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            self.set_status(400)
            self.finish({"ok": False, "description": "not an update"})
            return
        if not worker.first_time(update.update_id):
            self.finish({"ok": True})  # Telegram delivered it again: answered once already
            return
        worker.in_flight += 1
        worker.drained.clear()
        try:
            await worker.application.process_update(update)
        finally:
            worker.in_flight -= 1
            if worker.in_flight == 0:
                worker.drained.set()
        self.finish({"ok": True})


class HealthHandler(RequestHandler):
    def initialize(self, worker: Worker) -> None:
        self.worker = worker

    async def get(self) -> None:
        """200 while the database answers and the worker is not stopping; else 503."""
        chat = chat_of_application(self.worker.application)
        try:
            await asyncio.to_thread(chat.ping)
            database = "ok"
        except Exception as exc:  # any failure means unhealthy; the reason is logged
            log.warning("health check: database unavailable: %s", exc)
            database = "unavailable"
        healthy = database == "ok" and not self.worker.stopping
        self.set_status(200 if healthy else 503)
        self.finish({"ok": healthy, "database": database, "in_flight": self.worker.in_flight})


async def serve(application: Application, settings: Settings) -> None:
    """Register the webhook, serve until SIGTERM or SIGINT, then drain and shut down."""
    path = urlsplit(settings.webhook_url).path or "/"
    worker = Worker(application, settings.webhook_secret)
    web = WebApplication([(path, UpdateHandler, {"worker": worker}),
                          (r"/health", HealthHandler, {"worker": worker})])
    server = HTTPServer(web, max_body_size=MAX_BODY)
    server.listen(settings.port, settings.webhook_listen)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await application.initialize()
    await post_init(application)
    await application.start()
    # Each POST is handled as it comes: Telegram's connections at most at once, as many as
    # the connection pool has room for (see build_application).
    await application.bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret,
                                      allowed_updates=ALLOWED_UPDATES,
                                      max_connections=settings.concurrent_updates)
    log.info("webhook worker on %s:%s%s", settings.webhook_listen, settings.port, path)
    await stop.wait()
    log.info("stopping: finishing %d update(s) in flight", worker.in_flight)
    worker.stopping = True
    server.stop()
    try:
        await asyncio.wait_for(worker.drained.wait(), DRAIN_SECONDS)
    except TimeoutError:
        log.warning("gave up waiting for %d update(s)", worker.in_flight)
    await application.stop()
    await application.shutdown()
    log.info("stopped")
