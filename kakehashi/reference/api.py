"""Fields and business categories (reference data)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from .models import Field

router = Router(tags=["reference"])


class CategoryOut(Schema):
    code: str
    name_ja: str
    name_en: str
    skill_test_name: str


class FieldOut(Schema):
    code: str
    name_ja: str
    name_en: str
    ssw1_open_from: datetime.date | None
    ssw1_open_until: datetime.date | None
    ssw2_available: bool
    source: str
    categories: list[CategoryOut]


@router.get("", response=list[FieldOut])
def list_fields(request: HttpRequest) -> list[Field]:
    return list(Field.objects.prefetch_related("categories"))
