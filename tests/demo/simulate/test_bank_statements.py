"""The demo bank over many rounds (issue 14) and its daily MT940 (contract section 10)."""

from __future__ import annotations

from collections import Counter

from core.statements.importer import check_statement
from core.statements.parse import parse_statement
from core.statements.queries import open_exceptions
from models import Claim, ClaimStatus, PayoutInstruction

S = ClaimStatus


def test_over_many_rounds_no_paid_claim_is_returned_or_failed_twice(cycle):
    """Every round: BPJS drops, the app sends (failed claims too, as a coordinator would), the bank
    answers at the demo's rates, the app pulls. A claim fails or comes back at most once."""
    from core.claims.states import transition_many

    for round_no in range(12):
        cycle.bpjs_drop(claims=10, bad_records=0, seed=100 + round_no)
        cycle.run("bpjs_pull")
        failed = [c.id for c in Claim.select().where(Claim.status == S.PAYOUT_FAILED)]
        if failed:  # sent again, as a coordinator would after fixing the account
            transition_many(failed, S.PAYOUT_FAILED, S.READY, actor="test", action="RESEND")
        cycle.run("bank_push")
        cycle.bank_answer(fail_rate=0.2, return_rate=0.3, seed=round_no)
        assert cycle.run("bank_pull").outcome in ("SUCCEEDED", "SUCCEEDED_WITH_WARNINGS")
    troubles = Counter(i.claim_id for i in PayoutInstruction.select()
                       .where(PayoutInstruction.result_status.in_(("FAILED", "RETURNED"))))
    assert troubles and max(troubles.values()) == 1
    paid = Claim.select().where(Claim.status == S.PAID).count()
    assert paid > 3 * len(troubles) // 2  # a small share fails or returns, not most of them
    assert open_exceptions() == []  # every debit and return of the demo statements matched


def test_the_demo_statement_is_mt940_of_the_programme_account_and_balances_carry_over(cycle):
    cycle.to_bank(claims=10)
    first = cycle.bank_answer(fail_rate=0.0, bulk_rate=0.0)
    cycle.run("bank_pull")
    second = cycle.bank_answer(return_rate=1.0)
    one = parse_statement((cycle.outbox("bank") / "archive" / first.statement.name).read_bytes())
    two = parse_statement((cycle.outbox("bank") / second.statement.name).read_bytes())
    check_statement(one, cycle.settings.source_account)  # raises when it does not add up
    check_statement(two, cycle.settings.source_account)
    assert two.opening_balance == one.closing_balance
    assert [line.amount < 0 for line in one.lines] == [True] * first.success
    assert [line.amount > 0 for line in two.lines] == [True] * second.returned
    assert {line.customer_reference for line in two.lines} == {
        i.instruction_id for i in PayoutInstruction.select()}
