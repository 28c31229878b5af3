"""`make serve` runs the production server: production settings, gunicorn with several
workers, the static files collected, persistent database connections; the health
endpoints answer. Run against the suite's PostgreSQL database (production refuses SQLite)."""

from __future__ import annotations

import pytest

from .production_server import WORKERS, Server, get

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("production_server")]


def test_make_serve_runs_the_production_server_with_its_health_endpoints(
    running_server: Server,
) -> None:
    base = running_server.base
    status, body, headers = get(f"{base}/health/ready")
    assert status == 200, body
    assert '"status": "ok"' in body
    assert "no-cache" in headers["Cache-Control"]
    assert get(f"{base}/health/live")[0] == 200
    # A page through the production stack: TLS from the proxy's header, the collected
    # and hashed static files, the security headers.
    status, body, headers = get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200, body[:500]
    assert "/static/kakehashi/app." in body  # the manifest's hashed name
    assert "Content-Security-Policy" in headers
    assert "Strict-Transport-Security" in headers
    # Without the proxy's header, a page redirects to HTTPS; the health checks do not.
    assert get(f"{base}/public/agencies.json")[0] in (301, 308)
    # The workers booted (gunicorn names each in its log).
    assert "".join(running_server.lines).count("Booting worker") >= WORKERS
