"""Which models exist, which one serves, and switching between them."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ActiveModelDep, MetricsDep, SettingsDep, require
from api.errors import ApiError
from api.schemas import ModelListOut, ModelOut
from nlp.artifacts import list_versions, read_card
from nlp.errors import ModelLoadError

router = APIRouter(prefix="/v1/models", tags=["models"])


def _model_out(settings, version: str, active: str) -> ModelOut:
    try:
        card = read_card(settings.models_dir / version)
    except ModelLoadError:
        card = {}
    return ModelOut(version=version, created_at=card.get("created_at"), active=version == active,
                    evaluation=card.get("evaluation"))


@router.get("", response_model=ModelListOut, dependencies=[require("analyst")],
            summary="Every model version with its evaluation")
def list_models(settings: SettingsDep, active_model: ActiveModelDep) -> ModelListOut:
    data = [_model_out(settings, v, active_model.version) for v in list_versions(settings.models_dir)]
    return ModelListOut(data=data, count=len(data))


@router.get("/active", response_model=ModelOut,
            dependencies=[require("agent", "integrator", "analyst")], summary="The model serving now")
def get_active_model(settings: SettingsDep, active_model: ActiveModelDep) -> ModelOut:
    return _model_out(settings, active_model.version, active_model.version)


@router.post("/{version}/activate", response_model=ModelOut, dependencies=[require("analyst")],
             summary="Serve another model; requests in flight finish on the old one")
def activate_model(version: str, settings: SettingsDep, active_model: ActiveModelDep,
                   metrics: MetricsDep) -> ModelOut:
    if version not in list_versions(settings.models_dir):
        raise ApiError(404, "not_found", f"no model version {version!r}", "version")
    try:
        active_model.activate(version)
    except ModelLoadError as error:
        raise ApiError(409, "model_not_loadable",
                       f"{error} (the active model is still {active_model.version})") from error
    metrics.set_active_model(version)
    return _model_out(settings, version, version)
