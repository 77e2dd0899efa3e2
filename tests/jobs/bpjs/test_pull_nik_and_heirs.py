"""bpjs_pull with the NIK rule and the regulation's heirs: a file in, bad NIKs reported, every heir stored."""

from __future__ import annotations

from models import Claim, RecordError
from tests.fixtures.jobs import claim_record

NAME = "BPJSTK_KLAIM_20261123_01.txt"
HEIRS = {  # relation -> a benefit it may receive
    "GRANDCHILD": "JKM", "GRANDPARENT": "JKM", "PARENT_IN_LAW": "JKK_MENINGGAL", "TESTAMENT": "JKM",
    "GUARDIAN": "BEASISWA", "FUNERAL_ORGANISER": "JKK_PEMAKAMAN", "SIBLING": "JKK_MENINGGAL",
}


def test_niks_whose_birth_date_or_parts_do_not_exist_are_reported_and_the_rest_applied(cycle):
    path = cycle.write_claims([
        claim_record(1),
        claim_record(2, benefit_type="JKM", beneficiary_relation="SPOUSE",
                     beneficiary_nik="5371015507880002"),
        claim_record(3, nik="5371012902840003", beneficiary_nik="5371012902840003"),  # 29 February 1984
        claim_record(4, nik="5371012902000004", beneficiary_nik="5371012902000004"),  # 29 February 2000
        claim_record(5, nik="5371011208850005", beneficiary_nik="5371011208850005"),
        claim_record(6, nik="5371011208850006", beneficiary_nik="5371011208850006"),
    ], name=NAME)
    text = path.read_text(encoding="utf-8")
    for good, bad in (("5371015507880002", "5371017102850002"),  # a woman born 31 February 1985
                      ("5371011208850005", "5371012902850005"),  # 29 February 1985
                      ("5371011208850006", "5371011208850000")):  # serial 0000
        text = text.replace(good, bad)
    path.write_text(text, encoding="utf-8")

    run = cycle.run("bpjs_pull")

    assert run.outcome == "SUCCEEDED_WITH_WARNINGS", run.error
    assert sorted(Claim.select(Claim.claim_no).tuples()) == [
        ("KLM-202611-0000001",), ("KLM-202611-0000003",), ("KLM-202611-0000004",)]
    errors = [(e.line_no, e.field, e.message) for e in RecordError.select().order_by(RecordError.line_no)]
    assert [(line, field) for line, field, _ in errors] == [
        (3, "beneficiary_nik"), (6, "nik"), (6, "beneficiary_nik"), (7, "nik"), (7, "beneficiary_nik")]
    assert "tanggal lahir NIK 31-02-85 tidak ada di kalender" in errors[0][2]
    assert "tanggal lahir NIK 29-02-85 tidak ada di kalender" in errors[1][2]
    assert "nomor urut NIK (4 angka terakhir) tidak boleh 0000" in errors[3][2]
    assert "kolom beneficiary_nik" in run.log


def test_every_heir_the_regulation_names_is_stored_with_its_relation(cycle):
    records = [claim_record(n, benefit_type=benefit, beneficiary_relation=relation,
                            beneficiary_name=f"Maria Ahli Waris {n}",
                            beneficiary_nik=f"53710155078800{n:02d}", nik=f"53710112088500{n:02d}")
               for n, (relation, benefit) in enumerate(HEIRS.items(), start=1)]
    cycle.write_claims(records, name=NAME)

    run = cycle.run("bpjs_pull")

    assert run.outcome == "SUCCEEDED", run.error
    stored = {c.beneficiary_relation: c.benefit_type for c in Claim.select()}
    assert stored == HEIRS
    assert RecordError.select().count() == 0
