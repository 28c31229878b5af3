"""Words for the registries: certification states, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

CERTIFICATION_STATES: dict[str, Any] = {
    "none": gettext_lazy("never certified"),
    "certified": gettext_lazy("certified"),
    "suspended": gettext_lazy("suspended"),
    "revoked": gettext_lazy("revoked"),
    "expired": gettext_lazy("expired"),
    "applied": gettext_lazy("applied"),
    "refused": gettext_lazy("refused"),
}
