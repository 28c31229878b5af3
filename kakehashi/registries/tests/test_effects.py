"""What a decision does besides recording itself (MOC §6(1)–(3), §7(2)–(4)):

- suspending, revoking (or expiring) an agency's certification flags every OPEN case with
  that agency, in the same transaction, and the parties see the flag with a readable
  message; re-certifying or resuming clears the flags;
- a revoked agency cannot be named on a new pattern-3 case nor act at its agency steps;
- each ministry decision tells Japan's contact point (a Notice), an application does not;
  improvement orders, support-list changes and field suspensions tell the Center;
- when any part fails, nothing is written."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from django.db import DatabaseError

from kakehashi.access import Actor
from kakehashi.accounts.models import OrganizationKind
from kakehashi.cases import presenters
from kakehashi.cases import services as case_services
from kakehashi.cases.models import Case, CaseEvent, CaseFlag, CaseStatus
from kakehashi.cases.tests.helpers import evidence_for
from kakehashi.core.errors import RuleRefused
from kakehashi.registries import selectors, services
from kakehashi.registries.models import (
    AgencyCertificationDecision,
    Notice,
    NoticeKind,
    ReasonDisclosure,
)
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import OrganizationFactory

from .helpers import (
    complete,
    counts,
    day,
    decide,
    eligible_person,
    open_case,
    sending_agency,
    state_of,
    today,
    walk_until,
)

pytestmark = pytest.mark.django_db

REASON = "Collected deposits from job-seekers (MOC §4(1)(a))"


@pytest.fixture
def cases(world: Any) -> dict[str, Case]:
    """Cases the decisions on world.agency (Ala-Too Bridge) may or may not touch."""
    other = sending_agency("Issyk-Kul Works", certified_on=day(-400))
    just_opened = open_case(world, "via_agency", world.agency)
    under_way = walk_until(
        world, open_case(world, "via_agency", world.agency), stop_before="coe_application"
    )
    withdrawn = open_case(world, "via_agency", world.agency)
    case_services.case_withdraw(
        actor=Actor.of(world.hana), case_id=withdrawn.pk, reason="Changed plans"
    )
    completed = walk_until(world, open_case(world, "via_agency", world.agency))
    return {
        "just_opened": just_opened,
        "under_way": under_way,
        "withdrawn": withdrawn,
        "completed": completed,
        "other_agency": open_case(world, "via_agency", other),
        "direct": open_case(world, "direct"),
    }


FLAGGED = ["just_opened", "under_way"]
UNTOUCHED = ["withdrawn", "completed", "other_agency", "direct"]


def open_flags(case: Case, code: str | None = None) -> list[CaseFlag]:
    flags = CaseFlag.objects.filter(case=case, cleared_at__isnull=True)
    if code:
        flags = flags.filter(code=code)
    return list(flags)


def events(case: Case, kind: str) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("id"))


def test_the_cases_fixture_is_what_the_tests_assume(world: Any, cases: dict[str, Case]) -> None:
    statuses = {name: Case.objects.get(pk=c.pk).status for name, c in cases.items()}
    assert statuses == {
        "just_opened": CaseStatus.OPEN,
        "under_way": CaseStatus.OPEN,
        "withdrawn": CaseStatus.WITHDRAWN,
        "completed": CaseStatus.COMPLETED,
        "other_agency": CaseStatus.OPEN,
        "direct": CaseStatus.OPEN,
    }
    assert cases["under_way"].current_step == "coe_application"
    assert not CaseFlag.objects.exists()


# --- Flags on open cases ----------------------------------------------------------------------


def test_revoking_flags_every_open_case_with_the_agency_and_no_other(
    world: Any, cases: dict[str, Case]
) -> None:
    decide(world.aida, world.agency, "revoked", reason=REASON)

    for name in FLAGGED:
        [flag] = open_flags(cases[name])
        assert flag.code == "agency_revoked", name
        revocation = AgencyCertificationDecision.objects.get(action="revoked")
        # The ministry's reason stays with the decision (moc_kg §3), not in the case.
        assert flag.params == {
            "agency": "Ala-Too Bridge",
            "date": today().isoformat(),
            "decision": revocation.pk,
        }
        assert flag.source == "moc_kg §7(4)"
        [event] = events(cases[name], "flag_raised")
        assert event.after["flag"] == "agency_revoked"
        assert (event.actor, event.organization) == (world.aida, world.center)
    for name in UNTOUCHED:
        assert open_flags(cases[name]) == [], name
        assert events(cases[name], "flag_raised") == [], name


def test_suspending_flags_open_cases_and_resuming_clears_them(
    world: Any, cases: dict[str, Case]
) -> None:
    decide(world.aida, world.agency, "suspended", day(-2), reason="Fees without a breakdown")
    for name in FLAGGED:
        assert [f.code for f in open_flags(cases[name])] == ["agency_suspended"], name
        assert "§7(3)" in open_flags(cases[name])[0].source
    for name in UNTOUCHED:
        assert open_flags(cases[name]) == [], name

    decide(world.aida, world.agency, "resumed", day(-1))
    for name in FLAGGED:
        assert open_flags(cases[name]) == [], name
        assert CaseFlag.objects.get(case=cases[name]).cleared_at is not None
        [cleared] = events(cases[name], "flag_cleared")
        assert cleared.before == {"flag": "agency_suspended"}
        assert (cleared.actor, cleared.organization) == (world.aida, world.center)


def test_recertifying_a_revoked_agency_clears_its_flags(world: Any, cases: dict[str, Case]) -> None:
    decide(world.aida, world.agency, "revoked", day(-5), reason=REASON)
    decide(world.aida, world.agency, "certified", day(-1), valid_until=day(3 * 365))

    for name in FLAGGED:
        assert open_flags(cases[name]) == [], name
        assert [e.before["flag"] for e in events(cases[name], "flag_cleared")] == ["agency_revoked"]
    assert state_of(world.agency) == "certified"


def test_a_suspension_then_a_revocation_leaves_both_flags_until_recertified(
    world: Any, cases: dict[str, Case]
) -> None:
    decide(world.aida, world.agency, "suspended", day(-9), reason="Under investigation")
    decide(world.aida, world.agency, "revoked", day(-3), reason=REASON)
    case = cases["just_opened"]
    assert sorted(f.code for f in open_flags(case)) == ["agency_revoked", "agency_suspended"]

    decide(world.aida, world.agency, "certified", day(0), valid_until=day(365))
    assert open_flags(case) == []
    assert len(events(case, "flag_cleared")) == 2


def test_an_application_records_no_flag_and_no_notice(world: Any) -> None:
    case = open_case(world, "direct")
    before = counts()
    decide(world.rustam, world.rogue_agency, "applied")
    after = counts()
    assert after["decisions"] == before["decisions"] + 1
    assert {k: v for k, v in after.items() if k != "decisions"} == {
        k: v for k, v in before.items() if k != "decisions"
    }
    assert open_flags(case) == []


# --- What the parties see -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_reason"),
    [("hana", False), ("mayu", False), ("bakyt", False), ("isao", True), ("aida", True)],
)
def test_the_case_detail_shows_the_revocation_in_words_and_the_reason_to_the_contact_points(
    world: Any, api_as: Any, who: str, sees_reason: bool
) -> None:
    """MOC §3: the employer, the city and the agency read what the revocation means for the
    case and what to do; only the two contact points read the ministry's reason."""
    case = open_case(world, "via_agency", world.agency)
    decide(world.aida, world.agency, "revoked", reason=REASON)

    client = api_as(who)
    client.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(f"/cases/{case.pk}")

    assert response.status_code == 200, response.json()
    body = response.json()
    [flag] = body["flags"]
    assert flag["code"] == "agency_revoked"
    message = flag["message"]
    assert message.startswith(
        f"The ministry revoked the certification of Ala-Too Bridge on {today().isoformat()}. "
    )
    assert "new case" in message  # what to do next
    assert (REASON in message) is sees_reason
    assert (REASON in json.dumps(body, ensure_ascii=False)) is sees_reason  # history too
    assert "%(" not in message
    assert flag["source_ref"] == "moc_kg §7(4)"
    assert "Memorandum of Cooperation" in flag["source"]


