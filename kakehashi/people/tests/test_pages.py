"""The person pages (kakehashi/people/views.py), persona by persona (docs/access.md):
allowed personas get the page and its content; a person they cannot see is a 404; a person
they see but may not change is a 403; signed-out users go to the sign-in page. Each form
is posted once successfully (row written, redirect) and once invalid (422, the error next
to its field, nothing written). A name searched for never appears in a URL."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.people import models as people_models
from kakehashi.people.models import Person, Presentation
from kakehashi.testing.factories import PersonFactory, make_eligible

MISSING_ID = 999_999


def client_for(user: Any) -> Client:
    """A browser that asks for English pages (the site's default language is Japanese)."""
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def html(response: Any) -> str:
    return response.content.decode()


def urls_in(page: str) -> list[str]:
    return re.findall(r'(?:href|action|src|hx-get|hx-post)="([^"]*)"', page)


@pytest.fixture
def person(world: Any) -> Person:
    """A candidate registered by the care home (hana's and vic's organization)."""
    return PersonFactory(
        created_by_organization=world.care_home,
        family_name="ASANOVA",
        given_names="NURIZA",
        native_name="Асанова Нуриза",
        passport_number="AC1234567",
    )


def person_data(**changes: Any) -> dict[str, str]:
    data = {
        "family_name": "TOKTOGULOV",
        "given_names": "BEKZAT",
        "native_name": "Токтогулов Бекзат",
        "nationality": "KG",
        "date_of_birth": "1999-04-02",
        "passport_number": "AC7654321",
        "passport_expiry": "2031-05-06",
        "current_country": "KG",
        "current_status_of_residence": "",
        "email": "bekzat@example.kg",
        "phone": "+996 555 123456",
    }
    return {**data, **changes}


def result_data(**changes: Any) -> dict[str, str]:
    data = {
        "test-kind": "japanese",
        "test-test_code": "jlpt",
        "test-business_category": "",
        "test-level": "N3",
        "test-passed": "yes",
        "test-taken_on": "2025-07-06",
        "test-certificate_number": "JLPT-N3-0042",
    }
    return {**data, **changes}


# --- signed out -------------------------------------------------------------------------

PAGES = [
    ("get", "people:list", False),
    ("post", "people:search", False),
    ("get", "people:new", False),
    ("get", "people:detail", True),
    ("get", "people:edit", True),
    ("post", "people:add_test", True),
    ("post", "people:present", True),
]


@pytest.mark.parametrize(("method", "name", "with_id"), PAGES)
def test_signed_out_users_are_sent_to_sign_in(world, person, method, name, with_id):
    url = reverse(name, args=[person.pk] if with_id else [])

    response = getattr(Client(), method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# --- list and search --------------------------------------------------------------------


def test_list_shows_the_persons_the_user_sees(world, person):
    PersonFactory(created_by_organization=world.it_firm, family_name="OTHEROVA")

    response = client_for(world.hana).get(reverse("people:list"))

    assert response.status_code == 200
    page = html(response)
    assert "ASANOVA NURIZA" in page
    assert "Асанова Нуриза" in page
    assert "2000-01-01" in page
    assert reverse("people:detail", args=[person.pk]) in page
    assert "OTHEROVA" not in page  # registered by another employer, never presented
    assert 'aria-current="page"' in page
    assert response.context["nav"] == "persons"


def test_list_pages_by_25(world):
    for n in range(26):
        PersonFactory(created_by_organization=world.care_home, family_name=f"P{n:02d}")
    client = client_for(world.hana)

    first = client.get(reverse("people:list"))
    after = first.context["page"].next_after
    second = client.get(reverse("people:list"), {"after": after})

    # Names are checked as table cells: a random CSRF token in the page may contain "P25".
    def shown(response: Any) -> set[str]:
        return set(re.findall(r">\s*(P\d\d)\b", html(response)))

    assert len(first.context["page"].object_list) == 25
    assert "P24" in shown(first)
    assert "P25" not in shown(first)
    # The next page is asked for by the last row's id: no name in the link.
    assert f'href="?after={after}"' in html(first)
    assert shown(second) == {"P25"}
    assert "First page" in html(second)
    assert "Next" not in html(second)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("hana", True),  # receiving organization, clerk
        ("mayu", True),  # municipality
        ("aida", True),  # the Center
        ("rustam", True),  # sending agency, even uncertified
        ("vic", False),  # viewer
        ("isao", False),  # ISA
        ("sato", False),  # support organization
        ("nobody", False),
    ],
)
def test_register_button_only_for_those_who_may_register(world, name, shown):
    response = client_for(world.user(name)).get(reverse("people:list"))

    assert response.status_code == 200
    assert (reverse("people:new") in html(response)) is shown


