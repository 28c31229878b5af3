"""Test settings: fast hashing, tasks run immediately. DATABASE_URL selects PostgreSQL."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env, sqlite_database

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if not env.str("DATABASE_URL", default=""):
    # A file database (not :memory:) so that tests with several threads share it; one per
    # process, so that two test runs on one machine do not collide (removed at the end).
    _test_db = VAR_DIR / f"test-{os.getpid()}.sqlite3"
    DATABASES["default"] = sqlite_database(_test_db)
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db)}

WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]  # nothing collected for the tests

# Attachments written by the tests go to a folder of this process, removed with the database.
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / f"test-private-{os.getpid()}", "base_url": None},
    },
}

# The suite makes many requests from one address: the rate limits are off, except in the
# tests that turn them on (core/tests/test_throttling.py).
THROTTLE_RATES = {"anon": None, "user": None, "feed": None}

# The suite signs many users in without a phone: the second factor is required only in
# the tests that turn it on (accounts/tests/test_mfa.py and its browser test).
MFA_REQUIRED_KINDS = []
MFA_REQUIRED_FOR_STAFF = False

# Signed heads of the audit log that a test exports (the daily tasks run by the worker
# test) go to a folder of this process, removed at the end (conftest.py); tests that
# verify the log point AUDIT_HEAD_DIR at their own folder.
AUDIT_HEAD_DIR = VAR_DIR / f"test-audit-heads-{os.getpid()}"
