"""Benchmark of the payout cycle's two heavy steps (issue 5: figures, not timed tests).

    .venv/bin/python benchmarks/cycle.py [--records 100000] [--database URL]

1. Ingest: a VERIFIED_CLAIMS file of N records goes through `bpjs_pull` as in production
   (SFTP download from the embedded server, whole-file check, parse, validate, apply with
   pre-payout checks, one event per claim, archive), beside a bare `csv.reader` +
   `sqlite3.executemany` of the same rows in the same run. Target: ingest at most 3x the
   bare pass. The bare pass writes the rows where the app writes them: a `claim` table
   with the app's columns and indexes (made by the app's migrations), through plain
   sqlite3, no validation, no rules, no events. Its figure into an index-less table of
   the same columns is printed too: the difference between the two is what the claim
   table's indexes (the 1,000,000-claim queue and dashboard need them) cost any writer.
2. `bank_push` of the N READY claims: record the batch and its instructions, move every
   claim to INSTRUCTED with its event, write the file from the recorded rows, upload it.
   Target: at most 10 s for 100,000.

Runs in a temporary folder; SQLite unless --database names a PostgreSQL database (the
tables are dropped and created again there). On PostgreSQL the bare pass is a `csv.reader` +
COPY (the fastest bulk insert it has) into the app's `claim` table made by the migrations, with
its indexes and triggers, and the ingest is judged against it; the SQLite passes are printed too.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import logging
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.context import build_context
from core.db import SQLITE_PRAGMAS, init_db
from core.files.layout import write_file
from core.schema import drop_all
from core.settings import load_settings
from demo.data import FIRST_MEN, FIRST_WOMEN, SURNAMES
from demo.sftp.server import EmbeddedSftpServer
from demo.simulate.bpjs import nik
from jobs.runner import run_job
from jobs.sftp.keys import ensure_keys
from models import Claim, ClaimStatus

WITA = dt.timezone(dt.timedelta(hours=8))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database", default=None,
                        help="postgresql://... (default: SQLite in a temp folder)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().handlers[0].setLevel(logging.WARNING)  # the jobs log INFO lines into their runs
    with tempfile.TemporaryDirectory(prefix="santunan-bench-") as tmp:
        return run(Path(tmp), args.records, args.database)


def run(tmp: Path, n: int, database: str | None) -> int:
    settings, server = start(tmp, database)
    ctx = build_context(settings)
    try:
        layout = ctx.layouts["VERIFIED_CLAIMS"]
        outbox = settings.embedded_sftp.root / "bpjs" / "outbox"
        path = write_file(layout, tmp / "BPJSTK_KLAIM_20261123_01.txt", header(settings), records(n)).path
        size_mb = path.stat().st_size / 1e6
        kind = "SQLite" if settings.is_sqlite else "PostgreSQL"
        print(f"VERIFIED_CLAIMS: {n:,} records, {size_mb:.1f} MB ({kind})")
        plain = bare_pass(path, tmp / "plain.db", layout.field_names, indexed=False)
        bare = bare_pass(path, tmp / "bare.db", layout.field_names, indexed=True)
        print(f"  bare csv.reader + sqlite3.executemany into the app's claim table:  {bare:6.2f} s")
        print(f"  the same into an index-less table of the same columns:            {plain:6.2f} s")
        if not settings.is_sqlite:
            bare = bare_copy(path, settings.database, layout.field_names)
            print(f"  bare csv.reader + COPY into the app's claim table (PostgreSQL):  {bare:6.2f} s")
        path.replace(outbox / path.name)
        ctx.open_database()
        if not settings.is_sqlite:
            drop_all(ctx.database)
            ctx.database = init_db(settings.database)
        ctx.extras["sftp_options"] = {"retries": 0}
        started = time.perf_counter()
        pulled = run_job(ctx, "bpjs_pull")
        ingest = time.perf_counter() - started
        assert pulled.outcome == "SUCCEEDED", pulled.error
        ready = Claim.select().where(Claim.status == ClaimStatus.READY).count()
        print(f"  bpjs_pull (download, check, parse, validate, apply, events): {ingest:6.2f} s "
              f"= {n / ingest:,.0f} records/s, {ingest / bare:.2f}x the bare pass (target <= 3x); "
              f"{ingest / plain:.1f}x the index-less one")
        started = time.perf_counter()
        pushed = run_job(ctx, "bank_push")
        push = time.perf_counter() - started
        assert pushed.outcome == "SUCCEEDED", pushed.error
        print(f"  bank_push of {ready:,} READY claims (record, instruct, write, upload): {push:6.2f} s "
              f"(target <= 10 s for 100,000)")
    finally:
        server.stop()
    missed = [what for what, ok in (("ingest <= 3x bare", ingest <= 3 * bare),
                                    ("bank_push <= 10 s per 100k", push <= 10 * ready / 100_000)) if not ok]
    print("targets missed: " + ", ".join(missed) if missed else "all targets met")
    return 1 if missed else 0


def start(tmp: Path, database: str | None):
    """Settings for a run in `tmp`, and the embedded SFTP server playing the partners, in this process."""
    settings = bench_settings(tmp, database)
    server = EmbeddedSftpServer(settings)
    server.start()
    return with_partners(settings, server.port), server


def bench_settings(tmp: Path, database: str | None, port: int = 0):
    base = load_settings(None, environ={})
    return dataclasses.replace(
        base, work_dir=tmp / "data", database=database or f"sqlite:///{tmp / 'santunan.db'}",
        approval_threshold=10**12,  # every claim payable without a second person, so all 100k go out
        embedded_sftp=dataclasses.replace(base.embedded_sftp, root=tmp / "sftp_drops", port=port))


def with_partners(settings, port: int):
    """The partners reached on the embedded server at `port`, with its keys (created if missing)."""
    import types

    keys = ensure_keys(settings, port=port)
    partners = {name: dataclasses.replace(p, sftp=dataclasses.replace(
        p.sftp, port=port, username=name, private_key=keys.client_key, known_hosts=keys.known_hosts))
        for name, p in settings.partners.items()}
    return dataclasses.replace(settings, partners=types.MappingProxyType(partners))


def header(settings) -> dict:
    return {"file_id": "BPJS-BENCH-1", "created_at": dt.datetime(2026, 11, 23, 1, 0, tzinfo=WITA),
            "sender": settings.partner("bpjs").id, "receiver": settings.organisation_id}


def records(n: int):
    """Payable claims: STMB instalments (several per case) and one-off benefits, all with accounts."""
    rnd = random.Random(5)
    kabupaten = [f"53{k:02d}" for k in range(1, 22)] + ["5371"]
    made = case = 0
    while made < n:
        case += 1
        kab = rnd.choice(kabupaten)
        woman = rnd.random() < 0.35
        name = f"{rnd.choice(FIRST_WOMEN if woman else FIRST_MEN)} {rnd.choice(SURNAMES)}"
        born = dt.date(rnd.randint(1960, 2004), rnd.randint(1, 12), rnd.randint(1, 28))
        worker_nik = nik(kab, born, woman, rnd)
        instalments = rnd.randint(1, 4) if rnd.random() < 0.6 else 1
        benefit = "JKK_STMB" if instalments > 1 else rnd.choice(("JKK_CACAT", "JKK_PENGGANTIAN_BIAYA"))
        for _ in range(min(instalments, n - made)):
            made += 1
            amount = 1_000_000 if benefit == "JKK_STMB" else rnd.randrange(300_000, 5_000_000, 50_000)
            yield {"claim_no": f"KLM-202611-{made:08d}", "revision": 1, "case_no": f"KSS-2026-{case:07d}",
                   "kpj": f"{27_000_000_000 + case:011d}", "nik": worker_nik, "worker_name": name,
                   "kabupaten_code": kab, "occupation": "NELAYAN", "accident_date": dt.date(2026, 9, 1),
                   "benefit_type": benefit, "decision": "APPROVED", "approved_amount": amount,
                   "decision_reason": None, "beneficiary_name": name, "beneficiary_relation": "SELF",
                   "beneficiary_nik": worker_nik, "bank_code": "130",
                   "account_no": f"{rnd.randint(10**9, 10**12 - 1)}",
                   "verified_at": dt.datetime(2026, 11, 22, 9, 0, tzinfo=WITA)}


def _constant_columns(false: object) -> dict[str, object]:
    """The claim columns a bare pass sets that the file does not carry, one value each: READY, not
    flagged, nothing to report, every time now. `false` as the driver writes it."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return {"status": "READY", "flagged": false, "report_pending": false, "status_changed_at": now,
            "updated_at": now, "received_at": now}


