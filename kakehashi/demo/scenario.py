"""The Nagaoka–Kyrgyzstan demo (seeds 000–003): the city, three employers, the Center,
the Japanese contact point, a certified and an uncertified agency, partner institutions,
and clearly fictional candidates at different steps of each pattern.

Everything is written through the same services the API uses, so the demo's history is
real history. Dates are relative to the day the demo is loaded."""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.accounts import mfa
from kakehashi.accounts.models import MemberRole, Membership, Organization, OrganizationKind, User
from kakehashi.cases.models import Case
from kakehashi.cases.services import case_complete_step, case_create
from kakehashi.joboffers import services as offers_services
from kakehashi.joboffers.models import JobOffer
from kakehashi.people.models import Person, TestKind, TestResult
from kakehashi.procedures import registry
from kakehashi.protection.models import ReturnCase
from kakehashi.protection.services import common, exchange, fees, reports, returns
from kakehashi.reference.models import BusinessCategory
from kakehashi.reference.services import reference_data_load
from kakehashi.registries import services as registry_services
from kakehashi.reminders.services import a_year_on, reminders_run
from kakehashi.support import notifications, services, stay
from kakehashi.support.models import SupportPlan

DEMO_PASSWORD = "kakehashi-demo"
# The demo's staff who must use a second factor share this authenticator key (base32
# DEMO_TOTP_SECRET); `manage.py demo_code` prints its current code.
DEMO_TOTP_KEY = b"kakehashi-demo-mfa!!".hex()
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
K = OrganizationKind


@dataclass(frozen=True)
class DemoUser:
    username: str
    organization: str
    role_label: str


def _org(key: str, **fields: Any) -> Organization:
    org, _ = Organization.objects.update_or_create(
        name_en=fields.pop("name_en"), kind=fields.pop("kind"), defaults=fields
    )
    return org


def _user(
    username: str, org: Organization, first: str, last: str, role: str = MemberRole.CLERK
) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, organization=org, defaults={"role": role})
    if org.kind in settings.MFA_REQUIRED_KINDS:
        mfa.device_with_key(user, DEMO_TOTP_KEY)
    return user


def _organizations() -> dict[str, Organization]:
    city = _org(
        "city",
        kind=K.MUNICIPALITY,
        name_en="Nagaoka City (Industrial Location and Human Resources Division)",
        name_ja="長岡市 産業立地・人材課",
        country="JP",
        prefecture="15",
        phone="0258-39-2228",
        address="新潟県長岡市大手通1-4-10",
    )
    orgs = {
        "city": city,
        "care": _org(
            "care",
            kind=K.RECEIVING_ORGANIZATION,
            name_en="Shinano-no-Sato Care (fictional)",
            name_ja="社会福祉法人 信濃の里（架空）",
            country="JP",
            prefecture="15",
            municipality=city,
        ),
        "it": _org(
            "it",
            kind=K.RECEIVING_ORGANIZATION,
            name_en="Echigo Software and Devices (fictional)",
            name_ja="越後ソフトウェア＆デバイス株式会社（架空）",
            country="JP",
            prefecture="15",
            municipality=city,
        ),
        "factory": _org(
            "factory",
            kind=K.RECEIVING_ORGANIZATION,
            name_en="Nagaoka Precision Works (fictional)",
            name_ja="長岡精密工業株式会社（架空）",
            country="JP",
            prefecture="15",
            municipality=city,
        ),
        "isa": _org(
            "isa",
            kind=K.JP_CONTACT_POINT,
            name_en="Immigration Services Agency, Residence Management Division",
            name_ja="出入国在留管理庁 在留管理支援部 在留管理課",
            country="JP",
        ),
        "bureau": _org(
            "bureau",
            kind=K.IMMIGRATION_BUREAU,
            name_en="Tokyo Regional Immigration Services Bureau, Niigata Branch",
            name_ja="東京出入国在留管理局 新潟出張所",
            country="JP",
        ),
        "center": _org(
            "center",
            kind=K.SENDING_CONTACT_POINT,
            name_en=(
                "Center for Employment of Citizens Abroad "
                "(Ministry of Labour, Social Security and Migration)"
            ),
            name_ja="キルギス労働・社会保障・移民省 在留市民雇用センター",
            name_local="Чет өлкөлөрдөгү жарандарды жумуш менен камсыз кылуу борбору",
            country="KG",
            address="Toktogul street 237, Bishkek 720010",
            phone="+996 312 65 02 64",
            email="japanemployment@migrant.kg",
        ),
        "embassy_kg": _org(
            "embassy_kg",
            kind=K.EMBASSY,
            name_en="Embassy of the Kyrgyz Republic in Japan",
            name_ja="駐日キルギス共和国大使館",
            country="KG",
            address="東京都港区三田1-5-7",
            phone="03-6453-8277",
            email="kgembassy.jp@mfa.gov.kg",
        ),
        "embassy_jp": _org(
            "embassy_jp",
            kind=K.EMBASSY,
            name_en="Embassy of Japan in the Kyrgyz Republic",
            name_ja="在キルギス日本国大使館",
            country="JP",
        ),
        "agency": _org(
            "agency",
            kind=K.SENDING_AGENCY,
            name_en="Ala-Too Bridge Recruitment (fictional)",
            name_local="Ала-Тоо Көпүрө (ойдон чыгарылган)",
            country="KG",
        ),
        "rogue": _org(
            "rogue",
            kind=K.SENDING_AGENCY,
            name_en="Fast Visa Bishkek (fictional, not certified)",
            country="KG",
        ),
        "support": _org(
            "support",
            kind=K.SUPPORT_ORGANIZATION,
            name_en="Niigata Registered Support Center (fictional)",
            name_ja="にいがた登録支援センター（架空）",
            country="JP",
            prefecture="15",
            municipality=city,
        ),
    }
    # Partner institutions visited by the 2023 delegation (nagaoka_kg_delegation §1, 視察先②).
    for name_en, name_ja in [
        (
            "Japanese Institute at Arabaev Kyrgyz State University",
            "アラバエフ・キルギス国立大学附属日本学院",
        ),
        ("ISITO Medical College", "ISITO医療専門学校"),
        (
            "Ala-Too International University, Faculty of Engineering and Informatics",
            "ALA-TOO国際大学工学情報学部",
        ),
        ("Kyrgyz High Technology Park", "キルギスハイテクノロジーパーク"),
    ]:
        orgs[name_en] = _org(
            name_en, kind=K.PARTNER_INSTITUTION, name_en=name_en, name_ja=name_ja, country="KG"
        )
    return orgs


