"""Who may see, register and change persons (candidates and workers), persona by persona,
through /api/v1 with real bearer tokens (docs/access.md). Each row checks the status code
and, for a refused write, that nothing was written: no Person or TestResult row, no
changed field.

Rules under test: kakehashi/people/selectors.py (person_visibility) and
kakehashi/people/services.py. A person the caller may not see answers exactly like a
missing one (404, same body); 403 only when the caller sees the person but may not act."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kakehashi.access import Actor
from kakehashi.accounts.models import MemberRole
from kakehashi.cases import services as case_services
from kakehashi.cases.models import Case
from kakehashi.conftest import ApiClient
from kakehashi.people import models as people_models
from kakehashi.people.models import Person
from kakehashi.testing.factories import MembershipFactory, PersonFactory, UserFactory, make_eligible

MISSING_ID = 999_999
PERSONAS = [
    "hana",
    "vic",
    "ito",
    "oscar",
    "mayu",
    "isao",
    "aida",
    "bakyt",
    "rustam",
    "sato",
    "nobody",
]


def _care_home_candidate(world: Any, nationality: str = "KG") -> Person:
    return make_eligible(
        PersonFactory(created_by_organization=world.care_home, nationality=nationality), "care"
    )


def _with_case(world: Any, person: Person) -> Person:
    """Open the care home's via-agency case for `person`, with Niigata Support named."""
    case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="via_agency",
        sending_agency_id=world.agency.pk,
        support_organization_id=world.support.pk,
    )
    return person


def _not_found_body(api: Any) -> Any:
    response = api.get(f"/persons/{MISSING_ID}")
    assert response.status_code == 404
    return response.json()


def _person_state(person: Person) -> dict[str, Any]:
    return Person.objects.filter(pk=person.pk).values().get()


# --- Seeing a person --------------------------------------------------------------------

# persona: (without a case, with the care home's via-agency case naming Niigata Support)
SEES = {
    "hana": (True, True),  # registered by her organization
    "vic": (True, True),  # viewer at the registering organization
    "ito": (False, False),  # another employer in the same city
    "oscar": (False, False),  # an employer in no hub city
    "mayu": (False, True),  # the city: once a case of an employer in the city names them
    "isao": (True, True),  # ISA: every person
    "aida": (True, True),  # the Center: every KG national
    "bakyt": (False, True),  # the agency: once its case names them
    "rustam": (False, False),
    "sato": (False, True),  # the support organization: once its case names them
    "nobody": (False, False),
}
VISIBILITY_ROWS = [
    pytest.param(
        persona,
        with_case,
        sees[with_case],
        id=f"{persona}-{'sees' if sees[with_case] else '404'}-{'with' if with_case else 'no'}-case",
    )
    for persona, sees in SEES.items()
    for with_case in (False, True)
]


@pytest.mark.parametrize(("persona", "with_case", "sees"), VISIBILITY_ROWS)
def test_see_a_care_home_candidate(world, api_as, persona, with_case, sees):
    person = _care_home_candidate(world)
    if with_case:
        _with_case(world, person)
    api = api_as(persona)

    response = api.get(f"/persons/{person.pk}")

    if sees:
        assert response.status_code == 200, response.json()
        assert response.json()["id"] == person.pk
    else:
        assert response.status_code == 404
        assert response.json() == _not_found_body(api)


@pytest.mark.parametrize(("persona", "with_case", "sees"), VISIBILITY_ROWS)
def test_a_person_is_listed_only_for_who_can_see_them(world, api_as, persona, with_case, sees):
    person = _care_home_candidate(world)
    if with_case:
        _with_case(world, person)

    response = api_as(persona).get("/persons", limit=200)

    assert response.status_code == 200
    assert (person.pk in {item["id"] for item in response.json()["items"]}) is sees


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        pytest.param("hana", 200, id="hana-registered-them"),
        pytest.param("isao", 200, id="isao-sees-everyone"),
        pytest.param("aida", 404, id="aida-only-kg-nationals"),
    ],
)
def test_the_center_sees_only_its_own_nationals(world, api_as, persona, status):
    person = _care_home_candidate(world, nationality="VN")

    assert api_as(persona).get(f"/persons/{person.pk}").status_code == status


@pytest.mark.parametrize("persona", ["ito", "oscar"])
def test_an_employer_sees_a_person_named_on_its_own_case(world, api_as, persona):
    person = _care_home_candidate(world)
    assert api_as(persona).get(f"/persons/{person.pk}").status_code == 404
    # The case row is written directly so that it is the only link between the employer
    # and the person (through the API the employer would first need a presentation).
    org = world.it_firm if persona == "ito" else world.osaka_metal
    Case.objects.create(
        reference=f"KG-TEST-{persona}",
        person=person,
        receiving_organization=org,
        field_id=person.test_results.get(kind="skill").business_category.field_id,
        business_category=person.test_results.get(kind="skill").business_category,
        country="KG",
        procedure_version="2023-07",
        pattern="direct",
        created_by=world.user(persona),
    )

    assert api_as(persona).get(f"/persons/{person.pk}").status_code == 200


