"""Production settings refuse to start unsafe: DEBUG on, the local secret key, a short
secret key, or no DATABASE_URL. Each case runs in a fresh interpreter with a clean
environment, so that the module-level checks run again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 20 + "-production-secret-" + "x" * 20  # 59 characters
DB_URL = "postgres://kakehashi:secret@127.0.0.1:5432/kakehashi"
# The keys of the encrypted identifiers, which production requires (given to every run
# below unless a test overrides them).
KEYS = {
    "FIELD_ENCRYPTION_KEYS": "q9k3wJ8vV3yZ0L6q2cN0m1s7Xh4bT5rP8eK2aY6uW1o=",
    "IDENTIFIER_HASH_KEY": "a-private-hash-key-of-the-deployment-0123456789",
}
# The audit log's signing key, which production requires (given to every run below).
AUDIT_KEY = {"AUDIT_SIGNING_KEY": "Jx7LwX1n0m3bB0o2Qq5Vv8Yy1Zz4Aa7Dd0Gg3Jj6Mm8="}
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, len(settings.SECRET_KEY), settings.DATABASES['default']['ENGINE'], "
    "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
)


def run_production(argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """`argv` run by this Python in a fresh interpreter with production settings and only
    the given environment."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "kakehashi.settings.production",
        **KEYS,
        **AUDIT_KEY,
        **env,
    }
    return subprocess.run(
        [sys.executable, *argv],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def start(**env: str) -> subprocess.CompletedProcess[str]:
    return run_production(["-c", PROBE], **env)


def assert_refused(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr, result.stderr
    assert says in result.stderr, result.stderr


def test_production_starts_with_a_long_secret_debug_off_and_a_database():
    result = start(SECRET_KEY=GOOD_KEY, DATABASE_URL=DB_URL)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        str(len(GOOD_KEY)),
        "django.db.backends.postgresql",
        "True",
        "True",
    ]


def test_production_accepts_debug_explicitly_off():
    result = start(SECRET_KEY=GOOD_KEY, DATABASE_URL=DB_URL, DEBUG="off")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("debug", ["1", "on", "true", "yes"])
def test_production_refuses_debug_on(debug):
    result = start(SECRET_KEY=GOOD_KEY, DATABASE_URL=DB_URL, DEBUG=debug)

    assert_refused(result, "DEBUG must be off")


def test_production_refuses_the_default_secret_key():
    result = start(DATABASE_URL=DB_URL)

    assert_refused(result, "SECRET_KEY")


def test_production_refuses_the_local_secret_key_set_explicitly():
    result = start(SECRET_KEY="local-only-insecure-secret-key-change-me", DATABASE_URL=DB_URL)

    assert_refused(result, "SECRET_KEY")


def test_production_refuses_a_secret_key_under_50_characters():
    result = start(SECRET_KEY="s" * 49, DATABASE_URL=DB_URL)

    assert_refused(result, "SECRET_KEY")


def test_production_refuses_to_start_without_a_database_url():
    result = start(SECRET_KEY=GOOD_KEY)

    assert_refused(result, "DATABASE_URL")


def test_production_accepts_a_secret_key_of_exactly_50_characters():
    result = start(SECRET_KEY="s" * 50, DATABASE_URL=DB_URL)

    assert result.returncode == 0, result.stderr


def test_production_keeps_private_files_in_an_s3_compatible_store_when_a_bucket_is_named():
    probe = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['private']; print(type(s).__name__, s.bucket_name, s.location, "
        "s.default_acl, s.endpoint_url)"
    )
    result = run_production(
        ["-c", probe],
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL=DB_URL,
        PRIVATE_FILES_S3_BUCKET="kakehashi-private",
        PRIVATE_FILES_S3_ENDPOINT="https://s3.example.jp",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "kakehashi-private",
        "private",
        "private",
        "https://s3.example.jp",
    ]


@pytest.mark.parametrize("name", sorted(KEYS))
def test_production_refuses_to_start_without_the_identifier_keys(name):
    result = start(SECRET_KEY=GOOD_KEY, DATABASE_URL=DB_URL, **{name: ""})
    assert_refused(result, f"{name} must be set in production")


@pytest.mark.parametrize("key", ["", "bm90IDMyIGJ5dGVz", "not base64!"])
def test_production_refuses_to_start_without_an_audit_signing_key_of_32_bytes(key):
    result = start(SECRET_KEY=GOOD_KEY, DATABASE_URL=DB_URL, AUDIT_SIGNING_KEY=key)
    assert_refused(result, "AUDIT_SIGNING_KEY must be set in production")


def test_check_deploy_gives_no_warning_with_the_documented_production_environment():
    """docs/deployment.md's environment: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and the
    identifier keys."""
    result = run_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL=DB_URL,
        ALLOWED_HOSTS="kakehashi.example.jp",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
