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
