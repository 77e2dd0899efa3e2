"""The NIK rule: stdnum's provinces and calendar plus the contract's own rules, one pattern for both paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from stdnum.id import nik as stdnum_nik

from core.files.layout import Layout, Record, RecordError, read_records
from core.files.layout.fields.nik import NIK_FRAGMENT, PROVINCES_NOT_IN_STDNUM, nik_problem
from tests.core.files.layout.builders import BPJS, claim_line, write_claims

NIK = re.compile(NIK_FRAGMENT)


def read(layout: Layout, tmp_path: Path, **changes: str) -> Record | RecordError:
    path = write_claims(tmp_path, [claim_line(1, **changes)])
    [item] = list(read_records(layout, path, **BPJS))
    return item


@pytest.mark.parametrize("nik", [
    "5301052902840001",  # 29 February 1984
    "5301052902000001",  # 29 February 2000 (1900 is not leap, 2000 is)
    "5301056902840001",  # a woman born 29 February 1984
    "5301053112850001",  # 31 December
    "5321010101900001",  # Malaka (2012): stdnum checks the province only, so newer kabupaten pass
    "6501010101900001",  # Kalimantan Utara, a province stdnum lacks
], ids=["29feb84", "29feb00", "woman-69feb84", "31dec", "malaka", "kaltara"])
def test_a_nik_whose_every_part_exists_is_read(claims_layout: Layout, tmp_path: Path, nik: str) -> None:
    item = read(claims_layout, tmp_path, nik=nik, beneficiary_nik=nik)
    assert isinstance(item, Record), item
    assert item.values["nik"] == nik


@pytest.mark.parametrize(("nik", "message"), [
    ("5301053102850001", "tanggal lahir NIK 31-02-85 tidak ada di kalender (baik tahun 1985 maupun 2085)"),
    ("5301052902850001", "tanggal lahir NIK 29-02-85 tidak ada di kalender"),
    ("5301057102840001", "tanggal lahir NIK 31-02-84 tidak ada di kalender"),  # a woman: 71 is day 31
    ("5301053104850001", "tanggal lahir NIK 31-04-85 tidak ada di kalender"),
    ("5301053502850001", "tanggal lahir NIK 35 tidak valid (01-31, atau 41-71 untuk perempuan)"),
    ("5301058101850001", "tanggal lahir NIK 81 tidak valid"),  # stdnum would take it as day 1
    ("5301051213850001", "bulan lahir NIK 13 tidak valid (01-12)"),
    ("1001051208850001", "kode provinsi NIK 10 tidak valid (11-94)"),
    ("9501051208850001", "kode provinsi NIK 95 tidak valid (11-94)"),
    ("2201051208850001", "kode provinsi NIK 22 tidak dikenal"),
    ("5301051208850000", "nomor urut NIK (4 angka terakhir) tidak boleh 0000"),
    ("530105120885001", "NIK harus tepat 16 angka, ada 15"),
    ("53010512088500O1", "NIK harus berisi angka 0-9 saja"),
], ids=["31feb85", "29feb85", "woman-71feb84", "31apr", "day35", "day81", "month13", "province10",
        "province95", "province22", "serial0000", "short", "letter-o"])
def test_a_bad_nik_is_reported_naming_the_wrong_part(claims_layout: Layout, tmp_path: Path, nik: str,
                                                     message: str) -> None:
    item = read(claims_layout, tmp_path, beneficiary_nik=nik)
    assert isinstance(item, RecordError)
    assert (item.field, item.code) == ("beneficiary_nik", "nik")
    assert message in item.message


def test_the_pattern_accepts_exactly_what_stdnum_and_the_contract_accept_for_every_birth_date() -> None:
    """The fast path matches the pattern in C; the slow path asks stdnum. They must never differ."""
    for day in range(100):
        for month in range(14):
            for year in range(100):
                nik = f"530101{day:02d}{month:02d}{year:02d}0001"
                contract_day = 1 <= day <= 31 or 41 <= day <= 71
                expected = contract_day and stdnum_nik.is_valid(nik)
                assert bool(NIK.fullmatch(nik)) == expected == (nik_problem(nik) is None), nik


def test_the_pattern_accepts_exactly_the_provinces_stdnum_knows_plus_the_ones_it_lacks() -> None:
    for province in range(100):
        nik = f"{province:02d}01010101900001"
        expected = 11 <= province <= 94 and (stdnum_nik.is_valid(nik)
                                             or f"{province:02d}" in PROVINCES_NOT_IN_STDNUM)
        assert bool(NIK.fullmatch(nik)) == expected == (nik_problem(nik) is None), nik


def test_a_serial_of_0000_is_refused_although_stdnum_takes_it() -> None:
    nik = "5301051208850000"
    assert stdnum_nik.is_valid(nik)
    assert not NIK.fullmatch(nik)
