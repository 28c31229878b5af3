"""`make bench` (docs/benchmark.md): the demo's settings on a database of its own —
var/bench.sqlite3, or the PostgreSQL cluster of DATABASE_URL — with the limits that would
stop one client asking thousands of times (rate limits, the second factor) off, and a
fast password hasher for the bench's users."""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env, sqlite_database

DEBUG = False
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
THROTTLE_RATES = {"anon": None, "user": None, "feed": None}
MFA_REQUIRED_KINDS = []
MFA_REQUIRED_FOR_STAFF = False
ALLOWED_HOSTS = ["*"]

if not env.str("DATABASE_URL", default=""):
    DATABASES["default"] = sqlite_database(VAR_DIR / "bench.sqlite3")
