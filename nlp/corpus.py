"""The labelled-post schema and the one loader every tool uses.

A bad row stops loading with its file, line and reason: a corpus that
silently loses rows trains a model nobody can explain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from nlp.errors import CorpusError
from nlp.labels import DIALECTS, INTENTS, MINISTRY, PLATFORMS, LabelSpace

MAX_TEXT_CHARS = 5000
FIELDS = ("id", "text", "intent", "owner", "department", "requires_inspection", "urgent",
          "dialect", "platform")


@dataclass(frozen=True, slots=True)
class LabelledPost:
    id: str
    text: str
    intent: str
    owner: str
    department: str | None
    requires_inspection: bool
    urgent: bool
    dialect: str
    platform: str

    @property
    def is_actionable(self) -> bool:
        """Ownership and department are scored on every intent but ``other``."""
        return self.intent != "other"


def parse_post(record: object, labels: LabelSpace) -> LabelledPost:
    """Check one decoded row against the schema and the taxonomy.

    Raises ValueError with the reason; the loader adds file and line.
    """
    if not isinstance(record, dict):
        raise ValueError("a row must be a JSON object")
    missing = [f for f in FIELDS if f not in record]
    unknown = sorted(set(record) - set(FIELDS))
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(unknown)}")
    for field in ("id", "text", "intent", "owner", "dialect", "platform"):
        if not isinstance(record[field], str) or not record[field].strip():
            raise ValueError(f"{field} must be a non-empty string")
    for field in ("requires_inspection", "urgent"):
        if not isinstance(record[field], bool):
            raise ValueError(f"{field} must be true or false")
    if len(record["text"]) > MAX_TEXT_CHARS:
        raise ValueError(f"text is longer than {MAX_TEXT_CHARS} characters")
    _check_choice("intent", record["intent"], INTENTS)
    _check_choice("owner", record["owner"], labels.owners)
    _check_choice("dialect", record["dialect"], DIALECTS)
    _check_choice("platform", record["platform"], PLATFORMS)
    department = record["department"]
    if record["owner"] == MINISTRY:
        if department is None:
            if record["intent"] != "other":
                raise ValueError("a ministry post that asks for action needs a department")
        else:
            _check_choice("department", department, labels.departments)
    else:
        if department is not None:
            raise ValueError("department must be null when the owner is an external entity")
        if record["requires_inspection"]:
            raise ValueError("requires_inspection must be false when the owner is external")
    return LabelledPost(**{f: record[f] for f in FIELDS})


def _check_choice(field: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{field} {value!r} is not one of: {', '.join(allowed)}")


def load_posts(path: str | Path, labels: LabelSpace) -> list[LabelledPost]:
    """Read a JSON Lines corpus file, refusing it whole at the first bad row."""
    path = Path(path)
    posts: list[LabelledPost] = []
    seen: dict[str, int] = {}
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CorpusError(f"{path}: cannot read the file ({error.strerror})") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CorpusError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from error
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            post = parse_post(json.loads(line), labels)
        except json.JSONDecodeError as error:
            raise CorpusError(f"{path}:{number}: not valid JSON ({error.msg})") from error
        except ValueError as error:
            raise CorpusError(f"{path}:{number}: {error}") from error
        if post.id in seen:
            raise CorpusError(f"{path}:{number}: id {post.id!r} already used on line {seen[post.id]}")
        seen[post.id] = number
        posts.append(post)
    return posts


def write_posts(path: str | Path, posts: Iterable[LabelledPost]) -> None:
    with Path(path).open("w", encoding="utf-8") as out:
        for post in posts:
            out.write(json.dumps(asdict(post), ensure_ascii=False) + "\n")


def file_sha256(*paths: str | Path) -> str:
    """One hash over the given files' bytes, to pin what a model was trained on."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()
