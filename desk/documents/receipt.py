"""BUKTI_BAYAR_<claim_no>.pdf: the receipt a family asks for, for a PAID claim only (contract section 9).

A claim that is not PAID gets no receipt: a paper saying money was paid when the bank has
not confirmed it is worse than none. `paid_claim` refuses it before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from core.reference import Reference
from core.text import fmt
from core.text.i18n import t
from core.text.words import rupiah_words
from desk.documents.data import file_part, paid_claim
from desk.documents.pdf import LANG, Document
from models import Claim, User


def write_receipt(claim_no: str, out_dir: Path, reference: Reference, user: User | None = None,
                  *, zone: str = fmt.DEFAULT_ZONE) -> Path:
    """Write the receipt of `claim_no` into `out_dir`; returns its path. Raises Refused (nothing
    written) for an unknown claim, one outside the user's desk, or one not PAID."""
    claim = paid_claim(claim_no, user)
    return receipt(claim, reference, zone).save(out_dir / f"BUKTI_BAYAR_{file_part(claim.claim_no)}.pdf")


def receipt(claim: Claim, reference: Reference, zone: str) -> Document:
    doc = Document(t("doc.receipt.title", LANG, claim=claim.claim_no), zone=zone)
    doc.paragraph(t("doc.receipt.opening", LANG))
    holder = claim.account_holder_name or claim.beneficiary_name
    doc.fields([
        (t("doc.claim_no", LANG), claim.claim_no),
        (t("doc.case_no", LANG), claim.case_no),
        (t("doc.beneficiary", LANG), claim.beneficiary_name),
        (t("doc.relation", LANG), reference.label("beneficiary_relation", claim.beneficiary_relation, LANG)),
        (t("doc.worker", LANG), f"{claim.worker_name} (KPJ {claim.kpj})"),
        (t("doc.kabupaten", LANG), reference.label("kabupaten", claim.kabupaten_code, LANG)),
        (t("doc.benefit", LANG), reference.label("benefit_type", claim.benefit_type, LANG)),
        (t("doc.amount", LANG), fmt.rupiah(claim.approved_amount)),
        (t("doc.in_words", LANG), rupiah_words(claim.approved_amount)),
        (t("doc.bank", LANG) + " / " + t("doc.bank_code", LANG), claim.bank_code or ""),
        (t("doc.account", LANG), f"{claim.account_no or ''} a.n. {holder}"),
        (t("doc.bank_reference", LANG), claim.bank_reference or ""),
        (t("doc.paid_date", LANG), fmt.date(claim.paid_date, LANG)),
        (t("doc.batch_instruction", LANG), f"{claim.batch_id or '-'} / {claim.instruction_id or '-'}"),
    ])
    doc.ln(2)
    doc.paragraph(t("doc.receipt.closing", LANG))
    doc.signatures([(t("doc.sign.office", LANG), t("doc.office", LANG)),
                    (t("doc.sign.bank", LANG), t("doc.bank", LANG))],
                   t("doc.place_date", LANG, date=fmt.date(fmt.local_today(zone), LANG)))
    return doc
