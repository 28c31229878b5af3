"""The hub's pages: the city's dashboard (its home page), employers' needs and matching,
partner institutions and their pools, cooperation confirmations, exchange records,
programmes and statistics (with charts, tables and CSV)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import ChoiceField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import request_actor
from kakehashi.access.policy import (
    case_opening_organizations,
    hub_municipality,
    partner_institution,
)
from kakehashi.access.visibility import case_visibility
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.cases.models import Case
from kakehashi.core.errors import DomainError
from kakehashi.core.feeds import csv_feed
from kakehashi.core.pages import form_refusal, page_refusal
from kakehashi.people.models import Person
from kakehashi.procedures import registry
from kakehashi.procedures.labels import roles_text
from kakehashi.reference.models import BusinessCategory, Field

from . import selectors, services
from .charts import bar_chart
from .forms import ConfirmationForm, NeedForm, PoolForm
from .models import (
    Agreement,
    BusinessLink,
    CooperationConfirmation,
    CourtesyVisit,
    Delegation,
    LinkKind,
    LinkStage,
    ProgrammeTemplate,
    ProgrammeYear,
)
from .statistics import (
    SMALL_COUNT,
    Table,
    agency_table,
    case_tables,
    exchange_tables,
    resident_tables,
    suppressed,
)


def _field_choices(form: Any) -> None:
    cast(ChoiceField, form.fields["field"]).choices = [
        (f.code, f.display_name) for f in Field.objects.all()
    ]
    cast(ChoiceField, form.fields["business_category"]).choices = [("", "—")] + [
        (c.code, f"{c.field.display_name} — {c.display_name}")
        for c in BusinessCategory.objects.select_related("field")
    ]


# --- the city's dashboard ---------------------------------------------------------------------


def dashboard_context(request: HttpRequest, city: Organization) -> dict[str, Any]:
    """The city's home: the dashboard's figures, in the reader's language."""
    actor = request_actor(request)
    board = selectors.dashboard(actor, city)
    language = get_language() or "en"
    waiting = [
        {
            "case": w["case"],
            "step_title": w["step"].title.get(language) if w["step"] else "",
            "who": roles_text(w["roles"]),
        }
        for w in board.waiting_on
    ]
    deadlines = [
        {
            "case": d["case"],
            "due_on": d["due_on"],
            "title": d["deadline"].title.get(language) if d["deadline"] else "",
        }
        for d in board.deadlines
    ]
    return {
        "board": board,
        "waiting": waiting,
        "deadlines": deadlines,
        "programme": _programme_rows(board.programme) if board.programme else None,
    }


# --- needs and matching ---------------------------------------------------------------------


