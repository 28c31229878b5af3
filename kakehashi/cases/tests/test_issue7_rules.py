"""Rules of a case that were missing or wrong (issue 7, items 3 and 4), through the API:

- change of status: refused once the current period of stay has ended (Immigration Act
  Art. 20); filed in time, the special period (until the decision, at most two months after
  the period ends) is a deadline on the case and on the home page;
- the monthly wage for the contracted hours reaches the regional minimum wage of the
  workplace's prefecture on the start of work (dated, sourced reference data), with a
  warning where no figure is recorded;
- a second open case of one person at one employer is refused;
- a suspended or revoked agency records nothing (see also registries/tests/test_effects)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client

from kakehashi.accounts.models import Organization
from kakehashi.cases.models import Case, CaseDeadline

from .test_refusals import (
    assert_refused,
    complete,
    make_person,
    open_case,
    today,
    walk,
    written,
)

pytestmark = pytest.mark.django_db


# --- change of status -------------------------------------------------------------------


def _in_japan(world: Any) -> Any:
    return make_person(world, current_country="JP", current_status_of_residence="Student")


def test_a_change_of_status_filed_after_the_period_of_stay_is_refused(world, api):
    case_id = open_case(api, _in_japan(world), "change_of_status")["case"]["id"]
    walk(api, case_id, ["employment_contract"])
    before = written()

    ended = today() - datetime.timedelta(days=1)
    response = complete(api, case_id, "change_of_status_application", current_period_until=ended)

    body = assert_refused(
        response, 409, "filed_after_period_of_stay", field="filed_on", cites=("immigration_act",)
    )
    assert ended.isoformat() in body["message"]
    assert written() == before


def test_a_change_of_status_filed_on_the_last_day_records_the_special_period(world, api):
    case_id = open_case(api, _in_japan(world), "change_of_status")["case"]["id"]
    walk(api, case_id, ["employment_contract"])
    ends = today()

    response = complete(api, case_id, "change_of_status_application", current_period_until=ends)

    assert response.status_code == 200, response.json()
    [deadline] = response.json()["case"]["deadlines"]
    assert deadline["key"] == "special_period"
    assert deadline["starts_on"] == ends.isoformat()
    assert deadline["due_on"] == (ends + relativedelta(months=2)).isoformat()
    assert deadline["met"] is False
    assert deadline["source_ref"] == "immigration_act 第20条第6項"
    row = CaseDeadline.objects.get(case_id=case_id)
    assert (row.key, row.due_on) == ("special_period", ends + relativedelta(months=2))


def test_the_special_period_is_on_the_home_page_and_met_by_the_decision(world, api):
    case_id = open_case(api, _in_japan(world), "change_of_status")["case"]["id"]
    walk(api, case_id, ["employment_contract"])
    ends = today() + datetime.timedelta(days=10)
    complete(api, case_id, "change_of_status_application", current_period_until=ends)

    client = Client(headers={"accept-language": "en"})
    client.force_login(world.hana)
    home = client.get("/").content.decode()
    due = (ends + relativedelta(months=2)).isoformat()
    assert due in home
    assert Case.objects.get(pk=case_id).reference in home

    assert complete(api, case_id, "change_of_status_decision").status_code == 200
    assert CaseDeadline.objects.get(case_id=case_id).met is True
    assert due not in client.get("/").content.decode()


# --- minimum wage -------------------------------------------------------------------------


def _in_niigata(world: Any) -> None:
    Organization.objects.filter(pk=world.care_home.pk).update(prefecture="15")


@pytest.mark.parametrize(
    ("wage", "hours", "starts", "refused"),
    [
        (160_000, 160, None, True),  # 1,000 yen an hour < 1,050 (from 2025-10-02)
        (168_000, 160, None, False),  # 1,050: the minimum itself
        (158_000, 160, "2025-09-01", False),  # 987.5 >= 985, the figure before 2025-10-02
        (157_000, 160, "2025-09-01", True),  # 981.25 < 985
    ],
)
def test_a_wage_below_the_regional_minimum_is_refused_with_its_rule(
    world, api, wage, hours, starts, refused
):
    _in_niigata(world)
    case_id = open_case(api, make_person(world))["case"]["id"]
    before = written()
    extra: dict[str, Any] = {"monthly_wage_jpy": wage, "monthly_hours": hours}
    if starts:
        extra["work_starts_on"] = starts
        extra["signed_on"] = "2025-08-01"

    response = complete(api, case_id, "employment_contract", **extra)

    if refused:
        body = assert_refused(
            response,
            422,
            "below_minimum_wage",
            field="monthly_wage_jpy",
            cites=("minimum_wage_act", "niigata_minimum_wage"),
        )
        problem = body["problems"][0]
        assert "Niigata" in problem["message"]
        assert written() == before
    else:
        assert response.status_code == 200, response.json()
        assert response.json()["warnings"] == []


def test_where_no_minimum_wage_is_recorded_the_step_is_kept_with_a_warning(world, api):
    """Osaka Metal has no prefecture recorded; Hokkaido has no figure in the data."""
    Organization.objects.filter(pk=world.care_home.pk).update(prefecture="01")
    case_id = open_case(api, make_person(world))["case"]["id"]

    response = complete(api, case_id, "employment_contract", monthly_wage_jpy=100_000)

    assert response.status_code == 200, response.json()
    [warning] = response.json()["warnings"]
    assert warning["code"] == "minimum_wage_unknown"
    assert "Hokkaido" in warning["message"]
    assert warning["source_ref"] == "minimum_wage_act 第4条、第9条"


def test_the_contracted_hours_are_required_and_bounded(world, api):
    case_id = open_case(api, make_person(world))["case"]["id"]
    response = complete(api, case_id, "employment_contract", monthly_hours=0)
    assert_refused(response, 422, "out_of_range", field="monthly_hours")


# --- one open case per person and employer ------------------------------------------------


def test_a_second_open_case_for_the_same_person_at_the_same_employer_is_refused(world, api):
    person = make_person(world)
    first = open_case(api, person)["case"]
    before = written()

    again = api("hana").post(
        "/cases",
        {"person_id": person.pk, "field": "care", "business_category": "care", "pattern": "direct"},
    )

    assert again.status_code == 409
    assert again.json()["code"] == "open_case_exists"
    assert first["reference"] in again.json()["message"]
    assert again.json()["existing"] == {"case_id": first["id"]}
    assert written() == before


def test_after_withdrawing_the_first_case_a_new_one_may_be_opened(world, api):
    person = make_person(world)
    first = open_case(api, person)["case"]
    api("hana").post(f"/cases/{first['id']}/withdraw", {"reason": "Wrong pattern"})
    assert open_case(api, person)["case"]["id"] != first["id"]


def test_the_database_allows_one_open_case_per_person_and_employer(world, api):
    from django.db import IntegrityError, transaction

    person = make_person(world)
    first = Case.objects.get(pk=open_case(api, person)["case"]["id"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            reference="KG-DUP",
            person=person,
            receiving_organization=world.care_home,
            field=first.field,
            business_category=first.business_category,
            country="KG",
            procedure_version=first.procedure_version,
            pattern="direct",
            created_by=world.hana,
        )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_refusals_cite_sources_by_title_in_the_readers_language(world, api, language):
    case_id = open_case(api, make_person(world))["case"]["id"]
    walk(api, case_id, ["employment_contract"])
    response = api("hana", language).post(
        f"/cases/{case_id}/steps/coe_decision/complete", {"evidence": {}}
    )
    [problem] = response.json()["problems"]
    assert problem["source_ref"].startswith("isa_kg_flow")
    title = {"en": "Procedure for accepting Kyrgyz nationals", "ja": "キルギス国籍の方"}[language]
    assert problem["source"].startswith(title)
    assert "shared/" not in problem["source"]
