"""Cases in the store: opening, stepping with a version check, reading, listing.

Every step and its audit line are written in one transaction, so a crash
between them cannot leave one without the other; the version check makes
the second of two people acting on the same case get a conflict instead of
silently overwriting the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from router.cases import FINAL_STATES, check_step
from storage.tables import Case, CaseEvent


def utc(moment: dt.datetime) -> dt.datetime:
    """Times go into the store in UTC; SQLite gives them back without a zone, so one is put back."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class CaseNotFound(LookupError):
    pass


class StaleCase(RuntimeError):
    """The case changed since the version the caller read."""


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    role: str


def open_case(session: Session, *, prefix: str, post_id: str, text: str, platform: str | None,
              labels: dict, created_at: dt.datetime, due_at: dt.datetime, working_days: int,
              actor: Actor) -> Case:
    created_at, due_at = utc(created_at), utc(due_at)
    case = Case(reference=f"pending-{post_id}-{created_at.timestamp()}", post_id=post_id, text=text,
                platform=platform, intent=labels["intent"], owner=labels["owner"],
                department=None, requires_inspection=labels["requires_inspection"],
                urgent=labels["urgent"], state="new", version=1, working_days=working_days,
                created_at=created_at, due_at=due_at)
    session.add(case)
    session.flush()
    case.reference = f"{prefix}-{created_at.year}-{case.id:06d}"
    session.add(CaseEvent(case_id=case.id, at=created_at, actor=actor.name, role=actor.role,
                          action="open", from_state=None, to_state="new", note=None))
    session.flush()
    return case


def get_case(session: Session, reference: str) -> Case:
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        raise CaseNotFound(f"no case {reference!r}")
    return case


def history(session: Session, case: Case) -> list[CaseEvent]:
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                .order_by(CaseEvent.id)))


def take_step(session: Session, reference: str, *, action: str, version: int, actor: Actor,
              now: dt.datetime, note: str | None = None, department: str | None = None,
              section: str | None = None, entity: str | None = None,
              reply: str | None = None) -> Case:
    """Apply one step to a case read at ``version``; StaleCase when someone was faster."""
    now = utc(now)
    case = get_case(session, reference)
    if case.version != version:  # decided on an old reading: say so before judging the step
        raise StaleCase(f"case {reference} is at version {case.version}, not {version}; read it again")
    given = {"note": note, "department": department, "section": section, "entity": entity,
             "reply": reply}
    step = check_step(action, state=case.state, role=actor.role, given=given)
    changes: dict = {"state": step.target, "version": Case.version + 1}
    if action == "route":
        changes["department"] = department
    elif action == "redirect":
        changes.update(owner=entity, reply_text=reply, answered_at=now)
    elif action == "assign":
        changes["section"] = section
    elif action == "resolve":
        changes.update(action_taken=note, resolved_at=now)
    elif action == "draft_reply":
        changes["reply_text"] = reply
    elif action == "publish":
        changes["answered_at"] = now
    # The WHERE on version is the lock: only one of two racing writers matches it.
    result = session.execute(update(Case).where(Case.id == case.id, Case.version == version)
                             .values(**changes).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise StaleCase(f"case {reference} changed since version {version}; read it again")
    session.add(CaseEvent(case_id=case.id, at=now, actor=actor.name, role=actor.role,
                          action=action, from_state=case.state, to_state=step.target, note=note))
    session.flush()
    session.refresh(case)
    return case


def list_cases(session: Session, *, state: str | None = None, department: str | None = None,
               overdue_at: dt.datetime | None = None, due_before: dt.datetime | None = None,
               limit: int = 100, offset: int = 0) -> list[Case]:
    """Cases matching the filters, the most pressing due time first.

    ``overdue_at`` keeps open cases already past due at that moment;
    ``due_before`` keeps open cases due before that moment.
    """
    overdue_at = utc(overdue_at) if overdue_at else None
    due_before = utc(due_before) if due_before else None
    query = select(Case)
    if state:
        query = query.where(Case.state == state)
    if department:
        query = query.where(Case.department == department)
    if overdue_at is not None or due_before is not None:
        query = query.where(Case.state.not_in(FINAL_STATES))
        query = query.where(Case.due_at < (overdue_at or due_before))
    return list(session.scalars(query.order_by(Case.due_at, Case.id).limit(limit).offset(offset)))


def all_cases(session: Session) -> list[Case]:
    return list(session.scalars(select(Case).order_by(Case.id)))


def case_report(cases: list[Case]) -> dict:
    """Cases per department, intent and state; share answered on time; median resolution time."""
    from collections import Counter
    from statistics import median

    answered = [c for c in cases if c.answered_at is not None]
    resolved_hours = [(utc(c.resolved_at) - utc(c.created_at)).total_seconds() / 3600
                      for c in cases if c.resolved_at is not None]
    return {
        "cases": len(cases),
        "by_department": dict(Counter(c.department or "(none)" for c in cases).most_common()),
        "by_intent": dict(Counter(c.intent for c in cases).most_common()),
        "by_state": dict(Counter(c.state for c in cases).most_common()),
        "answered": len(answered),
        "answered_within_service_level": round(
            sum(utc(c.answered_at) <= utc(c.due_at) for c in answered) / len(answered), 4)
        if answered else None,
        "median_hours_to_resolution": round(median(resolved_hours), 2) if resolved_hours else None,
    }


def escalate_overdue(session: Session, now: dt.datetime) -> int:
    """Queue one escalation event per breach: per case and due time, never twice."""
    from storage.outbox import enqueue

    queued = 0
    for case in list_cases(session, overdue_at=now, limit=100_000):
        due_at = utc(case.due_at)
        queued += enqueue(session, key=f"escalation:{case.reference}:{due_at.isoformat()}",
                          kind="escalation", case_id=case.id, now=now, payload={
                              "event": "case.overdue", "reference": case.reference,
                              "department": case.department, "state": case.state,
                              "due_at": due_at.isoformat(), "urgent": case.urgent,
                              "hours_overdue": round((utc(now) - due_at).total_seconds() / 3600, 1)})
    return queued
