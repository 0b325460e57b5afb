"""Request and response bodies of the HTTP API, named for what they carry."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

EXAMPLE_POST = {"id": "p1", "text": "انتظرت في طوارئ المستشفى ست ساعات وما أحد كشف على ولدي",
                "platform": "x", "created_at": "2026-11-30T14:00:00+03:00"}


class PostIn(BaseModel):
    """A post to triage. Unknown fields are ignored, here as in the bulk command."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [EXAMPLE_POST]})
    text: str = Field(description="the post as written; 1 to 5,000 characters")
    id: str | int | None = Field(None, description="the client's id; one is made when absent")
    platform: str | None = None
    author: str | None = None
    created_at: str | None = Field(None, description="ISO 8601; sets sla.due")
    lang: str | None = Field(None, description='"ar" or "en": the acknowledgement language')


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [
        {"posts": [EXAMPLE_POST, {"id": "p2", "text": "الكهرباء مقطوعة عن الحي من الصبح"}]}]})
    posts: list[PostIn]


class Scored(BaseModel):
    label: str
    confidence: float


class DepartmentOut(Scored):
    alternatives: list[Scored]


class OwnershipOut(BaseModel):
    owner: str = Field(description='"ministry" or "external"')
    entity: str | None
    confidence: float


class FlagOut(BaseModel):
    value: bool
    confidence: float


class SlaOut(BaseModel):
    working_days: int
    due: str | None = None


class AcknowledgementOut(BaseModel):
    template: str
    text: str
    lang: str


class TriageOut(BaseModel):
    """The taxonomy's output object for one post."""

    id: str
    intent: Scored
    ownership: OwnershipOut
    department: DepartmentOut | None
    requires_inspection: FlagOut
    urgent: FlagOut
    sla: SlaOut
    acknowledgement: AcknowledgementOut
    needs_review: bool
    review_reasons: list[str]
    model_version: str


class BatchOut(BaseModel):
    data: list[TriageOut]
    count: int


class FinalLabels(BaseModel):
    model_config = ConfigDict(extra="ignore")
    intent: str
    owner: str = Field(description='"ministry" or an external entity id')
    department: str | None = None
    requires_inspection: bool = False
    urgent: bool = False


class AgentDecisionIn(BaseModel):
    """A post and the labels an agent finally gave it: what feedback and cases both carry."""

    model_config = ConfigDict(extra="ignore")
    post_id: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1)
    platform: str | None = None
    model_version: str | None = None
    final: FinalLabels
    suggested: dict | None = Field(None, description="the suggestion the agent saw, as returned")
    dialect: str | None = Field(None, description="the post's dialect, if the agent noted it")


class FeedbackIn(AgentDecisionIn):
    """What an agent finally decided for a post."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [{
        "post_id": "p1", "text": "انتظرت في طوارئ المستشفى ست ساعات وما أحد كشف على ولدي",
        "model_version": "moh-2026-11-29", "agent_id": "agent-17", "platform": "x",
        "final": {"intent": "complaint", "owner": "ministry", "department": "hospitals",
                  "requires_inspection": False, "urgent": False}}]})
    agent_id: str = Field(min_length=1, max_length=200)


class CaseIn(AgentDecisionIn):
    """An agent's confirmed or corrected suggestion, to become a case."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [{
        "post_id": "p1", "text": "انتظرت في طوارئ المستشفى ست ساعات وما أحد كشف على ولدي",
        "platform": "x", "created_at": "2026-11-30T09:00:00+03:00", "model_version": "moh-20261129",
        "final": {"intent": "complaint", "owner": "ministry", "department": "hospitals",
                  "requires_inspection": False, "urgent": False}}]})
    created_at: str | None = Field(None, description="when the post arrived; default: now")


class StepIn(BaseModel):
    """One step of a case, decided on the version the caller read."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [
        {"action": "route", "version": 1, "department": "hospitals"},
        {"action": "resolve", "version": 4, "note": "تمت مراجعة المناوبة وتعزيز طاقم الطوارئ"}]})
    action: str = Field(description="route, redirect, assign, start, resolve, draft_reply, "
                                    "submit_review, return, publish or close")
    version: int = Field(description="the case version this step was decided on")
    note: str | None = None
    department: str | None = None
    section: str | None = None
    entity: str | None = None
    reply: str | None = None


class FeedbackOut(BaseModel):
    id: int
    post_id: str


class ModelOut(BaseModel):
    version: str
    created_at: str | None = None
    active: bool
    evaluation: dict | None = None


class ModelListOut(BaseModel):
    data: list[ModelOut]
    count: int
