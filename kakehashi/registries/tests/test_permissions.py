"""Who may record what in the MOC registries, persona by persona: the ministry of the
agency's country (its contact point, the Center) decides on certification (MOC §7(1),
§7(4)); only the agency itself applies; only Japan's contact point (ISA) records
improvement orders, the support-organization list, field suspensions and placement
licences (MOC §6(3), §8). Every refusal is NotAllowed and leaves nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kakehashi.access import Actor
from kakehashi.accounts.models import MemberRole, OrganizationKind
from kakehashi.core.errors import NotAllowed
from kakehashi.registries import services
from kakehashi.registries.models import (
    FieldSuspension,
    ImprovementOrder,
    PlacementLicence,
    SupportOrganizationRegistration,
)
from kakehashi.testing.factories import OrganizationFactory

from .helpers import counts, day, decide, member, sending_agency, state_of

pytestmark = pytest.mark.django_db


def persona(world: Any, name: str) -> Any:
    """A world persona, or one of the extra people these tests need:
    center_viewer   a viewer (not a clerk) at the Center
    isa_viewer      a viewer at the ISA
    vn_officer      a clerk at Vietnam's sending contact point"""
    if name == "center_viewer":
        return member("center_viewer", world.center, MemberRole.VIEWER)
    if name == "isa_viewer":
        return member("isa_viewer", world.isa, MemberRole.VIEWER)
    if name == "vn_officer":
        return member("vn_officer", vietnam_center())
    return world.user(name)


def vietnam_center() -> Any:
    return OrganizationFactory(
        kind=OrganizationKind.SENDING_CONTACT_POINT, country="VN", name_en="DOLAB Viet Nam"
    )


# --- Certification decisions -------------------------------------------------------------

NOT_THE_MINISTRY = [
    "isao",
    "hana",
    "vic",
    "ito",
    "mayu",
    "bakyt",
    "rustam",
    "sato",
    "nobody",
    "center_viewer",
    "vn_officer",
]


@pytest.mark.parametrize("action", ["certified", "suspended", "revoked"])
@pytest.mark.parametrize("who", NOT_THE_MINISTRY)
def test_only_the_center_of_the_agencys_country_decides(world: Any, who: str, action: str) -> None:
    actor = persona(world, who)
    agency = world.rogue_agency if action == "certified" else world.agency
    state = state_of(agency)
    before = counts()

    with pytest.raises(NotAllowed) as refused:
        decide(actor, agency, action)

    assert refused.value.status == 403
    assert counts() == before
    assert state_of(agency) == state


@pytest.mark.parametrize(
    ("agency_attr", "action", "expected"),
    [
        ("rogue_agency", "certified", "certified"),
        ("agency", "suspended", "suspended"),
        ("agency", "revoked", "revoked"),
    ],
)
def test_aida_decides_for_the_kyrgyz_ministry(
    world: Any, agency_attr: str, action: str, expected: str
) -> None:
    agency = getattr(world, agency_attr)
    decision = decide(world.aida, agency, action)
    assert decision.recorded_by == world.aida
    assert decision.recorded_by_organization == world.center
    assert state_of(agency) == expected


def test_a_center_of_another_country_decides_on_its_own_agencies_only(world: Any) -> None:
    vn_officer = persona(world, "vn_officer")
    vn_agency = sending_agency("Hanoi Manpower", country="VN")

    decide(vn_officer, vn_agency, "certified")
    assert state_of(vn_agency) == "certified"

    before = counts()
    with pytest.raises(NotAllowed):
        decide(world.aida, vn_agency, "revoked")
    assert counts() == before
    assert state_of(vn_agency) == "certified"


# --- Applications ---------------------------------------------------------------------------


def test_rustam_applies_for_his_own_agency(world: Any) -> None:
    decision = decide(world.rustam, world.rogue_agency, "applied")
    assert decision.recorded_by_organization == world.rogue_agency
    assert state_of(world.rogue_agency) == "applied"


@pytest.mark.parametrize(
    "who", ["bakyt", "aida", "isao", "hana", "mayu", "sato", "nobody", "vn_officer"]
)
def test_nobody_else_applies_for_an_agency(world: Any, who: str) -> None:
    actor = persona(world, who)
    before = counts()
    with pytest.raises(NotAllowed):
        decide(actor, world.rogue_agency, "applied")
    assert counts() == before
    assert state_of(world.rogue_agency) == "none"


