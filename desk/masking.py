"""Who sees which personal numbers: the one place that masks NIKs and account numbers by role.

Rule: a role without `Action.VIEW_FULL_NIK` (the viewer) sees every NIK and account number
masked, wherever it appears: screens, CSV/XLSX downloads, flag and hold texts, the claim's
history and its event details. The database keeps the full values (the bank and BPJS need
them); masking happens when a value is shown or exported to a person. Every view, export,
flag and history line goes through `mask_for`, `mask_row` or `mask_text`, so a new screen
cannot forget one field.

The masks themselves are `core.text.fmt.mask_nik` (region and last 4 digits kept) and
`mask_account` (last 4 digits kept).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from core.text.fmt import mask_account, mask_nik
from desk.permissions import Action, allowed

# Fields that hold a NIK or an account number, by the name they carry in rows, exports and
# event details (a correction's `differences` is keyed by the same names).
MASKS: dict[str, Callable[[str | None], str]] = {
    "nik": mask_nik, "beneficiary_nik": mask_nik, "old_nik": mask_nik, "new_nik": mask_nik,
    "account_no": mask_account, "pending_account_no": mask_account,
    "old_account_no": mask_account, "new_account_no": mask_account,
}
# Free text written by people, partners or the checks: a flag or hold reason quotes the old
# and new NIK or account number, so digits in it are masked too.
FREE_TEXT = frozenset({
    "reason", "hold_reason", "review_reason", "flag_reason", "failure_reason", "decision_reason",
    "note", "message", "description",
})
# A NIK (16 digits) or an account number (6 to 20 digits) standing alone in text: not part of
# a claim number (`KLM-202501-00000001`), a file name, a date or an amount (`Rp 1.500.000`).
NUMBER = re.compile(r"(?<![\w\-./])\d{6,20}(?![\w\-/]|\.\d)")
NIK_LENGTH = 16
# Numbers that text names as something else are left whole: a batch id (`batch 20261102000001`),
# an instruction id or a bank reference are what a viewer quotes to the bank on the phone.
NAMED_NOT_SECRET = re.compile(r"(batch|instruksi|instruction|referensi bank|bank reference|kpj)\s*:?\s*$",
                              re.IGNORECASE)


def sees_full(role: str | None) -> bool:
    """True when `role` may see NIKs and account numbers in full (coordinator and above)."""
    return allowed(role, Action.VIEW_FULL_NIK)


def mask_for(role: str | None, field: str, value: Any) -> Any:
    """`value` of `field` as `role` may see it: unchanged for coordinators and above; for a
    viewer, NIK and account fields masked, free text with its numbers masked, dicts and lists
    (event details) masked field by field."""
    return value if sees_full(role) else _masked(field, value)


def mask_row(role: str | None, row: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `row` (a claim, an export line, event details, a file's record error) as `role`
    may see it. A record error names its field apart from its value (`field: nik, value: ...`):
    the value is masked as that field."""
    if sees_full(role):
        return dict(row)
    out = {key: _masked(key, value) for key, value in row.items()}
    if isinstance(row.get("field"), str) and "value" in row:
        out["value"] = _masked(row["field"], row["value"])
    return out


def mask_text(role: str | None, text: str | None) -> str | None:
    """Free text (a flag reason, a history line) with every NIK and account number masked for
    a viewer."""
    return text if sees_full(role) or not text else _mask_numbers(text)


def _masked(field: str, value: Any) -> Any:
    if value is None or value == "":
        return value
    if isinstance(value, Mapping):
        return {key: _masked(key, inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):  # a correction's [held, received] keeps its field name
        return [_masked(field, inner) for inner in value]
    if field in MASKS:
        return MASKS[field](str(value))
    if field in FREE_TEXT and isinstance(value, str):
        return _mask_numbers(value)
    return value


def _mask_numbers(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        digits = match.group(0)
        if NAMED_NOT_SECRET.search(text, max(0, match.start() - 20), match.start()):
            return digits
        return mask_nik(digits) if len(digits) == NIK_LENGTH else mask_account(digits)

    return NUMBER.sub(one, text)
