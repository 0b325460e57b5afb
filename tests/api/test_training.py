"""`rasd train` and `rasd evaluate`, end to end on the real corpus."""

import json

from api.settings import PROJECT_ROOT
from nlp.artifacts import load_model
from tests.api.test_cli import rasd


def test_train_with_same_data_and_seed_reproduces_the_default_model(tmp_path, corpus,
                                                                    default_triager):
    env = {"RASD_MODELS_DIR": str(tmp_path)}
    result = rasd("train", "--version", "repro", "--seed", "0", env=env, check=True)
    card = json.loads(result.stdout)
    assert card["version"] == "repro"
    retrained, saved_card = load_model(tmp_path / "repro")
    default_card = json.loads((PROJECT_ROOT / "models" / default_triager.model_version /
                               "model.json").read_text(encoding="utf-8"))
    assert saved_card["training_data"] == default_card["training_data"]
    _, test = corpus
    texts = [p.text for p in test]
    assert retrained.predict(texts) == default_triager.model.predict(texts)
    assert (tmp_path / "repro" / "evaluation.json").is_file()


def test_evaluate_writes_report_slices_and_confusion_pictures(tmp_path):
    result = rasd("evaluate", "--output", tmp_path, check=True)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert set(report["slices"]) == {"dialect", "platform", "length"}
    assert 0 < report["intent"]["macro_f1"] <= 1
    for head in ("intent", "owner", "department"):
        assert (tmp_path / f"confusion_{head}.png").read_bytes()[:4] == b"\x89PNG"
    assert "intent_macro_f1" in json.loads(result.stdout)
