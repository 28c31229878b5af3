"""{% load country_names %} … {{ code|country_name }}: a country's name in the reader's language
instead of its ISO code."""

from __future__ import annotations

from django import template

from kakehashi.reference.countries import country_name as _country_name

register = template.Library()


@register.filter
def country_name(code: object) -> str:
    return _country_name(str(code or ""))
