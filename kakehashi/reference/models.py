"""Reference data: the specified industrial fields (特定産業分野) and their business
categories (業務区分), with the dates they are open. Loaded from reference/data/*.yaml."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _localized(obj: object, language: str | None) -> str:
    """The name in the reader's language (ja, en, ru, ky), English where one is missing."""
    code = (language or "en")[:2]
    return str(getattr(obj, f"name_{code}", "") or getattr(obj, "name_en", ""))


class Field(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name_ja = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    name_ru = models.CharField(max_length=150, blank=True)
    name_ky = models.CharField(max_length=150, blank=True)
    # SSW(i) acceptance is open from/until these dates (a new field opens later; §6).
    ssw1_open_from = models.DateField(null=True, blank=True)
    ssw1_open_until = models.DateField(null=True, blank=True)
    ssw2_available = models.BooleanField(default=False)
    source = models.CharField(max_length=300)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _localized(self, get_language())

    def is_open_on(self, day: datetime.date) -> bool:
        if self.ssw1_open_from is None or day < self.ssw1_open_from:
            return False
        return self.ssw1_open_until is None or day <= self.ssw1_open_until


class BusinessCategory(models.Model):
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="categories")
    code = models.SlugField(max_length=60, unique=True)
    name_ja = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)
    name_ru = models.CharField(max_length=200, blank=True)
    name_ky = models.CharField(max_length=200, blank=True)
    effective_from = models.DateField(null=True, blank=True)
    effective_until = models.DateField(null=True, blank=True)
    skill_test_name = models.CharField(_("skill test"), max_length=200, blank=True)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["field__sort_order", "code"]
        verbose_name_plural = "business categories"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _localized(self, get_language())
