"""`make serve` runs the production server: production settings, gunicorn with several
workers, the static files collected, persistent database connections; the health
endpoints answer. Run against the suite's PostgreSQL database (production refuses SQLite)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from kakehashi.core.tests.test_settings import AUDIT_KEY, GOOD_KEY, KEYS

BASE_DIR = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _get(url: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def test_make_serve_runs_the_production_server_with_its_health_endpoints(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("production runs on PostgreSQL only")
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        **KEYS,
        **AUDIT_KEY,
        "SECRET_KEY": GOOD_KEY,
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "AUDIT_HEAD_DIR": str(tmp_path / "heads"),
        "PRIVATE_FILES_DIR": str(tmp_path / "private"),
    }
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body, headers = _get(f"{base}/health/ready")
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stdout.read() if server.stdout else "") from None
                time.sleep(0.5)
        assert status == 200, body
        assert '"status": "ok"' in body
        assert "no-cache" in headers["Cache-Control"]
        assert _get(f"{base}/health/live")[0] == 200
        # A page through the production stack: TLS from the proxy's header, the collected
        # and hashed static files, the security headers.
        status, body, headers = _get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 200, body[:500]
        assert "/static/kakehashi/app." in body  # the manifest's hashed name
        assert "Content-Security-Policy" in headers
        assert "Strict-Transport-Security" in headers
        # Without the proxy's header, a page redirects to HTTPS; the health checks do not.
        assert _get(f"{base}/public/agencies.json")[0] in (301, 308)
        # Several requests are served by the workers (gunicorn names them in the log).
        for _ in range(10):
            assert _get(f"{base}/health/live")[0] == 200
    except AssertionError as failure:
        os.killpg(server.pid, signal.SIGTERM)
        raise AssertionError(
            f"{failure}\n--- the server said:\n{server.communicate()[0]}"
        ) from None
    os.killpg(server.pid, signal.SIGTERM)
    output = server.communicate(timeout=30)[0]
    assert "Booting worker" in output
    assert output.count("Booting worker") >= 2
