"""bpjs_push against the embedded SFTP server: each final outcome reported to BPJS once."""

from __future__ import annotations

import datetime as dt

import pytest

from core.files.layout import Record, check_file, read_records
from jobs import crashpoints
from jobs.bpjs import push
from models import BatchFile, Claim, ClaimStatus, StatusReport

S = ClaimStatus


def status_lines(cycle) -> list[dict]:
    layout = cycle.ctx.layouts["PAYOUT_STATUS"]
    lines = []
    for path in sorted(cycle.inbox("bpjs").glob("SANTUNAN_STATUS_*.txt")):
        check_file(layout, path, expected_sender="PEMPROV_NTT", expected_receiver="BPJSTK",
                   today=dt.date.today())
        lines += [r.values for r in read_records(layout, path, expected_sender=None, expected_receiver=None,
                                                 today=dt.date.today()) if isinstance(r, Record)]
    return lines


def test_final_outcomes_are_reported_once(cycle):
    cycle.to_bank(claims=15)
    answered = cycle.bank_answer(fail_rate=0.3)
    cycle.run("bank_pull")
    run = cycle.run("bpjs_push")
    assert run.outcome == "SUCCEEDED", run.error
    lines = status_lines(cycle)
    expected = ["FAILED"] * answered.failed + ["PAID"] * answered.success
    assert sorted(line["status"] for line in lines) == expected
    paid = next(line for line in lines if line["status"] == "PAID")
    claim = Claim.get(Claim.claim_no == paid["claim_no"])
    assert (paid["bank_reference"], paid["paid_date"], paid["amount"]) == (
        claim.bank_reference, claim.paid_date, claim.approved_amount)
    assert Claim.select().where(Claim.report_pending == True).count() == 0  # noqa: E712
    assert cycle.run("bpjs_push").outcome == "SUCCEEDED"
    assert BatchFile.select().where(BatchFile.file_type == "PAYOUT_STATUS").count() == 1


def test_a_later_change_of_outcome_is_reported_again(cycle):
    cycle.to_bank(claims=5)
    cycle.bank_answer(fail_rate=0.0)
    cycle.run("bank_pull")
    cycle.run("bpjs_push")
    cycle.bank_answer(return_rate=1.0)
    cycle.run("bank_pull")
    cycle.run("bpjs_push")
    names = sorted(p.name for p in cycle.inbox("bpjs").glob("SANTUNAN_STATUS_*.txt"))
    assert [n[-6:] for n in names] == ["01.txt", "02.txt"]
    claim = Claim.get(Claim.status == S.PAYOUT_FAILED)
    reports = [r.status for r in
               StatusReport.select().where(StatusReport.claim == claim.id).order_by(StatusReport.id)]
    assert reports == ["PAID", "FAILED"]
    assert claim.reported_status == "FAILED"


def test_nothing_to_report_means_no_file(cycle):
    cycle.server.stop()
    assert cycle.run("bpjs_push").outcome == "SUCCEEDED"
    assert BatchFile.select().count() == 0


def test_many_outcomes_go_in_several_short_files_each_claim_once(cycle, monkeypatch):
    """FILE_LINES caps a file (and its write transaction); one run reports everything."""
    monkeypatch.setattr(push, "FILE_LINES", 4)
    cycle.to_bank(claims=10)
    answered = cycle.bank_answer(fail_rate=0.0)
    cycle.run("bank_pull")
    run = cycle.run("bpjs_push")
    assert run.outcome == "SUCCEEDED", run.error
    assert answered.success > 4
    names = sorted(p.name for p in cycle.inbox("bpjs").glob("SANTUNAN_STATUS_*.txt"))
    assert len(names) == -(-answered.success // 4)  # ceil: full files of 4, then the rest
    lines = status_lines(cycle)
    assert len(lines) == len({line["claim_no"] for line in lines}) == answered.success
    assert not Claim.select().where(Claim.report_pending).exists()


def test_a_crash_between_two_status_files_loses_and_doubles_nothing(cycle, monkeypatch):
    monkeypatch.setattr(push, "FILE_LINES", 4)
    cycle.to_bank(claims=10)
    answered = cycle.bank_answer(fail_rate=0.0)
    cycle.run("bank_pull")
    with crashpoints.armed("bpjs_push.after_record", after=1), pytest.raises(crashpoints.InjectedCrash):
        cycle.run("bpjs_push")  # the second file is recorded, not delivered
    assert len(status_lines(cycle)) == 4
    assert cycle.run("bpjs_push").outcome == "SUCCEEDED"
    lines = status_lines(cycle)
    assert len(lines) == len({line["claim_no"] for line in lines}) == answered.success
