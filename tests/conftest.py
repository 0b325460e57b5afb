"""Shared fixtures: the committed default model, and one small model fitted per session."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from api.modelops import load_split, load_triager
from api.settings import PROJECT_ROOT
from nlp.triage_model import TriageModel
from router.profile import load_profile
from router.triage import Triager

FIXTURES = Path(__file__).parent / "fixtures"
POSTGRES_URL = os.environ.get("RASD_TEST_POSTGRES_URL")
RIYADH = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture(scope="session")
def profile():
    return load_profile()


@pytest.fixture(scope="session")
def corpus(profile):
    return load_split(PROJECT_ROOT / "training_data", profile)


@pytest.fixture(scope="session")
def default_triager(profile) -> Triager:
    """The model a new user gets: the committed, active one."""
    return load_triager(models_dir=PROJECT_ROOT / "models", profile=profile)


@pytest.fixture(scope="session")
def small_model(corpus) -> TriageModel:
    """A quick model on a slice of the training split, for tests about mechanics, not quality."""
    train, _ = corpus
    return TriageModel.train(train[::4], seed=0)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A fresh, empty database of each kind the store supports.

    PostgreSQL comes from RASD_TEST_POSTGRES_URL (`.ci/postgres.sh` starts one
    and prints it); without it those tests are skipped, visibly.
    """
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/rasd.db"
    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL: set RASD_TEST_POSTGRES_URL (bash .ci/postgres.sh prints one)")
    from sqlalchemy import text

    from storage import tables  # noqa: F401  (so drop_all knows every table)
    from storage.db import Base, make_engine

    engine = make_engine(POSTGRES_URL)
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return POSTGRES_URL
