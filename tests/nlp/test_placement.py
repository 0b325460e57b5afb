"""The placement head: owner and department from one classifier over ministry/<department> and entities."""

import dataclasses

import pytest

from nlp.errors import CorpusError
from nlp.labels import MINISTRY
from nlp.triage_model import TriageModel, placement

TEXTS = ["انتظرت في الطوارئ ست ساعات", "الكهرباء مقطوعة عن الحي من الصبح", "3ayez a7gez maw3ed",
         "The ministry app keeps crashing", "الله يعطيكم العافية 🌹"]


def test_placement_classes_name_the_department_or_the_entity(corpus):
    train, _ = corpus
    classes = {placement(p) for p in train}
    assert "ministry/hospitals" in classes and "ministry/" in classes and "utilities" in classes
    assert not any(c.startswith("ministry/") and c.count("/") != 1 for c in classes)


def test_labels_are_the_profiles_owners_and_departments(small_model, profile):
    labels = small_model.labels
    assert set(labels) == {"intent", "owner", "department", "requires_inspection", "urgent"}
    assert labels["owner"][0] == MINISTRY
    assert set(labels["owner"]) == set(profile.label_space.owners)
    assert set(labels["department"]) == set(profile.label_space.departments)


def test_owner_and_department_rankings_are_probabilities(small_model):
    for prediction in small_model.predict(TEXTS):
        for ranked in (prediction.owner, prediction.department):
            assert list(ranked.confidences) == sorted(ranked.confidences, reverse=True)
            assert 0.0 <= sum(ranked.confidences) <= 1.0 + 1e-9
        assert MINISTRY not in prediction.department.labels


def test_the_ministry_weight_moves_posts_towards_the_ministry(small_model):
    def ministry_probability(weight):
        small_model.ministry_weight = weight
        owners = [p.owner for p in small_model.predict(TEXTS)]
        return [dict(zip(o.labels, o.confidences)).get(MINISTRY, 0.0) for o in owners]

    original = small_model.ministry_weight
    try:
        low, high = ministry_probability(1.0), ministry_probability(2.0)
    finally:
        small_model.ministry_weight = original
    assert all(h >= lo for h, lo in zip(high, low))
    assert any(h > lo for h, lo in zip(high, low))


def test_training_without_any_department_is_refused_with_the_reason(corpus):
    train, _ = corpus
    without_departments = [dataclasses.replace(p, department=None) for p in train[:300]]
    with pytest.raises(CorpusError, match="no ministry post has a department"):
        TriageModel.train(without_departments)
