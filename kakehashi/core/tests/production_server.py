"""The production server for the tests that need one (test_serve, test_processes): `make
serve` on the suite's PostgreSQL database, started once per test process (conftest.py's
`production_server`; the tests are grouped on one process, Makefile's --dist loadgroup),
since starting it (checks, migrations, static files) takes most of their time."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

from kakehashi.core.tests.test_settings import AUDIT_KEY, GOOD_KEY, KEYS

BASE_DIR = Path(__file__).resolve().parents[3]
WORKERS = 4
FAILURE_LIMIT = 5
FEED_LIMIT = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def get(url: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


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


@contextmanager
def production_server(tmp_path: Path) -> Iterator[Server]:
    """`make serve` on the suite's database with WORKERS workers, until the block ends."""
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
                ready = get(f"{server.base}/health/ready")
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
