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
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.claims import name_search
from core.claims.detail import claim_detail
from core.claims.name_vocabulary import VOCABULARY
from core.claims.queries import ClaimFilter, Duty, claims_page, dashboard
from core.db import bulk_insert, init_db, is_postgres, write_tx
from core.reference import load_reference
from core.settings import PROJECT_ROOT
from demo.data import NOW, generate
from demo.people import FIRST_MEN, FIRST_WOMEN, SURNAMES
from desk.views.audit import AuditFilter, audit_choices, audit_page, cursor_of
from jobs.registry import JOBS
from models import AuditLog, Claim, ClaimStatus, db

S = ClaimStatus
TODAY = NOW.date()  # the demo data's "today", so past-duty counts are realistic
TARGETS_MS = {"queue page": 50.0, "search by NIK": 20.0, "dashboard": 200.0, "search by name": 50.0,
              "audit page": 300.0}
AUDIT_ACTIONS = ("LOGIN", "CLAIM_HOLD", "CLAIM_RELEASE", "APPROVE", "FILE_DOWNLOAD", "EXPORT", "JOB_RUN")


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
    print(f"\n{'database':24} {db.obj.__class__.__name__}, {Claim.select().count():,} claims, "
          f"{os.cpu_count()} cores")
    print(f"{'query':52} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    results: dict[str, list[float]] = {name: [] for name in TARGETS_MS}
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
    name_searches(rnd, duty, args.repeat, results)
    report("  claim detail page", measure(lambda: claim_detail(rnd.choice(claim_nos)), args.repeat))
    results["dashboard"] = measure(lambda: dashboard(duty, TODAY, job_ids=list(JOBS)),
                                   max(5, args.repeat // 2))
    report("dashboard (all aggregates)", results["dashboard"], TARGETS_MS["dashboard"])
    if args.audit_events:
        audit_pages(args.audit_events, rnd, args.repeat, results)
    missed = [name for name, limit in TARGETS_MS.items() if results[name] and p95(results[name]) > limit]
    print("\ntargets: " + ("all met" if not missed else "MISSED: " + ", ".join(missed)))
    return 1 if missed else 0


def name_searches(rnd: random.Random, duty: Duty, repeat: int, results: dict[str, list[float]]) -> None:
    """The name search a coordinator types: one word, a first name and a surname, a typo (the queue's
    page with its count, then the ranked search's first page)."""
    def typo(word: str) -> str:  # one letter replaced, inside the word: "Yohanes" -> "Yohanis"
        i = rnd.randrange(1, len(word) - 1)
        return word[:i] + ("i" if word[i] != "i" else "e") + word[i + 1:]

    VOCABULARY.get()  # read once, as a running app has it (its first typo search waits for it)
    surnames = [s for s in SURNAMES if len(s) >= 4 and " " not in s]
    firsts = [f for f in FIRST_MEN + FIRST_WOMEN if len(f) >= 5]
    variants = {
        "one word (a surname)": lambda: rnd.choice(surnames),
        "first name and surname": lambda: f"{rnd.choice(firsts)} {rnd.choice(surnames)}",
        "a typo (one letter wrong)": lambda: typo(rnd.choice(firsts)),
    }
    for name, term in variants.items():
        samples = measure(lambda t=term: claims_page(ClaimFilter(search=t()), duty=duty, today=TODAY), repeat)
        results["search by name"] += samples
        report(f"  name search, queue page: {name}", samples)
        samples = measure(lambda t=term: name_search.search(t()), repeat)
        results["search by name"] += samples
        report(f"  name search, ranked: {name}", samples)
    report("search by name (all variants)", results["search by name"], TARGETS_MS["search by name"])


def audit_pages(n: int, rnd: random.Random, repeat: int, results: dict[str, list[float]]) -> None:
    """The audit log page over `n` audit events: filter choices, first page with its count, next pages."""
    fill_audit_log(n)
    users = audit_choices()[0][:20] or [None]

    def open_page(f: AuditFilter) -> None:  # what opening the page (or changing its filter) reads
        audit_choices()
        audit_page(f, per_page=50)

    whole = AuditFilter()
    first, total = audit_page(whole, per_page=50)
    cursors = []
    for _ in range(20):  # the cursors of pages 1-20, as a user paging on would hold them
        cursors.append(cursor_of(first[-1]))
        first, _ = audit_page(whole, per_page=50, after=cursors[-1], known_total=total)
    samples = measure(lambda: open_page(whole), repeat)
    results["audit page"] += samples
    report("  audit page: open (choices, first page, count)", samples)
    samples = measure(lambda: open_page(AuditFilter(username=rnd.choice(users))), repeat)
    results["audit page"] += samples
    report("  audit page: one user's entries", samples)
    samples = measure(lambda: audit_page(whole, per_page=50, after=rnd.choice(cursors), known_total=total),
                      repeat)
    results["audit page"] += samples
    report("  audit page: next page (keyset, count kept)", samples)
    report("audit page (all variants)", results["audit page"], TARGETS_MS["audit page"])


def fill_audit_log(n: int) -> None:
    """`n` audit rows (bulk insert; the hash chain is not what the page reads), unless already there."""
    existing = AuditLog.select().count()
    if existing >= n:
        print(f"reusing {existing:,} audit events")
        return
    started, rnd = time.monotonic(), random.Random(11)
    users = [f"petugas{i:02d}" for i in range(40)]
    start = dt.datetime.combine(TODAY, dt.time()) - dt.timedelta(days=365)
    step = dt.timedelta(days=365) / n
    chunk = 50_000
    for offset in range(existing, n, chunk):
        rows = [{"at": start + step * i, "username": rnd.choice(users), "action": rnd.choice(AUDIT_ACTIONS),
                 "target": f"KLM-{i:08d}", "details": None, "ip": "10.0.0.1"}
                for i in range(offset, min(n, offset + chunk))]
        with write_tx():
            bulk_insert(AuditLog, rows)
    db.execute_sql("ANALYZE")
    print(f"inserted {n - existing:,} audit events in {time.monotonic() - started:.0f} s")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="database URL (default: a new SQLite file in a temp folder)")
    parser.add_argument("--claims", type=int, default=1_000_000, help="demo claims (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=40, help="samples per query (default 40)")
    parser.add_argument("--audit-events", type=int, default=1_000_000,
                        help="audit log rows for the audit page (default 1,000,000; 0: skip)")
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
