"""Train, evaluate and load models: what the CLI (and later the API) call.

This is where the corpus, the model, the profile and the router meet; each
of them stays ignorant of the others.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.artifacts import active_version, load_model, save_model
from nlp.corpus import LabelledPost, file_sha256, load_posts
from nlp.errors import ModelLoadError, RasdError
from nlp.evaluation import Outcome, all_right, evaluate
from nlp.labels import MINISTRY
from nlp.triage_model import Prediction, TriageModel
from router.calendar import WorkingCalendar
from router.decide import Decision, IncomingPost, decide
from router.profile import Profile
from router.triage import Triager

TRAIN_FILE = "train.jsonl"
TEST_FILE = "test.jsonl"


def load_split(corpus_dir: Path, profile: Profile) -> tuple[list[LabelledPost], list[LabelledPost]]:
    space = profile.label_space
    return (load_posts(corpus_dir / TRAIN_FILE, space), load_posts(corpus_dir / TEST_FILE, space))


def outcome_of(decision: Decision) -> Outcome:
    department = decision.department
    return Outcome(
        intent=decision.intent.label,
        owner=MINISTRY if decision.owner == MINISTRY else decision.entity,
        department=department.label if department else None,
        department_top3=tuple(d.label for d in ((department,) if department else ())
                              + decision.department_alternatives),
        requires_inspection=decision.requires_inspection.value,
        urgent=decision.urgent.value,
        needs_review=decision.needs_review,
    )


def evaluate_triager(triager: Triager, posts: Sequence[LabelledPost]) -> dict:
    decisions = triager.triage([IncomingPost(id=p.id, text=p.text) for p in posts])
    space = triager.profile.label_space
    return evaluate(posts, [outcome_of(d) for d in decisions],
                    owners=space.owners, departments=space.departments)


def code_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True, cwd=Path(__file__).parent).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def train_model(*, corpus_dir: Path, profile: Profile, models_dir: Path, version: str,
                seed: int = 0, now: dt.datetime) -> dict:
    """Fit every head on the training split, score the test split, save both with the card."""
    train, test = load_split(corpus_dir, profile)
    model = TriageModel.train(train, seed=seed)
    report = evaluate_triager(Triager.create(model, profile, version), test)
    card = {
        "version": version,
        "created_at": now.isoformat(),
        "seed": seed,
        "code_commit": code_commit(),
        "profile": profile.id,
        "training_data": {
            "train": {"file": TRAIN_FILE, "posts": len(train),
                      "sha256": file_sha256(corpus_dir / TRAIN_FILE)},
            "test": {"file": TEST_FILE, "posts": len(test),
                     "sha256": file_sha256(corpus_dir / TEST_FILE)},
        },
        "evaluation": {"split": "test", **headline(report)},
    }
    directory = models_dir / version
    card = save_model(model, directory, card)
    (directory / "evaluation.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return card


def headline(report: dict) -> dict:
    """The figures a model card shows at a glance; the full report sits beside it."""
    return {
        "posts": report["posts"],
        "intent_macro_f1": report["intent"]["macro_f1"],
        "intent_per_class": report["intent"]["per_class"],
        "intent_confusion": {"labels": report["intent"]["labels"],
                             "matrix": report["intent"]["confusion_matrix"]},
        "owner_accuracy": report["owner"]["accuracy"],
        "owner_macro_f1": report["owner"]["macro_f1"],
        "owner_ministry_vs_external_accuracy": report["owner_ministry_vs_external_accuracy"],
        "department_top1_accuracy": report["department"]["accuracy"],
        "department_top3_accuracy": report["department_top3_accuracy"],
        "department_macro_f1": report["department"]["macro_f1"],
        "requires_inspection_f1": report["requires_inspection"]["f1"],
        "urgent_recall": report["urgent"]["recall"],
        "urgent_precision": report["urgent"]["precision"],
        "needs_review_share": report["needs_review_share"],
        "all_right_when_not_reviewed": report["all_right_when_not_reviewed"],
    }


def load_triager(*, models_dir: Path, profile: Profile, version: str | None = None) -> Triager:
    version = version or active_version(models_dir)
    if version is None:
        raise ModelLoadError(f"{models_dir}: no active model (models/ACTIVE); train one with "
                             "`rasd train` or set RASD_MODEL_VERSION")
    model, card = load_model(models_dir / version)
    triager = Triager.create(model, profile, version)  # the folder name is the version
    # The model, the profile and the libraries live as long as the process.  Moving
    # them out of the garbage collector's sight keeps every later collection small:
    # without it, collections cost about a fifth of bulk scoring time.
    gc.freeze()
    return triager



def out_of_fold_predictions(posts: Sequence[LabelledPost], *, folds: int = 3,
                            seed: int = 0) -> list[Prediction]:
    """Each post predicted by a model that did not train on it."""
    from sklearn.model_selection import StratifiedKFold

    predictions: list[Prediction | None] = [None] * len(posts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_index, held_index in splitter.split(posts, [p.intent for p in posts]):
        model = TriageModel.train([posts[i] for i in train_index], seed=seed)
        held = model.predict([posts[i].text for i in held_index])
        for i, prediction in zip(held_index, held):
            predictions[i] = prediction
    return predictions  # type: ignore[return-value]


def suggest_thresholds(posts: Sequence[LabelledPost], predictions: Sequence[Prediction],
                       profile: Profile, *, target: float, urgent_recall: float) -> dict:
    """Review thresholds that keep unreviewed suggestions right at ``target`` or better.

    Searches intent, owner and department thresholds for the smallest share
    of posts sent to review such that, among the rest, intent, owner and
    department are all right in at least ``target`` of posts; and the
    urgent cut-off as the highest that still flags ``urgent_recall`` of the
    urgent posts.  Figures are on out-of-fold predictions, never on posts a
    model trained on.
    """
    gold_urgent = np.array([p.urgent for p in posts])
    urgent_p = np.array([pr.urgent_probability for pr in predictions])
    cutoffs = np.round(np.arange(0.05, 0.96, 0.01), 2)
    recalls = [(urgent_p[gold_urgent] >= c).mean() for c in cutoffs]
    urgent_cutoff = float(max(c for c, r in zip(cutoffs, recalls) if r >= urgent_recall))
    current = profile.thresholds
    probe = profile.model_copy(update={"thresholds": current.model_copy(update={
        "intent": 0.0, "owner": 0.0, "department": 0.0, "urgent_flag": urgent_cutoff})})
    calendar = WorkingCalendar(profile.calendar)
    decisions = [decide(IncomingPost(id=p.id, text=p.text), pr, profile=probe, calendar=calendar,
                        model_version="tuning") for p, pr in zip(posts, predictions)]
    outcomes = [outcome_of(d) for d in decisions]
    right = np.array([all_right(p, o) for p, o in zip(posts, outcomes)])
    intent_c = np.array([d.intent.confidence for d in decisions])
    owner_c = np.array([d.owner_confidence for d in decisions])
    routed = np.array([d.owner == MINISTRY and d.intent.label != "other" for d in decisions])
    department_c = np.array([d.department.confidence if d.department else 0.0 for d in decisions])
    always = np.array([bool(set(d.review_reasons) - {"intent", "owner", "department"})
                       for d in decisions])
    best = None
    grid = np.round(np.arange(0.30, 0.96, 0.05), 2)
    for ti in grid:
        for to in grid:
            for td in grid:
                reviewed = always | (intent_c < ti) | (owner_c < to) | (routed & (department_c < td))
                kept = ~reviewed
                if not kept.any():
                    continue
                precision = right[kept].mean()
                if precision >= target and (best is None or reviewed.mean() < best[0]):
                    best = (reviewed.mean(), precision, ti, to, td)
    if best is None:
        raise RasdError(f"no thresholds reach {target:.0%} on these posts; lower --target")
    share, precision, ti, to, td = best
    return {
        "thresholds": {"intent": float(ti), "owner": float(to), "department": float(td),
                       "urgent_flag": urgent_cutoff},
        "out_of_fold": {"posts": len(posts), "needs_review_share": round(float(share), 4),
                        "all_right_when_not_reviewed": round(float(precision), 4),
                        "urgent_recall": round(float(recalls[list(cutoffs).index(urgent_cutoff)]), 4)},
    }
