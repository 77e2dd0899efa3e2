"""What the documents and the monthly report read, narrowed to the acting user's kabupaten desk.

`claims_of(user)` is the ONE place where the documents and reports (`desk.documents`,
`desk.reports`) limit claims to a user's desk (contract section 8: a kabupaten desk sees its
kabupaten/kota only, documents and reports included); every query of those modules starts from
it, through `within`. `user` None is the operator at the command line, who sees the province
(as `claims export` does). The scope itself is `desk.scope`'s, decided there once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.reference import Reference
from desk.refusal import Refused
from desk.scope import claim_scope, codes_of, ensure_in_scope
from models import Claim, ClaimStatus, PayoutBatch, PayoutInstruction, User

SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def within(query: Any, user: User | None) -> Any:
    """`query` (over Claim, or joined to it) limited to the claims `user` may see."""
    condition = claim_scope(user)
    return query if condition is None else query.where(condition)


def kabupaten_of(user: User | None, reference: Reference) -> list[str]:
    """The kabupaten/kota codes a report lists for `user`: all 22 (reference order), or the desk's."""
    codes = codes_of(user)
    return [code for code in reference.lists["kabupaten"] if codes is None or code in codes]


def file_part(text: str) -> str:
    """A claim number or batch id as it may stand in a file name (no path separator, no space)."""
    return SAFE_NAME.sub("_", text)


@dataclass(frozen=True)
class BatchLines:
    batch: PayoutBatch
    lines: Sequence[dict[str, Any]]  # one per instruction the user may see, in file order

    def counted(self, *results: str) -> tuple[int, int]:
        """(count, Rupiah) of the lines whose bank result is one of `results` (all lines: none given)."""
        chosen = [line for line in self.lines if not results or line["result_status"] in results]
        return len(chosen), sum(line["amount"] for line in chosen)

    @property
    def created_on(self) -> dt.datetime:
        return self.batch.created_at


def batch_lines(batch_id: str, user: User | None) -> BatchLines:
    """The batch `batch_id` and its instructions with their claims; raises Refused when there is no such
    batch, or none of its lines is on the user's desk (a desk does not learn other batches exist)."""
    batch = PayoutBatch.get_or_none(PayoutBatch.batch_id == batch_id)
    query = (PayoutInstruction
             .select(PayoutInstruction.instruction_id, PayoutInstruction.line_no,
                     PayoutInstruction.beneficiary_name, PayoutInstruction.bank_code,
                     PayoutInstruction.account_no, PayoutInstruction.amount, PayoutInstruction.result_status,
                     PayoutInstruction.failure_code, Claim.claim_no, Claim.beneficiary_relation,
                     Claim.kabupaten_code, Claim.benefit_type)
             .join(Claim).where(PayoutInstruction.batch == (batch.id if batch else 0)))
    lines = list(within(query, user).order_by(PayoutInstruction.line_no, PayoutInstruction.id).dicts())
    if batch is None or (not lines and codes_of(user) is not None):
        raise Refused("doc.error.no_batch", batch=batch_id)
    return BatchLines(batch, lines)


def paid_claim(claim_no: str, user: User | None) -> Claim:
    """The claim `claim_no`, PAID, on the user's desk; raises Refused otherwise (nothing is written)."""
    claim = Claim.get_or_none(Claim.claim_no == claim_no)
    if claim is None:
        raise Refused("doc.error.no_claim", claim=claim_no)
    ensure_in_scope(user, claim.kabupaten_code, claim_no)
    if claim.status != ClaimStatus.PAID:
        raise Refused("doc.error.not_paid", claim=claim_no, status=claim.status)
    return claim
