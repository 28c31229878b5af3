"""The protective core's pages, persona by persona: the inbox, an item and its actions,
the same 404 for outsiders, and the read log."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.protection.models import ItemRead, SharedItem, Stage
from kakehashi.protection.services import reports
from kakehashi.testing.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world: Any) -> SharedItem:
    return reports.misconduct_report_file(
        actor=Actor.of(world.isao),
        data={
            "country": "KG",
            "categories": ["a", "e"],
            "subject_name": "Fast Visa KG",
            "subject_kind": "legal_entity",
            "subject_country": "KG",
            "facts": "Kept passports.",
        },
    )


def test_the_center_sees_the_report_in_its_inbox_and_acknowledges_it(world, report):
    center = client_for(world.aida)
    inbox = center.get("/protection/")
    assert inbox.status_code == 200
    assert report.reference in inbox.content.decode()
    page = center.get(f"/protection/items/{report.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Fast Visa KG" in text
    assert ItemRead.objects.filter(item=report, user=world.aida, via="page").count() == 1
    done = center.post(f"/protection/items/{report.pk}/acknowledge/")
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_by == world.aida


@pytest.mark.parametrize("persona", ["hana", "mayu", "bakyt", "rustam", "sato", "erlan", "nobody"])
def test_outsiders_get_the_same_404_as_for_nothing(world, report, persona):
    client = client_for(world.user(persona))
    assert client.get(f"/protection/items/{report.pk}/").status_code == 404
    assert client.get("/protection/items/999999/").status_code == 404
    assert client.post(f"/protection/items/{report.pk}/acknowledge/").status_code == 404
    assert report.reference not in client.get("/protection/").content.decode()
    assert not ItemRead.objects.filter(item=report).exists()


def test_a_consent_recorded_on_the_page_lets_the_city_read_and_logs_it(world, report):
    isao = client_for(world.isao)
    posted = isao.post(
        f"/protection/items/{report.pk}/consent/",
        {
            "consent-to_organization_id": world.city.pk,
            "consent-scope": "item",
            "consent-purpose": "Warn employers",
            "consent-consented_on": timezone.localdate().isoformat(),
            "consent-document_reference": "ISA-117",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    assert client_for(world.mayu).get(f"/protection/items/{report.pk}/").status_code == 200
    log = isao.get(f"/protection/items/{report.pk}/").content.decode()
    assert "mayu" in log


def test_a_refused_follow_up_names_the_field_and_changes_nothing(world, report):
    aida = client_for(world.aida)
    refused = aida.post(
        f"/protection/items/{report.pk}/follow/", {"follow-stage": "closed", "follow-outcome": ""}
    )
    assert refused.status_code == 422
    assert "founded" in refused.content.decode().lower() or "根拠" in refused.content.decode()
    report.refresh_from_db()
    assert report.stage == Stage.RECEIVED
    assert not report.events.filter(action="stage").exists()


def test_a_contact_point_files_a_report_on_the_form(world):
    isao = client_for(world.isao)
    assert isao.get("/protection/new/misconduct/").status_code == 200
    posted = isao.post(
        "/protection/new/misconduct/",
        {
            "country": "KG",
            "categories": ["c"],
            "subject_name": "Broker X",
            "subject_kind": "individual",
            "subject_country": "KG",
            "facts": "Threatened a worker.",
            "channel": "municipality",
            "channel_note": "Nagaoka City consultation desk",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:3000]
    item = SharedItem.objects.get(title="Broker X")
    assert item.channel == "municipality"
    # An employer cannot open the form.
    assert client_for(world.hana).get("/protection/new/misconduct/").status_code == 404


def test_an_upload_is_sniffed_and_served_only_to_the_contact_points(world, report):
    from django.core.files.uploadedfile import SimpleUploadedFile

    isao = client_for(world.isao)
    fake = SimpleUploadedFile("notes.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = isao.post(f"/protection/items/{report.pk}/attachments/", {"attachments-file": fake})
    assert refused.status_code == 422
    assert not report.attachments.exists()
    pdf = SimpleUploadedFile("statement.pdf", b"%PDF-1.4\n%test\n", content_type="text/plain")
    done = isao.post(f"/protection/items/{report.pk}/attachments/", {"attachments-file": pdf})
    assert done.status_code == 302
    attachment = report.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert "statement" not in attachment.file.name  # stored under a random name
    url = f"/protection/items/{report.pk}/attachments/{attachment.pk}/"
    download = client_for(world.aida).get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert client_for(world.hana).get(url).status_code == 404
