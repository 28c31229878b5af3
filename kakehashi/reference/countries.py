"""Countries, picked from the ISO 3166-1 list (iso_3166) with names in the reader's language
(django-countries), never typed: an unknown code such as ZZ is refused, and a name typed
where a code is expected is refused rather than cut to two letters."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django_countries import countries

from kakehashi.core.errors import Problem

SOURCE = "iso_3166"


def is_country(code: str) -> bool:
    return len(code) == 2 and bool(countries.alpha2(code))


def country_name(code: str) -> str:
    """The country's name in the active language (the code itself if unknown)."""
    return str(countries.name(code)) or code if code else ""


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name in the active language."""
    return [(str(code), str(name)) for code, name in countries]


def country_choices_grouped(first: Iterable[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every country in two groups for a select: the countries in `first` (the MOC partner
    countries, which are nearly always the answer), then all the others."""
    firsts = set(first)
    every = country_choices()
    return [
        (_("Partner countries"), [(c, n) for c, n in every if c in firsts]),
        (_("Other countries"), [(c, n) for c, n in every if c not in firsts]),
    ]


def alpha2_from_alpha3(code: str) -> str:
    """'KGZ' -> 'KG' (the MRZ writes nationalities in three letters); '' if unknown."""
    return str(countries.alpha2(code)) if len(code) == 3 else ""


def country_problems(codes: Iterable[str], field: str) -> list[Problem]:
    """One problem for each code that is not an ISO 3166-1 alpha-2 country code."""
    from kakehashi.reference.citations import sourced

    return [
        Problem(
            "invalid_country",
            _("“%(value)s” is not a country; choose one from the list.") % {"value": code[:40]},
            field=field,
            **sourced(f"{SOURCE} alpha-2"),
        )
        for code in codes
        if not is_country(code)
    ]
