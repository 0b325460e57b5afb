"""Four heads over one set of features: the model behind every triage.

Each head is the classifier step of ``make_text_classifier()``; the
normalization and TF-IDF steps are shared, fitted once on all training
texts.  Normalizing and featurizing a post is most of the cost of scoring
it, so sharing those steps makes the heads cost about what one does.

Owner and department come from one head, ``placement``, whose classes are
``ministry/<department>``, ``ministry/`` (ministry posts with no department:
spam, chatter) and each external entity.  "The ministry" is a mix of very
different topics; one linear boundary around all of it confuses ministry
posts with the entities nearest each topic (a hospital's security guard
with the police, staff salaries with labour disputes).  Fine-grained
classes give each topic its own boundary; the ministry's probability is
the sum of its classes'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV

from nlp.classifier import LinearHead, compact, make_text_classifier
from nlp.corpus import LabelledPost
from nlp.errors import CorpusError
from nlp.labels import FLAG_HEADS, MINISTRY

TOP_K = 3
HEAD_NAMES = ("intent", "placement", "requires_inspection", "urgent")
# Weight of the ministry's summed probability against each entity's.  A ministry
# post sent away is redirected and never handled; an entity's post kept is only
# routed once more by an agent.  Chosen on out-of-fold predictions of the
# training split: the smallest weight with department top-3 at 0.97, where owner
# accuracy is still that of the old separate owner head (figures in models/README.md).
MINISTRY_WEIGHT = 1.2


@dataclass(frozen=True, slots=True)
class Ranked:
    """A head's best labels, most probable first."""

    labels: tuple[str, ...]
    confidences: tuple[float, ...]

    @property
    def label(self) -> str:
        return self.labels[0]

    @property
    def confidence(self) -> float:
        return self.confidences[0]


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the model says of one post; deciding what to do with it is the router's job."""

    intent: Ranked
    owner: Ranked
    department: Ranked
    inspection_probability: float
    urgent_probability: float


def training_rows(head: str, posts: Sequence[LabelledPost]) -> list[LabelledPost]:
    """The posts a head learns from.

    Inspection is a ministry matter (always false for external owners), so
    that head learns from ministry posts only.
    """
    if head == "requires_inspection":
        return [p for p in posts if p.owner == MINISTRY]
    return list(posts)


MINISTRY_PREFIX = f"{MINISTRY}/"  # ids never hold a "/"


def placement(post: LabelledPost) -> str:
    """The placement class: ``ministry/<department>``, ``ministry/`` or the entity id."""
    return MINISTRY_PREFIX + (post.department or "") if post.owner == MINISTRY else post.owner


def _is_ministry(placement_class: str) -> bool:
    return placement_class.startswith(MINISTRY_PREFIX)


def _department(placement_class: str) -> str:
    """The department a placement class names, or "" (an entity, or a ministry post without one)."""
    return placement_class.removeprefix(MINISTRY_PREFIX) if _is_ministry(placement_class) else ""


def _label(head: str, post: LabelledPost) -> str | bool:
    return placement(post) if head == "placement" else getattr(post, head)


