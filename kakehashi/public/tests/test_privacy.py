"""No personal data on the public pages or in the feeds: with persons registered, cases open
on the agencies, and every register filled through the services, no person's name, passport
number, e-mail or phone, no case reference, and no user's name appears anywhere."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.cases.models import Case, CaseFlag
from kakehashi.registries import services as registries
from kakehashi.testing.factories import PersonFactory, make_eligible

from .conftest import FEEDS, LIST_PAGES, anonymous, text

PERSONS = [
    {
        "family_name": "ZHEENBEKOVA",
        "given_names": "NURGUL",
        "native_name": "Жээнбекова Нургүл",
        "passport_number": "AC9081726",
        "email": "nurgul.z@example.kg",
        "phone": "+996 700 111 222",
    },
    {
        "family_name": "ABDRAKHMANOV",
        "given_names": "TILEK",
        "native_name": "Абдрахманов Тилек",
        "passport_number": "ID5546372",
        "email": "tilek.a@example.kg",
        "phone": "+996 555 987 654",
    },
]
# Names of the users who record decisions (usernames are checked as well).
USERS = {
    "aida": ("Gulzat", "Recorderova", "g.recorderova@center.example.kg"),
    "isao": ("Isao", "Kirokuyama", "i.kirokuyama@isa.example.jp"),
    "hana": ("Hana", "Tantoshima", "h.tantoshima@care.example.jp"),
}


def test_no_personal_data_on_any_public_page_or_feed(world: Any, decide: Any) -> None:
    for username, (first, last, email) in USERS.items():
        user = world.user(username)
        user.first_name, user.last_name, user.email = first, last, email
        user.save()
    cases = []
    for data in PERSONS:
        person = make_eligible(
            PersonFactory(created_by_organization=world.care_home, **data), "care"
        )
        cases.append(
            case_services.case_create(
                actor=Actor.of(world.hana),
                person_id=person.pk,
                field_code="care",
                category_code="care",
                pattern="via_agency",
                sending_agency_id=world.agency.pk,
            ).case
        )
    today = timezone.localdate()
    decide(world.agency, "suspended", today, reason="Fees charged without a breakdown")
    decide(world.agency, "revoked", today, reason="Deposits collected from workers")
    decide(
        world.rogue_agency,
        "certified",
        datetime.date(2024, 1, 1),
        valid_until=datetime.date.fromisoformat("2030-01-01"),
    )
    registries.improvement_order_record(
        actor=Actor.of(world.isao),
        receiving_organization_id=world.care_home.pk,
        issued_on=today,
        order_number="IO-1",
        summary="Wages below the contract",
    )
    registries.support_registration_record(
        actor=Actor.of(world.isao),
        organization_id=world.support.pk,
        registration_number="19登-000777",
        registered_on=datetime.date.fromisoformat("2024-04-01"),
        languages="ky, ru",
    )
    registries.field_suspension_record(
        actor=Actor.of(world.isao), field_code="care", starts_on=today, reason="Shortage filled"
    )
    # The revocation flagged the open cases: personal data is now linked to the agency.
    assert CaseFlag.objects.filter(case__in=cases, code="agency_revoked").count() == 2

    forbidden = [value for data in PERSONS for value in data.values()]
    forbidden += [value for names in USERS.values() for value in names]
    forbidden += list(Case.objects.values_list("reference", flat=True))
    # What the two sides exchange is confidential (moc_kg §3): the ministry's reasons and
    # Japan's reason for a suspension are not published without written consent.
    forbidden += ["Fees charged without a breakdown", "Deposits collected from workers"]
    forbidden += ["Shortage filled"]
    urls = [
        "/public/",
        *LIST_PAGES,
        *FEEDS,
        f"/public/agencies/{world.agency.pk}/",
        f"/public/agencies/{world.rogue_agency.pk}/",
    ]
    seen = {}
    for language in ("en", "ja"):
        for url in urls:
            response = anonymous(language).get(url)
            assert response.status_code == 200, url
            seen[(language, url)] = text(response)
    # The pages do show the registers (so that the check below looks at real content).
    assert "Ala-Too Bridge" in seen[("en", "/public/revocations.json")]
    assert "Wages below the contract" in seen[("en", "/public/improvement-orders/")]
    for (language, url), body in seen.items():
        lowered = body.lower()
        for value in forbidden:
            assert value.lower() not in lowered, f"{value!r} on {url} ({language})"
        for username in USERS:
            assert f">{username}<" not in body, f"user name {username!r} on {url}"
            assert f'"{username}"' not in body, f"user name {username!r} on {url}"
