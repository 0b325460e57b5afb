"""The tables Rasd stores."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ApiKey(Base):
    """An API key, stored as its SHA-256 only: a leaked table leaks no usable key."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Feedback(Base):
    """What an agent finally decided for a post: tomorrow's training label."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[str] = mapped_column(String(200), index=True)
    text: Mapped[str] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String(20), nullable=True)
    dialect: Mapped[str | None] = mapped_column(String(20), nullable=True)
    model_version: Mapped[str | None] = mapped_column(String(200), nullable=True)
    suggested: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    intent: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str] = mapped_column(String(60))
    department: Mapped[str | None] = mapped_column(String(60), nullable=True)
    requires_inspection: Mapped[bool] = mapped_column(Boolean)
    urgent: Mapped[bool] = mapped_column(Boolean)
    agent_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