def test_search_is_kept_in_the_session_and_never_in_a_url(world, person):
    PersonFactory(created_by_organization=world.care_home, family_name="BEKOVA")
    client = client_for(world.hana)

    response = client.post(reverse("people:search"), {"q": "  asanova "})

    assert response.status_code == 302
    assert response["Location"] == reverse("people:list")
    assert client.session["person_search"] == "asanova"
    page = html(client.get(response["Location"]))
    assert "ASANOVA NURIZA" in page
    assert "BEKOVA" not in page
    assert 'value="asanova"' in page  # shown in the form, to change or clear
    assert "Clear" in page
    assert all("asanova" not in url.lower() for url in urls_in(page)), urls_in(page)


def test_search_term_stays_out_of_pagination_links(world):
    for n in range(30):
        PersonFactory(created_by_organization=world.care_home, family_name=f"ZHUMABAEVA{n:02d}")
    client = client_for(world.hana)
    client.post(reverse("people:search"), {"q": "zhumabaeva"})

    page = html(client.get(reverse("people:list")))

    assert 'href="?after=' in page
    assert all("zhumabaeva" not in url.lower() for url in urls_in(page))


def test_clearing_the_search_shows_everyone_again(world, person):
    PersonFactory(created_by_organization=world.care_home, family_name="BEKOVA")
    client = client_for(world.hana)
    client.post(reverse("people:search"), {"q": "asanova"})

    client.post(reverse("people:search"), {"q": ""})

    assert "person_search" not in client.session
    page = html(client.get(reverse("people:list")))
    assert "ASANOVA" in page
    assert "BEKOVA" in page


def test_search_is_post_only(world):
    response = client_for(world.hana).get(reverse("people:search"), {"q": "asanova"})

    assert response.status_code == 405


# --- register ---------------------------------------------------------------------------


def test_register_form_has_every_field_labelled(world):
    response = client_for(world.hana).get(reverse("people:new"))

    assert response.status_code == 200
    page = html(response)
    for name in ["family_name", "given_names", "native_name", "passport_number", "email"]:
        assert f'for="id_{name}"' in page
    assert "Family name (as in passport)" in page
    assert '<input type="date" name="date_of_birth"' in page
    assert '<input type="date" name="passport_expiry"' in page
    # Countries are picked from the ISO 3166-1 list with names in the page's language.
    assert '<select name="nationality"' in page
    assert '<optgroup label="Partner countries">' in page
    assert '<option value="KG">Kyrgyz Republic</option>' in page
    assert '<option value="KY">Cayman Islands</option>' in page
    assert 'name="mrz"' in page


@pytest.mark.parametrize("name", ["vic", "isao", "sato", "nobody"])
def test_register_refused_to_those_who_may_not(world, name):
    client = client_for(world.user(name))

    assert client.get(reverse("people:new")).status_code == 403
    assert client.post(reverse("people:new"), person_data()).status_code == 403
    assert not Person.objects.filter(family_name="TOKTOGULOV").exists()