@pytest.mark.parametrize("scope", ["parties", "public"])
def test_with_the_ministrys_written_consent_the_parties_read_the_reason(
    world: Any, api_as: Any, scope: str
) -> None:
    case = open_case(world, "via_agency", world.agency)
    revocation = decide(world.aida, world.agency, "revoked", reason=REASON)
    hana = api_as("hana")
    assert REASON not in json.dumps(hana.get(f"/cases/{case.pk}").json())

    response = api_as("aida").post(
        f"/registries/decisions/{revocation.pk}/disclosures",
        {"scope": scope, "consented_on": today().isoformat(), "consent_reference": "Letter 7"},
    )
    assert response.status_code == 201, response.json()

    [flag] = hana.get(f"/cases/{case.pk}").json()["flags"]
    assert REASON in flag["message"]


@pytest.mark.parametrize("who", ["hana", "bakyt", "isao", "mayu"])
def test_only_the_deciding_ministry_records_consent_to_disclose(
    world: Any, api_as: Any, who: str
) -> None:
    revocation = decide(world.aida, world.agency, "revoked", reason=REASON)
    response = api_as(who).post(
        f"/registries/decisions/{revocation.pk}/disclosures",
        {"scope": "public", "consented_on": today().isoformat(), "consent_reference": "x"},
    )
    assert response.status_code == 403
    assert not ReasonDisclosure.objects.exists()


