"""Job offer pages for signed-in users: the receiving organization's offers (list, new,
edit, submit, withdraw, contacts, start a case) and the Center's review queue. Thin: parse
the form, call one service or selector, render. A refusal reads as in the API: 404 for an
offer the user may not see, 403 for what they see but may not do, 409 and 422 shown on the
page next to the form they concern.

Candidates' names never go in a URL or a flash message (flash messages live in a cookie)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import Actor, request_actor
from kakehashi.access.policy import (
    may_create_offers,
    may_manage_offer,
    may_see_contacts,
    offer_reviewer,
    review_countries,
)
from kakehashi.core.errors import DomainError, Problem
from kakehashi.core.pages import form_refusal, page_refusal
from kakehashi.protection.forms import FeeForm, breakdown_lines
from kakehashi.protection.selectors import fees_of_offer
from kakehashi.protection.services.fees import fee_record

from . import services
from .forms import (
    ContactForm,
    JobOfferForm,
    RecruitmentContractForm,
    ReviewForm,
    StartCaseForm,
    WithdrawForm,
)
from .models import JobOffer, JobOfferEventKind, JobOfferStatus
from .presenters import STATUS_BADGE, offer_facts
from .selectors import (
    contact_get_for_user,
    contacts_visible_to,
    job_offer_get_for_user,
    job_offer_list,
    recruitment_contracts_of,
    review_queue,
)
from .services.offers import EDITABLE, OFFER_FIELDS

PAGE_SIZE = 25
CONTACT_EVENTS = (JobOfferEventKind.CONTACT_RECORDED, JobOfferEventKind.CASE_STARTED)


def _get_offer(actor: Actor, offer_id: int) -> JobOffer:
    try:
        return job_offer_get_for_user(actor, offer_id)
    except DomainError as error:
        raise Http404(error.message) from error


def _require_manager(request: HttpRequest, offer: JobOffer) -> None:
    """Refuse a write on the page before reading its form, in the services' order."""
    if not may_manage_offer(request_actor(request), offer):
        raise PermissionDenied(
            _("Only staff of the receiving organization can change its job offer.")
        )


# --- lists ------------------------------------------------------------------------------


def _list_page(
    request: HttpRequest,
    contract_form: RecruitmentContractForm | None = None,
    contract_loose: list[Problem] | None = None,
    status_code: int = 200,
) -> HttpResponse:
    actor = request_actor(request)
    status = request.GET.get("status", "")
    if status not in JobOfferStatus.values:
        status = ""
    offers = job_offer_list(actor, status or None)
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = may_create_offers(actor)
    return render(
        request,
        "joboffers/list.html",
        {
            "nav": "job_offers",
            "page": page,
            "rows": [{"offer": o, "badge": STATUS_BADGE[o.status]} for o in page],
            "status": status,
            "statuses": JobOfferStatus.choices,
            "query": f"status={status}" if status else "",
            "can_create": can_create,
            "is_center": bool(review_countries(actor)),
            "contracts": list(recruitment_contracts_of(actor)[:5]) if can_create else [],
            "contract_form": (contract_form or RecruitmentContractForm()) if can_create else None,
            "contract_loose": contract_loose or [],
        },
        status=status_code,
    )


@login_required
def offer_list_page(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_POST
def contract_record(request: HttpRequest) -> HttpResponse:
    """The receiving organization records its recruitment contract with the Center."""
    form = RecruitmentContractForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status_code=422)
    try:
        services.recruitment_contract_record(actor=request_actor(request), **form.cleaned_data)
    except DomainError as error:
        loose = form_refusal(form, error)
        return _list_page(request, form, loose, status_code=error.status)
    messages.success(request, _("The recruitment contract with the Center was recorded."))
    return redirect("joboffers:list")


@login_required
def review_queue_page(request: HttpRequest) -> HttpResponse:
    """The Center's queue: submitted offers of its country, oldest first."""
    if not bool(review_countries(request_actor(request))):
        raise PermissionDenied(_("Only the Center reviews job offers."))
    page = Paginator(review_queue(request_actor(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "offer": offer,
            "facts": offer_facts(offer),
            "form": ReviewForm(offer_id=offer.pk)
            if offer_reviewer(request_actor(request), offer) is not None
            else None,
        }
        for offer in page
    ]
    return render(
        request, "joboffers/review_queue.html", {"nav": "job_offers", "page": page, "rows": rows}
    )


# --- new and change ---------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: JobOfferForm,
    loose: list[Problem],
    offer: JobOffer | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "joboffers/form.html",
        {"nav": "job_offers", "form": form, "loose": loose, "offer": offer},
        status=status,
    )


