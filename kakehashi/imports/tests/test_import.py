"""Bulk import through the services: each kind from CSV and from .xlsx, every bad row
reported with its row and column while nothing is written, who may import, bad files."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import translation

from kakehashi.access import Actor
from kakehashi.cases.models import Case
from kakehashi.core.errors import NotAllowed
from kakehashi.imports import reader
from kakehashi.imports.reader import FileProblem
from kakehashi.imports.services import import_rows, importing_organization
from kakehashi.people.models import Person, TestResult
from kakehashi.testing.factories import PersonFactory, make_eligible

from .helpers import PERSON_HEADER, csv_bytes, person_row, xlsx_bytes


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(world, name, kind, content, **kwargs):
    actor = Actor.of(world.user(name))
    organization = importing_organization(actor, kind, kwargs.pop("organization_id", None))
    return import_rows(
        actor=actor, kind=kind, stream=io.BytesIO(content), organization=organization, **kwargs
    )


def pairs(result):
    return {(e.row, e.column) for e in result.errors}


# --- persons ------------------------------------------------------------------------------


@pytest.mark.sqlite
def test_persons_from_csv_are_registered_for_the_importers_organization(world):
    content = csv_bytes(PERSON_HEADER, [person_row(n) for n in range(3)])
    result = run(world, "hana", "persons", content)
    assert result.ok, result.errors
    assert (result.rows, result.written) == (3, 3)
    imported = Person.objects.filter(family_name__startswith="IMPORTOVA")
    assert imported.count() == 3
    assert {p.created_by_organization_id for p in imported} == {world.care_home.pk}
    assert imported.get(family_name="IMPORTOVA000001").passport_number == "AC0000001"


def test_persons_from_xlsx_with_date_cells(world):
    rows = [
        person_row(n, date_of_birth=datetime.date(1998, 2, 3), passport_expiry=None)
        for n in range(2)
    ]
    result = run(world, "mayu", "persons", xlsx_bytes(PERSON_HEADER, rows))
    assert result.ok, result.errors
    person = Person.objects.get(family_name="IMPORTOVA000000")
    assert person.date_of_birth == datetime.date(1998, 2, 3)
    assert person.passport_expiry is None
    assert person.created_by_organization_id == world.city.pk


@pytest.mark.sqlite
def test_several_bad_rows_are_each_reported_and_nothing_is_written(world):
    rows = [
        person_row(1),  # row 2: good, but not written since others fail
        person_row(2, date_of_birth="1999-02-30"),  # row 3
        person_row(3, nationality="ZZ", given_names=""),  # row 4
        person_row(4, passport_number="AC0000001", family_name="IMPORTOVA000001"),  # row 5: dup
        person_row(5, passport_expiry="9999-01-01"),  # row 6: absurd date
        person_row(6, family_name="BAD\x07NAME"),  # row 7: a control character
    ]
    before = Person.objects.count()
    result = run(world, "hana", "persons", csv_bytes(PERSON_HEADER, rows))
    assert not result.ok
    assert result.written == 0
    assert Person.objects.count() == before
    found = pairs(result)
    assert (3, "date_of_birth") in found
    assert (4, "nationality") in found
    assert (4, "given_names") in found
    assert (5, "passport_number") in found
    assert (6, "passport_expiry") in found
    assert (7, "family_name") in found
    assert not any(e.row == 2 for e in result.errors)
    assert all(e.message for e in result.errors)
    duplicate = next(e for e in result.errors if e.row == 5)
    assert "already registered" in duplicate.message


def test_errors_are_in_the_readers_language(world):
    rows = [person_row(1, date_of_birth="1999-02-30")]
    with translation.override("ru"):
        result = run(world, "hana", "persons", csv_bytes(PERSON_HEADER, rows))
    message = result.errors[0].message
    assert any("а" <= c <= "я" for c in message.lower()), message


def test_a_dry_run_checks_every_row_and_writes_nothing(world):
    content = csv_bytes(PERSON_HEADER, [person_row(n) for n in range(3)])
    result = run(world, "hana", "persons", content, dry_run=True)
    assert result.ok
    assert result.written == 0
    assert not Person.objects.filter(family_name__startswith="IMPORTOVA").exists()


def test_a_row_with_more_values_than_columns_is_refused(world):
    content = csv_bytes(PERSON_HEADER, [[*person_row(1), "surplus"]])
    result = run(world, "hana", "persons", content)
    assert pairs(result) == {(2, "")}


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_file(world):
    content = csv_bytes(PERSON_HEADER, [person_row(1), [], person_row(2, nationality="ZZ")])
    result = run(world, "hana", "persons", content)
    assert pairs(result) == {(4, "nationality")}


# --- test results -------------------------------------------------------------------------

RESULT_HEADER = ["person", "kind", "test_code", "business_category", "level", "passed", "taken_on"]


@pytest.mark.parametrize("build", [csv_bytes, xlsx_bytes])
def test_test_results_from_csv_and_xlsx(world, build):
    person = PersonFactory(created_by_organization=world.care_home)
    rows = [
        [person.pk, "skill", "skill", "care", "", "yes", "2025-05-01"],
        [person.pk, "japanese", "jlpt", "", "N4", "no", "2025-06-01"],
    ]
    result = run(world, "hana", "test_results", build(RESULT_HEADER, rows))
    assert result.ok, result.errors
    results = TestResult.objects.filter(person=person).order_by("taken_on")
    assert [(r.test_code, r.passed) for r in results] == [("skill", True), ("jlpt", False)]
    assert results[0].business_category.code == "care"


def test_test_results_for_an_unseen_person_or_a_bad_level_are_refused(world):
    stranger = PersonFactory(created_by_organization=world.osaka_metal)
    mine = PersonFactory(created_by_organization=world.care_home)
    rows = [
        [stranger.pk, "japanese", "jlpt", "", "N4", "yes", "2025-06-01"],
        [mine.pk, "japanese", "jlpt", "", "N9", "yes", "2025-06-01"],
        [mine.pk, "japanese", "jlpt", "", "N4", "maybe", "2025-06-01"],
    ]
    result = run(world, "hana", "test_results", csv_bytes(RESULT_HEADER, rows))
    assert pairs(result) == {(2, "person"), (3, "level"), (4, "passed")}
    assert not TestResult.objects.filter(person__in=[stranger, mine]).exists()


# --- cases --------------------------------------------------------------------------------

CASE_HEADER = ["person", "business_category", "pattern"]


@pytest.mark.sqlite
@pytest.mark.parametrize("build", [csv_bytes, xlsx_bytes])
def test_cases_from_csv_and_xlsx(world, build):
    people = [make_eligible(PersonFactory(created_by_organization=world.care_home), "care")]
    people.append(make_eligible(PersonFactory(created_by_organization=world.care_home), "care"))
    rows = [[p.pk, "care", "direct"] for p in people]
    result = run(world, "hana", "cases", build(CASE_HEADER, rows))
    assert result.ok, result.errors
    cases = Case.objects.filter(person__in=people)
    assert cases.count() == 2
    assert {c.receiving_organization_id for c in cases} == {world.care_home.pk}


def test_case_rows_refused_by_the_rules_name_their_column(world):
    eligible = make_eligible(PersonFactory(created_by_organization=world.care_home), "care")
    rows = [
        [eligible.pk, "care", "direct"],
        [eligible.pk, "care", "direct"],  # a second open case with the same employer
        [eligible.pk, "no-such-category", "direct"],
        [eligible.pk, "care", "teleport"],
    ]
    result = run(world, "hana", "cases", csv_bytes(CASE_HEADER, rows))
    found = pairs(result)
    assert (3, "") in found
    assert (4, "business_category") in found
    assert (5, "pattern") in found
    assert not Case.objects.filter(person=eligible).exists()


# --- who may import -----------------------------------------------------------------------


@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("sato", "persons"),  # a support organization registers no one
        ("vic", "persons"),  # a viewer acts for no one
        ("nobody", "test_results"),
        ("bakyt", "cases"),  # an agency opens no case
        ("isao", "cases"),
    ],
)
def test_a_user_without_the_right_is_refused(world, name, kind):
    with pytest.raises(NotAllowed):
        importing_organization(Actor.of(world.user(name)), kind, None)


def test_an_organization_the_user_does_not_act_for_is_refused(world):
    with pytest.raises(NotAllowed):
        importing_organization(Actor.of(world.hana), "cases", world.it_firm.pk)


# --- bad files ----------------------------------------------------------------------------


@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        ("famille_née,given_names\nÉÀ,x\n".encode("latin-1"), "invalid_encoding"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "invalid_file_type"),
        (b"PK\x03\x04not really a workbook", "invalid_xlsx"),
        (b"\n\n", "no_header"),
        (csv_bytes(PERSON_HEADER, []), "no_rows"),
        (csv_bytes([*PERSON_HEADER, "shoe_size"], [[*person_row(1), "42"]]), "unknown_column"),
        (csv_bytes(PERSON_HEADER[1:], [person_row(1)[1:]]), "missing_column"),
        (csv_bytes([*PERSON_HEADER, "nationality"], [[*person_row(1), "KG"]]), "duplicate_column"),
        (csv_bytes(PERSON_HEADER, [person_row(1, given_names="A" * 200_000)]), "invalid_csv"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_naming_the_problem(world, content, code):
    with pytest.raises(FileProblem) as caught:
        reader.count_rows(io.BytesIO(content), dict.fromkeys(PERSON_HEADER, True))
    assert caught.value.code == code
    assert caught.value.message


def test_a_byte_that_is_not_utf8_further_down_fails_the_whole_import(world):
    content = csv_bytes(PERSON_HEADER, [person_row(1)]) + "É,x\n".encode("latin-1")
    with pytest.raises(FileProblem) as caught:
        run(world, "hana", "persons", content)
    assert caught.value.code == "invalid_encoding"
    assert "row 3" in caught.value.message
    assert not Person.objects.filter(family_name__startswith="IMPORTOVA").exists()


def test_more_rows_than_the_limit_are_refused(world, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 2)
    content = csv_bytes(PERSON_HEADER, [person_row(n) for n in range(3)])
    with pytest.raises(FileProblem) as caught:
        reader.count_rows(io.BytesIO(content), dict.fromkeys(PERSON_HEADER, True))
    assert caught.value.code == "too_many_rows"
