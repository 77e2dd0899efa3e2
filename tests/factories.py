"""Small builders for test data, so tests state only what they care about."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import threading
from collections.abc import Callable
from typing import Any

from core.claims.payment_duty import PaymentDuty
from core.claims.states import create_claim
from core.reference import load_reference
from core.settings import PROJECT_ROOT
from models import Claim, ClaimStatus

_seq = itertools.count(1)


def claim_fields(**overrides: Any) -> dict[str, Any]:
    n = next(_seq)
    fields = {
        "claim_no": f"KLM-TEST-{n:06d}",
        "revision": 1,
        "case_no": f"KASUS-{n:06d}",
        "kpj": f"{n:011d}",
        "nik": "5371014107850001",
        "worker_name": "Yohanes Ndun",
        "kabupaten_code": "5371",
        "occupation": "NELAYAN",
        "accident_date": dt.date(2026, 10, 1),
        "benefit_type": "JKK_STMB",
        "decision": "APPROVED",
        "approved_amount": 1_000_000,
        "beneficiary_name": "Yohanes Ndun",
        "beneficiary_relation": "SELF",
        "beneficiary_nik": "5371014107850001",
        "bank_code": "130",
        "account_no": "0012345678",
        "verified_at": dt.datetime(2026, 10, 5, 1, 0),
    }
    fields.update(overrides)
    return fields


@functools.cache
def payment_duty() -> PaymentDuty:
    """The duty of the default reference data, on Indonesia's calendar (no local days off)."""
    return PaymentDuty({code: rule.duty_days for code, rule in
                        load_reference(PROJECT_ROOT / "config" / "reference.yaml").benefits.items()})


def make_claim(status: str = ClaimStatus.READY, **overrides: Any) -> Claim:
    """A claim put straight into `status` (for tests of what happens from there); its payment
    due date is computed as intake does unless given."""
    fields = claim_fields(**overrides)
    if "payment_due_date" not in fields:
        fields["payment_due_date"] = payment_duty().due_date(fields["benefit_type"], fields["verified_at"])
    claim = create_claim(ClaimStatus.READY, actor="test", **fields)
    if status != ClaimStatus.READY:
        Claim.update(status=status).where(Claim.id == claim.id).execute()
        claim.status = status
    return claim


def race(database: Any, work: Callable[[int], None], threads: int) -> list[Exception]:
    """Run `work(n)` in `threads` threads at once, each on its own connection; the exceptions raised.

    What a concurrency test asserts on: "database is locked" or a lost update lands here.
    """
    errors: list[Exception] = []

    def run(n: int) -> None:
        try:
            with database.connection_context():
                work(n)
        except Exception as exc:  # collected for the test to assert on
            errors.append(exc)

    started = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return errors


def make_batch(batch_id: str = "20260310000001", lines: tuple[tuple[str, int], ...] = (
        ("SUCCESS", 10_000_000), ("FAILED", 2_000_000), ("SENT", 500_000)), **claim_overrides: Any):
    """A delivered payout batch with one instruction per (bank result, amount) of `lines`, each on
    its own claim in the status that result leaves it (SUCCESS: PAID on 10 March 2026)."""
    from models import InstructionStatus, PayoutBatch, PayoutInstruction

    R, S = InstructionStatus, ClaimStatus
    status_of = {R.SUCCESS: S.PAID, R.FAILED: S.PAYOUT_FAILED, R.RETURNED: S.PAYOUT_FAILED,
                 R.SENT: S.INSTRUCTED}
    batch = PayoutBatch.create(batch_id=batch_id, instruction_count=len(lines), status="DELIVERED",
                               total_amount=sum(amount for _, amount in lines),
                               created_at=dt.datetime(2026, 3, 10, 1, 0))
    for n, (result, amount) in enumerate(lines, start=1):
        paid = result == InstructionStatus.SUCCESS
        failed = result in (InstructionStatus.FAILED, InstructionStatus.RETURNED)
        fields = {"batch_id": batch_id, "approved_amount": amount, "instruction_id": f"INS{batch_id}{n:02d}",
                  **({"bank_reference": f"NTT-REF-{n}", "paid_date": dt.date(2026, 3, 10)} if paid else {}),
                  **({"failure_code": "ACCOUNT_CLOSED"} if failed else {}), **claim_overrides}
        claim = make_claim(status_of[result], **fields)
        PayoutInstruction.create(
            instruction_id=f"INS{batch_id}{n:02d}", batch=batch, claim=claim,
            beneficiary_name=claim.beneficiary_name, bank_code=claim.bank_code, account_no=claim.account_no,
            amount=amount, remark="SANTUNAN", line_no=n,
            result_status=result, bank_reference=fields.get("bank_reference"),
            value_date=dt.date(2026, 3, 10) if paid else None, failure_code=fields.get("failure_code"),
            result_at=dt.datetime(2026, 3, 10, 8, 0) if result != InstructionStatus.SENT else None)
    return batch
