"""Against a real uvicorn process, and fuzzed from the OpenAPI schema."""

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from api.settings import PROJECT_ROOT, Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_rasd_serve_answers_over_real_http(tmp_path):
    port = free_port()
    env = {**os.environ, "RASD_DATABASE_URL": f"sqlite:///{tmp_path}/rasd.db",
           "RASD_AUTH_DISABLED": "true"}
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                              cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        response = httpx.post(f"{base}/v1/triage", json={"text": "الكهرباء مقطوعة عن الحي"})
        assert response.status_code == 200
        assert response.json()["ownership"]["entity"] == "utilities"
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "RASD_AUTH_DISABLED is set" in output  # the warning at every start


@pytest.fixture(scope="module")
def open_app(tmp_path_factory):
    database = tmp_path_factory.mktemp("fuzz") / "rasd.db"
    app = create_app(Settings(database_url=f"sqlite:///{database}", auth_disabled=True,
                              models_dir=PROJECT_ROOT / "models"))
    with TestClient(app):  # runs the lifespan: model, store, metrics
        yield app


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value) -> bytes:
    """The stream's body is documented as a string of lines; send it as such."""
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")


def test_no_generated_request_makes_the_server_fail(open_app):
    """Every operation of the OpenAPI schema, with requests Hypothesis makes from it."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", open_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Activation would switch the served model under other tests; it has its own tests.
    operations = [op for op in operations if not op.path.endswith("/activate")]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call()
            assert response.status_code < 500, (case.path, response.text)
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"code", "message", "field"}

        check()
