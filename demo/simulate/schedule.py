"""The demo cadence of `embedded_sftp.simulate: true`: partners that act on their own.

So that someone who just started the app sees the whole cycle within minutes: the demo
BPJS drops a file every few minutes, the demo bank answers within a minute, and every job
of the registry also runs every few minutes (besides its cron). demo/embedded.py puts these
tasks on the scheduler. A production configuration sets `embedded_sftp.enabled: false`,
which turns all of this off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.context import AppContext
from demo.simulate import partner_folder
from jobs.registry import JOBS

log = logging.getLogger(__name__)

BPJS_EVERY_MINUTES = 5
BANK_EVERY_SECONDS = 45
# (partner, direction) -> (every minutes, first run after seconds). The first turn follows
# the simulated partners: BPJS drops at 5 s, its file is pulled at 15 s and the READY claims
# pushed at 25 s, the bank answers at 35 s, its results are pulled at 50 s and reported at 65 s.
JOB_CADENCE = {("bpjs", "IN"): (3, 15), ("bank", "OUT"): (3, 25), ("bank", "IN"): (2, 50),
               ("bpjs", "OUT"): (5, 65)}
OTHER_JOBS = (5, 80)  # a partner the demo does not simulate: its jobs still run now and then
MAX_WAITING_FILES = 3  # BPJS stops dropping while the app is not picking its files up


@dataclass(frozen=True)
class DemoTask:
    id: str
    func: Callable[..., None]
    args: tuple[Any, ...]
    every_seconds: float
    first_after_seconds: float


def demo_tasks(ctx: AppContext) -> list[DemoTask]:
    """What the scheduler runs on an interval in demo mode (demo/embedded.py adds them).

    The first turn is chained within about a minute of start: BPJS drops a file, the app
    takes it in and sends the READY claims, the bank answers, the app reconciles and
    reports to BPJS.
    """
    tasks = [DemoTask("demo_bpjs", demo_bpjs_drop, (ctx,), BPJS_EVERY_MINUTES * 60, 5),
             DemoTask("demo_bank", demo_bank_answer, (ctx,), BANK_EVERY_SECONDS, 35)]
    for job in JOBS.values():
        minutes, first = JOB_CADENCE.get((job.partner, job.direction), OTHER_JOBS)
        tasks.append(DemoTask(f"demo_{job.id}", demo_run, (ctx, job.id), minutes * 60, first))
    log.info("Mitra demo aktif: BPJS mengirim berkas tiap %d menit, bank menjawab dalam %d detik",
             BPJS_EVERY_MINUTES, BANK_EVERY_SECONDS)
    return tasks


def demo_bpjs_drop(ctx: AppContext) -> None:
    from demo.simulate.bpjs import drop_verified_claims

    outbox = partner_folder(ctx.settings, "bpjs", "outbox")
    layout = ctx.layouts["VERIFIED_CLAIMS"]
    if len(list(outbox.glob(layout.file_name.glob))) >= MAX_WAITING_FILES:
        return
    dropped = drop_verified_claims(ctx.settings, layout, ctx.reference, folder=outbox, claims=30)
    log.info("BPJS (demo) mengirim %s: %d klaim", dropped.path.name, dropped.records)


def demo_bank_answer(ctx: AppContext) -> None:
    from demo.simulate.bank import answer_instructions

    answered = answer_instructions(ctx.settings, ctx.layouts, inbox=partner_folder(ctx.settings, "bank",
                                                                                   "inbox"),
                                   outbox=partner_folder(ctx.settings, "bank", "outbox"))
    if answered.result_files:
        log.info("Bank NTT (demo) menjawab %d berkas: %d berhasil, %d gagal, %d dikembalikan",
                 len(answered.result_files), answered.success, answered.failed, answered.returned)


def demo_run(ctx: AppContext, job_id: str) -> None:
    from jobs.runner import run_scheduled

    run_scheduled(ctx, job_id, None)
