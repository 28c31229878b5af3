"""Registry pages for the people who keep them: the sending country's ministry (the Center)
decides on agencies and may consent to disclose a decision's reason; Japan's contact point
records orders, the support-organization list, field suspensions (and ends them) and
placement licences; both read the notices the other side sent. Every signed-in user reads
the registers (the public pages are under /public/). Thin: forms read the input, one
service decides, the access policy says which forms to offer."""

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
from kakehashi.core.errors import DomainError, NotFound, Problem
from kakehashi.core.forms import AccessibleForm
from kakehashi.core.pages import form_refusal, page_refusal
from kakehashi.reference.models import Field

from . import selectors, services
from .certification import NEEDS_REASON
from .forms import (
    DecisionForm,
    DisclosureForm,
    FieldSuspensionForm,
    ImprovementOrderForm,
    OrderCloseForm,
    PlacementLicenceForm,
    SupportRegistrationForm,
    SuspensionEndForm,
)
from .notices import notice_text


def _agency(agency_id: int) -> Organization:
    agency = Organization.objects.filter(pk=agency_id, kind=OrganizationKind.SENDING_AGENCY).first()
    if agency is None:
        raise Http404(_("No such sending agency."))
    return agency


@login_required
def registries_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    actor = request_actor(request)
    notices = [(n, notice_text(n)) for n in selectors.notices_for(actor)[:50]]
    context = {
        "nav": "registries",
        "notices": notices,
        "register": selectors.agency_register(today),
        "is_japan": japan_contact_point(actor) is not None,
        "suspensions": selectors.field_suspensions(today),
    }
    return render(request, "registries/home.html", context)


def _disclosure_form_for(decision_id: int, submitted: DisclosureForm | None) -> DisclosureForm:
    """Each decision's consent form, with ids of its own; the one just submitted keeps its
    values and errors."""
    auto_id = f"id_disclose_{decision_id}_%s"
    if submitted is not None and str(submitted.data.get("decision_id")) == str(decision_id):
        submitted.auto_id = auto_id
        return submitted
    return DisclosureForm(auto_id=auto_id)


