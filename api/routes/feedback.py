"""Agents' final decisions in; training rows out."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.deps import DatabaseDep, TriagerDep, require
from api.errors import ApiError
from api.schemas import FeedbackIn, FeedbackOut
from nlp.corpus import parse_post
from storage.feedback import FinalDecision, export_rows, record_feedback

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])


@router.post("", status_code=201, response_model=FeedbackOut, dependencies=[require("agent")],
             summary="Record what an agent finally decided for a post")
def create_feedback(feedback: FeedbackIn, database: DatabaseDep, triager: TriagerDep) -> FeedbackOut:
    final = feedback.final
    row = {"id": feedback.post_id, "text": feedback.text, **final.model_dump(),
           "dialect": feedback.dialect or "unknown", "platform": feedback.platform or "unknown"}
    try:  # the same rules as every training row, so an accepted label can be trained on
        parse_post(row, triager.profile.label_space)
    except ValueError as error:
        raise ApiError(422, "invalid_labels", str(error), "final") from error
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
