"""The demo partners (demo/simulate/): spec-shaped files with realistic NTT data."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from core.files.layout import Record, RecordError, check_file, read_records
from tests.demo.beneficiaries import misfit


def read_all(layout, path, sender: str, receiver: str):
    check = check_file(layout, path, expected_sender=sender, expected_receiver=receiver,
                       today=dt.date.today() + dt.timedelta(days=1))
    items = list(read_records(layout, path, expected_sender=sender, expected_receiver=receiver,
                              today=dt.date.today() + dt.timedelta(days=1)))
    records = [i.values for i in items if isinstance(i, Record)]
    return check, records, [i for i in items if isinstance(i, RecordError)]


def test_demo_bpjs_drops_a_valid_file_of_realistic_claims(cycle):
    dropped = cycle.bpjs_drop(claims=120, bad_records=0, seed=7)
    layout = cycle.ctx.layouts["VERIFIED_CLAIMS"]
    check, records, errors = read_all(layout, dropped.path, "BPJSTK", "PEMPROV_NTT")
    assert (check.detail_count, errors) == (120, [])
    kabupaten = cycle.ctx.reference.codes("kabupaten")
    assert {r["kabupaten_code"] for r in records} <= kabupaten
    assert len({r["kabupaten_code"] for r in records}) >= 10
    per_case = Counter(r["case_no"] for r in records)
    assert max(per_case.values()) >= 2  # one accident, several payments
    benefits = Counter(r["benefit_type"] for r in records)
    assert {"JKK_STMB", "JKM", "JKK_PEMAKAMAN"} <= set(benefits)
    assert all(r["approved_amount"] in (1_000_000, 500_000) for r in records
               if r["benefit_type"] == "JKK_STMB" and r["decision"] == "APPROVED")
    assert any(r["decision"] == "REJECTED" and r["decision_reason"] for r in records)
    assert any(r["account_no"] is None for r in records)
    assert any(r["approved_amount"] >= cycle.settings.approval_threshold for r in records)


def test_demo_bpjs_names_heirs_that_fit_the_benefit_with_niks_of_the_workers_kabupaten(cycle):
    dropped = cycle.bpjs_drop(claims=200, bad_records=0, seed=11)
    _, records, errors = read_all(cycle.ctx.layouts["VERIFIED_CLAIMS"], dropped.path, "BPJSTK", "PEMPROV_NTT")
    assert errors == []  # every NIK passed the NIK rule on the way in
    assert [r["claim_no"] for r in records if misfit(r["benefit_type"], r["beneficiary_relation"])] == []
    assert all(r["nik"][:4] == r["beneficiary_nik"][:4] == r["kabupaten_code"] for r in records)
    assert all(len(r["kpj"]) == 11 for r in records)
    assert {"GUARDIAN", "SPOUSE", "SELF"} <= {r["beneficiary_relation"] for r in records}


def test_demo_bpjs_spoils_a_few_records_but_keeps_the_file_acceptable(cycle):
    dropped = cycle.bpjs_drop(claims=40, bad_records=4, seed=8)
    _, records, errors = read_all(cycle.ctx.layouts["VERIFIED_CLAIMS"], dropped.path, "BPJSTK", "PEMPROV_NTT")
    assert len(records) == 36
    assert {e.field for e in errors} == {"nik", "kabupaten_code", "accident_date", "kpj"}


def test_demo_bpjs_names_files_of_a_day_in_sequence(cycle):
    names = [cycle.bpjs_drop(claims=5, seed=n).path.name for n in (1, 2, 3)]
    assert [n[-6:] for n in names] == ["01.txt", "02.txt", "03.txt"]


def test_demo_bank_answers_each_instruction_once_and_sets_the_file_aside(cycle):
    cycle.to_bank(claims=20)
    sent = next(cycle.inbox("bank").glob("NTTPAY_*.txt"))
    copy = sent.read_bytes()
    answered = cycle.bank_answer(fail_rate=0.5, seed=3)
    assert answered.instruction_files == [sent.name]
    assert (cycle.inbox("bank") / "diproses" / sent.name).exists() and not sent.exists()
    layout = cycle.ctx.layouts["PAYOUT_RESULT"]
    check, results, errors = read_all(layout, answered.result_files[0], "BANKNTT", "PEMPROV_NTT")
    assert errors == [] and check.header["batch_id"] in sent.name
    assert {r["status"] for r in results} == {"SUCCESS", "FAILED"}
    assert {r["failure_code"] for r in results if r["status"] == "FAILED"} <= cycle.ctx.reference.codes(
        "failure_code")
    sent.write_bytes(copy)  # uploaded again after a crash: the bank de-duplicates on instruction_id
    again = cycle.bank_answer(seed=4)
    assert again.result_files == [] and again.instruction_files == [sent.name]


def test_demo_bank_returns_earlier_credits_in_a_later_file(cycle):
    cycle.to_bank(claims=10)
    first = cycle.bank_answer(fail_rate=0.0, seed=5)
    later = cycle.bank_answer(return_rate=1.0, seed=6)
    assert later.returned == first.success
    assert [p.name[-6:] for p in later.result_files] == ["02.txt"]
