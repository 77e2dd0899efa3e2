"""Applying VERIFIED_CLAIMS records: new claims, corrections, ignored and late revisions.

A record with a new claim_no is a new claim, put through the pre-payout checks
into READY, NEEDS_REVIEW, AWAITING_APPROVAL (or REJECTED when BPJS rejected it). A
higher revision of a claim not yet sent to the bank replaces it (the checks run again);
of a claim already sent, paid or cancelled it is not applied: the claim is flagged for a
coordinator with the differences, and keeps its status and amount. A revision lower than
or equal to the one held is ignored. Both are reported.

`Intake.apply(records)` handles one chunk inside the caller's transaction. New claims,
the bulk of any file, are written with one multi-row insert per table (claims, their
RECEIVED events, new workers) through the state machine's `create_claims`; corrections
go one by one through `transition` and `record_event`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from core.claims.checks import BenefitRules, ChunkLookups, Verdict, evaluate
from core.claims.payment_duty import PaymentDuty
from core.claims.states import create_claims, record_event, transition
from core.claims.statuses import NOT_YET_SENT
from core.db import allocate_ids, bulk_insert, in_values, is_postgres
from core.text import fmt
from models import BatchFile, Claim, ClaimStatus, Worker, utcnow

S = ClaimStatus
ACTOR = "job:bpjs_pull"
CLAIM_FIELDS = ("claim_no", "revision", "case_no", "kpj", "nik", "worker_name", "kabupaten_code",
                "occupation",
                "accident_date", "benefit_type", "decision", "approved_amount", "decision_reason",
                "beneficiary_name", "beneficiary_relation", "beneficiary_nik", "bank_code", "account_no",
                "verified_at")
# Compared for a late correction; the revision number and verification time always differ.
COMPARED = tuple(f for f in CLAIM_FIELDS if f not in ("claim_no", "revision", "verified_at"))
MONEY_FIELDS = ("approved_amount",)


@dataclass
class Note:
    """A record that was read but not applied as sent (ignored or flagged), for the file's report."""

    line_no: int
    claim_no: str
    field: str
    message: str


@dataclass
class IntakeReport:
    new: int = 0
    revised: int = 0
    ignored: int = 0
    flagged: int = 0
    statuses: Counter[str] = field(default_factory=Counter)  # status of each new or revised claim
    notes: list[Note] = field(default_factory=list)


