"""Deterministic demo data: realistic NTT claims in every status, up to 1,000,000 claims.

Rows are generated case by case and written with bulk inserts in chunks, with explicit ids,
so a million claims take about a minute. The payout trail is consistent: every INSTRUCTED,
PAID or PAYOUT_FAILED claim has its instruction in a batch whose file totals tie out, so
`python run.py check` passes on demo data.

The dates tell one story, as a coordinator would expect (issue 14): claims run forward in time
from just after `programme_start` to a few days before `today`; each accident is after the
programme started and before BPJS verified the claim; BPJS's file of the day is dated the
night after the verifications it carries and is pulled at 01:00 WITA; the bank batch goes at
02:00 WITA and is answered within about a day.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from core.audit_chain import MONEY, link_rows
from core.claims.checks import payout_fingerprint
from core.claims.name_search import index_new_names
from core.claims.payment_duty import PaymentDuty
from core.claims.statuses import FIRST, SENT_TO_BANK
from core.claims.tally import count_new_claims
from core.db import bulk_insert, is_postgres, write_tx
from core.reference import Reference
from demo.people import FIRST_MEN, FIRST_WOMEN, SURNAMES, beneficiary_for, death_heir, nik
from models import (
    BatchFile,
    BatchStatus,
    Claim,
    ClaimEvent,
    ClaimStatus,
    FileStatus,
    InstructionStatus,
    PayoutBatch,
    PayoutInstruction,
    User,
    Worker,
    db,
)

log = logging.getLogger(__name__)
S = ClaimStatus
R = InstructionStatus
WAGE = 1_000_000  # pekerja rentan are enrolled at the lowest declared income

# Final status mix of the demo claims (roughly what a busy programme looks like).
STATUS_WEIGHTS = ((S.PAID, 55), (S.INSTRUCTED, 7), (S.READY, 8), (S.NEEDS_REVIEW, 6),
                  (S.AWAITING_APPROVAL, 3), (S.ON_HOLD, 3), (S.PAYOUT_FAILED, 5), (S.REJECTED, 9),
                  (S.CANCELLED, 4))
FAILURES = ("ACCOUNT_CLOSED", "ACCOUNT_NOT_FOUND", "NAME_MISMATCH", "ACCOUNT_DORMANT")
HOLD_REASONS = ("Menunggu konfirmasi ahli waris dari desa", "Cek ulang KTP penerima",
                "Ahli waris lebih dari satu: menunggu surat keterangan waris")
CANCEL_REASONS = ("Ditarik BPJS: klaim ganda", "Dibatalkan supervisor: peserta tidak terdaftar")
REJECT_REASONS = ("Kecelakaan di luar hubungan kerja", "Berkas tidak lengkap setelah 3 kali diminta",
                  "Kepesertaan tidak aktif saat kejadian")
BATCH_SIZE = 500
CHUNK_CASES = 4000
NOW = dt.datetime(2026, 11, 20, 2, 0)  # fixed, so the data set is the same on every run
PROGRAMME_START = dt.date(2025, 7, 21)  # the configuration's default `programme_start`
WITA = dt.timedelta(hours=8)  # stored datetimes are naive UTC; the programme's day is WITA's


class DemoError(Exception):
    """Demo data asked for where it does not belong (a database that already holds claims)."""


class _Ids(SimpleNamespace):  # the last id given out per table: rows are written with explicit ids
    def __init__(self) -> None:
        super().__init__(worker=0, claim=0, event=0, instruction=0, batch=0, file=0)


@dataclass
class _Chunk:
    workers: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    instructions: list[dict] = field(default_factory=list)
    batches: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)


def generate(n: int, seed: int = 1, *, reference: Reference, approval_threshold: int = 50_000_000,
             today: dt.date | None = None, duty: PaymentDuty | None = None,
             programme_start: dt.date = PROGRAMME_START) -> int:
    """Fill an empty database with about `n` demo claims; returns the number written.

    `duty` dates each claim's payment duty (default: the reference's duties, no local days off).
    No accident is before `programme_start` (pre-payout check 4). Raises DemoError when the
    database already holds claims.
    """
    if Claim.select().exists():
        raise DemoError(f"Database sudah berisi {Claim.select().count()} klaim: data demo hanya untuk "
                        "database kosong / the database already holds claims")
    duty = duty or PaymentDuty({code: rule.duty_days for code, rule in reference.benefits.items()})
    gen = _Generator(random.Random(seed), reference, approval_threshold, today or NOW.date(), duty,
                     programme_start)
    written = 0
    with write_tx():
        for chunk in gen.chunks(n):
            _insert(chunk)
            written += len(chunk.claims)
            if written % 100_000 < len(chunk.claims):
                log.info("data demo: %d klaim", written)
        index_new_names()  # the name search's index (core/claims/name_search.py), in one pass
        count_new_claims()  # the claim tally (core/claims/tally.py), in one pass
    if is_postgres():
        _reset_sequences()
    return written


def _insert(chunk: _Chunk) -> None:
    link_rows(MONEY, chunk.events)  # the demo's events are links of the money chain too (`check`)
    for model, rows in ((Worker, chunk.workers), (BatchFile, chunk.files), (PayoutBatch, chunk.batches),
                        (Claim, chunk.claims), (PayoutInstruction, chunk.instructions),
                        (ClaimEvent, chunk.events)):
        bulk_insert(model, rows)


def _reset_sequences() -> None:
    for model in (Worker, BatchFile, PayoutBatch, Claim, PayoutInstruction, ClaimEvent, User):
        table = model._meta.table_name
        db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                       f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)")


class _Generator:
    def __init__(self, rnd: random.Random, reference: Reference, threshold: int, today: dt.date,
                 duty: PaymentDuty, programme_start: dt.date = PROGRAMME_START):
        self.rnd, self.ref, self.threshold, self.today, self.duty = rnd, reference, threshold, today, duty
        self.start = programme_start
        # BPJS verifies claims from two weeks after the start to three days before today.
        self.first_day = min(programme_start + dt.timedelta(days=14), today - dt.timedelta(days=3))
        self.span = max(0, (today - dt.timedelta(days=3) - self.first_day).days)
        self.total = 1
        self.file_seq: dict[dt.date, int] = {}  # BPJS's files of each day, for their names
        self.ids = _Ids()
        self.kabupaten = sorted(reference.codes("kabupaten"))
        self.occupations = sorted(reference.codes("occupation") - {"LAINNYA"})
        statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
        self.statuses, self.weights = statuses, weights
        self.pending_batch: list[dict] = []  # instructions waiting for their batch to fill
        self.source_file: dict | None = None
        self.source_day: dt.date | None = None
        self.source_line = 0

    def chunks(self, n: int) -> Iterator[_Chunk]:
        case_no = 0
        made = 0
        self.total = max(n, 1)
        while made < n:
            chunk = _Chunk()
            for _ in range(CHUNK_CASES):
                if made >= n:
                    break
                case_no += 1
                made += self._case(chunk, case_no, n - made, self._day(made))
            self._close_batch(chunk, force=True)  # a batch never spans two chunks
            yield chunk

    def _day(self, made: int) -> dt.date:
        """The day (WITA) BPJS verifies the case begun after `made` claims: time runs forward."""
        return self.first_day + dt.timedelta(days=self.span * made // self.total)

    # -- one accident case: a worker and the several payments it yields -------------------
    def _case(self, chunk: _Chunk, case_no: int, room: int, day: dt.date) -> int:
        rnd = self.rnd
        worker = self._worker(chunk)
        # After the programme started (check 4) and at least two days before BPJS verified it.
        earliest = max(self.start, day - dt.timedelta(days=60))
        accident = earliest + dt.timedelta(days=rnd.randint(0, max(0, (day - earliest).days - 2)))
        kind = rnd.choices(("stmb", "cacat", "meninggal", "jkm", "biaya"), (45, 10, 12, 13, 20))[0]
        heir = death_heir(worker, rnd)
        payments: list[tuple[str, int]] = []
        if kind == "stmb":
            for month in range(min(rnd.randint(1, 8), room)):
                payments.append(("JKK_STMB", WAGE if month < 12 else WAGE // 2))
        elif kind == "cacat":
            pct = rnd.choice((100, 100, 50, 30, 10))
            payments.append(("JKK_CACAT", 56 * WAGE * pct // 100))
        elif kind == "meninggal":  # the death benefit, the periodic benefit paid at once, the funeral
            payments.append(("JKK_MENINGGAL", 48 * WAGE))
            payments.append(("JKK_SANTUNAN_BERKALA", 12_000_000))
            payments.append(("JKK_PEMAKAMAN", 10_000_000))
            for _ in range(rnd.randint(0, 2)):
                payments.append(("BEASISWA", rnd.choice((1_500_000, 2_000_000, 3_000_000, 12_000_000))))
        elif kind == "jkm":
            payments.append(("JKM", 42_000_000))
        else:
            payments.append(("JKK_PENGGANTIAN_BIAYA", rnd.randrange(300_000, 5_000_000, 50_000)))
        payments = payments[:room]
        for seq, (benefit, amount) in enumerate(payments, start=1):
            who = beneficiary_for(benefit, worker, heir, rnd)
            # Verified during BPJS's office hours of `day`, 08:00-16:00 WITA, stored as naive UTC.
            verified = dt.datetime.combine(day, dt.time(8)) - WITA + dt.timedelta(minutes=rnd.randint(0, 480))
            self._claim(chunk, worker, case_no, seq, accident, benefit, amount, who, verified)
        return len(payments)

    def _worker(self, chunk: _Chunk) -> dict:
        rnd = self.rnd
        self.ids.worker += 1
        woman = rnd.random() < 0.35
        name = f"{rnd.choice(FIRST_WOMEN if woman else FIRST_MEN)} {rnd.choice(SURNAMES)}"
        kab = rnd.choice(self.kabupaten)
        born = dt.date(rnd.randint(1960, 2004), rnd.randint(1, 12), rnd.randint(1, 28))
        worker = {"id": self.ids.worker, "kpj": f"{26_000_000_000 + self.ids.worker:011d}",
                  "nik": nik(kab, born, woman, rnd), "name": name, "kabupaten_code": kab,
                  "occupation": rnd.choice(self.occupations)}
        chunk.workers.append(worker)
        return worker

    def _claim(self, chunk: _Chunk, worker: dict, case_no: int, seq: int, accident: dt.date,
               benefit: str, amount: int, who: dict, verified: dt.datetime) -> None:
        rnd = self.rnd
        self.ids.claim += 1
        status = rnd.choices(self.statuses, self.weights)[0]
        if status == S.AWAITING_APPROVAL and amount < self.threshold:
            status = S.NEEDS_REVIEW
        file_row, line = self._source(chunk, (verified + WITA).date())
        received = file_row["created_at"] + dt.timedelta(seconds=line)  # pulled with its file
        claim: dict[str, Any] = {
            "id": self.ids.claim, "claim_no": f"KLM-{accident:%Y%m}-{self.ids.claim:08d}", "revision": 1,
            "case_no": f"KSS-{case_no:09d}", "worker": worker["id"], "kpj": worker["kpj"],
            "nik": worker["nik"], "worker_name": worker["name"],
            "kabupaten_code": worker["kabupaten_code"], "occupation": worker["occupation"],
            "accident_date": accident, "benefit_type": benefit,
            "decision": "REJECTED" if status == S.REJECTED else "APPROVED",
            "approved_amount": 0 if status == S.REJECTED else amount,
            "decision_reason": rnd.choice(REJECT_REASONS) if status == S.REJECTED else None,
            **who, "bank_code": "130", "account_no": f"{rnd.randint(10**9, 10**12 - 1)}",
            "verified_at": verified, "status": status,
            "payment_due_date": self.duty.due_date(benefit, verified),
            "status_changed_at": received, "hold_reason": None, "review_reason": None, "flagged": False,
            "source_file": file_row["id"], "source_line": line, "received_at": received,
            "updated_at": received, "report_pending": False,
            # insert_many takes its columns from the first row: every row carries every key
            "instruction_id": None, "batch_id": None, "bank_reference": None, "paid_date": None,
            "failure_code": None, "reported_status": None, "reported_at": None, "approved_by": None,
            "approved_fingerprint": None,
        }
        if status == S.NEEDS_REVIEW:
            claim["account_no"] = None
            claim["review_reason"] = "Rekening bank belum ada: lengkapi kode bank dan nomor rekening"
        elif status == S.ON_HOLD:
            claim["hold_reason"] = rnd.choice(HOLD_REASONS)
        elif status == S.CANCELLED:
            claim["hold_reason"] = rnd.choice(CANCEL_REASONS)
        elif status == S.AWAITING_APPROVAL:
            claim["review_reason"] = "Nilai santunan di atas batas persetujuan: perlu persetujuan orang kedua"
        if claim["approved_amount"] >= self.threshold and status not in (S.AWAITING_APPROVAL, S.REJECTED):
            claim["approved_by"] = "supervisor.demo"
            claim["approved_fingerprint"] = payout_fingerprint(SimpleNamespace(**claim))
        chunk.claims.append(claim)
        first = status if status in FIRST else S.READY
        self._event(chunk, claim, received, "job:bpjs_pull", "RECEIVED", None, first)
        if status in SENT_TO_BANK:
            self._instruct(chunk, claim, status)
        elif status not in (first,):
            self._event(chunk, claim, received + dt.timedelta(days=1), "koordinator.demo",
                        "HOLD" if status == S.ON_HOLD else "CANCEL", first, status, claim["hold_reason"])

    def _source(self, chunk: _Chunk, verified_day: dt.date) -> tuple[dict, int]:
        """BPJS's file carrying the claims verified on `verified_day` (WITA): dated the next day,
        pulled at 01:00 WITA; a new one every 1,000 lines."""
        if self.source_file is None or self.source_day != verified_day or self.source_line >= 1000:
            self.source_day = verified_day
            self.ids.file += 1
            self.source_line = 1
            dated = verified_day + dt.timedelta(days=1)
            self.file_seq[dated] = self.file_seq.get(dated, 0) + 1
            pulled = dt.datetime.combine(dated, dt.time(1)) - WITA
            self.source_file = {
                "id": self.ids.file, "direction": "IN", "partner": "bpjs", "file_type": "VERIFIED_CLAIMS",
                "name": f"BPJSTK_KLAIM_{dated:%Y%m%d}_{self.file_seq[dated]:02d}.txt",
                "sha256": f"{self.ids.file:064x}", "file_id": f"BPJS-DEMO-{self.ids.file:06d}",
                "status": FileStatus.PROCESSED, "record_count": 0, "control_total": 0, "applied_count": 0,
                "error_count": 0, "created_at": pulled, "processed_at": pulled + dt.timedelta(minutes=10),
                "delivered_at": None}
            chunk.files.append(self.source_file)
        self.source_line += 1
        self.source_file["record_count"] += 1
        self.source_file["applied_count"] += 1
        return self.source_file, self.source_line

    def _instruct(self, chunk: _Chunk, claim: dict, status: str) -> None:
        self.ids.instruction += 1
        instruction = {
            "id": self.ids.instruction, "instruction_id": f"INS{self.ids.instruction:012d}",
            "claim": claim["id"], "beneficiary_name": claim["beneficiary_name"],
            "bank_code": claim["bank_code"], "account_no": claim["account_no"],
            "amount": claim["approved_amount"], "remark": f"SANTUNAN JKK {claim['claim_no']}"[:35],
            "result_status": R.SENT, "_final": status, "bank_reference": None, "value_date": None,
            "failure_code": None, "failure_reason": None, "result_at": None,
        }
        # bank_push sends each night's READY claims: a batch holds the claims of one BPJS pull.
        if self.pending_batch and self.pending_batch[-1]["_received"].date() != claim["received_at"].date():
            self._close_batch(chunk, force=True)
        instruction["_received"] = claim["received_at"]
        self.pending_batch.append(instruction)
        claim["instruction_id"] = instruction["instruction_id"]
        if len(self.pending_batch) >= BATCH_SIZE:
            self._close_batch(chunk, force=True)

    def _close_batch(self, chunk: _Chunk, force: bool) -> None:
        """Write the pending instructions as one delivered batch with its file and results."""
        if not self.pending_batch or not force:
            return
        rnd = self.rnd
        self.ids.batch += 1
        self.ids.file += 1
        claims = {c["id"]: c for c in chunk.claims}
        # 02:00 WITA, an hour after the pull that brought the claims.
        sent_at = max(i.pop("_received") for i in self.pending_batch) + dt.timedelta(hours=1)
        batch_id = f"{sent_at:%Y%m%d}{self.ids.batch:06d}"
        total = sum(i["amount"] for i in self.pending_batch)
        file_row = {"id": self.ids.file, "direction": "OUT", "partner": "bank",
                    "file_type": "PAYOUT_INSTRUCTION", "name": f"NTTPAY_{sent_at:%Y%m%d}_{batch_id}.txt",
                    "sha256": f"{self.ids.file:064x}", "file_id": batch_id, "status": FileStatus.DELIVERED,
                    "record_count": len(self.pending_batch), "control_total": total,
                    "applied_count": len(self.pending_batch), "error_count": 0, "created_at": sent_at,
                    "delivered_at": sent_at, "processed_at": None}
        any_sent = any(i["_final"] == S.INSTRUCTED for i in self.pending_batch)
        chunk.files.append(file_row)
        chunk.batches.append({"id": self.ids.batch, "batch_id": batch_id, "file": file_row["id"],
                              "instruction_count": len(self.pending_batch), "total_amount": total,
                              "status": BatchStatus.DELIVERED if any_sent else BatchStatus.COMPLETE,
                              "created_at": sent_at,
                              "delivered_at": sent_at,
                              "completed_at": None if any_sent else sent_at + dt.timedelta(days=1)})
        for line, instruction in enumerate(self.pending_batch, start=2):
            final = instruction.pop("_final")
            claim = claims[instruction["claim"]]
            instruction.update(batch=self.ids.batch, line_no=line)
            claim["batch_id"] = batch_id
            self._event(chunk, claim, sent_at, "job:bank_push", "INSTRUCTED", S.READY, S.INSTRUCTED,
                        details={"instruction_id": instruction["instruction_id"], "batch_id": batch_id})
            result_at = sent_at + dt.timedelta(hours=rnd.randint(4, 30))
            if final == S.PAID:
                paid = (result_at + WITA).date()  # the value date is the bank's (WITA) day
                instruction.update(result_status=R.SUCCESS, value_date=paid, result_at=result_at,
                                   bank_reference=f"NTT{result_at:%y%m%d}{instruction['id']:09d}")
                claim.update(bank_reference=instruction["bank_reference"], paid_date=paid,
                             reported_status="PAID", reported_at=result_at + dt.timedelta(hours=8))
            elif final == S.PAYOUT_FAILED:
                code = rnd.choice(FAILURES)
                instruction.update(result_status=R.FAILED, failure_code=code, result_at=result_at,
                                   failure_reason=self.ref.label("failure_code", code))
                claim.update(failure_code=code, reported_status="FAILED",
                             reported_at=result_at + dt.timedelta(hours=8))
            if final != S.INSTRUCTED:
                claim["status_changed_at"] = claim["updated_at"] = result_at
                self._event(chunk, claim, result_at, "job:bank_pull", final, S.INSTRUCTED, final)
            else:
                claim["status_changed_at"] = claim["updated_at"] = sent_at
            chunk.instructions.append(instruction)
        self.pending_batch = []

    def _event(self, chunk: _Chunk, claim: dict, at: dt.datetime, actor: str, action: str,
               from_status: str | None, to_status: str, reason: str | None = None,
               details: dict | None = None) -> None:
        self.ids.event += 1
        chunk.events.append({"id": self.ids.event, "claim": claim["id"], "at": at, "actor": actor,
                             "action": action, "from_status": from_status, "to_status": to_status,
                             "reason": reason, "details": _json(details)})


def _json(details: dict | None) -> str | None:
    if not details:
        return None
    import json

    return json.dumps(details)
