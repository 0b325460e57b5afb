"""Feedback, model administration, the profile and the operational endpoints."""

import json
import time

from nlp.artifacts import active_version
from tests.api.test_cli import rasd
from tests.api.test_http_triage import POST, assert_error

FEEDBACK = {"post_id": "p1", "text": POST["text"], "model_version": "m", "agent_id": "agent-7",
            "platform": "x", "final": {"intent": "complaint", "owner": "ministry",
                                       "department": "hospitals", "requires_inspection": False,
                                       "urgent": False}}


def test_feedback_is_stored_and_exported_as_a_training_row(client, keys, settings):
    response = client.post("/v1/feedback", json=FEEDBACK, headers=keys["agent"])
    assert response.status_code == 201 and response.json()["post_id"] == "p1"
    exported = client.get("/v1/feedback/export", headers=keys["analyst"])
    rows = [json.loads(line) for line in exported.text.splitlines()]
    assert {"id": "fb-p1", "text": POST["text"], "intent": "complaint", "owner": "ministry",
            "department": "hospitals", "requires_inspection": False, "urgent": False,
            "dialect": "unknown", "platform": "x"} in rows


def test_export_feedback_command_reads_the_same_store(client, keys, settings, tmp_path):
    client.post("/v1/feedback", json={**FEEDBACK, "post_id": "cli-1"}, headers=keys["agent"])
    rasd("export-feedback", "-o", tmp_path / "fb.jsonl", check=True,
         env={"RASD_DATABASE_URL": settings.database_url})
    ids = [json.loads(line)["id"] for line in (tmp_path / "fb.jsonl").read_text().splitlines()]
    assert "fb-cli-1" in ids


def test_exported_feedback_loads_as_training_data(client, keys, tmp_path, profile):
    from nlp.corpus import load_posts

    client.post("/v1/feedback", json=FEEDBACK, headers=keys["agent"])
    path = tmp_path / "fb.jsonl"
    path.write_text(client.get("/v1/feedback/export", headers=keys["analyst"]).text, encoding="utf-8")
    assert load_posts(path, profile.label_space)


def test_feedback_with_labels_outside_the_taxonomy_is_refused(client, keys):
    bad = {**FEEDBACK, "final": {**FEEDBACK["final"], "owner": "utilities"}}
    assert_error(client.post("/v1/feedback", json=bad, headers=keys["agent"]), 422,
                 "invalid_labels", "final")
    bad = {**FEEDBACK, "final": {**FEEDBACK["final"], "intent": "rant"}}
    assert_error(client.post("/v1/feedback", json=bad, headers=keys["agent"]), 422, "invalid_labels")


def test_only_agents_give_feedback_and_only_analysts_export_it(client, keys):
    assert_error(client.post("/v1/feedback", json=FEEDBACK, headers=keys["integrator"]), 403,
                 "forbidden")
    assert_error(client.get("/v1/feedback/export", headers=keys["agent"]), 403, "forbidden")


def test_models_are_listed_with_the_active_one_marked(client, keys):
    body = client.get("/v1/models", headers=keys["analyst"]).json()
    assert body["count"] == 2
    assert sum(m["active"] for m in body["data"]) == 1
    active = client.get("/v1/models/active", headers=keys["agent"]).json()
    assert active["active"] and active["evaluation"]["intent_macro_f1"] > 0


def test_activating_a_model_switches_new_requests_but_not_one_in_flight(client, keys, models_dir):
    before = client.app.state.active_model.version
    in_flight = client.app.state.active_model.triager  # what a running request holds
    response = client.post("/v1/models/second/activate", headers=keys["analyst"])
    assert response.status_code == 200 and response.json()["version"] == "second"
    assert in_flight.model_version == before
    assert client.post("/v1/triage", json=POST, headers=keys["agent"]).json()["model_version"] == "second"
    assert active_version(models_dir) == "second"
    client.post(f"/v1/models/{before}/activate", headers=keys["analyst"])
    assert client.app.state.active_model.version == before


def test_a_model_that_fails_to_load_leaves_the_old_one_active(client, keys, models_dir):
    before = client.app.state.active_model.version
    broken = models_dir / "broken"
    broken.mkdir()
    (broken / "model.json").write_text(
        (models_dir / before / "model.json").read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "model.joblib").write_bytes(b"truncated")
    response = client.post("/v1/models/broken/activate", headers=keys["analyst"])
    assert_error(response, 409, "model_not_loadable")
    assert before in response.json()["error"]["message"]
    assert client.app.state.active_model.version == before
    assert active_version(models_dir) == before
    assert_error(client.post("/v1/models/none/activate", headers=keys["analyst"]), 404, "not_found")
    assert_error(client.post("/v1/models/second/activate", headers=keys["agent"]), 403, "forbidden")


def test_server_follows_a_switch_made_by_another_process(client, models_dir):
    from nlp.artifacts import set_active_version

    before = client.app.state.active_model.version
    set_active_version(models_dir, "second")  # as `rasd activate` or another worker would
    deadline = time.monotonic() + 10
    while client.app.state.active_model.version != "second" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.app.state.active_model.version == "second"
    set_active_version(models_dir, before)
    while client.app.state.active_model.version != before and time.monotonic() < deadline + 10:
        time.sleep(0.1)


def test_profile_lists_departments_sections_entities_and_templates(client, keys):
    body = client.get("/v1/profile", headers=keys["agent"]).json()
    assert {d["id"] for d in body["departments"]} >= {"hospitals", "eservices"}
    assert all(d["sections"] for d in body["departments"])
    assert any(e["id"] == "utilities" and e["channel_ar"] for e in body["entities"])
    assert "ack_complaint" in body["templates"]


def test_health_readiness_and_metrics(client, keys):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["status"] == "ready"
    client.post("/v1/triage", json=POST, headers=keys["agent"])
    text = client.get("/metrics").text
    assert 'rasd_http_requests_total{method="POST",route="/v1/triage",status="200"}' in text
    assert "rasd_http_request_duration_seconds_bucket" in text
    assert 'rasd_predictions_total{head="intent",label=' in text
    assert "rasd_needs_review_share" in text
    assert f'rasd_active_model_info{{version="{client.app.state.active_model.version}"}} 1.0' in text


def test_openapi_documents_every_route_with_arabic_examples(client):
    schema = client.get("/openapi.json").json()
    assert {"/v1/triage", "/v1/triage/batch", "/v1/triage/stream", "/v1/feedback",
            "/v1/models", "/v1/models/active", "/v1/models/{version}/activate",
            "/v1/profile", "/healthz", "/readyz", "/metrics"} <= set(schema["paths"])
    assert "انتظرت" in json.dumps(schema, ensure_ascii=False)
    assert client.get("/docs").status_code == 200


def test_feedback_endpoint_stores_in_each_kind_of_database(database_url, models_dir):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    app = create_app(Settings(database_url=database_url, models_dir=models_dir, auth_disabled=True))
    with TestClient(app) as client:
        assert client.post("/v1/feedback", json={**FEEDBACK, "post_id": "db-1"}).status_code == 201
        exported = client.get("/v1/feedback/export").text
    assert '"id": "fb-db-1"' in exported
