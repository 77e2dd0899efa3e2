"""A claim's history and the audit log as sentences people read (issue 17), not codes and dicts.

"budi mengubah rekening dari 130 0012345678 (Yohanes Ndun) menjadi 130 0099887766 (Maria Bria)",
"Sistem (tugas bpjs_pull): Diterima dari BPJS · Baru → Siap Dibayar". Codes become their labels
(statuses, failure codes, benefit types, kabupaten); a viewer sees NIKs and account numbers
masked (`desk.masking`, the one place that masks by role), in the details as in the reason.
The audit log's action codes (`JOB_RUN`, `CLAIM_HOLD`), its job ids and the codes in its details
(a run's trigger and outcome, a failure's cause, a role, an alert's kind) read as labels too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from core.reference import Reference
from core.text import i18n
from desk.masking import mask_for, mask_text
from desk.views.jobs import job_name

# Detail fields whose value is a code of a reference list: shown as the list's label.
CODE_LISTS = {"status": "claim_status", "from_status": "claim_status", "to_status": "claim_status",
              "failure_code": "failure_code", "benefit_type": "benefit_type",
              "kabupaten_code": "kabupaten", "beneficiary_relation": "beneficiary_relation"}
# Detail fields whose value is a code with a message of its own: `prefix + code` (unknown codes as they are).
CODE_MESSAGES = {"trigger": "trigger.", "outcome": "outcome.", "error_cause": "cause.", "cause": "cause.",
                 "kind": "alert_kind."}
ROLE_FIELDS = frozenset({"role", "from", "to"})  # a role change's details: {"from": role, "to": role}
JOB_ACTIONS = frozenset({"JOB_RUN", "JOB_PAUSE", "JOB_RESUME", "RUN_HANDLED"})  # their target is a job id
# A job run started by the schedule, merged into the audit log with "trigger:outcome" as its details.
RUN_DETAILS = re.compile(r"^(schedule|manual|retry):([A-Z_]*)$")


def actor_name(actor: str | None, lang: str) -> str:
    """A person's username as is; `job:bpjs_pull` as "Sistem (tugas bpjs_pull)"."""
    if not actor:
        return i18n.t("history.system", lang)
    if actor.startswith("job:"):
        return i18n.t("history.job", lang, job=job_name(actor.removeprefix("job:"), lang))
    return actor


def action_label(action: str | None, lang: str) -> str:
    """An audit action's label: `JOB_RUN` "Tugas dijalankan", `CLAIM_HOLD` "Klaim: Ditunda"; unknown as is."""
    if not action:
        return ""
    key = f"audit_action.{action}"
    if key in i18n.MESSAGES:
        return i18n.t(key, lang)
    event = f"event.{action.removeprefix('CLAIM_')}"
    if action.startswith("CLAIM_") and event in i18n.MESSAGES:
        return i18n.t("audit_action.claim", lang, event=i18n.t(event, lang))
    return action


def target_text(action: str | None, target: str | None, lang: str) -> str:
    """An audit row's target as people read it: a job's name for the job actions."""
    if target and action in JOB_ACTIONS:
        return job_name(target, lang)
    return target or ""


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
    if isinstance(details, str) and (run := RUN_DETAILS.match(details)):
        return " · ".join(_coded(key, code, lang) for key, code in zip(("trigger", "outcome"), run.groups(),
                                                                          strict=True) if code)
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
    if key == "job" and isinstance(value, str):
        return job_name(value, lang)
    if isinstance(value, str) and (key in CODE_MESSAGES or key in ROLE_FIELDS):
        return _coded(key, value, lang)
    return str(value)


def _coded(key: str, code: str, lang: str) -> str:
    if key in ROLE_FIELDS:
        return i18n.role_label(code, lang)
    name = CODE_MESSAGES[key] + code
    return i18n.t(name, lang) if name in i18n.MESSAGES else code


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
