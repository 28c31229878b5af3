"""Issue 7, item 1: one access policy. The actor is resolved once per request from the
user's memberships; its typed methods answer who acts for whom; and nothing outside
kakehashi/access works it out again from memberships or request.user."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import RequestFactory

from kakehashi.access import ANONYMOUS, Actor, request_actor
from kakehashi.access.policy import (
    acting_receiving_organization,
    case_opening_organizations,
    may_manage_person,
    person_registering_organization,
    sees_reasons_of,
)
from kakehashi.accounts.models import MemberRole, OrganizationKind
from kakehashi.core.errors import InvalidInput, NotAllowed
from kakehashi.testing.factories import MembershipFactory, OrganizationFactory, PersonFactory

SOURCE = Path(settings.BASE_DIR) / "kakehashi"


def test_an_actor_is_resolved_once_per_request(world: Any, django_assert_num_queries: Any) -> None:
    request = RequestFactory().get("/")
    request.user = world.hana
    with django_assert_num_queries(1):
        first = request_actor(request)
        second = request_actor(request)
    assert first is second
    assert [o.pk for o in first.organizations] == [world.care_home.pk]


def test_the_api_resolves_the_actor_of_the_token_not_of_the_session(world: Any) -> None:
    request = RequestFactory().get("/")
    request.user = world.hana
    assert request_actor(request).user == world.hana
    request.user = world.aida  # the bearer token's user, set by the API's authentication
    assert request_actor(request).user == world.aida


def test_an_anonymous_or_inactive_user_acts_for_nobody(world: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert Actor.of(AnonymousUser()) is ANONYMOUS
    world.hana.is_active = False
    assert Actor.of(world.hana) is ANONYMOUS
    assert ANONYMOUS.organizations == ()
    assert not ANONYMOUS.is_authenticated


def test_viewers_belong_but_do_not_act(world: Any) -> None:
    vic = Actor.of(world.vic)
    assert vic.member_of(world.care_home.pk)
    assert vic.acts_for(world.care_home.pk) is None
    assert vic.acting_organizations == ()
    assert vic.is_kind(OrganizationKind.RECEIVING_ORGANIZATION)
    assert vic.acts_as(OrganizationKind.RECEIVING_ORGANIZATION) is None


def test_acts_as_a_kind_of_organization_and_country(world: Any) -> None:
    aida = Actor.of(world.aida)
    assert aida.acts_as(OrganizationKind.SENDING_CONTACT_POINT, "KG") == world.center
    assert aida.acts_as(OrganizationKind.SENDING_CONTACT_POINT, "UZ") is None
    assert aida.is_contact_point_for("KG")
    assert not aida.is_contact_point_for("UZ")
    assert Actor.of(world.isao).is_contact_point_for("UZ")  # Japan's contact point
    assert not Actor.of(world.hana).is_contact_point


def test_parties_in_a_case(world: Any) -> None:
    case = type(
        "Case",
        (),
        {
            "receiving_organization_id": world.care_home.pk,
            "sending_agency_id": world.agency.pk,
            "support_organization_id": world.support.pk,
            "country": "KG",
        },
    )()
    assert Actor.of(world.hana).case_roles(case) == {"receiving_organization"}
    assert Actor.of(world.bakyt).case_roles(case) == {"sending_agency"}
    assert Actor.of(world.aida).case_roles(case) == {"sending_contact_point"}
    assert Actor.of(world.sato).case_roles(case) == {"support_organization"}
    assert Actor.of(world.vic).case_roles(case) == frozenset()
    assert Actor.of(world.mayu).case_roles(case) == frozenset()


def test_a_user_of_two_employers_names_the_one_a_case_is_for(world: Any) -> None:
    MembershipFactory(user=world.hana, organization=world.it_firm, role=MemberRole.CLERK)
    hana = Actor.of(world.hana)
    assert set(case_opening_organizations(hana)) == {world.care_home, world.it_firm}
    with pytest.raises(InvalidInput):
        acting_receiving_organization(hana, None, "no", field="receiving_organization")
    assert acting_receiving_organization(hana, world.it_firm.pk, "no", field="x") == world.it_firm
    with pytest.raises(NotAllowed):
        acting_receiving_organization(hana, world.osaka_metal.pk, "no", field="x")


def test_who_registers_and_manages_a_person(world: Any) -> None:
    person = PersonFactory(created_by_organization=world.agency)
    assert person_registering_organization(Actor.of(world.bakyt)) == world.agency
    assert person_registering_organization(Actor.of(world.sato)) is None
    assert may_manage_person(Actor.of(world.bakyt), person)
    assert not may_manage_person(Actor.of(world.hana), person)


def test_reasons_are_the_contact_points_of_that_country(world: Any) -> None:
    uzbek = OrganizationFactory(kind=OrganizationKind.SENDING_CONTACT_POINT, country="UZ")
    officer = MembershipFactory(organization=uzbek).user
    assert sees_reasons_of(Actor.of(world.aida), "KG")
    assert sees_reasons_of(Actor.of(world.isao), "KG")
    assert not sees_reasons_of(Actor.of(officer), "KG")
    for name in ("hana", "mayu", "bakyt", "sato"):
        assert not sees_reasons_of(Actor.of(world.user(name)), "KG"), name


def test_a_system_actor_acts_for_one_organization_without_a_user(world: Any) -> None:
    system = Actor.for_system(world.center)
    assert system.acts_as(OrganizationKind.SENDING_CONTACT_POINT, "KG") == world.center
    assert system.user is None
    with pytest.raises(NotAllowed):
        _ = system.required_user


# --- nothing re-implements the policy --------------------------------------------------------

ALLOWED = ("access/", "accounts/", "demo/", "testing/", "/tests/", "/migrations/")


def _code_files() -> list[Path]:
    return [
        p
        for p in SOURCE.rglob("*.py")
        if not any(part in str(p.relative_to(SOURCE.parent)) for part in ALLOWED)
    ]


def test_no_module_outside_the_access_policy_walks_memberships() -> None:
    offenders = [
        str(p.relative_to(SOURCE))
        for p in _code_files()
        if re.search(r"\bmemberships?_of\b|\.memberships\b|Membership\.objects", p.read_text())
    ]
    assert offenders == []


def test_no_view_or_endpoint_passes_request_user_to_a_service_or_selector() -> None:
    offenders = [
        str(p.relative_to(SOURCE))
        for p in _code_files()
        if re.search(r"request\.user\b", p.read_text())
    ]
    assert offenders == []
    ignores = [
        str(p.relative_to(SOURCE))
        for p in _code_files()
        if "type: ignore[arg-type]" in p.read_text()
    ]
    assert ignores == []
