"""Incidents (APPI Art. 26; Enforcement Rules Art. 7, 8): an organization records a leak;
whether a report to the Commission is required follows the criteria, each shown with its
source, and the deadlines run from the day it was discovered. Each organization sees its
own; Japan's contact point reads all and changes none; anyone else gets 404. Bad input is
a 422 naming the field; the reminders say when a report is due."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.privacy.models import Incident
from kakehashi.privacy.services.incidents import incident_create
from kakehashi.reminders.models import Reminder
from kakehashi.reminders.services import reminders_run
from kakehashi.testing.clients import client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def leak(**given: object) -> dict[str, object]:
    return {
        "title": "Laptop with the worker list stolen",
        "description": "A clerk's laptop with an unencrypted spreadsheet was stolen.",
        "kind": "loss",
        "discovered_on": TODAY.isoformat(),
        "sensitive_data": False,
        "financial_damage_possible": False,
        "unauthorised_act": True,
        "persons_affected": 12,
        **given,
    }


def test_the_api_records_a_leak_and_says_a_report_is_due_and_when(world, api_as, landed):
    client = api_as("hana")
    response = client.post("/privacy/incidents", leak(person_ids=[landed.person_id]))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["report_required"] is True
    assert [c["key"] for c in data["criteria_met"]] == ["unauthorised_act"]
    assert data["criteria_met"][0]["source_ref"] == "appi_enforcement_rules 第7条第3号"
    deadlines = {d["key"]: d for d in data["deadlines"]}
    assert deadlines["preliminary"]["due_on"] == (TODAY + datetime.timedelta(days=5)).isoformat()
    # Caused by an unauthorised act: 60 days for the final report.
    assert deadlines["final"]["due_on"] == (TODAY + datetime.timedelta(days=60)).isoformat()
    assert deadlines["final"]["source_ref"] == "appi_enforcement_rules 第8条第2項"
    assert deadlines["notify_persons"]["due_on"] is None
    assert data["person_ids"] == [landed.person_id]
    assert data["organization"]["id"] == world.care_home.pk
    # Reports sent: recorded, the deadlines met.
    sent = client.patch(
        f"/privacy/incidents/{data['id']}",
        {"preliminary_report_on": TODAY.isoformat(), "final_report_on": TODAY.isoformat()},
    )
    assert sent.status_code == 200, sent.content
    states = {d["key"]: d["state"] for d in sent.json()["deadlines"]}
    assert states == {"preliminary": "done", "final": "done", "notify_persons": "promptly"}


@pytest.mark.parametrize(
    ("facts", "required", "final_days"),
    [
        ({"unauthorised_act": False}, False, None),
        ({"unauthorised_act": False, "sensitive_data": True}, True, 30),
        ({"unauthorised_act": False, "financial_damage_possible": True}, True, 30),
        ({"unauthorised_act": False, "persons_affected": 1000}, False, None),
        ({"unauthorised_act": False, "persons_affected": 1001}, True, 30),
        ({"sensitive_data": True, "strongly_encrypted": True}, False, None),
    ],
)
def test_whether_a_report_is_required(world, api_as, facts, required, final_days):
    data = api_as("hana").post("/privacy/incidents", leak(**facts)).json()
    assert data["report_required"] is required
    if final_days:
        final = next(d for d in data["deadlines"] if d["key"] == "final")
        assert final["due_on"] == (TODAY + datetime.timedelta(days=final_days)).isoformat()
    else:
        assert data["deadlines"] == []


def test_the_list_costs_the_same_for_one_incident_or_ten(world, django_assert_max_num_queries):
    from kakehashi.privacy.presenters import incident_data
    from kakehashi.privacy.selectors import incidents_visible_to

    for n in range(10):
        incident_create(actor=Actor.of(world.hana), data=leak(title=f"Leak {n}"))
    actor = Actor.of(world.hana)
    with django_assert_max_num_queries(3):
        rows = [incident_data(i, actor) for i in incidents_visible_to(actor)]
    assert len(rows) == 10


def test_each_organization_sees_its_own_and_japan_reads_all(world, api_as):
    mine = incident_create(actor=Actor.of(world.hana), data=leak())
    theirs = incident_create(
        actor=Actor.of(world.bakyt), data=leak(title="Agency e-mail sent to all")
    )
    assert [i["id"] for i in api_as("hana").get("/privacy/incidents").json()] == [mine.pk]
    assert api_as("hana").get(f"/privacy/incidents/{theirs.pk}").status_code == 404
    assert api_as("ito").get(f"/privacy/incidents/{mine.pk}").status_code == 404
    assert api_as("nobody").get(f"/privacy/incidents/{mine.pk}").status_code == 404
    assert api_as("nobody").get("/privacy/incidents").status_code == 404
    japan = api_as("isao")
    assert {i["id"] for i in japan.get("/privacy/incidents").json()} == {mine.pk, theirs.pk}
    assert japan.patch(f"/privacy/incidents/{mine.pk}", {"status": "closed"}).status_code == 403
    # A viewer of the care home reads it but does not record or change.
    vic = api_as("vic")
    assert vic.get(f"/privacy/incidents/{mine.pk}").status_code == 200
    assert vic.patch(f"/privacy/incidents/{mine.pk}", {"status": "closed"}).status_code == 403
    assert vic.post("/privacy/incidents", leak()).status_code == 403
    # Pages: the same.
    assert client_for(world.ito).get(f"/privacy/incidents/{mine.pk}/").status_code == 404
    assert client_for(world.nobody).get("/privacy/incidents/").status_code == 404
    page = client_for(world.isao).get(f"/privacy/incidents/{mine.pk}/")
    assert page.status_code == 200
    assert 'id="incident-form"' not in page.content.decode()
    assert client_for(world.isao).post(f"/privacy/incidents/{mine.pk}/", {}).status_code == 403


@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "rumour"}, "kind"),
        ({"discovered_on": "2026-13-01"}, "discovered_on"),
        ({"discovered_on": "2999-01-01"}, "discovered_on"),
        ({"discovered_on": 20260101}, "discovered_on"),
        ({"persons_affected": -1}, "persons_affected"),
        ({"persons_affected": "many"}, "persons_affected"),
        ({"sensitive_data": "perhaps"}, "sensitive_data"),
        ({"status": "forgotten"}, "status"),
        ({"person_ids": [999999]}, "person_ids"),
        ({"description": "bad\x00text"}, "description"),
        ({"final_report_on": "2000-01-01"}, "final_report_on"),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, api_as, change, field):
    response = api_as("hana").post("/privacy/incidents", leak(**change))
    assert 400 <= response.status_code < 500, response.content
    fields = [p.get("field") for p in response.json().get("problems", [])]
    assert field in fields, response.json()
    assert not Incident.objects.exists()


@pytest.mark.sqlite
def test_the_page_form_records_and_refuses_on_the_field(world):
    client = client_for(world.hana)
    assert client.get("/privacy/incidents/new/").status_code == 200
    form = {
        "title": "Misaddressed e-mail",
        "kind": "leak",
        "description": "The contract of one worker went to another worker.",
        "discovered_on": TODAY.isoformat(),
        "sensitive_data": "no",
        "financial_damage_possible": "no",
        "unauthorised_act": "no",
        "strongly_encrypted": "no",
        "persons_affected": "1",
        "status": "open",
    }
    bad = client.post("/privacy/incidents/new/", {**form, "discovered_on": "tomorrow"})
    assert bad.status_code == 422
    assert 'id="id_discovered_on_error"' in bad.content.decode()
    later = client.post("/privacy/incidents/new/", {**form, "preliminary_report_on": "2001-01-01"})
    assert later.status_code == 422
    assert 'id="id_preliminary_report_on_error"' in later.content.decode()
    done = client.post("/privacy/incidents/new/", form)
    assert done.status_code == 302
    incident = Incident.objects.get()
    page = client.get(f"/privacy/incidents/{incident.pk}/").content.decode()
    assert "Misaddressed e-mail" in page
    listing = client.get("/privacy/incidents/").content.decode()
    assert f"/privacy/incidents/{incident.pk}/" in listing
    updated = client.post(
        f"/privacy/incidents/{incident.pk}/",
        {**form, "sensitive_data": "yes", "measures": "Asked the recipient to delete it."},
    )
    assert updated.status_code == 302
    incident.refresh_from_db()
    assert incident.sensitive_data is True
    assert incident.measures == "Asked the recipient to delete it."


def test_the_reminders_say_when_a_report_is_due(world):
    incident = incident_create(actor=Actor.of(world.hana), data=leak())
    incident_create(actor=Actor.of(world.ito), data=leak(unauthorised_act=False))  # no report
    created = reminders_run(TODAY)
    kinds = {(r.organization_id, r.kind) for r in created}
    assert (world.care_home.pk, "incident_preliminary_report") in kinds
    assert not any(r.organization_id == world.it_firm.pk for r in created)
    # The final report: within 14 days of its deadline (60 days: not yet).
    assert (world.care_home.pk, "incident_final_report") not in kinds
    later = reminders_run(TODAY + datetime.timedelta(days=50))
    assert any(r.kind == "incident_final_report" for r in later)
    # Sent: no more reminders for it.
    incident.preliminary_report_on = TODAY
    incident.final_report_on = TODAY
    incident.save()
    Reminder.objects.all().delete()
    assert not [r for r in reminders_run(TODAY) if r.kind.startswith("incident_")]