@pytest.mark.parametrize("who", ["hana", "mayu"])
def test_the_presenter_renders_the_flag_in_japanese_without_placeholders(
    world: Any, who: str
) -> None:
    from django.utils import translation

    case = open_case(world, "via_agency", world.agency)
    decide(world.aida, world.agency, "suspended", reason="調査中")
    with translation.override("ja"):
        detail = presenters.case_detail(Case.objects.get(pk=case.pk), Actor.of(world.user(who)))
    [flag] = detail["flags"]
    assert flag["code"] == "agency_suspended"
    assert "Ala-Too Bridge" in flag["message"]
    assert "調査中" not in flag["message"]  # the ministry's reason (moc_kg §3)
    assert "%(" not in flag["message"]
    assert flag["message"] != "agency_suspended"


def test_the_flag_disappears_from_the_case_detail_once_cleared(world: Any, api_as: Any) -> None:
    case = open_case(world, "via_agency", world.agency)
    decide(world.aida, world.agency, "suspended", day(-1), reason="Under investigation")
    assert [f["code"] for f in api_as("hana").get(f"/cases/{case.pk}").json()["flags"]] == [
        "agency_suspended"
    ]
    decide(world.aida, world.agency, "resumed")
    detail = api_as("hana").get(f"/cases/{case.pk}").json()
    assert detail["flags"] == []
    assert [e["kind"] for e in detail["events"]].count("flag_cleared") == 1


# --- What a revoked agency can no longer do -------------------------------------------------


def test_a_new_pattern_3_case_with_a_revoked_agency_is_refused(world: Any) -> None:
    decide(world.aida, world.agency, "revoked", reason=REASON)
    person = eligible_person(world)
    before = counts()

    with pytest.raises(RuleRefused) as refused:
        case_services.case_create(
            actor=Actor.of(world.hana),
            person_id=person.pk,
            field_code="care",
            category_code="care",
            pattern="via_agency",
            sending_agency_id=world.agency.pk,
        )

    assert "agency_not_certified" in [p.code for p in refused.value.problems]
    assert counts() == before


