"""Triage over HTTP: the same output object as the bulk command, every error in one shape."""

import json

import pytest

POST = {"id": "p1", "text": "انتظرت في طوارئ المستشفى ست ساعات وما أحد كشف على ولدي",
        "created_at": "2026-11-29T14:00:00+03:00", "platform": "x"}


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code and body["error"]["message"]
    if field is not None:
        assert body["error"]["field"] == field


def test_single_post_gets_the_taxonomy_output_object(client, keys):
    response = client.post("/v1/triage", json=POST, headers=keys["agent"])
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "p1" and body["intent"]["label"] in {"complaint", "report"}
    assert body["ownership"]["owner"] == "ministry" and body["department"]["label"] == "hospitals"
    days = body["sla"]["working_days"]
    assert days in (3, 5)
    assert body["sla"]["due"] == ("2026-12-02T14:00:00+03:00" if days == 3
                                  else "2026-12-06T14:00:00+03:00")
    assert body["model_version"] == client.app.state.active_model.version


def test_http_and_bulk_command_give_the_same_object(client, keys, tmp_path):
    from tests.api.test_cli import rasd

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(POST, ensure_ascii=False) + "\n", encoding="utf-8")
    rasd("score", source, "-o", tmp_path / "out.jsonl", check=True)
    from_cli = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    from_http = client.post("/v1/triage", json=POST, headers=keys["agent"]).json()
    assert from_http == from_cli


def test_missing_id_is_made_and_unknown_fields_are_ignored(client, keys):
    response = client.post("/v1/triage", json={"text": "وين الدواء", "mood": "angry"},
                           headers=keys["integrator"])
    assert response.status_code == 200 and len(response.json()["id"]) == 32


def test_batch_answers_in_input_order(client, keys):
    posts = [{"id": f"b{i}", "text": text} for i, text in enumerate(
        ["الكهرباء مقطوعة عن الحي من الصبح", "وين الدواء", "The app is down again"])]
    response = client.post("/v1/triage/batch", json={"posts": posts}, headers=keys["integrator"])
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and [r["id"] for r in body["data"]] == ["b0", "b1", "b2"]
    assert body["data"][0]["ownership"]["entity"] == "utilities"


def test_stream_answers_every_line_in_order_and_bad_lines_in_place(client, keys):
    lines = [json.dumps({"id": "s1", "text": "وين الدواء"}, ensure_ascii=False), "{not json",
             "", json.dumps({"id": "s3", "text": ""}),
             json.dumps({"id": "s4", "text": "التطبيق معلق"}, ensure_ascii=False)]
    response = client.post("/v1/triage/stream", content="\n".join(lines).encode(),
                           headers={**keys["integrator"], "content-type": "application/x-ndjson"})
    assert response.status_code == 200
    out = [json.loads(line) for line in response.text.splitlines()]
    assert [o.get("id") or o["line"] for o in out] == ["s1", 2, 4, "s4"]
    assert out[1]["error"]["code"] == "invalid_post" and out[2]["error"]["field"] == "text"


def test_stream_takes_more_posts_than_a_batch_may(client, keys, settings):
    count = settings.max_batch_posts + 5
    body = "".join(json.dumps({"id": str(i), "text": "وين الدواء"}) + "\n" for i in range(count))
    response = client.post("/v1/triage/stream", content=body.encode(), headers=keys["integrator"])
    assert len(response.text.splitlines()) == count


@pytest.mark.parametrize("body, status, code, field", [
    ({"text": ""}, 422, "invalid_post", "text"),
    ({"text": "   \n "}, 422, "invalid_post", "text"),
    ({"text": "ا" * 5001}, 422, "invalid_post", "text"),
    ({"id": "x"}, 422, "invalid", "text"),
    ({"text": "وين", "created_at": "yesterday"}, 422, "invalid_post", "created_at"),
])
def test_bad_posts_are_refused_with_the_field(client, keys, body, status, code, field):
    assert_error(client.post("/v1/triage", json=body, headers=keys["agent"]), status, code, field)


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", '{"text": "\xff"}'.encode("latin-1")])
def test_broken_json_or_utf8_is_400(client, keys, raw):
    response = client.post("/v1/triage", content=raw,
                           headers={**keys["agent"], "content-type": "application/json"})
    assert_error(response, 400, "malformed_json")


def test_batch_over_its_cap_is_413(client, keys, settings):
    posts = [{"text": "و"}] * (settings.max_batch_posts + 1)
    assert_error(client.post("/v1/triage/batch", json={"posts": posts}, headers=keys["integrator"]),
                 413, "too_many_posts", "posts")


def test_bad_post_inside_a_batch_names_its_index(client, keys):
    posts = [{"text": "وين الدواء"}, {"text": " "}]
    assert_error(client.post("/v1/triage/batch", json={"posts": posts}, headers=keys["integrator"]),
                 422, "invalid_post", "posts.1.text")


def test_body_over_the_byte_cap_is_413(client, keys, settings):
    body = json.dumps({"posts": [{"text": "و" * 4000}] * 40})
    assert len(body.encode()) > settings.max_body_bytes
    assert_error(client.post("/v1/triage/batch", content=body.encode(),
                             headers={**keys["integrator"], "content-type": "application/json"}),
                 413, "too_large")


@pytest.mark.parametrize("path, role", [
    ("/v1/triage", "analyst"), ("/v1/triage/batch", "agent"), ("/v1/triage/stream", "agent")])
def test_a_key_without_the_role_is_403(client, keys, path, role):
    assert_error(client.post(path, json=POST, headers=keys[role]), 403, "forbidden")


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "rasd_not-a-real-key"}])
def test_no_key_or_an_unknown_key_is_401(client, headers):
    assert_error(client.post("/v1/triage", json=POST, headers=headers), 401, "unauthorized")


def test_unknown_route_is_404_in_the_error_shape(client):
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
