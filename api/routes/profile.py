"""The ministry profile, for clients that build forms from it."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import TriagerDep, require

router = APIRouter(prefix="/v1/profile", tags=["profile"])


@router.get("", dependencies=[require("agent", "integrator", "analyst")],
            summary="Departments, sections, external entities and reply templates")
def get_profile(triager: TriagerDep) -> dict:
    profile = triager.profile
    return {
        "id": profile.id,
        "ministry": profile.ministry.model_dump(),
        "departments": [d.model_dump() for d in profile.departments],
        "entities": [e.model_dump() for e in profile.entities],
        "templates": {name: t.model_dump() for name, t in profile.templates.items()},
        "service_level": profile.service_level.model_dump(),
        "timezone": profile.calendar.timezone,
    }
