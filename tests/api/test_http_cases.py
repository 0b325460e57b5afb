"""The whole life of a case through the HTTP API, with a clock the tests move."""

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from storage.keys import create_key
from tests.api.test_http_triage import assert_error

RIYADH = dt.timezone(dt.timedelta(hours=3))
ROLES = ("agent", "liaison", "section", "pr", "analyst", "integrator")


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture()
def world(database_url, models_dir):
    clock = Clock(dt.datetime(2026, 11, 29, 9, tzinfo=RIYADH))  # a Sunday
    app = create_app(Settings(database_url=database_url, models_dir=models_dir,
                              outbox_interval_seconds=0), clock=clock)
    with TestClient(app) as client:
        with app.state.database.session() as session:
            keys = {role: {"X-API-Key": create_key(session, name=f"{role}-1", role=role)}
                    for role in ROLES}
        yield client, keys, clock


CASE = {"post_id": "p1", "text": "انتظرت في طوارئ المستشفى ست ساعات وما أحد كشف على ولدي",
        "platform": "x", "created_at": "2026-11-29T09:00:00+03:00", "model_version": "m",
        "final": {"intent": "complaint", "owner": "ministry", "department": "hospitals",
                  "requires_inspection": False, "urgent": False}}


def step(client, keys, role, reference, action, version, **fields):
    return client.post(f"/v1/cases/{reference}/transitions",
                       json={"action": action, "version": version, **fields}, headers=keys[role])


def test_a_case_lives_from_confirmation_to_published_reply(world):
    client, keys, clock = world
    opened = client.post("/v1/cases", json=CASE, headers=keys["agent"])
    assert opened.status_code == 201, opened.text
    case = opened.json()
    reference = case["reference"]
    assert reference.startswith("MOH-2026-") and len(reference) == len("MOH-2026-000001")
    assert reference in case["acknowledgement"]
    assert case["state"] == "routed" and case["department"] == "hospitals"
    assert case["due_at"] == "2026-12-02T06:00:00+00:00"  # Wednesday 09:00 in Riyadh

    flow = [("liaison", "assign", {"section": "emergency"}), ("section", "start", {}),
            ("section", "resolve", {"note": "تم التحقيق مع المناوبة"}),
            ("agent", "draft_reply", {"reply": "نعتذر، تمت معالجة الملاحظة"}),
            ("agent", "submit_review", {}), ("pr", "return", {"note": "أضف رقم التواصل"}),
            ("agent", "draft_reply", {"reply": "نعتذر، تمت المعالجة، للتواصل 937"}),
            ("agent", "submit_review", {}), ("pr", "publish", {})]
    version = case["version"]
    for role, action, fields in flow:
        clock.now += dt.timedelta(hours=2)
        response = step(client, keys, role, reference, action, version, **fields)
        assert response.status_code == 200, (action, response.text)
        version = response.json()["version"]
    final = client.get(f"/v1/cases/{reference}", headers=keys["pr"]).json()
    assert final["state"] == "published" and final["reply"].endswith("937")
    assert [e["action"] for e in final["history"]] == ["open", "route"] + [a for _, a, _ in flow]
    assert final["history"][-1] == {**final["history"][-1], "actor": "pr-1", "role": "pr",
                                    "from": "in_review", "to": "published"}
    report = client.get("/v1/cases/report", headers=keys["analyst"]).json()
    assert report["answered_within_service_level"] == 1.0
    assert report["median_hours_to_resolution"] == 6.0


def test_a_post_that_is_not_the_ministrys_is_closed_as_redirected(world):
    client, keys, _ = world
    external = {**CASE, "text": "الكهرباء مقطوعة عن الحي",
                "final": {"intent": "complaint", "owner": "utilities", "department": None,
                          "requires_inspection": False, "urgent": False}}
    case = client.post("/v1/cases", json=external, headers=keys["agent"]).json()
    assert case["state"] == "redirected" and "933" in case["reply"]
    assert case["allowed_actions"] == []


