"""Erasure by anonymisation (APPI Art. 35 and the retention duty; docs/adr/0025): every
personal field blanked, the documents' files deleted, the values copied into history
scrubbed, the account ended; the statistics the same before and after. Refused while a
case is open, while the employment may go on, and for a year after it ended (the
employer's records); the daily job anonymises only those whose retention ran out."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.accounts.models import User
from kakehashi.cases import services as case_services
from kakehashi.cases.models import CaseDocument, CaseEvent, CaseStep
from kakehashi.core.errors import Conflict, NotAllowed, RuleRefused
from kakehashi.core.files import private_storage
from kakehashi.core.models import AppendOnlyError
from kakehashi.people.models import Person, PersonEvent, WorkerInvitation
from kakehashi.people.services import person_update
from kakehashi.people.workers import worker_invite
from kakehashi.privacy.models import Erasure, ErasureRule
from kakehashi.privacy.retention import expired
from kakehashi.privacy.services.erasure import ERASED, anonymise_expired, anonymise_person
from kakehashi.protection.models import Grievance, GrievanceMessage
from kakehashi.protection.services import grievances
from kakehashi.reminders.models import Reminder
from kakehashi.support import notifications
from kakehashi.support.models import SupportPlan
from kakehashi.testing.clients import client_for
from kakehashi.testing.factories import PersonFactory, make_eligible

from .conftest import give_account

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
A_YEAR_ON = TODAY + relativedelta(years=1)


def end_contract(world: Any, case: Any, on: datetime.date = TODAY) -> None:
    """The employer records that the employment contract ended (the worker goes home)."""
    plan = SupportPlan.objects.get(case=case)
    notifications.event_record(
        actor=Actor.of(world.hana),
        plan_id=plan.pk,
        kind="contract_ended",
        event_on=on,
        details="Contract ended at the end of its term; TOKTOGULOVA returns to Bishkek.",
        worker_stays=False,
        today=on,
    )


def statistics(world: Any) -> dict[str, str]:
    """Every table of the city's statistics (its own figures, not suppressed) as CSV, and
    the public figures."""
    city, public = client_for(world.mayu), Client()
    keys = [
        "cases-by-route",
        "cases-by-field",
        "cases-by-step",
        "cases-by-month",
        "median-days",
        "refusals",
        "agencies-by-state",
    ]
    found = {}
    for key in keys:
        for who, client in (("city", city), ("public", public)):
            response = client.get(f"/hub/statistics/{key}.csv")
            assert response.status_code == 200, key
            found[f"{who}:{key}"] = response.content.decode()
    return found


@pytest.fixture
def history(world: Any, landed: Any, worker: Any) -> Any:
    """The record changed, a grievance with its thread, a reminder naming the worker."""
    person_update(
        actor=Actor.of(world.hana),
        person_id=landed.person_id,
        changes={"phone": "+996 555 000 999", "native_name": "Токтогулова А."},
    )
    grievance = grievances.grievance_file(
        actor=Actor.of(worker),
        data={"categories": ["living"], "description": "My landlord keeps my passport"},
    )
    grievances.grievance_write(
        actor=Actor.of(worker), grievance_id=grievance.pk, text="My room is at Nagaoka 1-2-3"
    )
    plan = SupportPlan.objects.get(case=landed)
    Reminder.objects.create(
        organization=world.care_home,
        kind="interview_due",
        key=f"interview:{plan.interviews.first().pk}",
        due_on=TODAY,
        params={"person": "TOKTOGULOVA AIZADA"},
        created_on=TODAY,
    )
    return grievance


def test_anonymisation_erases_the_person_and_keeps_the_statistics(
    world, landed, worker, other, history, django_capture_on_commit_callbacks
):
    person = Person.objects.get(pk=landed.person_id)
    files = [d.file.name for d in CaseDocument.objects.filter(case=landed)]
    assert files
    assert all(private_storage().exists(name) for name in files)
    end_contract(world, landed)
    before = statistics(world)

    client = client_for(world.hana)
    # Within the year the employer keeps the records: refused, naming the rule.
    with override_settings(PERSONAL_DATA_RETENTION_YEARS=5):
        refused = client.post(f"/privacy/persons/{person.pk}/erase/", {"reason": "Asked"})
    assert refused.status_code == 409
    assert "legal_retention" not in refused.content.decode()  # a sentence, not a code
    assert (A_YEAR_ON).isoformat() in refused.content.decode()
    assert not Erasure.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        erasure = anonymise_person(
            person,
            actor=Actor.of(world.hana),
            reason="The person asked in writing on the day they left.",
            today=A_YEAR_ON + datetime.timedelta(days=1),
        )
    assert erasure.rule == ErasureRule.REQUEST
    assert erasure.source == "appi 第35条"
    assert erasure.organization == world.care_home

    person.refresh_from_db()
    assert person.family_name == "ANONYMISED"
    assert person.given_names == ""
    assert person.native_name == ""
    assert person.passport_number == ""
    assert person.passport_expiry is None
    assert person.email == ""
    assert person.phone == ""
    assert person.date_of_birth == datetime.date(2000, 1, 1)  # the year stays
    assert person.nationality == "KG"
    # The files are gone; the list of documents stays, marked erased.
    assert not any(private_storage().exists(name) for name in files)
    documents = list(CaseDocument.objects.filter(case=landed))
    assert documents
    assert all(not d.file and d.name == ERASED for d in documents)
    # Values copied into the history are scrubbed; who did what and when stays.
    for event in PersonEvent.objects.filter(person=person):
        text = str(event.changes)
        for value in ("TOKTOGULOVA", "Токтогулова", "+996", "AC0", "aizada@"):
            assert value not in text, (event.kind, text)
    assert PersonEvent.objects.filter(person=person, actor=world.hana).exists()
    for event in CaseEvent.objects.filter(case=landed):
        assert "COE123" not in str(event.after)
        assert "coe.pdf" not in str(event.after)
    decision = CaseStep.objects.get(case=landed, step_key="coe_decision")
    assert decision.evidence["coe_number"] == ERASED
    assert decision.evidence["outcome"] == "issued"  # outcomes and dates stay
    # History rows are still append-only for everything else.
    with pytest.raises(AppendOnlyError):
        PersonEvent.objects.filter(person=person).update(kind="registered")
    with pytest.raises(AppendOnlyError):
        PersonEvent.objects.filter(person=person).first().erase_personal_values(at=timezone.now())
    # Grievance texts, the worker's account and the reminders' copies of the name.
    grievance = Grievance.objects.get(pk=history.pk)
    assert grievance.description == ERASED
    assert grievance.categories == ["living"]
    assert {m.text for m in GrievanceMessage.objects.filter(grievance=grievance)} == {ERASED}
    user = User.objects.get(pk=worker.pk)
    assert not user.is_active
    assert user.username == f"erased-{user.pk}"
    assert user.email == ""
    assert client_for(user).get("/privacy/my-data/").status_code != 200
    assert "TOKTOGULOVA" not in str(list(Reminder.objects.values_list("params", flat=True)))
    # The case still opens for its parties; an erased file is a 404, not an error.
    assert client.get(f"/cases/{landed.pk}/").status_code == 200
    assert client.get(f"/cases/{landed.pk}/documents/{documents[0].pk}/").status_code == 404
    # The other person is untouched.
    assert Person.objects.get(pk=other.person_id).family_name == "BEKOVA"
    # The statistics read the same.
    assert statistics(world) == before
    # The person page says who anonymised them and when.
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert erasure.at.astimezone(timezone.get_current_timezone()).date().isoformat() in page
    assert "信濃ケアホーム" in page or "Shinano Care Home" in page
    # Twice: refused.
    with pytest.raises(Conflict):
        anonymise_person(person, actor=Actor.of(world.hana), reason="again", today=A_YEAR_ON)
    # Nor can the record be changed again, nor the case page show the erased card number
    # as a masked scrap of the marker.
    assert person.anonymised_at is not None
    with pytest.raises(Conflict) as changed:
        person_update(
            actor=Actor.of(world.hana), person_id=person.pk, changes={"family_name": "BACK"}
        )
    assert changed.value.code == "anonymised"
    assert "Change the record" not in page
    assert "記録を変更" not in page
    case_page = client.get(f"/cases/{landed.pk}/").content.decode()
    assert "ed]" not in case_page.replace(ERASED, "")


def test_refused_while_a_case_is_open_or_the_employment_may_go_on(world, landed):
    # Landed, no end of contract recorded: the employment may still go on.
    with pytest.raises(RuleRefused) as refused:
        anonymise_person(
            landed.person,
            actor=Actor.of(world.hana),
            reason="Asked",
            today=TODAY + relativedelta(years=10),
        )
    assert [p.code for p in refused.value.problems] == ["employment_ongoing"]
    # A case open with another employer.
    person = PersonFactory(created_by_organization=world.care_home)
    make_eligible(person, "care")
    case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    )
    with pytest.raises(RuleRefused) as refused:
        anonymise_person(person, actor=Actor.of(world.hana), reason="Asked")
    assert refused.value.code == "open_case"
    assert refused.value.status == 409
    # The page says so too, and nothing is erased.
    response = client_for(world.hana).post(f"/privacy/persons/{person.pk}/erase/", {"reason": "x"})
    assert response.status_code == 409
    assert Person.objects.get(pk=person.pk).family_name == person.family_name


def test_only_the_registering_organization_erases(world, landed):
    end_contract(world, landed)
    later = A_YEAR_ON + datetime.timedelta(days=1)
    for name in ("sato", "isao"):
        with pytest.raises(NotAllowed):
            anonymise_person(
                landed.person, actor=Actor.of(world.user(name)), reason="x", today=later
            )
    for name, status in (("ito", 404), ("nobody", 404), ("sato", 403)):
        response = client_for(world.user(name)).post(
            f"/privacy/persons/{landed.person_id}/erase/", {"reason": "x"}
        )
        assert response.status_code == status, name
    # Without a reason: refused on the field.
    response = client_for(world.hana).post(f"/privacy/persons/{landed.person_id}/erase/", {})
    assert response.status_code == 422
    assert 'id="id_reason_error"' in response.content.decode()
    assert not Erasure.objects.exists()


def test_the_daily_job_anonymises_only_the_expired(world, django_capture_on_commit_callbacks):
    """Three persons: one whose contract ended six years ago, one whose ended last year, one
    with no case whose record was never used after it was registered long ago."""
    from kakehashi.cases.tests.helpers import landed_case

    old = landed_case(world, family_name="OLDOVA")
    recent = landed_case(world, family_name="NEWOVA")
    end_contract(world, old)
    end_contract(world, recent)
    idle = PersonFactory(created_by_organization=world.agency, family_name="IDLOVA")
    invitation = worker_invite(actor=Actor.of(world.bakyt), person_id=idle.pk).invitation
    # Seen from the future: the old contract ended 6 years before, the idle record 6 too.
    in_six_years = TODAY + relativedelta(years=6)
    found = {s.person.family_name for s in expired(in_six_years, years=5)}
    assert found == {"OLDOVA", "NEWOVA", "IDLOVA"}  # all ended today: all 6 years ago then
    assert {s.person.family_name for s in expired(TODAY + relativedelta(years=4), 5)} == set()
    # Another case for NEWOVA, ended three years later, keeps her.
    later_case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=recent.person_id,
        field_code="care",
        category_code="care",
        pattern="direct",
    ).case
    # Dry run: only listed.
    out = StringIO()
    with override_settings(PERSONAL_DATA_RETENTION_YEARS=5):
        call_command("anonymise_expired", "--dry-run", f"--on={in_six_years}", stdout=out)
    assert "2 would be anonymised" in out.getvalue()
    assert "OLDOVA" not in out.getvalue()  # no names in the output
    assert not Erasure.objects.exists()
    with (
        override_settings(PERSONAL_DATA_RETENTION_YEARS=5),
        django_capture_on_commit_callbacks(execute=True),
    ):
        done = anonymise_expired(in_six_years)
    assert {s.person.pk for s in done} == {old.person_id, idle.pk}
    assert Person.objects.get(pk=recent.person_id).family_name == "NEWOVA"
    erasure = Erasure.objects.get(person_id=old.person_id)
    assert erasure.rule == ErasureRule.RETENTION
    assert erasure.by is None
    assert erasure.source == "appi 第22条"
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert not WorkerInvitation.objects.filter(person=idle, revoked_at__isnull=True).exists()
    assert later_case.status == "open"
    # The daily task runs the same service (today: nobody is due).
    from kakehashi.privacy.tasks import anonymise_expired_persons

    assert anonymise_expired_persons.enqueue().return_value == 0
    # The job is one of the daily tasks.
    from django.conf import settings

    assert "kakehashi.privacy.tasks.anonymise_expired_persons" in settings.DAILY_TASKS
    assert settings.PERSONAL_DATA_RETENTION_YEARS == 5


def test_a_worker_account_is_ended_and_the_export_says_anonymised(world, landed):
    end_contract(world, landed)
    user = give_account(landed.person, "aizada.t")
    anonymise_person(
        landed.person,
        actor=Actor.of(world.hana),
        reason="Asked",
        today=A_YEAR_ON + datetime.timedelta(days=1),
    )
    response = client_for(world.hana).get(f"/privacy/persons/{landed.person_id}/data.json")
    data = response.json()
    assert data["anonymised"]["rule"] == "request"
    assert data["person"]["family_name"] == "ANONYMISED"
    assert "TOKTOGULOVA" not in response.content.decode()
    assert data["account"]["active"] is False
    assert User.objects.get(pk=user.pk).has_usable_password() is False
