"""Test settings: fast hashing, tasks run immediately. DATABASE_URL selects PostgreSQL."""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env, sqlite_database

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if not env.str("DATABASE_URL", default=""):
    # A file database (not :memory:) so that tests with several threads share it.
    DATABASES["default"] = sqlite_database(VAR_DIR / "test.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
