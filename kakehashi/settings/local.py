"""Local use and the demo: SQLite by default, DEBUG off unless asked for, so that the demo
shows Kakehashi's own error pages; static files come straight from the source folders."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
# No collectstatic needed locally: WhiteNoise finds the files where they are.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]  # nothing collected locally
WHITENOISE_AUTOREFRESH = True
