"""The HTTP app: thin routes over the triage pipeline, the store and the model registry.

Run it with ``rasd serve``.  Settings are read and validated at start-up:
a bad profile, model or database URL stops the server with a message.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from api.active_model import ActiveModel
from api.errors import error_body, install_error_handlers
from api.metrics import Metrics
from api.routes import cases, feedback, health, models, profile, triage
from api.settings import Settings
from router.profile import load_profile
from storage.db import Database

log = logging.getLogger("rasd")
UNCAPPED_PATHS = frozenset({"/v1/triage/stream"})  # streams are read line by line


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_app(settings: Settings | None = None, *, clock=utc_now) -> FastAPI:
    """The app; ``clock`` gives "now" for case deadlines, so tests can move time."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.auth_disabled:
            log.warning("RASD_AUTH_DISABLED is set: every request is served without an API key. "
                        "Use this for local work only.")
        app.state.settings = settings
        app.state.clock = clock
        app.state.metrics = Metrics()
        app.state.active_model = ActiveModel(models_dir=settings.models_dir,
                                             profile=load_profile(settings.profile),
                                             version=settings.model_version)
        app.state.metrics.set_active_model(app.state.active_model.version)
        app.state.database = Database(settings.database_url)
        tasks = [asyncio.create_task(_follow_active_model(app, settings.model_poll_seconds))]
        if settings.outbox_interval_seconds:
            tasks.append(asyncio.create_task(_run_outbox(app, settings.outbox_interval_seconds)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            app.state.database.dispose()

    app = FastAPI(
        title="Rasd",
        summary="Arabic-first triage of social-media posts to a ministry",
        description="Every endpoint but the operational ones needs an API key "
                    "(`X-API-Key`) with a role: agent, integrator, analyst or admin. Errors are "
                    '`{"error": {"code", "message", "field"}}`. Unknown request fields are ignored.',
        version="1",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    for module in (triage, feedback, cases, models, profile, health):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestMetrics)
    return app


async def _follow_active_model(app: FastAPI, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        active = app.state.active_model
        before = active.version
        await run_in_threadpool(active.follow_active_file)
        if active.version != before:
            app.state.metrics.set_active_model(active.version)


async def _run_outbox(app: FastAPI, every: float) -> None:
    """Raise escalations for new breaches and send what is due, every ``every`` seconds.

    Several server processes may do this at once: escalations are keyed per
    breach and each delivery is claimed before it is sent.
    """
    from api.connectors import connector_for, deliver_pending
    from storage.cases import escalate_overdue

    settings = app.state.settings
    connectors = {"reply": connector_for(settings.reply_target, settings.webhook_secret),
                  "escalation": connector_for(settings.escalation_target, settings.webhook_secret)}

    def one_pass() -> None:
        now = app.state.clock()
        with app.state.database.session() as session:
            escalate_overdue(session, now)
        deliver_pending(app.state.database, connectors, now)

    while True:
        await asyncio.sleep(every)
        try:
            await run_in_threadpool(one_pass)
        except Exception:  # keep serving; the next pass retries
            log.exception("outbox pass failed")


class BodyLimit:
    """Refuse bodies over the cap with 413, by Content-Length or by counting as they arrive."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in UNCAPPED_PATHS:
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await _send_json(send, 413, error_body(
                "too_large", f"the body is over {self.max_bytes} bytes"))
        received = 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted_receive, send)
        except BodyTooLarge:
            await _send_json(send, 413, error_body("too_large",
                                                   f"the body is over {self.max_bytes} bytes"))


class BodyTooLarge(Exception):
    pass


async def _send_json(send, status: int, body: dict) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


class RequestMetrics:
    """Count requests and time them by route template (not raw path) and status."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), 500

        async def send_and_record(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            metrics = getattr(scope["app"].state, "metrics", None) if "app" in scope else None
            if metrics is not None:
                metrics.observe_request(route, scope["method"], status, time.perf_counter() - started)
