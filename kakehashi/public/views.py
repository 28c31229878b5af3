"""The public registers (MOC §6(1)–(3), §7(5), §8): pages and JSON/CSV feeds that anyone can
read without an account. Thin: check the query parameters, call the registries' selectors,
turn each row into its public form (presenters.py), render.

Every list takes `?on=YYYY-MM-DD` and shows the register as it stood on that day (default
today); the agency register also takes `?q=` (a name; agency names are not personal data,
so the search may be in the URL) and `?state=`. A page and its feeds are built from the same
rows, in the same request, with no server-side cache: a decision shows everywhere as soon as
it is committed (browsers and caches may keep a page or feed for up to a minute, feeds.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kakehashi.audit.log import last_change
from kakehashi.core.errors import InvalidInput
from kakehashi.core.feeds import (
    cache_privately,
    conditional,
    csv_feed,
    feed_error,
    feed_paging,
    paged_json_feed,
)
from kakehashi.core.pages import address_before_id
from kakehashi.protection.selectors import employer_pays
from kakehashi.reference.contacts import contact_rows
from kakehashi.registries.selectors import (
    agency_entry,
    agency_history,
    agency_register,
    field_suspensions,
    improvement_orders,
    revocations,
    support_organizations,
)

from . import params
from .params import AsOf, BadParameter
from .presenters import (
    AGENCY_COLUMNS,
    FIELD_SUSPENSION_COLUMNS,
    IMPROVEMENT_ORDER_COLUMNS,
    REVOCATION_COLUMNS,
    STATE_LABELS,
    SUPPORT_ORGANIZATION_COLUMNS,
    Row,
    agency_row,
    field_suspension_row,
    history_row,
    improvement_order_row,
    revocation_row,
    support_organization_row,
)

PAGE_SIZE = 50
# The register Japan publishes is of agencies certified for sending workers to Japan.
DESTINATION = "JP"

View = Callable[..., HttpResponse]
Items = QuerySet[Any] | Sequence[Any]  # what a selector returns: a queryset or a list


# --- the registers: what each one lists and how a row of it looks -------------------------


@dataclass(frozen=True)
class Register:
    name: str  # the feed's file name: /public/<name>.json, /public/<name>.csv
    columns: tuple[str, ...]
    items: Callable[[HttpRequest, AsOf], Items]  # a selector's rows on the date
    row: Callable[[HttpRequest, Any], Row]
    # Where an item stands in the list's order (growing along it): the JSON feed's pages
    # continue after the last position sent (core/feeds.py).
    position: Callable[[Any], tuple[Any, ...]]


def _desc(day: Any) -> int:
    """A date for a position in a newest-first list: later dates first."""
    return -day.toordinal() if day else 0


# What the registers are made of: a write to any of these changes a feed's ETag.
SOURCES = (
    "accounts.organization",
    "registries.agencycertificationdecision",
    "registries.improvementorder",
    "registries.supportorganizationregistration",
    "registries.fieldsuspension",
    "reference.field",
)


def _agency_url(request: HttpRequest, agency_id: int) -> str:
    """The agency's public page; the address resolved once a request (a feed has a row an
    agency)."""
    base = getattr(request, "_agency_base", None)
    if base is None:
        base = request.build_absolute_uri(address_before_id("public:agency"))
        setattr(request, "_agency_base", base)  # noqa: B010
    return f"{base}{agency_id}/"


def _agencies(request: HttpRequest, as_of: AsOf) -> Items:
    return agency_register(
        as_of.on,
        destination=DESTINATION,
        search=params.search(request.GET),
        state=params.agency_state(request.GET),
    )


def _revocations(request: HttpRequest, as_of: AsOf) -> Items:
    return revocations(as_of.on).filter(destination_country=DESTINATION)


def _field_suspensions(request: HttpRequest, as_of: AsOf) -> Items:
    """(suspension, in force?) pairs: those in force on the date first, then those that had
    ended by then (the selector decides which are in force)."""
    in_force = list(field_suspensions(as_of.on))
    current = {s.pk for s in in_force}
    ended = [s for s in field_suspensions(as_of.on, include_past=True) if s.pk not in current]
    return [(s, True) for s in in_force] + [(s, False) for s in ended]


REGISTERS = {
    register.name: register
    for register in [
        Register(
            "agencies",
            AGENCY_COLUMNS,
            _agencies,
            lambda request, entry: agency_row(entry, _agency_url(request, entry.agency.pk)),
            lambda entry: (entry.agency.name_en, entry.agency.pk),
        ),
        Register(
            "revocations",
            REVOCATION_COLUMNS,
            _revocations,
            lambda request, d: revocation_row(d, _agency_url(request, d.agency_id)),
            lambda d: (_desc(d.effective_on), -d.pk),
        ),
        Register(
            "improvement-orders",
            IMPROVEMENT_ORDER_COLUMNS,
            lambda request, as_of: improvement_orders(as_of.on),
            lambda request, order: improvement_order_row(order),
            lambda order: (_desc(order.issued_on), -order.pk),
        ),
        Register(
            "support-organizations",
            SUPPORT_ORGANIZATION_COLUMNS,
            lambda request, as_of: support_organizations(as_of.on).order_by(
                "organization__name_en", "id"
            ),
            lambda request, registration: support_organization_row(registration),
            lambda registration: (registration.organization.name_en, registration.pk),
        ),
        Register(
            "field-suspensions",
            FIELD_SUSPENSION_COLUMNS,
            _field_suspensions,
            lambda request, pair: field_suspension_row(pair[0], in_force=pair[1]),
            # In force first, then ended; each newest first.
            lambda pair: (0 if pair[1] else 1, _desc(pair[0].starts_on), -pair[0].pk),
        ),
    ]
}


# --- refusing a bad parameter -----------------------------------------------------------


def _refused_page(request: HttpRequest, error: BadParameter) -> HttpResponse:
    return render(
        request,
        "public/bad_request.html",
        {"problems": error.problems, "back": request.path},
        status=422,
    )


def html_page(view: View) -> View:
    """GET/HEAD only; a bad parameter is a 422 page naming it; a good page is cacheable by
    the browser for a minute."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except BadParameter as error:
            return _refused_page(request, error)
        return cache_privately(response)

    return wrapper


