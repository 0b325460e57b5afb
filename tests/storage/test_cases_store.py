"""Cases in a real database: a killed process loses no committed step."""

import datetime as dt
import os
import subprocess
import sys
import textwrap

from api.settings import PROJECT_ROOT
from storage.cases import Actor, get_case, history, open_case, take_step
from storage.db import Database

NOW = dt.datetime(2026, 11, 29, 6, tzinfo=dt.UTC)
LABELS = {"intent": "complaint", "owner": "ministry", "department": "hospitals",
          "requires_inspection": False, "urgent": False}

CHILD = textwrap.dedent("""
    import datetime as dt, os, signal, sys
    from storage.cases import Actor, open_case, take_step
    from storage.db import Database
    now = dt.datetime(2026, 11, 29, 6, tzinfo=dt.UTC)
    labels = {"intent": "complaint", "owner": "ministry", "department": "hospitals",
              "requires_inspection": False, "urgent": False}
    database = Database(sys.argv[1])
    agent = Actor("agent-1", "agent")
    with database.session() as session:
        case = open_case(session, prefix="MOH", post_id="k1", text="t", platform="x", labels=labels,
                         created_at=now, due_at=now, working_days=3, actor=agent)
        take_step(session, case.reference, action="route", version=1, actor=agent, now=now,
                  department="hospitals")
        reference = case.reference
    print(reference, flush=True)
    with database.session() as session:   # killed halfway through the next step
        take_step(session, reference, action="assign", version=2, actor=Actor("l", "liaison"),
                  now=now, section="emergency")
        os.kill(os.getpid(), signal.SIGKILL)
""")


def test_a_killed_process_loses_no_committed_step_and_half_a_step_leaves_no_trace(database_url):
    child = subprocess.run([sys.executable, "-c", CHILD, database_url], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, env={**os.environ})
    assert child.returncode == -9, child.stderr
    reference = child.stdout.strip()
    database = Database(database_url)
    with database.session() as session:
        case = get_case(session, reference)
        assert (case.state, case.version, case.section) == ("routed", 2, None)
        assert [e.action for e in history(session, case)] == ["open", "route"]
        # and the store still takes the step that was lost
        take_step(session, reference, action="assign", version=2, actor=Actor("l", "liaison"),
                  now=NOW, section="emergency")
    database.dispose()


def test_references_are_unique_and_readable(database_url):
    database = Database(database_url)
    agent = Actor("a", "agent")
    with database.session() as session:
        references = [open_case(session, prefix="MOH", post_id=str(i), text="t", platform=None,
                                labels=LABELS, created_at=NOW, due_at=NOW, working_days=3,
                                actor=agent).reference for i in range(3)]
    database.dispose()
    assert len(set(references)) == 3
    assert all(r.startswith("MOH-2026-") and r[-6:].isdigit() for r in references)
