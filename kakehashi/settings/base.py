"""Settings shared by every environment. Values that differ come from the environment.

Environment variables (all optional locally, see docs/architecture.md):
  DATABASE_URL   database, e.g. postgres://user:pass@127.0.0.1:5432/kakehashi
                 (default: SQLite file var/kakehashi.sqlite3, WAL mode)
  DATABASE_REPLICA_URL  a streaming replica of that PostgreSQL database for the reads of
                 read-only requests (docs/scale-out.md); REPLICA_PIN_SECONDS (default 5)
  SECRET_KEY     signing key (production refuses the local default)
  ALLOWED_HOSTS  comma-separated host names
  DEBUG          on/off (production refuses on)
  TIME_ZONE      default Asia/Tokyo
  PRIVATE_FILES_DIR  where attachments are stored, never served directly
                 (default: var/private)
  AUDIT_SIGNING_KEY  the audit log's Ed25519 key (required in production)
  AUDIT_HEAD_DIR     where the signed heads of the audit log go (default: var/audit-heads)
  FIELD_ENCRYPTION_KEYS, IDENTIFIER_HASH_KEY  keys of the encrypted identifiers
                 (production requires them; docs/security.md)
"""

import base64
import datetime
import hashlib
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

LOCAL_SECRET_KEY = "local-only-insecure-secret-key-change-me"
SECRET_KEY = env.str("SECRET_KEY", default=LOCAL_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "ninja",  # its Swagger UI from our own static files (no CDN, no inline script)
    "kakehashi.core",
    # The audit log; its `flush` command replaces Django's (it lifts the log's
    # append-only triggers while it empties the database).
    "kakehashi.audit",
    "kakehashi.accounts",
    "kakehashi.reference",
    "kakehashi.people",
    "kakehashi.procedures",
    "kakehashi.registries",
    "kakehashi.protection",
    "kakehashi.support",
    "kakehashi.cases",
    "kakehashi.joboffers",
    "kakehashi.demo",
    "kakehashi.public",
    "kakehashi.home",
    "kakehashi.portal",
    "kakehashi.hub",
    "kakehashi.privacy",
    "kakehashi.reminders",
    "kakehashi.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Static files are served by the application itself (compressed and cache-busted in
    # production), so the demo and production serve them the same way.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who acts, from where, for the audit log's rows (user, address, method and path).
    "kakehashi.audit.middleware.AuditContextMiddleware",
    # The second factor: django-otp reads the verified device from the session; ours sends
    # a user who must enter a code (or set one up) to that page first.
    "django_otp.middleware.OTPMiddleware",
    "kakehashi.access.mfa.MfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kakehashi.core.boundary.InputBoundaryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kakehashi.core.throttling.FeedThrottleMiddleware",
    "kakehashi.core.middleware.NoStoreForSignedInMiddleware",
    "kakehashi.accounts.sessions.SeenMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Headers: a Content-Security-Policy with no inline script or style and nothing from other
# origins (django-csp), a Referrer-Policy, and a Permissions-Policy that turns off the
# browser features no page uses (django-permissions-policy).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Rate limits (core/throttling.py): requests per caller on the API (anonymous by address,
# signed in by user) and per address on the public JSON and CSV feeds; None turns one off.
THROTTLE_RATES: dict[str, str | None] = {
    "anon": env.str("THROTTLE_ANON", default="120/min"),
    "user": env.str("THROTTLE_USER", default="1200/min"),
    "feed": env.str("THROTTLE_FEED", default="120/min"),
}

# Sign-in protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account,
# or from one address, further attempts are refused (429, the lockout page) for the
# cool-off time, even with the right password. A successful sign-in resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False

ROOT_URLCONF = "kakehashi.urls"
WSGI_APPLICATION = "kakehashi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kakehashi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kakehashi.access.requests.organizations",
            ],
        },
    },
]


