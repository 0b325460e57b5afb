"""Cases over HTTP: open one from a confirmed suggestion, list, read with history, step."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ClockDep, DatabaseDep, TriagerDep, require
from api.errors import ApiError
from api.routes.feedback import check_final_labels
from api.schemas import CaseIn, StepIn
from router.cases import STATES, TransitionRefused, allowed_actions
from router.decide import render_acknowledgement
from router.incoming import InvalidPost, parse_time
from storage.cases import (
    Actor,
    CaseNotFound,
    StaleCase,
    case_report,
    get_case,
    history,
    list_cases,
    open_case,
    take_step,
    utc,
)
from storage.feedback import FinalDecision, record_feedback
from storage.outbox import enqueue

router = APIRouter(prefix="/v1/cases", tags=["cases"])
READERS = ("agent", "liaison", "section", "pr", "analyst")


def case_out(case, *, events=None, role: str | None = None, acknowledgement: str | None = None) -> dict:
    body = {
        "reference": case.reference, "post_id": case.post_id, "text": case.text,
        "platform": case.platform, "intent": case.intent, "owner": case.owner,
        "department": case.department, "section": case.section,
        "requires_inspection": case.requires_inspection, "urgent": case.urgent,
        "state": case.state, "version": case.version, "working_days": case.working_days,
        "created_at": utc(case.created_at).isoformat(), "due_at": utc(case.due_at).isoformat(),
        "action_taken": case.action_taken, "reply": case.reply_text,
    }
    if acknowledgement is not None:
        body["acknowledgement"] = acknowledgement
    if role is not None:
        body["allowed_actions"] = allowed_actions(case.state, role)
    if events is not None:
        body["history"] = [{"at": utc(e.at).isoformat(), "actor": e.actor, "role": e.role,
                            "action": e.action, "from": e.from_state, "to": e.to_state,
                            "note": e.note} for e in events]
    return body


@router.post("", status_code=201, summary="Open a case from a confirmed or corrected suggestion")
def create_case(case_in: CaseIn, database: DatabaseDep, triager: TriagerDep, clock: ClockDep,
                actor: Annotated[Actor, require("agent")]) -> dict:
    profile = triager.profile
    final = case_in.final.model_dump()
    check_final_labels(case_in, profile.label_space)
    try:
        created_at = parse_time(case_in.created_at, profile.calendar.zone) or clock()
    except InvalidPost as error:
        raise ApiError(422, "invalid", str(error), error.field) from error
    days = (profile.service_level.inspection_working_days if final["requires_inspection"]
            else profile.service_level.working_days)
    due_at = triager.calendar.add_working_days(created_at, days)
    external = final["owner"] != "ministry"
    with database.session() as session:  # case, feedback and audit commit together
        case = open_case(session, prefix=profile.case_prefix, post_id=case_in.post_id,
                         text=case_in.text, platform=case_in.platform, labels=final,
                         created_at=created_at, due_at=due_at, working_days=days, actor=actor)
        record_feedback(session, FinalDecision(
            post_id=case_in.post_id, text=case_in.text, agent_id=actor.name,
            model_version=case_in.model_version, platform=case_in.platform,
            dialect=case_in.dialect, suggested=case_in.suggested, **final))
        reply = render_acknowledgement(
            profile, intent=final["intent"], entity=final["owner"] if external else None,
            working_days=days, reference=case.reference, lang="ar").text
        if external:  # not the ministry's: closed at once as redirected, the reply recorded
            case = take_step(session, case.reference, action="redirect", version=case.version,
                             actor=actor, now=created_at, entity=final["owner"], reply=reply,
                             note="redirected at intake")
        if not external and final["department"]:
            case = take_step(session, case.reference, action="route", version=case.version,
                             actor=actor, now=created_at, department=final["department"])
        return case_out(case, events=history(session, case), role=actor.role, acknowledgement=reply)


@router.get("", summary="Cases, filtered; the most pressing due time first")
def list_cases_route(
        database: DatabaseDep, clock: ClockDep, actor: Annotated[Actor, require(*READERS)],
        state: Annotated[str | None, Query(description="one case state")] = None,
        department: str | None = None,
        overdue: Annotated[bool, Query(description="only open cases past their due time")] = False,
        due_within_hours: Annotated[float | None, Query(ge=0, le=24 * 366, description="only open cases due "
                                                                          "within this many hours")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict:
    if state is not None and state not in STATES:
        raise ApiError(422, "invalid", f"state must be one of {', '.join(STATES)}", "state")
    now = clock()
    with database.session() as session:
        cases = list_cases(
            session, state=state, department=department, overdue_at=now if overdue else None,
            due_before=now + dt.timedelta(hours=due_within_hours) if due_within_hours is not None
            else None, limit=limit, offset=offset)
        data = [case_out(c) for c in cases]
    return {"data": data, "count": len(data)}


@router.get("/report", summary="Cases per department, intent and state; timeliness")
def get_case_report(database: DatabaseDep, actor: Annotated[Actor, require("analyst")]) -> dict:
    from storage.cases import all_cases

    with database.session() as session:
        return case_report(all_cases(session))


@router.get("/{reference}", summary="One case with its full history")
def get_case_route(reference: str, database: DatabaseDep,
                   actor: Annotated[Actor, require(*READERS)]) -> dict:
    with database.session() as session:
        try:
            case = get_case(session, reference)
        except CaseNotFound as error:
            raise ApiError(404, "not_found", str(error), "reference") from error
        return case_out(case, events=history(session, case), role=actor.role)


@router.post("/{reference}/transitions", summary="Move a case one step; 409 if it changed meanwhile")
def step_case(reference: str, step: StepIn, database: DatabaseDep, triager: TriagerDep,
              clock: ClockDep,
              actor: Annotated[Actor, require("agent", "liaison", "section", "pr")]) -> dict:
    profile = triager.profile
    if step.department and step.department not in profile.label_space.departments:
        raise ApiError(422, "invalid", f"unknown department {step.department!r}", "department")
    if step.entity and step.entity not in profile.label_space.entities:
        raise ApiError(422, "invalid", f"unknown entity {step.entity!r}", "entity")
    with database.session() as session:
        try:
            case = get_case(session, reference)
            if step.section is not None:
                sections = {s.id for s in profile.department(case.department).sections} \
                    if case.department else set()
                if step.section not in sections:
                    raise ApiError(422, "invalid", f"section {step.section!r} is not one of "
                                   f"{case.department}'s: {sorted(sections)}", "section")
            now = clock()
            case = take_step(session, reference, action=step.action, version=step.version,
                             actor=actor, now=now, note=step.note, department=step.department,
                             section=step.section, entity=step.entity, reply=step.reply)
            if case.state == "published":  # the reply leaves with the same commit, once
                enqueue(session, key=f"reply:{case.reference}", kind="reply", case_id=case.id,
                        now=now, payload={"reference": case.reference, "post_id": case.post_id,
                                          "platform": case.platform, "text": case.reply_text})
        except CaseNotFound as error:
            raise ApiError(404, "not_found", str(error), "reference") from error
        except StaleCase as error:
            raise ApiError(409, "conflict", str(error), "version") from error
        except TransitionRefused as error:
            raise ApiError(403 if error.forbidden else 422,
                           "forbidden" if error.forbidden else "invalid_transition",
                           str(error), error.field) from error
        return case_out(case, events=history(session, case), role=actor.role)
