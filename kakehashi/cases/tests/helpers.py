"""Evidence that satisfies each step, for walking a case through its pattern in tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone


def evidence_for(step_key: str, day: datetime.date | None = None) -> dict[str, Any]:
    d = (day or timezone.localdate()).isoformat()
    return {
        "employment_contract": {
            "signed_on": d,
            "monthly_wage_jpy": 230000,
            "monthly_hours": 160,
            "contract_language": "ja_ru",
        },
        "center_recruitment_contract": {"signed_on": d},
        "job_offer_submitted": {"submitted_on": d, "positions": 2, "job_title": "Care worker"},
        "job_offer_published": {"published_on": d, "publication_reference": "migrant.kg #12"},
        "candidate_contact": {"contacted_on": d},
        "agency_recruitment_contract": {"signed_on": d, "contract_number": "AT-2026-7"},
        "candidates_provided": {
            "provided_on": d,
            "candidates_count": 3,
            "selected_by_agency": False,
        },
        "center_registration": {"registered_on": d, "registration_number": "KG-REG-1"},
        "coe_application": {
            "filed_on": d,
            "bureau": "Tokyo Regional Immigration Services Bureau, Niigata",
        },
        "coe_decision": {"decided_on": d, "outcome": "issued", "coe_number": "COE123"},
        "coe_sent": {"sent_on": d, "method": "email"},
        "visa_application": {"applied_on": d},
        "visa_decision": {"decided_on": d, "outcome": "issued"},
        "landing": {"landed_on": d, "port_of_entry": "Narita"},
        "change_of_status_application": {
            "filed_on": d,
            "bureau": "Niigata",
            "current_status": "Student",
            "current_period_until": (
                timezone.localdate() + datetime.timedelta(days=90)
            ).isoformat(),
        },
        "change_of_status_decision": {"decided_on": d, "outcome": "granted"},
    }[step_key]


# Who records each step in the tests' world (see kakehashi/testing/personas.py).
ACTOR_FOR = {
    "job_offer_published": "aida",
    "center_registration": "aida",
    "candidates_provided": "bakyt",
}


def actor_for(step_key: str) -> str:
    return ACTOR_FOR.get(step_key, "hana")


# The steps of each pattern of the KG procedure, in order (kg-2023.yaml).
COMMON = ["coe_application", "coe_decision", "coe_sent", "visa_application", "visa_decision"]
PATTERN_STEPS = {
    "direct": ["employment_contract", *COMMON, "landing"],
    "via_center": [
        "center_recruitment_contract",
        "job_offer_submitted",
        "job_offer_published",
        "candidate_contact",
        "employment_contract",
        *COMMON,
        "landing",
    ],
    "via_agency": [
        "agency_recruitment_contract",
        "candidates_provided",
        "employment_contract",
        "center_registration",
        *COMMON,
        "landing",
    ],
    "change_of_status": [
        "employment_contract",
        "change_of_status_application",
        "change_of_status_decision",
    ],
}
DIRECT = PATTERN_STEPS["direct"]


def landed_case(world: Any, **person: Any) -> Any:
    """A care worker hired directly by the care home, with the registered support
    organization entrusted, walked through every step up to landing."""
    from kakehashi.access import Actor
    from kakehashi.cases import services
    from kakehashi.testing.documents import required_uploads
    from kakehashi.testing.factories import PersonFactory, make_eligible

    worker = PersonFactory(created_by_organization=world.care_home, **person)
    make_eligible(worker, "care")
    case = services.case_create(
        actor=Actor.of(world.hana),
        person_id=worker.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
        support_organization_id=world.support.pk,
    ).case
    for step in DIRECT:
        services.case_complete_step(
            actor=Actor.of(world.user(actor_for(step))),
            case_id=case.pk,
            step_key=step,
            evidence=evidence_for(step),
            documents=required_uploads(case.pk, step),
        )
    return case
