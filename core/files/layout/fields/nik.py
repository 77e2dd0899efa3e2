"""The NIK field: the 16-digit national ID, checked with python-stdnum plus the contract's own rules.

`stdnum.id.nik` knows Indonesia's provinces and which birth dates exist (31 February never,
29 February only in a year that is leap as 19yy or 20yy). The file contract adds what it
does not check: province 11-94, birth day 01-31 (41-71 for women; stdnum also takes 81-91)
and serial not 0000.

Speed: the fast path reads a million records with about 2 us of Python per record, and a
call into stdnum per NIK (two per claim) would cost about that again. So the whole rule is
one regular expression, matched in C with the rest of the line: the provinces come from
stdnum at import, the calendar is written out as a pattern, and tests prove the pattern
accepts exactly what stdnum plus the contract accept. stdnum itself runs only when a value
is refused, to name the part that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik

from core.files.layout.errors import FieldInvalid
from core.files.layout.fields.base import Field, check_separators

# Provinces python-stdnum 2.2 does not list although Kemendagri issues NIKs with them:
# Kalimantan Utara (65, since 2012), Papua Barat (92), Papua Selatan (93, since 2022). The
# contract allows every province code 11-94; refusing a real heir's NIK would stop a payout.
PROVINCES_NOT_IN_STDNUM = frozenset({"65", "92", "93"})
WOMEN = 40  # a woman's NIK adds 40 to her day of birth

# DDMMYY of a birth date that exists; the year is 19yy or 20yy, so 29 February needs yy
# divisible by 4 (1900 is not leap but 2000 is, so 00 qualifies).
BIRTH_DATE_FRAGMENT = (
    r"(?:(?:0[1-9]|1[0-9]|2[0-8]|4[1-9]|5[0-9]|6[0-8])(?:0[1-9]|1[0-2])[0-9]{2}"  # day 1-28, any month
    r"|[26]9(?:(?:0[13-9]|1[0-2])[0-9]{2}|02(?:[02468][048]|[13579][26]))"  # 29: February in leap years
    r"|[37]0(?:0[13-9]|1[0-2])[0-9]{2}"  # 30: not February
    r"|[37]1(?:0[13578]|1[02])[0-9]{2})"  # 31: the months that have one
)


def known_provinces() -> frozenset[str]:
    """The two-digit province codes 11-94 that stdnum knows, plus the ones it lacks."""
    # stdnum looks up only the province of the region code: ask it about each, with a
    # kabupaten, a birth date and a serial that are valid anyway
    known = {f"{p}" for p in range(11, 95) if stdnum_nik.is_valid(f"{p}0101" "010101" "0001")}
    return frozenset(known | PROVINCES_NOT_IN_STDNUM)


def _alternation(codes: frozenset[str]) -> str:
    """A compact pattern for a set of two-digit codes: 1[1-9]|21|3[1-6]|..."""
    by_first: dict[str, list[str]] = {}
    for code in sorted(codes):
        by_first.setdefault(code[0], []).append(code[1])
    parts = [first + (seconds[0] if len(seconds) == 1 else f"[{''.join(seconds)}]")
             for first, seconds in by_first.items()]
    return "(?:" + "|".join(parts) + ")"


PROVINCES = known_provinces()
NIK_FRAGMENT = (
    _alternation(PROVINCES) + r"[0-9]{4}"  # province, kabupaten, kecamatan
    + BIRTH_DATE_FRAGMENT
    + r"(?!0000)[0-9]{4}"  # serial, never 0000
)


@dataclass(frozen=True, kw_only=True)
class NikField(Field):
    """The 16-digit national ID of the contract (see the module docstring)."""

    type_name: ClassVar[str] = "nik"
    FRAGMENT: ClassVar[str] = NIK_FRAGMENT
    MIN_CHARS: ClassVar[int] = 16
    MAX_CHARS: ClassVar[int] = 16

    def diagnose(self, raw: str) -> None:
        check_separators(raw, self.delimiter)
        problem = nik_problem(raw)
        if problem:
            raise FieldInvalid("nik", problem)


def nik_problem(raw: str) -> str | None:
    """What is wrong with a NIK, naming the part (in Indonesian); None when it is valid."""
    if not (raw.isascii() and raw.isdigit()):
        return "NIK harus berisi angka 0-9 saja"
    if len(raw) != 16:
        return f"NIK harus tepat 16 angka, ada {len(raw)}"
    province, day, month, year, serial = raw[0:2], int(raw[6:8]), int(raw[8:10]), raw[10:12], raw[12:16]
    if not 11 <= int(province) <= 94:
        return f"kode provinsi NIK {province} tidak valid (11-94)"
    if province not in PROVINCES:
        return f"kode provinsi NIK {province} tidak dikenal: bukan provinsi Indonesia"
    if not (1 <= day <= 31 or WOMEN + 1 <= day <= WOMEN + 31):
        return f"tanggal lahir NIK {raw[6:8]} tidak valid (01-31, atau 41-71 untuk perempuan)"
    if not 1 <= month <= 12:
        return f"bulan lahir NIK {raw[8:10]} tidak valid (01-12)"
    try:
        stdnum_nik.get_birth_date(raw)
    except ValidationError:
        return (f"tanggal lahir NIK {day % WOMEN:02d}-{month:02d}-{year} tidak ada di kalender "
                f"(baik tahun 19{year} maupun 20{year}); periksa NIK pada KTP")
    if serial == "0000":
        return "nomor urut NIK (4 angka terakhir) tidak boleh 0000"
    return None
