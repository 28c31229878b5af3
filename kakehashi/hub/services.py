"""Writes of the hub: employers' needs, candidates registered by partner institutions and
their consent, opening a case from a match, and cooperation confirmations."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import (
    acting_receiving_organization,
    hub_municipality,
    may_open_case_from_match,
    partner_institution,
)
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.cases.services import case_create
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem
from kakehashi.people.services import person_present_by_consent
from kakehashi.reference.models import BusinessCategory, Field

from .models import (
    JAPANESE_LEVELS,
    ConfirmationScope,
    CooperationConfirmation,
    EmployerNeed,
    MatchAction,
    NeedStatus,
    PoolCandidate,
)
from .selectors import need_get, pool_visible_to

LEVELS = {code for code, _label in JAPANESE_LEVELS}


def _field_and_category(
    data: dict[str, Any], problems: list[Problem], required_category: bool
) -> tuple[Any, Any]:
    fld = Field.objects.filter(code=str(data.get("field") or "")).first()
    if fld is None:
        problems.append(Problem("invalid_choice", _("Choose a field."), field="field"))
    category = None
    code = str(data.get("business_category") or "")
    if code:
        category = BusinessCategory.objects.filter(code=code, field=fld).first()
        if category is None:
            problems.append(
                Problem(
                    "invalid_choice",
                    _("Choose a category of the field."),
                    field="business_category",
                )
            )
    elif required_category:
        problems.append(
            Problem("required", _("This field is required."), field="business_category")
        )
    return fld, category


@transaction.atomic
def need_record(*, actor: Actor, data: dict[str, Any]) -> EmployerNeed:
    """An employer records what it needs (R-H1)."""
    employer = acting_receiving_organization(
        actor,
        data.get("receiving_organization_id"),
        _("Only an employer records its needs."),
        "receiving_organization_id",
    )
    problems: list[Problem] = []
    fld, category = _field_and_category(data, problems, required_category=True)
    positions = data.get("positions")
    if not isinstance(positions, int) or not 1 <= positions <= 500:
        problems.append(Problem("out_of_range", _("Between 1 and 500 people."), field="positions"))
    level = str(data.get("japanese_level") or "")
    if level not in LEVELS:
        problems.append(
            Problem("invalid_choice", _("Choose a Japanese level."), field="japanese_level")
        )
    needed_by = validation.date_field(data.get("needed_by"), "needed_by", problems)
    if needed_by is not None and needed_by < timezone.localdate():
        problems.append(Problem("date_in_past", _("The date has passed."), field="needed_by"))
    support = validation.text_field(
        data.get("support_offered"), "support_offered", problems, max_length=300
    )
    if problems:
        raise InvalidInput(problems)
    assert isinstance(positions, int)
    assert needed_by is not None
    return EmployerNeed.objects.create(
        receiving_organization=employer,
        field=fld,
        business_category=category,
        positions=positions,
        japanese_level=level,
        needed_by=needed_by,
        housing_offered=bool(data.get("housing_offered")),
        support_offered=support,
        created_by=actor.required_user,
    )


@transaction.atomic
def candidate_consent_record(*, actor: Actor, candidate_id: int, reference: str) -> PoolCandidate:
    """The institution records the candidate's signed consent to be presented to employers;
    only then do employers and the city see them."""
    institution = partner_institution(actor)
    candidate = PoolCandidate.objects.select_for_update().filter(pk=candidate_id).first()
    if candidate is None or institution is None or candidate.institution_id != institution.pk:
        raise NotFound("candidate")
    problems: list[Problem] = []
    reference = validation.text_field(
        reference, "consent_reference", problems, required=True, max_length=100
    )
    if problems:
        raise InvalidInput(problems)
    candidate.consented_at = timezone.now()
    candidate.consent_reference = reference
    candidate.save(update_fields=["consented_at", "consent_reference"])
    return candidate


@transaction.atomic
def pool_candidate_add(*, actor: Actor, person_id: int, data: dict[str, Any]) -> PoolCandidate:
    """The institution adds a person it registered to its pool, with field, Japanese level,
    tests planned and availability."""
    institution = partner_institution(actor)
    if institution is None:
        raise NotAllowed(_("Only a partner institution keeps a pool."))
    from kakehashi.people.models import Person

    person = Person.objects.filter(pk=person_id, created_by_organization=institution).first()
    if person is None:
        raise InvalidInput([Problem("not_found", _("No such person."), field="person_id")])
    problems: list[Problem] = []
    fld, category = _field_and_category(data, problems, required_category=False)
    level = str(data.get("japanese_level") or "")
    if level not in LEVELS:
        problems.append(
            Problem("invalid_choice", _("Choose a Japanese level."), field="japanese_level")
        )
    available = validation.date_field(data.get("available_from"), "available_from", problems)
    planned = validation.text_field(
        data.get("tests_planned"), "tests_planned", problems, max_length=200
    )
    if problems:
        raise InvalidInput(problems)
    candidate, _created = PoolCandidate.objects.update_or_create(
        person=person,
        defaults={
            "institution": institution,
            "field": fld,
            "business_category": category,
            "japanese_level": level,
            "tests_planned": planned,
            "available_from": available,
        },
    )
    return candidate


@transaction.atomic
def match_open_case(*, actor: Actor, need_id: int, candidate_id: int) -> MatchAction:
    """In one step, from a match: present the consenting candidate to the employer and open
    the case (pattern 1, direct hiring, or change of status if they live in Japan)."""
    need = need_get(actor, need_id)
    employer = may_open_case_from_match(actor, need)
    if employer is None:
        raise NotAllowed(_("Only the employer opens a case from its need."))
    candidate = pool_visible_to(actor).filter(pk=candidate_id).first()
    if candidate is None or candidate.consented_at is None:
        raise NotFound("candidate")
    if MatchAction.objects.filter(need=need, candidate=candidate, case__isnull=False).exists():
        raise Conflict(_("A case was already opened from this match."), code="already_opened")
    person_present_by_consent(
        person=candidate.person, organization=need.receiving_organization, by=actor.required_user
    )
    pattern = "change_of_status" if candidate.person.current_country == "JP" else "direct"
    created = case_create(
        actor=actor,
        person_id=candidate.person_id,
        field_code=need.field.code,
        category_code=need.business_category.code,
        pattern=pattern,
        receiving_organization_id=employer.pk,
    )
    action, _created = MatchAction.objects.update_or_create(
        need=need, candidate=candidate, defaults={"case": created.case, "by": actor.required_user}
    )
    return action


@transaction.atomic
def match_present(*, actor: Actor, need_id: int, candidate_id: int) -> MatchAction:
    """The city shortlists a consenting candidate for a need of one of its employers and
    presents them to the employer, which then sees them and may open a case."""
    need = need_get(actor, need_id)
    city = hub_municipality(actor)
    if city is None or need.receiving_organization.municipality_id != city.pk:
        raise NotAllowed(_("Only the employer's city presents candidates for its needs."))
    candidate = pool_visible_to(actor).filter(pk=candidate_id).first()
    if candidate is None or candidate.consented_at is None:
        raise NotFound("candidate")
    person_present_by_consent(
        person=candidate.person, organization=need.receiving_organization, by=actor.required_user
    )
    action, _created = MatchAction.objects.get_or_create(
        need=need, candidate=candidate, defaults={"by": actor.required_user}
    )
    return action


@transaction.atomic
def confirmation_record(*, actor: Actor, data: dict[str, Any]) -> CooperationConfirmation:
    """The city records a cooperation confirmation it received from an employer (R-H6)."""
    city = hub_municipality(actor)
    if city is None:
        raise NotAllowed(_("Only the city records the confirmations it receives."))
    problems: list[Problem] = []
    employer = Organization.objects.filter(
        pk=data.get("receiving_organization_id") or 0, kind=OrganizationKind.RECEIVING_ORGANIZATION
    ).first()
    if employer is None:
        problems.append(
            Problem(
                "not_found", _("No such receiving organization."), field="receiving_organization_id"
            )
        )
    scope = str(data.get("scope") or "")
    if scope not in ConfirmationScope.values:
        problems.append(
            Problem("invalid_choice", _("Choose workplace or residence."), field="scope")
        )
    submitted: datetime.date | None = validation.date_field(
        data.get("submitted_on"), "submitted_on", problems
    )
    validation.not_in_future(submitted, "submitted_on", problems, timezone.localdate())
    note = validation.text_field(data.get("note"), "note", problems, max_length=300)
    if problems:
        raise InvalidInput(problems)
    assert employer is not None
    assert submitted is not None
    return CooperationConfirmation.objects.create(
        receiving_organization=employer,
        municipality=city,
        scope=scope,
        submitted_on=submitted,
        checked=bool(data.get("checked")),
        note=note,
        recorded_by=actor.required_user,
    )


def need_close(*, actor: Actor, need_id: int, status: str) -> EmployerNeed:
    need = need_get(actor, need_id)
    if actor.acts_for(need.receiving_organization_id) is None:
        raise NotAllowed(_("Only the employer changes its need."))
    if status not in (NeedStatus.FILLED, NeedStatus.CLOSED):
        raise InvalidInput(
            [Problem("invalid_choice", _("Choose filled or closed."), field="status")]
        )
    need.status = status
    need.save(update_fields=["status"])
    return need


# --- exchange records and programmes (R-H2–R-H4) ---------------------------------------------

# What each record keeps: text fields with their limits, date fields, and choices.
EXCHANGE_SPECS: dict[str, dict[str, Any]] = {
    "visit": {"text": {"summary": 400}, "dates": ["visited_on"]},
    "agreement": {"text": {"title": 200}, "dates": ["signed_on"], "partner": True},
    "link": {
        "text": {"title": 200},
        "dates": ["updated_on"],
        "partner": False,
        "choices": {"kind": "LinkKind", "stage": "LinkStage"},
    },
    "delegation": {
        "text": {"title": 200, "expected_outcomes": 3000},
        "dates": ["starts_on", "ends_on"],
        "integers": {"participants_count": (1, 500)},
    },
    "leg": {
        "text": {"origin": 100, "destination": 100},
        "dates": ["travels_on"],
        "delegation": True,
    },
    "participant": {"text": {"organization": 200, "role": 200}, "delegation": True},
    "visited": {
        "text": {"institution": 200, "fields_discussed": 200},
        "dates": ["visited_on"],
        "delegation": True,
    },
    "follow_up": {
        "text": {"description": 300, "owner": 200},
        "dates": ["due_on"],
        "delegation": True,
    },
    "trainee": {"text": {"name": 200, "home_institution": 200, "report": 3000}, "programme": True},
}
OPTIONAL = {"fields_discussed", "report", "visited_on"}


@transaction.atomic
def exchange_record(*, actor: Actor, kind: str, data: dict[str, Any]) -> Any:
    """The city records an exchange record (a visit, an agreement, a business link, a
    delegation and its legs, participants, institutions visited and follow-ups) or a
    programme's trainee. Every field is checked; nothing is half-written."""
    from . import models as hub_models

    city = hub_municipality(actor)
    if city is None:
        raise NotAllowed(_("Only the city keeps its exchange records."))
    spec = EXCHANGE_SPECS.get(kind)
    if spec is None:
        raise NotFound("record")
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for name, limit in spec.get("text", {}).items():
        values[name] = validation.text_field(
            data.get(name), name, problems, required=name not in OPTIONAL, max_length=limit
        )
    for name in spec.get("dates", []):
        values[name] = validation.date_field(
            data.get(name), name, problems, required=name not in OPTIONAL
        )
    for name, (low, high) in spec.get("integers", {}).items():
        value = data.get(name)
        if not isinstance(value, int) or not low <= value <= high:
            problems.append(
                Problem(
                    "out_of_range",
                    _("Between %(min)s and %(max)s.") % {"min": low, "max": high},
                    field=name,
                )
            )
        values[name] = value
    for name, choices in spec.get("choices", {}).items():
        allowed = getattr(hub_models, choices).values
        if data.get(name) not in allowed:
            problems.append(Problem("invalid_choice", _("Choose from the list."), field=name))
        values[name] = data.get(name)
    if "partner" in spec:
        partner = Organization.objects.filter(pk=data.get("partner_id") or 0).first()
        if partner is None and spec["partner"]:
            problems.append(Problem("not_found", _("No such organization."), field="partner_id"))
        values["partner"] = partner
    if spec.get("delegation"):
        delegation = hub_models.Delegation.objects.filter(
            pk=data.get("delegation_id") or 0, municipality=city
        ).first()
        if delegation is None:
            raise NotFound("delegation")
        values["delegation"] = delegation
    if spec.get("programme"):
        programme = hub_models.ProgrammeYear.objects.filter(
            pk=data.get("programme_id") or 0, municipality=city
        ).first()
        if programme is None:
            raise NotFound("programme")
        values["programme"] = programme
    if kind == "delegation":
        validation.period(
            values.get("starts_on"), values.get("ends_on"), "ends_on", problems, same_day=True
        )
    if problems:
        raise InvalidInput(problems)
    model: Any = {
        "visit": hub_models.CourtesyVisit,
        "agreement": hub_models.Agreement,
        "link": hub_models.BusinessLink,
        "delegation": hub_models.Delegation,
        "leg": hub_models.DelegationLeg,
        "participant": hub_models.DelegationParticipant,
        "visited": hub_models.DelegationVisit,
        "follow_up": hub_models.FollowUp,
        "trainee": hub_models.Trainee,
    }[kind]
    if kind in ("visit", "agreement", "link", "delegation"):
        values["municipality"] = city
    return model.objects.create(**values)


@transaction.atomic
def programme_year_open(
    *, actor: Actor, template_id: int, cycle_start_year: int, training_field: str
) -> Any:
    """The city opens a programme year from a template (its stages dated from the year)."""
    from .models import ProgrammeTemplate, ProgrammeYear

    city = hub_municipality(actor)
    if city is None:
        raise NotAllowed(_("Only the city runs its programmes."))
    problems: list[Problem] = []
    template = ProgrammeTemplate.objects.filter(pk=template_id).first()
    if template is None:
        problems.append(Problem("not_found", _("No such programme."), field="template_id"))
    if not isinstance(cycle_start_year, int) or not 2000 <= cycle_start_year <= 2100:
        problems.append(
            Problem(
                "out_of_range",
                _("Between %(min)s and %(max)s.") % {"min": 2000, "max": 2100},
                field="cycle_start_year",
            )
        )
    field_text = validation.text_field(
        training_field, "training_field", problems, required=True, max_length=200
    )
    if problems:
        raise InvalidInput(problems)
    assert template is not None
    return ProgrammeYear.objects.create(
        template=template,
        municipality=city,
        cycle_start_year=cycle_start_year,
        training_field=field_text,
    )
