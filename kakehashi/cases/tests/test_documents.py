"""Documents on cases: a step the definition gives a required document is not recorded
without it (the refusal names the document and its source); uploads are sniffed, versioned
and kept; identity documents only for the parties that need them; every download logged; a
reviewer's rejection puts the step back to do and tells the uploader; published number
formats are checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from kakehashi.access import Actor
from kakehashi.cases import services
from kakehashi.cases.models import Case, CaseDocument, CaseStatus, CaseStep, DocumentDownload
from kakehashi.cases.services.documents import document_review, document_upload
from kakehashi.cases.tests.helpers import evidence_for
from kakehashi.core import crypto
from kakehashi.core.errors import InvalidInput, NotAllowed, NotFound
from kakehashi.testing.clients import client_for
from kakehashi.testing.documents import PDF, required_uploads
from kakehashi.testing.factories import PersonFactory, make_eligible

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ZIP = b"PK\x03\x04" + b"\x00" * 64


def case_at_coe_decision(world: Any) -> Case:
    person = PersonFactory(created_by_organization=world.care_home, family_name="KUBATOV")
    make_eligible(person, "care")
    case = services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
        support_organization_id=world.support.pk,
    ).case
    for step in ("employment_contract", "coe_application"):
        services.case_complete_step(
            actor=Actor.of(world.hana), case_id=case.pk, step_key=step, evidence=evidence_for(step)
        )
    return case


def upload(world: Any, case: Case, content: bytes = PDF, name: str = "coe.pdf", **kw: Any) -> Any:
    return document_upload(
        actor=Actor.of(world.hana),
        case_id=case.pk,
        step_key=kw.get("step_key", "coe_decision"),
        document_key=kw.get("document_key", "coe"),
        name=name,
        content=content,
        reason=kw.get("reason", ""),
    )


def test_a_coe_decision_is_not_recorded_without_its_document(world, api_as):
    case = case_at_coe_decision(world)
    api = api_as("hana")
    refused = api.post(
        f"/cases/{case.pk}/steps/coe_decision/complete", {"evidence": evidence_for("coe_decision")}
    )
    assert refused.status_code == 422
    problem = refused.json()["problems"][0]
    assert problem["code"] == "document_missing"
    assert problem["field"] == "document_coe"
    assert problem["source_ref"].startswith("isa_kg_flow")
    assert (
        "Certificate of Eligibility"
        in api_as("hana", "en")
        .post(
            f"/cases/{case.pk}/steps/coe_decision/complete",
            {"evidence": evidence_for("coe_decision")},
        )
        .json()["problems"][0]["message"]
    )
    assert not CaseStep.objects.filter(case=case, step_key="coe_decision").exists()
    # Uploaded through the API, then the step is recorded.
    sent = api.upload(
        f"/cases/{case.pk}/documents",
        {
            "step_key": "coe_decision",
            "document_key": "coe",
            "file": SimpleUploadedFile("coe.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert sent.status_code == 201, sent.json()
    assert "file" not in sent.json()  # no path, only the address to download it
    assert (
        api.post(
            f"/cases/{case.pk}/steps/coe_decision/complete",
            {"evidence": evidence_for("coe_decision")},
        ).status_code
        == 200
    )


def test_a_refused_coe_needs_no_document(world):
    case = case_at_coe_decision(world)
    evidence = {**evidence_for("coe_decision"), "outcome": "refused", "coe_number": ""}
    assert required_uploads(case, "coe_decision", evidence) == {}
    result = services.case_complete_step(
        actor=Actor.of(world.hana), case_id=case.pk, step_key="coe_decision", evidence=evidence
    )
    assert result.case.status == CaseStatus.REFUSED


def test_a_file_renamed_to_hide_its_type_is_refused(world):
    case = case_at_coe_decision(world)
    with pytest.raises(InvalidInput) as refused:
        upload(world, case, ZIP, "coe.pdf")
    assert [(p.field, p.code) for p in refused.value.problems] == [("file", "invalid_file_type")]
    with pytest.raises(InvalidInput) as empty:
        upload(world, case, b"", "coe.pdf")
    assert empty.value.problems[0].code == "required"
    # An unknown document or step of the case: 404.
    with pytest.raises(NotFound):
        upload(world, case, PDF, document_key="passport_scan")
    assert not CaseDocument.objects.exists()


def test_old_versions_are_kept_and_a_replacement_says_why(world):
    case = case_at_coe_decision(world)
    first = upload(world, case)
    with pytest.raises(InvalidInput) as no_reason:
        upload(world, case, PNG, "coe-scan.png")
    assert no_reason.value.problems[0].field == "reason"
    second = upload(world, case, PNG, "coe-scan.png", reason="Clearer scan")
    assert (first.version, second.version) == (1, 2)
    assert second.content_type == "image/png"
    assert CaseDocument.objects.filter(case=case).count() == 2
    hana = client_for(world.hana)
    old = hana.get(f"/cases/{case.pk}/documents/{first.pk}/")
    assert old.status_code == 200
    assert old["Content-Disposition"].startswith("attachment;")
    assert b"".join(old.streaming_content) == PDF
    assert first.file.name.startswith("cases/")
    assert "coe" not in first.file.name  # stored under a random name


def test_outsiders_get_404_and_every_download_is_logged(world, api_as):
    case = case_at_coe_decision(world)
    document = upload(world, case)
    url = f"/cases/{case.pk}/documents/{document.pk}/"
    for outsider in (world.ito, world.bakyt, world.nobody):
        assert client_for(outsider).get(url).status_code == 404
        api = api_as(outsider.username)
        assert api.get(f"/cases/{case.pk}/documents/{document.pk}").status_code == 404
    assert DocumentDownload.objects.count() == 0
    client_for(world.hana).get(url)
    api_as("isao").get(f"/cases/{case.pk}/documents/{document.pk}")
    assert list(DocumentDownload.objects.values_list("user__username", flat=True)) == [
        "isao",
        "hana",
    ]


def test_identity_documents_only_for_the_parties_that_need_them(world):
    from kakehashi.cases.tests.helpers import landed_case

    case = landed_case(world, family_name="ESENOVA")
    card = CaseDocument.objects.get(case=case, document_key="residence_card")
    url = f"/cases/{case.pk}/documents/{card.pk}/"
    for insider in (world.hana, world.sato, world.isao):
        assert client_for(insider).get(url).status_code == 200, insider.username
    for kept_out in (world.mayu, world.aida):  # they see the case, not the card
        assert client_for(kept_out).get(url).status_code == 404, kept_out.username
    # Never in a list: the case list shows no document.
    listing = client_for(world.hana).get("/cases/").content.decode()
    assert "residence_card.pdf" not in listing


def test_a_rejected_document_puts_the_step_back_and_tells_the_uploader(world):
    world.hana.email = "hana@example.jp"
    world.hana.save()
    case = case_at_coe_decision(world)
    document = upload(world, case)
    services.case_complete_step(
        actor=Actor.of(world.hana),
        case_id=case.pk,
        step_key="coe_decision",
        evidence=evidence_for("coe_decision"),
    )
    case.refresh_from_db()
    assert case.current_step == "coe_sent"
    # The agency may not review; the city of another place may not either.
    with pytest.raises(NotFound):
        document_review(
            actor=Actor.of(world.bakyt),
            case_id=case.pk,
            document_id=document.pk,
            decision="checked",
        )
    with pytest.raises(NotAllowed):
        document_review(
            actor=Actor.of(world.aida), case_id=case.pk, document_id=document.pk, decision="checked"
        )
    with pytest.raises(InvalidInput) as no_reason:
        document_review(
            actor=Actor.of(world.isao),
            case_id=case.pk,
            document_id=document.pk,
            decision="rejected",
        )
    assert no_reason.value.problems[0].field == "reason"
    document_review(
        actor=Actor.of(world.isao),
        case_id=case.pk,
        document_id=document.pk,
        decision="rejected",
        reason="The scan is of another person's COE",
    )
    case.refresh_from_db()
    assert case.current_step == "coe_decision"  # to do again
    assert CaseStep.objects.get(case=case, step_key="coe_decision").voided_at is not None
    assert mail.outbox[-1].to == ["hana@example.jp"]
    assert "another person's COE" in mail.outbox[-1].body
    page = client_for(world.hana).get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "another person&#x27;s COE" in page.content.decode()
    # Recorded again (a new round) after a new version.
    upload(world, case, PNG, "coe-right.png", reason="The right COE")
    again = services.case_complete_step(
        actor=Actor.of(world.hana),
        case_id=case.pk,
        step_key="coe_decision",
        evidence=evidence_for("coe_decision"),
    )
    assert again.step.round == 2
    # The city checks the documents of its employers' cases.
    latest = CaseDocument.objects.filter(case=case).order_by("-version").first()
    assert latest is not None
    checked = document_review(
        actor=Actor.of(world.mayu), case_id=case.pk, document_id=latest.pk, decision="checked"
    )
    assert checked.review_status == "checked"


def test_the_residence_card_number_has_its_published_format(world):
    case = case_at_coe_decision(world)
    for step in ("coe_decision", "coe_sent", "visa_application", "visa_decision"):
        services.case_complete_step(
            actor=Actor.of(world.hana),
            case_id=case.pk,
            step_key=step,
            evidence=evidence_for(step),
            documents=required_uploads(case, step),
        )
    landing = {**evidence_for("landing"), "residence_card_number": "AB1234567CD"}
    with pytest.raises(InvalidInput) as wrong:
        services.case_complete_step(
            actor=Actor.of(world.hana),
            case_id=case.pk,
            step_key="landing",
            evidence=landing,
            documents=required_uploads(case, "landing"),
        )
    problem = wrong.value.problems[0]
    assert (problem.field, problem.code) == ("residence_card_number", "invalid_format")
    assert problem.source_ref
    assert problem.source_ref.startswith("isa_residence_card")
    result = services.case_complete_step(
        actor=Actor.of(world.hana),
        case_id=case.pk,
        step_key="landing",
        evidence={**landing, "residence_card_number": "ab 12345678 cd"},
        documents=required_uploads(case, "landing"),
    )
    # Kept normalised and encrypted (core/crypto.py), masked in the history and on the page.
    stored = result.step.evidence["residence_card_number"]
    assert "AB12345678CD" not in stored
    assert crypto.unseal(stored) == "AB12345678CD"
    event = case.events.filter(step_key="landing").latest("id")
    assert event.after["evidence"]["residence_card_number"] == "•••••••••8CD"
    page = client_for(world.hana).get(f"/cases/{case.pk}/").content.decode()
    assert "AB12345678CD" not in page
    assert crypto.mask("AB12345678CD") in page


def test_the_case_page_shows_the_checklist_with_what_is_missing_and_on_file(world):
    case = case_at_coe_decision(world)
    hana = client_for(world.hana)
    page = hana.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="checklist"' in page
    assert "missing: required" in page
    response = hana.post(
        f"/cases/{case.pk}/documents/",
        {
            "step_key": "coe_decision",
            "document_key": "coe",
            "file": SimpleUploadedFile("coe.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    page = hana.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "on file, not yet checked" in page
    assert "coe.pdf" in page


def test_the_step_form_takes_a_document_larger_than_an_ordinary_request(world):
    """A step's form carries its documents: up to ATTACHMENT_MAX_BYTES, not the 1 MiB of an
    ordinary request; beyond that, 413 naming the limit."""
    case = case_at_coe_decision(world)
    hana = client_for(world.hana)
    evidence = {f"coe_decision-{k}": v for k, v in evidence_for("coe_decision").items()}
    big = PDF + b"%" + b"x" * (2 * 1024 * 1024)  # 2 MiB, still a PDF by its content
    response = hana.post(
        f"/cases/{case.pk}/steps/coe_decision/",
        {**evidence, "coe_decision-document_coe": SimpleUploadedFile("coe.pdf", big)},
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=case)
    assert document.size == len(big)
    too_big = PDF + b"%" + b"x" * (11 * 1024 * 1024)
    refused = hana.post(
        f"/cases/{case.pk}/documents/",
        {
            "step_key": "coe_decision",
            "document_key": "coe",
            "reason": "Larger scan",
            "file": SimpleUploadedFile("coe.pdf", too_big),
        },
    )
    assert refused.status_code == 413
    assert CaseDocument.objects.filter(case=case).count() == 1
