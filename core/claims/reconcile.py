"""Applying PAYOUT_RESULT records to the instructions they answer and to their claims.

Per instruction the results move SENT -> SUCCESS or FAILED, and SUCCESS ->
RETURNED; the claim follows (PAID, PAYOUT_FAILED, PAYOUT_FAILED again). The same result
again is harmless. Anything else is a contradiction: a different amount, SUCCESS after
FAILED or the reverse, RETURNED without SUCCESS, another bank reference for the same
credit. A contradiction is never applied: the claim is flagged for a coordinator, keeps
its status, and the file's report names it. An instruction id we never sent is reported.

`Reconciler.apply(records)` handles one chunk inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.claims.states import record_event, transition
from core.db import is_postgres
from core.text import fmt
from models import (
    BatchFile,
    BatchStatus,
    Claim,
    ClaimStatus,
    FileStatus,
    InstructionStatus,
    PayoutBatch,
    PayoutInstruction,
    utcnow,
)

S = ClaimStatus
R = InstructionStatus
ACTOR = "job:bank_pull"
# The moves a result may make; any other change is a contradiction.
MOVES = frozenset({(R.SENT, R.SUCCESS), (R.SENT, R.FAILED), (R.SUCCESS, R.RETURNED)})


@dataclass
class Note:
    line_no: int
    key: str
    field: str
    message: str
    flagged: bool = False  # a claim was flagged for a coordinator


@dataclass
class ReconcileReport:
    applied: Counter[str] = field(default_factory=Counter)  # SUCCESS / FAILED / RETURNED applied
    repeats: int = 0
    contradictions: int = 0
    unknown: int = 0
    completed_batches: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


class Reconciler:
    def __init__(self, result_file: BatchFile, batch: PayoutBatch, actor: str = ACTOR):
        self.result_file = result_file
        self.batch = batch
        self.actor = actor
        # The WITA day the batch reached the bank: no credit of it can be dated earlier.
        self.sent_on = fmt.to_local(batch.delivered_at).date() if batch.delivered_at else None

    def apply(self, records: Iterable[tuple[int, Mapping[str, Any]]]) -> ReconcileReport:
        """Apply (line_no, values) result records; call inside `write_tx()`."""
        report = ReconcileReport()
        records = list(records)
        instructions = self._instructions({v["instruction_id"] for _, v in records})
        for line_no, values in records:
            instruction = instructions.get(values["instruction_id"])
            if instruction is None:
                report.unknown += 1
                report.notes.append(Note(line_no, values["instruction_id"], "instruction_id",
                                         f"Instruksi {values['instruction_id']} tidak pernah dikirim: hasil "
                                         "ini tidak diterapkan. Tanyakan ke Bank NTT."))
                continue
            early = self._before_sent(values.get("value_date"))
            if early:
                report.notes.append(Note(line_no, values["instruction_id"], "value_date", early))
                continue
            self._apply_one(instruction, line_no, values, report)
        self._complete_batches({i.batch_id for i in instructions.values()}, report)
        return report

    def _before_sent(self, value_date: dt.date | None) -> str | None:
        """Why a value date before the batch reached the bank is refused (contract), or None."""
        if value_date is None or self.sent_on is None or value_date >= self.sent_on:
            return None
        return (f"Tanggal valuta {value_date:%d/%m/%Y} sebelum batch {self.batch.batch_id} dikirim "
                f"({self.sent_on:%d/%m/%Y}): hasil ini tidak diterapkan. Minta Bank NTT memeriksa dan "
                "mengirimnya ulang.")

    def _instructions(self, ids: set[str]) -> dict[str, PayoutInstruction]:
        query = PayoutInstruction.select().where(PayoutInstruction.instruction_id.in_(list(ids)))
        if is_postgres():
            query = query.for_update()
        return {i.instruction_id: i for i in query}

    def _apply_one(self, ins: PayoutInstruction, line_no: int, values: Mapping[str, Any],
                   report: ReconcileReport) -> None:
        status, amount = values["status"], values["amount"]
        if ins.batch_id != self.batch.id:
            self._contradiction(ins, line_no, values, report,
                                f"instruksi ini milik batch lain, bukan batch {self.batch.batch_id} yang "
                                "dijawab berkas ini")
        elif amount != ins.amount:
            self._contradiction(ins, line_no, values, report,
                                f"nilai {fmt.rupiah(amount)} berbeda dari nilai instruksi "
                                f"{fmt.rupiah(ins.amount)}")
        elif status == ins.result_status:
            if status == R.SUCCESS and values.get("bank_reference") != ins.bank_reference:
                self._contradiction(ins, line_no, values, report,
                                    f"referensi bank {values.get('bank_reference')} berbeda dari "
                                    f"{ins.bank_reference} yang sudah diterima")
            else:
                report.repeats += 1
        elif (ins.result_status, status) in MOVES:
            self._apply_change(ins, line_no, values, report)
        else:
            held = ins.result_status if ins.result_status != R.SENT else "belum ada hasil"
            self._contradiction(ins, line_no, values, report,
                                f"hasil {status} bertentangan dengan hasil sebelumnya ({held})")

    def _apply_change(self, ins: PayoutInstruction, line_no: int, values: Mapping[str, Any],
                      report: ReconcileReport) -> None:
        status = values["status"]
        claim = Claim.get_by_id(ins.claim_id)
        expected = S.PAID if status == R.RETURNED else S.INSTRUCTED
        if claim.status != expected or claim.instruction_id != ins.instruction_id:
            self._contradiction(ins, line_no, values, report,
                                f"klaim {claim.claim_no} berstatus {claim.status} dengan instruksi "
                                f"{claim.instruction_id}, bukan {expected} dengan instruksi "
                                f"{ins.instruction_id}",
                                claim=claim)
            return
        now = utcnow()
        result = {"result_status": status, "result_file": self.result_file.id, "result_at": now}
        details = {"instruction_id": ins.instruction_id, "file": self.result_file.name, "line": line_no}
        if status == R.SUCCESS:
            result.update(bank_reference=values["bank_reference"], value_date=values["value_date"])
            transition(claim, S.PAID, actor=self.actor, action="PAID", details={
                **details, "bank_reference": values["bank_reference"]},
                bank_reference=values["bank_reference"], paid_date=values["value_date"], failure_code=None)
        else:
            result.update(failure_code=values["failure_code"], failure_reason=values.get("failure_reason"))
            action = "RETURNED" if status == R.RETURNED else "PAYOUT_FAILED"
            reason = values.get("failure_reason") or values["failure_code"]
            transition(claim, S.PAYOUT_FAILED, actor=self.actor, action=action, reason=reason,
                       details={**details, "failure_code": values["failure_code"]},
                       failure_code=values["failure_code"], bank_reference=None, paid_date=None)
        (PayoutInstruction.update(**result)
         .where(PayoutInstruction.id == ins.id,
                PayoutInstruction.result_status == ins.result_status).execute())
        for name, value in result.items():
            setattr(ins, name if name != "result_file" else "result_file_id", value)
        report.applied[status] += 1

    def _contradiction(self, ins: PayoutInstruction, line_no: int, values: Mapping[str, Any],
                       report: ReconcileReport, why: str, claim: Claim | None = None) -> None:
        claim = claim or Claim.get_by_id(ins.claim_id)
        message = (f"Hasil bank untuk instruksi {ins.instruction_id} (klaim {claim.claim_no}) tidak "
                   f"diterapkan: {why}. Status klaim tetap {claim.status}; cocokkan dengan Bank NTT.")
        record_event(claim, actor=self.actor, action="RESULT_CONTRADICTION", reason=message,
                     details={"instruction_id": ins.instruction_id, "file": self.result_file.name,
                              "line": line_no,
                              "received": {k: _plain(v) for k, v in values.items()},
                              "held": {"result_status": ins.result_status, "amount": ins.amount,
                                       "bank_reference": ins.bank_reference}},
                     flagged=True, flag_reason=message)
        report.contradictions += 1
        report.notes.append(Note(line_no, ins.instruction_id, "status", f"Ditandai: {message}", flagged=True))

    def _complete_batches(self, batch_ids: set[int], report: ReconcileReport) -> None:
        now = utcnow()
        open_batches = (BatchStatus.WRITTEN, BatchStatus.DELIVERED)
        for batch in PayoutBatch.select().where(PayoutBatch.id.in_(list(batch_ids)),
                                                PayoutBatch.status.in_(open_batches)):
            if batch.status == BatchStatus.WRITTEN:
                # Answered, so delivered: the run that uploaded it stopped before saying so.
                PayoutBatch.update(status=BatchStatus.DELIVERED,
                                   delivered_at=now).where(PayoutBatch.id == batch.id).execute()
                BatchFile.update(status=FileStatus.DELIVERED,
                                 delivered_at=now).where(BatchFile.id == batch.file_id).execute()
            waiting = (PayoutInstruction.select().where(PayoutInstruction.batch == batch.id,
                                                        PayoutInstruction.result_status == R.SENT).exists())
            if not waiting:
                PayoutBatch.update(status=BatchStatus.COMPLETE,
                                   completed_at=now).where(PayoutBatch.id == batch.id).execute()
                report.completed_batches.append(batch.batch_id)

def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value
