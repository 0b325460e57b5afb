"""The life of a case: which step may follow which, and who may take it.

A triaged post becomes a case; the contact center routes it to a
department, the department's liaison refers it to a section, the section
works it and reports the action taken, the contact center drafts the public
reply and Public Relations publishes it or returns it with a comment.
Pure rules only: storing a step and checking versions is ``storage.cases``.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN_STATES = ("new", "routed", "assigned", "in_progress", "resolved", "reply_drafted",
               "in_review", "returned")
FINAL_STATES = ("published", "redirected", "closed")
STATES = OPEN_STATES + FINAL_STATES
CASE_ROLES = ("agent", "liaison", "section", "pr", "admin")


@dataclass(frozen=True, slots=True)
class Step:
    """One kind of transition: from which states, to which, by whom, needing what."""

    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    needs: tuple[str, ...] = ()  # fields the request must carry


STEPS: dict[str, Step] = {
    "route": Step(("new",), "routed", ("agent",), ("department",)),
    "redirect": Step(("new",), "redirected", ("agent",), ("entity",)),
    "assign": Step(("routed",), "assigned", ("liaison",), ("section",)),
    "start": Step(("assigned",), "in_progress", ("section",)),
    "resolve": Step(("in_progress",), "resolved", ("section",), ("note",)),
    "draft_reply": Step(("resolved", "returned"), "reply_drafted", ("agent",), ("reply",)),
    "submit_review": Step(("reply_drafted",), "in_review", ("agent",)),
    "return": Step(("in_review",), "returned", ("pr",), ("note",)),
    "publish": Step(("in_review",), "published", ("pr",)),
    "close": Step(OPEN_STATES, "closed", ("agent",), ("note",)),
}


class TransitionRefused(ValueError):
    """A step that the case's state, the actor's role or the request does not allow."""

    def __init__(self, message: str, *, forbidden: bool = False, field: str | None = None):
        super().__init__(message)
        self.forbidden = forbidden
        self.field = field


def check_step(action: str, *, state: str, role: str, given: dict) -> Step:
    """The step ``action`` if it may be taken now by ``role`` with ``given`` fields.

    Admins may take any step that the state allows.
    """
    step = STEPS.get(action)
    if step is None:
        raise TransitionRefused(f"unknown action {action!r}; one of {', '.join(STEPS)}",
                                field="action")
    if role != "admin" and role not in step.roles:
        raise TransitionRefused(f"a {role} cannot {action} a case (needs {', '.join(step.roles)})",
                                forbidden=True)
    if state not in step.sources:
        raise TransitionRefused(f"cannot {action} a case that is {state} "
                                f"(only from {', '.join(step.sources)})", field="action")
    for name in step.needs:
        if not given.get(name):
            raise TransitionRefused(f"{action} needs {name}", field=name)
    return step


def allowed_actions(state: str, role: str) -> list[str]:
    return [action for action, step in STEPS.items()
            if state in step.sources and (role == "admin" or role in step.roles)]
