"""The application keeps no state of its own in a process: several gunicorn workers against
one PostgreSQL behave as one. Started with `make serve` (production settings, four
workers) on the suite's database, then driven by concurrent requests:

- wrong passwords sent at the same moment, served by different workers, are all counted:
  one fewer than the limit leaves the account open, the limit locks it, for every worker;
- the public feeds' rate limit counts in the shared cache (a table on the database), so
  that the workers together allow the configured number, not that number each."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from kakehashi.testing.factories import UserFactory

from .production_server import FAILURE_LIMIT, FEED_LIMIT, WORKERS, Server

PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("production_server"),
]


@pytest.fixture
def server(running_server: Server) -> Server:
    return running_server


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
