"""The registries "as of" a date: each answer is computed from the dated history, so a past
date shows what was true then and later decisions are ignored (MOC §6(1)–(3), §7(2),
§7(5))."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from kakehashi.access import Actor
from kakehashi.registries import selectors, services

from .helpers import day, decide, sending_agency, today

pytestmark = pytest.mark.django_db

# certified (A) → suspended (B) → resumed (C) → revoked (D)
A, B, C, D = -40, -30, -20, -10


@pytest.fixture
def bishkek(world: Any) -> Any:
    """A new agency with the history A → B → C → D, recorded through the service."""
    agency = sending_agency("Bishkek Talent")
    decide(
        world.aida,
        agency,
        "certified",
        day(A),
        valid_until=day(1000),
        certificate_number="KG-SA-042",
    )
    decide(world.aida, agency, "suspended", day(B), reason="Fees without a breakdown")
    decide(world.aida, agency, "resumed", day(C))
    decide(world.aida, agency, "revoked", day(D), reason="Forged documents (MOC §4(1)(d))")
    return agency


def entry_for(agency: Any, on: datetime.date) -> selectors.AgencyEntry:
    [entry] = [e for e in selectors.agency_register(on) if e.agency == agency]
    return entry


# (day offset asked about, state, since, last_changed_on)
SEQUENCE = [
    pytest.param(A - 1, "none", None, None, id="A-1"),
    pytest.param(A, "certified", A, A, id="A"),
    pytest.param(B - 1, "certified", A, A, id="B-1"),
    pytest.param(B, "suspended", B, B, id="B"),
    pytest.param(C - 1, "suspended", B, B, id="C-1"),
    pytest.param(C, "certified", C, C, id="C"),
    pytest.param(D - 1, "certified", C, C, id="D-1"),
    pytest.param(D, "revoked", D, D, id="D"),
    pytest.param(0, "revoked", D, D, id="today"),
]


@pytest.mark.parametrize(("offset", "state", "since", "last_changed"), SEQUENCE)
def test_agency_register_answers_the_state_on_each_date(
    bishkek: Any, offset: int, state: str, since: int | None, last_changed: int | None
) -> None:
    entry = entry_for(bishkek, day(offset))
    assert entry.state == state
    assert entry.since == (day(since) if since is not None else None)
    assert entry.last_changed_on == (day(last_changed) if last_changed is not None else None)
    assert all(d.effective_on <= day(offset) for d in entry.decisions)


def test_the_register_ignores_decisions_after_the_date_asked(bishkek: Any) -> None:
    entry = entry_for(bishkek, day(B - 1))
    assert [d.action for d in entry.decisions] == ["certified"]
    assert entry.valid_until == day(1000)
    assert entry.certificate_number == "KG-SA-042"
    assert entry.last_recorded_at is not None


def test_the_register_lists_every_agency_with_its_state_today(world: Any, bishkek: Any) -> None:
    states = {e.agency.name_en: e.state for e in selectors.agency_register(today())}
    assert states == {
        "Ala-Too Bridge": "certified",
        "Bishkek Talent": "revoked",
        "Fast Visa KG": "none",
    }


def test_the_register_filters_by_state_and_name(world: Any, bishkek: Any) -> None:
    certified = selectors.agency_register(today(), state="certified")
    assert [e.agency for e in certified] == [world.agency]
    assert [e.agency for e in selectors.agency_register(day(C), state="certified")] == [
        world.agency,
        bishkek,
    ]
    assert [e.agency for e in selectors.agency_register(today(), search="bishkek")] == [bishkek]


def test_valid_until_passing_without_a_recorded_expiry_shows_expired_from_the_next_day(
    world: Any,
) -> None:
    agency = sending_agency("Talas Jobs")
    decide(world.aida, agency, "certified", day(-50), valid_until=day(-7))

    last_day = entry_for(agency, day(-7))
    assert (last_day.state, last_day.since) == ("certified", day(-50))

    for offset in (-6, 0):
        entry = entry_for(agency, day(offset))
        assert entry.state == "expired"
        assert entry.since == day(-6)
        assert entry.valid_until == day(-7)
        assert entry.last_changed_on == day(-50)  # no decision since the certification
    assert [e.agency for e in selectors.agency_register(today(), state="expired")] == [agency]


def test_a_suspension_that_outlives_valid_until_reads_expired_after_it(world: Any) -> None:
    """The validity ends whether or not the certification is suspended at the time."""
    agency = sending_agency("Chui Staffing")
    decide(world.aida, agency, "certified", day(-50), valid_until=day(-20))
    decide(world.aida, agency, "suspended", day(-30), reason="Under investigation")
    assert entry_for(agency, day(-20)).state == "suspended"
    expired = entry_for(agency, day(-10))
    assert expired.state == "expired"
    assert expired.since == day(-19)


def test_revocations_are_listed_as_of_their_date(world: Any, bishkek: Any) -> None:
    assert list(selectors.revocations(day(D - 1))) == []
    [revocation] = selectors.revocations(day(D))
    assert revocation.agency == bishkek
    assert revocation.reason == "Forged documents (MOC §4(1)(d))"


# --- Japan's registries ---------------------------------------------------------------------


@pytest.fixture
def registrations(world: Any) -> dict[str, Any]:
    def register(number: str, registered: int, until: int | None = None) -> Any:
        return services.support_registration_record(
            actor=Actor.of(world.isao),
            organization_id=world.support.pk,
            registration_number=number,
            registered_on=day(registered),
            valid_until=day(until) if until is not None else None,
        )

    open_ended = register("R-OPEN", -100)
    lapsing = register("R-LAPSE", -100, -10)
    cancelled = register("R-CANCEL", -100)
    services.support_registration_cancel(
        actor=Actor.of(world.isao), registration_id=cancelled.pk, cancelled_on=day(-5)
    )
    return {"open_ended": open_ended, "lapsing": lapsing, "cancelled": cancelled}


@pytest.mark.parametrize(
    ("offset", "listed"),
    [
        (-101, []),
        (-100, ["R-CANCEL", "R-LAPSE", "R-OPEN"]),
        (-10, ["R-CANCEL", "R-LAPSE", "R-OPEN"]),
        (-9, ["R-CANCEL", "R-OPEN"]),
        (-6, ["R-CANCEL", "R-OPEN"]),
        (-5, ["R-OPEN"]),
        (0, ["R-OPEN"]),
    ],
)
def test_support_organizations_in_force_on_a_date(
    registrations: dict[str, Any], offset: int, listed: list[str]
) -> None:
    numbers = [r.registration_number for r in selectors.support_organizations(day(offset))]
    assert numbers == listed


def test_a_registration_cannot_be_cancelled_twice(world: Any, registrations: Any) -> None:
    from kakehashi.core.errors import RuleRefused

    with pytest.raises(RuleRefused) as refused:
        services.support_registration_cancel(
            actor=Actor.of(world.isao),
            registration_id=registrations["cancelled"].pk,
            cancelled_on=day(0),
        )
    assert refused.value.code == "already_cancelled"
    registrations["cancelled"].refresh_from_db()
    assert registrations["cancelled"].cancelled_on == day(-5)


@pytest.fixture
def suspensions(world: Any) -> dict[str, Any]:
    def suspend(field: str, starts: int, ends: int | None = None) -> Any:
        return services.field_suspension_record(
            actor=Actor.of(world.isao),
            field_code=field,
            starts_on=day(starts),
            ends_on=day(ends) if ends is not None else None,
            reason=f"{field}: shortage filled",
        )

    return {
        "ended": suspend("care", -30, -10),
        "running": suspend("building_cleaning", -5),
        "announced": suspend("agriculture", 10, 40),
    }


@pytest.mark.parametrize(
    ("offset", "current", "with_past"),
    [
        (-31, [], []),
        (-20, ["ended"], ["ended"]),
        (-10, ["ended"], ["ended"]),  # the last day is included
        (-9, [], ["ended"]),
        (0, ["running"], ["running", "ended"]),
        (10, ["announced", "running"], ["announced", "running", "ended"]),
        (41, ["running"], ["announced", "running", "ended"]),
    ],
)
def test_field_suspensions_current_and_past(
    suspensions: dict[str, Any], offset: int, current: list[str], with_past: list[str]
) -> None:
    names = {s.pk: name for name, s in suspensions.items()}
    on = day(offset)
    assert [names[s.pk] for s in selectors.field_suspensions(on)] == current
    assert [names[s.pk] for s in selectors.field_suspensions(on, include_past=True)] == with_past


@pytest.mark.parametrize(
    ("offset", "listed"),
    [
        (-101, []),
        (-100, ["L-OLD"]),
        (-50, ["L-NEW", "L-OLD"]),
        (-1, ["L-NEW", "L-OLD"]),
        (0, ["L-NEW"]),
    ],
)
def test_placement_licences_in_force_on_a_date(world: Any, offset: int, listed: list[str]) -> None:
    services.placement_licence_record(
        actor=Actor.of(world.isao),
        holder_id=world.agency.pk,
        licence_number="L-OLD",
        valid_from=day(-100),
        valid_until=day(-1),
        countries=["KG"],
    )
    services.placement_licence_record(
        actor=Actor.of(world.isao),
        holder_id=world.rogue_agency.pk,
        licence_number="L-NEW",
        valid_from=day(-50),
        countries=["kg", "vn"],
    )
    numbers = sorted(lic.licence_number for lic in selectors.placement_licences(day(offset)))
    assert numbers == listed


def test_a_resumption_with_a_new_validity_is_what_the_register_publishes(world: Any) -> None:
    agency = sending_agency("Batken Works")
    decide(world.aida, agency, "certified", day(-50), valid_until=day(100))
    decide(world.aida, agency, "suspended", day(-40), reason="Under investigation")
    decide(world.aida, agency, "resumed", day(-30), valid_until=day(500))

    entry = entry_for(agency, today())
    assert entry.state == "certified"
    assert entry.valid_until == day(500)
