"""A case taken from creation to the end through the API, for every pattern, by the
roles the procedure names (issue: "a case can be taken from creation to landing")."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kakehashi.cases.models import Case, CaseEvent, CaseStatus
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import PersonFactory, make_eligible

from .helpers import PATTERN_STEPS, actor_for, evidence_for

# Also on SQLite (make test-sqlite): what differs between the two databases.
pytestmark = pytest.mark.sqlite

PATTERNS = PATTERN_STEPS


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_a_case_goes_from_creation_to_the_end_of_its_pattern(world, api_as, pattern):
    person = PersonFactory(
        created_by_organization=world.care_home,
        current_country="JP" if pattern == "change_of_status" else "KG",
        current_status_of_residence="Student" if pattern == "change_of_status" else "",
    )
    make_eligible(person, "care")
    payload = {
        "person_id": person.pk,
        "field": "care",
        "business_category": "care",
        "pattern": pattern,
    }
    if pattern == "via_agency":
        payload["sending_agency_id"] = world.agency.pk
    created = api_as("hana").post("/cases", payload)
    assert created.status_code == 201, created.json()
    case_id = created.json()["case"]["id"]
    assert created.json()["case"]["current_step"] == PATTERNS[pattern][0]

    for step_key in PATTERNS[pattern]:
        detail = api_as("hana").get(f"/cases/{case_id}").json()
        assert detail["current_step"] == step_key
        assert step_key in [a["step"] for a in detail["next_actions"]]
        api = api_as(actor_for(step_key))
        for key, (name, content) in required_uploads(case_id, step_key).items():
            upload = api.upload(
                f"/cases/{case_id}/documents",
                {
                    "step_key": step_key,
                    "document_key": key,
                    "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
                },
            )
            assert upload.status_code == 201, upload.json()
        response = api.post(
            f"/cases/{case_id}/steps/{step_key}/complete", {"evidence": evidence_for(step_key)}
        )
        assert response.status_code == 200, (step_key, response.json())

    case = Case.objects.get(pk=case_id)
    assert case.status == CaseStatus.COMPLETED
    assert case.current_step == ""
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    uploads = sum(len(required_uploads(case, step)) for step in PATTERNS[pattern])
    assert uploads >= 1  # the COE, the visa, the residence card…
    assert kinds.count("document_uploaded") == uploads
    steps = [k for k in kinds if k != "document_uploaded"]
    assert steps == ["created"] + ["step_completed"] * len(PATTERNS[pattern])
