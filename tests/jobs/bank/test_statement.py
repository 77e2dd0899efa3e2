"""bank_pull's statement step end to end through the SFTP partner (contract section 10): statements
written to the MT940 standard (by the demo bank, or built here) are fetched, checked, matched once."""

from __future__ import annotations

import datetime as dt

from core.claims.invariants import check_all
from core.statements.queries import open_exceptions
from core.statements.tables import Statement, StatementException, StatementLine
from demo.simulate.mt940 import Movement, build_mt940
from models import BatchFile, Claim, ClaimStatus, PayoutInstruction

S = ClaimStatus
ACCOUNT = "0011223344"  # config/defaults.yaml source_account
TODAY = dt.date.today()


def drop_statement(cycle, movements, *, reference="STMT-T1", number="00001/001", opening=10_000_000_000,
                   opening_date=TODAY - dt.timedelta(days=1), account=ACCOUNT, closing=None,
                   closing_date=None, name=None):
    text = build_mt940(account=account, reference=reference, number=number, opening=opening,
                       opening_date=opening_date, movements=movements, closing=closing,
                       closing_date=closing_date or TODAY)
    folder = cycle.outbox("bank")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"MT940_{TODAY:%Y%m%d}_{reference}.txt")
    path.write_text(text, encoding="ascii")
    path.chmod(0o644)
    return path


def paid_and_pulled(cycle, claims=12, **answer):
    cycle.to_bank(claims=claims)
    answered = cycle.bank_answer(**answer)
    run = cycle.run("bank_pull")
    return answered, run


def test_the_demo_banks_statement_is_fetched_and_each_debit_sets_debited_on(cycle):
    answered, run = paid_and_pulled(cycle, claims=15, fail_rate=0.2, bulk_rate=0.0)
    assert run.outcome == "SUCCEEDED", run.error
    assert answered.statement is not None and answered.statement.name.startswith("MT940_")
    statement = Statement.get()
    assert statement.line_count == answered.success
    paid = list(Claim.select().where(Claim.status == S.PAID))
    assert len(paid) == answered.success > 0
    assert all(c.debited_on == c.paid_date for c in paid)
    assert not Claim.select().where(Claim.status == S.PAYOUT_FAILED, Claim.debited_on.is_null(False)).exists()
    assert open_exceptions() == []
    file = BatchFile.get(BatchFile.file_type == "BANK_STATEMENT")
    assert (file.status, file.record_count) == ("PROCESSED", answered.success)
    assert list(cycle.outbox("bank").glob("MT940_*")) == []  # settled on the server (moved to archive)
    assert [p.name for p in (cycle.outbox("bank") / "archive").glob("MT940_*")] == [file.name]
    assert check_all() == []


def test_a_bulk_debit_of_a_batch_debits_each_successful_instruction(cycle):
    answered, run = paid_and_pulled(cycle, claims=10, fail_rate=0.3, bulk_rate=1.0)
    assert run.outcome == "SUCCEEDED", run.error
    line = StatementLine.get()
    assert (line.kind, line.batch_id, line.amount) == ("BULK_DEBIT", PayoutInstruction.get().batch.batch_id,
                                                       sum(c.approved_amount for c in
                                                           Claim.select().where(Claim.status == S.PAID)))
    assert Claim.select().where(Claim.debited_on.is_null(False)).count() == answered.success
    assert open_exceptions() == []


def test_a_return_credit_is_matched_to_its_returned_instruction(cycle):
    answered, _ = paid_and_pulled(cycle, claims=6, fail_rate=0.0, bulk_rate=0.0)
    returned = cycle.bank_answer(return_rate=1.0)
    run = cycle.run("bank_pull")
    assert run.outcome == "SUCCEEDED", run.error
    assert returned.returned == answered.success > 0
    assert StatementLine.select().where(StatementLine.kind == "RETURN").count() == answered.success
    assert Statement.select().count() == 2
    assert open_exceptions() == []