@login_required
def needs_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = None
    if case_opening_organizations(actor):
        form = NeedForm(request.POST or None)
        _field_choices(form)
    status, refusal = 200, None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                need = services.need_record(actor=actor, data=dict(form.cleaned_data))
            except DomainError as exc:
                refusal, status = form_refusal(form, exc), exc.status
            else:
                messages.success(request, _("The need was recorded."))
                return redirect("hub:need", need_id=need.pk)
        else:
            status = 422
    return render(
        request,
        "hub/needs.html",
        {
            "nav": "hub",
            "needs": selectors.needs_visible_to(actor),
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


CRITERIA = {
    "category": lambda: _("Business category"),
    "skill_test": lambda: _("Skill test passed"),
    "japanese": lambda: _("Japanese level"),
    "availability": lambda: _("Available by the date needed"),
}


def _need_page(
    request: HttpRequest, need_id: int, refusal: Any = None, status: int = 200
) -> HttpResponse:
    actor = request_actor(request)
    try:
        need = selectors.need_get(actor, need_id)
    except DomainError as exc:
        page_refusal(exc)
        raise
    opened = {a.candidate_id: a.case_id for a in need.matches.all()}
    presented = {a.candidate_id for a in need.matches.all()}
    matches = [
        {
            "match": m,
            "criteria": [(CRITERIA[c.key](), c.met, c.detail) for c in m.criteria],
            "case_id": opened.get(m.candidate.pk),
            "presented": m.candidate.pk in presented,
        }
        for m in selectors.matches_for(actor, need)
    ]
    return render(
        request,
        "hub/need.html",
        {
            "nav": "hub",
            "need": need,
            "matches": matches,
            "may_open": actor.acts_for(need.receiving_organization_id) is not None,
            "may_present": (city := hub_municipality(actor)) is not None
            and need.receiving_organization.municipality_id == city.pk,
            "refusal": refusal,
        },
        status=status,
    )


@login_required
def need_view(request: HttpRequest, need_id: int) -> HttpResponse:
    return _need_page(request, need_id)


@login_required
@require_POST
def match_present_view(request: HttpRequest, need_id: int, candidate_id: int) -> HttpResponse:
    try:
        services.match_present(
            actor=request_actor(request), need_id=need_id, candidate_id=candidate_id
        )
    except DomainError as exc:
        return _need_page(request, need_id, page_refusal(exc), exc.status)
    messages.success(request, _("The candidate was presented to the employer."))
    return redirect("hub:need", need_id=need_id)


@login_required
@require_POST
def match_open_view(request: HttpRequest, need_id: int, candidate_id: int) -> HttpResponse:
    try:
        action = services.match_open_case(
            actor=request_actor(request), need_id=need_id, candidate_id=candidate_id
        )
    except DomainError as exc:
        return _need_page(request, need_id, page_refusal(exc), exc.status)
    messages.success(request, _("The candidate was presented and the case opened."))
    assert action.case_id is not None
    return redirect("cases:detail", case_id=action.case_id)


# --- partner institutions and their pools ---------------------------------------------------


@login_required
def partners_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    institution = partner_institution(actor)
    form = None
    status, refusal = 200, None
    if institution is not None:
        form = PoolForm(request.POST or None)
        _field_choices(form)
        cast(ChoiceField, form.fields["person_id"]).choices = [
            (p.pk, p.full_name) for p in Person.objects.filter(created_by_organization=institution)
        ]
        if request.method == "POST":
            if form.is_valid():
                data = dict(form.cleaned_data)
                try:
                    services.pool_candidate_add(
                        actor=actor, person_id=data.pop("person_id"), data=data
                    )
                except DomainError as exc:
                    refusal, status = form_refusal(form, exc), exc.status
                else:
                    messages.success(request, _("The candidate is in the pool."))
                    return redirect("hub:partners")
            else:
                status = 422
    elif request.method == "POST":
        raise Http404
    partners = (
        Organization.objects.filter(kind=OrganizationKind.PARTNER_INSTITUTION)
        .select_related("partner_profile")
        .prefetch_related("partner_profile__fields", "agreements")
    )
    return render(
        request,
        "hub/partners.html",
        {
            "nav": "hub",
            "partners": partners,
            "pool": selectors.pool_visible_to(actor),
            "institution": institution,
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


@login_required
@require_POST
def consent_view(request: HttpRequest, candidate_id: int) -> HttpResponse:
    try:
        services.candidate_consent_record(
            actor=request_actor(request),
            candidate_id=candidate_id,
            reference=request.POST.get("consent_reference", ""),
        )
    except DomainError as exc:
        page_refusal(exc)
        messages.error(request, exc.message)
        return redirect("hub:partners")
    messages.success(
        request, _("The consent was recorded: employers and the city can now see the candidate.")
    )
    return redirect("hub:partners")


# --- cooperation confirmations ----------------------------------------------------------------


@login_required
def confirmations_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    city = hub_municipality(actor)
    if city is None:
        raise Http404
    form = ConfirmationForm(request.POST or None)
    cast(ChoiceField, form.fields["receiving_organization_id"]).choices = [
        (o.pk, o.display_name)
        for o in Organization.objects.filter(kind=OrganizationKind.RECEIVING_ORGANIZATION).order_by(
            "name_en"
        )
    ]
    status, refusal = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.confirmation_record(actor=actor, data=dict(form.cleaned_data))
            except DomainError as exc:
                refusal, status = form_refusal(form, exc), exc.status
            else:
                messages.success(request, _("The cooperation confirmation was recorded."))
                return redirect("hub:confirmations")
        else:
            status = 422
    return render(
        request,
        "hub/confirmations.html",
        {
            "nav": "hub",
            "confirmations": CooperationConfirmation.objects.filter(
                municipality=city
            ).select_related("receiving_organization"),
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


# --- exchange records and programmes -----------------------------------------------------------


def _posted(request: HttpRequest) -> dict[str, Any]:
    """The posted fields, with whole numbers as numbers (the service checks everything)."""
    data: dict[str, Any] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    for name in (
        "participants_count",
        "delegation_id",
        "programme_id",
        "partner_id",
        "template_id",
        "cycle_start_year",
    ):
        if name in data:
            try:
                data[name] = int(data[name])
            except ValueError:
                data[name] = None
    return data


@login_required
@require_POST
def exchange_record_view(request: HttpRequest, kind: str) -> HttpResponse:
    actor = request_actor(request)
    try:
        services.exchange_record(actor=actor, kind=kind, data=_posted(request))
    except DomainError as exc:
        if kind == "trainee":
            return _programmes_page(request, page_refusal(exc), exc.status)
        return _exchange_page(request, page_refusal(exc), exc.status)
    messages.success(request, _("Recorded."))
    return redirect("hub:programmes" if kind == "trainee" else "hub:exchange")


@login_required
@require_POST
def programme_open_view(request: HttpRequest) -> HttpResponse:
    data = _posted(request)
    try:
        services.programme_year_open(
            actor=request_actor(request),
            template_id=data.get("template_id") or 0,
            cycle_start_year=data.get("cycle_start_year") or 0,
            training_field=data.get("training_field", ""),
        )
    except DomainError as exc:
        return _programmes_page(request, page_refusal(exc), exc.status)
    messages.success(request, _("Recorded."))
    return redirect("hub:programmes")


@login_required
def exchange_view(request: HttpRequest) -> HttpResponse:
    return _exchange_page(request)


def _exchange_page(request: HttpRequest, refusal: Any = None, status: int = 200) -> HttpResponse:
    city = hub_municipality(request_actor(request))
    if city is None:
        raise Http404
    return render(
        request,
        "hub/exchange.html",
        {
            "nav": "hub",
            "refusal": refusal,
            "partners": Organization.objects.exclude(
                kind=OrganizationKind.JP_CONTACT_POINT
            ).order_by("kind", "name_en"),
            "kinds": LinkKind.choices,
            "stages": LinkStage.choices,
            "delegations": Delegation.objects.filter(municipality=city).prefetch_related(
                "legs", "participants", "visits", "follow_ups"
            ),
            "visits": CourtesyVisit.objects.filter(municipality=city),
            "agreements": Agreement.objects.filter(municipality=city).select_related("partner"),
            "links": BusinessLink.objects.filter(municipality=city).select_related("partner"),
        },
        status=status,
    )


def _programme_rows(programme: ProgrammeYear, today: datetime.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    language = get_language() or "en"
    rows = []
    for stage in programme.template.stages:
        year = programme.cycle_start_year + int(stage.get("year", 0))
        starts = datetime.date.fromisoformat(f"{year}-{stage['from']}")
        ends = datetime.date.fromisoformat(f"{year}-{stage['to']}")
        state = "done" if ends < today else ("now" if starts <= today else "later")
        title = stage["title"].get(language[:2]) or stage["title"]["en"]
        rows.append({"title": title, "starts": starts, "ends": ends, "state": state})
    current = next((r for r in rows if r["state"] == "now"), None)
    upcoming = next((r for r in rows if r["state"] == "later"), None)
    return {"programme": programme, "stages": rows, "current": current, "next": upcoming}


@login_required
def programmes_view(request: HttpRequest) -> HttpResponse:
    return _programmes_page(request)


def _programmes_page(request: HttpRequest, refusal: Any = None, status: int = 200) -> HttpResponse:
    city = hub_municipality(request_actor(request))
    if city is None:
        raise Http404
    years = (
        ProgrammeYear.objects.filter(municipality=city)
        .select_related("template")
        .prefetch_related("trainees")
    )
    return render(
        request,
        "hub/programmes.html",
        {
            "nav": "hub",
            "programmes": [_programme_rows(p) for p in years],
            "templates": ProgrammeTemplate.objects.all(),
            "refusal": refusal,
            "this_year": timezone.localdate().year,
        },
        status=status,
    )


# --- statistics -------------------------------------------------------------------------------


def _names() -> dict[str, dict[str, str]]:
    definition = registry.definition_in_force("KG", timezone.localdate())
    language = get_language() or "en"
    steps = {s.key: s.title.get(language) for s in definition.steps} if definition else {}
    patterns = {p.key: p.title.get(language) for p in definition.patterns} if definition else {}
    return {
        "pattern": patterns,
        "field": {f.code: f.display_name for f in Field.objects.all()},
        "step": steps,
    }


def _tables(request: HttpRequest, public: bool) -> list[Table]:
    if public:
        cases = Case.objects.all()
    else:
        cases = Case.objects.filter(case_visibility(request_actor(request)))
    tables = resident_tables() + case_tables(cases, _names()) + [agency_table(timezone.localdate())]
    if not public and request_actor(request).is_contact_point:
        tables += exchange_tables()
    if public:
        tables = [suppressed(t) if t.key != "median-days" else t for t in tables]
    return tables


def _statistics_page(request: HttpRequest, public: bool) -> HttpResponse:
    tables = _tables(request, public)
    return render(
        request,
        "hub/statistics.html",
        {
            "nav": "hub",
            "public": public,
            "small": SMALL_COUNT,
            "tables": [{"table": t, "chart": bar_chart(t.rows, t.title)} for t in tables],
        },
    )


@login_required
def statistics_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if hub_municipality(actor) is None and not actor.is_contact_point:
        raise Http404
    return _statistics_page(request, public=False)


def public_statistics_view(request: HttpRequest) -> HttpResponse:
    return _statistics_page(request, public=True)


def statistics_csv_view(request: HttpRequest, key: str) -> HttpResponseBase:
    """One table as CSV: the public (suppressed) figures without an account; the city's own
    figures for its staff."""
    actor = request_actor(request)
    public = hub_municipality(actor) is None and not actor.is_contact_point
    table = next((t for t in _tables(request, public) if t.key == key), None)
    if table is None:
        raise Http404
    rows = [
        {
            "label": label,
            "value": f"<{SMALL_COUNT}"
            if public and value < SMALL_COUNT and table.key != "median-days"
            else f"{value:g}",
        }
        for label, value in table.rows
    ]
    response = csv_feed(f"{key}.csv", ("label", "value"), rows)
    if not public:
        response["Cache-Control"] = "private, no-store"
    return response
