"""A claim's history and the audit log as sentences people read (issue 17), not codes and dicts.

"budi mengubah rekening dari 130 0012345678 (Yohanes Ndun) menjadi 130 0099887766 (Maria Bria)",
"Sistem (tugas bpjs_pull): Diterima dari BPJS · Baru → Siap Dibayar". Codes become their labels
(statuses, failure codes, benefit types, kabupaten); a viewer sees NIKs and account numbers
masked (`desk.masking`, the one place that masks by role), in the details as in the reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from core.reference import Reference
from core.text import i18n
from desk.masking import mask_for, mask_text

# Detail fields whose value is a code of a reference list: shown as the list's label.
CODE_LISTS = {"status": "claim_status", "from_status": "claim_status", "to_status": "claim_status",
              "failure_code": "failure_code", "benefit_type": "benefit_type",
              "kabupaten_code": "kabupaten", "beneficiary_relation": "beneficiary_relation"}


def actor_name(actor: str | None, lang: str) -> str:
    """A person's username as is; `job:bpjs_pull` as "Sistem (tugas bpjs_pull)"."""
    if not actor:
        return i18n.t("history.system", lang)
    if actor.startswith("job:"):
        return i18n.t("history.job", lang, job=actor.removeprefix("job:"))
    return actor


def event_sentence(event: Any, lang: str, role: str | None, reference: Reference) -> str:
    """One claim event (a ClaimEvent row) as a sentence in `lang`, masked for `role`."""
    details = _load(event.details)
    who = actor_name(event.actor, lang)
    if event.action == "BANK_DETAILS_CORRECTED" and isinstance(details, Mapping) \
            and isinstance(details.get("old"), Mapping) and isinstance(details.get("new"), Mapping):
        return i18n.t("history.bank_changed", lang, actor=who,
                      old=_account(details["old"], role), new=_account(details["new"], role))
    key = f"event.{event.action}"
    parts = [i18n.t(key, lang) if key in i18n.MESSAGES else event.action]
    if event.from_status != event.to_status and event.to_status:
        before = reference.label("claim_status", event.from_status, lang) if event.from_status \
            else i18n.t("history.new", lang)
        parts.append(f"{before} → {reference.label('claim_status', event.to_status, lang)}")
    if event.reason:
        parts.append(mask_text(role, event.reason) or "")
    text = details_text(details, lang, role, reference)
    if text:
        parts.append(text)
    return f"{who}: " + " · ".join(part for part in parts if part)


def details_text(details: Any, lang: str, role: str | None, reference: Reference) -> str:
    """Event or audit details (a dict, JSON text or plain text) as `Label: value, ...` in `lang`."""
    details = mask_for(role, "description", _load(details))
    if not details:
        return ""
    if not isinstance(details, Mapping):
        return str(details)
    return ", ".join(f"{_field(key, lang)}: {_value(key, value, lang, reference)}"
                     for key, value in details.items() if value not in (None, "", {}, []))


def _field(key: str, lang: str) -> str:
    name = f"history.field.{key}"
    return i18n.t(name, lang) if name in i18n.MESSAGES else key.replace("_", " ")


def _value(key: str, value: Any, lang: str, reference: Reference) -> str:
    if isinstance(value, Mapping):
        return "(" + ", ".join(f"{_field(k, lang)} {_value(k, v, lang, reference)}"
                               for k, v in value.items() if v not in (None, "")) + ")"
    if isinstance(value, bool):
        return i18n.t("download.yes" if value else "download.no", lang)
    if key in CODE_LISTS and isinstance(value, str):
        return reference.label(CODE_LISTS[key], value, lang)
    return str(value)


def _account(side: Mapping[str, Any], role: str | None) -> str:
    number = mask_for(role, "account_no", side.get("account_no")) or "-"
    holder = side.get("account_holder_name")
    return f"{side.get('bank_code') or ''} {number}".strip() + (f" ({holder})" if holder else "")


def _load(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw
