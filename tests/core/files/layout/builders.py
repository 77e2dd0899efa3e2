"""Building sample VERIFIED_CLAIMS files line by line, valid or deliberately broken."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from core.settings import PROJECT_ROOT

LAYOUTS_DIR = PROJECT_ROOT / "config" / "layouts"
HERE = Path(__file__).parent
SAMPLES = HERE / "samples"
TODAY = date(2025, 9, 3)  # the WITA date "not in the future" is measured against
BPJS = {"expected_sender": "BPJSTK", "expected_receiver": "PEMPROV_NTT", "today": TODAY}

CLAIM_FIELDS = ("claim_no", "revision", "case_no", "kpj", "nik", "worker_name", "kabupaten_code",
                "occupation",
                "accident_date", "benefit_type", "decision", "approved_amount", "decision_reason",
                "beneficiary_name", "beneficiary_relation", "beneficiary_nik", "bank_code", "account_no",
                "verified_at")
HEADER = "H|VERIFIED_CLAIMS|BPJSTK-20250903-01|2025-09-03T01:00:00+08:00|BPJSTK|PEMPROV_NTT|1.0"


def claim(n: int = 1, **changes: str) -> dict[str, str]:
    """The raw text values of a valid approved claim; `changes` override fields."""
    values = {
        "claim_no": f"JKK-2025-{n:06d}", "revision": "1", "case_no": f"KC-2025-{n:04d}",
        "kpj": "11000000101", "nik": "5301051208850001", "worker_name": "Yohanes Bosco Nggala",
        "kabupaten_code": "5301", "occupation": "PETANI", "accident_date": "2025-08-01",
        "benefit_type": "JKK_STMB", "decision": "APPROVED", "approved_amount": "2500000",
        "decision_reason": "", "beneficiary_name": "Yohanes Bosco Nggala", "beneficiary_relation": "SELF",
        "beneficiary_nik": "5301051208850001", "bank_code": "130", "account_no": "0012345678",
        "verified_at": "2025-09-02T15:30:00+08:00",
    }
    values.update(changes)
    return values


def claim_line(n: int = 1, **changes: str) -> str:
    values = claim(n, **changes)
    return "|".join(["D", *(values[f] for f in CLAIM_FIELDS)])


def trailer_for(lines: Iterable[str]) -> str:
    """The right trailer for detail lines (amounts that are digits count)."""
    lines = list(lines)
    total = 0
    for line in lines:
        parts = line.split("|")
        if len(parts) > 12 and parts[12].isdigit():
            total += int(parts[12])
    return f"T|{len(lines)}|{total}"


def claims_text(details: Iterable[str], *, header: str = HEADER, trailer: str | None = None) -> str:
    details = list(details)
    trailer = trailer_for(details) if trailer is None else trailer
    return "\n".join([header, *details, trailer]) + "\n"


def write_claims(folder: Path, details: Iterable[str], name: str = "BPJSTK_KLAIM_20250903_01.txt",
                 **kwargs: str | None) -> Path:
    path = folder / name
    path.write_text(claims_text(details, **kwargs), encoding="utf-8")
    return path
