"""Dependencies, declared once as ``Annotated`` aliases and injected into routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from api.active_model import ActiveModel
from api.errors import ApiError
from api.metrics import Metrics
from api.settings import Settings
from router.triage import Triager
from storage.cases import Actor
from storage.db import Database
from storage.keys import identify

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                               description="An API key issued by `rasd keys create`")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_active_model(request: Request) -> ActiveModel:
    return request.app.state.active_model


def get_triager(request: Request) -> Triager:
    """The model for this whole request, taken once: a switch mid-request changes nothing."""
    return request.app.state.active_model.triager


def get_database(request: Request) -> Database:
    return request.app.state.database


def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


SettingsDep = Annotated[Settings, Depends(get_settings)]
ActiveModelDep = Annotated[ActiveModel, Depends(get_active_model)]
TriagerDep = Annotated[Triager, Depends(get_triager)]
DatabaseDep = Annotated[Database, Depends(get_database)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]


def require(*roles: str):
    """A dependency that lets through keys with one of ``roles`` (admin always)."""
    allowed = {*roles, "admin"}

    def check(request: Request, key: Annotated[str | None, Depends(_api_key_header)]) -> Actor:
        if request.app.state.settings.auth_disabled:
            return Actor("local", "admin")
        if not key:
            raise ApiError(401, "unauthorized", "send an API key in the X-API-Key header")
        with request.app.state.database.session() as session:
            found = identify(session, key)
        if found is None:
            raise ApiError(401, "unauthorized", "unknown or revoked API key")
        name, role = found
        if role not in allowed:
            raise ApiError(403, "forbidden", f"a {role} key cannot do this; needs {sorted(allowed)}")
        return Actor(name, role)

    return Depends(check)


def get_clock(request: Request):
    return request.app.state.clock


ClockDep = Annotated[object, Depends(get_clock)]
