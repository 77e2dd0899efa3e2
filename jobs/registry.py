"""The one table of partners and jobs: the scheduler, the runner, the desk and the command line ask it.

A job is `verb_noun(ctx, log) -> JobResult` in its partner's package under `jobs/<partner>/`;
the table names it by import path ("jobs.bpjs.pull:pull_verified_claims") and imports it
only when the job runs. So this module imports nothing of ours: anything may ask it for ids
and labels without pulling in the jobs themselves, and no import cycle can go through it.
Adding a partner's job is one entry here (docs/adding-a-partner.md has the whole checklist).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

JobFunc = Callable[[Any, logging.Logger], Any]  # (AppContext, log) -> JobResult
Direction = Literal["IN", "OUT"]  # as BatchFile.direction: IN we download, OUT we write and upload


@dataclass(frozen=True)
class Partner:
    id: str  # its key under `partners:` in the configuration and its user on the embedded server
    label: str  # Bahasa Indonesia, what coordinators read
    label_en: str


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str | JobFunc  # "package.module:function", imported when the job runs (tests put a callable)
    partner: str  # a key of PARTNERS
    label: str  # Bahasa Indonesia: what the job does, in run logs, alerts and the command line
    label_en: str
    short: str  # Bahasa Indonesia: the job's name on the screens (cards, tables, filters)
    short_en: str
    direction: Direction
    file_type: str  # the layout the job reads or writes (config/layouts/)

    def function(self) -> JobFunc:
        """The job's function, imported on first use."""
        if callable(self.func):
            return self.func
        module, _, name = self.func.partition(":")
        return getattr(importlib.import_module(module), name)


PARTNERS: dict[str, Partner] = {p.id: p for p in (
    Partner("bpjs", "BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan"),
    Partner("bank", "Bank NTT", "Bank NTT"),
)}

# In the order of one payout cycle: the UI, the command line and the demo list them so.
JOBS: dict[str, JobSpec] = {spec.id: spec for spec in (
    JobSpec("bpjs_pull", "jobs.bpjs.pull:pull_verified_claims", "bpjs",
            "Ambil klaim terverifikasi dari BPJS", "Fetch verified claims from BPJS",
            "Ambil klaim BPJS", "Fetch BPJS claims", "IN", "VERIFIED_CLAIMS"),
    JobSpec("bank_push", "jobs.bank.push:push_payout_instructions", "bank",
            "Kirim instruksi pembayaran ke Bank NTT", "Send payout instructions to Bank NTT",
            "Kirim instruksi ke bank", "Send instructions to the bank", "OUT", "PAYOUT_INSTRUCTION"),
    JobSpec("bank_pull", "jobs.bank.pull:pull_payout_results", "bank",
            "Ambil hasil pembayaran dari Bank NTT", "Fetch payout results from Bank NTT",
            "Ambil hasil bank", "Fetch bank results", "IN", "PAYOUT_RESULT"),
    JobSpec("bpjs_push", "jobs.bpjs.push:push_payout_status", "bpjs",
            "Laporkan status pembayaran ke BPJS", "Report payout status to BPJS",
            "Lapor status ke BPJS", "Report status to BPJS", "OUT", "PAYOUT_STATUS"),
)}


class UnknownJob(ValueError):
    def __init__(self, job_id: str):
        self.job_id = job_id
        super().__init__(f"Tugas tidak dikenal / unknown job: {job_id!r}; pilih / choose: {', '.join(JOBS)}")


def get_job(job_id: str) -> JobSpec:
    try:
        return JOBS[job_id]
    except KeyError:
        raise UnknownJob(job_id) from None


def partner_label(partner: str) -> str:
    """The partner's name for people (Bahasa Indonesia); an unknown id is shown as it is."""
    known = PARTNERS.get(partner)
    return known.label if known else partner
