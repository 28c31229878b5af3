"""The bench's data: the demo world, then `cases` more cases made fast through the bulk paths
(COPY on PostgreSQL, executemany on SQLite), never through the services.

Each new case copies one of the demo's cases — its steps, history, deadlines and flags — for a
new person, a new or demo employer and a new or demo agency, so that the rows look like what
the services write (every pattern, every stage, realistic JSON). Employers are spread over
cities, the demo's employers and city get their share (their users are the bench's readers),
and the registers and the job board grow in proportion. The audit log does not record these
rows (they are not written by anyone)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.cases.models import Case, CaseDeadline, CaseEvent, CaseFlag, CaseStep
from kakehashi.core.search import search_key
from kakehashi.demo.scenario import load_demo
from kakehashi.joboffers.models import JobOffer
from kakehashi.people.models import Person
from kakehashi.registries.models import AgencyCertificationDecision

BATCH = 5000
# What a name is made of: 30 × 30 syllable pairs give 900 family names; 120 given names.
SYLLABLES = [
    ("a", "а"), ("ba", "ба"), ("bek", "бек"), ("da", "да"), ("zhan", "жан"), ("ka", "ка"),
    ("kul", "кул"), ("ma", "ма"), ("mur", "мур"), ("na", "на"), ("ry", "ры"), ("sa", "са"),
    ("sul", "сул"), ("ta", "та"), ("tok", "ток"), ("tur", "тур"), ("u", "у"), ("zhu", "жу"),
    ("al", "ал"), ("as", "ас"), ("bo", "бо"), ("kar", "кар"), ("ky", "кы"), ("mo", "мо"),
    ("nur", "нур"), ("or", "ор"), ("sy", "сы"), ("tal", "тал"), ("to", "то"), ("er", "ер"),
]  # fmt: skip
GIVEN = [
    ("AIGUL", "Айгүл"), ("AIDA", "Аида"), ("AZAMAT", "Азамат"), ("BAKYT", "Бакыт"),
    ("CHOLPON", "Чолпон"), ("DASTAN", "Дастан"), ("ELNURA", "Элнура"), ("ERLAN", "Эрлан"),
    ("GULNARA", "Гүлнара"), ("ISLAM", "Ислам"), ("JYLDYZ", "Жылдыз"), ("KANAT", "Канат"),
    ("MEERIM", "Мээрим"), ("NURLAN", "Нурлан"), ("NURZADA", "Нурзада"), ("RUSLAN", "Руслан"),
    ("SAIKAL", "Сайкал"), ("TALANT", "Талант"), ("ULAN", "Улан"), ("ZARINA", "Зарина"),
]  # fmt: skip


@dataclass
class Sizes:
    cases: int

    @property
    def cities(self) -> int:
        return max(4, self.cases // 25_000)

    @property
    def employers(self) -> int:
        return max(40, self.cases // 200)

    @property
    def agencies(self) -> int:
        return max(20, self.cases // 2_000)

    @property
    def offers(self) -> int:
        return max(200, self.cases // 200)


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Rows (dicts of every concrete column, by attname, with their ids) into `model`'s
    table: COPY on PostgreSQL, executemany in batches on SQLite. Returns the number."""
    fields = _columns(model)
    names = [f.column for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    prepared = ([f.get_db_prep_save(row[f.attname], connection) for f in fields] for row in rows)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(names))})"
            batch: list[list[Any]] = []
            for values in prepared:
                batch.append(values)
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