def test_a_statement_already_imported_is_never_applied_twice(cycle):
    answered, _ = paid_and_pulled(cycle, claims=5, fail_rate=0.0)
    archived = next((cycle.outbox("bank") / "archive").glob("MT940_*"))
    again = cycle.outbox("bank") / "MT940_copy_same_bytes.txt"
    again.write_bytes(archived.read_bytes())
    again.chmod(0o644)
    run = cycle.run("bank_pull")
    assert run.outcome == "SUCCEEDED", run.error
    assert Statement.select().count() == 1 and StatementLine.select().count() == answered.success
    assert BatchFile.get(BatchFile.name == again.name).status == "DUPLICATE"
    # same account, :20: and :28C: with other bytes: also already imported
    statement = Statement.get()
    drop_statement(cycle, [], reference=statement.reference, number=statement.number, name="MT940_other.txt")
    assert cycle.run("bank_pull").outcome == "SUCCEEDED"
    assert Statement.select().count() == 1 and open_exceptions() == []


def test_a_statement_of_another_account_is_rejected_whole_and_quarantined(cycle):
    path = drop_statement(cycle, [Movement(TODAY, "D", 5, "XYZ")], account="9999999999")
    run = cycle.run("bank_pull")
    assert (run.outcome, run.error_cause) == ("FAILED", "file_rejected")
    assert path.name in run.error and "9999999999" in run.error and "bukan rekening program" in run.error
    assert Statement.select().count() == 0 and StatementException.select().count() == 0
    file = BatchFile.get(BatchFile.file_type == "BANK_STATEMENT")
    assert file.status == "REJECTED" and "/quarantine/" in file.local_path


def test_balances_that_do_not_add_up_reject_the_statement_naming_the_difference(cycle):
    drop_statement(cycle, [Movement(TODAY, "D", 1_000, "XYZ")], opening=5_000, closing=4_500)
    run = cycle.run("bank_pull")
    assert run.outcome == "FAILED"
    assert "ditolak seluruhnya" in run.error
    assert "saldo akhir Rp 4.500 (selisih Rp 500)" in run.log
    assert Statement.select().count() == 0 and StatementException.select().count() == 0


def test_each_exception_kind_is_recorded_once_and_check_stays_broken_until_resolved(cycle):
    cycle.to_bank(claims=8)
    cycle.bank_answer(fail_rate=0.0, statement=False)
    assert cycle.run("bank_pull").outcome == "SUCCEEDED"
    first, second, third, fourth = PayoutInstruction.select().order_by(PayoutInstruction.id)[:4]
    PayoutInstruction.update(result_status="FAILED").where(PayoutInstruction.id == fourth.id).execute()
    moves = [Movement(TODAY, "D", first.amount, first.instruction_id),
             Movement(TODAY, "D", first.amount, first.instruction_id),  # paid twice
             Movement(TODAY, "D", second.amount + 1, second.instruction_id),
             Movement(TODAY, "D", 77_000, "NOT-OURS"),
             Movement(TODAY, "D", fourth.amount, fourth.instruction_id),
             Movement(TODAY, "C", third.amount, third.instruction_id),  # a return the bank never reported
             Movement(TODAY, "C", 50_000_000, "TOPUP")]
    drop_statement(cycle, moves)
    run = cycle.run("bank_pull")
    assert run.outcome == "SUCCEEDED_WITH_WARNINGS", run.error
    kinds = sorted(e.kind for e in open_exceptions())
    assert kinds == ["AMOUNT_MISMATCH", "DEBIT_ON_FAILED", "DOUBLE_DEBIT", "RETURN_WITHOUT_RESULT",
                     "UNKNOWN_DEBIT"]
    double = StatementException.get(StatementException.kind == "DOUBLE_DEBIT")
    assert (double.instruction_id, double.claim_no, double.amount) == (first.instruction_id,
                                                                      first.claim.claim_no, first.amount)
    assert Claim.get_by_id(first.claim_id).debited_on == TODAY
    assert Claim.get_by_id(second.claim_id).debited_on is None
    assert cycle.run("bank_pull").outcome == "SUCCEEDED"  # nothing new: nothing recorded twice
    assert StatementException.select().count() == 5


