"""Pages for persons (candidates and workers). Thin: parse the form, call one service or
selector, render. Who may do what is the services' and selectors' (docs/access.md); the
checks here only decide which buttons and forms to show, and refuse a page in the same
order as the services (404, then 403, then 422).

No personal data goes into a URL: the name search is posted and kept in the session, and
flash messages (kept in a cookie) name no one."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import Actor, request_actor
from kakehashi.access.policy import (
    may_add_test_results,
    may_import,
    may_manage_person,
    person_registering_organization,
    sees_identifiers,
    test_result_verifier,
)
from kakehashi.accounts.models import OrganizationKind
from kakehashi.accounts.selectors import organization_directory
from kakehashi.audit import log as audit_log
from kakehashi.core import crypto
from kakehashi.core.errors import DomainError
from kakehashi.core.pages import form_refusal, list_page, page_refusal
from kakehashi.procedures.registry import ssw_rules
from kakehashi.reference.countries import country_name

from .forms import PersonForm, PresentForm, SearchForm, TestResultForm, field_label
from .models import IDENTIFIER_FIELDS, Person, TestKind, Verification
from .selectors import person_get_for_user, person_list, presentations_visible_to
from .services import (
    PERSON_FIELDS,
    person_create,
    person_identifiers,
    person_present,
    person_update,
    test_result_add,
    test_result_verify,
)
from .workers import worker_invite

SEARCH_SESSION_KEY = "person_search"
PAGE_SIZE = 25


# --- what the user may do (shown or refused here; enforced by the services) -------------


def _get_person(actor: Actor, person_id: int) -> Person:
    try:
        return person_get_for_user(actor, person_id)
    except DomainError as error:
        raise Http404(error.message) from error


# --- list and search ------------------------------------------------------------------


@login_required
def person_list_page(request: HttpRequest) -> HttpResponse:
    search = str(request.session.get(SEARCH_SESSION_KEY, ""))
    actor = request_actor(request)
    page = list_page(
        request,
        person_list(actor, search),
        order=["family_name", "given_names", "id"],
        size=PAGE_SIZE,
    )
    return render(
        request,
        "people/list.html",
        {
            "nav": "persons",
            "page": page,
            "search": search,
            "search_form": SearchForm(initial={"q": search}),
            "can_register": person_registering_organization(actor) is not None,
            "can_import": may_import(actor, "persons"),
        },
    )


@login_required
@require_POST
def person_search(request: HttpRequest) -> HttpResponse:
    """Keep the name search in the session, never in the URL (it is personal data)."""
    form = SearchForm(request.POST)
    term = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if term:
        request.session[SEARCH_SESSION_KEY] = term
    else:
        request.session.pop(SEARCH_SESSION_KEY, None)
    return redirect("people:list")


# --- register and change ----------------------------------------------------------------


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    if not person_registering_organization(request_actor(request)) is not None:
        raise PermissionDenied(_("Your organization cannot register persons."))
    form = PersonForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return _person_form_page(request, form, None, None)
    error: DomainError | None = None
    if form.is_valid():
        try:
            person = person_create(actor=request_actor(request), data=form.person_data())
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("The person has been registered."))
            return redirect("people:detail", person_id=person.pk)
    return _person_form_page(request, form, error, None)


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person(request_actor(request), person_id)
    if not may_manage_person(request_actor(request), person):
        raise PermissionDenied(
            _("Only the organization that registered this person can change the record.")
        )
    if request.method != "POST":
        initial = {name: getattr(person, name) for name in PERSON_FIELDS}
        if person.passport_number:  # the form shows it in full: a logged view
            audit_log.record_reveal(person, "passport_number")
        return _person_form_page(request, PersonForm(initial=initial), None, person)
    form = PersonForm(request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            person_update(
                actor=request_actor(request), person_id=person.pk, changes=form.person_changes()
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:detail", person_id=person.pk)
    return _person_form_page(request, form, error, person)


def _person_form_page(
    request: HttpRequest, form: PersonForm, error: DomainError | None, person: Person | None
) -> HttpResponse:
    """The form; after a POST that saved nothing, with the errors by their fields, and a
    link to the record already registered when the refusal was a duplicate the user sees."""
    loose = form_refusal(form, error) if error is not None else []
    existing = error.existing.get("person_id") if error is not None else None
    status = error.status if error is not None else (422 if form.is_bound else 200)
    return render(
        request,
        "people/form.html",
        {
            "nav": "persons",
            "form": form,
            "loose": loose,
            "person": person,
            "existing_url": reverse("people:detail", args=[existing]) if existing else "",
        },
        status=status,
    )


# --- detail, test results, presentations -----------------------------------------------


COUNTRY_FIELDS = {"nationality", "current_country"}


def _fact(name: str, value: Any) -> Any:
    """A person's field as a reader wants it: dates in ISO form, countries by name."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if name in COUNTRY_FIELDS:
        return country_name(value)
    return value


def _test_name(code: str) -> str:
    if code == "skill":
        return str(TestKind.SKILL.label)
    rules = ssw_rules()
    tests = list(rules.japanese_tests) + [t for ts in rules.field_tests.values() for t in ts]
    for test in tests:
        if test.code == code:
            return test.name.get(get_language() or "en")
    return code


def _receiving_organizations(actor: Actor, person: Person) -> list[Any]:
    """Where the person can still be presented: receiving organizations other than the
    registering one and those already presented to."""
    presented = set(person.presentations.values_list("organization_id", flat=True))
    return [
        o
        for o in organization_directory().filter(kind=OrganizationKind.RECEIVING_ORGANIZATION)
        if o.pk not in presented and o.pk != person.created_by_organization_id
    ]


