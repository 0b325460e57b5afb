"""Agents' final decisions, stored durably and exported as training rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.tables import Feedback


@dataclass(frozen=True, slots=True)
class FinalDecision:
    post_id: str
    text: str
    intent: str
    owner: str
    department: str | None
    requires_inspection: bool
    urgent: bool
    agent_id: str
    model_version: str | None = None
    platform: str | None = None
    dialect: str | None = None
    suggested: dict | None = None


def record_feedback(session: Session, decision: FinalDecision) -> int:
    row = Feedback(**{field: getattr(decision, field) for field in decision.__slots__})
    session.add(row)
    session.flush()
    return row.id


def export_rows(session: Session) -> Iterator[dict]:
    """Feedback as rows of the training-data format, latest decision per post, oldest first.

    Dialect and platform are what the agent or the client gave; a row that
    lacks them is marked ``unknown``, which the corpus loader accepts.
    """
    latest: dict[str, Feedback] = {}
    for row in session.scalars(select(Feedback).order_by(Feedback.id)):
        latest[row.post_id] = row
    for row in sorted(latest.values(), key=lambda r: r.id):
        yield {
            "id": f"fb-{row.post_id}", "text": row.text, "intent": row.intent, "owner": row.owner,
            "department": row.department, "requires_inspection": row.requires_inspection,
            "urgent": row.urgent, "dialect": row.dialect or "unknown",
            "platform": row.platform or "unknown",
        }