def bare_copy(path: Path, url: str, names: tuple[str, ...]) -> float:
    """PostgreSQL's floor: split lines and COPY them into the app's `claim` table (fresh, made by the
    migrations: its indexes and its triggers), the columns the file does not carry set as bare_pass does."""
    import psycopg

    drop_all(init_db(url))
    init_db(url).close()
    fixed = _constant_columns(false="f")  # COPY's text form of a boolean
    columns = ", ".join(f'"{name}"' for name in (*names, *fixed))
    extra = tuple(fixed.values())
    started = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cursor, \
            open(path, newline="", encoding="utf-8") as f:
        with cursor.copy(f"COPY claim ({columns}) FROM STDIN") as copy:
            for row in csv.reader(f, delimiter="|"):
                if row and row[0] == "D":
                    copy.write_row((*row[1:], *extra))
        conn.commit()
    return time.perf_counter() - started


def bare_pass(path: Path, db_path: Path, names: tuple[str, ...], indexed: bool) -> float:
    """The floor: split lines and insert them, no validation, no business rules, no events.

    indexed: into the `claim` table the app's migrations make (its indexes, the app's
    SQLite settings), the columns the file does not carry set to one constant row each;
    otherwise into an index-less table of the file's columns.
    """
    if indexed:
        init_db(f"sqlite:///{db_path}").close()
        fixed = _constant_columns(false=0)
    started = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    if indexed:
        for name, value in SQLITE_PRAGMAS.items():
            conn.execute(f"PRAGMA {name} = {value}")
        columns = (*names, *fixed)
        extra = tuple(fixed.values())
    else:
        conn.execute(f"CREATE TABLE claim (id INTEGER PRIMARY KEY, {', '.join(names)})")
        columns, extra = names, ()
    sql = f"INSERT INTO claim ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    with open(path, newline="", encoding="utf-8") as f:
        rows = (tuple(row[1:]) + extra for row in csv.reader(f, delimiter="|") if row and row[0] == "D")
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
