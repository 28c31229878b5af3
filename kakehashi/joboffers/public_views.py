"""The public job board at /jobs/: what the Center publishes (seed 002 2(1)), readable
without signing in, in Japanese and English, with the same list as JSON and CSV at stable
URLs. Only published offers that have not closed, and only their public fields: never who
wrote or reviewed an offer, and never a candidate who contacted the organization."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from kakehashi.core.errors import DomainError

from .forms import BoardFilterForm
from .models import JobOffer
from .presenters import CSV_COLUMNS, offer_facts, public_offer_data, public_offer_row
from .selectors import BoardFilters, board_filters, published_offer_get, published_offers

PAGE_SIZE = 20


def _filters_from(params: Any) -> BoardFilters:
    return board_filters(
        field=params.get("field"),
        location=params.get("location"),
        japanese_level=params.get("japanese_level"),
    )


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    filters, page, query = None, None, ""
    if not form.is_bound or form.is_valid():
        filters = _filters_from(form.cleaned_data if form.is_bound else {})
        page = Paginator(published_offers(filters), PAGE_SIZE).get_page(request.GET.get("page"))
        query = urlencode(filters.as_query())
    context = {
        "nav": "jobs",
        "form": form,
        "page": page,
        "rows": [{"offer": o, "facts": offer_facts(o)} for o in page] if page is not None else [],
        "query": query,
        "filter_query": filters.as_query() if filters else {},
    }
    return render(request, "joboffers/board.html", context, status=200 if page is not None else 422)


@require_GET
def offer_page(request: HttpRequest, offer_id: int) -> HttpResponse:
    try:
        offer = published_offer_get(offer_id)
    except DomainError as error:
        raise Http404(error.message) from error
    return render(
        request,
        "joboffers/public_offer.html",
        {"nav": "jobs", "offer": offer, "facts": offer_facts(offer)},
    )


def _export(request: HttpRequest) -> tuple[BoardFilters, list[dict[str, Any]]]:
    filters = _filters_from(request.GET)

    def url(offer: JobOffer) -> str:
        return request.build_absolute_uri(reverse("jobs:offer", args=[offer.pk]))

    return filters, [public_offer_data(o, url(o)) for o in published_offers(filters)]


@require_GET
def board_json(request: HttpRequest) -> HttpResponse:
    """/jobs/offers.json?field=&location=&japanese_level= — every matching offer."""
    try:
        filters, offers = _export(request)
    except DomainError as error:
        return JsonResponse(error.as_dict(), status=error.status)
    body = {
        "generated_at": timezone.now().isoformat(),
        "filters": filters.as_query(),
        "count": len(offers),
        "offers": offers,
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_GET
def board_csv(request: HttpRequest) -> HttpResponse:
    """/jobs/offers.csv — the same rows as the JSON, one offer a line, UTF-8 with a byte
    order mark so that spreadsheet programs read the Japanese text correctly."""
    try:
        _filters, offers = _export(request)
    except DomainError as error:
        return JsonResponse(error.as_dict(), status=error.status)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="job-offers.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for data in offers:
        writer.writerow(public_offer_row(data))
    return response
