"""API keys: issued once in clear, kept only as hashes, each with one role."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.tables import ApiKey

ROLES = ("agent", "integrator", "analyst", "liaison", "section", "pr", "admin")


def hash_key(key: str) -> str:
    # Keys are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, *, name: str, role: str) -> str:
    """Store a new key and return it in clear; it cannot be shown again."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    key = "rasd_" + secrets.token_urlsafe(32)
    session.add(ApiKey(name=name, role=role, key_hash=hash_key(key)))
    return key


def identify(session: Session, key: str) -> tuple[str, str] | None:
    """(name, role) of a valid, unrevoked key, else None."""
    found = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key),
                                                ApiKey.revoked.is_(False)))
    return (found.name, found.role) if found else None


def role_of(session: Session, key: str) -> str | None:
    found = identify(session, key)
    return found[1] if found else None


def revoke_key(session: Session, name: str) -> int:
    keys = session.scalars(select(ApiKey).where(ApiKey.name == name, ApiKey.revoked.is_(False))).all()
    for key in keys:
        key.revoked = True
    return len(keys)
