"""Writing a row once: the daily jobs (reminders, periodic notifications) may run twice, or
at the same moment in two processes; a unique constraint says what "once" is."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction


def create_once(model: type[models.Model], defaults: dict[str, Any], **keys: Any) -> Any | None:
    """The row made now, or None if one with these keys exists already (or was written at
    the same moment by another run)."""
    try:
        with transaction.atomic():
            row, new = model._default_manager.get_or_create(defaults=defaults, **keys)
    except IntegrityError:
        return None
    return row if new else None
