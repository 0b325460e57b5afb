"""The triage pipeline end to end: posts in, decisions out.

The CLI's bulk scorer and the HTTP API both call ``Triager.triage``, so
there is one code path from text to suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nlp.errors import ModelLoadError
from nlp.triage_model import TriageModel
from router.calendar import WorkingCalendar
from router.decide import Decision, IncomingPost, decide
from router.profile import Profile


@dataclass(frozen=True)
class Triager:
    model: TriageModel
    profile: Profile
    calendar: WorkingCalendar
    model_version: str

    @classmethod
    def create(cls, model: TriageModel, profile: Profile, model_version: str) -> Triager:
        """Refuse a model that predicts labels the profile does not know."""
        labels = model.labels
        space = profile.label_space
        unknown_owners = set(labels["owner"]) - set(space.owners)
        unknown_departments = set(labels["department"]) - set(space.departments)
        if unknown_owners or unknown_departments:
            raise ModelLoadError(
                f"model {model_version} predicts labels profile {profile.id!r} lacks: "
                f"{sorted(unknown_owners | unknown_departments)}; use a model trained for this profile")
        return cls(model=model, profile=profile, calendar=WorkingCalendar(profile.calendar),
                   model_version=model_version)

    def triage(self, posts: Sequence[IncomingPost]) -> list[Decision]:
        predictions = self.model.predict([post.text for post in posts])
        return [
            decide(post, prediction, profile=self.profile, calendar=self.calendar,
                   model_version=self.model_version)
            for post, prediction in zip(posts, predictions)
        ]
