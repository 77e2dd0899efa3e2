"""`jobs list` and `jobs run JOB`: the registry's integration jobs from the command line.

`jobs run` runs in the foreground, retrying transient failures after the configured
back-off, prints a summary and exits 0 when the job succeeded (bad records are reported
and do not fail it) and 1 when it failed or is already running elsewhere.
"""

from __future__ import annotations

import argparse
import json
import sys

from core.context import AppContext
from core.text import fmt
from desk.views.jobs import job_infos
from jobs import crashpoints
from jobs.locks import JobBusy
from jobs.registry import JOBS
from jobs.runner import run_with_retries
from models import JobRun, RunOutcome

OUTCOMES = {RunOutcome.SUCCEEDED: "berhasil",
            RunOutcome.SUCCEEDED_WITH_WARNINGS: "berhasil dengan peringatan",
            RunOutcome.FAILED: "gagal", RunOutcome.RUNNING: "sedang berjalan"}


def register(sub: argparse._SubParsersAction) -> None:
    jobs = sub.add_parser("jobs", help="tugas integrasi / integration jobs")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", metavar="SUBCOMMAND", required=True)
    listing = jobs_sub.add_parser("list", help="jadwal, jadwal berikutnya, hasil terakhir / schedule, next "
                                               "run, last outcome")
    listing.set_defaults(handler=list_jobs)
    run = jobs_sub.add_parser("run", help="jalankan satu tugas sekarang / run one job now")
    run.add_argument("job", choices=list(JOBS), metavar="JOB", help=", ".join(JOBS))
    run.add_argument("--no-retry", action="store_true",
                     help="jangan ulangi kegagalan sementara / do not retry transient failures")
    run.add_argument("--crash-at", choices=crashpoints.POINTS, help=argparse.SUPPRESS)  # crash tests only
    run.set_defaults(handler=run_job_command)


def list_jobs(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    zone = ctx.settings.timezone
    print(f"{'TUGAS':<10} {'JADWAL (' + fmt.zone_name(zone) + ')':<17} {'BERIKUTNYA':<28} HASIL TERAKHIR")
    for info in job_infos(ctx):
        next_run = fmt.datetime(info.next_run_at, zone=zone) if info.next_run_at else "-"
        if info.paused:
            next_run = f"dijeda ({info.paused.paused_by})"
        elif not info.enabled:
            next_run = "dimatikan"
        last = info.running or info.last_run
        outcome = (f"{OUTCOMES.get(last.outcome, last.outcome)}, {fmt.datetime(last.started_at, zone=zone)}"
                   if last else "belum pernah")
        print(f"{info.id:<10} {info.cron:<17} {next_run:<28} {outcome}")
        print(f"{'':<10} {info.label}")
    return 0


def run_job_command(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    if args.crash_at:
        crashpoints.arm(args.crash_at, mode="exit")
    try:
        run = run_with_retries(ctx, args.job, retry=not args.no_retry, on_wait=_announce_retry)
    except JobBusy as busy:
        print(busy.message, file=sys.stderr)
        return 1
    _print_summary(ctx, run)
    return 1 if run.outcome == RunOutcome.FAILED else 0


def _announce_retry(run: JobRun, delay: float) -> None:
    print(f"Gagal sementara: {run.error}\nMencoba lagi dalam {fmt.duration(delay)}...", file=sys.stderr)


def _print_summary(ctx: AppContext, run: JobRun) -> None:
    spec = JOBS[run.job]
    counts = {k: v for k, v in json.loads(run.counts or "{}").items() if v}
    took = fmt.duration((run.finished_at - run.started_at).total_seconds()) if run.finished_at else "-"
    print(f"{spec.label} ({spec.id}): {OUTCOMES.get(run.outcome, run.outcome)} dalam {took} (run #{run.id})")
    for key, value in sorted(counts.items()):
        print(f"  {key}: {value}")
    warnings = [line for line in (run.log or "").splitlines() if " PERINGATAN " in line]
    for line in warnings[:20]:
        print(f"  ! {line.split(' PERINGATAN ', 1)[1]}")
    if len(warnings) > 20:
        print(f"  ... dan {len(warnings) - 20} peringatan lain (lihat log run #{run.id})")
    if run.error:
        print(f"Kesalahan: {run.error}", file=sys.stderr)
