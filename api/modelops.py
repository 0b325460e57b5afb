"""Train, evaluate and load models: what the CLI (and later the API) call.

This is where the corpus, the model, the profile and the router meet; each
of them stays ignorant of the others.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

from nlp.artifacts import active_version, load_model, save_model
from nlp.corpus import LabelledPost, file_sha256, load_posts
from nlp.errors import ModelLoadError
from nlp.evaluation import Outcome, evaluate
from nlp.labels import MINISTRY
from nlp.triage_model import TriageModel
from router.decide import Decision, IncomingPost
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
    return Triager.create(model, profile, card.get("version", version))