# --- Changing a person ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        pytest.param("hana", 200, id="hana-registering-org-200"),
        pytest.param("vic", 403, id="vic-viewer-403"),
        pytest.param("isao", 403, id="isao-isa-403"),
        pytest.param("aida", 403, id="aida-center-403"),
        pytest.param("mayu", 403, id="mayu-city-403"),
        pytest.param("bakyt", 403, id="bakyt-agency-403"),
        pytest.param("sato", 403, id="sato-support-403"),
        pytest.param("ito", 404, id="ito-other-employer-404"),
        pytest.param("rustam", 404, id="rustam-404"),
        pytest.param("nobody", 404, id="nobody-404"),
    ],
)
def test_change_a_person(world, api_as, persona, status):
    person = _with_case(world, _care_home_candidate(world))  # seen by everyone with a role
    before = _person_state(person)
    api = api_as(persona)

    response = api.patch(f"/persons/{person.pk}", {"phone": "+996 555 000 111"})

    assert response.status_code == status, response.json()
    if status == 200:
        person.refresh_from_db()
        assert person.phone == "+996 555 000 111"
        return
    if status == 404:
        assert response.json() == _not_found_body(api)
    else:
        assert response.json()["code"] == "forbidden"
    assert _person_state(person) == before


# --- Registering a person ---------------------------------------------------------------

NEW_PERSON = {
    "family_name": "ASANOVA",
    "given_names": "AIGERIM",
    "nationality": "KG",
    "date_of_birth": "1999-03-04",
    "current_country": "KG",
}


@pytest.mark.parametrize(
    ("persona", "status", "org"),
    [
        pytest.param("hana", 201, "care_home", id="hana-employer-201"),
        pytest.param("ito", 201, "it_firm", id="ito-employer-201"),
        pytest.param("oscar", 201, "osaka_metal", id="oscar-employer-201"),
        pytest.param("bakyt", 201, "agency", id="bakyt-agency-201"),
        pytest.param("rustam", 201, "rogue_agency", id="rustam-uncertified-agency-201"),
        pytest.param("aida", 201, "center", id="aida-center-201"),
        pytest.param("mayu", 201, "city", id="mayu-city-201"),
        pytest.param("vic", 403, None, id="vic-viewer-403"),
        pytest.param("isao", 403, None, id="isao-isa-403"),
        pytest.param("sato", 403, None, id="sato-support-403"),
        pytest.param("nobody", 403, None, id="nobody-403"),
    ],
)
def test_register_a_person(world, api_as, persona, status, org):
    count = Person.objects.count()

    response = api_as(persona).post("/persons", NEW_PERSON)

    assert response.status_code == status, response.json()
    if status == 201:
        person = Person.objects.get(pk=response.json()["id"])
        assert person.created_by_organization == getattr(world, org)
        return
    assert response.json()["code"] == "forbidden"
    assert Person.objects.count() == count


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"HTTP_AUTHORIZATION": "Bearer kk_not-a-real-token"}, id="bad-token"),
    ],
)
def test_persons_need_a_valid_token(world, headers):
    person = _care_home_candidate(world)
    client = Client(**headers)
    count = Person.objects.count()

    responses = [
        client.get("/api/v1/persons"),
        client.get(f"/api/v1/persons/{person.pk}"),
        client.post("/api/v1/persons", NEW_PERSON, content_type="application/json"),
    ]

    assert [r.status_code for r in responses] == [401, 401, 401]
    assert Person.objects.count() == count


# --- Test results -----------------------------------------------------------------------

JLPT = {
    "kind": "japanese",
    "test_code": "jlpt",
    "level": "N3",
    "passed": True,
    "taken_on": "2025-09-01",
}


