"""Publishing and escalation: idempotent deliveries, retried with backoff, signed webhooks."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from api.connectors import FileConnector, WebhookConnector, deliver_pending
from storage.cases import escalate_overdue
from storage.outbox import deliveries
from tests.api.test_http_cases import CASE, RIYADH, step, world  # noqa: F401  (fixture)


class Flaky:
    """A connector that fails its first ``failures`` sends, then hands over to ``then``."""

    def __init__(self, failures: int, then):
        self.failures, self.then, self.calls = failures, then, 0

    def send(self, key, payload):
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("platform down")
        return self.then.send(key, payload)


def publish_a_case(client, keys):
    case = client.post("/v1/cases", json=CASE, headers=keys["agent"]).json()
    version = case["version"]
    for role, action, fields in [("liaison", "assign", {"section": "emergency"}),
                                 ("section", "start", {}), ("section", "resolve", {"note": "تم"}),
                                 ("agent", "draft_reply", {"reply": "تمت المعالجة"}),
                                 ("agent", "submit_review", {}), ("pr", "publish", {})]:
        version = step(client, keys, role, case["reference"], action, version, **fields).json()["version"]
    return case["reference"]


def test_a_published_reply_is_posted_once_even_when_the_platform_failed_first(world, tmp_path):  # noqa: F811
    client, keys, clock = world
    reference = publish_a_case(client, keys)
    database = client.app.state.database
    replies = tmp_path / "replies.jsonl"
    platform = Flaky(failures=1, then=FileConnector(replies))
    now = clock.now.astimezone(dt.UTC)
    assert deliver_pending(database, {"reply": platform}, now) == {"sent": 0, "failed": 1}
    assert deliver_pending(database, {"reply": platform}, now) == {"sent": 0, "failed": 0}  # backoff
    later = now + dt.timedelta(seconds=31)
    assert deliver_pending(database, {"reply": platform}, later) == {"sent": 1, "failed": 0}
    assert deliver_pending(database, {"reply": platform}, later + dt.timedelta(hours=1)) == \
        {"sent": 0, "failed": 0}
    posted = [json.loads(line) for line in replies.read_text(encoding="utf-8").splitlines()]
    assert posted == [{"key": f"reply:{reference}", "reference": reference, "post_id": "p1",
                       "platform": "x", "text": "تمت المعالجة"}]
    with database.session() as session:
        (delivery,) = deliveries(session, "reply")
        assert (delivery.state, delivery.attempts) == ("sent", 2)


def test_a_retry_after_a_crash_between_posting_and_recording_posts_nothing_new(tmp_path):
    connector = FileConnector(tmp_path / "replies.jsonl")
    first = connector.send("reply:MOH-2026-000001", {"text": "شكرا"})
    again = connector.send("reply:MOH-2026-000001", {"text": "شكرا"})
    assert first == again
    assert len((tmp_path / "replies.jsonl").read_text(encoding="utf-8").splitlines()) == 1


class Receiver(BaseHTTPRequestHandler):
    """A webhook endpoint on loopback that fails once, then keeps what it is sent."""

    received: list = []
    failures_left = 1
    secret = "s3cret"

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        if self.headers["X-Rasd-Signature"] != expected:
            self.send_response(401)
        elif Receiver.failures_left:
            Receiver.failures_left -= 1
            self.send_response(500)
        else:
            Receiver.received.append((self.headers["Idempotency-Key"], json.loads(body)))
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def receiver():
    Receiver.received, Receiver.failures_left = [], 1
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks"
    server.shutdown()


def test_a_breach_raises_one_signed_escalation_delivered_once(world, receiver):  # noqa: F811
    client, keys, clock = world
    case = client.post("/v1/cases", json=CASE, headers=keys["agent"]).json()
    database = client.app.state.database
    breach = dt.datetime(2026, 12, 2, 10, tzinfo=RIYADH)  # past the 3-working-day due time
    with database.session() as session:
        assert escalate_overdue(session, breach) == 1
    with database.session() as session:
        assert escalate_overdue(session, breach + dt.timedelta(hours=5)) == 0  # same breach
    webhook = {"escalation": WebhookConnector(receiver, Receiver.secret)}
    assert deliver_pending(database, webhook, breach) == {"sent": 0, "failed": 1}
    assert deliver_pending(database, webhook, breach + dt.timedelta(minutes=1)) == \
        {"sent": 1, "failed": 0}
    assert deliver_pending(database, webhook, breach + dt.timedelta(hours=2)) == \
        {"sent": 0, "failed": 0}
    ((key, event),) = Receiver.received
    assert key.startswith(f"escalation:{case['reference']}:")
    assert event["event"] == "case.overdue" and event["hours_overdue"] == 1.0


def test_a_wrongly_signed_webhook_is_refused_by_the_receiver(receiver):
    with pytest.raises(Exception, match="401"):
        WebhookConnector(receiver, "wrong-secret").send("k", {"event": "x"})


def test_webhook_targets_need_a_signing_secret():
    from api.settings import Settings

    with pytest.raises(ValueError, match="RASD_WEBHOOK_SECRET"):
        Settings(escalation_target="https://hooks.example/rasd", webhook_secret="")


def test_two_senders_never_both_claim_a_delivery(world):  # noqa: F811
    from storage.outbox import claim, due, enqueue

    client, _, clock = world
    database = client.app.state.database
    now = clock.now
    with database.session() as session:
        enqueue(session, key="reply:X", kind="reply", payload={"text": "x"}, now=now)
    with database.session() as session:
        (delivery_id,) = due(session, now, ("reply",))
    with database.session() as first, database.session() as second:
        assert claim(first, delivery_id, now) is not None
    with database.session() as second:
        assert claim(second, delivery_id, now) is None  # taken, lease running
    with database.session() as later:  # the first sender died: the lease runs out
        assert claim(later, delivery_id, now + dt.timedelta(minutes=6)) is not None


def test_the_server_sends_published_replies_by_itself(database_url, models_dir, tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from storage.keys import create_key

    replies = tmp_path / "replies.jsonl"
    settings = Settings(database_url=database_url, models_dir=models_dir,
                        reply_target=f"file:{replies}", escalation_target=f"file:{tmp_path}/e.jsonl",
                        outbox_interval_seconds=0.2)
    with TestClient(create_app(settings)) as client:
        with client.app.state.database.session() as session:
            keys = {role: {"X-API-Key": create_key(session, name=role, role=role)}
                    for role in ("agent", "liaison", "section", "pr")}
        reference = publish_a_case(client, keys)
        import time

        deadline = time.monotonic() + 10
        while not replies.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert reference in replies.read_text(encoding="utf-8")
