"""The queue's one search box: a claim or case number, a NIK, a KPJ, or words of a name.

The shape of the term picks the index: 16 digits is a NIK (the worker's or the beneficiary's),
11 digits a KPJ, anything else with a digit a claim or case number (exact, or a prefix); plain
words search names (core/claims/name_search.py).
"""

from __future__ import annotations

import re
from typing import Any

from core.claims import name_search
from models import Claim

NIK_RE = re.compile(r"\d{16}")
KPJ_RE = re.compile(r"\d{11}")
CODE_RE = re.compile(r"[A-Za-z0-9-]*\d[A-Za-z0-9-]*")


def search_condition(term: str) -> Any:
    """One box for claim number, case number, NIK, KPJ or name; the shape of the term picks the index.

    16 digits is a NIK (the worker's or the beneficiary's), 11 digits a KPJ, anything else
    with a digit a claim or case number (exact, or a prefix); plain words search names.
    """
    term = term.strip()
    digits = re.sub(r"[\s.\-]", "", term)  # a NIK as printed on a KTP: `5371 0115 0585 0001`
    if digits.isdigit() and len(digits) in (11, 16):  # a NIK or a KPJ; other numbers stay as typed
        term = digits
    if NIK_RE.fullmatch(term):
        return (Claim.nik == term) | (Claim.beneficiary_nik == term)
    if KPJ_RE.fullmatch(term):
        return Claim.kpj == term
    if CODE_RE.fullmatch(term):
        code = term.upper()
        return ((Claim.claim_no == code) | (Claim.case_no == code)
                | _prefix(Claim.claim_no, code) | _prefix(Claim.case_no, code))
    return name_search.condition(term)  # any word of a name, a typo forgiven, indexed


def is_name(term: str) -> bool:
    """Does search_condition read `term` as a name (not a NIK, KPJ, claim or case number)?"""
    digits = re.sub(r"[\s.\-]", "", term.strip())
    return not (digits.isdigit() and len(digits) in (11, 16)) and not CODE_RE.fullmatch(term.strip())


def _prefix(column, text: str):
    """`column LIKE 'text%'` written as a range, so SQLite and PostgreSQL both use the index."""
    return (column >= text) & (column < text + "\uffff")