class Intake:
    """Applies VERIFIED_CLAIMS records of one file, chunk by chunk (see module docstring)."""

    def __init__(self, source_file: BatchFile, *, approval_threshold: int,
                 instalment_benefits: frozenset[str], payment_duty: PaymentDuty,
                 benefit_rules: BenefitRules | None = None, actor: str = ACTOR):
        self.source_file = source_file
        self.benefit_rules = benefit_rules  # ceilings, cover, beneficiaries (None: not checked)
        self.payment_duty = payment_duty
        self.approval_threshold = approval_threshold
        self.instalment_benefits = instalment_benefits
        self.actor = actor

    def apply(self, records: Iterable[tuple[int, Mapping[str, Any]]]) -> IntakeReport:
        """Apply (line_no, values) records; call inside `write_tx()`."""
        report = IntakeReport()
        records = [(line_no, claim_values(values)) for line_no, values in records]
        existing = self._existing({v["claim_no"] for _, v in records})
        new: dict[str, tuple[int, dict[str, Any]]] = {}
        revisions: list[tuple[int, dict[str, Any]]] = []
        for line_no, values in records:
            claim_no = values["claim_no"]
            if claim_no in existing:
                revisions.append((line_no, values))
            elif claim_no in new:
                self._same_file_twice(new, line_no, values, report)
            else:
                new[claim_no] = (line_no, values)
        # The other claims the checks compare with (same case, worker, account): a few queries per chunk.
        lookups = ChunkLookups.load([v for _, v in records])
        if new:
            self._insert_new(list(new.values()), lookups, report)
        for line_no, values in revisions:
            self._revise(existing[values["claim_no"]], line_no, values, lookups, report)
        return report

    # -- new claims, in bulk -------------------------------------------------------------
    def _insert_new(self, items: list[tuple[int, dict[str, Any]]], lookups: ChunkLookups,
                    report: IntakeReport) -> None:
        now = utcnow()
        workers = self._workers([v for _, v in items])

        source = json.dumps(self.source_file.name)  # the details JSON, written out: 100k dumps cost 0.3 s
        rows, reasons, details = [], [], []
        for claim_id, (line_no, values) in zip(allocate_ids(Claim, len(items)), items, strict=True):
            candidate = SimpleNamespace(**values, id=None, approved_fingerprint=None)
            verdict = self._check(candidate, lookups)
            lookups.add(values, verdict.status)
            rows.append({**values, "id": claim_id, "worker": workers[values["kpj"]], "status": verdict.status,
                         "received_at": now, "payment_due_date": self._due(values),
                         "review_reason": verdict.reason if verdict.status != S.REJECTED else None,
                         "flagged": False, "report_pending": False, "source_file": self.source_file.id,
                         "source_line": line_no})
            reasons.append(verdict.reason)
            details.append(f'{{"file": {source}, "line": {line_no:d}, "revision": {values["revision"]:d}}}')
            report.statuses[verdict.status] += 1
        report.new += create_claims(rows, actor=self.actor, reasons=reasons, details=details, at=now)

    def _workers(self, values: list[dict[str, Any]]) -> dict[str, int]:
        """kpj -> worker id, creating the workers not seen before."""
        kpjs = {v["kpj"] for v in values}
        known = dict(Worker.select(Worker.kpj, Worker.id).where(in_values(Worker.kpj, kpjs)).tuples())
        missing = {}
        for v in values:
            if v["kpj"] not in known and v["kpj"] not in missing:
                missing[v["kpj"]] = {"kpj": v["kpj"], "nik": v["nik"], "name": v["worker_name"],
                                     "kabupaten_code": v["kabupaten_code"], "occupation": v["occupation"]}
        if missing:
            ids = allocate_ids(Worker, len(missing))
            rows = [{"id": worker_id, **row} for worker_id, row in zip(ids, missing.values(), strict=True)]
            bulk_insert(Worker, rows)
            known.update((row["kpj"], row["id"]) for row in rows)
        return known

    def _existing(self, claim_nos: set[str]) -> dict[str, Claim]:
        query = Claim.select().where(in_values(Claim.claim_no, claim_nos))
        if is_postgres():
            query = query.for_update()  # corrections decide from what they read
        return {c.claim_no: c for c in query}

    def _same_file_twice(self, new: dict[str, tuple[int, dict[str, Any]]], line_no: int,
                         values: dict[str, Any], report: IntakeReport) -> None:
        """A claim_no twice in one chunk before it exists: keep the higher revision."""
        first_line, first = new[values["claim_no"]]
        if values["revision"] > first["revision"]:
            new[values["claim_no"]] = (line_no, values)
            line_no, values, kept = first_line, first, values
        else:
            kept = first
        report.ignored += 1
        report.notes.append(Note(line_no, values["claim_no"], "revision",
                                 f"Diabaikan: revisi {values['revision']} klaim {values['claim_no']}; revisi "
                                 f"{kept['revision']} dari berkas yang sama yang dipakai"))

    # -- corrections, one by one through the state machine -------------------------------
    def _revise(self, claim: Claim, line_no: int, values: dict[str, Any], lookups: ChunkLookups,
                report: IntakeReport) -> None:
        if values["revision"] <= claim.revision:
            report.ignored += 1
            report.notes.append(Note(line_no, claim.claim_no, "revision",
                                     f"Diabaikan: revisi {values['revision']} klaim {claim.claim_no} tidak "
                                     f"lebih baru dari revisi {claim.revision} yang sudah ada"))
            return
        changes = {**values, "source_file": self.source_file.id, "source_line": line_no,
                   "payment_due_date": self._due(values)}  # the revision's verified_at restarts the clock
        differences = diff(claim, values)
        details = {"file": self.source_file.name, "line": line_no, "revision": values["revision"],
                   "from_revision": claim.revision, "differences": differences}
        if claim.status not in NOT_YET_SENT:
            self._flag_late(claim, line_no, values, details, report)
            return
        if claim.status == S.ON_HOLD:  # held by a person: corrected, still held; release re-checks
            record_event(claim, actor=self.actor, action="REVISED", details=details, **changes)
            lookups.add(values, claim.status)
        else:
            candidate = SimpleNamespace(**{**claim.__data__, **changes, "id": claim.id})
            verdict = self._check(candidate, lookups)
            lookups.add(values, verdict.status)
            changes["review_reason"] = verdict.reason if verdict.status != S.REJECTED else None
            if verdict.status == claim.status:
                record_event(claim, actor=self.actor, action="REVISED", reason=verdict.reason,
                             details=details,
                             **changes)
            else:
                transition(claim, verdict.status, actor=self.actor, action="REVISED", reason=verdict.reason,
                           details=details, **changes)
        report.revised += 1
        report.statuses[claim.status] += 1

    def _check(self, candidate: Any, lookups: ChunkLookups) -> Verdict:
        return evaluate(candidate, approval_threshold=self.approval_threshold,
                        instalment_benefits=self.instalment_benefits, lookups=lookups,
                        benefit_rules=self.benefit_rules)

    def _due(self, values: Mapping[str, Any]) -> dt.date:
        return self.payment_duty.due_date(values["benefit_type"], values["verified_at"])

    def _flag_late(self, claim: Claim, line_no: int, values: dict[str, Any], details: dict[str, Any],
                   report: IntakeReport) -> None:
        label = {S.INSTRUCTED: "sudah dikirim ke bank", S.PAID: "sudah dibayar",
                 S.PAYOUT_FAILED: "sudah dikirim ke bank (gagal dibayar)",
                 S.CANCELLED: "sudah dibatalkan"}.get(claim.status, claim.status)
        shown = describe_differences(details["differences"]) or "tanpa perbedaan data pembayaran"
        message = (f"Koreksi BPJS revisi {values['revision']} untuk klaim {claim.claim_no} yang {label} "
                   f"tidak diterapkan: {shown}. Status dan nilai klaim tetap; periksa dengan BPJS.")
        record_event(claim, actor=self.actor, action="LATE_CORRECTION", reason=message, details=details,
                     flagged=True, flag_reason=message)
        report.flagged += 1
        report.notes.append(Note(line_no, claim.claim_no, "revision", f"Ditandai: {message}"))


def claim_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The Claim fields of a VERIFIED_CLAIMS record (timestamps to naive UTC, empty to None)."""
    out = {name: values.get(name) for name in CLAIM_FIELDS}
    verified = out["verified_at"]
    if isinstance(verified, dt.datetime) and verified.tzinfo is not None:
        out["verified_at"] = verified.astimezone(dt.UTC).replace(tzinfo=None)
    for name in ("decision_reason", "bank_code", "account_no"):
        if out[name] == "":
            out[name] = None
    return out


def diff(claim: Claim, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """field -> [held, received] for every compared field that differs."""
    out = {}
    for name in COMPARED:
        held, received = getattr(claim, name), values.get(name)
        if _norm(held) != _norm(received):
            out[name] = [held, received]
    return out


def describe_differences(differences: Mapping[str, list[Any]]) -> str:
    parts = []
    for name, (held, received) in differences.items():
        if name in MONEY_FIELDS:
            held, received = fmt.rupiah(held), fmt.rupiah(received)
        parts.append(f"{name} {held or '(kosong)'} -> {received or '(kosong)'}")
    return "; ".join(parts)


def _norm(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return None if value == "" else value
