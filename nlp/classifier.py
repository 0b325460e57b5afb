"""The text classifier every Rasd head is built from.

``make_text_classifier()`` is public API: analysts train it on their own
labels, so it must do well on any Arabic short-text task, not only on this
profile's words.  Its strength comes from normalization (one spelling for
many) and from character n-grams, which survive dialect spellings, typos
and clitics (والمستشفى، بالمستشفى) that word features miss.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from nlp.hashed_tfidf import CharNgramTfidf, WordNgramTfidf
from nlp.normalize import normalize_many


class TextNormalizer(TransformerMixin, BaseEstimator):
    """Apply ``nlp.normalize.normalize`` to each text; stateless."""

    block = 2000  # texts normalized together (see ``normalize_many``)

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        texts = list(texts)
        return [normalized for start in range(0, len(texts), self.block)
                for normalized in normalize_many(texts[start:start + self.block])]


def make_features(*, char_ngram_range: tuple[int, int] = (2, 5), word_ngram_range: tuple[int, int] = (1, 2),
                  max_char_features: int = 50000, max_word_features: int = 20000) -> Pipeline:
    """Raw texts → one sparse TF-IDF matrix of word 1–2-grams and char 2–5-grams."""
    words = WordNgramTfidf(ngram_range=word_ngram_range, min_df=2, sublinear_tf=True,
                           max_features=max_word_features)
    chars = CharNgramTfidf(ngram_range=char_ngram_range, min_df=2, sublinear_tf=True,
                           max_features=max_char_features)
    return Pipeline([
        ("normalize", TextNormalizer()),
        ("tfidf", FeatureUnion([("words", words), ("chars", chars)])),
    ])


def make_head(*, C: float = 0.5, seed: int = 0) -> CalibratedClassifierCV:
    """A linear SVM with sigmoid-calibrated probabilities.

    ``ensemble=False`` keeps one SVM fitted on all the data (calibrated on
    cross-validated scores), so the model is as small and as fast as a
    plain SVM.  Balanced class weights keep rare labels (an entity with 60
    posts) from being swallowed by common ones.
    """
    svm = LinearSVC(C=C, class_weight="balanced", random_state=seed)
    return CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False)


def compact(classifier: CalibratedClassifierCV) -> CalibratedClassifierCV:
    """Store a fitted head's SVM weights as float32.

    Halves the model on disk (every committed version stays in git) and
    changes no prediction that matters: the features are float32 already.
    """
    for calibrated in classifier.calibrated_classifiers_:
        svm = calibrated.estimator
        svm.coef_ = svm.coef_.astype(np.float32)
        svm.intercept_ = svm.intercept_.astype(np.float32)
    return classifier


class LinearHead:
    """A fitted calibrated linear head reduced to its arrays.

    ``CalibratedClassifierCV.predict_proba`` spends milliseconds per call
    validating its input; a single post's whole triage should take less.
    This computes the same probabilities (one-vs-rest SVM scores, each
    through its fitted sigmoid, normalized over classes) in a few array
    operations.
    """

    def __init__(self, *, classes, coef, intercept, slopes, offsets, positions):
        self.classes_ = classes
        self.coef = coef
        self.intercept = intercept
        self.slopes = slopes
        self.offsets = offsets
        self.positions = positions

    @classmethod
    def from_calibrated(cls, classifier: CalibratedClassifierCV) -> LinearHead:
        if classifier.method != "sigmoid" or len(classifier.calibrated_classifiers_) != 1:
            raise ValueError("needs one sigmoid-calibrated linear model (ensemble=False)")
        (calibrated,) = classifier.calibrated_classifiers_
        svm = calibrated.estimator
        return cls(classes=classifier.classes_, coef=svm.coef_.T, intercept=svm.intercept_,
                   slopes=np.array([c.a_ for c in calibrated.calibrators]),
                   offsets=np.array([c.b_ for c in calibrated.calibrators]),
                   positions=np.searchsorted(classifier.classes_, svm.classes_))

    def predict_proba(self, matrix) -> np.ndarray:
        return self.proba_from_scores(np.asarray(matrix @ self.coef))

    def proba_from_scores(self, scores: np.ndarray) -> np.ndarray:
        """Probabilities from the raw products ``matrix @ coef`` (several heads can share one)."""
        scores = scores + self.intercept
        calibrated = expit(-(self.slopes * scores + self.offsets))
        n_classes = len(self.classes_)
        proba = np.zeros((scores.shape[0], n_classes))
        if n_classes == 2:
            proba[:, 1] = calibrated[:, 0]
            proba[:, 0] = 1.0 - proba[:, 1]
        else:
            proba[:, self.positions] = calibrated
            total = proba.sum(axis=1, keepdims=True)
            proba = np.divide(proba, total, out=np.full_like(proba, 1 / n_classes), where=total != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba


def make_text_classifier(*, C: float = 0.5, seed: int = 0) -> Pipeline:
    """An unfitted classifier from raw texts to labels with calibrated probabilities.

    Steps: ``normalize`` (Arabic normalization), ``tfidf`` (word and char
    n-grams), ``classifier`` (calibrated linear SVM).
    """
    features = make_features()
    return Pipeline([*features.steps, ("classifier", make_head(C=C, seed=seed))])
