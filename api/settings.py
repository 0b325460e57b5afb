"""Rasd's one settings object, read from ``RASD_*`` environment variables.

Validated at start-up: a bad value stops Rasd with a message naming it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from router.profile import DEFAULT_PROFILE

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RASD_", extra="ignore")

    profile: Path = Field(DEFAULT_PROFILE, description="Ministry profile file (TOML)")
    models_dir: Path = Field(PROJECT_ROOT / "models", description="Folder of model versions")
    model_version: str | None = Field(None, description="Model version to serve; default: models/ACTIVE")
    training_data: Path = Field(PROJECT_ROOT / "training_data", description="Corpus folder")
    max_text_chars: int = Field(5000, ge=1, description="Longest post text accepted")


@lru_cache
def get_settings() -> Settings:
    return Settings()