def _agency_page(
    request: HttpRequest,
    agency: Organization,
    form: DecisionForm | None = None,
    disclosure_form: DisclosureForm | None = None,
    refusal: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    actor = request_actor(request)
    entry = selectors.agency_entry(agency.pk, today)
    ministry = agency_deciding_organization(actor, agency)
    history = list(selectors.agency_history(agency.pk))
    reasons = selectors.decision_reasons(actor, [d.pk for d in history])
    rows = [
        {
            "decision": d,
            "reason": reasons.get(d.pk, ""),
            "disclosure": selectors.disclosure_scope(d),
            "may_disclose": ministry is not None and d.action in NEEDS_REASON and bool(d.reason),
            "disclosure_form": _disclosure_form_for(d.pk, disclosure_form),
        }
        for d in history
    ]
    context = {
        "nav": "registries",
        "agency": agency,
        "entry": entry,
        "history": rows,
        "form": (form or DecisionForm()) if ministry else None,
        "can_apply": actor.acts_for(agency.pk) is not None
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
    if not form.is_valid():
        return _agency_page(request, agency, form=form, status=422)
    try:
        services.agency_decision_record(
            actor=request_actor(request), agency_id=agency.pk, **form.cleaned_data
        )
    except DomainError as exc:
        return _agency_page(request, agency, form, None, form_refusal(form, exc), exc.status)
    messages.success(
        request, _("The decision was recorded; Japan's contact point has been notified.")
    )
    return redirect("registries:agency", agency_id=agency.pk)


@login_required
@require_POST
def agency_disclose_view(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _agency(agency_id)
    form = DisclosureForm(request.POST)
    if not form.is_valid():
        return _agency_page(request, agency, disclosure_form=form, status=422)
    try:
        services.reason_disclosure_record(actor=request_actor(request), **form.cleaned_data)
    except DomainError as exc:
        loose = form_refusal(form, exc)
        return _agency_page(request, agency, None, form, loose, exc.status)
    messages.success(request, _("The consent to disclose the reason was recorded."))
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
        return _agency_page(request, agency, refusal=page_refusal(exc), status=exc.status)
    messages.success(request, _("The application was recorded."))
    return redirect("registries:agency", agency_id=agency.pk)


# --- Japan's contact point ---------------------------------------------------------------

JAPAN_FORMS = {
    "order": (ImprovementOrderForm, "improvement_order_record"),
    "support": (SupportRegistrationForm, "support_registration_record"),
    "licence": (PlacementLicenceForm, "placement_licence_record"),
    "suspension": (FieldSuspensionForm, "field_suspension_record"),
    "end": (SuspensionEndForm, "field_suspension_end"),
    "close": (OrderCloseForm, "improvement_order_close"),
}


def _japan_forms(post: Any = None, which: str = "") -> dict[str, AccessibleForm]:
    forms: dict[str, AccessibleForm] = {
        name: form_class(post if name == which else None, prefix=name)
        for name, (form_class, _service) in JAPAN_FORMS.items()
    }
    organizations = Organization.objects.order_by("name_en")
    choices: dict[tuple[str, str], list[tuple[Any, str]]] = {
        ("order", "receiving_organization_id"): [
            (o.pk, o.display_name)
            for o in organizations.filter(kind=OrganizationKind.RECEIVING_ORGANIZATION)
        ],
        ("support", "organization_id"): [
            (o.pk, o.display_name)
            for o in organizations.filter(kind=OrganizationKind.SUPPORT_ORGANIZATION)
        ],
        ("suspension", "field"): [(f.code, f.display_name) for f in Field.objects.all()],
        ("licence", "holder_id"): [
            (o.pk, o.display_name)
            for o in organizations.filter(
                kind__in=[OrganizationKind.SENDING_AGENCY, OrganizationKind.RECEIVING_ORGANIZATION]
            )
        ],
    }
    for (form, name), options in choices.items():
        cast(ChoiceField, forms[form].fields[name]).choices = [("", "—"), *options]
    return forms


def _japan_page(
    request: HttpRequest,
    forms: dict[str, AccessibleForm],
    refusal: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    suspensions = selectors.field_suspensions(today, include_past=True)
    context = {
        "nav": "registries",
        "forms": forms,
        "refusal": refusal,
        "orders": [
            {
                "order": o,
                "close_form": OrderCloseForm(
                    prefix="close", initial={"order_id": o.pk, "closed_on": today}
                ),
            }
            for o in selectors.improvement_orders(today)
        ],
        "support": selectors.support_organizations(today),
        "suspensions": [
            {
                "suspension": s,
                "in_force": s.ends_on is None or s.ends_on >= today,
                "end_form": SuspensionEndForm(
                    prefix="end", initial={"suspension_id": s.pk, "ends_on": today}
                ),
            }
            for s in suspensions
        ],
        "licences": selectors.placement_licences(today),
    }
    return render(request, "registries/japan.html", context, status=status)


@login_required
def japan_view(request: HttpRequest) -> HttpResponse:
    """Japan's contact point records improvement orders, support organizations, placement
    licences and field suspensions, and ends suspensions (moc_kg §6(3), §8)."""
    if japan_contact_point(request_actor(request)) is None:
        raise Http404(_("No such page."))
    which = request.POST.get("form", "") if request.method == "POST" else ""
    if request.method == "POST" and which not in JAPAN_FORMS:
        raise Http404(_("No such page."))
    forms = _japan_forms(request.POST or None, which)
    if request.method != "POST":
        return _japan_page(request, forms)
    form = forms[which]
    if not form.is_valid():
        return _japan_page(request, forms, status=422)
    service = getattr(services, JAPAN_FORMS[which][1])
    data = dict(form.cleaned_data)
    if which == "suspension":
        data["field_code"] = data.pop("field")
    try:
        service(actor=request_actor(request), **data)
    except DomainError as exc:
        return _japan_page(request, forms, form_refusal(form, exc), exc.status)
    messages.success(request, _SAVED[which]())
    return redirect("registries:japan")


_SAVED = {
    "order": lambda: _(
        "The improvement order was recorded and sent to the contact point of each partner "
        "country whose nationals the organization receives."
    ),
    "support": lambda: _(
        "The support organization was added to the list shared with the partner countries."
    ),
    "licence": lambda: _("The placement licence was recorded."),
    "suspension": lambda: _(
        "The suspension was recorded and sent to the contact points of the partner countries."
    ),
    "close": lambda: _("The improvement order was closed."),
    "end": lambda: _(
        "The end of the suspension was recorded and sent to the contact points of the partner "
        "countries."
    ),
}


@login_required
@require_POST
def notice_acknowledge_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    try:
        services.notice_acknowledge(actor=request_actor(request), notice_id=notice_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return redirect("registries:home")