def test_register_creates_the_person_and_shows_them(world):
    client = client_for(world.hana)

    response = client.post(reverse("people:new"), person_data())

    created = Person.objects.get(family_name="TOKTOGULOV")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[created.pk])
    assert created.created_by_organization == world.care_home
    assert (created.nationality, created.date_of_birth) == ("KG", datetime.date(1999, 4, 2))
    page = html(client.get(response["Location"]))
    assert "The person has been registered." in page
    assert "TOKTOGULOV" not in response["Location"]


def test_register_without_a_family_name_shows_the_error_next_to_the_field(world):
    response = client_for(world.hana).post(reverse("people:new"), person_data(family_name=""))

    assert response.status_code == 422
    page = html(response)
    assert 'id="id_family_name_error"' in page
    assert 'aria-describedby="id_family_name_error"' in page
    assert 'value="BEKZAT"' in page  # what was typed is kept
    assert not Person.objects.filter(given_names="BEKZAT").exists()


def test_register_refused_by_the_service_shows_its_problem_next_to_the_field(world):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()

    response = client_for(world.hana).post(reverse("people:new"), person_data(date_of_birth=future))

    assert response.status_code == 422
    page = html(response)
    assert 'id="id_date_of_birth_error"' in page
    assert "The date cannot be after today" in page
    not_a_country = client_for(world.hana).post(
        reverse("people:new"), person_data(nationality="ZZ")
    )
    assert not_a_country.status_code == 422
    assert 'id="id_nationality_error"' in html(not_a_country)
    assert not Person.objects.filter(family_name="TOKTOGULOV").exists()


# --- change -----------------------------------------------------------------------------


def test_edit_form_is_filled_with_the_record(world, person):
    response = client_for(world.hana).get(reverse("people:edit", args=[person.pk]))

    assert response.status_code == 200
    page = html(response)
    assert 'value="ASANOVA"' in page
    assert 'value="2000-01-01"' in page


def test_edit_saves_and_goes_back_to_the_person(world, person):
    data = person_data(family_name="ASANOVA", given_names="NURIZA", phone="+996 700 000000")

    response = client_for(world.hana).post(reverse("people:edit", args=[person.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    person.refresh_from_db()
    assert person.phone == "+996 700 000000"


def test_edit_refused_by_the_service_shows_the_problem_and_changes_nothing(world, person):
    data = person_data(current_status_of_residence="Student", current_country="KG")

    response = client_for(world.hana).post(reverse("people:edit", args=[person.pk]), data)

    assert response.status_code == 422
    page = html(response)
    assert 'id="id_current_status_of_residence_error"' in page
    assert "A status of residence applies only to a person living in Japan." in page
    person.refresh_from_db()
    assert person.family_name == "ASANOVA"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("vic", 403),  # sees the person, a viewer
        ("isao", 403),  # sees every person, registers none
        ("ito", 404),  # another employer: cannot see the person
        ("mayu", 404),  # the city: no case names the person
        ("nobody", 404),
    ],
)
def test_edit_refused(world, person, name, status):
    client = client_for(world.user(name))
    url = reverse("people:edit", args=[person.pk])

    assert client.get(url).status_code == status
    assert client.post(url, person_data()).status_code == status
    person.refresh_from_db()
    assert person.family_name == "ASANOVA"


def test_edit_of_a_missing_person_is_404(world):
    assert client_for(world.hana).get(reverse("people:edit", args=[MISSING_ID])).status_code == 404


# --- detail -----------------------------------------------------------------------------


def test_detail_shows_facts_tests_and_forms_to_the_registering_clerk(world, person):
    make_eligible(person, "care")

    response = client_for(world.hana).get(reverse("people:detail", args=[person.pk]))

    assert response.status_code == 200
    page = html(response)
    assert '<dl class="facts">' in page
    assert "AC1234567" not in page  # masked until asked for (test_identifiers.py)
    assert "••••••567" in page
    assert "Shinano Care Home" in page
    assert "JLPT" in page  # test results
    assert "Care Japanese Evaluation Test" in page
    assert "Nursing care" in page  # the skill test's business category
    assert reverse("people:add_test", args=[person.pk]) in page
    assert reverse("people:present", args=[person.pk]) in page
    assert reverse("people:edit", args=[person.pk]) in page
    assert "Echigo Soft" in page  # a receiving organization to present to


def test_person_pages_are_not_stored(world, person):
    response = client_for(world.hana).get(reverse("people:detail", args=[person.pk]))

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["vic", "isao"])
def test_detail_without_forms_for_those_who_only_see(world, person, name):
    response = client_for(world.user(name)).get(reverse("people:detail", args=[person.pk]))

    assert response.status_code == 200
    page = html(response)
    assert "ASANOVA" in page
    assert reverse("people:add_test", args=[person.pk]) not in page
    assert reverse("people:present", args=[person.pk]) not in page
    assert reverse("people:edit", args=[person.pk]) not in page


