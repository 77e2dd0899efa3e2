"""Benchmark of the coordinator app's queries over demo claims (default 1,000,000).

    .venv/bin/python benchmarks/ui_queries.py                       # SQLite in a temporary folder
    .venv/bin/python benchmarks/ui_queries.py --claims 100000
    .venv/bin/python benchmarks/ui_queries.py --database postgresql://postgres@127.0.0.1:5432/bench

The database must be empty (demo data is generated, then ANALYZE runs, as the app's
maintenance would) or already hold exactly --claims demo claims (reused as is). Prints p50
and p95 per query and checks them against the targets of the issue: queue page (filter +
sort + page, with the exact count the table shows) p95 <= 50 ms, search by NIK <= 20 ms,
dashboard aggregates <= 200 ms. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.claims.queries import ClaimFilter, Duty, claim_detail, claims_page, dashboard
from core.db import init_db, is_postgres
from core.reference import load_reference
from core.settings import PROJECT_ROOT
from demo.data import NOW, generate
from jobs.registry import JOBS
from models import Claim, ClaimStatus, db

S = ClaimStatus
TODAY = NOW.date()  # the demo data's "today", so past-duty counts are realistic
TARGETS_MS = {"queue page": 50.0, "search by NIK": 20.0, "dashboard": 200.0}


def main(argv: list[str]) -> int:
    args = parse(argv)
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp(prefix='santunan-bench-')) / 'bench.db'}"
    init_db(url)
    prepare(args.claims)
    rnd = random.Random(7)
    cases = queue_cases(rnd)
    niks = [nik for (nik,) in Claim.select(Claim.nik).order_by(Claim.id).limit(args.repeat * 50).tuples()]
    claim_nos = [n for (n,) in Claim.select(Claim.claim_no).order_by(Claim.id).limit(5000).tuples()]
    duty = Duty()
    print(f"\n{'database':24} {db.obj.__class__.__name__}, {Claim.select().count():,} claims")
    print(f"{'query':52} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    results: dict[str, list[float]] = {"queue page": [], "search by NIK": [], "dashboard": []}
    for name, claim_filter, sort, page in cases:
        samples = measure(lambda f=claim_filter, s=sort, p=page: claims_page(f, sort_by=s, page=p, duty=duty,
                                                                           today=TODAY), args.repeat)
        results["queue page"] += samples
        report(f"  queue: {name}", samples)
    report("queue page (all variants)", results["queue page"], TARGETS_MS["queue page"])
    paid = ClaimFilter(statuses=(S.PAID,))
    known = claims_page(paid, duty=duty, today=TODAY).total
    report("  next page or sort of the same queue (count kept)", measure(
        lambda: claims_page(paid, sort_by="approved_amount", page=rnd.randint(2, 400), duty=duty, today=TODAY,
                            known_total=known), args.repeat))
    results["search by NIK"] = measure(
        lambda: claims_page(ClaimFilter(search=rnd.choice(niks)), duty=duty, today=TODAY), args.repeat * 5)
    report("search by NIK", results["search by NIK"], TARGETS_MS["search by NIK"])
    report("  search by claim number", measure(
        lambda: claims_page(ClaimFilter(search=rnd.choice(claim_nos)), duty=duty, today=TODAY), args.repeat))
    report("  search by name (contains, not indexed)", measure(
        lambda: claims_page(ClaimFilter(search="ndun"), duty=duty, today=TODAY), max(3, args.repeat // 4)))
    report("  claim detail page", measure(lambda: claim_detail(rnd.choice(claim_nos)), args.repeat))
    results["dashboard"] = measure(lambda: dashboard(duty, TODAY, job_ids=list(JOBS)),
                                   max(5, args.repeat // 2))
    report("dashboard (all aggregates)", results["dashboard"], TARGETS_MS["dashboard"])
    missed = [name for name, limit in TARGETS_MS.items() if p95(results[name]) > limit]
    print("\ntargets: " + ("all met" if not missed else "MISSED: " + ", ".join(missed)))
    return 1 if missed else 0


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="database URL (default: a new SQLite file in a temp folder)")
    parser.add_argument("--claims", type=int, default=1_000_000, help="demo claims (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=40, help="samples per query (default 40)")
    return parser.parse_args(argv)


def prepare(n: int) -> None:
    existing = Claim.select().count()
    if existing == n:
        print(f"reusing {existing:,} claims already in the database")
        return
    if existing:
        raise SystemExit(f"the database holds {existing:,} claims, not {n:,}: use an empty one")
    started = time.monotonic()
    generate(n, seed=1, reference=load_reference(PROJECT_ROOT / "config" / "reference.yaml"), today=TODAY)
    print(f"generated {n:,} demo claims in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    db.execute_sql("ANALYZE")
    if is_postgres():
        db.execute_sql("VACUUM ANALYZE claim")  # visibility map: index-only scans for the aggregates
    print(f"ANALYZE in {time.monotonic() - started:.0f} s")


def queue_cases(rnd: random.Random) -> list[tuple[str, ClaimFilter, str, int]]:
    """What coordinators open: a status queue, a kabupaten, a benefit, a date range, sorted several ways."""
    month = dt.date(2026, 6, 1)
    return [
        ("everything, newest first", ClaimFilter(), "received_at", 1),
        ("Siap Dibayar, newest first", ClaimFilter(statuses=(S.READY,)), "received_at", 1),
        ("Berhasil Dibayar (55 %), page 40", ClaimFilter(statuses=(S.PAID,)), "received_at", 40),
        ("Perlu Ditinjau, biggest amount first", ClaimFilter(statuses=(S.NEEDS_REVIEW,)),
         "approved_amount", 1),
        ("Berhasil Dibayar, by name", ClaimFilter(statuses=(S.PAID,)), "worker_name", 1),
        ("Gagal Dibayar in Kab. Alor", ClaimFilter(statuses=(S.PAYOUT_FAILED,), kabupaten=("5305",)),
         "received_at", 1),
        ("Kota Kupang, any status", ClaimFilter(kabupaten=("5371",)), "received_at", 1),
        ("JKM benefit", ClaimFilter(benefit_types=("JKM",)), "received_at", 1),
        ("received in June 2026", ClaimFilter(received_from=month, received_to=dt.date(2026, 6, 30)),
         "received_at", 1),
        ("flagged only", ClaimFilter(flagged=True), "received_at", 1),
        ("past the payment duty", ClaimFilter(past_duty=True), "received_at", 1),
        ("Ditunda + Menunggu Persetujuan, by claim no.",
         ClaimFilter(statuses=(S.ON_HOLD, S.AWAITING_APPROVAL)), "claim_no", 1),
    ]


def measure(fn: Callable[[], object], n: int) -> list[float]:
    fn()  # warm the caches once, as a second look at the same queue would
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def report(name: str, samples: list[float], target: float | None = None) -> None:
    verdict = "" if target is None else (f"  ok (target <= {target:.0f})" if p95(samples) <= target
                                         else f"  MISSED (target <= {target:.0f})")
    print(f"{name:52} {statistics.median(samples):8.1f} {p95(samples):8.1f} {max(samples):8.1f}{verdict}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
