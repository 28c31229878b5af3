"""`make bench`: build a big database fast, then time the main reads against their floors.

    python -m kakehashi.bench [--cases N] [--rounds R] [--keep]

Settings: kakehashi.settings.bench (var/bench.sqlite3, or DATABASE_URL). The database is
emptied and migrated first unless --keep is given and it already holds the cases. Prints
the generation rates, then one table: each read's median time, its floor's, the target
(max(1.5 × floor, floor + 15 ms)), the queries it made, and the feeds' throughput."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

import django


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", 100_000)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 9)))
    parser.add_argument("--keep", action="store_true", help="reuse a database already built")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kakehashi.settings.bench")
    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise

    from django.core.management import call_command
    from django.db import connection

    from kakehashi.cases.models import Case

    from .generate import generate
    from .reads import reads, time_reads

    vendor = connection.vendor
    print(f"bench: {vendor}, {args.cases:,} cases, {args.rounds} rounds a read", flush=True)
    built = False
    if args.keep:
        call_command("migrate", verbosity=0)
        built = Case.objects.count() >= args.cases
    if not built:
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        counts = generate(args.cases)
        took = time.perf_counter() - start
        total = sum(counts.values())
        print(f"generated {total:,} rows in {took:.1f} s ({total / took:,.0f} rows/s):")
        for name, count in counts.items():
            print(f"  {name:<26} {count:>12,}")
    term = "Сануров"
    print(f"\n{'read':<38} {'app ms':>8} {'floor':>8} {'target':>8} {'ok':>3} "
          f"{'queries':>7} {'status':>6} {'bytes':>10}")  # fmt: skip
    missed = 0
    for t in time_reads(reads(term), args.rounds):
        missed += not t.within
        print(
            f"{t.read.name:<38} {t.app_ms:>8.1f} {t.floor_ms:>8.1f} {t.target_ms:>8.1f} "
            f"{'yes' if t.within else 'NO':>3} {t.queries:>7} {t.status:>6} {t.size:>10,}",
            flush=True,
        )
    print(f"\n{missed} read(s) above target")

    from kakehashi.accounts.models import Organization
    from kakehashi.joboffers.models import JobOffer

    from .throughput import rates

    offers = JobOffer.objects.filter(status="published").count()
    agencies = Organization.objects.filter(kind="sending_agency").count()
    # Datasette's addresses of the same rows (its database is named after the file).
    offers_ds = "/bench/joboffers_joboffer.csv?status=published&_stream=on"
    agencies_ds = "/bench/accounts_organization.csv?kind=sending_agency&_stream=on"
    agencies_ds_json = "/bench/accounts_organization.json?kind=sending_agency&_shape=array"
    feeds = [
        ("job board, CSV", "/jobs/offers.csv", offers_ds, offers),
        ("job board, JSON", "/jobs/offers.json?all=true", "", offers),
        ("agencies, CSV", "/public/agencies.csv", agencies_ds, agencies),
        (
            "agencies, JSON",
            "/public/agencies.json?all=true",
            agencies_ds_json + "&_size=max",
            agencies,
        ),
    ]
    print(f"\n{'feed (whole export, one client)':<44} {'req/s':>8} {'rows/s':>10} {'MB/s':>7}")
    for rate in rates(feeds):
        print(
            f"{rate.name:<44} {rate.requests_per_s:>8.1f} {rate.rows_per_s:>10,.0f} "
            f"{rate.mb_per_s:>7.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