class TriageModel:
    """Shared features plus one fitted classifier per head."""

    def __init__(self, *, features, heads: dict, ministry_weight: float = MINISTRY_WEIGHT):
        self.features = features
        self.heads = heads
        self.ministry_weight = ministry_weight

    @classmethod
    def train(cls, posts: Sequence[LabelledPost], *, seed: int = 0, C: float = 0.5,
              ministry_weight: float = MINISTRY_WEIGHT) -> TriageModel:
        template = make_text_classifier(C=C, seed=seed)
        features = clone(template[:-1]).fit([p.text for p in posts])
        heads = {}
        for head in HEAD_NAMES:
            rows = training_rows(head, posts)
            matrix = features.transform([p.text for p in rows])
            labels = [_label(head, p) for p in rows]
            _check_enough_examples(head, labels)
            if head == "placement" and not any(map(_department, labels)):
                raise CorpusError("placement: no ministry post has a department; the router "
                                  "needs at least one department to learn")
            heads[head] = (compact(clone(template[-1]).fit(matrix, labels))
                           if len(set(labels)) > 1 else SingleLabel(labels[0]))
        return cls(features=features, heads=heads, ministry_weight=ministry_weight)

    @property
    def labels(self) -> dict[str, list]:
        """Each of the five labels' values, as the profile and the card name them."""
        labels = {head: [_plain(c) for c in clf.classes_] for head, clf in self.heads.items()}
        classes = labels.pop("placement")
        labels["owner"] = [MINISTRY, *(c for c in classes if not _is_ministry(c))]
        labels["department"] = [d for d in map(_department, classes) if d]
        return labels

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        probabilities = self._probabilities(self._featurize(texts))
        intent = self._ranked(probabilities["intent"], self._classes("intent"))
        owner, department = self._placement(probabilities["placement"])
        flags = {head: self._true_probability(head, probabilities[head]) for head in FLAG_HEADS}
        return [
            Prediction(
                intent=intent[i],
                owner=owner[i],
                department=department[i],
                inspection_probability=float(flags["requires_inspection"][i]),
                urgent_probability=float(flags["urgent"][i]),
            )
            for i in range(len(texts))
        ]

    def _featurize(self, texts: Sequence[str]):
        """The features pipeline's output, without scikit-learn's per-call checks.

        Same steps as ``self.features.transform``: normalize, then each
        vectorizer of the union, side by side.
        """
        normalizer, union = self.features.named_steps["normalize"], self.features.named_steps["tfidf"]
        normalized = normalizer.transform(texts)
        return sp.hstack([vectorizer.transform(normalized)
                          for _, vectorizer in union.transformer_list], format="csr")

    def _fast_head(self, head: str):
        """Each fitted head as a LinearHead, built on first use and never pickled."""
        cache = self.__dict__.setdefault("_fast_heads", {})
        if head not in cache:
            classifier = self.heads[head]
            cache[head] = (LinearHead.from_calibrated(classifier)
                           if isinstance(classifier, CalibratedClassifierCV) else classifier)
        return cache[head]

    def _stacked_weights(self) -> tuple[np.ndarray, dict[str, slice]]:
        """The linear heads' weights side by side, and each head's columns.

        One product of the feature matrix with all heads' weights costs
        little more than one head's; the array is row-major, the layout the
        sparse product reads.  Built on first use and never pickled.
        """
        stacked = self.__dict__.get("_stacked")
        if stacked is None:
            linear = {head: self._fast_head(head) for head in self.heads
                      if isinstance(self._fast_head(head), LinearHead)}
            columns, start = {}, 0
            for head, classifier in linear.items():
                columns[head] = slice(start, start + classifier.coef.shape[1])
                start = columns[head].stop
            weights = (np.ascontiguousarray(np.hstack([c.coef for c in linear.values()]))
                       if linear else None)
            stacked = self._stacked = (weights, columns)
        return stacked

    def _probabilities(self, matrix) -> dict[str, np.ndarray]:
        """Every head's class probabilities for the feature rows."""
        weights, columns = self._stacked_weights()
        scores = np.asarray(matrix @ weights) if weights is not None else None
        return {head: (self._fast_head(head).proba_from_scores(scores[:, columns[head]])
                       if head in columns else self._fast_head(head).predict_proba(matrix))
                for head in self.heads}

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_fast_heads", None)
        state.pop("_stacked", None)
        return state

    def _classes(self, head: str) -> list:
        return [_plain(c) for c in self._fast_head(head).classes_]

    def _placement(self, probabilities: np.ndarray) -> tuple[list[Ranked], list[Ranked]]:
        """Owner and department rankings from the placement head's probabilities.

        The ministry's probability is the sum of its classes' (weighted by
        ``ministry_weight`` against the entities, then renormalized); the
        department ranking is the ministry's department classes, renormalized.
        """
        labels = self.labels
        classes = self._classes("placement")
        ministry = np.array([_is_ministry(c) for c in classes])
        departments = np.array([bool(_department(c)) for c in classes])
        owner = np.column_stack([self.ministry_weight * probabilities[:, ministry].sum(axis=1),
                                 probabilities[:, ~ministry]])
        return (self._ranked(_normalized(owner), labels["owner"]),
                self._ranked(_normalized(probabilities[:, departments]), labels["department"]))

    @staticmethod
    def _ranked(probabilities: np.ndarray, classes: list) -> list[Ranked]:
        k = min(TOP_K, probabilities.shape[1])
        order = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
        top = np.take_along_axis(probabilities, order, axis=1)
        classes = np.asarray(classes, dtype=object)
        return [Ranked(labels=tuple(labels), confidences=tuple(confidences))
                for labels, confidences in zip(classes[order].tolist(), top.tolist())]

    def _true_probability(self, head: str, probabilities: np.ndarray) -> np.ndarray:
        classes = list(self._fast_head(head).classes_)
        if True not in classes:  # trained on data where the flag never occurs
            return np.zeros(probabilities.shape[0])
        return probabilities[:, classes.index(True)]


MIN_EXAMPLES = 3  # probabilities are calibrated on 3 folds: each label needs a post in each


def _check_enough_examples(head: str, labels: list) -> None:
    counts = Counter(labels)
    rare = {label: n for label, n in counts.items() if n < MIN_EXAMPLES}
    if rare and len(counts) > 1:
        raise CorpusError(f"{head}: too few training posts for {rare}; each label needs at "
                          f"least {MIN_EXAMPLES} (add posts or merge the label)")


class SingleLabel:
    """The head for a label that never varies in the training data (a flag never set).

    A classifier cannot be fitted on one class; this one answers that label
    with certainty, so a ministry with no urgent examples yet can still train.
    """

    def __init__(self, label):
        self.classes_ = np.asarray([label])

    def predict_proba(self, matrix) -> np.ndarray:
        return np.ones((matrix.shape[0], 1))


def _normalized(rows: np.ndarray) -> np.ndarray:
    total = rows.sum(axis=1, keepdims=True)
    return np.divide(rows, total, out=np.full_like(rows, 1 / rows.shape[1]), where=total > 0)


def _plain(value):
    """numpy scalars to Python ones, so labels serialize to JSON as themselves."""
    return value.item() if hasattr(value, "item") else value