USERS = [
    ("mayu", "city", "Mayu", "Kobayashi", "Nagaoka City clerk (municipality hub)"),
    ("hana", "care", "Hana", "Suzuki", "care facility HR (receiving organization)"),
    ("ito", "it", "Ken", "Ito", "IT/devices firm HR (receiving organization)"),
    ("kenji", "factory", "Kenji", "Watanabe", "manufacturer HR (receiving organization)"),
    ("isao", "isa", "Isao", "Tanaka", "ISA officer (Japanese contact point)"),
    ("aida", "center", "Aida", "Toktosunova", "Center officer (Kyrgyz contact point)"),
    ("bakyt", "agency", "Bakyt", "Sultanov", "certified sending agency staff"),
    ("rustam", "rogue", "Rustam", "Aliev", "uncertified agency staff"),
    ("sato", "support", "Yui", "Sato", "registered support organization staff"),
    ("erlan", "embassy_kg", "Erlan", "Abdyraev", "consular officer, Kyrgyz Embassy in Japan"),
]


def _person(
    org: Organization, family: str, given: str, native: str, born: datetime.date, **extra: Any
) -> Person:
    person, _ = Person.objects.get_or_create(
        family_name=family,
        given_names=given,
        defaults={
            "native_name": native,
            "nationality": "KG",
            "date_of_birth": born,
            "passport_number": extra.pop("passport", ""),
            "passport_expiry": extra.pop("passport_expiry", datetime.date(2031, 3, 31)),
            "current_country": extra.pop("country", "KG"),
            "current_status_of_residence": extra.pop("status", ""),
            "created_by_organization": org,
        },
    )
    return person


def _tests(person: Person, category: str, today: datetime.date, japanese: bool = True) -> None:
    cat = BusinessCategory.objects.get(code=category)
    taken = today - datetime.timedelta(days=300)
    TestResult.objects.create(
        person=person,
        kind=TestKind.SKILL,
        test_code="skill",
        business_category=cat,
        passed=True,
        taken_on=taken,
        certificate_number="DEMO-SKILL",
    )
    if japanese:
        TestResult.objects.create(
            person=person,
            kind=TestKind.JAPANESE,
            test_code="jft_basic",
            level="A2",
            passed=True,
            taken_on=taken,
        )
        if cat.field.code == "care":
            TestResult.objects.create(
                person=person,
                kind=TestKind.JAPANESE,
                test_code="care_japanese",
                passed=True,
                taken_on=taken,
            )


EVIDENCE = {
    "employment_contract": lambda d: {
        "signed_on": d,
        "monthly_wage_jpy": 235000,
        "monthly_hours": 160,
        "contract_language": "ja_ky",
    },
    "center_recruitment_contract": lambda d: {"signed_on": d, "contract_number": "CE-JP-0042"},
    "job_offer_submitted": lambda d: {
        "submitted_on": d,
        "positions": 3,
        "job_title": "Machine operator",
    },
    "job_offer_published": lambda d: {
        "published_on": d,
        "publication_reference": "Center job board #118",
    },
    "candidate_contact": lambda d: {"contacted_on": d},
    "agency_recruitment_contract": lambda d: {"signed_on": d, "contract_number": "ATB-2026-07"},
    "candidates_provided": lambda d: {
        "provided_on": d,
        "candidates_count": 4,
        "selected_by_agency": False,
    },
    "center_registration": lambda d: {"registered_on": d, "registration_number": "REG-JP-2026-311"},
    "coe_application": lambda d: {"filed_on": d, "bureau": "Niigata Branch"},
    "coe_decision": lambda d: {"decided_on": d, "outcome": "issued", "coe_number": "DEMO-COE"},
    "coe_sent": lambda d: {"sent_on": d, "method": "email"},
    "visa_application": lambda d: {"applied_on": d},
    "visa_decision": lambda d: {"decided_on": d, "outcome": "issued"},
    "landing": lambda d: {"landed_on": d, "port_of_entry": "Narita Airport"},
    "change_of_status_application": lambda d: {
        "filed_on": d,
        "bureau": "Niigata Branch",
        "current_status": "Student",
        "current_period_until": (
            datetime.date.fromisoformat(d) + datetime.timedelta(days=120)
        ).isoformat(),
    },
    "change_of_status_decision": lambda d: {"decided_on": d, "outcome": "granted"},
}