@pytest.mark.parametrize("name", ["ito", "oscar", "mayu", "bakyt", "sato", "nobody"])
def test_detail_of_a_person_not_visible_is_404(world, person, name):
    client = client_for(world.user(name))

    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert client.get(reverse("people:detail", args=[MISSING_ID])).status_code == 404


def test_detail_links_the_persons_cases(world, person):
    make_eligible(person, "care")
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    ).case

    page = html(client_for(world.hana).get(reverse("people:detail", args=[person.pk])))

    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in page
    assert case.reference in page


def test_agency_sees_the_test_form_for_a_person_on_its_case_but_not_present(world, person):
    make_eligible(person, "care")
    case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="via_agency",
        sending_agency_id=world.agency.pk,
    )

    page = html(client_for(world.bakyt).get(reverse("people:detail", args=[person.pk])))

    assert reverse("people:add_test", args=[person.pk]) in page
    assert reverse("people:present", args=[person.pk]) not in page


# --- test results -----------------------------------------------------------------------


def test_adding_a_japanese_test_result(world, person):
    response = client_for(world.hana).post(
        reverse("people:add_test", args=[person.pk]), result_data()
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk]) + "#tests"
    result = people_models.TestResult.objects.get(person=person)
    assert (result.kind, result.test_code, result.level, result.passed) == (
        "japanese",
        "jlpt",
        "N3",
        True,
    )
    assert result.certificate_number == "JLPT-N3-0042"


def test_adding_a_skill_test_result_with_its_category(world, person):
    data = result_data(
        **{
            "test-kind": "skill",
            "test-test_code": "skill",
            "test-business_category": "care",
            "test-level": "",
            "test-passed": "no",
        }
    )

    response = client_for(world.hana).post(reverse("people:add_test", args=[person.pk]), data)

    assert response.status_code == 302
    result = people_models.TestResult.objects.get(person=person)
    assert (result.kind, result.business_category.code, result.passed) == ("skill", "care", False)


def test_test_form_offers_the_tests_and_categories_grouped_by_field(world, person):
    page = html(client_for(world.hana).get(reverse("people:detail", args=[person.pk])))

    for code in ["skill", "jft_basic", "jlpt", "care_japanese"]:
        assert f'<option value="{code}"' in page
    assert "<optgroup" in page
    assert '<option value="care"' in page


def test_skill_test_without_a_category_shows_the_services_error(world, person):
    data = result_data(**{"test-kind": "skill", "test-test_code": "skill", "test-level": ""})

    response = client_for(world.hana).post(reverse("people:add_test", args=[person.pk]), data)

    assert response.status_code == 422
    page = html(response)
    assert 'id="id_test-business_category_error"' in page
    assert "A skill test needs its business category." in page
    assert "ASANOVA" in page  # the detail page, shown again
    assert not people_models.TestResult.objects.filter(person=person).exists()


