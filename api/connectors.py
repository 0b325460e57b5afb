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
from storage.outbox import due, mark_failed, mark_sent


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
    """One pass over due deliveries: send each through its kind's connector, record the outcome."""
    sent = failed = 0
    with database.session() as session:
        for delivery in due(session, now):
            connector = connectors.get(delivery.kind)
            if connector is None:
                continue
            try:
                external_id = connector.send(delivery.key, delivery.payload)
            except Exception as error:  # any failure of the far side is retried later
                mark_failed(delivery, error=f"{type(error).__name__}: {error}", now=now)
                failed += 1
            else:
                mark_sent(delivery, external_id=external_id, now=now)
                sent += 1
            session.flush()
    return {"sent": sent, "failed": failed}
