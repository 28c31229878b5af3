"""Production: refuses to start with DEBUG on or with the local secret key."""

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

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
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