def _walk(
    case_id: int,
    steps: list[tuple[str, str, int]],
    today: datetime.date,
    users: dict[str, User],
    overrides: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Record steps as (step, username, days ago)."""
    for step, username, days_ago in steps:
        evidence = EVIDENCE[step]((today - datetime.timedelta(days=days_ago)).isoformat())
        evidence.update((overrides or {}).get(step, {}))
        case_complete_step(
            actor=Actor.of(users[username]),
            case_id=case_id,
            step_key=step,
            evidence=evidence,
            today=today,
            documents=_documents(case_id, step, evidence),
        )


def _documents(case_id: int, step_key: str, evidence: dict[str, Any]) -> dict[str, Any]:
    """The documents a step requires, as small PDFs marked as demo copies."""
    from weasyprint import HTML

    case = Case.objects.select_related("person").get(pk=case_id)
    definition = registry.definition_version(case.country, case.procedure_version)
    step = definition.step(step_key)
    found = {}
    for document in step.documents:
        if document.required_for(evidence):
            html = (
                f"<h1>{document.title.ja}</h1><p>{document.title.en}</p>"
                f"<p>{case.person.family_name} {case.person.given_names}</p>"
                "<p><strong>DEMO — not a real document / 見本</strong></p>"
            )
            name = f"{document.title.en} — {case.person.family_name}.pdf"
            found[document.key] = (name, bytes(HTML(string=html).write_pdf()))
    return found


def _registries(
    orgs: dict[str, Organization], users: dict[str, User], today: datetime.date
) -> None:
    """The MOC registries, recorded through their services (so notices go out too)."""
    record = registry_services.agency_decision_record
    record(
        actor=Actor.of(users["aida"]),
        agency_id=orgs["agency"].pk,
        action="certified",
        effective_on=datetime.date(2024, 3, 1),
        valid_until=datetime.date(2029, 2, 28),
        certificate_number="MLSM-JP-017",
    )
    # An agency certified, suspended, then revoked: the public register shows its history.
    revoked = _org(
        "issyk",
        kind=K.SENDING_AGENCY,
        name_en="Issyk-Kul Workforce (fictional)",
        name_local="Ысык-Көл Жумушчу Күчү (ойдон чыгарылган)",
        country="KG",
    )
    record(
        actor=Actor.of(users["aida"]),
        agency_id=revoked.pk,
        action="certified",
        effective_on=datetime.date(2024, 5, 1),
        valid_until=datetime.date(2029, 4, 30),
        certificate_number="MLSM-JP-022",
    )
    record(
        actor=Actor.of(users["aida"]),
        agency_id=revoked.pk,
        action="suspended",
        effective_on=today - datetime.timedelta(days=90),
        reason="Inquiry into fees charged to candidates (MOC §4(1)(e))",
    )
    revocation = record(
        actor=Actor.of(users["aida"]),
        agency_id=revoked.pk,
        action="revoked",
        effective_on=today - datetime.timedelta(days=30),
        reason="Collected deposits from candidates' families (MOC §4(1)(a))",
    )
    # The ministry agreed in writing that this reason may be published (moc_kg §3); the
    # suspension's reason stays between the two contact points.
    registry_services.reason_disclosure_record(
        actor=Actor.of(users["aida"]),
        decision_id=revocation.pk,
        scope="public",
        consented_on=today - datetime.timedelta(days=29),
        consent_reference="MLSM letter No. 14/2026 (fictional)",
    )
    # Fast Visa has applied and waits for the ministry's examination.
    record(
        actor=Actor.of(users["rustam"]),
        agency_id=orgs["rogue"].pk,
        action="applied",
        effective_on=today - datetime.timedelta(days=7),
    )
    joetsu = _org(
        "joetsu",
        kind=K.RECEIVING_ORGANIZATION,
        name_en="Joetsu Foods (fictional)",
        name_ja="上越フーズ株式会社（架空）",
        country="JP",
        prefecture="15",
    )
    registry_services.improvement_order_record(
        actor=Actor.of(users["isao"]),
        receiving_organization_id=joetsu.pk,
        issued_on=today - datetime.timedelta(days=60),
        order_number="DEMO-2026-004",
        summary="Support plan not carried out (no regular interviews); overtime unpaid.",
    )
    registry_services.support_registration_record(
        actor=Actor.of(users["isao"]),
        organization_id=orgs["support"].pk,
        registration_number="23登-012345",
        registered_on=datetime.date(2023, 4, 1),
        valid_until=datetime.date(2028, 3, 31),
        languages="ja, ky, ru, en",
    )


def _job_offers(orgs: dict[str, Organization], users: dict[str, User]) -> JobOffer:
    """Pattern 2: one offer the Center has published on its board, one waiting for review."""
    common = {
        "field": "care",
        "business_category": "care",
        "work_location": "新潟県長岡市 (Nagaoka, Niigata)",
        "monthly_wage_jpy": 228000,
        "organization_info": "Shinano-no-Sato Care (fictional): 3 care homes, 180 staff.",
        "how_to_apply": "E-mail recruit@shinano-care.example with your CV in Russian or Japanese.",
    }
    # The recruitment contract with the Center comes first (isa_kg_flow 2(1)).
    today = timezone.localdate()
    for user in ("hana", "kenji"):
        offers_services.recruitment_contract_record(
            actor=Actor.of(users[user]),
            signed_on=today - datetime.timedelta(days=45),
            contract_number=f"CE-JP-{users[user].pk:04d}",
        )
    published = offers_services.job_offer_create(
        actor=Actor.of(users["hana"]),
        data={
            **common,
            "title": "Care worker (day and night shifts)",
            "positions": 3,
            "japanese_level_required": "N4",
            "description": "Daily care of residents; training in Japanese care; dormitory.",
            "worker_pays_nothing": True,
        },
    )
    offers_services.job_offer_submit(actor=Actor.of(users["hana"]), offer_id=published.pk)
    offers_services.job_offer_review(
        actor=Actor.of(users["aida"]), offer_id=published.pk, decision="publish"
    )
    waiting = offers_services.job_offer_create(
        actor=Actor.of(users["kenji"]),
        data={
            **common,
            "field": "industrial_products",
            "business_category": "machining_metalworking",
            "title": "Machine operator (CNC lathe)",
            "positions": 2,
            "japanese_level_required": "N4",
            "monthly_wage_jpy": 240000,
            "work_location": "新潟県長岡市 (Nagaoka, Niigata)",
            "organization_info": "Nagaoka Precision Works (fictional): machined parts, 60 staff.",
            "how_to_apply": "Call 0258-00-0000 (Japanese) or write to jobs@precision.example.",
            "description": "Operating and setting CNC lathes; quality checks; day shifts.",
        },
    )
    offers_services.job_offer_submit(actor=Actor.of(users["kenji"]), offer_id=waiting.pk)
    return published


@transaction.atomic
def load_demo() -> list[DemoUser]:
    """Create the demo world once; a second run changes nothing."""
    reference_data_load()
    orgs = _organizations()
    users = {u: _user(u, orgs[o], first, last) for u, o, first, last, _ in USERS}
    demo_users = [DemoUser(u, orgs[o].name_en, label) for u, o, _, _, label in USERS]
    # A worker's own account (the portal at /me/), opened with the agency's invitation code.
    demo_users.append(
        DemoUser("gulnara", "SAMPLOVA GULNARA", "worker, her own page (Kyrgyz or Russian)")
    )
    demo_users.append(
        DemoUser(
            "asel",
            "Japanese Institute at Arabaev Kyrgyz State University",
            "partner institution staff (its candidate pool)",
        )
    )
    if Person.objects.filter(
        created_by_organization__in=[orgs["care"], orgs["it"], orgs["factory"]]
    ).exists():
        return demo_users

    today = timezone.localdate()
    _registries(orgs, users, today)
    published = _job_offers(orgs, users)
    born = datetime.date(1999, 5, 14)
    care, it, factory = orgs["care"], orgs["it"], orgs["factory"]

    def case(user: str, person: Person, field: str, category: str, pattern: str, **kw: Any) -> int:
        return case_create(
            actor=Actor.of(users[user]),
            person_id=person.pk,
            field_code=field,
            category_code=category,
            pattern=pattern,
            today=today,
            **kw,
        ).case.pk

    # Pattern 1, direct: contract signed, COE application due (care).
    p = _person(care, "DEMOEVA", "AIZADA", "Демоева Айзада", born, passport="PD1000001")
    _tests(p, "care", today)
    c = case("hana", p, "care", "care", "direct")
    _walk(c, [("employment_contract", "hana", 20)], today, users)

    # Pattern 1, direct: COE issued 4 months ago, never used: expired, redo the COE.
    p = _person(
        it, "PRIMEROV", "ERLAN", "Примеров Эрлан", born.replace(year=1996), passport="PD1000002"
    )
    _tests(p, "electrical_electronics_assembly", today)
    c = case("ito", p, "industrial_products", "electrical_electronics_assembly", "direct")
    _walk(
        c,
        [
            ("employment_contract", "ito", 200),
            ("coe_application", "ito", 170),
            ("coe_decision", "ito", 125),
            ("coe_sent", "ito", 123),
        ],
        today,
        users,
    )

    # Pattern 2, through the Center: a candidate who saw the published offer contacted the
    # care home, which opened the case from the contact: the contract with the Center, the
    # offer and its publication are carried into the case; the employment contract is next.
    contact = offers_services.candidate_contact_record(
        actor=Actor.of(users["hana"]),
        offer_id=published.pk,
        data={
            "family_name": "OBRAZTSOVA",
            "given_names": "NURIZA",
            "email": "nuriza.demo@example.kg",
            "message": "I saw your offer on the Center's website. I passed JFT-Basic A2.",
            "contacted_on": today,
        },
    )
    started = offers_services.candidate_contact_start_case(
        actor=Actor.of(users["hana"]),
        offer_id=published.pk,
        contact_id=contact.pk,
        date_of_birth=born.replace(year=1995),
    )
    _tests(started.person, "care", today)

    # Pattern 3, certified agency: the agency has to present job-seekers.
    p = _person(
        care,
        "SAMPLOVA",
        "GULNARA",
        "Сэмплова Гульнара",
        born.replace(year=2001),
        passport="PD1000004",
    )
    _tests(p, "care", today)
    c = case("hana", p, "care", "care", "via_agency", sending_agency_id=orgs["agency"].pk)
    _walk(c, [("agency_recruitment_contract", "hana", 14)], today, users)

    # Pattern 3: the agency selected candidates without a placement licence (R-P4 flag);
    # the Center's registration is pending.
    p = _person(
        care, "TESTOVA", "JYLDYZ", "Тестова Жылдыз", born.replace(year=1998), passport="PD1000005"
    )
    _tests(p, "care", today)
    c = case("hana", p, "care", "care", "via_agency", sending_agency_id=orgs["agency"].pk)
    _walk(
        c,
        [
            ("agency_recruitment_contract", "hana", 60),
            ("candidates_provided", "bakyt", 50),
            ("employment_contract", "hana", 40),
        ],
        today,
        users,
        overrides={"candidates_provided": {"selected_by_agency": True}},
    )

    # Pattern 3: landed and working.
    p = _person(
        factory,
        "FIKTIVOV",
        "AZAMAT",
        "Фиктивов Азамат",
        born.replace(year=1997),
        passport="PD1000006",
    )
    _tests(p, "machining_metalworking", today)
    c = case(
        "kenji",
        p,
        "industrial_products",
        "machining_metalworking",
        "via_agency",
        sending_agency_id=orgs["agency"].pk,
        support_organization_id=orgs["support"].pk,
    )
    _walk(
        c,
        [
            ("agency_recruitment_contract", "kenji", 150),
            ("candidates_provided", "bakyt", 140),
            ("employment_contract", "kenji", 130),
            ("center_registration", "aida", 125),
            ("coe_application", "kenji", 120),
            ("coe_decision", "kenji", 80),
            ("coe_sent", "kenji", 78),
            ("visa_application", "bakyt", 70),
            ("visa_decision", "bakyt", 60),
            ("landing", "kenji", 45),
        ],
        today,
        users,
    )
    landed_id = c

    # Change of status: a student already in Nagaoka, application filed.
    p = _person(
        care,
        "USLOVNAYA",
        "MERIM",
        "Условная Мээрим",
        born.replace(year=2000),
        passport="PD1000007",
        country="JP",
        status="Student",
    )
    _tests(p, "care", today)
    c = case("hana", p, "care", "care", "change_of_status")
    _walk(
        c,
        [("employment_contract", "hana", 35), ("change_of_status_application", "hana", 21)],
        today,
        users,
    )

    # Direct, not yet eligible: no Japanese test on record, so the COE application is blocked.
    p = _person(
        care, "NEPOLNOV", "TIMUR", "Неполнов Тимур", born.replace(year=2002), passport="PD1000008"
    )
    _tests(p, "care", today, japanese=False)
    c = case("hana", p, "care", "care", "direct")
    _walk(c, [("employment_contract", "hana", 10)], today, users)

    # Direct: the contract was recorded with a penalty clause, so the COE application is
    # refused and a misconduct report waits in draft for Japan's contact point (MOC §4(1)(b)).
    p = _person(
        it, "DOGOVOROV", "BAKYT", "Договоров Бакыт", born.replace(year=1994), passport="PD1000009"
    )
    _tests(p, "electrical_electronics_assembly", today)
    c = case("ito", p, "industrial_products", "electrical_electronics_assembly", "direct")
    _walk(
        c,
        [("employment_contract", "ito", 6)],
        today,
        users,
        overrides={"employment_contract": {"term_penalty": True}},
    )

    # Change of status refused: a return case opens for the ministry and the embassy (MOC §8).
    p = _person(
        care,
        "OTKAZOVA",
        "AIGUL",
        "Отказова Айгүл",
        born.replace(year=1999),
        passport="PD1000010",
        country="JP",
        status="Student",
    )
    _tests(p, "care", today)
    c = case("hana", p, "care", "care", "change_of_status")
    _walk(
        c,
        [
            ("employment_contract", "hana", 70),
            ("change_of_status_application", "hana", 60),
            ("change_of_status_decision", "hana", 8),
        ],
        today,
        users,
        overrides={"change_of_status_decision": {"outcome": "refused"}},
    )
    # Working since a change of status ten months ago; her stay ends two months after the
    # demo's clock a year on (run_reminders --later).
    later = a_year_on(today)
    p = _person(
        care,
        "PRIMEROVA",
        "NURIZA",
        "Примерова Нуриза",
        born.replace(year=1998),
        passport="PD1000031",
        passport_expiry=later + datetime.timedelta(days=100),
        country="JP",
        status="Student",
    )
    _tests(p, "care", today - datetime.timedelta(days=400))
    c = case(
        "hana", p, "care", "care", "change_of_status", support_organization_id=orgs["support"].pk
    )
    _walk(
        c,
        [
            ("employment_contract", "hana", 330),
            ("change_of_status_application", "hana", 320),
            ("change_of_status_decision", "hana", 300),
        ],
        today,
        users,
    )
    _protection(orgs, users, today)
    _hub(orgs, users, today)
    _after_landing(users, today, landed_id, c)
    reminders_run(today)  # what the daily job would have written by today
    return demo_users


def _after_landing(
    users: dict[str, User], today: datetime.date, landed_id: int, changed_id: int
) -> None:
    """Life after landing: the periods of stay, items delivered, interviews held, and the
    notifications to immigration (one filed, one drafted)."""

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    sato, kenji, hana = (Actor.of(users[u]) for u in ("sato", "kenji", "hana"))
    landed = SupportPlan.objects.get(case_id=landed_id)
    changed = SupportPlan.objects.get(case_id=changed_id)
    stay.stay_period_record(
        actor=kenji,
        plan_id=landed.pk,
        granted_on=landed.starts_on,
        expires_on=landed.starts_on + relativedelta(years=3),
        today=today,
    )
    stay.stay_period_record(
        actor=hana,
        plan_id=changed.pk,
        granted_on=changed.starts_on,
        expires_on=a_year_on(today) + datetime.timedelta(days=60),
        today=today,
    )
    for plan, key, days, record in [
        (landed, "pre_entry_guidance", 60, "Online guidance in Russian, 8 hours (interpreter)"),
        (landed, "airport", 45, "Met at Narita Airport and taken to the dormitory"),
        (landed, "housing_contracts", 44, "Dormitory contract; bank account and mobile phone"),
        (landed, "life_orientation", 40, "Orientation in Nagaoka, 8 hours, in Russian"),
        (changed, "public_procedures", 290, "Accompanied to the city office: address, insurance"),
        (changed, "japanese_learning", 200, "Evening classes at the city's international centre"),
    ]:
        services.support_item_record(
            actor=sato, plan_id=plan.pk, key=key, done_on=ago(days), record=record
        )
    for days in (212, 120, 30):
        services.interview_record(
            actor=sato,
            plan_id=changed.pk,
            held_on=ago(days),
            in_person=True,
            notes="Working conditions and life in Nagaoka discussed; no complaint.",
        )
    filed = notifications.event_record(
        actor=sato,
        plan_id=changed.pk,
        kind="support_plan_changed",
        event_on=ago(100),
        details="The interpreter for consultations changed (Russian and Kyrgyz).",
        today=today,
    )
    notifications.notification_file(
        actor=hana,
        notification_id=filed.pk,
        filed_on=ago(95),
        receipt_number="NGT-2026-0187",
        today=today,
    )
    drafted = notifications.event_record(
        actor=kenji,
        plan_id=landed.pk,
        kind="contract_changed",
        event_on=ago(5),
        details="Monthly wage raised from 230,000 to 245,000 yen after the probation period.",
        today=today,
    )
    notifications.notification_draft(actor=kenji, notification_id=drafted.pk)


def _protection(
    orgs: dict[str, Organization], users: dict[str, User], today: datetime.date
) -> None:
    """What the two contact points exchange (MOC §3–§5, §7(3), §8), at different stages,
    and the fees workers are asked to pay (MOC §4(1)(e))."""
    isao, aida, bakyt = (Actor.of(users[u]) for u in ("isao", "aida", "bakyt"))
    ago = lambda days: today - datetime.timedelta(days=days)  # noqa: E731

    # A report forwarded from the city's consultation desk: acknowledged, under investigation.
    broker = reports.misconduct_report_file(
        actor=isao,
        data={
            "country": "KG",
            "categories": ["a", "c"],
            "subject_name": orgs["rogue"].name_en,
            "subject_kind": "legal_entity",
            "subject_country": "KG",
            "subject_organization_id": orgs["rogue"].pk,
            "facts": (
                "Two candidates told the city's consultation desk that the broker took a "
                "deposit of 80,000 som each and kept their passports until departure."
            ),
            "occurred_from": ago(120),
            "occurred_until": ago(90),
            "places": "Bishkek",
            "channel": "municipality",
            "channel_organization_id": orgs["city"].pk,
            "channel_note": "Nagaoka City consultation desk",
        },
    )
    common.item_acknowledge(actor=aida, item_id=broker.pk)
    # Japan consents in writing that the city, which forwarded it, may read it (MOC §3).
    common.item_consent_record(
        actor=isao,
        item_id=broker.pk,
        to_organization_id=orgs["city"].pk,
        scope="item",
        purpose="Follow up with the two candidates who came to the city's desk",
        consented_on=ago(2),
        document_reference="ISA-RMD-2026-117",
    )
    common.item_follow_up(
        actor=aida,
        item_id=broker.pk,
        stage="under_investigation",
        owner_id=users["aida"].pk,
        due_on=today + datetime.timedelta(days=30),
    )

    # Fees without a breakdown by a certified agency: investigated, result reported.
    fees_report = reports.misconduct_report_file(
        actor=isao,
        data={
            "country": "KG",
            "categories": ["e"],
            "subject_name": orgs["agency"].name_en,
            "subject_kind": "legal_entity",
            "subject_country": "KG",
            "subject_organization_id": orgs["agency"].pk,
            "facts": "A worker in Nagaoka paid a 'service fee' without any breakdown.",
            "places": "Bishkek; Nagaoka",
        },
    )
    common.item_acknowledge(actor=aida, item_id=fees_report.pk)
    investigation = exchange.investigation_open(
        actor=aida, agency_id=orgs["agency"].pk, report_ids=[fees_report.pk]
    )
    exchange.investigation_report(
        actor=aida,
        item_id=investigation.pk,
        guidance="Ordered to give every worker a written breakdown in Kyrgyz or Russian.",
        result="The fee was real but its breakdown was not shown; the agency now issues one.",
    )
    common.item_follow_up(actor=aida, item_id=fees_report.pk, stage="measures_taken")

    # A test-fraud report on a pending candidate's skill test: new in Japan's inbox, and the
    # result no longer counts for her COE application.
    held = TestResult.objects.filter(person__family_name="TESTOVA", kind=TestKind.SKILL).first()
    if held is not None:
        reports.test_fraud_report_file(
            actor=aida,
            data={
                "country": "KG",
                "fraud_kind": "impersonation",
                "facts": "The test centre reports that the photo on the admission ticket differs.",
                "test_result_ids": [held.pk],
            },
        )

    # Inquiries: one answered, one overdue.
    asked = exchange.inquiry_send(
        actor=isao,
        data={
            "country": "KG",
            "subject": "Registration of the contracts with the Center",
            "question": "How long does the registration with the Center take at present?",
            "due_on": today + datetime.timedelta(days=14),
        },
    )
    exchange.inquiry_answer(
        actor=aida, item_id=asked.pk, answer="About ten working days after the documents arrive."
    )
    late = exchange.inquiry_send(
        actor=aida,
        data={
            "country": "KG",
            "subject": "Workers of an employer under an improvement order",
            "question": "Are Kyrgyz nationals working at the organization under the order?",
            "due_on": today,
        },
    )
    common.item_follow_up(actor=aida, item_id=late.pk, due_on=ago(5))

    # Consultations: one held, with minutes and action items; the next one planned.
    held_meeting = exchange.consultation_plan(
        actor=isao,
        data={
            "country": "KG",
            "consultation_kind": "regular",
            "title": "Regular consultation 2026 (first half)",
            "meets_on": ago(30),
            "place": "Online",
            "agenda": [
                {"category": "b", "title": "Brokers taking deposits"},
                {"category": "d", "title": "Impersonation in the skill tests"},
            ],
            "item_ids": [broker.pk],
        },
    )
    exchange.consultation_minutes(
        actor=isao,
        item_id=held_meeting.pk,
        minutes="Both sides will share broker reports within a week of receipt.",
        actions=[
            {
                "description": "Send the list of deposits refunded",
                "owner_organization_id": orgs["center"].pk,
                "due_on": today + datetime.timedelta(days=20),
            },
            {
                "description": "Publish guidance on fee breakdowns",
                "owner_organization_id": orgs["isa"].pk,
                "due_on": today + datetime.timedelta(days=40),
            },
        ],
    )
    exchange.consultation_plan(
        actor=aida,
        data={
            "country": "KG",
            "consultation_kind": "ad_hoc",
            "title": "Test fraud in the care skill test",
            "meets_on": today + datetime.timedelta(days=21),
            "agenda": [{"category": "d", "title": "Checks at the test centres"}],
        },
    )

    # A candidate the agency registered, whose skill test it entered itself: the result waits
    # for a contact point to confirm it with the test body (ADR 0017).
    candidate = _person(
        orgs["agency"],
        "KANDIDATOVA",
        "ELNURA",
        "Кандидатова Элнура",
        datetime.date(2001, 2, 3),
        passport="PD1000011",
    )
    if not candidate.test_results.exists():
        from kakehashi.people.inputs import TestResultData
        from kakehashi.people.services import test_result_add

        test_result_add(
            actor=bakyt,
            person_id=candidate.pk,
            data=TestResultData(
                kind="skill",
                taken_on=ago(40),
                passed=True,
                business_category="care",
                certificate_number="CARE-2026-0456",
            ),
        )

    # Return support: the ministry asked for a temporary passport.
    returning = ReturnCase.objects.first()
    if returning is not None:
        returns.return_case_update(
            actor=aida,
            item_id=returning.pk,
            temporary_passport_requested_on=ago(3),
            return_on=today + datetime.timedelta(days=12),
        )

    # Fees on an agency case: one acknowledged by the worker's signed statement.
    case_id = (
        Case.objects.filter(person__family_name="SAMPLOVA").values_list("pk", flat=True).first()
    )
    if case_id is not None:
        fee = fees.fee_record(
            actor=bakyt,
            data={
                "case_id": case_id,
                "purpose": "training",
                "basis": "Four months of Japanese lessons before departure, 120 hours.",
                "amount": "36000",
                "currency": "KGS",
                "breakdown": [
                    {"item": "Japanese lessons (120 hours)", "amount": "30000"},
                    {"item": "Textbooks", "amount": "6000"},
                ],
            },
        )
        fees.fee_acknowledgement_record(
            actor=bakyt,
            fee_id=fee.pk,
            acknowledged_on=ago(10),
            language="ky",
            document_reference="AT-FEE-2026-031",
        )
        _worker(orgs, users, case_id, bakyt)


def _worker(
    orgs: dict[str, Organization], users: dict[str, User], case_id: int, bakyt: Actor
) -> None:
    """A worker with her own account (gulnara): the employer that registered her invited
    her; she disputes a second fee, and the Center answers her grievance."""
    from kakehashi.people.workers import worker_account_open, worker_invite
    from kakehashi.protection.services import grievances

    case = Case.objects.get(pk=case_id)
    issued = worker_invite(actor=Actor.of(users["hana"]), person_id=case.person_id)
    user = worker_account_open(code=issued.code, username="gulnara", password=DEMO_PASSWORD)
    fee = fees.fee_record(
        actor=bakyt,
        data={
            "case_id": case_id,
            "purpose": "recruitment",
            "basis": "Service fee",
            "amount": "50000",
            "currency": "KGS",
            "breakdown": [{"item": "Service", "amount": "50000"}],
        },
    )
    worker = Actor.of(user)
    grievance = grievances.fee_dispute(
        actor=worker,
        fee_id=fee.pk,
        reason="Мага бул 50 000 сомдун эмне үчүн экенин эч ким түшүндүргөн жок.",
    )
    grievances.grievance_move(
        actor=Actor.of(users["aida"]), grievance_id=grievance.pk, stage="assigned"
    )
    grievances.grievance_write(
        actor=Actor.of(users["aida"]),
        grievance_id=grievance.pk,
        text="Агенттиктен төлөмдүн түзүмүн жазуу жүзүндө сурадык. Жооп келгенде жазабыз.",
    )


# The LGOTP-style yearly cycle (clair_lgotp; the programme year starts in August).
PROGRAMME_STAGES = [
    (
        "demand_survey",
        "需要調査",
        "Demand survey",
        "Изучение потребностей",
        "Муктаждыкты изилдөө",
        "08-01",
        "10-31",
        0,
    ),
    ("recruitment", "募集", "Recruitment", "Набор", "Тандоо жана кабыл алуу", "11-01", "12-31", 0),
    ("decision", "決定", "Decision", "Решение", "Чечим", "01-01", "01-31", 1),
    ("procedures", "手続", "Procedures", "Оформление", "Жол-жоболор", "02-01", "04-30", 1),
    (
        "arrival",
        "来日・オリエンテーション",
        "Arrival and orientation",
        "Прибытие и ориентация",
        "Келүү жана багыттоо",
        "05-01",
        "05-31",
        1,
    ),
    (
        "language",
        "日本語研修",
        "Language training",
        "Языковая подготовка",
        "Тил үйрөнүү",
        "05-01",
        "06-20",
        1,
    ),
    ("posting", "配属", "Posting", "Распределение", "Жайгаштыруу", "06-21", "06-30", 1),
    (
        "training",
        "研修",
        "Training at the host",
        "Стажировка у принимающей стороны",
        "Кабыл алуучу жерде стажировка",
        "07-01",
        "10-31",
        1,
    ),
    ("return", "帰国", "Return", "Возвращение", "Кайтуу", "11-01", "11-30", 1),
]


def _hub(orgs: dict[str, Organization], users: dict[str, User], today: datetime.date) -> None:
    """The city as hub: the 2023 Bishkek delegation and the visits before it
    (nagaoka_kg_delegation), partner institutions with a pool, the care home's need, a
    cooperation confirmation, and a programme year in the middle of its cycle."""
    from kakehashi.hub import services as hub
    from kakehashi.hub.models import (
        Agreement,
        BusinessLink,
        CourtesyVisit,
        Delegation,
        PartnerProfile,
        ProgrammeTemplate,
        ProgrammeYear,
        Trainee,
    )
    from kakehashi.reference.models import Field

    city = orgs["city"]
    source = "nagaoka_kg_delegation"
    delegation = Delegation.objects.create(
        municipality=city,
        title="長岡市キルギス視察団 / Nagaoka delegation to the Kyrgyz Republic",
        starts_on=datetime.date(2023, 10, 9),
        ends_on=datetime.date(2023, 10, 13),
        participants_count=16,
        expected_outcomes=(
            "A framework for sending and receiving workers with the city as hub; specialists "
            "for care, IT, manufacturing, construction and transport; offshore development with "
            "local IT firms; curriculum and student exchange."
        ),
        source=f"{source} 1 視察団の概要",
    )
    for day, origin, destination in [
        (9, "Haneda", "Incheon"),
        (9, "Incheon", "Tashkent"),
        (9, "Tashkent", "Manas (Bishkek)"),
        (13, "Manas (Bishkek)", "Tashkent"),
        (13, "Tashkent", "Narita"),
    ]:
        delegation.legs.create(
            travels_on=datetime.date(2023, 10, day), origin=origin, destination=destination
        )
    for organization, role in [
        ("Nagaoka City", "Mayor, head of the delegation"),
        ("Nagaoka City", "Directors of the departments concerned"),
        ("Care and medical corporations", "Members"),
        ("IT firms", "Members"),
        ("Manufacturers", "Members"),
    ]:
        delegation.participants.create(organization=organization, role=role)
    partners = {name: org for name, org in orgs.items() if org.kind == K.PARTNER_INSTITUTION}
    visits = [
        (10, "Ministry of Labour, Social Security and Migration; the Center", None, ""),
        (10, "Ministry of Foreign Affairs; Embassy of Japan", None, ""),
        (
            11,
            "Japanese Institute at Arabaev Kyrgyz State University",
            "Japanese Institute at Arabaev Kyrgyz State University",
            "care, welfare, IT, tourism",
        ),
        (11, "ISITO Medical College", "ISITO Medical College", "care, welfare"),
        (
            11,
            "Ala-Too International University, Faculty of Engineering and Informatics",
            "Ala-Too International University, Faculty of Engineering and Informatics",
            "IT",
        ),
        (12, "Kyrgyz High Technology Park", "Kyrgyz High Technology Park", "IT"),
        (12, "A Japanese IT firm in Bishkek", None, "IT"),
    ]
    for day, name, partner, topics in visits:
        delegation.visits.create(
            visited_on=datetime.date(2023, 10, day),
            institution=name,
            partner=partners.get(partner) if partner else None,
            fields_discussed=topics,
        )
    delegation.follow_ups.create(
        description="Agree a framework for sending and receiving with the Center",
        owner="Nagaoka City, Industrial Location and Human Resources Division",
        due_on=today + datetime.timedelta(days=45),
    )
    for visited, summary in [
        (
            datetime.date(2023, 3, 1),
            "Courtesy visit to Ambassador Osoev at the Kyrgyz Embassy (March 2023)",
        ),
        (
            datetime.date(2023, 6, 23),
            "The Ambassador and the Japanese Institute's director visit the Mayor",
        ),
        (
            datetime.date(2023, 8, 2),
            "Second visit to the Mayor; invitation to visit the Kyrgyz Republic",
        ),
        (datetime.date(2023, 8, 3), "The Ambassador visits Nagaoka University of Technology"),
    ]:
        CourtesyVisit.objects.create(
            municipality=city, visited_on=visited, summary=summary, source=f"{source} 3"
        )
    care = Field.objects.get(code="care")
    it_fields = list(Field.objects.filter(code__in=["care", "industrial_products"]))
    institute = partners["Japanese Institute at Arabaev Kyrgyz State University"]
    profile, _ = PartnerProfile.objects.get_or_create(
        organization=institute,
        defaults={"contact": "Bishkek", "notes": "Care, welfare, IT, tourism"},
    )
    profile.fields.set(it_fields)
    Agreement.objects.create(
        municipality=city,
        partner=institute,
        title="Memorandum on exchange of students and trainees (fictional)",
        signed_on=today - datetime.timedelta(days=200),
    )
    BusinessLink.objects.create(
        municipality=city,
        title="Offshore development with a Bishkek IT firm",
        kind="offshore",
        stage="talks",
        partner=partners["Kyrgyz High Technology Park"],
        updated_on=today - datetime.timedelta(days=20),
    )
    # The institute's pool: two candidates, one of whom consented to be presented.
    teacher = _user("asel", institute, "Asel", "Bekova")
    institute_actor = Actor.of(teacher)
    for family, given, native, level, consent in [
        ("POOLOVA", "AIZHAN", "Пулова Айжан", "N4", "JI-2026-014"),
        ("KUTUEV", "BEKZAT", "Кутуев Бекзат", "N5", ""),
    ]:
        person = _person(institute, family, given, native, datetime.date(2002, 4, 4))
        _tests(person, "care", today, japanese=level == "N4")
        candidate = hub.pool_candidate_add(
            actor=institute_actor,
            person_id=person.pk,
            data={
                "field": "care",
                "business_category": "care",
                "japanese_level": level,
                "tests_planned": "" if level == "N4" else "JFT-Basic, March",
                "available_from": today + datetime.timedelta(days=60),
            },
        )
        if consent:
            hub.candidate_consent_record(
                actor=institute_actor, candidate_id=candidate.pk, reference=consent
            )
    hub.need_record(
        actor=Actor.of(users["hana"]),
        data={
            "field": "care",
            "business_category": "care",
            "positions": 2,
            "japanese_level": "N4",
            "needed_by": today + datetime.timedelta(days=180),
            "housing_offered": True,
            "support_offered": "Dormitory, Japanese lessons, airport pick-up",
        },
    )
    hub.confirmation_record(
        actor=Actor.of(users["mayu"]),
        data={
            "receiving_organization_id": orgs["care"].pk,
            "scope": "workplace",
            "submitted_on": today - datetime.timedelta(days=30),
            "checked": True,
        },
    )
    template = ProgrammeTemplate.objects.create(
        name="LGOTP-style official trainee programme",
        stages=[
            {
                "key": k,
                "title": {"ja": ja, "en": en, "ru": ru, "ky": ky},
                "from": a,
                "to": b,
                "year": y,
            }
            for k, ja, en, ru, ky, a, b, y in PROGRAMME_STAGES
        ],
        source="clair_lgotp",
    )
    # Mid-cycle: the programme year that started the August before today.
    start = today.year if today.month >= 8 else today.year - 1
    programme = ProgrammeYear.objects.create(
        template=template,
        municipality=city,
        cycle_start_year=start,
        training_field=care.display_name,
    )
    Trainee.objects.create(
        programme=programme,
        name="ASANOV Timur (fictional)",
        home_institution="Ministry of Labour, Social Security and Migration",
        report="Monthly report: orientation done; Japanese lessons three times a week.",
    )
