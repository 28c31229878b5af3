"""Measure the bulk import: N valid persons from a CSV file, then (with --cases M) the test
results that make M of them eligible and M cases, each imported as one file through the
same code as `manage.py import_rows`. Prints rows per second and the peak memory (the
process's resident set) before and after each import.

    .venv/bin/python scripts/bench_import.py --persons 100000 --cases 2000

It runs on a throwaway SQLite database of its own (var/bench-import-<pid>.sqlite3, removed
at the end), or on DATABASE_URL's database when --use-database-url is given (it then
writes there: use a throwaway one)."""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=0)
    parser.add_argument("--use-database-url", action="store_true")
    args = parser.parse_args()

    db_file = ROOT / "var" / f"bench-import-{os.getpid()}.sqlite3"
    if not args.use_database_url:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kakehashi.settings.test")
    import django
    from django.conf import settings

    if not args.use_database_url:
        settings.DATABASES["default"]["NAME"] = str(db_file)
    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    try:
        call_command("migrate", verbosity=0)
        with translation.override("en"):
            run(args)
    finally:
        if not args.use_database_url:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)


def write_csv(header: list[str], rows: object) -> Path:
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)  # type: ignore[arg-type]
    return Path(handle.name)


def timed_import(label: str, actor: object, kind: str, path: Path, organization: object) -> None:
    from kakehashi.imports.services import import_rows

    size = path.stat().st_size
    before = peak_mib()
    started = time.perf_counter()
    with path.open("rb") as stream:
        result = import_rows(
            actor=actor,  # type: ignore[arg-type]
            kind=kind,
            stream=stream,
            organization=organization,  # type: ignore[arg-type]
        )
    seconds = time.perf_counter() - started
    path.unlink()
    if not result.ok:
        raise SystemExit(f"{label}: {result.error_count} errors, first {result.errors[:3]}")
    print(
        f"{label}: {result.written:,} rows ({size / 1e6:.1f} MB) in {seconds:.1f} s = "
        f"{result.written / seconds:,.0f} rows/s; peak RSS {before:.0f} MiB before, "
        f"{peak_mib():.0f} MiB after",
        flush=True,
    )


def run(args: argparse.Namespace) -> None:
    from django.db import connection

    from kakehashi.access import Actor
    from kakehashi.accounts.models import MemberRole, Membership, Organization, User
    from kakehashi.people.models import Person
    from kakehashi.reference.services import reference_data_load

    reference_data_load()
    employer = Organization.objects.create(
        kind="receiving_organization", name_en="Bench Employer", name_ja="ベンチ", country="JP"
    )
    user = User.objects.create(username="bench-importer")
    Membership.objects.create(user=user, organization=employer, role=MemberRole.CLERK)
    actor = Actor.of(user)
    print(f"database: {connection.vendor}; peak RSS at start {peak_mib():.0f} MiB", flush=True)

    header = [
        "family_name",
        "given_names",
        "native_name",
        "nationality",
        "date_of_birth",
        "passport_number",
        "passport_expiry",
        "current_country",
        "email",
        "phone",
    ]
    rows = (
        [
            f"BENCHOVA{n:07d}",
            "AIZADA",
            "Бенчова Айзада",
            "KG",
            f"{1980 + n % 25}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            f"BN{n:07d}",
            "2031-06-30",
            "KG",
            f"worker{n}@example.kg",
            f"+996 555 {n % 1000000:06d}",
        ]
        for n in range(args.persons)
    )
    timed_import("persons", actor, "persons", write_csv(header, rows), employer)

    if args.cases:
        ids = list(Person.objects.order_by("id").values_list("id", flat=True)[: args.cases])
        results = []
        for pk in ids:
            results.append([pk, "skill", "skill", "care", "", "yes", "2025-05-01"])
            results.append([pk, "japanese", "jlpt", "", "N4", "yes", "2025-05-01"])
            results.append([pk, "japanese", "care_japanese", "", "", "yes", "2025-05-01"])
        result_header = [
            "person",
            "kind",
            "test_code",
            "business_category",
            "level",
            "passed",
            "taken_on",
        ]
        path = write_csv(result_header, results)
        timed_import("test results", actor, "test_results", path, employer)
        cases = [[pk, "care", "direct"] for pk in ids]
        path = write_csv(["person", "business_category", "pattern"], cases)
        timed_import("cases", actor, "cases", path, employer)


if __name__ == "__main__":
    main()
