"""The store on a real database of each kind: keys, feedback, durability."""

import pytest

from storage.db import Database
from storage.feedback import FinalDecision, export_rows, record_feedback
from storage.keys import create_key, revoke_key, role_of

DECISION = FinalDecision(post_id="p1", text="وين الدواء", intent="complaint", owner="ministry",
                         department="pharmacy", requires_inspection=False, urgent=False,
                         agent_id="agent-1", model_version="m1", platform="x",
                         suggested={"intent": {"label": "inquiry"}})


@pytest.fixture()
def database(database_url):
    database = Database(database_url)
    yield database
    database.dispose()


def test_a_key_is_stored_only_as_its_hash_and_knows_its_role(database):
    with database.session() as session:
        key = create_key(session, name="switchboard", role="integrator")
    with database.session() as session:
        from sqlalchemy import text

        stored = session.execute(text("SELECT key_hash FROM api_keys")).scalars().all()
        assert key not in stored and len(stored[0]) == 64
        assert role_of(session, key) == "integrator"
        assert role_of(session, key + "x") is None


def test_a_revoked_key_no_longer_opens(database):
    with database.session() as session:
        key = create_key(session, name="old", role="agent")
    with database.session() as session:
        assert revoke_key(session, "old") == 1
    with database.session() as session:
        assert role_of(session, key) is None


def test_an_unknown_role_is_refused(database):
    with database.session() as session, pytest.raises(ValueError, match="role must be one of"):
        create_key(session, name="x", role="superuser")


def test_committed_feedback_survives_a_new_connection(database, database_url):
    with database.session() as session:
        record_feedback(session, DECISION)
    database.dispose()
    reopened = Database(database_url)
    with reopened.session() as session:
        rows = list(export_rows(session))
    reopened.dispose()
    assert rows == [{"id": "fb-p1", "text": "وين الدواء", "intent": "complaint", "owner": "ministry",
                     "department": "pharmacy", "requires_inspection": False, "urgent": False,
                     "dialect": "unknown", "platform": "x"}]


def test_export_keeps_the_latest_decision_per_post(database):
    from dataclasses import replace

    with database.session() as session:
        record_feedback(session, DECISION)
        record_feedback(session, replace(DECISION, post_id="p2"))
        record_feedback(session, replace(DECISION, intent="report", requires_inspection=True))
    with database.session() as session:
        rows = list(export_rows(session))
    assert [(r["id"], r["intent"]) for r in rows] == [("fb-p2", "complaint"), ("fb-p1", "report")]


def test_a_failed_transaction_leaves_nothing_behind(database):
    with pytest.raises(RuntimeError), database.session() as session:
        record_feedback(session, DECISION)
        raise RuntimeError("crash before commit")
    with database.session() as session:
        assert list(export_rows(session)) == []


def test_migrations_build_exactly_the_tables_rasd_uses(database_url):
    from alembic import command

    from storage.db import alembic_config

    Database(database_url).dispose()  # migrates a fresh database to the newest revision
    command.check(alembic_config(database_url))  # raises if tables and migrations differ