@contextmanager
def _foreign_keys_unchecked(model_list: list[type[models.Model]]) -> Iterator[None]:
    """PostgreSQL: the tables' foreign keys dropped for the load and put back NOT VALID
    (enforced for new rows, the loaded ones not re-read). Django makes them DEFERRABLE
    INITIALLY DEFERRED, so a load of ten million rows queued ten million checks for the
    COMMIT. The copied rows refer only to rows that exist, by construction."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in model_list]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')


def _reset_sequences(*model_list: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(model_list)):
            cursor.execute(sql)


def _values(qs: models.QuerySet[Any]) -> list[dict[str, Any]]:
    return list(qs.values(*[f.attname for f in _columns(qs.model)]))


@dataclass
class Template:
    case: dict[str, Any]
    steps: list[dict[str, Any]]
    events: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    flags: list[dict[str, Any]]


def _templates() -> list[Template]:
    out = []
    for case in _values(Case.objects.order_by("id")):
        pk = case["id"]
        out.append(
            Template(
                case,
                _values(CaseStep.objects.filter(case_id=pk).order_by("id")),
                _values(CaseEvent.objects.filter(case_id=pk).order_by("id")),
                _values(CaseDeadline.objects.filter(case_id=pk).order_by("id")),
                _values(CaseFlag.objects.filter(case_id=pk).order_by("id")),
            )
        )
    return out


def _orgs(
    kind: str, count: int, make: Callable[[int], dict[str, Any]], template: Organization
) -> list[int]:
    start = _next_id(Organization)
    base = _values(Organization.objects.filter(pk=template.pk))[0]
    now = timezone.now()
    rows = [
        {**base, "id": start + i, "kind": kind, "created_at": now, **make(i)} for i in range(count)
    ]
    insert(Organization, rows)
    return [r["id"] for r in rows]


def _name(rng: random.Random) -> tuple[str, str, str]:
    (a, a_native), (b, b_native) = rng.choice(SYLLABLES), rng.choice(SYLLABLES)
    given, given_native = rng.choice(GIVEN)
    female = given_native.endswith("а") or given in {"AIGUL", "GULNARA", "JYLDYZ", "MEERIM"}
    ending, native_ending = ("OVA", "ова") if female else ("OV", "ов")
    family = (a + b).upper() + ending
    native = f"{(a_native + b_native).capitalize()}{native_ending} {given_native}"
    return family, given, native


def _persons(
    start: int, count: int, agencies: list[int], rng: random.Random
) -> Iterator[dict[str, Any]]:
    """Made as COPY reads them: the first id is read before (a query during COPY would
    wait for the COPY to end)."""
    now = timezone.now()
    keys: dict[tuple[str, str, str], str] = {}
    for i in range(count):
        family, given, native = _name(rng)
        key = keys.get((family, given, native))
        if key is None:
            key = keys.setdefault((family, given, native), search_key(family, given, native))
        yield {
            "id": start + i,
            "family_name": family,
            "given_names": given,
            "native_name": native,
            "nationality": "KG",
            "date_of_birth": datetime.date(1985, 1, 1)
            + datetime.timedelta(days=rng.randrange(7000)),
            "passport_number": "",
            "passport_digest": "",
            "passport_expiry": None,
            "current_country": "KG",
            "current_status_of_residence": "",
            "email": "",
            "phone": "",
            "created_by_organization_id": rng.choice(agencies),
            "created_at": now,
            "updated_at": now,
            "anonymised_at": None,
            "search_key": key,
        }


def generate(cases: int, seed: int = 20231) -> dict[str, int]:
    """The demo, then `cases` copied cases and what goes with them. Returns row counts."""
    load_demo()
    rng = random.Random(seed)
    sizes = Sizes(cases)
    demo = {o.name_en: o for o in Organization.objects.all()}
    city = next(o for o in demo.values() if o.kind == OrganizationKind.MUNICIPALITY)
    demo_employers = [
        o.pk for o in demo.values() if o.kind == OrganizationKind.RECEIVING_ORGANIZATION
    ]
    demo_agencies = [o.pk for o in demo.values() if o.kind == OrganizationKind.SENDING_AGENCY]
    an_employer = Organization.objects.get(pk=demo_employers[0])
    an_agency = Organization.objects.get(pk=demo_agencies[0])
    counts: dict[str, int] = {}
    loaded: list[type[models.Model]] = [
        Organization,
        Person,
        Case,
        CaseStep,
        CaseEvent,
        CaseDeadline,
        CaseFlag,
        JobOffer,
        AgencyCertificationDecision,
    ]
    with transaction.atomic(), _foreign_keys_unchecked(loaded):
        cities = [
            city.pk,
            *_orgs(
                OrganizationKind.MUNICIPALITY,
                sizes.cities - 1,
                lambda i: {
                    "name_en": f"City {i + 2}",
                    "name_ja": f"市{i + 2}",
                    "municipality_id": None,
                },
                city,
            ),
        ]
        employers = _orgs(
            OrganizationKind.RECEIVING_ORGANIZATION,
            sizes.employers,
            lambda i: {
                "name_en": f"Employer {i + 1}",
                "name_ja": f"事業者{i + 1}",
                "municipality_id": cities[i % len(cities)],
            },
            an_employer,
        )
        agencies = _orgs(
            OrganizationKind.SENDING_AGENCY,
            sizes.agencies,
            lambda i: {"name_en": f"Agency {i + 1}", "name_local": f"Агенттик {i + 1}"},
            an_agency,
        )
        counts["organizations"] = sizes.cities - 1 + sizes.employers + sizes.agencies
        counts["certification decisions"] = _decisions(agencies, demo_agencies[0])
        counts["persons"] = insert(
            Person, _persons(_next_id(Person), cases, agencies + demo_agencies, rng)
        )
        counts.update(_cases(cases, employers, demo_employers, agencies, rng))
        counts["job offers"] = _offers(sizes.offers, employers, rng)
        _reset_sequences(*loaded)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table in production: statistics and the visibility map
        # (without it an index-only scan reads the heap after all).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
    return counts


def _decisions(agencies: list[int], template_agency: int) -> int:
    template = _values(AgencyCertificationDecision.objects.filter(agency_id=template_agency))
    start = _next_id(AgencyCertificationDecision)
    rows = (
        {**row, "id": start + i * len(template) + j, "agency_id": agency}
        for i, agency in enumerate(agencies)
        for j, row in enumerate(template)
    )
    return insert(AgencyCertificationDecision, rows)


def _cases(
    count: int,
    employers: list[int],
    demo_employers: list[int],
    agencies: list[int],
    rng: random.Random,
) -> dict[str, int]:
    templates = _templates()
    employer_city = dict(
        Organization.objects.filter(pk__in=employers + demo_employers).values_list(
            "pk", "municipality_id"
        )
    )
    person_start = Person.objects.aggregate(m=Max("id"))["m"] - count + 1
    tables: tuple[type[models.Model], ...] = (Case, CaseStep, CaseEvent, CaseDeadline, CaseFlag)
    ids = {m: _next_id(m) for m in tables}
    plan = []  # (case id, template, employer, agency)
    for i in range(count):
        template = rng.choice(templates)
        # The demo's employers get a share a big employer would have (0.1% each).
        employer = rng.choice(demo_employers) if rng.random() < 0.003 else rng.choice(employers)
        agency = rng.choice(agencies) if template.case["sending_agency_id"] else None
        plan.append((ids[Case] + i, template, employer, agency))
    now = timezone.now()

    def org(value: int | None, template: Template, employer: int, agency: int | None) -> Any:
        if value == template.case["receiving_organization_id"]:
            return employer
        if agency is not None and value == template.case["sending_agency_id"]:
            return agency
        return value

    def cases() -> Iterator[dict[str, Any]]:
        for n, (pk, template, employer, agency) in enumerate(plan):
            shift = datetime.timedelta(days=rng.randrange(720))
            yield {
                **template.case,
                "id": pk,
                "reference": f"KG-B{pk:08d}",
                "person_id": person_start + n,
                "receiving_organization_id": employer,
                "sending_agency_id": agency,
                "municipality_id": employer_city[employer],
                "created_at": now - shift,
                "updated_at": now - shift / 2,
            }

    def children(key: str, model: type[models.Model]) -> Iterator[dict[str, Any]]:
        next_id = ids[model]
        for pk, template, employer, agency in plan:
            for row in getattr(template, key):
                out = {**row, "id": next_id, "case_id": pk}
                if "organization_id" in row:
                    out["organization_id"] = org(row["organization_id"], template, employer, agency)
                next_id += 1
                yield out

    return {
        "cases": insert(Case, cases()),
        "case steps": insert(CaseStep, children("steps", CaseStep)),
        "case events": insert(CaseEvent, children("events", CaseEvent)),
        "case deadlines": insert(CaseDeadline, children("deadlines", CaseDeadline)),
        "case flags": insert(CaseFlag, children("flags", CaseFlag)),
    }


def _offers(count: int, employers: list[int], rng: random.Random) -> int:
    template = _values(JobOffer.objects.filter(status="published").order_by("id"))
    if not template:
        return 0
    start = _next_id(JobOffer)
    rows = (
        {
            **rng.choice(template),
            "id": start + i,
            "receiving_organization_id": rng.choice(employers),
        }
        for i in range(count)
    )
    return insert(JobOffer, rows)