def _detail_page(
    request: HttpRequest,
    person: Person,
    test_form: TestResultForm | None = None,
    present_form: PresentForm | None = None,
    test_loose: list[Any] | None = None,
    present_loose: list[Any] | None = None,
    status: int = 200,
    revealed: frozenset[str] = frozenset(),
) -> HttpResponse:
    actor = request_actor(request)
    # An anonymised record stays for the statistics; nothing more is done with it.
    can_manage = may_manage_person(actor, person) and person.anonymised_at is None
    may_reveal = bool(person.passport_number) and sees_identifiers(actor, person)
    can_add_tests = may_add_test_results(actor, person)
    organizations = _receiving_organizations(actor, person) if can_manage else []
    if can_add_tests and test_form is None:
        test_form = TestResultForm()
    if can_manage and present_form is None:
        present_form = PresentForm(organizations=organizations)
    may_confirm = test_result_verifier(actor, person.nationality) is not None
    tests = [
        {
            "result": t,
            "name": _test_name(t.test_code),
            "kind": t.get_kind_display(),
            "may_confirm": may_confirm and t.verification == Verification.PENDING,
        }
        for t in person.test_results.select_related("business_category", "entered_by_organization")
    ]
    facts = [
        {
            "name": name,
            "label": field_label(Person, name),
            "value": _fact(name, getattr(person, name))
            if name not in IDENTIFIER_FIELDS or name in revealed
            else crypto.mask(getattr(person, name)),
            "reveal": name in IDENTIFIER_FIELDS and name not in revealed and may_reveal,
        }
        for name in PERSON_FIELDS
    ]
    return render(
        request,
        "people/detail.html",
        {
            "nav": "persons",
            "person": person,
            "facts": facts,
            "tests": tests,
            "presentations": presentations_visible_to(actor, person),
            "can_manage": can_manage,
            "can_invite": can_manage and not hasattr(person, "worker_account"),
            "can_add_tests": can_add_tests,
            "test_form": test_form,
            "present_form": present_form if organizations else None,
            "test_loose": test_loose or [],
            "present_loose": present_loose or [],
        },
        status=status,
    )


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person(request_actor(request), person_id)
    audit_log.record_read(person, fields=PERSON_FIELDS)
    return _detail_page(request, person)


@login_required
@require_POST
def person_reveal(request: HttpRequest, person_id: int, field: str) -> HttpResponse:
    if field not in IDENTIFIER_FIELDS:
        raise Http404
    try:
        person = person_identifiers(actor=request_actor(request), person_id=person_id)
    except DomainError as exc:
        raise Http404 from exc
    return _detail_page(request, person, revealed=frozenset({field}))


@login_required
@require_POST
def person_add_test(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person(request_actor(request), person_id)
    if not may_add_test_results(request_actor(request), person):
        raise PermissionDenied(
            _("Only staff of an organization working with this person can record test results.")
        )
    form = TestResultForm(request.POST)
    loose: list[Any] = []
    if form.is_valid():
        try:
            test_result_add(
                actor=request_actor(request), person_id=person.pk, data=form.result_data()
            )
        except DomainError as error:
            loose = form_refusal(form, error)
        else:
            messages.success(request, _("The test result has been recorded."))
            return redirect(reverse("people:detail", args=[person.pk]) + "#tests")
    return _detail_page(request, person, test_form=form, test_loose=loose, status=422)


@login_required
@require_POST
def person_confirm_test(request: HttpRequest, person_id: int, result_id: int) -> HttpResponse:
    """A contact point confirms, with the test body, a result a sending agency entered."""
    actor = request_actor(request)
    person = _get_person(actor, person_id)
    try:
        test_result_verify(
            actor=actor,
            person_id=person.pk,
            result_id=result_id,
            basis=request.POST.get("basis", ""),
        )
    except DomainError as error:
        return _detail_page(request, person, test_loose=page_refusal(error), status=error.status)
    messages.success(request, _("The test result was confirmed; it now counts."))
    return redirect(reverse("people:detail", args=[person.pk]) + "#tests")


@login_required
@require_POST
def person_invite(request: HttpRequest, person_id: int) -> HttpResponse:
    """The registering organization gives the worker a one-time code and link (shown once)."""
    actor = request_actor(request)
    person = _get_person(actor, person_id)
    try:
        issued = worker_invite(actor=actor, person_id=person.pk)
    except DomainError as error:
        return _detail_page(request, person, test_loose=page_refusal(error), status=error.status)
    link = request.build_absolute_uri(reverse("join_code", args=[issued.code]))
    return render(
        request,
        "people/invitation.html",
        {
            "nav": "persons",
            "person": person,
            "code": issued.code,
            "link": link,
            "expires_at": issued.invitation.expires_at,
        },
    )


@login_required
@require_POST
def person_present_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person(request_actor(request), person_id)
    if not may_manage_person(request_actor(request), person):
        raise PermissionDenied(
            _("Only the organization that registered this person can present them.")
        )
    form = PresentForm(
        request.POST, organizations=_receiving_organizations(request_actor(request), person)
    )
    loose: list[Any] = []
    if form.is_valid():
        try:
            person_present(
                actor=request_actor(request),
                person_id=person.pk,
                organization_id=form.cleaned_data["organization_id"],
            )
        except DomainError as error:
            loose = form_refusal(form, error)
        else:
            messages.success(request, _("The person has been presented to the organization."))
            return redirect(reverse("people:detail", args=[person.pk]) + "#presentations")
    return _detail_page(request, person, present_form=form, present_loose=loose, status=422)
