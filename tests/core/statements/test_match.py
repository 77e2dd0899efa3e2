"""The matching rules of section 10 as pure functions, and the MT940 reader's own rejections."""

from __future__ import annotations

import datetime as dt

import pytest

from core.claims.payment_duty import WorkCalendar
from core.statements.match import Batch, Instruction, match_lines, missing_cutoff
from core.statements.parse import Line, StatementRejected, parse_statement
from demo.simulate.mt940 import Movement, build_mt940

DAY = dt.date(2026, 11, 4)  # a Wednesday


def ins(n: int, status: str = "SUCCESS", amount: int = 1_000, batch: str = "B1", current: bool = True):
    return Instruction(f"I{n}", n, f"KLM-{n}", amount, status, batch, current)


def line(n: int, amount: int, ref: str | None) -> Line:
    return Line(n, DAY, "D" if amount < 0 else "C", amount, ref, None, None)


def test_a_second_debit_without_a_return_between_is_a_double_debit_and_after_a_return_is_not():
    known = {"I1": ins(1, "RETURNED")}
    out = match_lines([line(1, -1_000, "I1"), line(2, -1_000, "I1"), line(3, 1_000, "I1"),
                       line(4, -1_000, "I1")], known, {}, {}, "s")
    assert [k for k, *_ in out.kinds] == ["DEBIT", "EXCEPTION", "RETURN", "DEBIT"]
    assert [e.kind for e in out.exceptions] == ["DOUBLE_DEBIT"]


def test_a_debit_already_seen_in_an_earlier_statement_counts():
    out = match_lines([line(1, -1_000, "I1")], {"I1": ins(1)}, {}, {"I1": 1}, "s")
    assert [e.kind for e in out.exceptions] == ["DOUBLE_DEBIT"] and out.debited == {}


def test_a_bulk_debit_must_be_the_sum_of_the_batchs_successful_instructions():
    batch = Batch("B1", (ins(1), ins(2, amount=2_000)))
    good = match_lines([line(1, -3_000, "B1")], {}, {"B1": batch}, {}, "s")
    assert good.kinds == [("BULK_DEBIT", None, "B1")] and good.debited == {1: DAY, 2: DAY}
    bad = match_lines([line(1, -2_999, "B1")], {}, {"B1": batch}, {}, "s")
    assert [(e.kind, e.batch_id, e.amount) for e in bad.exceptions] == [("AMOUNT_MISMATCH", "B1", 2_999)]


def test_only_the_claims_current_instruction_sets_its_debited_on():
    out = match_lines([line(1, -1_000, "I1")], {"I1": ins(1, current=False)}, {}, {}, "s")
    assert out.kinds[0][0] == "DEBIT" and out.debited == {}


@pytest.mark.parametrize(("status", "amount", "ref", "kind"), [
    ("FAILED", -1_000, "I1", "DEBIT_ON_FAILED"), ("SUCCESS", -999, "I1", "AMOUNT_MISMATCH"),
    ("SUCCESS", -1_000, "ZZ", "UNKNOWN_DEBIT"), ("SUCCESS", -1_000, None, "UNKNOWN_DEBIT"),
    ("SUCCESS", 1_000, "I1", "RETURN_WITHOUT_RESULT")])
def test_each_exception_kind(status, amount, ref, kind):
    out = match_lines([line(1, amount, ref)], {"I1": ins(1, status)}, {}, {}, "s")
    assert [e.kind for e in out.exceptions] == [kind]


def test_money_in_that_is_not_ours_is_no_exception():
    out = match_lines([line(1, 5_000_000, "TOPUP")], {}, {}, {}, "s")
    assert out.kinds == [("CREDIT", None, None)] and out.exceptions == []


def test_the_missing_debit_cutoff_counts_working_days_before_the_closing_date():
    calendar = WorkCalendar()
    # closing Wednesday 4 Nov 2026, grace 2: valued Monday 2 Nov leaves Tue and Wed (2, within the
    # grace); valued Sunday 1 Nov leaves Mon, Tue, Wed (3): the last value date that is missing
    assert missing_cutoff(DAY, 2, calendar.is_working_day) == dt.date(2026, 11, 1)
    assert (calendar.count(dt.date(2026, 11, 2), DAY), calendar.count(dt.date(2026, 11, 1), DAY)) == (2, 3)
    # closing Monday 9 Nov: the weekend does not count, Wednesday 4 Nov leaves Thu, Fri, Mon
    assert missing_cutoff(dt.date(2026, 11, 9), 2, calendar.is_working_day) == dt.date(2026, 11, 4)


def text(**kw) -> bytes:
    base = {"account": "0011223344", "reference": "R1", "number": "1/1", "opening": 100,
            "opening_date": DAY, "movements": [Movement(DAY, "D", 10, "I1")]}
    return build_mt940(**{**base, **kw}).encode()


def test_the_reader_rejects_fractions_of_a_rupiah_other_currencies_and_two_statements():
    assert parse_statement(text()).lines[0].amount == -10
    with pytest.raises(StatementRejected) as fraction:
        parse_statement(text().replace(b"D10,", b"D10,50"))
    assert fraction.value.key == "statement.reject.fraction"
    with pytest.raises(StatementRejected) as currency:
        parse_statement(text().replace(b"IDR", b"EUR"))
    assert currency.value.key == "statement.reject.currency"
    with pytest.raises(StatementRejected) as two:
        parse_statement(text() + text())
    assert two.value.key == "statement.reject.one_statement"
