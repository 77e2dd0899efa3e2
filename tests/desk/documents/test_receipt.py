"""A paid claim's bukti bayar (contract section 9); a claim not PAID gets none."""

from __future__ import annotations

import pytest

from desk.documents.receipt import write_receipt
from desk.refusal import Refused
from models import Claim, ClaimStatus, User
from tests.desk.documents.support import A4, page_sizes, pdf_text
from tests.factories import make_batch, make_claim


def test_a_paid_claims_receipt_names_who_was_paid_what_where_and_when(database, reference, out):
    make_batch("20260310000001", lines=(("SUCCESS", 12_500_000),), beneficiary_name="Ni Luh Putu Ayu",
               beneficiary_relation="SPOUSE", benefit_type="JKK_MENINGGAL", worker_name="I Made Sutama")
    claim = Claim.get(Claim.status == ClaimStatus.PAID)
    path = write_receipt(claim.claim_no, out, reference)
    assert path.name == f"BUKTI_BAYAR_{claim.claim_no}.pdf"
    assert page_sizes(path) == {A4}
    text = pdf_text(path)
    for expected in (f"Nomor klaim : {claim.claim_no}", "Penerima : Ni Luh Putu Ayu",
                     "Hubungan dengan peserta : Suami/Istri", f"I Made Sutama (KPJ {claim.kpj})",
                     "Jenis manfaat : JKK - Santunan Kematian", "Jumlah dibayar : Rp 12.500.000",
                     "Terbilang : dua belas juta lima ratus ribu rupiah", "Bank NTT / kode bank : 130",
                     "Nomor rekening : 0012345678 a.n. Ni Luh Putu Ayu", "Referensi bank : NTT-REF-1",
                     "Tanggal dibayar : 10 Maret 2026", "Dinas Tenaga Kerja dan Transmigrasi Provinsi NTT"):
        assert expected in text, expected


def test_the_account_holder_is_named_when_it_is_not_the_beneficiary(database, reference, out):
    make_batch("20260310000001", lines=(("SUCCESS", 1_000_000),), beneficiary_name="Yosef Kase",
               account_holder_name="Maria Kase")
    claim = Claim.get(Claim.status == ClaimStatus.PAID)
    assert "0012345678 a.n. Maria Kase" in pdf_text(write_receipt(claim.claim_no, out, reference))


@pytest.mark.parametrize("status", [ClaimStatus.INSTRUCTED, ClaimStatus.PAYOUT_FAILED, ClaimStatus.READY])
def test_a_claim_not_paid_gets_no_receipt(database, reference, out, status):
    claim = make_claim(status)
    with pytest.raises(Refused) as refused:
        write_receipt(claim.claim_no, out, reference)
    assert refused.value.key == "doc.error.not_paid"
    assert claim.claim_no in str(refused.value) and not out.exists()


def test_an_unknown_claim_is_refused(database, reference, out):
    with pytest.raises(Refused) as refused:
        write_receipt("KLM-NOPE", out, reference)
    assert refused.value.key == "doc.error.no_claim"


def test_a_kabupaten_desk_gets_no_receipt_of_another_kabupaten(database, reference, out):
    make_batch("20260310000001", lines=(("SUCCESS", 1_000_000),), kabupaten_code="5371")
    claim = Claim.get(Claim.status == ClaimStatus.PAID)
    alor = User.create(username="alor", password_hash="x", role="coordinator", kabupaten_codes="5305")
    with pytest.raises(Refused) as refused:
        write_receipt(claim.claim_no, out, reference, alor)
    assert refused.value.key == "scope.refused" and not out.exists()
    kota = User.create(username="kota", password_hash="x", role="coordinator", kabupaten_codes="5371")
    assert write_receipt(claim.claim_no, out, reference, kota).is_file()
