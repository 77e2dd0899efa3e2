"""Pre-payout checks: where a payable claim goes before any money moves.

Pure rules over one claim plus two look-ups (the same case already paid); used by the
intake job, by release from hold, by approval and by a resend, so there is one answer to
"may this claim be paid now?".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.claims.statuses import PAYING
from models import Claim, ClaimStatus

S = ClaimStatus
SameCase = Callable[[Claim], str | None]  # -> claim_no of another paying claim of the case, or None
BANK_CODE = re.compile(r"\d{3}")
ACCOUNT_NO = re.compile(r"\d{6,20}")
DEATH_BENEFITS = frozenset({"JKK_MENINGGAL", "JKK_PEMAKAMAN", "JKM"})


@dataclass(frozen=True)
class Verdict:
    status: str  # READY, NEEDS_REVIEW, AWAITING_APPROVAL or REJECTED
    reason: str | None = None  # why it is not READY, in plain Indonesian


def payout_fingerprint(claim: Claim) -> str:
    """What an approver signs off: amount and where the money goes."""
    text = "|".join(str(v) for v in (claim.approved_amount, claim.bank_code, claim.account_no,
                                     claim.beneficiary_name))
    return hashlib.sha256(text.encode()).hexdigest()


def evaluate(claim: Claim, *, approval_threshold: int, instalment_benefits: frozenset[str],
             needs_four_eyes: bool = False, same_case: SameCase | None = None) -> Verdict:
    """The status a claim should take now. `needs_four_eyes`: its bank details were changed by hand.

    `same_case` replaces the database look-up for "same case and benefit already paying"
    (bulk intake answers it from one query per chunk).
    """
    if claim.decision == "REJECTED":
        return Verdict(S.REJECTED, claim.decision_reason)
    problem = _review_problem(claim, instalment_benefits, same_case or same_case_in_db)
    if problem:
        return Verdict(S.NEEDS_REVIEW, problem)
    signed = claim.approved_fingerprint
    approved = signed is not None and signed == payout_fingerprint(claim)
    if needs_four_eyes and not approved:
        return Verdict(S.AWAITING_APPROVAL, "Rekening diubah: perlu persetujuan orang kedua")
    if claim.approved_amount >= approval_threshold and not approved:
        return Verdict(S.AWAITING_APPROVAL,
                       "Nilai santunan di atas batas persetujuan: perlu persetujuan orang kedua")
    return Verdict(S.READY)


def same_case_in_db(claim: Claim) -> str | None:
    other = (Claim.select(Claim.claim_no)
             .where(Claim.case_no == claim.case_no, Claim.benefit_type == claim.benefit_type,
                    Claim.id != (claim.id or 0), Claim.status.in_(PAYING))
             .first())
    return other.claim_no if other else None


def _review_problem(claim: Claim, instalment_benefits: frozenset[str], same_case: SameCase) -> str | None:
    if not claim.bank_code or not claim.account_no:
        return "Rekening bank belum ada: lengkapi kode bank dan nomor rekening"
    if not BANK_CODE.fullmatch(claim.bank_code):
        return f"Kode bank tidak valid ({claim.bank_code}): harus 3 angka"
    if not ACCOUNT_NO.fullmatch(claim.account_no):
        return f"Nomor rekening tidak valid ({claim.account_no}): harus 6-20 angka"
    if claim.approved_amount <= 0:
        return "Nilai santunan nol: tidak ada yang dibayar"
    if claim.beneficiary_relation == "SELF" and claim.beneficiary_nik != claim.nik:
        return "Penerima 'peserta sendiri' tetapi NIK penerima berbeda dari NIK peserta"
    if claim.benefit_type in DEATH_BENEFITS and claim.beneficiary_relation == "SELF":
        return "Santunan kematian tidak bisa dibayar ke peserta sendiri: perlu data ahli waris"
    if claim.benefit_type not in instalment_benefits:
        other = same_case(claim)
        if other:
            return (f"Kasus {claim.case_no} dengan manfaat {claim.benefit_type} sudah dibayar, dikirim atau "
                    f"antre bayar lewat klaim {other}: kemungkinan pembayaran ganda")
    return None
