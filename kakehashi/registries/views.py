"""Registry pages for the people who keep them: the sending country's ministry (the Center)
decides on agencies, Japan's contact point records orders, the support-organization list
and field suspensions, and both read the notices the other side sent. Reading the
registers is open to every signed-in user (the public pages are under /public/)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import ChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import request_actor
from kakehashi.access.policy import agency_deciding_organization, japan_contact_point
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.errors import DomainError, NotFound
from kakehashi.core.forms import AccessibleForm, apply_problems
from kakehashi.reference.models import Field

from . import selectors, services
from .forms import (
    DecisionForm,
    FieldSuspensionForm,
    ImprovementOrderForm,
    PlacementLicenceForm,
    SupportRegistrationForm,
)


def _agency(agency_id: int) -> Organization:
    agency = Organization.objects.filter(pk=agency_id, kind=OrganizationKind.SENDING_AGENCY).first()
    if agency is None:
        raise Http404("agency")
    return agency


@login_required
def registries_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    actor = request_actor(request)
    notices = list(selectors.notices_for(actor)[:50])
    context = {
        "nav": "registries",
        "notices": notices,
        "register": selectors.agency_register(today),
        "is_ministry": actor.acts_as(OrganizationKind.SENDING_CONTACT_POINT) is not None,
        "is_japan": japan_contact_point(actor) is not None,
        "orders": selectors.improvement_orders(today)[:20],
        "suspensions": selectors.field_suspensions(today),
        "support": selectors.support_organizations(today),
    }
    return render(request, "registries/home.html", context)


def _agency_page(
    request: HttpRequest,
    agency: Organization,
    form: DecisionForm | None = None,
    refusal: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    entry = selectors.agency_entry(agency.pk, today)
    actor = request_actor(request)
    ministry = agency_deciding_organization(actor, agency)
    is_agency = actor.acts_for(agency.pk) is not None
    context = {
        "nav": "registries",
        "agency": agency,
        "entry": entry,
        "history": selectors.agency_history(agency.pk),
        "form": (form or DecisionForm()) if ministry else None,
        "can_apply": is_agency
        and entry is not None
        and entry.state in ("none", "refused", "revoked", "expired"),
        "refusal": refusal,
    }
    return render(request, "registries/agency.html", context, status=status)


@login_required
def agency_view(request: HttpRequest, agency_id: int) -> HttpResponse:
    return _agency_page(request, _agency(agency_id))


@login_required
@require_POST
def agency_decide_view(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _agency(agency_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    data = {
        k: request.POST.get(k, "")
        for k in ("action", "effective_on", "valid_until", "certificate_number", "reason")
    }
    try:
        services.agency_decision_record(actor=request_actor(request), agency_id=agency.pk, **data)
    except DomainError as exc:
        if exc.status == 403:
            messages.error(request, exc.message)
            return redirect("registries:agency", agency_id=agency.pk)
        return _agency_page(request, agency, form, apply_problems(form, exc), exc.status)
    messages.success(
        request, _("The decision was recorded; Japan's contact point has been notified.")
    )
    return redirect("registries:agency", agency_id=agency.pk)


@login_required
@require_POST
def agency_apply_view(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _agency(agency_id)
    try:
        services.agency_decision_record(
            actor=request_actor(request), agency_id=agency.pk, action="applied"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The application was recorded."))
    return redirect("registries:agency", agency_id=agency.pk)


def _japan_forms(post: Any = None) -> dict[str, AccessibleForm]:
    forms: dict[str, AccessibleForm] = {
        "order": ImprovementOrderForm(post, prefix="order"),
        "support": SupportRegistrationForm(post, prefix="support"),
        "suspension": FieldSuspensionForm(post, prefix="suspension"),
        "licence": PlacementLicenceForm(post, prefix="licence"),
    }
    receiving = Organization.objects.filter(kind=OrganizationKind.RECEIVING_ORGANIZATION).order_by(
        "name_en"
    )
    support = Organization.objects.filter(kind=OrganizationKind.SUPPORT_ORGANIZATION).order_by(
        "name_en"
    )
    choices: dict[tuple[str, str], list[tuple[Any, str]]] = {
        ("order", "receiving_organization_id"): [(o.pk, o.display_name) for o in receiving],
        ("support", "organization_id"): [(o.pk, o.display_name) for o in support],
        ("suspension", "field"): [(f.code, f.display_name) for f in Field.objects.all()],
        ("licence", "holder_id"): [
            (o.pk, o.display_name)
            for o in Organization.objects.filter(
                kind__in=[OrganizationKind.SENDING_AGENCY, OrganizationKind.RECEIVING_ORGANIZATION]
            ).order_by("name_en")
        ],
    }
    for (form, name), options in choices.items():
        cast(ChoiceField, forms[form].fields[name]).choices = [("", "—"), *options]
    return forms


@login_required
def japan_view(request: HttpRequest) -> HttpResponse:
    """Japan's contact point records improvement orders, support organizations and field
    suspensions (MOC §6(3), §8)."""
    if japan_contact_point(request_actor(request)) is None:
        raise Http404("not Japan's contact point")
    forms = _japan_forms(request.POST or None)
    status, refusal = 200, None
    if request.method == "POST":
        which = request.POST.get("form", "")
        form = forms.get(which)
        if form is None:
            raise Http404(which)
        form.is_valid()
        raw = {name: request.POST.get(f"{which}-{name}", "") for name in form.fields}
        try:
            if which == "order":
                services.improvement_order_record(
                    actor=request_actor(request),
                    receiving_organization_id=int(raw["receiving_organization_id"] or 0),
                    issued_on=raw["issued_on"],
                    summary=raw["summary"],
                    order_number=raw["order_number"],
                )
            elif which == "support":
                services.support_registration_record(
                    actor=request_actor(request),
                    organization_id=int(raw["organization_id"] or 0),
                    registration_number=raw["registration_number"],
                    registered_on=raw["registered_on"],
                    valid_until=raw["valid_until"] or None,
                    languages=raw["languages"],
                )
            elif which == "licence":
                services.placement_licence_record(
                    actor=request_actor(request),
                    holder_id=int(raw["holder_id"] or 0),
                    licence_number=raw["licence_number"],
                    valid_from=raw["valid_from"],
                    valid_until=raw["valid_until"] or None,
                    countries=raw["countries"],
                )
            else:
                services.field_suspension_record(
                    actor=request_actor(request),
                    field_code=raw["field"],
                    starts_on=raw["starts_on"],
                    ends_on=raw["ends_on"] or None,
                    reason=raw["reason"],
                )
        except DomainError as exc:
            refusal = apply_problems(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Recorded; the Kyrgyz contact point has been notified."))
            return redirect("registries:japan")
    today = timezone.localdate()
    context = {
        "nav": "registries",
        "forms": forms,
        "refusal": refusal,
        "orders": selectors.improvement_orders(today),
        "support": selectors.support_organizations(today),
        "suspensions": selectors.field_suspensions(today, include_past=True),
        "licences": selectors.placement_licences(today),
    }
    return render(request, "registries/japan.html", context, status=status)


@login_required
@require_POST
def notice_acknowledge_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    try:
        services.notice_acknowledge(actor=request_actor(request), notice_id=notice_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return redirect("registries:home")
