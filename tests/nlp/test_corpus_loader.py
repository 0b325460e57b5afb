import json

import pytest

from nlp.corpus import load_posts
from nlp.errors import CorpusError

GOOD = {"id": "t-1", "text": "وين الدواء", "intent": "complaint", "owner": "ministry",
        "department": "pharmacy", "requires_inspection": False, "urgent": False,
        "dialect": "saudi", "platform": "x"}


def write(tmp_path, rows, raw=None):
    path = tmp_path / "posts.jsonl"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_valid_rows_load(tmp_path, profile):
    posts = load_posts(write(tmp_path, [GOOD, {**GOOD, "id": "t-2"}]), profile.label_space)
    assert [p.id for p in posts] == ["t-1", "t-2"]


@pytest.mark.parametrize("change, reason", [
    ({"intent": "rant"}, "intent 'rant' is not one of"),
    ({"owner": "ministry_of_magic"}, "owner"),
    ({"department": "cardiology"}, "department 'cardiology'"),
    ({"owner": "utilities"}, "department must be null"),
    ({"owner": "utilities", "department": None, "requires_inspection": True}, "requires_inspection"),
    ({"department": None}, "needs a department"),
    ({"text": "   "}, "text must be a non-empty string"),
    ({"urgent": "yes"}, "urgent must be true or false"),
    ({"dialect": "klingon"}, "dialect"),
    ({"extra": 1}, "unknown field(s): extra"),
])
def test_a_bad_row_is_refused_with_file_line_and_reason(tmp_path, profile, change, reason):
    path = write(tmp_path, [GOOD, {**GOOD, "id": "t-2", **change}])
    with pytest.raises(CorpusError) as error:
        load_posts(path, profile.label_space)
    assert f"{path}:2:" in str(error.value) and reason in str(error.value)


def test_missing_field_is_named(tmp_path, profile):
    row = {k: v for k, v in GOOD.items() if k != "platform"}
    with pytest.raises(CorpusError, match="missing field"):
        load_posts(write(tmp_path, [row]), profile.label_space)


def test_duplicate_id_is_refused(tmp_path, profile):
    with pytest.raises(CorpusError, match="already used on line 1"):
        load_posts(write(tmp_path, [GOOD, GOOD]), profile.label_space)


def test_broken_json_and_wrong_encoding_are_refused(tmp_path, profile):
    with pytest.raises(CorpusError, match=":1: not valid JSON"):
        load_posts(write(tmp_path, [], raw=b'{"id": '), profile.label_space)
    with pytest.raises(CorpusError, match="not UTF-8"):
        load_posts(write(tmp_path, [], raw="وين".encode("cp1256")), profile.label_space)
