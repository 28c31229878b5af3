"""Issue 7, item 4: every bad input is a 4xx naming the field, never a 500, on both
databases: control characters and lone surrogates in any text field or search parameter
(the API, the public pages and feeds, the signed-in forms), bodies over the size limit,
bodies that are not UTF-8, and absurd dates."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest
from django.test import Client

from kakehashi.api import api
from kakehashi.cases.models import Case
from kakehashi.people.models import Person

# Also on SQLite (make test-sqlite): what differs between the two databases.
pytestmark = pytest.mark.sqlite

BAD_TEXTS = {
    "nul": "Aida\x00",
    "escape": "Aida\x1b[31m",
    "c1": "Aida\x85",
    "delete": "Aida\x7f",
}


@functools.cache
def _schema() -> dict[str, Any]:
    """The OpenAPI schema, made once: making it takes a noticeable moment."""
    return dict(api.get_openapi_schema())


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = _schema()
    return [
        (method, path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def _url(path: str) -> str:
    return path.replace("{", "").replace("}", "").replace("_id", "")  # ids become words


def _concrete(path: str) -> str:
    """/api/v1/cases/{case_id} -> /api/v1/cases/1"""
    import re

    return re.sub(r"\{[^}]+\}", "1", path)


def _string_query_params(operation: dict[str, Any]) -> list[str]:
    return [
        p["name"]
        for p in operation.get("parameters", [])
        if p["in"] == "query" and "string" in json.dumps(p.get("schema", {}))
    ]


def _body_string_fields(operation: dict[str, Any]) -> list[str]:
    schema = _schema()
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = body.get("schema", {}).get("$ref", "")
    if not ref:
        return []
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return [
        name
        for name, prop in component.get("properties", {}).items()
        if "string" in json.dumps(prop) and "date" not in json.dumps(prop)
    ]


def _assert_names(response: Any, field: str) -> None:
    assert response.status_code == 422, (response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] == "invalid_input"
    assert field in [p.get("field") for p in body["problems"]], body
    assert all(p["code"] == "forbidden_character" for p in body["problems"]), body


@pytest.mark.parametrize("kind", list(BAD_TEXTS))
def test_a_control_character_in_any_query_parameter_of_the_api_is_a_422(
    world: Any, api_as: Any, kind: str
) -> None:
    client = api_as("isao")
    checked = 0
    for method, path, operation in _operations():
        if method != "get":
            continue
        for name in _string_query_params(operation):
            response = client.client.get(_concrete(path), {name: BAD_TEXTS[kind]})
            _assert_names(response, name)
            checked += 1
    assert checked >= 8  # search, status, pattern, step, field, location, japanese_level…


@pytest.mark.parametrize("kind", list(BAD_TEXTS))
def test_a_control_character_in_any_text_field_of_an_api_body_is_a_422(
    world: Any, api_as: Any, kind: str
) -> None:
    client = api_as("hana")
    checked = 0
    for method, path, operation in _operations():
        if method not in ("post", "patch"):
            continue
        for name in _body_string_fields(operation):
            response = getattr(client.client, method)(
                _concrete(path),
                json.dumps({name: BAD_TEXTS[kind]}),
                content_type="application/json",
            )
            _assert_names(response, name)
            checked += 1
    assert checked >= 30
    assert not Person.objects.exists()
    assert not Case.objects.exists()


def test_a_control_character_nested_in_the_evidence_is_named_by_its_path(
    world: Any, api_as: Any
) -> None:
    response = api_as("hana").post(
        "/cases/1/steps/coe_application/complete", {"evidence": {"bureau": "Niigata\x00"}}
    )
    _assert_names(response, "evidence.bureau")


def test_a_lone_surrogate_in_a_json_body_is_a_422(world: Any, api_as: Any) -> None:
    body = '{"family_name": "\\ud800", "given_names": "A"}'
    response = api_as("hana").client.post("/api/v1/persons", body, content_type="application/json")
    _assert_names(response, "family_name")


def test_a_body_that_is_not_utf8_is_a_400_in_the_error_format(world: Any, api_as: Any) -> None:
    response = api_as("hana").client.post(
        "/api/v1/persons", b'{"family_name": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_encoding"


def test_a_body_over_the_limit_is_a_413_in_the_error_format(world: Any, api_as: Any) -> None:
    big = json.dumps({"family_name": "A" * (1024 * 1024 + 10)})
    response = api_as("hana").client.post("/api/v1/persons", big, content_type="application/json")
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert body["problems"][0]["field"] == "body"
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/public/agencies/",
        "/public/agencies.json",
        "/public/agencies.csv",
        "/jobs/",
        "/jobs/offers.json",
        "/api/v1/public/jobs",
        "/api/v1/registries/agencies",
    ],
)
def test_a_control_character_in_a_public_search_is_a_422_naming_it(db: None, url: str) -> None:
    name = "q" if url.startswith("/public/agencies") else "location"
    if url == "/api/v1/registries/agencies":
        name = "search"
    response = Client(headers={"accept-language": "en"}).get(url, {name: "Bishkek\x00"})
    assert response.status_code == 422
    if url.endswith("/"):
        page = response.content.decode()
        assert name in page
        assert "control character" in page
    else:
        assert [p["field"] for p in response.json()["problems"]] == [name]


def test_a_control_character_in_a_signed_in_form_is_a_422_page_naming_the_field(
    world: Any,
) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.hana)
    response = client.post("/persons/new/", {"family_name": "TEST\x00OVA", "given_names": "AIZADA"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "family_name" in page
    assert "control character (U+0000)" in page
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"date_of_birth": "1890-01-01"}, "date_of_birth", "date_too_early"),
        ({"date_of_birth": "12345-01-01"}, "date_of_birth", "invalid_date"),
        ({"date_of_birth": 946684800}, "date_of_birth", "invalid_date"),
        ({"passport_expiry": "2099-01-01"}, "passport_expiry", "implausible_expiry"),
        ({"passport_expiry": "2150-01-01"}, "passport_expiry", "date_too_late"),
    ],
)
def test_absurd_dates_are_refused_naming_the_field(
    world: Any, api_as: Any, changes: dict[str, Any], field: str, code: str
) -> None:
    person = {
        "family_name": "TESTOVA",
        "given_names": "AIZADA",
        "nationality": "KG",
        "date_of_birth": "2000-01-01",
        "current_country": "KG",
        **changes,
    }
    response = api_as("hana").post("/persons", person)
    assert response.status_code == 422, response.json()
    assert {p["field"]: p["code"] for p in response.json()["problems"]} == {field: code}
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/registries/agencies?on=9999-12-31",
        "/api/v1/registries/revocations?on=0001-01-01",
        "/api/v1/registries/improvement-orders?on=20250101",
        "/api/v1/cases?limit=100000",
        "/api/v1/persons?limit=0",
    ],
)
def test_out_of_bounds_parameters_are_a_422_naming_them(world: Any, api_as: Any, url: str) -> None:
    response = api_as("isao").client.get(url)
    assert response.status_code == 422, response.content
    name = url.split("?")[1].split("=")[0]
    assert [p["field"] for p in response.json()["problems"]] == [name]
