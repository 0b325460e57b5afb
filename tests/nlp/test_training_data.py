"""Schema and breadth checks on training_data/: what the model learns from."""

from collections import Counter
from pathlib import Path

import pytest

from nlp.corpus import load_posts
from nlp.labels import DIALECT_FAMILY, INTENTS, MINISTRY
from nlp.near_duplicates import TrigramIndex, near_duplicate_share, word_trigrams
from nlp.normalize import normalize

MIN_INTENT, MIN_DEPARTMENT, MIN_ENTITY = 500, 150, 60
MIN_INSPECTION, MIN_URGENT, MIN_POSTS = 400, 150, 4000


@pytest.fixture(scope="module")
def posts(corpus):
    train, test = corpus
    return train + test


def test_corpus_has_at_least_4000_posts(posts):
    assert len(posts) >= MIN_POSTS


def test_every_intent_has_enough_posts(posts):
    counts = Counter(p.intent for p in posts)
    assert {i: counts[i] for i in INTENTS if counts[i] < MIN_INTENT} == {}


def test_every_department_has_enough_ministry_posts(posts, profile):
    counts = Counter(p.department for p in posts if p.owner == MINISTRY)
    short = {d: counts[d] for d in profile.label_space.departments if counts[d] < MIN_DEPARTMENT}
    assert short == {}


def test_every_external_entity_has_enough_posts(posts, profile):
    counts = Counter(p.owner for p in posts)
    assert {e: counts[e] for e in profile.label_space.entities if counts[e] < MIN_ENTITY} == {}


def test_flags_have_enough_positive_posts(posts):
    assert sum(p.requires_inspection for p in posts) >= MIN_INSPECTION
    assert sum(p.urgent for p in posts) >= MIN_URGENT


def test_no_dialect_or_dialect_family_above_40_percent(posts):
    for key in (lambda p: p.dialect, lambda p: DIALECT_FAMILY[p.dialect]):
        label, count = Counter(key(p) for p in posts).most_common(1)[0]
        assert count / len(posts) <= 0.40, label


def test_test_split_is_at_least_15_percent_and_covers_every_intent(corpus):
    train, test = corpus
    assert len(test) / (len(train) + len(test)) >= 0.15
    assert {p.intent for p in test} == set(INTENTS)


def test_splits_share_no_post_id_or_text(corpus):
    train, test = corpus
    assert not {p.id for p in train} & {p.id for p in test}
    assert not {normalize(p.text) for p in train} & {normalize(p.text) for p in test}


def test_near_duplicate_share_is_at_most_3_percent(posts):
    assert near_duplicate_share([p.id for p in posts], [p.text for p in posts]) <= 0.03


@pytest.mark.parametrize("name, at_least", [("independent.jsonl", 250), ("pending.jsonl", 500)])
def test_posts_kept_apart_are_valid_and_apart_from_both_splits(corpus, profile, name, at_least):
    apart = load_posts(Path(__file__).parents[2] / "training_data" / name, profile.label_space)
    train, test = corpus
    assert len(apart) >= at_least
    assert not {p.id for p in apart} & {p.id for p in train + test}
    index = TrigramIndex()
    for post in train + test:
        index.add(word_trigrams(post.text))
    assert not [p.id for p in apart if index.covers(word_trigrams(p.text))]
