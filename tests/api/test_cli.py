"""The real `rasd` command, run as a user runs it."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from api.settings import PROJECT_ROOT

POSTS = [
    {"id": "a1", "text": "انتظرت في طوارئ المستشفى ست ساعات وما أحد كشف على ولدي",
     "created_at": "2026-11-29T14:00:00+03:00"},
    {"id": "a2", "text": "الكهرباء مقطوعة عن الحي من الصبح"},
    {"id": "a3", "text": "The ministry app keeps crashing, I can't get my sick leave", "platform": "x"},
    {"id": 4, "text": "3ayez a7gez maw3ed 3and doctor el 3oyoun", "extra_column": "ignored"},
]


def rasd(*args, env=None, check=False):
    result = subprocess.run([sys.executable, "-m", "api.cli", *map(str, args)],
                            capture_output=True, text=True, cwd=PROJECT_ROOT,
                            env={**os.environ, **(env or {})})
    if check:
        assert result.returncode == 0, result.stderr
    return result


def write_jsonl(path, rows, extra_lines=()):
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_output(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("workers", [1, 2])
def test_score_writes_one_object_per_post_in_input_order(tmp_path, workers):
    source = write_jsonl(tmp_path / "in.jsonl", POSTS)
    result = rasd("score", source, "-o", tmp_path / "out.jsonl", "--workers", workers, check=True)
    rows = read_output(tmp_path / "out.jsonl")
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "4"]
    assert rows[0]["sla"]["due"] == "2026-12-02T14:00:00+03:00"
    assert rows[1]["ownership"] == {**rows[1]["ownership"], "owner": "external", "entity": "utilities"}
    assert rows[2]["acknowledgement"]["lang"] == "en"
    assert "scored 4 posts, skipped 0" in result.stderr


def test_score_reads_csv(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,text,platform\nc1,وين الدواء يا وزارة,x\nc2,\"متى يفتح المركز، الصحي؟\",x\n",
                      encoding="utf-8")
    rasd("score", source, "-o", tmp_path / "out.jsonl", check=True)
    assert [r["id"] for r in read_output(tmp_path / "out.jsonl")] == ["c1", "c2"]


def test_bad_records_are_skipped_counted_and_named_by_line(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", POSTS[:2], extra_lines=[
        '{"id": "b1", "text": ""}', "{not json", '{"text": "بلا رقم"}',
        json.dumps({"id": "b4", "text": "x" * 6000})])
    with source.open("ab") as stream:
        stream.write('{"id": "b5", "text": "وين"}\n'.encode("cp1256"))
    result = rasd("score", source, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 1
    assert len(read_output(tmp_path / "out.jsonl")) == 2
    for line, reason in [(3, "text is missing or empty"), (4, "not valid JSON"),
                         (5, "id is missing"), (6, "text is longer than 5000"), (7, "not UTF-8")]:
        assert f"skipped line {line}: {reason}" in result.stderr
    assert "skipped 5" in result.stderr


def test_fail_mode_stops_at_the_first_bad_record(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", POSTS[:1], extra_lines=["{not json"])
    result = rasd("score", source, "-o", tmp_path / "out.jsonl", "--on-error", "fail")
    assert result.returncode == 3 and "line 2: not valid JSON" in result.stderr


def test_missing_input_and_bad_usage_have_their_exit_codes(tmp_path):
    assert rasd("score", tmp_path / "nope.jsonl", "-o", tmp_path / "o").returncode == 3
    assert rasd("score").returncode == 2
    assert rasd("score", tmp_path / "x", "-o", tmp_path / "o", "--workers", 0).returncode == 2


def test_empty_input_gives_empty_output(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("", encoding="utf-8")
    rasd("score", source, "-o", tmp_path / "out.jsonl", check=True)
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == ""


def test_broken_model_file_stops_with_exit_4_and_advice(tmp_path):
    models = tmp_path / "models"
    active = (PROJECT_ROOT / "models" / "ACTIVE").read_text().strip()
    shutil.copytree(PROJECT_ROOT / "models" / active, models / active)
    (models / "ACTIVE").write_text(active)
    artifact = models / active / "model.joblib"
    artifact.write_bytes(artifact.read_bytes()[:-100])
    source = write_jsonl(tmp_path / "in.jsonl", POSTS)
    result = rasd("score", source, "-o", tmp_path / "out.jsonl", env={"RASD_MODELS_DIR": str(models)})
    assert result.returncode == 4
    assert "does not match its card" in result.stderr and "retrain" in result.stderr


def test_broken_profile_stops_with_exit_4_naming_the_field(tmp_path):
    profile = tmp_path / "p.toml"
    profile.write_text((PROJECT_ROOT / "router/profiles/moh.toml").read_text(encoding="utf-8")
                       .replace("working_days = 3", "working_days = -1"), encoding="utf-8")
    source = write_jsonl(tmp_path / "in.jsonl", POSTS)
    result = rasd("score", source, "-o", tmp_path / "o.jsonl", env={"RASD_PROFILE": str(profile)})
    assert result.returncode == 4 and "service_level.working_days" in result.stderr


def test_models_lists_versions_and_marks_the_active_one():
    result = rasd("models", check=True)
    active = (PROJECT_ROOT / "models" / "ACTIVE").read_text().strip()
    assert f"* {active}" in result.stdout
