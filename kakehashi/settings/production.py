"""Production: refuses to start with DEBUG on or with the local secret key."""

import base64
import binascii

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOCAL_SECRET_KEY, SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=off).")
if SECRET_KEY == LOCAL_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a private value of at least 50 characters in production."
    )
if not env.str("DATABASE_URL", default="").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL in production (postgres://…)."
    )
if env.str("DATABASE_REPLICA_URL", default="") and not env.str("DATABASE_REPLICA_URL").startswith(
    ("postgres://", "postgresql://")
):
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_URL must point at a PostgreSQL streaming replica (postgres://…)."
    )

for _name in ("FIELD_ENCRYPTION_KEYS", "IDENTIFIER_HASH_KEY"):
    if not env.str(_name, default=""):
        raise ImproperlyConfigured(
            f"{_name} must be set in production: the keys of the encrypted passport and "
            "residence-card numbers (docs/security.md, Identifiers)."
        )

# The key that signs the audit log's heads: its own, never derived from SECRET_KEY.
try:
    _audit_key = base64.b64decode(env.str("AUDIT_SIGNING_KEY", default=""), validate=True)
except binascii.Error:
    _audit_key = b""
if len(_audit_key) != 32:
    raise ImproperlyConfigured(
        "AUDIT_SIGNING_KEY must be set in production: base64 of 32 random bytes, the Ed25519 "
        "key that signs the audit log's heads (docs/security.md, Audit log)."
    )

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer probes /health/* over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The private files (case documents, MOC attachments) in an S3-compatible store when a bucket
# is named (django-storages; docs/deployment.md); else on the local disk (PRIVATE_FILES_DIR).
# The credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Files are read by
# the app and sent through views that ask the access policy: never a public URL.
if env.str("PRIVATE_FILES_S3_BUCKET", default=""):
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("PRIVATE_FILES_S3_BUCKET"),
            "endpoint_url": env.str("PRIVATE_FILES_S3_ENDPOINT", default="") or None,
            "region_name": env.str("PRIVATE_FILES_S3_REGION", default="") or None,
            "location": env.str("PRIVATE_FILES_S3_PREFIX", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
