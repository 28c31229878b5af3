"""The public feeds' throughput over HTTP: Kakehashi under gunicorn (one sync worker, the
bench's settings) and, on SQLite, Datasette serving the same file (one process), each asked
for its full export of the same rows for a few seconds, one request at a time."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "var" / "bench-tools"  # Datasette's own virtualenv, made on first use
DATASETTE_VERSION = "0.65.5"


@dataclass
class Rate:
    name: str
    requests_per_s: float
    rows_per_s: float
    mb_per_s: float


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextmanager
def _server(cmd: list[str], probe: str, env: dict[str, str] | None = None) -> Iterator[None]:
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait(probe)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _measure(name: str, url: str, rows: int, seconds: float = 3.0) -> Rate:
    done, size = 0, 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or done < 3:
        with urllib.request.urlopen(url, timeout=120) as r:
            size += len(r.read())
        done += 1
    took = time.perf_counter() - start
    return Rate(name, done / took, done * rows / took, size / took / 1e6)


@contextmanager
def kakehashi_server(port: int) -> Iterator[None]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kakehashi.settings.bench"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [gunicorn, "-w", "1", "-b", f"127.0.0.1:{port}", "kakehashi.wsgi:application"]
    with _server(cmd, f"http://127.0.0.1:{port}/health/live", env):
        yield


def _datasette() -> str | None:
    exe = TOOLS / "bin" / "datasette"
    if not exe.exists():
        print(f"installing Datasette {DATASETTE_VERSION} into {TOOLS} (for comparison only)")
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        result = subprocess.run(
            [str(TOOLS / "bin" / "pip"), "install", "-q", f"datasette=={DATASETTE_VERSION}"],
            check=False,
        )
        if result.returncode != 0:
            return None
    return str(exe)


def rates(feeds: list[tuple[str, str, str, int]]) -> list[Rate]:
    """feeds: (name, Kakehashi path, Datasette path of the same rows or "", rows)."""
    out = []
    port = _free_port()
    with kakehashi_server(port):
        for name, path, _ds, rows in feeds:
            out.append(_measure(f"{name} (Kakehashi)", f"http://127.0.0.1:{port}{path}", rows))
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        exe = _datasette()
        if exe is None:
            print("Datasette could not be installed: no comparison")
            return out
        port = _free_port()
        cmd = [
            exe,
            "serve",
            str(database["NAME"]),
            "-p",
            str(port),
            "--setting",
            "num_sql_threads",
            "1",
        ]
        with _server(cmd, f"http://127.0.0.1:{port}/-/versions.json"):
            for name, _path, ds, rows in feeds:
                if ds:
                    out.append(
                        _measure(f"{name} (Datasette)", f"http://127.0.0.1:{port}{ds}", rows)
                    )
    return out
