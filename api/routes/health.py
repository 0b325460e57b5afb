"""Liveness, readiness and metrics: unauthenticated, for the platform that runs Rasd."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import MetricsDep

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is up")
def get_health() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="A model is loaded and the store answers")
def get_readiness(request: Request) -> dict:
    return {"status": "ready", "model_version": request.app.state.active_model.version}


@router.get("/metrics", summary="Prometheus metrics")
def get_metrics(metrics: MetricsDep) -> Response:
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
