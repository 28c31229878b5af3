"""The application keeps no state of its own in a process: several gunicorn workers against
one PostgreSQL behave as one. Started with `make serve` (production settings, four
workers) on the suite's database, then driven by concurrent requests:

- wrong passwords sent at the same moment, served by different workers, are all counted:
  one fewer than the limit leaves the account open, the limit locks it, for every worker;
- the public feeds' rate limit counts in the shared cache (a table on the database), so
  that the workers together allow the configured number, not that number each."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from kakehashi.core.tests.test_serve import _database_url, _free_port, _get
from kakehashi.core.tests.test_settings import AUDIT_KEY, GOOD_KEY, KEYS
from kakehashi.testing.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery staple"
WORKERS = 4
FAILURE_LIMIT = 5
FEED_LIMIT = 6

pytestmark = pytest.mark.django_db(transaction=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class Server:
    def __init__(self, process: subprocess.Popen[str], base: str) -> None:
        self.process = process
        self.base = base
        self.host = base.removeprefix("http://")
        self.lines: list[str] = []  # what the server prints, read as it comes
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def workers_that_served(self, path: str) -> set[str]:
        """The workers' process ids in the access log's lines for `path`."""
        return {
            match.group(1)
            for line in list(self.lines)
            if f" {path} " in line and (match := re.search(r"worker=<(\d+)>", line))
        }

    def request(
        self, path: str, data: dict[str, str] | None = None, cookies: dict[str, str] | None = None
    ) -> tuple[int, str, Any]:
        """Through the production stack as from the TLS proxy (X-Forwarded-Proto)."""
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{self.host}/accounts/login/",
        }
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with _opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers


@pytest.fixture(scope="module")
def server(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module's tests (starting it takes most of their time)."""
    if connection.vendor != "postgresql":
        pytest.skip("production runs on PostgreSQL only")
    tmp_path = tmp_path_factory.mktemp("processes")
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
        "WEB_CONCURRENCY": str(WORKERS),
        "AUDIT_HEAD_DIR": str(tmp_path / "heads"),
        "PRIVATE_FILES_DIR": str(tmp_path / "private"),
        "AXES_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "THROTTLE_FEED": f"{FEED_LIMIT}/min",
    }
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 120
        while True:
            ready: tuple[int, str, Any] = (0, "", {})
            try:
                ready = _get(f"{server.base}/health/ready")
                if ready[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{ready[1]}\n" + "".join(server.lines))
            time.sleep(0.5)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _all_at_once(count: int, work: Any) -> list[Any]:
    """Runs `work(i)` in `count` threads released together; the results in order."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        prepared = work.prepare(i)
        barrier.wait()
        results[i] = work.go(prepared)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


class SignIn:
    """A browser's sign-in: fetch the form (its CSRF cookie and token), then send it."""

    def __init__(self, server: Server, username: str, password: str) -> None:
        self.server, self.username, self.password = server, username, password

    def prepare(self, i: int = 0) -> tuple[str, str]:
        status, body, headers = self.server.request("/accounts/login/")
        assert status == 200
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert cookie
        assert token
        return cookie.group(1), token.group(1)

    def go(self, prepared: tuple[str, str]) -> int:
        cookie, token = prepared
        status, _, _ = self.server.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password},
            cookies={"csrftoken": cookie},
        )
        return status

    def once(self) -> int:
        return self.go(self.prepare())


def _failures(username: str) -> int:
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


def test_simultaneous_wrong_passwords_on_several_workers_lock_the_account_at_the_limit(
    server: Server,
) -> None:
    # Hashed as production checks it (the suite's own hasher is not among its hashers).
    user = UserFactory(username="target")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "processes", iterations=1000)
    user.save(update_fields=["password"])
    wrong = SignIn(server, "target", "not the password")

    # One fewer than the limit, all at once: each counted, the account stays open.
    statuses = _all_at_once(FAILURE_LIMIT - 1, wrong)
    assert statuses == [200] * (FAILURE_LIMIT - 1)  # the form again, never a 500
    assert _failures("target") == FAILURE_LIMIT - 1
    assert SignIn(server, "target", PASSWORD).once() == 302  # signed in (and the count reset)
    assert _failures("target") == 0

    # The limit, all at once: every attempt counted, whichever worker served it, and the
    # right password is then refused by every worker.
    statuses = _all_at_once(FAILURE_LIMIT, wrong)
    assert set(statuses) <= {200, 429}
    assert 429 in statuses  # the attempt that reached the limit was told so
    assert _failures("target") == FAILURE_LIMIT
    assert [SignIn(server, "target", PASSWORD).once() for _ in range(WORKERS)] == [429] * WORKERS


def test_the_feed_rate_limit_holds_across_workers(server: Server) -> None:
    statuses = [server.request("/public/agencies.json")[0] for _ in range(FEED_LIMIT * 3)]
    assert statuses == [200] * FEED_LIMIT + [429] * (FEED_LIMIT * 2)
    # Served by more than one worker (each counting alone would have allowed more).
    time.sleep(0.5)  # the last lines of the access log
    assert len(server.workers_that_served("/public/agencies.json")) >= 2, "".join(server.lines)
