"""From a model's prediction to the suggestion an agent sees.

Pure functions: the same post, prediction, profile and clock always give
the same decision.  Nothing here reads files or the time of day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nlp.labels import MINISTRY
from nlp.language import reply_language
from nlp.triage_model import Prediction, Ranked
from router.calendar import WorkingCalendar
from router.profile import Profile


@dataclass(frozen=True, slots=True)
class IncomingPost:
    id: str
    text: str
    created_at: dt.datetime | None = None
    platform: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Labelled:
    label: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Flag:
    value: bool
    confidence: float


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    template: str
    text: str
    lang: str


@dataclass(frozen=True, slots=True)
class Decision:
    post_id: str
    intent: Labelled
    owner: str  # "ministry" or "external"
    entity: str | None
    owner_confidence: float
    department: Labelled | None
    department_alternatives: tuple[Labelled, ...]
    requires_inspection: Flag
    urgent: Flag
    working_days: int
    due: dt.datetime | None
    acknowledgement: Acknowledgement
    review_reasons: tuple[str, ...]
    model_version: str

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)


def decide(post: IncomingPost, prediction: Prediction, *, profile: Profile,
           calendar: WorkingCalendar, model_version: str,
           reference: str | None = None) -> Decision:
    """Turn one prediction into a decision under the profile's rules.

    ``reference`` is the case reference the acknowledgement quotes; before
    a case exists the post's id stands in for it.
    """
    thresholds = profile.thresholds
    intent = Labelled(prediction.intent.label, prediction.intent.confidence)
    is_ministry = prediction.owner.label == MINISTRY
    department, alternatives = (
        _department(prediction.department, intent.label, thresholds.department)
        if is_ministry else (None, ()))
    inspection = _flag(prediction.inspection_probability, thresholds.inspection_flag,
                       allowed=is_ministry)
    urgent = _flag(prediction.urgent_probability, thresholds.urgent_flag, allowed=True)

    reasons = []
    if intent.confidence < thresholds.intent:
        reasons.append("intent")
    if prediction.owner.confidence < thresholds.owner:
        reasons.append("owner")
    if is_ministry and intent.label != "other" and (
            department is None or department.confidence < thresholds.department):
        reasons.append("department")
    if is_ministry and inspection.confidence < thresholds.requires_inspection:
        reasons.append("requires_inspection")
    if urgent.confidence < thresholds.urgent:
        reasons.append("urgent_uncertain")
    if urgent.value:
        reasons.append("urgent")

    working_days = (profile.service_level.inspection_working_days if inspection.value
                    else profile.service_level.working_days)
    due = calendar.add_working_days(post.created_at, working_days) if post.created_at else None
    entity = None if is_ministry else prediction.owner.label
    acknowledgement = render_acknowledgement(
        profile, intent=intent.label, entity=entity, working_days=working_days,
        reference=reference or post.id, lang=post.lang or reply_language(post.text))
    return Decision(
        post_id=post.id, intent=intent,
        owner=MINISTRY if is_ministry else "external", entity=entity,
        owner_confidence=prediction.owner.confidence,
        department=department, department_alternatives=alternatives,
        requires_inspection=inspection, urgent=urgent,
        working_days=working_days, due=due, acknowledgement=acknowledgement,
        review_reasons=tuple(reasons), model_version=model_version,
    )


def _department(ranked: Ranked, intent: str,
                threshold: float) -> tuple[Labelled | None, tuple[Labelled, ...]]:
    """The best department and the runners-up.

    A post with nothing to act on (``other``) gets a department only when
    the model is sure of its topic: thanks to a hospital goes to hospitals,
    spam goes nowhere.
    """
    ranked_labels = [Labelled(label, conf) for label, conf in zip(ranked.labels, ranked.confidences)]
    best, alternatives = ranked_labels[0], tuple(ranked_labels[1:])
    if intent == "other" and best.confidence < threshold:
        return None, ()
    return best, alternatives


def _flag(probability: float, cutoff: float, *, allowed: bool) -> Flag:
    if not allowed:
        return Flag(False, 1.0)
    value = probability >= cutoff
    return Flag(value, probability if value else 1.0 - probability)


def render_acknowledgement(profile: Profile, *, intent: str, entity: str | None,
                           working_days: int, reference: str, lang: str) -> Acknowledgement:
    """The canned reply for the post: an acknowledgement, or a redirect to the entity."""
    lang = "en" if lang == "en" else "ar"
    variables = {
        "reference": reference,
        "working_days": working_days,
        "ministry": profile.ministry.name_en if lang == "en" else profile.ministry.name_ar,
        "entity_name": "",
        "entity_channel": "",
    }
    name = f"ack_{intent}"
    if entity is not None:
        name = "redirect"
        owner = profile.entity(entity)
        variables["entity_name"] = owner.name_en if lang == "en" else owner.name_ar
        variables["entity_channel"] = owner.channel_en if lang == "en" else owner.channel_ar
    text = profile.templates[name].text(lang).format(**variables)
    return Acknowledgement(template=name, text=text, lang=lang)


def to_output(decision: Decision) -> dict:
    """The output object of the taxonomy, as the API and the bulk command return it."""
    department = None
    if decision.department is not None:
        department = {
            "label": decision.department.label,
            "confidence": round(decision.department.confidence, 4),
            "alternatives": [{"label": alt.label, "confidence": round(alt.confidence, 4)}
                             for alt in decision.department_alternatives],
        }
    sla: dict = {"working_days": decision.working_days}
    if decision.due is not None:
        sla["due"] = decision.due.isoformat()
    return {
        "id": decision.post_id,
        "intent": {"label": decision.intent.label,
                   "confidence": round(decision.intent.confidence, 4)},
        "ownership": {"owner": decision.owner, "entity": decision.entity,
                      "confidence": round(decision.owner_confidence, 4)},
        "department": department,
        "requires_inspection": {"value": decision.requires_inspection.value,
                                "confidence": round(decision.requires_inspection.confidence, 4)},
        "urgent": {"value": decision.urgent.value,
                   "confidence": round(decision.urgent.confidence, 4)},
        "sla": sla,
        "acknowledgement": {"template": decision.acknowledgement.template,
                            "text": decision.acknowledgement.text,
                            "lang": decision.acknowledgement.lang},
        "needs_review": decision.needs_review,
        "review_reasons": list(decision.review_reasons),
        "model_version": decision.model_version,
    }
