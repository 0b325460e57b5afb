"""Saving and loading trained models with their cards.

A model lives in ``models/<version>/`` as ``model.joblib`` beside a card,
``model.json``, that says what it was trained on, with which libraries,
how it scored and the artifact's sha256.  A joblib file is a pickle:
loading one runs code, so Rasd loads only files whose hash matches their
card, and only with the scikit-learn release they were made with.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib.metadata import version as package_version
from pathlib import Path

import joblib

from nlp.errors import ModelLoadError
from nlp.triage_model import TriageModel

CARD_FILE = "model.json"
ARTIFACT_FILE = "model.joblib"
ACTIVE_FILE = "ACTIVE"
# 2: owner and department come from one placement head (1 had a head for each).
CARD_FORMAT = 2
# Releases whose pickles must match the running ones, at major.minor.
PINNED_LIBRARIES = ("scikit-learn", "numpy", "scipy")
RECORDED_LIBRARIES = (*PINNED_LIBRARIES, "joblib", "camel-tools")


def library_versions() -> dict[str, str]:
    versions = {name: package_version(name) for name in RECORDED_LIBRARIES}
    versions["python"] = platform.python_version()
    return versions


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(model: TriageModel, directory: str | Path, card: dict) -> dict:
    """Write the artifact and its card; return the card as written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    artifact = directory / ARTIFACT_FILE
    joblib.dump(model, artifact, compress=("zlib", 6))
    card = {
        "format": CARD_FORMAT,
        **card,
        "labels": model.labels,
        "libraries": library_versions(),
        "artifact": {"file": ARTIFACT_FILE, "sha256": sha256_of(artifact),
                     "bytes": artifact.stat().st_size},
    }
    write_card(directory, card)
    return card


def write_card(directory: Path, card: dict) -> None:
    (directory / CARD_FILE).write_text(
        json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_card(directory: str | Path) -> dict:
    directory = Path(directory)
    path = directory / CARD_FILE
    if not path.is_file():
        raise ModelLoadError(f"{directory}: no {CARD_FILE} here; train a model with `rasd train` "
                             "or choose another version")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelLoadError(f"{path}: the card is not valid JSON ({error}); restore it from git "
                             "or retrain") from error
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT:
        raise ModelLoadError(f"{path}: card format {card.get('format') if isinstance(card, dict) else '?'}"
                             f" is not one this Rasd reads ({CARD_FORMAT}); retrain the model")
    return card


def load_model(directory: str | Path) -> tuple[TriageModel, dict]:
    """Load a model after checking it against its card; ModelLoadError says what to do."""
    directory = Path(directory)
    card = read_card(directory)
    artifact = directory / card.get("artifact", {}).get("file", ARTIFACT_FILE)
    if not artifact.is_file():
        raise ModelLoadError(f"{artifact}: missing; restore it from git or retrain")
    expected = card["artifact"]
    if artifact.stat().st_size != expected.get("bytes") or sha256_of(artifact) != expected.get("sha256"):
        raise ModelLoadError(f"{artifact}: the file does not match its card (changed or truncated); "
                             "restore it from git or retrain with `rasd train`")
    running = library_versions()
    for name in PINNED_LIBRARIES:
        trained = card.get("libraries", {}).get(name, "?")
        if _major_minor(trained) != _major_minor(running[name]):
            raise ModelLoadError(f"{directory}: trained with {name} {trained} but {running[name]} is "
                                 f"installed; run `uv sync` to get the locked versions or retrain")
    try:
        model = joblib.load(artifact)
    except Exception as error:  # a pickle can fail in any way; none of them is usable
        raise ModelLoadError(f"{artifact}: cannot be read ({type(error).__name__}: {error}); "
                             "restore it from git or retrain") from error
    if not isinstance(model, TriageModel):
        raise ModelLoadError(f"{artifact}: holds a {type(model).__name__}, not a Rasd triage model")
    return model, card


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def list_versions(models_dir: str | Path) -> list[str]:
    """Versions with a card, oldest name first."""
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        return []
    return sorted(p.name for p in models_dir.iterdir() if (p / CARD_FILE).is_file())


def active_version(models_dir: str | Path) -> str | None:
    path = Path(models_dir) / ACTIVE_FILE
    return path.read_text(encoding="utf-8").strip() or None if path.is_file() else None


def set_active_version(models_dir: str | Path, version: str) -> None:
    """Point ``models/ACTIVE`` at a version; written to a temp file then renamed, so it is atomic."""
    models_dir = Path(models_dir)
    if version not in list_versions(models_dir):
        raise ModelLoadError(f"{models_dir}: no model version {version!r}")
    temporary = models_dir / f".{ACTIVE_FILE}.tmp"
    temporary.write_text(version + "\n", encoding="utf-8")
    temporary.replace(models_dir / ACTIVE_FILE)
