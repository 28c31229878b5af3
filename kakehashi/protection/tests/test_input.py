"""Bad input to the protective core: every refusal a 4xx naming the field, nothing written,
on both databases (also run on SQLite: make test-sqlite)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kakehashi.protection.models import Attachment, Fee, SharedItem

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

REPORT = {
    "country": "KG",
    "categories": ["a"],
    "subject_name": "Broker",
    "subject_kind": "individual",
    "subject_country": "KG",
    "facts": "Deposit.",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["z"]}, "categories"),
        ({"subject_kind": "robot"}, "subject_kind"),
        ({"subject_country": "XX"}, "subject_country"),
        ({"country": "ZZ"}, "country"),
        ({"facts": "a\u0007b"}, "facts"),
        ({"facts": "x" * 5001}, "facts"),
        ({"occurred_from": "0001-01-01"}, "occurred_from"),
        ({"occurred_from": "2999-01-01"}, "occurred_from"),
        ({"occurred_from": "2026-02-30"}, "occurred_from"),
        ({"occurred_from": "2026-05-01", "occurred_until": "2026-04-01"}, "occurred_until"),
        ({"case_ids": [999999]}, "case_ids"),
        ({"person_ids": [999999]}, "person_ids"),
        ({"channel": "pigeon"}, "channel"),
        ({"due_on": "1899-12-31"}, "due_on"),
    ],
)
def test_a_bad_report_is_refused_naming_the_field(world: Any, api_as: Any, change, field):
    response = api_as("isao").post("/protection/misconduct-reports", {**REPORT, **change})
    assert response.status_code in (400, 404, 422), response.content
    fields = [p.get("field", "") for p in response.json()["problems"]]
    assert any(f == field or f.endswith(f".{field}") or f.startswith(field) for f in fields), fields
    assert not SharedItem.objects.exists()


def test_a_huge_body_is_a_413_and_writes_nothing(world: Any, api_as: Any) -> None:
    big = json.dumps({**REPORT, "facts": "A" * (1024 * 1024 + 10)})
    response = api_as("isao").client.post(
        "/api/v1/protection/misconduct-reports", big, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["problems"][0]["field"] == "body"
    assert not SharedItem.objects.exists()


def _item(api_as: Any) -> int:
    return int(api_as("isao").post("/protection/misconduct-reports", REPORT).json()["id"])


def test_an_attachment_through_the_api_is_sniffed_and_limited(world: Any, api_as: Any, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item_id = _item(api_as)
    client = api_as("isao")
    path = f"/protection/items/{item_id}/attachments"
    exe = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.upload(path, {"file": exe})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "file"
    settings.ATTACHMENT_MAX_BYTES = 100
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 200, content_type="image/png")
    refused = client.upload(path, {"file": big})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["code"] == "too_large"
    assert not Attachment.objects.exists()
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="x/y")
    done = client.upload(path, {"file": png})
    assert done.status_code == 201, done.content
    stored = Attachment.objects.get()
    assert stored.content_type == "image/png"
    download = api_as("aida").get(f"{path}/{stored.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    # Outsiders: the same 404 as for a file that does not exist.
    assert api_as("hana").get(f"{path}/{stored.pk}").status_code == 404
    assert api_as("aida").get(f"{path}/999999").status_code == 404


def test_an_upload_over_ten_megabytes_is_refused_at_the_boundary(world: Any, api_as: Any):
    item_id = _item(api_as)
    client = api_as("isao").client
    response = client.post(
        f"/api/v1/protection/items/{item_id}/attachments",
        b"x" * 32,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(11 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": "NaN"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"breakdown": [{"item": "", "amount": "30000"}]}, "breakdown.0.item"),
        ({"purpose": "bribe"}, "purpose"),
        ({"case_id": None}, "case_id"),
    ],
)
def test_a_bad_fee_is_refused_naming_the_field(world, api_as, agency_case, payload, field):
    fee = {
        "case_id": agency_case.pk,
        "purpose": "training",
        "basis": "Lessons",
        "amount": "30000",
        "currency": "KGS",
        "breakdown": [{"item": "Lessons", "amount": "30000"}],
        **payload,
    }
    response = api_as("bakyt").post("/protection/fees", fee)
    assert response.status_code == 422, response.content
    assert field in [p.get("field") for p in response.json()["problems"]]
    assert not Fee.objects.exists()
