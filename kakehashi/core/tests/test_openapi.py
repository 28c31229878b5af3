"""Issue 7, item 4: every error response an operation can give, and every limit, is
declared in the OpenAPI schema, in one error format."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from kakehashi.api import api

    return api.get_openapi_schema()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()
    ]


def test_the_schema_is_served_and_has_the_error_format(db: None) -> None:
    served = Client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    components = served.json()["components"]["schemas"]
    assert set(components["ErrorOut"]["properties"]) == {"code", "message", "problems", "existing"}


def test_every_operation_declares_the_errors_it_can_give(schema: dict[str, Any]) -> None:
    checked = 0
    for path, method, op in operations(schema):
        responses = op["responses"]
        expected = {"422"}
        if op.get("security") and {} not in op["security"]:
            expected.add("401")
        if "{" in path:
            expected.add("404")
        if method in ("post", "patch", "put", "delete"):
            expected |= {"403", "409", "413"}
        missing = expected - set(responses)
        assert not missing, f"{method.upper()} {path} does not declare {sorted(missing)}"
        for code in expected:
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/ErrorOut", (path, code)
            assert responses[code]["description"]
        checked += 1
    assert checked > 40


def test_public_reads_need_no_token_and_writes_do(schema: dict[str, Any]) -> None:
    public = {
        path
        for path, method, op in operations(schema)
        if method == "get" and "401" not in op["responses"]
    }
    assert public == {
        "/api/v1/public/jobs",
        "/api/v1/public/jobs/{offer_id}",
        "/api/v1/registries/agencies",
        "/api/v1/registries/agencies/{agency_id}/history",
        "/api/v1/registries/revocations",
        "/api/v1/registries/improvement-orders",
        "/api/v1/registries/support-organizations",
        "/api/v1/registries/field-suspensions",
    }
    for path, method, op in operations(schema):
        if path in public and method == "get":
            assert {} in op.get("security", [{}]), path  # the token is optional
        if method != "get":
            assert "401" in op["responses"], path
    # What the schema says is what the API does.
    for path in public:
        response = Client().get(path.replace("{offer_id}", "1").replace("{agency_id}", "1"))
        assert response.status_code != 401, path


def test_page_sizes_and_dates_declare_their_bounds(schema: dict[str, Any]) -> None:
    limits = dates = 0
    for _path, _method, op in operations(schema):
        for parameter in op.get("parameters", []):
            text = str(parameter["schema"])
            if parameter["name"] == "limit":
                assert parameter["schema"]["minimum"] == 1
                assert parameter["schema"]["maximum"] == 200
                limits += 1
            if "'format': 'date'" in text:
                assert "'formatMinimum': '1900-01-01'" in text
                assert "'formatMaximum': '2100-12-31'" in text
                dates += 1
    assert limits >= 5
    assert dates >= 5
    person = schema["components"]["schemas"]["PersonIn"]["properties"]["date_of_birth"]
    assert person["formatMinimum"] == "1900-01-01"


def test_the_schema_speaks_to_its_readers_without_code_words(schema: dict[str, Any]) -> None:
    """Descriptions name documents as their readers know them, not by the keys of the
    list of sources, files or requirement numbers."""
    import json
    import re

    text = json.dumps(schema, ensure_ascii=False)
    words = re.compile(r"seed|DOMAIN|\.md\b|\bR-[A-Z]+\d|moc_kg|isa_kg_flow|verify", re.I)
    assert words.findall(text) == []