def test_test_result_without_a_date_shows_the_error_next_to_the_field(world, person):
    response = client_for(world.hana).post(
        reverse("people:add_test", args=[person.pk]), result_data(**{"test-taken_on": ""})
    )

    assert response.status_code == 422
    assert 'id="id_test-taken_on_error"' in html(response)
    assert not people_models.TestResult.objects.filter(person=person).exists()


def test_a_japanese_kind_with_the_skill_test_is_refused(world, person):
    response = client_for(world.hana).post(
        reverse("people:add_test", args=[person.pk]), result_data(**{"test-test_code": "skill"})
    )

    assert response.status_code == 422
    assert 'id="id_test-test_code_error"' in html(response)
    assert not people_models.TestResult.objects.filter(person=person).exists()


@pytest.mark.parametrize(("name", "status"), [("vic", 403), ("isao", 403), ("ito", 404)])
def test_adding_a_test_result_refused(world, person, name, status):
    response = client_for(world.user(name)).post(
        reverse("people:add_test", args=[person.pk]), result_data()
    )

    assert response.status_code == status
    assert not people_models.TestResult.objects.filter(person=person).exists()


# --- presentations ----------------------------------------------------------------------


def test_presenting_the_person_to_another_employer(world, person):
    response = client_for(world.hana).post(
        reverse("people:present", args=[person.pk]), {"present-organization_id": world.it_firm.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk]) + "#presentations"
    presentation = Presentation.objects.get(person=person)
    assert presentation.organization == world.it_firm
    assert presentation.presented_by == world.hana
    # The employer now sees the person, and the presentation made to it.
    page = html(client_for(world.ito).get(reverse("people:detail", args=[person.pk])))
    assert "ASANOVA" in page
    assert "Echigo Soft" in page


def test_presentations_to_others_are_shown_only_to_the_registering_organization(world, person):
    hana = client_for(world.hana)
    for org in (world.it_firm, world.osaka_metal):
        hana.post(reverse("people:present", args=[person.pk]), {"present-organization_id": org.pk})

    registering = html(hana.get(reverse("people:detail", args=[person.pk])))
    employer = html(client_for(world.ito).get(reverse("people:detail", args=[person.pk])))

    assert "Echigo Soft" in registering
    assert "Osaka Metal" in registering
    assert "Echigo Soft" in employer
    assert "Osaka Metal" not in employer
    # Already presented: no longer offered.
    assert f'<option value="{world.it_firm.pk}"' not in registering


def test_presenting_without_an_organization_shows_the_error_next_to_the_field(world, person):
    response = client_for(world.hana).post(
        reverse("people:present", args=[person.pk]), {"present-organization_id": ""}
    )

    assert response.status_code == 422
    assert 'id="id_present-organization_id_error"' in html(response)
    assert not Presentation.objects.exists()


def test_presenting_to_an_organization_that_is_not_an_employer_is_refused(world, person):
    response = client_for(world.hana).post(
        reverse("people:present", args=[person.pk]), {"present-organization_id": world.agency.pk}
    )

    assert response.status_code == 422
    assert 'id="id_present-organization_id_error"' in html(response)
    assert not Presentation.objects.exists()


@pytest.mark.parametrize(("name", "status"), [("vic", 403), ("isao", 403), ("oscar", 404)])
def test_presenting_refused(world, person, name, status):
    response = client_for(world.user(name)).post(
        reverse("people:present", args=[person.pk]), {"present-organization_id": world.it_firm.pk}
    )

    assert response.status_code == status
    assert not Presentation.objects.exists()


def test_an_employer_presented_the_person_may_not_change_or_present_them(world, person):
    client_for(world.hana).post(
        reverse("people:present", args=[person.pk]), {"present-organization_id": world.it_firm.pk}
    )
    ito = client_for(world.ito)

    assert ito.get(reverse("people:edit", args=[person.pk])).status_code == 403
    response = ito.post(
        reverse("people:present", args=[person.pk]),
        {"present-organization_id": world.osaka_metal.pk},
    )
    assert response.status_code == 403
    assert Presentation.objects.count() == 1
