import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.hashed_tfidf import CharNgramTfidf, WordNgramTfidf, _HashTable

TEXTS = ["انتظرت في الطوارئ ست ساعات", "وين الدواء", "المركز الصحي مسكر", "the app is down",
         "الطوارئ زحمة", "وين المركز الصحي", "الدواء مو موجود", "app down again"]


def test_features_equal_scikit_learns_char_tfidf_on_padded_text():
    ours = CharNgramTfidf(ngram_range=(2, 4), min_df=1).fit(TEXTS)
    reference = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), min_df=1,
                                sublinear_tf=True, lowercase=False).fit([f" {t} " for t in TEXTS])
    ours_matrix = ours.transform(TEXTS + ["نص جديد تماما"]).toarray()
    reference_matrix = reference.transform([f" {t} " for t in TEXTS + ["نص جديد تماما"]]).toarray()
    assert len(ours.vocabulary_) == len(reference.vocabulary_)
    for mine, theirs in zip(ours_matrix, reference_matrix):
        np.testing.assert_allclose(np.sort(mine), np.sort(theirs), atol=1e-6)


def test_min_df_and_max_features_shrink_the_vocabulary():
    full = CharNgramTfidf(min_df=1).fit(TEXTS)
    frequent = CharNgramTfidf(min_df=2).fit(TEXTS)
    capped = CharNgramTfidf(min_df=1, max_features=50).fit(TEXTS)
    assert len(frequent.vocabulary_) < len(full.vocabulary_)
    assert len(capped.vocabulary_) == 50


def test_text_with_no_known_ngram_is_a_zero_row():
    model = CharNgramTfidf().fit(TEXTS)
    assert model.transform(["xyz"]).nnz == 0
    assert model.transform([]).shape == (0, len(model.vocabulary_))


@pytest.mark.parametrize("size", [1, 100, 50_000])
def test_hash_table_finds_exactly_its_keys(size):
    rng = np.random.default_rng(size)
    keys = np.unique(rng.integers(0, 2**63, size=size, dtype=np.int64).astype(np.uint64))
    others = rng.integers(0, 2**63, size=1000, dtype=np.int64).astype(np.uint64)
    table = _HashTable(keys)
    np.testing.assert_array_equal(table.find(keys), np.arange(len(keys)))
    assert (table.find(np.setdiff1d(others, keys)) == -1).all()


def test_word_features_equal_scikit_learns_word_tfidf_on_space_separated_tokens():
    ours = WordNgramTfidf(ngram_range=(1, 2), min_df=1).fit(TEXTS)
    reference = TfidfVectorizer(tokenizer=str.split, token_pattern=None, ngram_range=(1, 2),
                                min_df=1, sublinear_tf=True, lowercase=False).fit(TEXTS)
    unseen = TEXTS + ["وين الدواء الجديد", ""]
    assert len(ours.vocabulary_) == len(reference.vocabulary_)
    for mine, theirs in zip(ours.transform(unseen).toarray(), reference.transform(unseen).toarray()):
        np.testing.assert_allclose(np.sort(mine), np.sort(theirs), atol=1e-6)


def test_word_ngrams_never_span_two_texts():
    model = WordNgramTfidf(ngram_range=(2, 2), min_df=1).fit(["a b", "c d"])
    assert len(model.vocabulary_) == 2  # "a b" and "c d", never "b c"


def test_a_nul_character_in_a_text_does_not_split_the_batch():
    for model in (CharNgramTfidf(min_df=1).fit(TEXTS), WordNgramTfidf(min_df=1).fit(TEXTS)):
        assert model.transform(["وين\x00الدواء", "x"]).shape[0] == 2