def sqlite_database(path: Path) -> dict[str, object]:
    """SQLite with WAL and IMMEDIATE transactions, so writers queue instead of failing."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
    # Persistent connections (a new one cost 12–19 ms a request), checked before reuse.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode (docs/scale-out.md): no server-side cursors.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DISABLE_SERVER_SIDE_CURSORS", default=False
    )
else:
    DATABASES = {"default": sqlite_database(VAR_DIR / "kakehashi.sqlite3")}

# A streaming replica of the PostgreSQL primary, if any (docs/scale-out.md, ADR 0030): the
# reads of read-only requests go there (core/db_router.py), everything else to the primary;
# a browser that wrote reads the primary for REPLICA_PIN_SECONDS. Unset: one database.
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=5)
DATABASE_ROUTERS: list[str] = []
if env.str("DATABASE_URL", default="") and env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "REPLICA_DISABLE_SERVER_SIDE_CURSORS", default=False
    )
    # In the tests the replica receives the test database by replication: no database is
    # created on it, and its connection is pointed at the test database's name (Django's
    # test mirror changes only the NAME: host and port stay the replica's).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["kakehashi.core.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(0, "kakehashi.core.middleware.ReplicaRoutingMiddleware")

# One cache for every process (rate limits, core/throttling.py): with a database server,
# a table in it (`manage.py createcachetable`, run by `make serve`; ADR 0030); on the local
# SQLite demo, one process's memory.
if env.str("DATABASE_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kakehashi_cache",
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"


# Passport and residence-card numbers are encrypted at rest (core/crypto.py): Fernet keys,
# newest first, comma-separated (`python -c "from cryptography.fernet import Fernet;
# print(Fernet.generate_key().decode())"`); a keyed hash (HMAC-SHA256 with
# IDENTIFIER_HASH_KEY) finds them. Locally and in the tests both are derived from SECRET_KEY;
# production refuses to start without its own (settings/production.py).
def _derived(purpose: str) -> str:
    raw = hashlib.sha256(f"{purpose}:{SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(raw).decode()


FIELD_ENCRYPTION_KEYS: list[str] = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or [
    _derived("field-encryption")
]
IDENTIFIER_HASH_KEY: str = env.str("IDENTIFIER_HASH_KEY", default="") or _derived("identifier-hash")

LOGIN_URL = "/accounts/login/"
# A second factor (TOTP app, recovery codes) is required of these organizations' staff
# (issue 12: the contact points, the Center, immigration, the city) and of /admin/ users;
# optional for everyone else. access.policy.must_use_mfa reads them.
MFA_REQUIRED_KINDS: list[str] = env.list(
    "MFA_REQUIRED_KINDS",
    default=[
        "jp_contact_point",
        "sending_contact_point",
        "immigration_bureau",
        "municipality",
    ],
)
MFA_REQUIRED_FOR_STAFF = True
OTP_TOTP_ISSUER = "Kakehashi"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Japanese is the working language of the Japanese side; English is shared with the
# Kyrgyz side. Russian and Kyrgyz are the next catalogues (locale/README.md).
LANGUAGE_CODE = "ja"
LANGUAGES = [
    ("ja", _("Japanese")),
    ("en", _("English")),
    ("ru", _("Russian")),
    ("ky", _("Kyrgyz")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Country names come from django-countries in the reader's language; a partner country is
# named as its government and Japan's ministries name it (キルギス, not キルギスタン).
COUNTRIES_OVERRIDE = {"KG": _("Kyrgyz Republic")}
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Tokyo")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "kakehashi" / "static"]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Reminders are e-mailed too: to the console unless EMAIL_BACKEND (and EMAIL_HOST…) say
# otherwise (docs/deployment.md).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kakehashi@localhost")
# Tasks the worker runs once a day, each queuing its next run (core/schedule.py).
DAILY_TASKS = [
    "kakehashi.registries.tasks.record_certification_expiries",
    "kakehashi.reminders.tasks.send_reminders",
    "kakehashi.audit.tasks.export_audit_head",
    "kakehashi.privacy.tasks.anonymise_expired_persons",
]
# Personal data is anonymised this many years after the person's last case ended (or,
# without a case, after their record was last used), and never while a case is open or the
# employer must keep the records (appi 第22条; docs/privacy.md). The daily task above does it.
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=5)

# The audit log (docs/security.md, "Audit log"): its head is signed once a day into a new
# file in AUDIT_HEAD_DIR (copy them off the machine). AUDIT_SIGNING_KEY is the Ed25519
# private key, base64 of its 32 raw bytes; unset (the demo, the tests), a key is derived
# from SECRET_KEY with HKDF, which is not good enough for production: production refuses
# to start without its own (settings/production.py). After changing the key, put the old
# public key (manage.py audit_public_key) in AUDIT_PREVIOUS_PUBLIC_KEYS (comma-separated)
# so that the heads it signed still verify.
AUDIT_HEAD_DIR = Path(env.str("AUDIT_HEAD_DIR", default=str(VAR_DIR / "audit-heads")))
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default="")
AUDIT_PREVIOUS_PUBLIC_KEYS: list[str] = env.list("AUDIT_PREVIOUS_PUBLIC_KEYS", default=[])

# Procedure definitions (one YAML file per partner country and version).
PROCEDURE_DEFINITIONS_DIR = BASE_DIR / "kakehashi" / "procedures" / "definitions"

# The largest request body accepted: 1 MiB (larger gets 413, core/boundary.py), except on
# the upload paths, which take one attachment of at most ATTACHMENT_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# How long an API token lasts unless its owner asks for less (at most a year).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)

# Files sent with MOC items are personal and confidential: a storage of their own, outside
# every public folder, read only through views that ask the access policy.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path("PRIVATE_FILES_DIR", default=VAR_DIR / "private"),
            "base_url": None,
        },
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
CSRF_COOKIE_HTTPONLY = True  # pages send the token in a header (hx-headers), not from the cookie
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports each step of every PDF at INFO: only its warnings are of use.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