def test_a_viewer_at_the_agency_cannot_apply_for_it(world: Any) -> None:
    viewer = member("rustam_viewer", world.rogue_agency, MemberRole.VIEWER)
    before = counts()
    with pytest.raises(NotAllowed):
        decide(viewer, world.rogue_agency, "applied")
    assert counts() == before


def test_the_agency_cannot_decide_on_its_own_application(world: Any) -> None:
    decide(world.rustam, world.rogue_agency, "applied")
    before = counts()
    with pytest.raises(NotAllowed):
        decide(world.rustam, world.rogue_agency, "certified")
    assert counts() == before
    assert state_of(world.rogue_agency) == "applied"


def test_staff_of_two_agencies_can_apply_for_either(world: Any) -> None:
    first, second = sending_agency("Naryn Labour"), sending_agency("Osh Careers")
    almaz = member("almaz", first)
    member("almaz", second)  # the same user (get-or-create by username), a second membership
    for agency in (first, second):
        decision = decide(almaz, agency, "applied")
        assert decision.recorded_by_organization == agency
        assert state_of(agency) == "applied"


# --- Japan's registries -------------------------------------------------------------------


def record_improvement_order(world: Any, actor: Any) -> Any:
    return services.improvement_order_record(
        actor=Actor.of(actor),
        receiving_organization_id=world.care_home.pk,
        issued_on=day(-3),
        summary="Wages below the contract; ordered to pay the difference",
        order_number="IO-2026-1",
    )


def record_support_registration(world: Any, actor: Any) -> Any:
    return services.support_registration_record(
        actor=Actor.of(actor),
        organization_id=world.support.pk,
        registration_number="19登-000123",
        registered_on=day(-100),
        valid_until=day(1000),
        languages="ky, ru",
    )


def cancel_support_registration(world: Any, actor: Any) -> Any:
    registration = SupportOrganizationRegistration.objects.get(registration_number="REG-0")
    return services.support_registration_cancel(
        actor=Actor.of(actor), registration_id=registration.pk, cancelled_on=day(-1)
    )


def record_field_suspension(world: Any, actor: Any) -> Any:
    return services.field_suspension_record(
        actor=Actor.of(actor), field_code="care", starts_on=day(0), reason="Shortage filled"
    )


def record_placement_licence(world: Any, actor: Any) -> Any:
    return services.placement_licence_record(
        actor=Actor.of(actor),
        holder_id=world.agency.pk,
        licence_number="13-ユ-300001",
        valid_from=day(-10),
        countries=["KG"],
    )


JP_WRITES: dict[str, tuple[Callable[[Any, Any], Any], type]] = {
    "improvement_order": (record_improvement_order, ImprovementOrder),
    "support_registration": (record_support_registration, SupportOrganizationRegistration),
    "support_cancellation": (cancel_support_registration, SupportOrganizationRegistration),
    "field_suspension": (record_field_suspension, FieldSuspension),
    "placement_licence": (record_placement_licence, PlacementLicence),
}

NOT_JAPANS_CONTACT_POINT = [
    "aida",
    "hana",
    "vic",
    "mayu",
    "bakyt",
    "rustam",
    "sato",
    "nobody",
    "isa_viewer",
    "vn_officer",
]


@pytest.fixture
def listed_registration(world: Any) -> SupportOrganizationRegistration:
    """A registration for the cancellation tests to cancel, recorded by the ISA."""
    return services.support_registration_record(
        actor=Actor.of(world.isao),
        organization_id=world.support.pk,
        registration_number="REG-0",
        registered_on=day(-200),
    )


@pytest.mark.parametrize("write", list(JP_WRITES))
def test_isao_records_japans_registries(world: Any, listed_registration: Any, write: str) -> None:
    record, model = JP_WRITES[write]
    result = record(world, world.isao)
    assert isinstance(result, model)
    result.refresh_from_db()


@pytest.mark.parametrize("write", list(JP_WRITES))
@pytest.mark.parametrize("who", NOT_JAPANS_CONTACT_POINT)
def test_only_japans_contact_point_records_japans_registries(
    world: Any, listed_registration: Any, who: str, write: str
) -> None:
    actor = persona(world, who)
    record, _model = JP_WRITES[write]
    before = counts()

    with pytest.raises(NotAllowed) as refused:
        record(world, actor)

    assert refused.value.status == 403
    assert counts() == before
    listed_registration.refresh_from_db()
    assert listed_registration.status == "registered"
    assert listed_registration.cancelled_on is None
