"""The city as hub: the dashboard's figures against the database, a need matched to a
consenting candidate and a case opened from the match, the cooperation-confirmation advice,
and statistics whose charts carry the tables' numbers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.cases import services as case_services
from kakehashi.cases.models import Case
from kakehashi.cases.tests.helpers import evidence_for
from kakehashi.hub import services
from kakehashi.hub.models import CooperationConfirmation, EmployerNeed, MatchAction
from kakehashi.testing.clients import client_for
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import MembershipFactory, PersonFactory, UserFactory, make_eligible

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def institute(world: Any) -> tuple[Organization, Any]:
    org = Organization.objects.create(
        kind=OrganizationKind.PARTNER_INSTITUTION, name_en="Japanese Institute", country="KG"
    )
    user = UserFactory(username="asel")
    MembershipFactory(user=user, organization=org)
    return org, user


def _candidate(
    institute: tuple[Organization, Any], family: str, consent: bool, level: str = "N4"
) -> Any:
    org, user = institute
    person = PersonFactory(created_by_organization=org, family_name=family)
    make_eligible(person, "care")
    candidate = services.pool_candidate_add(
        actor=Actor.of(user),
        person_id=person.pk,
        data={
            "field": "care",
            "business_category": "care",
            "japanese_level": level,
            "available_from": TODAY + datetime.timedelta(days=30),
        },
    )
    if consent:
        services.candidate_consent_record(
            actor=Actor.of(user), candidate_id=candidate.pk, reference="C-1"
        )
    return candidate


def _need(world: Any) -> EmployerNeed:
    return services.need_record(
        actor=Actor.of(world.hana),
        data={
            "field": "care",
            "business_category": "care",
            "positions": 2,
            "japanese_level": "N4",
            "needed_by": TODAY + datetime.timedelta(days=90),
        },
    )


def test_a_need_is_matched_to_a_consenting_candidate_and_a_case_opened(world, institute):
    consenting = _candidate(institute, "SOGLASNAYA", consent=True)
    silent = _candidate(institute, "MOLCHUNOV", consent=False)
    need = _need(world)
    hana = client_for(world.hana)
    page = hana.get(f"/hub/needs/{need.pk}/").content.decode()
    assert "SOGLASNAYA" in page
    assert "MOLCHUNOV" not in page  # no consent: nobody outside the institution sees them
    assert "4/4" in page  # every criterion met, each shown
    # Another employer cannot open a case from this need; an unconsented candidate is a 404.
    assert (
        client_for(world.ito)
        .post(f"/hub/needs/{need.pk}/candidates/{consenting.pk}/open-case/")
        .status_code
        == 404
    )
    assert hana.post(f"/hub/needs/{need.pk}/candidates/{silent.pk}/open-case/").status_code == 404
    assert not Case.objects.exists()
    opened = hana.post(f"/hub/needs/{need.pk}/candidates/{consenting.pk}/open-case/")
    assert opened.status_code == 302
    case = Case.objects.get()
    assert case.person_id == consenting.person_id
    assert case.receiving_organization == world.care_home
    assert MatchAction.objects.get().case == case
    # The employer now sees the person (presented), and the city sees the need and the match.
    assert hana.get(f"/persons/{consenting.person_id}/").status_code == 200
    assert "SOGLASNAYA" in client_for(world.mayu).get(f"/hub/needs/{need.pk}/").content.decode()
    again = hana.post(f"/hub/needs/{need.pk}/candidates/{consenting.pk}/open-case/")
    assert again.status_code == 409
    assert Case.objects.count() == 1


def test_the_institution_keeps_its_pool_and_sees_nobody_elses(world, institute):
    mine = _candidate(institute, "SVOYA", consent=False)
    org2 = Organization.objects.create(
        kind=OrganizationKind.PARTNER_INSTITUTION, name_en="Other", country="KG"
    )
    other_user = UserFactory(username="other")
    MembershipFactory(user=other_user, organization=org2)
    assert "SVOYA" in client_for(institute[1]).get("/hub/partners/").content.decode()
    assert "SVOYA" not in client_for(other_user).get("/hub/partners/").content.decode()
    assert client_for(other_user).get(f"/persons/{mine.person_id}/").status_code == 404


def test_the_dashboard_figures_are_the_databases(world, institute):
    _need(world)
    person = PersonFactory(created_by_organization=world.care_home)
    make_eligible(person, "care")
    case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    )
    other = PersonFactory(created_by_organization=world.it_firm)
    make_eligible(other, "care")
    case_services.case_create(
        actor=Actor.of(world.ito),
        person_id=other.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    )
    page = client_for(world.mayu).get("/")
    assert page.status_code == 200
    board = page.context["board"]
    open_cases = Case.objects.filter(receiving_organization__municipality=world.city, status="open")
    assert sum(n for _name, n in board.cases_by_field) == open_cases.count() == 2
    assert {e["organization"].pk: e["open_needs"] for e in board.employers} == {
        world.care_home.pk: EmployerNeed.objects.filter(
            receiving_organization=world.care_home
        ).count(),
        world.it_firm.pk: 0,
    }
    assert len(page.context["waiting"]) == 2
    assert all(w["who"] for w in page.context["waiting"])
    text = page.content.decode()
    assert "hub-dashboard" in text
    # An employer's home has no dashboard.
    assert "board" not in client_for(world.hana).get("/").context or not client_for(world.hana).get(
        "/"
    ).context.get("board")


def test_a_coe_application_without_a_cooperation_confirmation_gets_an_advice(world):
    person = PersonFactory(created_by_organization=world.care_home)
    make_eligible(person, "care")
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    ).case

    def step(key: str) -> Any:
        return case_services.case_complete_step(
            actor=Actor.of(world.hana),
            case_id=case.pk,
            step_key=key,
            evidence=evidence_for(key),
            documents=required_uploads(case.pk, key),
        )

    step("employment_contract")
    result = step("coe_application")
    advice = [w for w in result.warnings if w.code == "no_cooperation_confirmation"]
    assert advice
    assert advice[0].source_ref == "isa_cooperation_confirmation"
    # With a checked confirmation on record: no advice.
    services.confirmation_record(
        actor=Actor.of(world.mayu),
        data={
            "receiving_organization_id": world.it_firm.pk,
            "scope": "workplace",
            "submitted_on": TODAY,
            "checked": True,
        },
    )
    assert CooperationConfirmation.objects.count() == 1
    other = PersonFactory(created_by_organization=world.it_firm)
    make_eligible(other, "care")
    case2 = case_services.case_create(
        actor=Actor.of(world.ito),
        person_id=other.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    ).case
    for key in ("employment_contract", "coe_application"):
        result = case_services.case_complete_step(
            actor=Actor.of(world.ito),
            case_id=case2.pk,
            step_key=key,
            evidence=evidence_for(key),
            documents=required_uploads(case2.pk, key),
        )
    assert not [w for w in result.warnings if w.code == "no_cooperation_confirmation"]
    # Only the city records confirmations.
    assert client_for(world.hana).get("/hub/confirmations/").status_code == 404


def test_statistics_tables_charts_and_csv_agree_and_small_counts_are_hidden(world):
    person = PersonFactory(created_by_organization=world.care_home)
    make_eligible(person, "care")
    case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    )
    city = client_for(world.mayu)
    page = city.get("/hub/statistics/", HTTP_ACCEPT_LANGUAGE="en")
    tables = {row["table"].key: row["table"] for row in page.context["tables"]}
    residents = tables["residents-JP-2022-12-31"]
    assert dict(residents.rows)["Student"] == 179
    assert sum(v for _k, v in residents.rows) == 736
    assert dict(tables["cases-by-field"].rows)["Nursing care"] == 1
    html = page.content.decode()
    assert 'data-value="179"' in html  # the chart's bar carries the table's number
    csv = city.get("/hub/statistics/cases-by-field.csv", HTTP_ACCEPT_LANGUAGE="en").content.decode(
        "utf-8-sig"
    )
    assert "Nursing care,1" in csv
    public = Client().get("/public/statistics/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "fewer than 5" in public
    public_csv = (
        Client()
        .get("/hub/statistics/cases-by-field.csv", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode("utf-8-sig")
    )
    assert "<5" in public_csv
    assert "Nursing care,1" not in public_csv


def test_the_city_records_a_delegation_and_its_legs_and_others_cannot(world):
    from kakehashi.hub.models import Delegation, DelegationLeg, ProgrammeTemplate, ProgrammeYear

    mayu = client_for(world.mayu)
    bad = mayu.post(
        "/hub/exchange/delegation/",
        {
            "title": "Visit",
            "starts_on": "2026-10-13",
            "ends_on": "2026-10-09",
            "participants_count": "16",
            "expected_outcomes": "x",
        },
    )
    assert bad.status_code == 422
    assert not Delegation.objects.exists()
    done = mayu.post(
        "/hub/exchange/delegation/",
        {
            "title": "Visit",
            "starts_on": "2026-10-09",
            "ends_on": "2026-10-13",
            "participants_count": "16",
            "expected_outcomes": "Framework",
        },
    )
    assert done.status_code == 302
    delegation = Delegation.objects.get()
    assert (
        mayu.post(
            "/hub/exchange/leg/",
            {
                "delegation_id": delegation.pk,
                "travels_on": "2026-10-09",
                "origin": "Haneda",
                "destination": "Incheon",
            },
        ).status_code
        == 302
    )
    assert DelegationLeg.objects.get().destination == "Incheon"
    assert (
        client_for(world.hana)
        .post(
            "/hub/exchange/leg/",
            {
                "delegation_id": delegation.pk,
                "travels_on": "2026-10-09",
                "origin": "A",
                "destination": "B",
            },
        )
        .status_code
        == 403
    )
    assert DelegationLeg.objects.count() == 1
    template = ProgrammeTemplate.objects.create(name="Programme", stages=[])
    assert (
        mayu.post(
            "/hub/programmes/open/",
            {"template_id": template.pk, "cycle_start_year": "2026", "training_field": "Care"},
        ).status_code
        == 302
    )
    assert ProgrammeYear.objects.get().cycle_start_year == 2026


def test_the_city_presents_a_consenting_candidate_and_the_employer_opens_the_case(world, institute):
    candidate = _candidate(institute, "PREDSTAVLENA", consent=True)
    need = _need(world)
    mayu = client_for(world.mayu)
    assert client_for(world.hana).get(f"/persons/{candidate.person_id}/").status_code == 404
    assert mayu.post(f"/hub/needs/{need.pk}/candidates/{candidate.pk}/present/").status_code == 302
    assert client_for(world.hana).get(f"/persons/{candidate.person_id}/").status_code == 200
    assert not Case.objects.exists()
    # The employer cannot present through the city's button; the city cannot open the case.
    assert (
        client_for(world.hana)
        .post(f"/hub/needs/{need.pk}/candidates/{candidate.pk}/present/")
        .status_code
        == 403
    )
    assert (
        mayu.post(f"/hub/needs/{need.pk}/candidates/{candidate.pk}/open-case/").status_code == 403
    )
    assert (
        client_for(world.hana)
        .post(f"/hub/needs/{need.pk}/candidates/{candidate.pk}/open-case/")
        .status_code
        == 302
    )
    assert Case.objects.get().person_id == candidate.person_id
