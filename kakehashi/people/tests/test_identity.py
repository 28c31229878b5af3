"""Issue 7, item 4: a person's identity is checked.

- Countries come from the ISO 3166-1 list: "ZZ" is refused, and a name typed where a code
  is expected is refused rather than cut to two letters ("Kyrgyzstan" is not "KY").
- A passport number has the passport's form; a machine-readable zone's check digits are
  verified by the `mrz` library, and what it says must match the record.
- The same passport, or the same name, date of birth and nationality, is a duplicate.
- Editing a person locks the row, and each change writes an event saying who changed what."""

from __future__ import annotations

import contextlib
import datetime
import threading
from typing import Any

import pytest
from django.db import connection
from mrz.generator.td3 import TD3CodeGenerator

from kakehashi.access import Actor
from kakehashi.core.errors import Conflict, InvalidInput
from kakehashi.people import services
from kakehashi.people.inputs import PersonData
from kakehashi.people.models import Person, PersonEvent
from kakehashi.testing.factories import PersonFactory

BASE = {
    "family_name": "TESTOVA",
    "given_names": "AIZADA",
    "nationality": "KG",
    "date_of_birth": "2000-01-01",
    "current_country": "KG",
}


def post(api_as: Any, who: str = "hana", **changes: Any) -> Any:
    return api_as(who, "en").post("/persons", {**BASE, **changes})


def problems(response: Any) -> dict[str, str]:
    return {p.get("field"): p["code"] for p in response.json().get("problems", [])}


def mrz_for(number: str = "AC1234567", born: str = "000101", expiry: str = "320101") -> str:
    return str(
        TD3CodeGenerator("P", "KGZ", "TESTOVA", "AIZADA", number, "KGZ", born, "F", expiry, "")
    )


# --- countries --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nationality", "ZZ"),
        ("nationality", "Kyrgyzstan"),
        ("nationality", "KGZ"),
        ("current_country", "XX"),
        ("current_country", "Japan"),
    ],
)
def test_a_country_not_in_the_iso_list_is_refused(
    world: Any, api_as: Any, field: str, value: str
) -> None:
    response = post(api_as, **{field: value})
    assert response.status_code == 422
    assert problems(response) == {field: "invalid_country"}
    [problem] = response.json()["problems"]
    assert problem["source_ref"] == "iso_3166 alpha-2"
    assert not Person.objects.exists()


def test_a_lower_case_code_is_the_country(world: Any, api_as: Any) -> None:
    response = post(api_as, nationality="kg", current_country="jp")
    assert response.status_code == 201, response.json()
    assert (response.json()["nationality"], response.json()["current_country"]) == ("KG", "JP")


# --- passport and machine-readable zone -------------------------------------------------


@pytest.mark.parametrize("number", ["X123", "AC-123-456-789", "AC12345678901", "ПА123456"])
def test_a_passport_number_not_of_the_passports_form_is_refused(
    world: Any, api_as: Any, number: str
) -> None:
    response = post(api_as, passport_number=number)
    assert response.status_code == 422
    assert problems(response) == {"passport_number": "invalid_passport_number"}


def test_a_valid_mrz_fills_the_passport_number_and_expiry(world: Any, api_as: Any) -> None:
    response = post(api_as, mrz=mrz_for())
    assert response.status_code == 201, response.json()
    person = Person.objects.get()
    assert person.passport_number == "AC1234567"
    assert person.passport_expiry == datetime.date(2032, 1, 1)


def test_an_mrz_with_a_wrong_check_digit_is_refused(world: Any, api_as: Any) -> None:
    good = mrz_for()
    lines = good.split("\n")
    tampered = lines[0] + "\n" + lines[1].replace("AC1234567", "AC1234568", 1)
    response = post(api_as, mrz=tampered)
    assert response.status_code == 422
    assert problems(response) == {"mrz": "mrz_check_digits"}
    assert response.json()["problems"][0]["source_ref"] == "icao_9303 Part 3, Part 4"


def test_an_mrz_that_says_otherwise_than_the_record_is_refused_on_each_field(
    world: Any, api_as: Any
) -> None:
    response = post(
        api_as,
        mrz=mrz_for(number="AC7654321", born="990101"),
        passport_number="AC1234567",
        passport_expiry="2031-01-01",
    )
    assert response.status_code == 422
    assert problems(response) == {
        "passport_number": "mrz_mismatch",
        "date_of_birth": "mrz_mismatch",
        "passport_expiry": "mrz_mismatch",
    }


def test_an_mrz_of_the_wrong_length_is_refused(world: Any, api_as: Any) -> None:
    response = post(api_as, mrz="P<KGZTESTOVA<<AIZADA")
    assert problems(response) == {"mrz": "invalid_mrz"}


# --- duplicates -------------------------------------------------------------------------


