import json
import shutil

import pytest

from nlp.artifacts import (
    ACTIVE_FILE,
    ARTIFACT_FILE,
    CARD_FILE,
    active_version,
    list_versions,
    load_model,
    save_model,
    set_active_version,
)
from nlp.errors import ModelLoadError

TEXTS = ["انتظرت في الطوارئ ست ساعات", "وين الدواء يا وزارة", "3ayez a7gez maw3ed",
         "The app keeps crashing", "الكهرباء مقطوعة", "الله يعطيكم العافية 🌹"]


@pytest.fixture()
def saved(tmp_path, small_model):
    save_model(small_model, tmp_path / "v1", {"version": "v1"})
    return tmp_path / "v1"


def test_save_then_load_gives_the_same_predictions(saved, small_model):
    loaded, card = load_model(saved)
    assert card["version"] == "v1"
    assert loaded.predict(TEXTS) == small_model.predict(TEXTS)


def test_card_records_labels_libraries_and_hash(saved, small_model):
    card = json.loads((saved / CARD_FILE).read_text(encoding="utf-8"))
    assert card["labels"] == small_model.labels
    assert {"scikit-learn", "numpy", "camel-tools", "python"} <= set(card["libraries"])
    assert len(card["artifact"]["sha256"]) == 64


def test_changed_artifact_is_refused(saved):
    artifact = saved / ARTIFACT_FILE
    data = bytearray(artifact.read_bytes())
    data[len(data) // 2] ^= 0xFF
    artifact.write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="does not match its card"):
        load_model(saved)


def test_truncated_artifact_is_refused(saved):
    artifact = saved / ARTIFACT_FILE
    artifact.write_bytes(artifact.read_bytes()[:1000])
    with pytest.raises(ModelLoadError, match="changed or truncated"):
        load_model(saved)


def test_artifact_that_matches_its_card_but_is_garbage_is_refused(saved):
    from nlp.artifacts import sha256_of

    artifact = saved / ARTIFACT_FILE
    artifact.write_bytes(b"not a pickle at all")
    card = json.loads((saved / CARD_FILE).read_text(encoding="utf-8"))
    card["artifact"].update(sha256=sha256_of(artifact), bytes=artifact.stat().st_size)
    (saved / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelLoadError, match="cannot be read"):
        load_model(saved)


def test_model_from_another_scikit_learn_release_is_refused(saved):
    card = json.loads((saved / CARD_FILE).read_text(encoding="utf-8"))
    card["libraries"]["scikit-learn"] = "0.24.2"
    (saved / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelLoadError, match="scikit-learn 0.24.2"):
        load_model(saved)


@pytest.mark.parametrize("card_text, message", [
    (None, "no model.json"),
    ("{broken", "not valid JSON"),
    ('{"format": 7}', "card format 7"),
    ('{"format": 1}', "card format 1"),  # separate owner and department heads: retrain
])
def test_missing_or_unreadable_card_is_refused(saved, card_text, message):
    card = saved / CARD_FILE
    if card_text is None:
        card.unlink()
    else:
        card.write_text(card_text, encoding="utf-8")
    with pytest.raises(ModelLoadError, match=message):
        load_model(saved)


def test_active_version_switches_atomically_between_saved_versions(saved):
    shutil.copytree(saved, saved.parent / "v2")
    assert list_versions(saved.parent) == ["v1", "v2"]
    set_active_version(saved.parent, "v2")
    assert active_version(saved.parent) == "v2"
    assert (saved.parent / ACTIVE_FILE).read_text().strip() == "v2"
    with pytest.raises(ModelLoadError, match="no model version"):
        set_active_version(saved.parent, "v3")
