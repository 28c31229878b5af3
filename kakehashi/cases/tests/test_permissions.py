"""Who may see and do what with cases, persona by persona, through /api/v1 with real
bearer tokens (docs/access.md). Each row checks the status code and, for a refused
write, that nothing was written: no Case, CaseStep or CaseEvent row, no changed field.

Rules under test: kakehashi/cases/selectors.py (case_visibility, case_roles_for_user)
and kakehashi/cases/services.py. A case the caller may not see answers exactly like a
missing one (404, same body); 403 only when the caller sees the case but may not act."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from kakehashi.access import Actor
from kakehashi.accounts.models import User
from kakehashi.cases import services
from kakehashi.cases.models import Case, CaseEvent, CaseStatus, CaseStep
from kakehashi.conftest import ApiClient
from kakehashi.testing.documents import provide_documents, required_uploads
from kakehashi.testing.factories import (
    MembershipFactory,
    PersonFactory,
    UserFactory,
    make_eligible,
)

from .helpers import actor_for, evidence_for

MISSING_ID = 999_999

VIA_AGENCY = [
    "agency_recruitment_contract",
    "candidates_provided",
    "employment_contract",
    "center_registration",
    "coe_application",
    "coe_decision",
    "coe_sent",
    "visa_application",
]


@dataclass
class Cases:
    care_home: Case  # Shinano Care Home (Nagaoka), via Ala-Too Bridge (certified agency)
    osaka_metal: Case  # Osaka Metal (no hub city), direct hiring
    supported: Case  # Shinano Care Home, direct hiring, with Niigata Support


def _open_case(world: Any, actor: str, org: Any, pattern: str, **extra: Any) -> Case:
    person = make_eligible(PersonFactory(created_by_organization=org), "care")
    result = services.case_create(
        actor=Actor.of(world.user(actor)),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern=pattern,
        **extra,
    )
    return result.case


@pytest.fixture
def cases(world: Any) -> Cases:
    return Cases(
        care_home=_open_case(
            world, "hana", world.care_home, "via_agency", sending_agency_id=world.agency.pk
        ),
        osaka_metal=_open_case(world, "oscar", world.osaka_metal, "direct"),
        supported=_open_case(
            world, "hana", world.care_home, "direct", support_organization_id=world.support.pk
        ),
    )


def _case_at(world: Any, step_key: str) -> Case:
    """A fresh via-agency care-home case with every step before `step_key` recorded."""
    case = _open_case(
        world, "hana", world.care_home, "via_agency", sending_agency_id=world.agency.pk
    )
    for done in VIA_AGENCY[: VIA_AGENCY.index(step_key)]:
        services.case_complete_step(
            actor=Actor.of(world.user(actor_for(done))),
            case_id=case.pk,
            step_key=done,
            evidence=evidence_for(done),
            documents=required_uploads(case.pk, done),
        )
    case.refresh_from_db()
    assert case.current_step == step_key
    return case


def _state(case_id: int) -> dict[str, Any]:
    """Everything a refused write must leave as it was."""
    return {
        "case": Case.objects.filter(pk=case_id)
        .values("status", "current_step", "closed_at", "updated_at")
        .get(),
        "steps": list(CaseStep.objects.filter(case_id=case_id).values_list("pk", flat=True)),
        "events": list(CaseEvent.objects.filter(case_id=case_id).values_list("pk", flat=True)),
    }


def _not_found_body(api: Any, path: str) -> Any:
    response = api.get(path)
    assert response.status_code == 404
    return response.json()


# --- Seeing cases -----------------------------------------------------------------------

# persona: (care_home case, osaka_metal case, supported case)
SEES = {
    "hana": (True, False, True),  # receiving organization (care home)
    "vic": (True, False, True),  # viewer at the care home: reads all of it
    "ito": (False, False, False),  # another employer in the same city
    "oscar": (False, True, False),  # Osaka Metal: only its own case
    "mayu": (True, False, True),  # Nagaoka City: employers located in the city
    "isao": (True, True, True),  # ISA: every case
    "aida": (True, True, True),  # the Center: every KG case
    "bakyt": (True, False, False),  # agency: only the case naming it
    "rustam": (False, False, False),  # an agency named on no case
    "sato": (False, False, True),  # support organization: only the case naming it
    "nobody": (False, False, False),
}
CASE_NAMES = ("care_home", "osaka_metal", "supported")
VISIBILITY_ROWS = [
    pytest.param(persona, name, sees[i], id=f"{persona}-{'sees' if sees[i] else '404'}-{name}")
    for persona, sees in SEES.items()
    for i, name in enumerate(CASE_NAMES)
]


@pytest.mark.parametrize(("persona", "case_name", "sees"), VISIBILITY_ROWS)
def test_open_a_case(world, cases, api_as, persona, case_name, sees):
    api = api_as(persona)
    case = getattr(cases, case_name)

    response = api.get(f"/cases/{case.pk}")

    if sees:
        assert response.status_code == 200, response.json()
        assert response.json()["id"] == case.pk
    else:
        assert response.status_code == 404
        assert response.json() == _not_found_body(api, f"/cases/{MISSING_ID}")


@pytest.mark.parametrize(("persona", "case_name", "sees"), VISIBILITY_ROWS)
def test_a_case_is_in_the_list_only_for_who_can_open_it(
    world, cases, api_as, persona, case_name, sees
):
    response = api_as(persona).get("/cases", limit=200)

    assert response.status_code == 200
    listed = {item["id"] for item in response.json()["items"]}
    assert (getattr(cases, case_name).pk in listed) is sees


@pytest.mark.parametrize(
    ("persona", "case_name", "roles"),
    [
        pytest.param("hana", "care_home", ["receiving_organization"], id="hana-receiving"),
        pytest.param("vic", "care_home", [], id="vic-viewer-acts-in-none"),
        pytest.param("mayu", "care_home", [], id="mayu-city-reads-only"),
        pytest.param("isao", "care_home", [], id="isao-isa-reads-only"),
        pytest.param("aida", "care_home", ["sending_contact_point"], id="aida-center"),
        pytest.param("bakyt", "care_home", ["sending_agency"], id="bakyt-agency"),
        pytest.param("aida", "osaka_metal", ["sending_contact_point"], id="aida-center-osaka"),
        pytest.param("oscar", "osaka_metal", ["receiving_organization"], id="oscar-receiving"),
        pytest.param("sato", "supported", ["support_organization"], id="sato-support"),
    ],
)
def test_your_roles_on_a_visible_case(world, cases, api_as, persona, case_name, roles):
    response = api_as(persona).get(f"/cases/{getattr(cases, case_name).pk}")

    assert response.status_code == 200
    assert response.json()["your_roles"] == roles


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"HTTP_AUTHORIZATION": "Bearer kk_not-a-real-token"}, id="bad-token"),
    ],
)
def test_reading_cases_needs_a_valid_token(world, cases, headers):
    client = Client(**headers)
    for path in ("/api/v1/cases", f"/api/v1/cases/{cases.care_home.pk}"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "unauthenticated"


# --- Opening a case ---------------------------------------------------------------------


def _case_payload(world: Any, person_org: Any) -> dict[str, Any]:
    person = make_eligible(PersonFactory(created_by_organization=person_org), "care")
    return {
        "person_id": person.pk,
        "field": "care",
        "business_category": "care",
        "pattern": "direct",
    }


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        pytest.param("hana", 201, None, id="hana-clerk-opens"),
        pytest.param("vic", 403, "not_receiving_organization", id="vic-viewer-403"),
        pytest.param("mayu", 403, "not_receiving_organization", id="mayu-city-403"),
        pytest.param("isao", 403, "not_receiving_organization", id="isao-isa-403"),
        pytest.param("aida", 403, "not_receiving_organization", id="aida-center-403"),
        pytest.param("bakyt", 403, "not_receiving_organization", id="bakyt-agency-403"),
        pytest.param("sato", 403, "not_receiving_organization", id="sato-support-403"),
        pytest.param("nobody", 403, "not_receiving_organization", id="nobody-403"),
        # Employers elsewhere cannot open a case for the care home's candidate: they cannot see her.
        pytest.param("ito", 422, "invalid_input", id="ito-other-employer-422-person"),
        pytest.param("oscar", 422, "invalid_input", id="oscar-other-employer-422-person"),
    ],
)
def test_open_a_case_for_a_care_home_candidate(world, api_as, persona, status, code):
    payload = _case_payload(world, world.care_home)
    cases_before, events_before = Case.objects.count(), CaseEvent.objects.count()

    response = api_as(persona).post("/cases", payload)

    assert response.status_code == status, response.json()
    if status == 201:
        case = Case.objects.get(pk=response.json()["case"]["id"])
        assert case.receiving_organization == world.care_home
        assert case.created_by == world.hana
        return
    assert response.json()["code"] == code
    if status == 422:
        assert [p["field"] for p in response.json()["problems"]] == ["person"]
    assert Case.objects.count() == cases_before
    assert CaseEvent.objects.count() == events_before


def test_open_a_case_for_a_person_the_organization_cannot_see_names_the_person(world, api_as):
    payload = _case_payload(world, world.it_firm)  # registered by Echigo Soft

    response = api_as("hana").post("/cases", payload)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert [(p["code"], p["field"]) for p in body["problems"]] == [("not_found", "person")]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"HTTP_AUTHORIZATION": "Bearer kk_not-a-real-token"}, id="bad-token"),
    ],
)
def test_open_a_case_needs_a_valid_token(world, headers):
    payload = _case_payload(world, world.care_home)

    response = Client(**headers).post("/api/v1/cases", payload, content_type="application/json")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert not Case.objects.exists()


# --- Completing steps -------------------------------------------------------------------

STEP_ROWS = [
    # A receiving-organization step.
    ("agency_recruitment_contract", "hana", 200, None),
    ("agency_recruitment_contract", "vic", 403, "not_acting_role"),
    ("agency_recruitment_contract", "bakyt", 403, "not_acting_role"),
    ("agency_recruitment_contract", "aida", 403, "not_acting_role"),
    ("agency_recruitment_contract", "mayu", 403, "not_acting_role"),
    ("agency_recruitment_contract", "isao", 403, "not_acting_role"),
    ("agency_recruitment_contract", "ito", 404, "not_found"),
    ("agency_recruitment_contract", "oscar", 404, "not_found"),
    ("agency_recruitment_contract", "rustam", 404, "not_found"),
    ("agency_recruitment_contract", "sato", 404, "not_found"),
    ("agency_recruitment_contract", "nobody", 404, "not_found"),
    # The agency's step: only the agency named on the case.
    ("candidates_provided", "bakyt", 200, None),
    ("candidates_provided", "hana", 403, "not_acting_role"),
    ("candidates_provided", "vic", 403, "not_acting_role"),
    ("candidates_provided", "aida", 403, "not_acting_role"),
    ("candidates_provided", "isao", 403, "not_acting_role"),
    ("candidates_provided", "rustam", 404, "not_found"),
    # The Center's step.
    ("center_registration", "aida", 200, None),
    ("center_registration", "hana", 403, "not_acting_role"),
    ("center_registration", "bakyt", 403, "not_acting_role"),
    ("center_registration", "mayu", 403, "not_acting_role"),
    ("center_registration", "isao", 403, "not_acting_role"),
    ("center_registration", "rustam", 404, "not_found"),
    # Either the receiving organization or the agency.
    ("visa_application", "hana", 200, None),
    ("visa_application", "bakyt", 200, None),
    ("visa_application", "vic", 403, "not_acting_role"),
    ("visa_application", "aida", 403, "not_acting_role"),
    ("visa_application", "mayu", 403, "not_acting_role"),
    ("visa_application", "isao", 403, "not_acting_role"),
    ("visa_application", "ito", 404, "not_found"),
    ("visa_application", "oscar", 404, "not_found"),
    ("visa_application", "rustam", 404, "not_found"),
]


@pytest.mark.parametrize(
    ("step_key", "persona", "status", "code"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}-{row[2]}") for row in STEP_ROWS],
)
def test_complete_a_step(world, api_as, step_key, persona, status, code):
    case = _case_at(world, step_key)
    before = _state(case.pk)
    api = api_as(persona)
    user = User.objects.filter(username=persona).first()
    if user is not None:
        provide_documents(case.pk, step_key, user)

    response = api.post(
        f"/cases/{case.pk}/steps/{step_key}/complete", {"evidence": evidence_for(step_key)}
    )

    assert response.status_code == status, response.json()
    if status == 200:
        step = CaseStep.objects.get(case=case, step_key=step_key)
        assert step.completed_by == world.user(persona)
        assert (
            CaseEvent.objects.filter(case=case, step_key=step_key, kind="step_completed").count()
            == 1
        )
        return
    assert response.json()["code"] == code
    if status == 404:
        assert response.json() == _not_found_body(api, f"/cases/{MISSING_ID}")
    assert _state(case.pk) == before


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"HTTP_AUTHORIZATION": "Bearer kk_not-a-real-token"}, id="bad-token"),
        pytest.param({"HTTP_AUTHORIZATION": "Token kk_whatever"}, id="wrong-scheme"),
    ],
)
def test_complete_a_step_needs_a_valid_token(world, headers):
    case = _case_at(world, "agency_recruitment_contract")
    before = _state(case.pk)

    response = Client(**headers).post(
        f"/api/v1/cases/{case.pk}/steps/agency_recruitment_contract/complete",
        {"evidence": evidence_for("agency_recruitment_contract")},
        content_type="application/json",
    )

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert _state(case.pk) == before


def test_complete_a_step_on_a_missing_case_is_the_same_404_as_an_invisible_one(world, api_as):
    case = _case_at(world, "agency_recruitment_contract")
    api = api_as("ito")
    path = "/steps/agency_recruitment_contract/complete"
    body = {"evidence": evidence_for("agency_recruitment_contract")}

    invisible = api.post(f"/cases/{case.pk}{path}", body)
    missing = api.post(f"/cases/{MISSING_ID}{path}", body)

    assert invisible.status_code == missing.status_code == 404
    assert invisible.json() == missing.json()


def test_a_step_is_recorded_for_the_organization_that_holds_its_role(world):
    case = _case_at(world, "center_registration")
    dual = UserFactory(username="dual")
    MembershipFactory(user=dual, organization=world.agency)
    MembershipFactory(user=dual, organization=world.center)

    response = ApiClient(dual).post(
        f"/cases/{case.pk}/steps/center_registration/complete",
        {"evidence": evidence_for("center_registration")},
    )

    assert response.status_code == 200, response.json()
    step = CaseStep.objects.get(case=case, step_key="center_registration")
    event = CaseEvent.objects.get(case=case, step_key="center_registration")
    assert (step.organization, event.organization) == (world.center, world.center)


# --- Withdrawing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        pytest.param("hana", 200, id="hana-receiving-withdraws"),
        pytest.param("vic", 403, id="vic-viewer-403"),
        pytest.param("bakyt", 403, id="bakyt-agency-403"),
        pytest.param("aida", 403, id="aida-center-403"),
        pytest.param("mayu", 403, id="mayu-city-403"),
        pytest.param("isao", 403, id="isao-isa-403"),
        pytest.param("ito", 404, id="ito-other-employer-404"),
        pytest.param("rustam", 404, id="rustam-other-agency-404"),
        pytest.param("nobody", 404, id="nobody-404"),
    ],
)
def test_withdraw_a_case(world, cases, api_as, persona, status):
    case = cases.care_home
    before = _state(case.pk)
    api = api_as(persona)

    response = api.post(f"/cases/{case.pk}/withdraw", {"reason": "The candidate declined."})

    assert response.status_code == status, response.json()
    if status == 200:
        case.refresh_from_db()
        assert case.status == CaseStatus.WITHDRAWN
        event = CaseEvent.objects.filter(case=case).latest("pk")
        assert (event.kind, event.actor, event.after["reason"]) == (
            "status_changed",
            world.hana,
            "The candidate declined.",
        )
        return
    if status == 404:
        assert response.json() == _not_found_body(api, f"/cases/{MISSING_ID}")
    else:
        assert response.json()["code"] == "forbidden"
    assert _state(case.pk) == before


# --- Reference reads: any signed-in user ------------------------------------------------

READ_PATHS = ["/procedures", "/procedures/KG", "/fields", "/organizations"]


@pytest.mark.parametrize("path", READ_PATHS)
@pytest.mark.parametrize(
    "persona",
    ["hana", "vic", "ito", "oscar", "mayu", "isao", "aida", "bakyt", "rustam", "sato", "nobody"],
)
def test_reference_data_is_readable_by_every_signed_in_user(world, api_as, persona, path):
    assert api_as(persona).get(path).status_code == 200


@pytest.mark.parametrize("path", READ_PATHS)
def test_reference_data_needs_sign_in(world, path):
    response = Client().get(f"/api/v1{path}")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
