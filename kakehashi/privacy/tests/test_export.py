"""A worker downloads everything held about them (APPI Art. 33): JSON with stable keys and
ISO dates, and a PDF in their language that opens and shows their names; nothing of
another person. The registering organization makes the same export on request; others get
404 (who cannot see the person) or 403 (who sees them but does not keep the record)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kakehashi.access import Actor
from kakehashi.audit.models import AuditEntry
from kakehashi.conftest import ApiClient
from kakehashi.protection.services import grievances
from kakehashi.testing.clients import client_for
from kakehashi.testing.pdf import assert_drawn, render

pytestmark = pytest.mark.django_db


def _json(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    return dict(json.loads(response.content))


def test_the_worker_downloads_their_data_and_nothing_of_anyone_else(world, landed, worker, other):
    grievances.grievance_file(
        actor=Actor.of(worker),
        data={"categories": ["workplace"], "description": "Overtime not paid in May"},
    )
    client = client_for(worker)
    page = client.get("/privacy/my-data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "/privacy/my-data/data.json" in text
    assert "Shinano Care Home" in text or "信濃ケアホーム" in text  # who sees it

    data = _json(client.get("/privacy/my-data/data.json"))
    assert data["format"] == "kakehashi-personal-data/1"
    assert data["person"]["family_name"] == "TOKTOGULOVA"
    assert data["person"]["native_name"] == "Токтогулова Айзада"
    assert data["person"]["date_of_birth"] == "2000-01-01"
    assert data["person"]["email"] == "aizada@example.kg"
    assert [c["reference"] for c in data["cases"]] == [landed.reference]
    case = data["cases"][0]
    assert [s["step"] for s in case["steps"]][-1] == "landing"
    assert {d["document"] for d in case["documents"]} >= {"coe", "residence_card"}
    assert all(not d["file_erased"] for d in case["documents"])
    assert case["support_plan"]["items"]
    assert {t["test"] for t in data["test_results"]} >= {"skill", "jlpt"}
    assert isinstance(data["record_history"], list)
    assert data["grievances"][0]["description"] == "Overtime not paid in May"
    assert data["account"]["sign_in_name"] == "aizada.t"
    # Nothing of the other person, and no staff member named.
    raw = json.dumps(data, ensure_ascii=False)
    for theirs in ("BEKOVA", "NURIZA", "Бекова", "nuriza@example.kg", other.reference):
        assert theirs not in raw
    assert "hana" not in raw
    # Every export is in the audit log (who, when, in which form), with no personal data.
    entry = AuditEntry.objects.filter(action="export", target_pk=str(landed.person_id)).last()
    assert entry is not None
    assert "TOKTOGULOVA" not in f"{entry.detail} {entry.fields}"


def test_the_pdf_opens_in_the_workers_language(world, landed, worker):
    client = client_for(worker)
    client.post("/i18n/setlang/", {"language": "ky", "next": "/privacy/my-data/"})
    response = client.get("/privacy/my-data/data.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    pdf = render(response.content, "my-data-ky")
    assert_drawn(pdf, "TOKTOGULOVA")
    assert_drawn(pdf, "Токтогулова Айзада")
    assert_drawn(pdf, landed.reference)
    assert_drawn(pdf, "Сынактын жыйынтыктары")  # "Test results", in Kyrgyz
    assert_drawn(pdf, "Иш берүүчү")  # "Employer": the Kyrgyz letter ү drawn
    assert "BEKOVA" not in pdf.text()


def test_the_registering_organization_exports_for_the_person(world, landed, other):
    person_id = landed.person_id
    client = client_for(world.hana)
    data = _json(client.get(f"/privacy/persons/{person_id}/data.json"))
    assert data["person"]["family_name"] == "TOKTOGULOVA"
    assert "BEKOVA" not in json.dumps(data, ensure_ascii=False)
    response = client.get(f"/privacy/persons/{person_id}/data.pdf?language=ru")
    assert response.status_code == 200
    assert_drawn(render(response.content, "person-export-ru"), "Токтогулова Айзада")
    # The person page offers it to the registering organization.
    page = client.get(f"/persons/{person_id}/").content.decode()
    assert f"/privacy/persons/{person_id}/data.pdf" in page
    # An unknown language is refused, naming the field.
    refused = client.get(f"/privacy/persons/{person_id}/data.pdf?language=xx")
    assert refused.status_code == 422
    assert "Choose the language of the PDF" in refused.content.decode() or "PDF" in (
        refused.content.decode()
    )


@pytest.mark.parametrize(
    ("name", "status"),
    [("ito", 404), ("nobody", 404), ("rustam", 404), ("sato", 403), ("isao", 403)],
)
def test_others_cannot_export(world, landed, name, status):
    """Another employer, a user of no organization, an unrelated agency: 404. The support
    organization and Japan's contact point see the person but do not keep the record: 403."""
    client = client_for(world.user(name))
    for path in (
        f"/privacy/persons/{landed.person_id}/data.json",
        f"/privacy/persons/{landed.person_id}/data.pdf",
        f"/privacy/persons/{landed.person_id}/",
    ):
        assert client.get(path).status_code == status, path
    assert client.get("/privacy/my-data/").status_code == 404  # not a worker
    page = client.get(f"/persons/{landed.person_id}/")
    if page.status_code == 200:
        assert f"/privacy/persons/{landed.person_id}/data.pdf" not in page.content.decode()


def test_the_api_gives_the_same_export(world, landed, worker, other, api_as):
    mine = ApiClient(worker).get("/privacy/my-data")
    assert mine.status_code == 200
    assert mine.json()["person"]["family_name"] == "TOKTOGULOVA"
    assert "BEKOVA" not in mine.content.decode()
    assert api_as("hana").get(f"/privacy/persons/{landed.person_id}/export").status_code == 200
    assert api_as("ito").get(f"/privacy/persons/{landed.person_id}/export").status_code == 404
    assert api_as("sato").get(f"/privacy/persons/{landed.person_id}/export").status_code == 403
    assert api_as("hana").get("/privacy/my-data").status_code == 404
    assert api_as("hana").get("/privacy/persons/abc/export").status_code == 422