def _query(request: HttpRequest, *names: str) -> str:
    """The given parameters of this request, for links that keep them (feeds, pages)."""
    return urlencode([(n, request.GET[n]) for n in names if request.GET.get(n, "").strip()])


def _context(request: HttpRequest, as_of: AsOf, register: str, **extra: Any) -> dict[str, Any]:
    names = ("on", "q", "state") if register == "agencies" else ("on",)
    query = _query(request, *names)
    feed = register.replace("-", "_")
    return {
        "as_of": as_of,
        "register": register,
        "feed_json": reverse(f"public:{feed}_json"),
        "feed_csv": reverse(f"public:{feed}_csv"),
        "feed_query": query,
        "query": query,  # kept by includes/pagination.html
        **extra,
    }


def _paged(request: HttpRequest, register: Register, as_of: AsOf) -> tuple[Any, list[Row]]:
    page = Paginator(register.items(request, as_of), PAGE_SIZE).get_page(request.GET.get("page"))
    return page, [register.row(request, item) for item in page.object_list]


# --- pages --------------------------------------------------------------------------------


@html_page
def help_page(request: HttpRequest) -> HttpResponse:
    """For candidates, before they pay anyone: how to check an agency, what the MOC forbids,
    and where to get help (the Center, the Embassy, the grievance channel)."""
    people = contact_rows(get_language() or "en")
    return render(request, "public/help.html", {"contacts": people})


@html_page
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "public/index.html")


@html_page
def agency_list(request: HttpRequest) -> HttpResponse:
    as_of = params.as_of(request.GET)
    search, state = params.search(request.GET), params.agency_state(request.GET)
    page, rows = _paged(request, REGISTERS["agencies"], as_of)
    return render(
        request,
        "public/agencies.html",
        _context(
            request,
            as_of,
            "agencies",
            page=page,
            rows=rows,
            search=search,
            state=state,
            states=list(STATE_LABELS.items()),
        ),
    )


@html_page
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    as_of = params.as_of(request.GET)
    entry = agency_entry(agency_id, as_of.on, DESTINATION)
    if entry is None:
        raise Http404(_("No such sending agency."))
    history = agency_history(agency_id, DESTINATION).filter(effective_on__lte=as_of.on)
    return render(
        request,
        "public/agency_detail.html",
        _context(
            request,
            as_of,
            "agencies",
            agency=agency_row(entry, _agency_url(request, agency_id)),
            history=[history_row(d) for d in history],
            employer_pays=employer_pays(agency_id),
        ),
    )


def _register_page(request: HttpRequest, key: str, template: str) -> HttpResponse:
    """One paged public register as of the requested date."""
    as_of = params.as_of(request.GET)
    page, rows = _paged(request, REGISTERS[key], as_of)
    return render(request, template, _context(request, as_of, key, page=page, rows=rows))


@html_page
def revocation_list(request: HttpRequest) -> HttpResponse:
    return _register_page(request, "revocations", "public/revocations.html")


@html_page
def improvement_order_list(request: HttpRequest) -> HttpResponse:
    return _register_page(request, "improvement-orders", "public/improvement_orders.html")


@html_page
def support_organization_list(request: HttpRequest) -> HttpResponse:
    return _register_page(request, "support-organizations", "public/support_organizations.html")


@html_page
def field_suspension_list(request: HttpRequest) -> HttpResponse:
    as_of = params.as_of(request.GET)
    register = REGISTERS["field-suspensions"]
    rows = [register.row(request, s) for s in register.items(request, as_of)]
    return render(
        request,
        "public/field_suspensions.html",
        _context(
            request,
            as_of,
            "field-suspensions",
            in_force=[r for r in rows if r["in_force"]],
            ended=[r for r in rows if not r["in_force"]],
        ),
    )


# --- feeds --------------------------------------------------------------------------------


@require_safe
def feed(request: HttpRequest, register: str, fmt: str) -> HttpResponseBase:
    """/public/<register>.json (a page, or ?all=true) and .csv (every row) on the date."""
    spec = REGISTERS[register]
    try:
        as_of = params.as_of(request.GET)
        # A bad page parameter is refused before any work (the CSV is never paged).
        paging = feed_paging(request.GET) if fmt == "json" else None
    except BadParameter as error:
        return feed_error(error.problems, _("A query parameter is not valid."))
    except InvalidInput as error:
        return feed_error(list(error.problems), _("A query parameter is not valid."))

    def build() -> HttpResponseBase:
        try:
            items = spec.items(request, as_of)
        except BadParameter as error:
            return feed_error(error.problems, _("A query parameter is not valid."))
        # Read in chunks and sent as read (core/feeds.py): memory stays flat however long.
        source = items.iterator(chunk_size=1000) if isinstance(items, QuerySet) else items
        if paging is not None:
            return paged_json_feed(
                request,
                paging,
                source,
                spec.position,
                lambda item: spec.row(request, item),
                spec.columns,
                as_of=as_of.on.isoformat(),
            )
        rows = (spec.row(request, item) for item in source)
        return csv_feed(f"kakehashi-{spec.name}-{as_of.on.isoformat()}.csv", spec.columns, rows)

    return conditional(request, last_change(SOURCES), build)
