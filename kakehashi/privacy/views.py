"""Pages of personal data (docs/privacy.md). Thin: parse the form, call one service or
selector, render. Who may do what is the services' and the policy's.

- The worker's own data page (/privacy/my-data/): what is held, why, who sees it, how long
  it is kept; the downloads (JSON, PDF); their own corrections and their requests.
- The registering organization's page for one person (/privacy/persons/<id>/): the export
  made on the person's request, the requests to answer, the erasure. The person page shows
  the same panel (templatetags/privacy.py).
- Incidents (/privacy/incidents/): each organization's own; Japan's contact point reads all."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import Actor, request_actor
from kakehashi.access.policy import (
    incident_recording_organizations,
    may_update_incident,
    personal_data_organization,
    sees_incidents,
)
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.errors import DomainError, NotFound, Problem
from kakehashi.core.pages import form_refusal, page_refusal
from kakehashi.core.pdf import pdf_response
from kakehashi.people.forms import field_label
from kakehashi.people.models import Person
from kakehashi.people.selectors import person_list
from kakehashi.people.workers import worker_contact_update
from kakehashi.reference.countries import country_name

from . import rules
from .documents import person_pdf
from .export import PERSON_KEYS, person_export, record_export
from .forms import PDF_LANGUAGES, ContactForm, CorrectionForm, ErasureForm, IncidentForm
from .models import Incident
from .presenters import correction_data, incident_data
from .retention import retention_state
from .selectors import (
    corrections_of,
    erasure_of,
    incident_get,
    incidents_visible_to,
    own_person,
    person_for_export,
)
from .services.corrections import correction_decide, correction_request_file
from .services.erasure import anonymise_person
from .services.incidents import incident_create, incident_update

# Persons offered in the incident form's list (the API takes any the organization sees).
LISTED_PERSONS = 500


def _json_download(data: dict[str, Any], filename: str) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the worker's own data -------------------------------------------------------------------


def _worker(request: HttpRequest) -> tuple[Actor, Person]:
    actor = request_actor(request)
    try:
        return actor, own_person(actor)
    except NotFound as error:
        raise Http404(error.message) from error


def _recipients(person: Person) -> list[dict[str, str]]:
    """The organizations that see the person's record, and in which part (access.visibility
    says it in code: docs/access.md)."""
    found: dict[int, Organization] = {
        person.created_by_organization_id: person.created_by_organization
    }
    for presentation in person.presentations.select_related("organization"):
        found[presentation.organization_id] = presentation.organization
    for case in person.cases.select_related(
        "receiving_organization__municipality", "sending_agency", "support_organization"
    ):
        for org in (
            case.receiving_organization,
            case.receiving_organization.municipality,
            case.sending_agency,
            case.support_organization,
        ):
            if org is not None:
                found[org.pk] = org
    overseers = Organization.objects.filter(
        kind=OrganizationKind.JP_CONTACT_POINT
    ) | Organization.objects.filter(
        kind=OrganizationKind.SENDING_CONTACT_POINT, country=person.nationality
    )
    for org in overseers:
        found[org.pk] = org
    return [
        {"name": o.display_name, "kind": str(OrganizationKind(o.kind).label)}
        for o in sorted(found.values(), key=lambda o: o.display_name)
    ]


def _shown(name: str, value: Any) -> str:
    """A field of the record as the worker reads it: dates in ISO form, countries by name."""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if name in ("nationality", "current_country") and value:
        return str(country_name(value))
    return str(value or "")


def _my_page(
    request: HttpRequest,
    contact_form: ContactForm | None = None,
    correction_form: CorrectionForm | None = None,
    contact_refusal: list[Problem] | None = None,
    correction_refusal: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    _actor, person = _worker(request)
    facts = [
        (field_label(Person, name), _shown(name, getattr(person, name))) for name in PERSON_KEYS
    ]
    return render(
        request,
        "privacy/my_data.html",
        {
            "nav": "my_data",
            "person": person,
            "facts": facts,
            "recipients": _recipients(person),
            "corrections": [correction_data(c) for c in corrections_of(person)],
            "contact_form": contact_form
            or ContactForm(initial={"phone": person.phone, "email": person.email}),
            "correction_form": correction_form or CorrectionForm(),
            "contact_refusal": contact_refusal or [],
            "correction_refusal": correction_refusal or [],
            "years": settings.PERSONAL_DATA_RETENTION_YEARS,
            "rules": rules.rules(),
        },
        status=status,
    )


@login_required
def my_data_view(request: HttpRequest) -> HttpResponse:
    return _my_page(request)


@login_required
def my_data_json_view(request: HttpRequest) -> HttpResponse:
    _actor, person = _worker(request)
    record_export(person, "json")
    return _json_download(person_export(person), f"my-data-{timezone.localdate().isoformat()}")


@login_required
def my_data_pdf_view(request: HttpRequest) -> HttpResponse:
    _actor, person = _worker(request)
    record_export(person, "pdf")
    return pdf_response(person_pdf(person), f"my-data-{timezone.localdate().isoformat()}")


@login_required
@require_POST
def my_contact_view(request: HttpRequest) -> HttpResponse:
    """The worker corrects their phone and e-mail address themselves (the person's history
    records it)."""
    actor, _person = _worker(request)
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _my_page(request, contact_form=form, status=422)
    try:
        worker_contact_update(actor=actor, **form.cleaned_data)
    except DomainError as error:
        loose = form_refusal(form, error)
        return _my_page(request, contact_form=form, contact_refusal=loose, status=error.status)
    messages.success(request, _("Your contact details were saved."))
    return redirect(reverse("privacy:my_data") + "#correct")


@login_required
@require_POST
def my_correction_view(request: HttpRequest) -> HttpResponse:
    actor, _person = _worker(request)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _my_page(request, correction_form=form, status=422)
    data = form.cleaned_data
    try:
        correction_request_file(
            actor=actor, field=data["field"], value=data["value"], note=data["note"]
        )
    except DomainError as error:
        loose = form_refusal(form, error)
        return _my_page(
            request, correction_form=form, correction_refusal=loose, status=error.status
        )
    messages.success(
        request,
        _(
            "Your request was sent to the organization that registered you. "
            "Its answer will be here."
        ),
    )
    return redirect(reverse("privacy:my_data") + "#requests")


# --- one person, for the registering organization ------------------------------------------


def _person(request: HttpRequest, person_id: int) -> tuple[Actor, Person]:
    actor = request_actor(request)
    try:
        return actor, person_for_export(actor, person_id)
    except NotFound as error:
        raise Http404(error.message) from error


def _controller(actor: Actor, person: Person) -> Organization:
    organization = personal_data_organization(actor, person)
    if organization is None:
        raise PermissionDenied(
            _("Only the organization that registered this person handles their data requests.")
        )
    return organization


def _person_page(
    request: HttpRequest,
    person: Person,
    *,
    refusal: list[Problem] | None = None,
    erasure_form: ErasureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request_actor(request)
    _controller(actor, person)
    erasure = erasure_of(person)
    return render(
        request,
        "privacy/person.html",
        {
            "nav": "persons",
            "person": person,
            "erasure": erasure,
            "corrections": [correction_data(c) for c in corrections_of(person)],
            "state": None if erasure else retention_state(person),
            "erasure_form": erasure_form or ErasureForm(),
            "refusal": refusal or [],
            "years": settings.PERSONAL_DATA_RETENTION_YEARS,
            "rules": rules.rules(),
        },
        status=status,
    )


@login_required
def person_view(request: HttpRequest, person_id: int) -> HttpResponse:
    _actor, person = _person(request, person_id)
    return _person_page(request, person)


@login_required
def person_export_view(request: HttpRequest, person_id: int, fmt: str) -> HttpResponse:
    """The export made on the person's request, to hand to them: JSON, or a PDF in the
    language they read (`?language=`)."""
    actor, person = _person(request, person_id)
    _controller(actor, person)
    if fmt == "json":
        record_export(person, "json")
        return _json_download(person_export(person), f"person-{person.pk}-data")
    language = request.GET.get("language", "") or translation.get_language() or "ja"
    if language not in dict(PDF_LANGUAGES):
        problem = Problem(
            "invalid_choice", _("Choose the language of the PDF from the list."), field="language"
        )
        return _person_page(request, person, refusal=[problem], status=422)
    record_export(person, "pdf")
    with translation.override(language):
        data = person_pdf(person)
    return pdf_response(data, f"person-{person.pk}-data-{language}")


@login_required
@require_POST
def correction_decide_view(
    request: HttpRequest, person_id: int, correction_id: int
) -> HttpResponse:
    actor, person = _person(request, person_id)
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "refuse"):
        problem = Problem("invalid_choice", _("Accept or refuse the request."), field="decision")
        return _person_page(request, person, refusal=[problem], status=422)
    try:
        correction_decide(
            actor=actor,
            correction_id=correction_id,
            accept=decision == "accept",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        return _person_page(request, person, refusal=page_refusal(error), status=error.status)
    if decision == "accept":
        messages.success(request, _("The record was corrected; the worker sees the answer."))
    else:
        messages.success(request, _("The request was refused; the worker sees the reason."))
    return redirect(reverse("people:detail", args=[person.pk]) + "#privacy")


@login_required
@require_POST
def person_erase_view(request: HttpRequest, person_id: int) -> HttpResponse:
    actor, person = _person(request, person_id)
    _controller(actor, person)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        return _person_page(request, person, erasure_form=form, status=422)
    try:
        anonymise_person(person, actor=actor, reason=form.cleaned_data["reason"])
    except DomainError as error:
        loose = form_refusal(form, error)
        return _person_page(request, person, erasure_form=form, refusal=loose, status=error.status)
    messages.success(request, _("The person's data was erased; what the statistics need stays."))
    return redirect("people:detail", person_id=person.pk)


# --- incidents -------------------------------------------------------------------------------


def _incident_form(actor: Actor, *args: Any, **kwargs: Any) -> IncidentForm:
    return IncidentForm(
        *args,
        organizations=incident_recording_organizations(actor),
        persons=person_list(actor)[:LISTED_PERSONS],
        **kwargs,
    )


def _initial(incident: Incident) -> dict[str, Any]:
    data = incident_data(incident)
    initial = {k: v for k, v in data.items() if k in IncidentForm.base_fields}
    for name in (
        "sensitive_data",
        "financial_damage_possible",
        "unauthorised_act",
        "strongly_encrypted",
    ):
        initial[name] = "yes" if data[name] else "no"
    initial["person_ids"] = [str(i) for i in data["person_ids"]]
    return initial


@login_required
def incident_list_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not sees_incidents(actor):
        raise Http404
    incidents = [incident_data(i, actor) for i in incidents_visible_to(actor)[:500]]
    return render(
        request,
        "privacy/incidents.html",
        {
            "nav": "incidents",
            "incidents": incidents,
            "may_record": bool(incident_recording_organizations(actor)),
        },
    )


@login_required
def incident_new_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not sees_incidents(actor):
        raise Http404
    if not incident_recording_organizations(actor):
        raise PermissionDenied(_("Only staff of an organization record its incidents."))
    form = _incident_form(actor, request.POST or None)
    refusal: list[Problem] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                incident = incident_create(actor=actor, data=form.incident_data())
            except DomainError as error:
                refusal, status = form_refusal(form, error), error.status
            else:
                messages.success(request, _("The incident was recorded."))
                return redirect("privacy:incident", incident_id=incident.pk)
        else:
            status = 422
    return render(
        request,
        "privacy/incident_form.html",
        {"nav": "incidents", "form": form, "refusal": refusal, "incident": None},
        status=status,
    )


@login_required
def incident_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        incident = incident_get(actor, incident_id)
    except NotFound as error:
        raise Http404(error.message) from error
    may_update = may_update_incident(actor, incident)
    form = None
    refusal: list[Problem] = []
    status = 200
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied(
                _("Only staff of the organization that recorded it change an incident.")
            )
        form = _incident_form(actor, request.POST)
        form.fields.pop("organization_id", None)
        if form.is_valid():
            try:
                incident_update(actor=actor, incident_id=incident.pk, data=form.incident_data())
            except DomainError as error:
                refusal, status = form_refusal(form, error), error.status
            else:
                messages.success(request, _("The incident was updated."))
                return redirect("privacy:incident", incident_id=incident.pk)
        else:
            status = 422
    elif may_update:
        form = _incident_form(actor, initial=_initial(incident))
        form.fields.pop("organization_id", None)
    return render(
        request,
        "privacy/incident.html",
        {
            "nav": "incidents",
            "incident": incident_data(incident, actor),
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )
