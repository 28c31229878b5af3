"""/sources/: the documents the rules come from, so that every citation on a page resolves
to a title, an issuer, a date and a public address. Anyone may read it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from . import sources


@require_safe
def source_list(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    rows = [
        {
            "key": d.key,
            "title": d.title.get(language),
            "short_title": d.short_title.get(language),
            "issuer": d.issuer.get(language),
            "date": d.date,
            "url": d.url,
        }
        for d in sources.documents().values()
    ]
    return render(request, "reference/sources.html", {"documents": rows})
