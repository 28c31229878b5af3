"""Recording test results: the kind, the test and its level must fit together
(jp_ssw_rules.yaml lists the Japanese tests and their levels)."""

from __future__ import annotations

import pytest

from kakehashi.people.models import TestResult
from kakehashi.testing.factories import PersonFactory


@pytest.fixture
def person(world):
    return PersonFactory(created_by_organization=world.care_home)


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"kind": "japanese", "test_code": "skill"}, "test_code", "invalid_choice"),
        ({"kind": "japanese", "test_code": "toefl", "level": "B1"}, "test_code", "invalid_choice"),
        ({"kind": "japanese", "test_code": "jlpt", "level": "A2"}, "level", "invalid_level"),
        ({"kind": "japanese", "test_code": "jlpt", "level": ""}, "level", "invalid_level"),
        (
            {"kind": "skill", "test_code": "jlpt", "business_category": "care"},
            "test_code",
            "kind_mismatch",
        ),
        ({"kind": "skill", "test_code": "skill"}, "business_category", "required"),
    ],
)
def test_a_result_that_does_not_fit_its_test_is_refused_naming_the_field(
    api_as, person, payload, field, code
):
    body = {"passed": True, "taken_on": "2025-06-01", **payload}
    response = api_as("hana").post(f"/persons/{person.pk}/test-results", body)
    assert response.status_code == 422
    assert {"field": field, "code": code} in [
        {"field": p["field"], "code": p["code"]} for p in response.json()["problems"]
    ]
    assert not TestResult.objects.filter(person=person).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "japanese", "test_code": "jlpt", "level": "N3"},
        {"kind": "japanese", "test_code": "jft_basic", "level": "A2"},
        {"kind": "japanese", "test_code": "care_japanese"},
        {"kind": "skill", "business_category": "care"},
    ],
)
def test_a_result_that_fits_is_recorded(api_as, person, payload):
    body = {"passed": True, "taken_on": "2025-06-01", **payload}
    response = api_as("hana").post(f"/persons/{person.pk}/test-results", body)
    assert response.status_code == 201, response.json()
    assert TestResult.objects.filter(person=person).count() == 1
