"""Bad input on the after-landing, document and account forms: every one a 4xx naming the
field, never a 500 — control characters, huge texts, absurd dates, unknown choices."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kakehashi.cases.tests.helpers import landed_case
from kakehashi.support.models import ImmigrationNotification, StayPeriod, SupportPlan
from kakehashi.testing.clients import client_for

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]
TODAY = timezone.localdate().isoformat()

BAD_DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "yesterday", "2026-1-1\x00", "1" * 5000]
BAD_TEXTS = ["\x07bell", "x" * 20000, "line\x1bescape"]


@pytest.fixture
def plan(world: Any) -> SupportPlan:
    return SupportPlan.objects.get(case=landed_case(world, family_name="FUZZOVA"))


def assert_refused(response: Any) -> str:
    assert 400 <= response.status_code < 500, response.status_code
    return response.content.decode()


def test_the_plan_forms_refuse_bad_input_by_field(world, plan):
    sato = client_for(world.sato)
    base = f"/support/plans/{plan.pk}"
    for day in BAD_DATES:
        page = assert_refused(
            sato.post(
                f"{base}/stay/", {"granted_on": day, "expires_on": day}, HTTP_ACCEPT_LANGUAGE="en"
            )
        )
        assert "granted_on" in page or "Granted on" in page or "control character" in page
        assert_refused(
            sato.post(
                f"{base}/leave/", {"kind": "illness_injury", "starts_on": day, "ends_on": day}
            )
        )
        assert_refused(
            sato.post(
                f"{base}/event/", {"kind": "contract_changed", "event_on": day, "details": "x"}
            )
        )
    for text in BAD_TEXTS:
        assert_refused(
            sato.post(
                f"{base}/event/",
                {"kind": "contract_changed", "event_on": TODAY, "details": text},
            )
        )
    for kind in ["", "periodic", "x" * 300, "\x00"]:
        assert_refused(
            sato.post(f"{base}/event/", {"kind": kind, "event_on": TODAY, "details": "x"})
        )
        assert_refused(
            sato.post(f"{base}/leave/", {"kind": kind, "starts_on": TODAY, "ends_on": TODAY})
        )
    assert_refused(sato.post(f"{base}/decision/", {"decided_on": TODAY, "outcome": "granted"}))
    assert_refused(sato.post(f"{base}/extension/", {"applied_on": "9999-12-31"}))
    assert not StayPeriod.objects.exists()
    assert not ImmigrationNotification.objects.exists()


def test_the_notification_and_document_forms_refuse_bad_input(world, plan):
    hana = client_for(world.hana)
    hana.post(
        f"/support/plans/{plan.pk}/event/",
        {"kind": "contract_changed", "event_on": TODAY, "details": "Raise"},
    )
    notification = ImmigrationNotification.objects.get()
    url = f"/support/notifications/{notification.pk}/action/"
    for day in BAD_DATES:
        assert_refused(hana.post(url, {"action": "file", "filed_on": day, "receipt_number": "R1"}))
    for text in BAD_TEXTS:
        assert_refused(
            hana.post(url, {"action": "file", "filed_on": TODAY, "receipt_number": text})
        )
    case = plan.case_id
    for step, document in [
        ("coe_decision", "coe"),
        ("nothing", "coe"),
        ("coe_decision", "\x00"),
        ("x" * 500, "y"),
    ]:
        response = hana.post(
            f"/cases/{case}/documents/",
            {
                "step_key": step,
                "document_key": document,
                "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"),
            },
        )
        assert response.status_code in (404, 409, 422), (step, response.status_code)
    assert_refused(
        hana.post(f"/cases/{case}/documents/", {"step_key": "coe_decision", "document_key": "coe"})
    )
    assert_refused(hana.post(f"/cases/{case}/documents/999999/review/", {"decision": "checked"}))


def test_the_account_forms_refuse_bad_input(world):
    hana = client_for(world.hana)
    for days in ["1e9", "-1", "0", "\x00", "9" * 400]:
        assert_refused(hana.post("/accounts/tokens/", {"name": "export", "days": days}))
    for name in BAD_TEXTS:
        assert_refused(hana.post("/accounts/tokens/", {"name": name, "days": "30"}))
    assert_refused(hana.post("/accounts/sessions/999999/end/"))
    assert_refused(hana.post("/accounts/tokens/999999/revoke/"))