@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    if not may_create_offers(request_actor(request)):
        raise PermissionDenied(_("Only staff of a receiving organization can post job offers."))
    if request.method != "POST":
        return _form_page(request, JobOfferForm(), [], None)
    form = JobOfferForm(request.POST)
    loose: list[Problem] = []
    if form.is_valid():
        try:
            offer = services.job_offer_create(actor=request_actor(request), data=form.cleaned_data)
        except DomainError as error:
            loose = form_refusal(form, error)
        else:
            messages.success(request, _("The job offer has been saved as a draft."))
            return redirect("joboffers:detail", offer_id=offer.pk)
    return _form_page(request, form, loose, None, status=422)


@login_required
def offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _get_offer(request_actor(request), offer_id)
    if not may_manage_offer(request_actor(request), offer):
        raise PermissionDenied(
            _("Only staff of the receiving organization can change its job offer.")
        )
    if offer.status not in EDITABLE:
        refusal = [
            Problem("offer_not_editable", _("Only a draft or a rejected job offer can be changed."))
        ]
        return _detail_page(request, offer, refusal=refusal, status=409)
    if request.method != "POST":
        initial = {name: getattr(offer, name) for name in OFFER_FIELDS}
        initial |= {"field": offer.field.code, "business_category": offer.business_category.code}
        return _form_page(request, JobOfferForm(initial=initial), [], offer)
    form = JobOfferForm(request.POST)
    loose: list[Problem] = []
    if form.is_valid():
        try:
            services.job_offer_update(
                actor=request_actor(request), offer_id=offer.pk, data=form.cleaned_data
            )
        except DomainError as error:
            loose = form_refusal(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("joboffers:detail", offer_id=offer.pk)
    return _form_page(request, form, loose, offer, status=422)


# --- the offer page ---------------------------------------------------------------------


def _detail_page(
    request: HttpRequest,
    offer: JobOffer,
    *,
    refusal: list[Problem] | None = None,
    review_form: ReviewForm | None = None,
    review_loose: list[Problem] | None = None,
    contact_form: ContactForm | None = None,
    contact_loose: list[Problem] | None = None,
    start_forms: dict[int, tuple[StartCaseForm, list[Problem]]] | None = None,
    withdraw_form: WithdrawForm | None = None,
    fee_form: FeeForm | None = None,
    fee_loose: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request_actor(request)
    can_manage = may_manage_offer(actor, offer)
    may_add_fee = can_manage and not offer.worker_pays_nothing
    can_review = (
        offer_reviewer(actor, offer) is not None and offer.status == JobOfferStatus.SUBMITTED
    )
    can_record = can_manage and offer.status == JobOfferStatus.PUBLISHED
    start_forms = start_forms or {}
    contacts = []
    if may_see_contacts(actor, offer):
        for contact in contacts_visible_to(actor, offer):
            form, loose = start_forms.get(contact.pk, (None, []))
            if can_manage and contact.case_id is None and form is None:
                form = StartCaseForm(contact_id=contact.pk)
            contacts.append({"contact": contact, "form": form, "loose": loose})
    events = offer.events.select_related("organization").order_by("id")
    if not may_see_contacts(actor, offer):
        # How many candidates answered is the organization's business, like who they are.
        events = events.exclude(kind__in=CONTACT_EVENTS)
    return render(
        request,
        "joboffers/detail.html",
        {
            "nav": "job_offers",
            "offer": offer,
            "facts": offer_facts(offer),
            "fees": list(fees_of_offer(offer.pk)),
            "fee_form": (fee_form or FeeForm(prefix="fee")) if may_add_fee else None,
            "fee_loose": fee_loose or [],
            "badge": STATUS_BADGE[offer.status],
            "refusal": refusal or [],
            "can_manage": can_manage,
            "can_edit": can_manage and offer.status in EDITABLE,
            "can_submit": can_manage and offer.status == JobOfferStatus.DRAFT,
            "withdraw_form": (withdraw_form or WithdrawForm())
            if can_manage and offer.status != JobOfferStatus.WITHDRAWN
            else None,
            "review_form": (review_form or ReviewForm(offer_id=offer.pk)) if can_review else None,
            "review_loose": review_loose or [],
            "sees_contacts": may_see_contacts(actor, offer),
            "contacts": contacts,
            "contact_form": (contact_form or ContactForm()) if can_record else None,
            "contact_loose": contact_loose or [],
            "events": events,
        },
        status=status,
    )


@login_required
def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _detail_page(request, _get_offer(request_actor(request), offer_id))


@login_required
@require_POST
def offer_fee(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The employer records a fee the worker is asked to pay for this offer (moc_kg §4(1)(e))."""
    offer = _get_offer(request_actor(request), offer_id)
    form = FeeForm(request.POST, prefix="fee")
    if not form.is_valid():
        return _detail_page(request, offer, fee_form=form, status=422)
    data = {**form.cleaned_data, "job_offer_id": offer.pk}
    data["breakdown"] = breakdown_lines(data["breakdown"])
    try:
        fee_record(actor=request_actor(request), data=data)
    except DomainError as error:
        loose = form_refusal(form, error)
        return _detail_page(request, offer, fee_form=form, fee_loose=loose, status=error.status)
    messages.success(request, _("The fee was recorded."))
    return redirect("joboffers:detail", offer_id=offer.pk)


@login_required
@require_POST
def offer_submit(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _get_offer(request_actor(request), offer_id)
    try:
        services.job_offer_submit(actor=request_actor(request), offer_id=offer.pk)
    except DomainError as error:
        return _detail_page(request, offer, refusal=page_refusal(error), status=error.status)
    messages.success(request, _("The job offer has been submitted to the Center."))
    return redirect("joboffers:detail", offer_id=offer.pk)


@login_required
@require_POST
def offer_withdraw(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _get_offer(request_actor(request), offer_id)
    _require_manager(request, offer)
    form = WithdrawForm(request.POST)
    loose: list[Problem] = []
    status = 422
    if form.is_valid():
        try:
            services.job_offer_withdraw(
                actor=request_actor(request), offer_id=offer.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            loose, status = form_refusal(form, error), error.status
        else:
            messages.success(request, _("The job offer has been withdrawn."))
            return redirect("joboffers:detail", offer_id=offer.pk)
    return _detail_page(request, offer, withdraw_form=form, refusal=loose, status=status)


@login_required
@require_POST
def offer_review(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _get_offer(request_actor(request), offer_id)
    if not offer_reviewer(request_actor(request), offer) is not None:
        raise PermissionDenied(
            _("Only staff of the Center of the offer's country can publish or reject it.")
        )
    form = ReviewForm(request.POST, offer_id=offer.pk)
    loose: list[Problem] = []
    status = 422
    if form.is_valid():
        try:
            reviewed = services.job_offer_review(
                actor=request_actor(request),
                offer_id=offer.pk,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            loose, status = form_refusal(form, error), error.status
        else:
            if reviewed.status == JobOfferStatus.PUBLISHED:
                messages.success(request, _("The job offer has been published."))
            else:
                messages.success(request, _("The job offer has been rejected."))
            if request.POST.get("from") == "queue":
                return redirect("joboffers:review_queue")
            return redirect("joboffers:detail", offer_id=offer.pk)
    if status == 409:
        return _detail_page(request, offer, refusal=loose, status=409)
    return _detail_page(request, offer, review_form=form, review_loose=loose, status=status)


# --- contacts ---------------------------------------------------------------------------


@login_required
@require_POST
def contact_record(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _get_offer(request_actor(request), offer_id)
    _require_manager(request, offer)
    form = ContactForm(request.POST)
    loose: list[Problem] = []
    status = 422
    if form.is_valid():
        try:
            services.candidate_contact_record(
                actor=request_actor(request), offer_id=offer.pk, data=form.cleaned_data
            )
        except DomainError as error:
            loose, status = form_refusal(form, error), error.status
        else:
            messages.success(request, _("The contact has been recorded."))
            return redirect(reverse("joboffers:detail", args=[offer.pk]) + "#contacts")
    if status == 409:
        return _detail_page(request, offer, refusal=loose, status=409)
    return _detail_page(request, offer, contact_form=form, contact_loose=loose, status=status)


@login_required
@require_POST
def contact_start_case(request: HttpRequest, offer_id: int, contact_id: int) -> HttpResponse:
    offer = _get_offer(request_actor(request), offer_id)
    try:
        contact_get_for_user(request_actor(request), offer.pk, contact_id)
    except DomainError as error:
        raise Http404(error.message) from error
    _require_manager(request, offer)
    form = StartCaseForm(request.POST, contact_id=contact_id)
    loose: list[Problem] = []
    status = 422
    if form.is_valid():
        try:
            started = services.candidate_contact_start_case(
                actor=request_actor(request),
                offer_id=offer.pk,
                contact_id=contact_id,
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        except DomainError as error:
            loose, status = form_refusal(form, error), error.status
        else:
            messages.success(
                request,
                _("The candidate has been registered and case %(reference)s has been opened.")
                % {"reference": started.case.reference},
            )
            return redirect("cases:detail", case_id=started.case.pk)
    start_forms = {contact_id: (form, loose)}
    return _detail_page(request, offer, start_forms=start_forms, status=status)