def test_a_success_with_no_debit_after_the_grace_is_missing_until_a_statement_brings_it(cycle):
    cycle.to_bank(claims=5)
    cycle.bank_answer(fail_rate=0.0, statement=False)
    cycle.run("bank_pull")
    late, *recent = PayoutInstruction.select().order_by(PayoutInstruction.id)
    assert recent  # valued today: within the grace, not missing
    PayoutInstruction.update(value_date=TODAY - dt.timedelta(days=10)).where(
        PayoutInstruction.id == late.id).execute()
    drop_statement(cycle, [], opening_date=TODAY - dt.timedelta(days=30), reference="STMT-A")
    assert cycle.run("bank_pull").outcome == "SUCCEEDED_WITH_WARNINGS"
    missing = open_exceptions()
    assert [(e.kind, e.instruction_id) for e in missing] == [("MISSING_DEBIT", late.instruction_id)]
    drop_statement(cycle, [Movement(TODAY, "D", late.amount, late.instruction_id)], reference="STMT-B",
                   number="00002/001", opening=10_000_000_000)
    assert cycle.run("bank_pull").outcome in ("SUCCEEDED", "SUCCEEDED_WITH_WARNINGS")
    assert open_exceptions() == []
    assert StatementException.get().resolved_by == "statement:STMT-B"


def test_an_opening_balance_that_differs_from_the_last_closing_is_reported_as_a_gap(cycle):
    drop_statement(cycle, [Movement(TODAY, "C", 1_000, "TOPUP")], reference="STMT-1", opening=5_000)
    assert cycle.run("bank_pull").outcome == "SUCCEEDED"
    drop_statement(cycle, [], reference="STMT-2", number="00002/001", opening=9_000)
    run = cycle.run("bank_pull")
    assert run.outcome == "SUCCEEDED_WITH_WARNINGS"
    assert "berbeda dengan saldo akhir rekening koran sebelumnya Rp 6.000" in run.log
    assert Statement.get(Statement.reference == "STMT-2").gap == 3_000


# -- the available balance before paying (jobs/bank/push.py) ---------------------------------------

def test_a_batch_the_account_cannot_cover_is_not_sent_and_an_alert_says_by_how_much(cycle):
    from models import Alert, PayoutBatch

    drop_statement(cycle, [], opening=1_000_000)
    assert cycle.run("bank_pull").outcome == "SUCCEEDED"
    cycle.bpjs_drop(claims=6, bad_records=0)
    cycle.run("bpjs_pull")
    ready = Claim.select().where(Claim.status == S.READY)
    total = sum(c.approved_amount for c in ready)
    run = cycle.run("bank_push")
    assert run.outcome == "SUCCEEDED_WITH_WARNINGS", run.error
    assert PayoutBatch.select().count() == 0 and list(cycle.inbox("bank").glob("*")) == []
    assert Claim.select().where(Claim.status == S.READY).count() == ready.count()
    alert = Alert.get(Alert.kind == "insufficient_balance")
    from core.alerts import words
    from core.text.fmt import rupiah
    assert rupiah(total - 1_000_000) in words(alert.subject) and "tetap Siap Dibayar" in words(alert.message)
    assert "stay READY" in words(alert.message, "en")


def test_what_was_instructed_and_not_yet_debited_is_owed_from_the_balance(cycle):
    cycle.to_bank(claims=6)  # no statement yet: sent, the log says the balance is unknown
    assert "Saldo rekening program belum diketahui" in cycle.runs[-1].log
    owed = sum(i.amount for i in PayoutInstruction.select())
    drop_statement(cycle, [], opening=owed + 10)  # covers what is owed, and 10 Rupiah more
    cycle.run("bank_pull")
    cycle.bpjs_drop(claims=6, bad_records=0, seed=9)
    cycle.run("bpjs_pull")
    assert cycle.run("bank_push").outcome == "SUCCEEDED_WITH_WARNINGS"
    assert Claim.select().where(Claim.status == S.READY).count() > 0
