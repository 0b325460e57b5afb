"""Every (state, action, role) a case can meet: the allowed ones, written out by hand."""

import itertools

import pytest

from router.cases import STATES, STEPS, TransitionRefused, check_step

ALLOWED = {
    ("new", "route", "agent"), ("new", "redirect", "agent"),
    ("routed", "assign", "liaison"),
    ("assigned", "start", "section"),
    ("in_progress", "resolve", "section"),
    ("resolved", "draft_reply", "agent"), ("returned", "draft_reply", "agent"),
    ("reply_drafted", "submit_review", "agent"),
    ("in_review", "return", "pr"), ("in_review", "publish", "pr"),
    *{(state, "close", "agent") for state in
      ("new", "routed", "assigned", "in_progress", "resolved", "reply_drafted", "in_review",
       "returned")},
}
EVERYTHING = {"note": "n", "department": "hospitals", "section": "emergency",
              "entity": "utilities", "reply": "r"}


@pytest.mark.parametrize("state, action, role", list(itertools.product(
    STATES, STEPS, ("agent", "liaison", "section", "pr", "admin", "analyst"))))
def test_only_the_listed_steps_are_allowed(state, action, role):
    allowed = (state, action, role) in ALLOWED or (
        role == "admin" and any((state, action, r) in ALLOWED for r in ("agent", "liaison",
                                                                       "section", "pr")))
    if allowed:
        assert check_step(action, state=state, role=role, given=EVERYTHING).target in STATES
    else:
        with pytest.raises(TransitionRefused):
            check_step(action, state=state, role=role, given=EVERYTHING)


@pytest.mark.parametrize("action, missing", [("route", "department"), ("assign", "section"),
                                             ("resolve", "note"), ("draft_reply", "reply"),
                                             ("return", "note"), ("redirect", "entity")])
def test_a_step_without_what_it_needs_is_refused(action, missing):
    state = STEPS[action].sources[0]
    role = STEPS[action].roles[0]
    given = {k: v for k, v in EVERYTHING.items() if k != missing}
    with pytest.raises(TransitionRefused) as refused:
        check_step(action, state=state, role=role, given=given)
    assert refused.value.field == missing
