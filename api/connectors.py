"""Where deliveries go: platform connectors behind one interface, and signed webhooks.

A connector's ``send`` gets the delivery's idempotency key with its
payload and returns an id for what it posted; given a key it already
posted, it must return the same id without posting again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path
from typing import Protocol

import httpx

from storage.db import Database
from storage.outbox import claim, due, mark_failed, mark_sent
from storage.tables import Delivery


class Connector(Protocol):
    def send(self, key: str, payload: dict) -> str: ...


class FileConnector:
    """Appends each reply as a JSON line to a file: the default 'platform'.

    Idempotent by reading the keys already written, so a retry after a crash
    between writing and recording it as sent adds nothing.
    """

    def __init__(self, path: Path):
        self.path = Path(path)

    def send(self, key: str, payload: dict) -> str:
        if self.path.exists():
            with self.path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    if json.loads(line)["key"] == key:
                        return f"{self.path.name}:{number}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"key": key, **payload}, ensure_ascii=False) + "\n")
        with self.path.open(encoding="utf-8") as lines:
            return f"{self.path.name}:{sum(1 for _ in lines)}"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookConnector:
    """POSTs the payload as JSON, signed with HMAC-SHA256 and carrying the idempotency key.

    Headers: ``X-Rasd-Signature: sha256=<hex>`` over the exact body, and
    ``Idempotency-Key``; receivers drop a key they have seen.
    """

    def __init__(self, url: str, secret: str, timeout: float = 10.0):
        self.url, self.secret, self.timeout = url, secret, timeout

    def send(self, key: str, payload: dict) -> str:
        body = json.dumps({"key": key, **payload}, ensure_ascii=False).encode()
        response = httpx.post(self.url, content=body, timeout=self.timeout, headers={
            "content-type": "application/json", "Idempotency-Key": key,
            "X-Rasd-Signature": signature(self.secret, body)})
        response.raise_for_status()
        return response.headers.get("x-request-id") or key


def connector_for(target: str, secret: str) -> Connector:
    """``file:/path/replies.jsonl`` or an http(s) URL."""
    if target.startswith("file:"):
        return FileConnector(Path(target[5:]))
    if target.startswith(("http://", "https://")):
        return WebhookConnector(target, secret)
    raise ValueError(f"unknown delivery target {target!r}: use file:/path or an http(s) URL")


def deliver_pending(database: Database, connectors: dict[str, Connector], now: dt.datetime) -> dict:
    """One pass over due deliveries: claim each, send it, record the outcome.

    Safe to run from several processes at once: a delivery is sent only by
    the process whose claim succeeded.  The send happens outside any
    transaction, and the delivery's key goes with it, so a crash after
    sending and before recording makes the retry a no-op at the far side.
    """
    sent = failed = 0
    with database.session() as session:
        waiting = due(session, now, tuple(connectors))
    for delivery_id in waiting:
        with database.session() as session:
            delivery = claim(session, delivery_id, now)
            if delivery is None:  # another sender has it
                continue
            key, payload, kind = delivery.key, dict(delivery.payload), delivery.kind
        try:
            external_id, error = connectors[kind].send(key, payload), None
        except Exception as problem:  # any failure of the far side is retried later
            external_id, error = None, f"{type(problem).__name__}: {problem}"
        with database.session() as session:
            delivery = session.get(Delivery, delivery_id)
            if error is None:
                mark_sent(delivery, external_id=external_id, now=now)
                sent += 1
            else:
                mark_failed(delivery, error=error, now=now)
                failed += 1
    return {"sent": sent, "failed": failed}
