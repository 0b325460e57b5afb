"""One real app per module, on a temporary database and a copy of the committed models."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import PROJECT_ROOT, Settings
from nlp.artifacts import active_version
from storage.keys import create_key


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    """The committed active model, plus a copy of it as a second version to switch to."""
    folder = tmp_path_factory.mktemp("models")
    active = active_version(PROJECT_ROOT / "models")
    shutil.copytree(PROJECT_ROOT / "models" / active, folder / active)
    shutil.copytree(PROJECT_ROOT / "models" / active, folder / "second")
    (folder / "ACTIVE").write_text(active + "\n")
    return folder


@pytest.fixture(scope="module")
def settings(tmp_path_factory, models_dir) -> Settings:
    database = tmp_path_factory.mktemp("db") / "rasd.db"
    return Settings(database_url=f"sqlite:///{database}", models_dir=models_dir,
                    max_body_bytes=200_000, model_poll_seconds=0.2, outbox_interval_seconds=0)


@pytest.fixture(scope="module")
def client(settings):
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def keys(client) -> dict[str, dict[str, str]]:
    """Headers carrying a key of each role."""
    with client.app.state.database.session() as session:
        return {role: {"X-API-Key": create_key(session, name=f"test-{role}", role=role)}
                for role in ("agent", "integrator", "analyst", "admin")}
