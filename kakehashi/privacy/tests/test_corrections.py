"""Correction (APPI Art. 34): the worker corrects their phone and e-mail themselves (the
record's history says so); for anything else they ask, and the registering organization
accepts (the record changes through the person service, with its history) or refuses with
a reason the worker reads. A value the person form would refuse is refused on `value`."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from kakehashi.access import Actor
from kakehashi.conftest import ApiClient
from kakehashi.core.errors import InvalidInput, NotAllowed, NotFound
from kakehashi.people.models import Person, PersonEvent
from kakehashi.privacy.models import CorrectionRequest, CorrectionStatus
from kakehashi.privacy.services.corrections import correction_decide, correction_request_file
from kakehashi.testing.clients import client_for

pytestmark = pytest.mark.django_db


def test_the_worker_corrects_their_phone_and_email_directly(world, landed, worker):
    client = client_for(worker)
    response = client.post(
        "/privacy/my-data/contact/",
        {"contact-phone": "+996 700 111 222", "contact-email": "aizada.t@example.kg"},
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=landed.person_id)
    assert (person.phone, person.email) == ("+996 700 111 222", "aizada.t@example.kg")
    event = PersonEvent.objects.filter(person=person).last()
    assert event is not None
    assert event.actor == worker
    assert set(event.changes) == {"phone", "email"}
    # A wrong address is refused on its field, and nothing changes.
    refused = client.post(
        "/privacy/my-data/contact/", {"contact-phone": "", "contact-email": "not-an-address"}
    )
    assert refused.status_code == 422
    assert 'id="id_contact-email_error"' in refused.content.decode()
    assert Person.objects.get(pk=person.pk).email == "aizada.t@example.kg"


def test_a_request_accepted_changes_the_record_with_its_history(world, landed, worker):
    client = client_for(worker)
    response = client.post(
        "/privacy/my-data/corrections/",
        {
            "correction-field": "date_of_birth",
            "correction-value": "2000-02-29",
            "correction-note": "My passport says 29 February",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = CorrectionRequest.objects.get(person_id=landed.person_id)
    assert (request.field, request.value, request.status) == (
        "date_of_birth",
        "2000-02-29",
        CorrectionStatus.OPEN,
    )
    # The registering organization sees it on the person page and accepts it.
    page = client_for(world.hana).get(f"/persons/{landed.person_id}/").content.decode()
    assert f"/privacy/persons/{landed.person_id}/corrections/{request.pk}/" in page
    assert "2000-02-29" in page
    accepted = client_for(world.hana).post(
        f"/privacy/persons/{landed.person_id}/corrections/{request.pk}/", {"decision": "accept"}
    )
    assert accepted.status_code == 302
    person = Person.objects.get(pk=landed.person_id)
    assert person.date_of_birth == datetime.date(2000, 2, 29)
    event = PersonEvent.objects.filter(person=person).last()
    assert event is not None
    assert event.actor == world.hana
    assert event.changes == {"date_of_birth": ["2000-01-01", "2000-02-29"]}
    request.refresh_from_db()
    assert request.status == CorrectionStatus.ACCEPTED
    assert request.decided_by_organization == world.care_home
    # The worker sees the outcome.
    mine = client.get("/privacy/my-data/").content.decode()
    assert "2000-02-29" in mine
    # Answered once only.
    again = client_for(world.hana).post(
        f"/privacy/persons/{landed.person_id}/corrections/{request.pk}/", {"decision": "accept"}
    )
    assert again.status_code == 409


def test_a_request_refused_keeps_the_record_and_tells_the_worker_why(world, landed, worker):
    request = correction_request_file(
        actor=Actor.of(worker), field="family_name", value="toktogulova-beg", note=""
    )
    assert request.value == "toktogulova-beg"
    client = client_for(world.hana)
    no_reason = client.post(
        f"/privacy/persons/{landed.person_id}/corrections/{request.pk}/", {"decision": "refuse"}
    )
    assert no_reason.status_code == 422
    refused = client.post(
        f"/privacy/persons/{landed.person_id}/corrections/{request.pk}/",
        {"decision": "refuse", "reason": "The passport we hold says TOKTOGULOVA."},
    )
    assert refused.status_code == 302
    assert Person.objects.get(pk=landed.person_id).family_name == "TOKTOGULOVA"
    page = client_for(worker).get("/privacy/my-data/").content.decode()
    assert "The passport we hold says TOKTOGULOVA." in page


@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"correction-field": "salary", "correction-value": "x"}, "correction-field"),
        (
            {"correction-field": "date_of_birth", "correction-value": "21.04.1998"},
            "correction-value",
        ),
        (
            {"correction-field": "date_of_birth", "correction-value": "2999-01-01"},
            "correction-value",
        ),
        ({"correction-field": "passport_number", "correction-value": "AB-1"}, "correction-value"),
        ({"correction-field": "nationality", "correction-value": "Atlantis"}, "correction-value"),
        ({"correction-field": "family_name", "correction-value": "x" * 201}, "correction-value"),
        ({"correction-field": "family_name", "correction-value": ""}, "correction-value"),
        (
            {"correction-field": "family_name", "correction-value": "TOKTOGULOVA"},
            "correction-value",
        ),
        (
            {
                "correction-field": "passport_expiry",
                "correction-value": "1999-01-01",
            },
            "correction-value",
        ),
    ],
)
def test_a_bad_request_is_refused_on_its_field(world, landed, worker, data, field):
    response = client_for(worker).post("/privacy/my-data/corrections/", data)
    assert response.status_code == 422, response.content.decode()[:500]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_the_service_names_the_field_it_refuses(world, landed, worker):
    with pytest.raises(InvalidInput) as refused:
        correction_request_file(actor=Actor.of(worker), field="date_of_birth", value="tomorrow")
    assert [p.field for p in refused.value.problems] == ["value"]
    with pytest.raises(InvalidInput) as refused:
        correction_request_file(actor=Actor.of(worker), field="email", value="a@b.kg")
    assert [p.field for p in refused.value.problems] == ["field"]
    # A country by its name, in the worker's language or in English.
    request = correction_request_file(
        actor=Actor.of(worker), field="current_country", value="Japan", note=""
    )
    assert request.value == "JP"


def test_only_the_registering_organization_answers(world, landed, worker, other):
    request = correction_request_file(
        actor=Actor.of(worker), field="given_names", value="AIZADA BEGIMAI"
    )
    with pytest.raises(NotFound):
        correction_decide(actor=Actor.of(world.ito), correction_id=request.pk, accept=True)
    with pytest.raises(NotAllowed):
        correction_decide(actor=Actor.of(world.sato), correction_id=request.pk, accept=True)
    for name, status in (("ito", 404), ("nobody", 404), ("sato", 403)):
        response = client_for(world.user(name)).post(
            f"/privacy/persons/{landed.person_id}/corrections/{request.pk}/",
            {"decision": "accept"},
        )
        assert response.status_code == status, name
    # The person page of someone else does not show this request.
    assert (
        "AIZADA BEGIMAI"
        not in client_for(world.hana).get(f"/persons/{other.person_id}/").content.decode()
    )
    # Only workers ask.
    assert client_for(world.hana).post("/privacy/my-data/corrections/", {}).status_code == 404
    assert Client().get("/privacy/my-data/").status_code == 302  # to sign in
    assert ApiClient(world.nobody).get("/privacy/my-data").status_code == 404


def test_a_passport_number_asked_for_is_kept_encrypted(world, landed, worker):
    request = correction_request_file(
        actor=Actor.of(worker), field="passport_number", value="ac 9876543", note=""
    )
    stored = CorrectionRequest.objects.filter(pk=request.pk).values_list("value", flat=True)[0]
    assert "9876543" not in stored
    assert request.clear_value == "AC9876543"  # normalised as the person form does
    page = client_for(world.hana).get(f"/persons/{landed.person_id}/").content.decode()
    assert "AC9876543" in page  # to compare with the passport
    current = Person.objects.get(pk=landed.person_id).passport_number
    assert current not in page  # the record's own number stays masked
    correction_decide(actor=Actor.of(world.hana), correction_id=request.pk, accept=True)
    assert Person.objects.get(pk=landed.person_id).passport_number == "AC9876543"
