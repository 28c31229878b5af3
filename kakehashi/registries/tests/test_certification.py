"""A sending agency's certification from application to revocation, through
agency_decision_record (MOC §7(1)–(4)): each allowed step changes the state, each
disallowed one is refused with transition_not_allowed and writes nothing, and bad input
is reported field by field.

rustam (Fast Visa KG, never certified) applies; aida (the Center, KG's contact point, i.e.
the ministry) decides. world.agency (Ala-Too Bridge) is certified from 2024-01-01 to 2099."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from kakehashi.access import Actor
from kakehashi.core.errors import InvalidInput, RuleRefused
from kakehashi.registries import selectors, services
from kakehashi.registries.models import AgencyCertificationDecision, Notice

from .helpers import counts, day, decide, state_of, today

pytestmark = pytest.mark.django_db


def fields_of(error: InvalidInput) -> dict[str, str]:
    return {p.field or "": p.code for p in error.problems}


def codes_of(error: RuleRefused) -> list[str]:
    return [p.code for p in error.problems]


# --- The lifecycle ------------------------------------------------------------------------


def test_rustam_applies_and_aida_refuses_with_a_reason(world: Any) -> None:
    rogue = world.rogue_agency
    applied = decide(world.rustam, rogue, "applied", day(-20))
    assert state_of(rogue) == "applied"
    assert applied.recorded_by == world.rustam
    assert applied.recorded_by_organization == rogue

    refused = decide(world.aida, rogue, "refused", day(-15), reason="  No office in Bishkek  ")
    assert state_of(rogue) == "refused"
    assert refused.reason == "No office in Bishkek"
    assert refused.recorded_by_organization == world.center


def test_full_lifecycle_from_application_to_revocation(world: Any) -> None:
    rogue = world.rogue_agency
    steps = [
        (world.rustam, "applied", day(-60), {}, "applied"),
        (world.aida, "refused", day(-55), {"reason": "Incomplete file"}, "refused"),
        (world.rustam, "applied", day(-50), {}, "applied"),
        (
            world.aida,
            "certified",
            day(-45),
            {"valid_until": day(700), "certificate_number": " KG-SA-017 "},
            "certified",
        ),
        (world.aida, "suspended", day(-40), {"reason": "Fees without a breakdown"}, "suspended"),
        (world.aida, "resumed", day(-30), {}, "certified"),
        (world.aida, "revoked", day(-20), {"reason": "Collected deposits"}, "revoked"),
    ]
    for actor, action, on, extra, expected in steps:
        decision = services.agency_decision_record(
            actor=Actor.of(actor), agency_id=rogue.pk, action=action, effective_on=on, **extra
        )
        assert decision.action == action
        assert decision.effective_on == on
        assert state_of(rogue) == expected, action

    history = list(selectors.agency_history(rogue.pk).values_list("action", flat=True))
    assert history == [s[1] for s in steps]
    certified = AgencyCertificationDecision.objects.get(agency=rogue, action="certified")
    assert certified.valid_until == day(700)
    assert certified.certificate_number == "KG-SA-017"
    # Each state held on the day in between.
    assert state_of(rogue, day(-52)) == "refused"
    assert state_of(rogue, day(-35)) == "suspended"
    assert state_of(rogue, day(-25)) == "certified"
    # The revocation is published with its reason (MOC §6(2)).
    [revocation] = selectors.revocations(today())
    assert (revocation.agency, revocation.reason) == (rogue, "Collected deposits")
    assert list(selectors.revocations(day(-21))) == []


def test_a_revoked_agency_can_apply_again_and_be_certified_again(world: Any) -> None:
    agency = world.agency
    decide(world.aida, agency, "revoked", day(-30))
    decide(world.bakyt, agency, "applied", day(-20))
    assert state_of(agency) == "applied"
    decide(world.aida, agency, "certified", day(-10), valid_until=day(365))
    assert state_of(agency) == "certified"


def test_the_ministry_may_certify_without_an_application(world: Any) -> None:
    decide(world.aida, world.rogue_agency, "certified", day(-1), valid_until=day(30))
    assert state_of(world.rogue_agency) == "certified"


def test_decisions_default_to_today(world: Any) -> None:
    decision = services.agency_decision_record(
        actor=Actor.of(world.rustam), agency_id=world.rogue_agency.pk, action="applied"
    )
    assert decision.effective_on == today()


def test_dates_given_as_iso_strings_are_accepted(world: Any, api_as: Any) -> None:
    response = api_as("aida").post(
        f"/registries/agencies/{world.rogue_agency.pk}/decisions",
        {
            "action": "certified",
            "effective_on": day(-3).isoformat(),
            "valid_until": day(100).isoformat(),
        },
    )
    assert response.status_code == 201, response.json()
    decision = AgencyCertificationDecision.objects.get(pk=response.json()["id"])
    assert (decision.effective_on, decision.valid_until) == (day(-3), day(100))


def test_two_decisions_on_the_same_day_apply_in_the_order_recorded(world: Any) -> None:
    rogue = world.rogue_agency
    decide(world.rustam, rogue, "applied", today())
    decide(world.aida, rogue, "certified", today())
    decide(world.aida, rogue, "suspended", today())
    assert state_of(rogue) == "suspended"


# --- Expiry -----------------------------------------------------------------------------


def test_a_certification_past_its_validity_reads_as_expired_without_a_recorded_decision(
    world: Any,
) -> None:
    rogue = world.rogue_agency
    decide(world.aida, rogue, "certified", day(-30), valid_until=day(-1))
    assert state_of(rogue, day(-1)) == "certified"
    assert state_of(rogue) == "expired"


def test_agency_expiries_record_records_the_expiry_the_day_after_valid_until(
    world: Any,
) -> None:
    rogue = world.rogue_agency
    decide(world.aida, rogue, "certified", day(-30), valid_until=day(-1))
    before = Notice.objects.count()

    recorded = services.agency_expiries_record()

    assert [(d.agency, d.action, d.effective_on) for d in recorded] == [(rogue, "expired", today())]
    # Recorded for the ministry of the agency's country, by the scheduled run (no user).
    assert (recorded[0].recorded_by, recorded[0].recorded_by_organization) == (None, world.center)
    assert state_of(rogue) == "expired"
    assert Notice.objects.count() == before + 1
    # Run again: nothing left to record; world.agency (until 2099) untouched.
    assert services.agency_expiries_record() == []
    assert state_of(world.agency) == "certified"


def test_agency_expiries_record_leaves_valid_certifications_alone(world: Any) -> None:
    decide(world.aida, world.rogue_agency, "certified", day(-30), valid_until=day(1))
    before = counts()
    assert services.agency_expiries_record() == []
    assert counts() == before


def test_an_agency_whose_certification_lapsed_can_apply_again_and_be_refused(
    world: Any,
) -> None:
    rogue = world.rogue_agency
    decide(world.aida, rogue, "certified", day(-60), valid_until=day(-31))
    decide(world.rustam, rogue, "applied", day(-20))  # accepted: the state is "expired"
    assert state_of(rogue) == "applied"
    decide(world.aida, rogue, "refused", day(-10))
    assert state_of(rogue) == "refused"


# --- Disallowed transitions -----------------------------------------------------------------

# (history of rogue_agency before the attempt, who attempts, the action)
DISALLOWED = [
    pytest.param([], "aida", "refused", id="refuse-never-applied"),
    pytest.param([], "aida", "suspended", id="suspend-never-certified"),
    pytest.param([], "aida", "resumed", id="resume-never-certified"),
    pytest.param([], "aida", "revoked", id="revoke-never-certified"),
    pytest.param([], "aida", "expired", id="expire-never-certified"),
    pytest.param(["applied"], "rustam", "applied", id="apply-twice"),
    pytest.param(["applied"], "aida", "suspended", id="suspend-an-application"),
    pytest.param(["applied"], "aida", "revoked", id="revoke-an-application"),
    pytest.param(["applied", "refused"], "aida", "refused", id="refuse-twice"),
    pytest.param(["certified"], "aida", "resumed", id="resume-certified"),
    pytest.param(["certified"], "aida", "refused", id="refuse-certified"),
    pytest.param(["certified"], "aida", "certified", id="certify-certified"),
    pytest.param(["certified"], "rustam", "applied", id="apply-while-certified"),
    pytest.param(["certified", "suspended"], "aida", "suspended", id="suspend-suspended"),
    pytest.param(["certified", "suspended"], "aida", "certified", id="certify-suspended"),
    pytest.param(["certified", "suspended"], "aida", "expired", id="expire-suspended"),
    pytest.param(["certified", "suspended"], "rustam", "applied", id="apply-while-suspended"),
    pytest.param(["certified", "revoked"], "aida", "suspended", id="suspend-revoked"),
    pytest.param(["certified", "revoked"], "aida", "resumed", id="resume-revoked"),
    pytest.param(["certified", "revoked"], "aida", "revoked", id="revoke-revoked"),
    pytest.param(["certified", "revoked"], "aida", "refused", id="refuse-revoked"),
]


@pytest.mark.parametrize(("history", "who", "action"), DISALLOWED)
def test_a_disallowed_transition_is_refused_and_writes_nothing(
    world: Any, history: list[str], who: str, action: str
) -> None:
    rogue = world.rogue_agency
    for offset, past in enumerate(history):
        actor = world.rustam if past == "applied" else world.aida
        decide(actor, rogue, past, day(-30 + 5 * offset))
    state = state_of(rogue)
    before = counts()

    with pytest.raises(RuleRefused) as refused:
        decide(world.user(who), rogue, action, today())

    assert codes_of(refused.value) == ["transition_not_allowed"]
    assert refused.value.status == 409
    assert refused.value.problems[0].source  # names the MOC section
    assert counts() == before
    assert state_of(rogue) == state


def test_bakyt_cannot_apply_for_an_agency_that_is_already_certified(world: Any) -> None:
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        decide(world.bakyt, world.agency, "applied")
    assert codes_of(refused.value) == ["transition_not_allowed"]
    assert counts() == before


# --- Validation -----------------------------------------------------------------------------


def test_certifying_without_valid_until_names_the_field(world: Any) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        services.agency_decision_record(
            actor=Actor.of(world.aida), agency_id=world.rogue_agency.pk, action="certified"
        )
    assert fields_of(invalid.value) == {"valid_until": "required"}
    assert counts() == before


@pytest.mark.parametrize("offset", [-1, 0], ids=["before-start", "same-day"])
def test_a_validity_that_ends_before_it_starts_is_invalid(world: Any, offset: int) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        decide(world.aida, world.rogue_agency, "certified", day(-10), valid_until=day(-10 + offset))
    assert fields_of(invalid.value) == {"valid_until": "before_start"}
    assert counts() == before


@pytest.mark.parametrize(
    ("who", "action"), [("aida", "certified"), ("rustam", "applied"), ("aida", "refused")]
)
def test_a_decision_cannot_take_effect_in_the_future(world: Any, who: str, action: str) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        decide(world.user(who), world.rogue_agency, action, day(1), valid_until=day(400))
    assert fields_of(invalid.value)["effective_on"] == "date_in_future"
    assert counts() == before


def test_a_decision_dated_before_the_last_one_is_out_of_order(world: Any) -> None:
    rogue = world.rogue_agency
    decide(world.rustam, rogue, "applied", day(-10))
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        decide(world.aida, rogue, "certified", day(-11))
    assert codes_of(refused.value) == ["out_of_order"]
    assert refused.value.problems[0].field == "effective_on"
    assert day(-10).isoformat() in refused.value.message
    assert counts() == before
    assert state_of(rogue) == "applied"


def test_a_suspension_backdated_before_the_certification_of_2024_is_out_of_order(
    world: Any,
) -> None:
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        decide(world.aida, world.agency, "suspended", datetime.date(2023, 12, 31))
    assert codes_of(refused.value) == ["out_of_order"]
    assert counts() == before


@pytest.mark.parametrize("action", ["refused", "suspended", "revoked"])
@pytest.mark.parametrize("reason", ["", "   \n "], ids=["empty", "blank"])
def test_refusal_suspension_and_revocation_need_a_reason(
    world: Any, action: str, reason: str
) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        decide(world.aida, world.agency, action, reason=reason)
    assert fields_of(invalid.value) == {"reason": "required"}
    assert counts() == before
    assert state_of(world.agency) == "certified"


@pytest.mark.parametrize("action", ["resumed", "expired"])
def test_other_ministry_decisions_do_not_need_a_reason(world: Any, action: str) -> None:
    """Validation passes: the refusal that follows is about the state, not the reason."""
    with pytest.raises(RuleRefused) as refused:
        services.agency_decision_record(
            actor=Actor.of(world.aida), agency_id=world.rogue_agency.pk, action=action
        )
    assert codes_of(refused.value) == ["transition_not_allowed"]


@pytest.mark.parametrize("action", ["approved", "", "CERTIFIED"])
def test_an_unknown_action_is_invalid(world: Any, action: str) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        services.agency_decision_record(
            actor=Actor.of(world.aida), agency_id=world.agency.pk, action=action, reason="x"
        )
    assert fields_of(invalid.value) == {"action": "invalid_choice"}
    assert counts() == before


def test_an_unknown_agency_is_invalid(world: Any) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        services.agency_decision_record(
            actor=Actor.of(world.aida), agency_id=999_999, action="revoked", reason="x"
        )
    assert fields_of(invalid.value) == {"agency_id": "not_found"}
    assert counts() == before


def test_an_organization_that_is_not_a_sending_agency_cannot_be_certified(world: Any) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        decide(world.aida, world.care_home, "certified")
    assert fields_of(invalid.value) == {"agency_id": "not_found"}
    assert counts() == before


def test_a_date_that_is_not_a_date_is_invalid(world: Any, api_as: Any) -> None:
    before = counts()
    response = api_as("aida").post(
        f"/registries/agencies/{world.rogue_agency.pk}/decisions",
        {"action": "certified", "effective_on": "23/11/2026", "valid_until": "2030-02-30"},
    )
    assert response.status_code == 422
    assert {p["field"]: p["code"] for p in response.json()["problems"]} == {
        "effective_on": "invalid_date",
        "valid_until": "invalid_date",
    }
    assert counts() == before