def _result_ids(person: Person) -> list[int]:
    return list(people_models.TestResult.objects.filter(person=person).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        # Acting staff of an organization working with the person: the one that registered
        # them, one they were presented to, or the employer or agency of one of their cases.
        pytest.param("hana", 201, id="hana-registering-org-201"),
        pytest.param("bakyt", 201, id="bakyt-agency-on-case-201"),
        # Seeing the person is not enough.
        pytest.param("vic", 403, id="vic-viewer-403"),
        pytest.param("sato", 403, id="sato-support-on-case-403"),
        pytest.param("mayu", 403, id="mayu-city-403"),
        pytest.param("aida", 403, id="aida-center-403"),
        pytest.param("isao", 403, id="isao-isa-403"),
        pytest.param("ito", 404, id="ito-other-employer-404"),
        pytest.param("rustam", 404, id="rustam-404"),
        pytest.param("nobody", 404, id="nobody-404"),
    ],
)
def test_add_a_test_result(world, api_as, persona, status):
    person = _with_case(world, _care_home_candidate(world))  # seen by everyone with a role
    before = _result_ids(person)
    api = api_as(persona)

    response = api.post(f"/persons/{person.pk}/test-results", JLPT)

    assert response.status_code == status, response.json()
    if status == 201:
        assert people_models.TestResult.objects.get(pk=response.json()["id"]).person == person
        return
    if status == 404:
        assert response.json() == _not_found_body(api)
    else:
        assert response.json()["code"] == "forbidden"
    assert _result_ids(person) == before


def test_a_viewer_who_acts_for_another_organization_cannot_add_test_results(world):
    """Acting somewhere is not enough: the acting membership must be with an organization
    that works with the person (regression: any clerk membership used to do)."""
    vera = UserFactory(username="vera")
    MembershipFactory(user=vera, organization=world.care_home, role=MemberRole.VIEWER)
    MembershipFactory(user=vera, organization=world.osaka_metal, role=MemberRole.CLERK)
    person = _care_home_candidate(world)  # seen by vera only through her viewer membership
    api = ApiClient(vera)
    assert api.get(f"/persons/{person.pk}").status_code == 200
    before = _result_ids(person)

    response = api.post(f"/persons/{person.pk}/test-results", JLPT)

    assert response.status_code == 403
    assert _result_ids(person) == before


# --- Presenting a person to a receiving organization ------------------------------------


def test_an_agency_candidate_reaches_the_employer_through_a_presentation(world, api_as):
    """seed 002 3(2): the agency gives the employer its job-seekers' information; until
    then the employer cannot see the person, nor open a case naming them."""
    created = api_as("bakyt").post("/persons", NEW_PERSON)
    assert created.status_code == 201
    person = make_eligible(Person.objects.get(pk=created.json()["id"]), "care")
    case_payload = {
        "person_id": person.pk,
        "field": "care",
        "business_category": "care",
        "pattern": "via_agency",
        "sending_agency_id": world.agency.pk,
    }
    assert api_as("hana").get(f"/persons/{person.pk}").status_code == 404
    refused = api_as("hana").post("/cases", case_payload)
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == ["person"]
    assert not Case.objects.exists()

    presented = api_as("bakyt").post(
        f"/persons/{person.pk}/presentations", {"organization_id": world.care_home.pk}
    )

    assert presented.status_code == 201, presented.json()
    assert api_as("hana").get(f"/persons/{person.pk}").status_code == 200
    assert api_as("vic").get(f"/persons/{person.pk}").status_code == 200
    assert api_as("ito").get(f"/persons/{person.pk}").status_code == 404  # same city, not presented
    assert api_as("hana").post("/cases", case_payload).status_code == 201


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        pytest.param("hana", 201, id="hana-registering-org-201"),
        pytest.param("vic", 403, id="vic-viewer-403"),
        pytest.param("bakyt", 403, id="bakyt-agency-on-case-403"),
        pytest.param("mayu", 403, id="mayu-city-403"),
        pytest.param("aida", 403, id="aida-center-403"),
        pytest.param("isao", 403, id="isao-isa-403"),
        pytest.param("sato", 403, id="sato-support-on-case-403"),
        pytest.param("oscar", 404, id="oscar-other-employer-404"),
        pytest.param("nobody", 404, id="nobody-404"),
    ],
)
def test_present_a_person(world, api_as, persona, status):
    person = _with_case(world, _care_home_candidate(world))  # seen by everyone with a role
    api = api_as(persona)

    response = api.post(
        f"/persons/{person.pk}/presentations", {"organization_id": world.it_firm.pk}
    )

    assert response.status_code == status, response.json()
    presented = people_models.Presentation.objects.filter(person=person, organization=world.it_firm)
    if status == 201:
        assert presented.get().presented_by == world.user(persona)
        return
    if status == 404:
        assert response.json() == _not_found_body(api)
    else:
        assert response.json()["code"] == "forbidden"
    assert not presented.exists()


def test_a_person_is_presented_only_to_a_receiving_organization(world, api_as):
    person = _care_home_candidate(world)

    response = api_as("hana").post(
        f"/persons/{person.pk}/presentations", {"organization_id": world.agency.pk}
    )

    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["organization_id"]
    assert not people_models.Presentation.objects.exists()
