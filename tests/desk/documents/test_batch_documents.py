"""A batch's daftar nominatif and berita acara (contract section 9): real A4 text, amounts in figures
and in words, Indonesian dates, signature blocks; a kabupaten desk prints its own lines only."""

from __future__ import annotations

import pytest

from desk.documents.batch import write_batch_documents
from desk.refusal import Refused
from models import User
from tests.desk.documents.support import A4, embedded_fonts, page_sizes, pdf_text
from tests.factories import make_batch

BATCH = "20260310000001"


@pytest.fixture
def written(database, reference, out):
    make_batch(BATCH, beneficiary_name="Maria Goreti Fanggidaë", kabupaten_code="5371")
    paths = write_batch_documents(BATCH, out, reference)
    return {path.name: path for path in paths}


def test_both_documents_are_written_under_the_contract_names(written):
    assert set(written) == {f"DAFTAR_NOMINATIF_{BATCH}.pdf", f"BERITA_ACARA_{BATCH}.pdf"}


def test_documents_are_a4_with_an_embedded_font_not_images_of_text(written):
    for path in written.values():
        assert page_sizes(path) == {A4}
        assert any("DejaVuSans" in name for name in embedded_fonts(path))
        assert "PEMERINTAH PROVINSI NUSA TENGGARA TIMUR" in pdf_text(path)


def test_the_list_shows_every_instruction_and_the_total_in_figures_and_words(written):
    text = pdf_text(written[f"DAFTAR_NOMINATIF_{BATCH}.pdf"])
    for expected in ("KLM-TEST-", "Maria Goreti Fanggidaë", "Peserta sendiri", "Kota Kupang",
                     "JKK - Santunan Sementara Tidak Mampu Bekerja (STMB)", "130 / 0012345678",
                     "Rp 10.000.000", "Rp 2.000.000", "Rp 500.000", "Berhasil",
                     "Gagal: Rekening sudah ditutup",
                     "Menunggu hasil", "JUMLAH (3 penerima) Rp 12.500.000",
                     "Terbilang : dua belas juta lima ratus ribu rupiah", "Tanggal batch : 10 Maret 2026"):
        assert expected in text, expected
    assert text.count("KLM-TEST-") == 3


def test_the_minutes_give_count_total_in_words_and_the_bank_results(written):
    text = pdf_text(written[f"BERITA_ACARA_{BATCH}.pdf"])
    for expected in (f"BATCH {BATCH}", "Jumlah penerima : 3 penerima", "Jumlah dana : Rp 12.500.000",
                     "Terbilang : dua belas juta lima ratus ribu rupiah",
                     "Berhasil dibayar : 1 penerima · Rp 10.000.000",
                     "Gagal atau dikembalikan : 1 penerima · Rp 2.000.000",
                     "Menunggu hasil dari bank : 1 penerima · Rp 500.000"):
        assert expected in text, expected


def test_the_minutes_are_signed_by_the_dinas_and_bank_ntt(written):
    text = pdf_text(written[f"BERITA_ACARA_{BATCH}.pdf"])
    assert "Dinas Tenaga Kerja dan Transmigrasi Provinsi NTT" in text and "Bank NTT" in text
    assert "Pihak Pertama, Kepala Dinas" in text and "Pihak Kedua, Pemimpin Cabang" in text
    assert text.count("( ....") == 2  # room to sign, one per office


def test_an_unknown_batch_is_refused_and_nothing_is_written(database, reference, out):
    with pytest.raises(Refused) as refused:
        write_batch_documents("20990101000009", out, reference)
    assert refused.value.key == "doc.error.no_batch" and not out.exists()


def test_a_kabupaten_desk_prints_only_its_own_lines(database, reference, out):
    make_batch(BATCH, lines=(("SUCCESS", 1_000_000),), kabupaten_code="5305")
    make_batch("20260310000002", lines=(("SUCCESS", 7_000_000),), kabupaten_code="5371")
    from models import PayoutBatch, PayoutInstruction
    # move the second batch's line into the first batch: one batch, two kabupaten
    PayoutInstruction.update(batch=PayoutBatch.get(PayoutBatch.batch_id == BATCH)).execute()
    alor = User.create(username="alor", password_hash="x", role="coordinator", kabupaten_codes="5305")
    paths = write_batch_documents(BATCH, out, reference, alor)
    text = pdf_text(paths[0])
    assert "Kabupaten Alor" in text and "Kota Kupang" not in text
    assert "JUMLAH (1 penerima) Rp 1.000.000" in text and "Rp 7.000.000" not in text


def test_a_desk_with_no_line_in_a_batch_is_told_it_does_not_exist(database, reference, out):
    make_batch(BATCH, kabupaten_code="5371")
    alor = User.create(username="alor", password_hash="x", role="coordinator", kabupaten_codes="5305")
    with pytest.raises(Refused) as refused:
        write_batch_documents(BATCH, out, reference, alor)
    assert refused.value.key == "doc.error.no_batch" and not out.exists()
