"""The money invariants: what must hold whatever crashed, when, and how often it re-ran.

`check_all()` returns the broken ones (empty list: all hold). Run by `python run.py
check`, after every crash test, and cheap enough for a daily look at a million claims:
each invariant is one grouped query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from peewee import JOIN, fn

from core.claims.tally import tally_differences
from models import BatchFile, Claim, ClaimStatus, InstructionStatus, PayoutBatch, PayoutInstruction

R = InstructionStatus
EXAMPLES = 5


@dataclass(frozen=True)
class Violation:
    name: str
    description: str  # Bahasa Indonesia / English
    count: int
    examples: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.examples)
        more = f" (+{self.count - len(self.examples)} lagi)" if self.count > len(self.examples) else ""
        return f"{self.name}: {self.description}: {self.count} -> {shown}{more}"


def check_all() -> list[Violation]:
    """Every broken invariant, with up to five examples each."""
    found = []
    for name, (description, check) in INVARIANTS.items():
        examples = check()
        if examples:
            found.append(Violation(name, description, len(examples), tuple(examples[:EXAMPLES])))
    return found


def _one_success_per_claim() -> list[str]:
    query = (PayoutInstruction.select(Claim.claim_no, fn.COUNT(PayoutInstruction.id).alias("n"))
             .join(Claim).where(PayoutInstruction.result_status == R.SUCCESS)
             .group_by(Claim.claim_no).having(fn.COUNT(PayoutInstruction.id) > 1))
    return [f"{row.claim.claim_no} ({row.n}x)" for row in query]


def _one_live_instruction_per_claim() -> list[str]:
    query = (PayoutInstruction.select(Claim.claim_no, fn.COUNT(PayoutInstruction.id).alias("n"))
             .join(Claim).where(PayoutInstruction.result_status.in_(R.LIVE))
             .group_by(Claim.claim_no).having(fn.COUNT(PayoutInstruction.id) > 1))
    return [f"{row.claim.claim_no} ({row.n}x)" for row in query]


def _instructed_equals_approved() -> list[str]:
    query = (PayoutInstruction.select(PayoutInstruction.instruction_id, PayoutInstruction.amount,
                                      Claim.claim_no, Claim.approved_amount)
             .join(Claim)
             .where(PayoutInstruction.result_status.in_(R.LIVE),
                    PayoutInstruction.amount != Claim.approved_amount))
    return [f"{row.instruction_id}/{row.claim.claim_no}: {row.amount} != {row.claim.approved_amount}"
            for row in query]


def _instruction_in_one_file() -> list[str]:
    query = (PayoutInstruction.select(PayoutInstruction.instruction_id, PayoutBatch.batch_id)
             .join(PayoutBatch).join(BatchFile, JOIN.LEFT_OUTER, on=(PayoutBatch.file == BatchFile.id))
             .where(BatchFile.id.is_null() | (BatchFile.file_id != PayoutBatch.batch_id)))
    return [f"{row.instruction_id} (batch {row.batch.batch_id})" for row in query]


def _batch_totals_tie_out() -> list[str]:
    sums = (PayoutInstruction.select(PayoutInstruction.batch, fn.COUNT(PayoutInstruction.id).alias("n"),
                                     fn.SUM(PayoutInstruction.amount).alias("total"))
            .group_by(PayoutInstruction.batch).alias("sums"))
    query = (PayoutBatch.select(PayoutBatch.batch_id, PayoutBatch.instruction_count, PayoutBatch.total_amount,
                                BatchFile.record_count, BatchFile.control_total, sums.c.n, sums.c.total)
             .join(BatchFile, JOIN.LEFT_OUTER, on=(PayoutBatch.file == BatchFile.id))
             .switch(PayoutBatch)
             .join(sums, JOIN.LEFT_OUTER, on=(sums.c.batch_id == PayoutBatch.id))
             .objects())
    broken = []
    for row in query:
        n, total = row.n or 0, int(row.total or 0)
        counts_tie = n == row.instruction_count == row.record_count
        if not (counts_tie and total == row.total_amount == row.control_total):
            broken.append(f"{row.batch_id}: {n} baris/Rp {total} vs batch {row.instruction_count}/"
                          f"{row.total_amount}, berkas {row.record_count}/{row.control_total}")
    return broken


def _paid_has_reference() -> list[str]:
    query = (Claim.select(Claim.claim_no)
             .join(PayoutInstruction, JOIN.LEFT_OUTER,
                   on=((PayoutInstruction.claim == Claim.id)
                       & (PayoutInstruction.instruction_id == Claim.instruction_id)))
             .where(Claim.status == ClaimStatus.PAID,
                    Claim.bank_reference.is_null() | (Claim.bank_reference == "")
                    | PayoutInstruction.id.is_null() | (PayoutInstruction.result_status != R.SUCCESS)))
    return [row.claim_no for row in query]


def _instructed_has_live_instruction() -> list[str]:
    query = (Claim.select(Claim.claim_no)
             .join(PayoutInstruction, JOIN.LEFT_OUTER,
                   on=((PayoutInstruction.claim == Claim.id)
                       & (PayoutInstruction.instruction_id == Claim.instruction_id)))
             .where(Claim.status == ClaimStatus.INSTRUCTED,
                    PayoutInstruction.id.is_null() | (PayoutInstruction.result_status != R.SENT)))
    return [row.claim_no for row in query]


def _live_instruction_matches_claim() -> list[str]:
    """A SENT instruction belongs to an INSTRUCTED claim, a SUCCESS to a PAID one (or a flagged one)."""
    query = (PayoutInstruction.select(PayoutInstruction.instruction_id, PayoutInstruction.result_status,
                                      Claim.claim_no, Claim.status)
             .join(Claim)
             .where(((PayoutInstruction.result_status == R.SENT) & (Claim.status != ClaimStatus.INSTRUCTED))
                    | ((PayoutInstruction.result_status == R.SUCCESS) & (Claim.status != ClaimStatus.PAID))))
    return [f"{row.instruction_id} {row.result_status} / {row.claim.claim_no} {row.claim.status}"
            for row in query]


INVARIANTS: dict[str, tuple[str, Callable[[], list[str]]]] = {
    "one_success_per_claim": (
        "klaim dengan lebih dari satu pembayaran berhasil / claim paid more than once",
        _one_success_per_claim),
    "one_live_instruction_per_claim": (
        "klaim dalam dua instruksi hidup sekaligus / claim in two live instructions",
        _one_live_instruction_per_claim),
    "instructed_equals_approved": (
        "nilai instruksi berbeda dari nilai disetujui / instructed amount differs from approved amount",
        _instructed_equals_approved),
    "instruction_in_one_file": (
        "instruksi tanpa berkas batch yang tepat / instruction not in exactly one batch file",
        _instruction_in_one_file),
    "batch_totals_tie_out": (
        "jumlah baris atau total batch tidak cocok dengan berkasnya / batch count or total differs from "
        "its file",
        _batch_totals_tie_out),
    "paid_has_bank_reference": (
        "klaim berhasil dibayar tanpa referensi bank atau hasil SUCCESS / PAID claim without bank reference "
        "or SUCCESS result",
        _paid_has_reference),
    "instructed_has_live_instruction": (
        "klaim 'Dikirim ke Bank' tanpa instruksi yang menunggu hasil / INSTRUCTED claim without a sent "
        "instruction",
        _instructed_has_live_instruction),
    "live_instruction_matches_claim": (
        "status instruksi tidak cocok dengan status klaim / instruction result does not match claim status",
        _live_instruction_matches_claim),
    "tally_matches_claims": (
        "ringkasan klaim per status tidak cocok dengan klaimnya / the claim tally differs from the claims",
        tally_differences),
}
