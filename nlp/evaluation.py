"""Figures that say how well triage does on labelled posts it never saw.

Scored on decisions (what an agent is shown), not raw model output: flags
after their cut-offs, ownership as the router decided it.  Ownership and
department are scored on actionable posts only (every intent but
``other``), as the taxonomy says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from nlp.corpus import LabelledPost
from nlp.labels import DIALECT_FAMILY, INTENTS, MINISTRY


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the pipeline decided for one post, in the corpus's label terms."""

    intent: str
    owner: str  # "ministry" or the entity id
    department: str | None
    department_top3: tuple[str, ...]
    requires_inspection: bool
    urgent: bool
    needs_review: bool


def classification_report(gold: Sequence, predicted: Sequence, labels: Sequence) -> dict:
    labels = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0)
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4) if gold else None,
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro",
                                         zero_division=0)), 4) if gold else None,
        "per_class": {
            str(label): {"precision": round(float(p), 4), "recall": round(float(r), 4),
                         "f1": round(float(f), 4), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "labels": [str(label) for label in labels],
        "confusion_matrix": confusion_matrix(gold, predicted, labels=labels).tolist() if gold else [],
    }


def flag_report(gold: Sequence[bool], predicted: Sequence[bool]) -> dict:
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=[True], zero_division=0)
    return {"n": len(gold), "positives": int(support[0]), "precision": round(float(precision[0]), 4),
            "recall": round(float(recall[0]), 4), "f1": round(float(f1[0]), 4)}


def evaluate(posts: Sequence[LabelledPost], outcomes: Sequence[Outcome], *,
             owners: Sequence[str], departments: Sequence[str]) -> dict:
    """The whole report: overall figures, then the same by dialect family, platform and length."""
    report = _figures(posts, outcomes, owners=owners, departments=departments)
    report["slices"] = {
        name: {
            value: _summary(_figures(*_subset(posts, outcomes, key, value),
                                     owners=owners, departments=departments))
            for value in sorted({key(p) for p in posts})
        }
        for name, key in SLICES.items()
    }
    return report


def length_bucket(post: LabelledPost) -> str:
    words = len(post.text.split())
    return "short (<=6 words)" if words <= 6 else "long (>40 words)" if words > 40 else "medium"


SLICES: dict[str, Callable[[LabelledPost], str]] = {
    "dialect": lambda p: DIALECT_FAMILY[p.dialect],
    "platform": lambda p: p.platform,
    "length": length_bucket,
}


def _subset(posts, outcomes, key, value):
    pairs = [(p, o) for p, o in zip(posts, outcomes) if key(p) == value]
    return [p for p, _ in pairs], [o for _, o in pairs]


def _figures(posts, outcomes, *, owners, departments) -> dict:
    actionable = [(p, o) for p, o in zip(posts, outcomes) if p.is_actionable]
    ministry_actionable = [(p, o) for p, o in actionable if p.owner == MINISTRY]
    ministry = [(p, o) for p, o in zip(posts, outcomes) if p.owner == MINISTRY]
    confident = [(p, o) for p, o in zip(posts, outcomes) if not o.needs_review]
    return {
        "posts": len(posts),
        "intent": classification_report([p.intent for p in posts], [o.intent for o in outcomes],
                                         INTENTS),
        "owner": classification_report([p.owner for p, _ in actionable],
                                       [o.owner for _, o in actionable], owners),
        "owner_ministry_vs_external_accuracy": _share(
            actionable, lambda p, o: (p.owner == MINISTRY) == (o.owner == MINISTRY)),
        "department": classification_report(
            [p.department for p, _ in ministry_actionable],
            [o.department or "(none)" for _, o in ministry_actionable], departments),
        "department_top3_accuracy": _share(ministry_actionable,
                                           lambda p, o: p.department in o.department_top3),
        "requires_inspection": flag_report([p.requires_inspection for p, _ in ministry],
                                           [o.requires_inspection for _, o in ministry]),
        "urgent": flag_report([p.urgent for p in posts], [o.urgent for o in outcomes]),
        "needs_review_share": round(1 - len(confident) / len(posts), 4) if posts else None,
        "all_right_when_not_reviewed": _share(confident, all_right),
    }


def all_right(post: LabelledPost, outcome: Outcome) -> bool:
    """Intent, owner and (for actionable ministry posts) department all correct."""
    if post.intent != outcome.intent:
        return False
    if not post.is_actionable:
        return True
    if post.owner != outcome.owner:
        return False
    return post.owner != MINISTRY or post.department == outcome.department


def _share(pairs, right) -> float | None:
    return round(sum(1 for p, o in pairs if right(p, o)) / len(pairs), 4) if pairs else None


def _summary(figures: dict) -> dict:
    return {
        "posts": figures["posts"],
        "intent_macro_f1": figures["intent"]["macro_f1"],
        "owner_accuracy": figures["owner"]["accuracy"],
        "department_accuracy": figures["department"]["accuracy"],
        "needs_review_share": figures["needs_review_share"],
    }
