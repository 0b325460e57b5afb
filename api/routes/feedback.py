"""Agents' final decisions in; training rows out."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.deps import DatabaseDep, TriagerDep, require
from api.errors import ApiError
from api.schemas import AgentDecisionIn, FeedbackIn, FeedbackOut
from nlp.corpus import parse_post
from nlp.labels import LabelSpace
from storage.feedback import FinalDecision, export_rows, record_feedback

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])


def check_final_labels(decision: AgentDecisionIn, labels: LabelSpace) -> None:
    """The same rules as every training row, so an accepted label can be trained on."""
    row = {"id": decision.post_id, "text": decision.text, **decision.final.model_dump(),
           "dialect": decision.dialect or "unknown",
           "platform": decision.platform or "unknown"}
    try:
        parse_post(row, labels)
    except ValueError as error:
        raise ApiError(422, "invalid_labels", str(error), "final") from error


@router.post("", status_code=201, response_model=FeedbackOut, dependencies=[require("agent")],
             summary="Record what an agent finally decided for a post")
def create_feedback(feedback: FeedbackIn, database: DatabaseDep, triager: TriagerDep) -> FeedbackOut:
    final = feedback.final
    check_final_labels(feedback, triager.profile.label_space)
    decision = FinalDecision(
        post_id=feedback.post_id, text=feedback.text, agent_id=feedback.agent_id,
        model_version=feedback.model_version, platform=feedback.platform,
        dialect=feedback.dialect, suggested=feedback.suggested, **final.model_dump())
    with database.session() as session:  # committed before the 201 is sent
        feedback_id = record_feedback(session, decision)
    return FeedbackOut(id=feedback_id, post_id=feedback.post_id)


@router.get("/export", dependencies=[require("analyst")],
            summary="All feedback as training rows (NDJSON), the latest decision per post")
def export_feedback(database: DatabaseDep) -> StreamingResponse:
    with database.session() as session:
        lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in export_rows(session)]
    return StreamingResponse(iter(lines), media_type="application/x-ndjson")
