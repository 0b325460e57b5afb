import datetime as dt

import pytest

from nlp.triage_model import Prediction, Ranked
from router.calendar import WorkingCalendar
from router.decide import IncomingPost, decide, to_output


@pytest.fixture(scope="module")
def calendar(profile):
    return WorkingCalendar(profile.calendar)


def prediction(*, intent=("complaint", 0.9), owner=("ministry", 0.95),
               departments=(("hospitals", 0.9), ("primary_care", 0.07), ("pharmacy", 0.03)),
               inspection=0.1, urgent=0.01) -> Prediction:
    return Prediction(
        intent=Ranked((intent[0], "other"), (intent[1], 1 - intent[1])),
        owner=Ranked((owner[0], "utilities"), (owner[1], 1 - owner[1])),
        department=Ranked(tuple(d for d, _ in departments), tuple(c for _, c in departments)),
        inspection_probability=inspection, urgent_probability=urgent)


def run(profile, calendar, pred, text="انتظرت في الطوارئ ست ساعات", created_at=None, lang=None):
    post = IncomingPost(id="p1", text=text, created_at=created_at, lang=lang)
    return decide(post, pred, profile=profile, calendar=calendar, model_version="test-1")


def test_confident_ministry_complaint_needs_no_review(profile, calendar):
    decision = run(profile, calendar, prediction())
    assert decision.owner == "ministry" and decision.entity is None
    assert decision.department.label == "hospitals"
    assert [d.label for d in decision.department_alternatives] == ["primary_care", "pharmacy"]
    assert decision.working_days == 3 and not decision.needs_review
    assert decision.acknowledgement.template == "ack_complaint"
    assert "p1" in decision.acknowledgement.text and "3" in decision.acknowledgement.text


def test_inspection_sets_five_working_days_and_due_time(profile, calendar):
    created = dt.datetime(2026, 11, 29, 14, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    decision = run(profile, calendar, prediction(inspection=0.9), created_at=created)
    assert decision.requires_inspection.value and decision.working_days == 5
    assert decision.due.isoformat() == "2026-12-06T14:00:00+03:00"


def test_external_owner_gets_redirect_no_department_and_no_inspection(profile, calendar):
    decision = run(profile, calendar, prediction(owner=("utilities", 0.9), inspection=0.9),
                   text="الكهرباء مقطوعة عن الحي من الصبح")
    assert decision.owner == "external" and decision.entity == "utilities"
    assert decision.department is None and not decision.requires_inspection.value
    assert decision.acknowledgement.template == "redirect"
    assert "شركة الكهرباء والمياه" in decision.acknowledgement.text
    assert "933" in decision.acknowledgement.text


@pytest.mark.parametrize("pred, reason", [
    (prediction(intent=("complaint", 0.4)), "intent"),
    (prediction(owner=("ministry", 0.5)), "owner"),
    (prediction(departments=(("hospitals", 0.3), ("pharmacy", 0.3), ("eservices", 0.2))),
     "department"),
    (prediction(urgent=0.9), "urgent"),
])
def test_uncertain_or_urgent_post_needs_review(profile, calendar, pred, reason):
    decision = run(profile, calendar, pred)
    assert decision.needs_review and reason in decision.review_reasons


def test_spam_gets_no_department_when_its_topic_is_unsure(profile, calendar):
    pred = prediction(intent=("other", 0.9),
                      departments=(("pharmacy", 0.3), ("hospitals", 0.3), ("eservices", 0.2)))
    decision = run(profile, calendar, pred, text="زيد متابعينك 10K ب 50 ريال")
    assert decision.department is None and not decision.needs_review
    assert decision.acknowledgement.template == "ack_other"


def test_english_post_is_answered_in_english_and_arabizi_in_arabic(profile, calendar):
    english = run(profile, calendar, prediction(), text="The app keeps crashing since yesterday")
    arabizi = run(profile, calendar, prediction(), text="3ayez a7gez maw3ed ya gama3a")
    assert english.acknowledgement.lang == "en" and "complaint" in english.acknowledgement.text
    assert arabizi.acknowledgement.lang == "ar"
    forced = run(profile, calendar, prediction(), text="وين الدواء", lang="en")
    assert forced.acknowledgement.lang == "en"


def test_output_object_has_the_contract_fields(profile, calendar):
    created = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)
    output = to_output(run(profile, calendar, prediction(), created_at=created))
    assert set(output) >= {"id", "intent", "ownership", "department", "requires_inspection",
                           "urgent", "sla", "acknowledgement", "needs_review", "model_version"}
    assert output["ownership"] == {"owner": "ministry", "entity": None, "confidence": 0.95}
    assert output["department"]["alternatives"][0] == {"label": "primary_care", "confidence": 0.07}
    assert output["sla"] == {"working_days": 3, "due": "2026-12-03T12:00:00+03:00"}
    assert output["acknowledgement"]["template"] == "ack_complaint"
    assert output["model_version"] == "test-1"


def test_no_created_at_means_no_due_time(profile, calendar):
    assert "due" not in to_output(run(profile, calendar, prediction()))["sla"]