@pytest.mark.parametrize("role, action, fields, status, code", [
    ("section", "assign", {"section": "emergency"}, 403, "forbidden"),   # a liaison's step
    ("liaison", "publish", {}, 403, "forbidden"),                        # PR's step
    ("liaison", "resolve", {"note": "x"}, 403, "forbidden"),
    ("pr", "publish", {}, 422, "invalid_transition"),                    # not in review
    ("liaison", "assign", {}, 422, "invalid_transition"),                # section missing
    ("liaison", "assign", {"section": "payroll"}, 422, "invalid"),       # not a hospitals section
    ("agent", "fly", {}, 422, "invalid_transition"),
    ("integrator", "start", {}, 403, "forbidden"),
])
def test_invalid_steps_are_refused_and_change_nothing(world, role, action, fields, status, code):
    client, keys, _ = world
    case = client.post("/v1/cases", json=CASE, headers=keys["agent"]).json()
    response = step(client, keys, role, case["reference"], action, case["version"], **fields)
    assert_error(response, status, code)
    after = client.get(f"/v1/cases/{case['reference']}", headers=keys["agent"]).json()
    assert (after["state"], after["version"]) == (case["state"], case["version"])


def test_the_slower_of_two_concurrent_updates_gets_409(world):
    client, keys, _ = world
    case = client.post("/v1/cases", json=CASE, headers=keys["agent"]).json()
    first = step(client, keys, "liaison", case["reference"], "assign", case["version"],
                 section="emergency")
    second = step(client, keys, "liaison", case["reference"], "assign", case["version"],
                  section="surgery")
    assert first.status_code == 200
    assert_error(second, 409, "conflict", "version")
    after = client.get(f"/v1/cases/{case['reference']}", headers=keys["agent"]).json()
    assert after["section"] == "emergency" and len(after["history"]) == 3


def test_overdue_and_due_soon_lists_follow_the_clock(world):
    client, keys, clock = world
    plain = client.post("/v1/cases", json=CASE, headers=keys["agent"]).json()
    inspection = client.post("/v1/cases", json={
        **CASE, "post_id": "p2", "final": {**CASE["final"], "requires_inspection": True}},
        headers=keys["agent"]).json()
    assert inspection["working_days"] == 5 and inspection["due_at"] == "2026-12-06T06:00:00+00:00"

    def listed(**query):
        body = client.get("/v1/cases", params=query, headers=keys["liaison"]).json()
        return [c["reference"] for c in body["data"]]

    assert listed(overdue="true") == []
    assert listed(due_within_hours=73) == [plain["reference"]]
    clock.now = dt.datetime(2026, 12, 2, 10, tzinfo=RIYADH)   # an hour past the 3-day due time
    assert listed(overdue="true") == [plain["reference"]]
    clock.now = dt.datetime(2026, 12, 7, 10, tzinfo=RIYADH)
    assert listed(overdue="true") == [plain["reference"], inspection["reference"]]


def test_opening_a_case_records_the_agents_labels_as_feedback(world):
    client, keys, _ = world
    client.post("/v1/cases", json={**CASE, "post_id": "fb-case"}, headers=keys["agent"])
    exported = client.get("/v1/feedback/export", headers=keys["analyst"]).text
    assert '"id": "fb-fb-case"' in exported


def test_unknown_case_is_404_and_cases_need_a_case_role(world):
    client, keys, _ = world
    assert_error(client.get("/v1/cases/MOH-2026-999999", headers=keys["agent"]), 404, "not_found")
    assert_error(client.get("/v1/cases", headers=keys["integrator"]), 403, "forbidden")
    assert_error(client.post("/v1/cases", json=CASE, headers=keys["liaison"]), 403, "forbidden")


def test_cases_overdue_and_report_commands_read_the_store(world, database_url):
    from tests.api.test_cli import rasd

    client, keys, _ = world
    old = client.post("/v1/cases", json={**CASE, "created_at": "2026-01-04T09:00:00+03:00"},
                      headers=keys["agent"]).json()   # due long ago, by the real clock too
    env = {"RASD_DATABASE_URL": database_url}
    overdue = rasd("cases", "overdue", env=env, check=True)
    assert old["reference"] in overdue.stdout
    report = rasd("cases", "report", env=env, check=True)
    assert '"by_department"' in report.stdout and '"hospitals": 1' in report.stdout
