"""Rasd's one settings object, read from ``RASD_*`` environment variables.

Validated at start-up: a bad value stops Rasd with a message naming it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
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
    database_url: str = Field("sqlite:///rasd.db", description="SQLAlchemy URL of the store")
    auth_disabled: bool = Field(False, description="Serve without API keys (local use only)")
    max_batch_posts: int = Field(1000, ge=1, description="Most posts in one batch request")
    max_body_bytes: int = Field(12_000_000, ge=1024, description="Largest request body, in bytes")
    model_poll_seconds: float = Field(2.0, gt=0, description="How often to check models/ACTIVE")
    reply_target: str = Field("file:outbox/replies.jsonl",
                              description="Where published replies go: file:PATH or an http(s) URL")
    escalation_target: str = Field("file:outbox/escalations.jsonl",
                                   description="Where service-level breaches go: file:PATH or a URL")
    webhook_secret: str = Field("", description="HMAC key signing webhook deliveries")
    outbox_interval_seconds: float = Field(
        60.0, ge=0, description="How often the server raises escalations and sends deliveries; 0: never "
                                "(then run `rasd cases escalate` and `rasd outbox deliver` from a timer)")

    @model_validator(mode="after")
    def _webhooks_are_signed(self) -> Settings:
        for name in ("reply_target", "escalation_target"):
            target = getattr(self, name)
            if not target.startswith(("file:", "http://", "https://")):
                raise ValueError(f"{name} must be file:PATH or an http(s) URL, not {target!r}")
            if target.startswith("http") and not self.webhook_secret:
                raise ValueError(f"{name} is a webhook: set RASD_WEBHOOK_SECRET to sign it")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
