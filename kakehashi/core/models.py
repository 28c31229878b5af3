"""The one append-only guard: history rows (case events, job offer events, person events)
are added to, never rewritten. Saving an existing row, deleting one, and bulk updates or
deletes through the manager all raise AppendOnlyError.

One exception, narrowly named: `erase_personal_values`, with which anonymising a person
(APPI; kakehashi.privacy) replaces the personal values a history row copied, such as the
before and after of a changed name (docs/adr/0025)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

# What stands in place of a personal value erased by anonymisation (kakehashi.privacy).
ERASED = "[erased]"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyModel(models.Model):
    objects: ClassVar[Any] = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")

    def erase_personal_values(self, **values: Any) -> None:
        """For anonymising a person only (privacy.services.erasure, docs/adr/0025): overwrite
        the personal values this row copied (text or JSON fields) with what the caller gives,
        the erased marker in place of each value. Who did what and when stays as it was;
        any other field is refused."""
        for name in values:
            field = self._meta.get_field(name)
            erasable = isinstance(field, (models.JSONField, models.TextField, models.CharField))
            if not erasable or getattr(field, "primary_key", False):
                raise AppendOnlyError(f"{type(self).__name__}.{name} cannot be erased.")
        rows = type(self).objects.filter(pk=self.pk)
        models.QuerySet.update(rows, **values)
        for name, value in values.items():
            setattr(self, name, value)