def test_agency_steps_of_an_open_case_are_refused_after_revocation(world: Any) -> None:
    case = open_case(world, "via_agency", world.agency)
    complete(world, case, "agency_recruitment_contract")
    decide(world.aida, world.agency, "revoked", reason=REASON)

    with pytest.raises(RuleRefused) as refused:
        case_services.case_complete_step(
            actor=Actor.of(world.bakyt),
            case_id=case.pk,
            step_key="candidates_provided",
            evidence=evidence_for("candidates_provided"),
            documents=required_uploads(case.pk, "candidates_provided"),
        )
    assert [p.code for p in refused.value.problems] == ["agency_cannot_act"]
    assert not case.steps.filter(step_key="candidates_provided").exists()


@pytest.mark.parametrize("action", ["suspended", "revoked"])
def test_a_suspended_or_revoked_agency_records_no_step_on_any_case(world: Any, action: str) -> None:
    """Issue 7: not even a step it shares with the employer (the visa application), on a
    case far along; the employer can still record it."""
    case = walk_until(world, open_case(world, "via_agency", world.agency), "visa_application")
    decide(world.aida, world.agency, action, reason=REASON)
    before = counts()

    with pytest.raises(RuleRefused) as refused:
        case_services.case_complete_step(
            actor=Actor.of(world.bakyt),
            case_id=case.pk,
            step_key="visa_application",
            evidence=evidence_for("visa_application"),
            documents=required_uploads(case.pk, "visa_application"),
        )

    assert [p.code for p in refused.value.problems] == ["agency_cannot_act"]
    assert refused.value.problems[0].source_ref == "moc_kg §7(3), §7(4)"
    assert counts() == before
    case_services.case_complete_step(
        actor=Actor.of(world.hana),
        case_id=case.pk,
        step_key="visa_application",
        evidence=evidence_for("visa_application"),
        documents=required_uploads(case.pk, "visa_application"),
    )


def test_a_recertified_agency_can_be_named_on_new_cases_again(world: Any) -> None:
    decide(world.aida, world.agency, "revoked", day(-3), reason=REASON)
    decide(world.aida, world.agency, "certified", day(-1), valid_until=day(365))
    case = open_case(world, "via_agency", world.agency)
    assert case.sending_agency == world.agency
    assert open_flags(case) == []


# --- All or nothing -----------------------------------------------------------------------


def _failing_create(*args: Any, **kwargs: Any) -> Any:
    raise DatabaseError("simulated failure while writing the notice")


