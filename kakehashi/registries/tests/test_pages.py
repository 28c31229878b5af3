"""Registry pages: the ministry decides in the browser, Japan records its registries, both
read their notices; each form shows errors next to its fields and writes nothing then."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from kakehashi.registries.models import (
    AgencyCertificationDecision,
    FieldSuspension,
    ImprovementOrder,
    Notice,
)
from kakehashi.registries.tests.helpers import open_case


def client_for(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["hana", "aida", "isao", "bakyt", "mayu"])
def test_every_signed_in_user_reads_the_registers(world, persona):
    response = client_for(world.user(persona)).get("/registries/")
    assert response.status_code == 200
    assert world.agency.name_en in response.content.decode()


def test_signed_out_visitors_go_to_sign_in(db):
    assert Client().get("/registries/")["Location"].startswith("/accounts/login/")


def test_only_the_ministry_sees_the_decision_form(world):
    url = f"/registries/agencies/{world.agency.pk}/"
    assert 'action="/registries/agencies/' in client_for(world.aida).get(url).content.decode()
    for persona in ("hana", "isao", "bakyt"):
        assert "/decide/" not in client_for(world.user(persona)).get(url).content.decode()


def test_the_ministry_revokes_an_agency_in_the_page(world):
    response = client_for(world.aida).post(
        f"/registries/agencies/{world.agency.pk}/decide/",
        {"action": "revoked", "reason": "Deposits collected"},
    )
    assert response.status_code == 302
    assert (
        AgencyCertificationDecision.objects.filter(agency=world.agency, action="revoked").count()
        == 1
    )
    inbox = client_for(world.isao).get("/registries/").content.decode()
    assert "Ala-Too Bridge" in inbox
    assert Notice.objects.filter(to_organization=world.isa, kind="agency_decision").count() == 1


def test_a_revocation_without_reason_shows_the_error_next_to_the_field(world):
    response = client_for(world.aida).post(
        f"/registries/agencies/{world.agency.pk}/decide/", {"action": "revoked"}
    )
    assert response.status_code == 422
    assert 'id="id_reason_error"' in response.content.decode()
    assert not AgencyCertificationDecision.objects.filter(action="revoked").exists()


def test_someone_else_posting_a_decision_is_refused(world):
    response = client_for(world.hana).post(
        f"/registries/agencies/{world.agency.pk}/decide/", {"action": "revoked", "reason": "x"}
    )
    assert response.status_code == 403
    assert "ministry decides" in response.content.decode()
    assert not AgencyCertificationDecision.objects.filter(action="revoked").exists()


def test_an_uncertified_agency_applies_in_the_page(world):
    url = f"/registries/agencies/{world.rogue_agency.pk}/"
    assert "/apply/" in client_for(world.rustam).get(url).content.decode()
    assert "/apply/" not in client_for(world.bakyt).get(url).content.decode()
    client_for(world.rustam).post(f"{url}apply/")
    assert AgencyCertificationDecision.objects.filter(
        agency=world.rogue_agency, action="applied"
    ).exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("isao", 200), ("aida", 404), ("hana", 404), ("mayu", 404)]
)
def test_only_japans_contact_point_gets_the_japan_page(world, persona, status):
    assert client_for(world.user(persona)).get("/registries/japan/").status_code == status


def test_japan_records_an_order_and_a_suspension_in_the_page(world):
    open_case(world, "direct")  # the care home receives a Kyrgyz national
    client = client_for(world.isao)
    today = timezone.localdate().isoformat()
    response = client.post(
        "/registries/japan/",
        {
            "form": "order",
            "order-receiving_organization_id": world.care_home.pk,
            "order-issued_on": today,
            "order-summary": "Wages below the contract",
        },
    )
    assert response.status_code == 302
    assert ImprovementOrder.objects.filter(receiving_organization=world.care_home).count() == 1
    response = client.post(
        "/registries/japan/",
        {
            "form": "suspension",
            "suspension-field": "fishery",
            "suspension-starts_on": today,
            "suspension-reason": "",
        },
    )
    assert response.status_code == 422
    assert 'id="id_suspension-reason_error"' in response.content.decode()
    assert not FieldSuspension.objects.exists()
    notices = client_for(world.aida).get("/registries/").content.decode()
    assert "Japan issued an improvement order to Shinano Care Home" in notices


def test_a_notice_is_marked_read_only_by_its_recipient(world):
    client_for(world.aida).post(
        f"/registries/agencies/{world.agency.pk}/decide/",
        {"action": "suspended", "reason": "Inquiry"},
    )
    notice = Notice.objects.get(to_organization=world.isa)
    assert (
        client_for(world.aida).post(f"/registries/notices/{notice.pk}/acknowledge/").status_code
        == 404
    )
    assert (
        client_for(world.isao).post(f"/registries/notices/{notice.pk}/acknowledge/").status_code
        == 302
    )
    notice.refresh_from_db()
    assert notice.acknowledged_by == world.isao


def test_japan_records_a_placement_licence_and_the_flag_uses_it(world):
    from kakehashi.registries.models import PlacementLicence

    response = client_for(world.isao).post(
        "/registries/japan/",
        {
            "form": "licence",
            "licence-holder_id": world.agency.pk,
            "licence-licence_number": "13-ユ-123456",
            "licence-valid_from": "2024-01-01",
            "licence-countries": ["KG", "UZ"],
        },
    )
    assert response.status_code == 302
    licence = PlacementLicence.objects.get(holder=world.agency)
    assert licence.countries == ["KG", "UZ"]
    response = client_for(world.isao).post(
        "/registries/japan/",
        {
            "form": "licence",
            "licence-holder_id": world.agency.pk,
            "licence-licence_number": "",
            "licence-valid_from": "2024-01-01",
        },
    )
    assert response.status_code == 422
    assert 'id="id_licence-licence_number_error"' in response.content.decode()