def test_the_same_passport_is_refused_as_a_duplicate_pointing_to_the_record(
    world: Any, api_as: Any
) -> None:
    first = post(api_as, passport_number="AC1234567")
    assert first.status_code == 201
    again = post(api_as, passport_number="ac 1234567", family_name="OTHER", given_names="NAME")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_person"
    assert f"record {first.json()['id']}" in again.json()["message"]
    assert again.json()["existing"] == {"person_id": first.json()["id"]}
    assert problems(again) == {"passport_number": "duplicate_person"}
    assert Person.objects.count() == 1


def test_the_same_name_birth_and_nationality_is_a_duplicate(world: Any, api_as: Any) -> None:
    assert post(api_as).status_code == 201
    again = post(api_as, family_name="testova", given_names="aizada")
    assert again.status_code == 409
    assert problems(again) == {"family_name": "duplicate_person"}


def test_a_duplicate_registered_elsewhere_is_refused_without_naming_the_record(
    world: Any, api_as: Any
) -> None:
    """bakyt's agency registered her; hana cannot see her: refused, but without the id."""
    assert post(api_as, "bakyt", passport_number="AC1234567").status_code == 201
    again = post(api_as, "hana", passport_number="AC1234567")
    assert again.status_code == 409
    assert "another organization" in again.json()["message"]
    assert "record" not in again.json()["message"]
    assert "existing" not in again.json()


def test_the_database_refuses_a_second_person_with_one_passport(world: Any) -> None:
    from django.db import IntegrityError, transaction

    PersonFactory(passport_number="AC7777777", nationality="KG")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(passport_number="AC7777777", nationality="KG")


# --- changes: locked, and recorded ------------------------------------------------------


def test_each_change_writes_an_event_saying_who_changed_what(world: Any, api_as: Any) -> None:
    created = post(api_as, phone="+996 555 000000").json()
    api_as("hana").patch(f"/persons/{created['id']}", {"phone": "+996 700 111111"})
    api_as("hana").patch(f"/persons/{created['id']}", {"phone": "+996 700 111111"})  # same
    events = list(PersonEvent.objects.filter(person_id=created["id"]).order_by("id"))
    assert [e.kind for e in events] == ["registered", "changed"]
    changed = events[1]
    assert (changed.actor, changed.organization) == (world.hana, world.care_home)
    assert changed.changes == {"phone": ["+996 555 000000", "+996 700 111111"]}


def test_a_refused_change_writes_nothing(world: Any, api_as: Any) -> None:
    created = post(api_as).json()
    response = api_as("hana").patch(f"/persons/{created['id']}", {"nationality": "ZZ"})
    assert response.status_code == 422
    assert Person.objects.get().nationality == "KG"
    assert PersonEvent.objects.filter(kind="changed").count() == 0


def test_person_events_are_append_only(world: Any, api_as: Any) -> None:
    from kakehashi.core.models import AppendOnlyError

    post(api_as)
    event = PersonEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        PersonEvent.objects.update(changes={})
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_two_clerks_changing_a_person_at_once_lose_nothing(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both read the record, both write: without the row lock the second write silently
    undoes the first (149 of 980 such edits lost an update). Both threads are held until
    the other has read, or for a second if the other is waiting for the lock."""
    person = PersonFactory(created_by_organization=world.care_home, phone="", email="")
    both_read = threading.Barrier(2, timeout=1)
    real_clean = services.clean_person

    def clean_then_wait(data: PersonData) -> PersonData:
        cleaned = real_clean(data)
        # A broken barrier: the other clerk waits for the lock, so go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return cleaned

    monkeypatch.setattr(services, "clean_person", clean_then_wait)
    errors: list[BaseException] = []

    def change(changes: dict[str, str]) -> None:
        try:
            services.person_update(actor=Actor.of(world.hana), person_id=person.pk, changes=changes)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=change, args=({"phone": "+996 700 111111"},)),
        threading.Thread(target=change, args=({"email": "aizada@example.kg"},)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    person.refresh_from_db()
    assert (person.phone, person.email) == ("+996 700 111111", "aizada@example.kg")
    assert PersonEvent.objects.filter(person=person, kind="changed").count() == 2


def test_a_service_refuses_an_invalid_record_whoever_calls_it(world: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.person_create(
            actor=Actor.of(world.hana),
            data=PersonData(
                family_name="A",
                given_names="B",
                nationality="ZZ",
                date_of_birth=datetime.date(1850, 1, 1),
                current_country="KG",
            ),
        )
    assert {p.field: p.code for p in refused.value.problems} == {
        "nationality": "invalid_country",
        "date_of_birth": "date_too_early",
    }
    PersonFactory(
        family_name="SAME",
        given_names="ONE",
        date_of_birth=datetime.date(2000, 1, 1),
        created_by_organization=world.care_home,
    )
    with pytest.raises(Conflict):
        services.person_create(
            actor=Actor.of(world.hana),
            data=PersonData(
                family_name="SAME",
                given_names="ONE",
                nationality="KG",
                date_of_birth=datetime.date(2000, 1, 1),
                current_country="KG",
            ),
        )