def test_a_revocation_that_fails_halfway_writes_nothing(
    world: Any, cases: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Notice is the last write of agency_decision_record: when it fails, the decision
    and the flags and events already written in the same transaction are rolled back."""
    before = counts()
    monkeypatch.setattr(Notice.objects, "create", _failing_create)

    with pytest.raises(DatabaseError):
        decide(world.aida, world.agency, "revoked", reason=REASON)

    assert counts() == before
    assert not AgencyCertificationDecision.objects.filter(action="revoked").exists()
    assert not CaseFlag.objects.exists()
    assert state_of(world.agency) == "certified"


def test_a_recertification_that_fails_halfway_leaves_the_flags_raised(
    world: Any, cases: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    decide(world.aida, world.agency, "revoked", day(-2), reason=REASON)
    before = counts()
    monkeypatch.setattr(Notice.objects, "create", _failing_create)

    with pytest.raises(DatabaseError):
        decide(world.aida, world.agency, "certified", day(0), valid_until=day(365))

    assert counts() == before
    for name in FLAGGED:
        assert [f.code for f in open_flags(cases[name])] == ["agency_revoked"]
    assert state_of(world.agency) == "revoked"


@pytest.mark.django_db(transaction=True)
def test_a_failed_revocation_commits_nothing(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, with real commits (no test transaction around the service)."""
    case = open_case(world, "via_agency", world.agency)
    before = counts()
    monkeypatch.setattr(Notice.objects, "create", _failing_create)

    with pytest.raises(DatabaseError):
        decide(world.aida, world.agency, "revoked", reason=REASON)

    assert counts() == before
    assert open_flags(case) == []
    assert state_of(world.agency) == "certified"


# --- Notices between the contact points -----------------------------------------------------


def test_japan_receives_a_notice_for_each_ministry_decision_and_none_for_applications(
    world: Any,
) -> None:
    rogue = world.rogue_agency
    decide(world.rustam, rogue, "applied", day(-30))
    decide(world.aida, rogue, "refused", day(-25), reason="Incomplete file")
    decide(world.rustam, rogue, "applied", day(-20))
    decide(world.aida, rogue, "certified", day(-15), valid_until=day(700))
    decide(world.aida, rogue, "suspended", day(-10), reason="Fees without a breakdown")
    decide(world.aida, rogue, "resumed", day(-5))
    decide(world.aida, rogue, "revoked", day(0), reason=REASON)

    notices = list(Notice.objects.order_by("id"))
    assert [n.payload["action"] for n in notices] == [
        "refused",
        "certified",
        "suspended",
        "resumed",
        "revoked",
    ]
    for notice in notices:
        assert notice.kind == NoticeKind.AGENCY_DECISION
        assert (notice.from_organization, notice.to_organization) == (world.center, world.isa)
        assert notice.payload["agency_id"] == rogue.pk
        assert notice.payload["agency"] == "Fast Visa KG"
        assert notice.acknowledged_at is None
    certified = notices[1]
    assert certified.payload["effective_on"] == day(-15).isoformat()
    assert certified.payload["valid_until"] == day(700).isoformat()
    revoked = notices[-1]
    assert revoked.payload["effective_on"] == today().isoformat()
    assert revoked.payload["reason"] == REASON
    assert (
        revoked.payload["decision_id"]
        == AgencyCertificationDecision.objects.get(action="revoked").pk
    )
    assert revoked.country == "KG"
    # isao reads them; the Center's own inbox does not hold them.
    assert set(selectors.notices_for(Actor.of(world.isao))) == set(notices)
    assert list(selectors.notices_for(Actor.of(world.aida))) == []
    assert list(selectors.notices_for(Actor.of(world.hana))) == []


def uzbek_center() -> Any:
    """The contact point of a sending country Kakehashi has no procedure (no MOC) for."""
    return OrganizationFactory(
        kind=OrganizationKind.SENDING_CONTACT_POINT, country="UZ", name_en="Uzbek Agency"
    )


def test_an_improvement_order_is_notified_to_the_center(world: Any) -> None:
    uzbek = uzbek_center()
    open_case(world, "direct")  # the care home receives a Kyrgyz national
    order = services.improvement_order_record(
        actor=Actor.of(world.isao),
        receiving_organization_id=world.care_home.pk,
        issued_on=day(-2),
        summary="  Unpaid overtime; ordered to pay and report  ",
        order_number="IO-7",
    )
    [notice] = selectors.notices_for(Actor.of(world.aida))
    assert notice.kind == NoticeKind.IMPROVEMENT_ORDER
    assert (notice.from_organization, notice.to_organization) == (world.isa, world.center)
    assert notice.payload == {
        "order_id": order.pk,
        "receiving_organization": "Shinano Care Home",
        "receiving_organization_ja": "信濃ケアホーム",
        "issued_on": day(-2).isoformat(),
        "summary": "Unpaid overtime; ordered to pay and report",
    }
    assert (notice.country, notice.source) == ("KG", "moc_kg §6(3)")
    assert list(selectors.notices_for(Actor.of(world.isao))) == []
    assert not Notice.objects.filter(to_organization=uzbek).exists()
    assert list(selectors.improvement_orders(today())) == [order]
    assert list(selectors.improvement_orders(day(-3))) == []


def test_an_improvement_order_goes_only_to_the_countries_of_the_workers_there(
    world: Any,
) -> None:
    """Issue 7 (moc_kg §3, §6(3)): an order to an employer with no Kyrgyz national is not
    Kyrgyzstan's business; it goes to no contact point."""
    uzbek_center()
    services.improvement_order_record(
        actor=Actor.of(world.isao),
        receiving_organization_id=world.osaka_metal.pk,
        issued_on=day(-1),
        summary="Late notifications",
    )
    assert not Notice.objects.exists()


def test_support_list_changes_are_notified_to_the_center(world: Any) -> None:
    uzbek = uzbek_center()
    registration = services.support_registration_record(
        actor=Actor.of(world.isao),
        organization_id=world.support.pk,
        registration_number="19登-000999",
        registered_on=day(-30),
        languages="ky, ru",
    )
    services.support_registration_cancel(
        actor=Actor.of(world.isao), registration_id=registration.pk, cancelled_on=day(0)
    )
    notices = sorted(selectors.notices_for(Actor.of(world.aida)), key=lambda n: n.pk)
    assert [n.kind for n in notices] == [NoticeKind.SUPPORT_ORGANIZATIONS] * 2
    assert [n.payload["change"] for n in notices] == ["registered", "cancelled"]
    for notice in notices:
        assert notice.payload["registration_number"] == "19登-000999"
        assert notice.payload["organization"] == "Niigata Support"
        assert (notice.from_organization, notice.to_organization) == (world.isa, world.center)
    assert not Notice.objects.filter(to_organization=uzbek).exists()


def test_a_field_suspension_is_notified_to_the_center(world: Any) -> None:
    uzbek = uzbek_center()
    suspension = services.field_suspension_record(
        actor=Actor.of(world.isao),
        field_code="care",
        starts_on=day(0),
        ends_on=day(90),
        reason="Shortage filled",
    )
    [notice] = selectors.notices_for(Actor.of(world.aida))
    assert notice.kind == NoticeKind.FIELD_SUSPENSION
    assert notice.payload == {
        "suspension_id": suspension.pk,
        "field": "care",
        "starts_on": today().isoformat(),
        "ends_on": day(90).isoformat(),
        "reason": "Shortage filled",
    }
    assert notice.source == "moc_kg §8"
    assert not Notice.objects.filter(to_organization=uzbek).exists()


def test_a_placement_licence_sends_no_notice(world: Any) -> None:
    services.placement_licence_record(
        actor=Actor.of(world.isao),
        holder_id=world.agency.pk,
        licence_number="13-ユ-1",
        valid_from=day(-1),
        countries=["KG"],
    )
    assert not Notice.objects.exists()


# --- Expiry ---------------------------------------------------------------------------------


def test_an_expiry_flags_the_open_cases_and_tells_japan(world: Any) -> None:
    agency = sending_agency("Karakol Link")
    decide(world.aida, agency, "certified", day(-60), valid_until=day(30))
    case = open_case(world, "via_agency", agency)
    # Time passes: the validity ends yesterday (a case can only be opened while certified).
    AgencyCertificationDecision.objects.filter(agency=agency).update(valid_until=day(-1))
    Notice.objects.all().delete()

    services.agency_expiries_record()

    [flag] = open_flags(case)
    assert flag.code == "agency_expired"
    assert flag.params["date"] == today().isoformat()
    [notice] = selectors.notices_for(Actor.of(world.isao))
    assert notice.payload["action"] == "expired"


def test_resuming_a_certification_that_ended_during_the_suspension_leaves_cases_warned(
    world: Any,
) -> None:
    agency = sending_agency("Jalal-Abad Jobs")
    decide(world.aida, agency, "certified", day(-60), valid_until=day(30))
    case = open_case(world, "via_agency", agency)
    decide(world.aida, agency, "suspended", day(-40), reason="Under investigation")
    # Time passes: the validity ends while the agency is suspended.
    AgencyCertificationDecision.objects.filter(agency=agency, action="certified").update(
        valid_until=day(-20)
    )

    with contextlib.suppress(RuleRefused):  # refusing the resumption is one right answer
        decide(world.aida, agency, "resumed", day(-10))

    assert state_of(agency) != "certified"
    assert open_flags(case) != [], "an open case of an uncertified agency lost its warning"
