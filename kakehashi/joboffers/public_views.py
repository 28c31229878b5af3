"""The public job board at /jobs/: what the Center publishes (isa_kg_flow 2(1)), readable
without signing in, in Japanese and English, with the same list as JSON and CSV at stable
URLs. Only published offers that have not closed, and only their public fields: never who
wrote or reviewed an offer, and never a candidate who contacted the organization."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kakehashi.audit.log import last_change
from kakehashi.core.errors import DomainError
from kakehashi.core.feeds import conditional, csv_feed, feed_error, feed_paging, paged_json_feed
from kakehashi.core.pages import address_before_id

from .forms import BoardFilterForm
from .presenters import (
    CSV_COLUMNS,
    FEED_VALUES,
    offer_facts,
    public_offer_data,
    public_offer_row,
)
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


# What the board is made of: a write to any of these changes the feeds' ETag.
SOURCES = (
    "joboffers.joboffer",
    "accounts.organization",
    "reference.field",
    "reference.businesscategory",
    "registries.fieldsuspension",
)


def _export(
    request: HttpRequest, after: tuple[Any, ...] | None = None
) -> tuple[BoardFilters, Iterator[dict[str, Any]]]:
    """The filters (checked now: a bad one is a 4xx before anything is sent) and the
    matching offers' rows, newest first, read in chunks as the feed is sent; after the
    position `after` (core/feeds.py) when a page is asked for."""
    filters = _filters_from(request.GET)
    rows = published_offers(filters).prefetch_related(None).values(*FEED_VALUES)
    if after and isinstance(after[0], int):
        rows = rows.filter(id__lt=-after[0])  # positions are (-id,): newest first
    # Each offer's page address: the pattern resolved once, the id put in per row.
    base = request.build_absolute_uri(address_before_id("jobs:offer"))
    return filters, (
        public_offer_data(row, f"{base}{row['id']}/") for row in rows.iterator(chunk_size=2000)
    )


@require_GET
def board_json(request: HttpRequest) -> HttpResponseBase:
    """/jobs/offers.json?field=&location=&japanese_level= — the matching offers a page at a
    time (?all=true: all of them), in the public-feed format (core/feeds.py)."""
    try:
        paging = feed_paging(request.GET)
        filters, offers = _export(request, paging.after)
    except DomainError as error:
        return feed_error(error.problems, error.message, error.status)
    return conditional(
        request,
        last_change(SOURCES),
        lambda: paged_json_feed(
            request,
            paging,
            offers,
            lambda item: (-item["id"],),
            lambda item: item,
            filters=filters.as_query(),
        ),
    )


@require_GET
def board_csv(request: HttpRequest) -> HttpResponseBase:
    """/jobs/offers.csv — the same rows as the JSON, all of them, one offer a line."""
    try:
        _filters, offers = _export(request)
    except DomainError as error:
        return feed_error(error.problems, error.message, error.status)
    return conditional(
        request,
        last_change(SOURCES),
        lambda: csv_feed("job-offers.csv", CSV_COLUMNS, (public_offer_row(o) for o in offers)),
    )
