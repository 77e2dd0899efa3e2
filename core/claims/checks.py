"""Pre-payout checks: where a payable claim goes before any money moves.

Pure rules over one claim plus look-ups of the other claims (same case, same worker, same
account); used by the intake job, by release from hold, by approval and by a resend, so there
is one answer to "may this claim be paid now?". Intake answers the look-ups from a few
queries per chunk (`ChunkLookups`); a single claim from the database (`DbLookups`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from rapidfuzz import fuzz, utils

from core.claims.statuses import PAYING
from core.db import in_values
from core.reference import BenefitRule
from core.roster.cover import Period, cover_periods
from core.text import fmt
from models import Claim, ClaimStatus

S = ClaimStatus
BANK_CODE = re.compile(r"\d{3}")
ACCOUNT_NO = re.compile(r"\d{6,20}")
DEATH_BENEFITS = frozenset({"JKK_MENINGGAL", "JKK_PEMAKAMAN", "JKM"})
# A worker dies once: either of a work accident (JKK) or not (JKM), never both.
WORK_DEATH = frozenset({"JKK_MENINGGAL", "JKK_PEMAKAMAN"})
# Claims that no longer stand (BPJS rejected them, a coordinator cancelled them) contradict nothing.
NOT_STANDING = frozenset({S.REJECTED, S.CANCELLED})


@dataclass(frozen=True)
class Verdict:
    status: str  # READY, NEEDS_REVIEW, AWAITING_APPROVAL or REJECTED
    reason: str | None = None  # why it is not READY, in plain Indonesian


@dataclass(frozen=True)
class BenefitRules:
    """What the ceiling, cover and beneficiary rules read: reference data and three settings."""

    benefits: Mapping[str, BenefitRule]
    reference_wage: int
    programme_start: dt.date
    roster_required: bool = False  # check 4: a kpj not on the roster needs review

    @classmethod
    def of(cls, settings: Any, reference: Any) -> BenefitRules:
        return cls(reference.benefits, settings.reference_wage, settings.programme_start,
                   settings.roster.required)


class Other(NamedTuple):
    """Another claim, as the cross-claim rules see it; `seq` orders them (lower: earlier)."""

    seq: int
    claim_no: str
    case_no: str
    benefit_type: str
    nik: str
    kpj: str
    beneficiary_nik: str
    bank_code: str | None
    account_no: str | None
    status: str


OTHER_FIELDS = (Claim.id, Claim.claim_no, Claim.case_no, Claim.benefit_type, Claim.nik, Claim.kpj,
                Claim.beneficiary_nik, Claim.bank_code, Claim.account_no, Claim.status)


class Lookups(Protocol):
    def same_case(self, claim: Any) -> list[Other]: ...
    def same_worker(self, claim: Any) -> list[Other]: ...
    def same_account(self, claim: Any) -> list[Other]: ...
    def cover(self, claim: Any) -> Period | None: ...  # the kpj's roster period; None: not on the roster


def payee_name(claim: Any) -> str:
    """The name the bank credits: the account holder a coordinator recorded, else BPJS's beneficiary.

    Contract section 7 "Bank details": beneficiary_name is never overwritten; the instruction
    carries the holder's name when one was recorded (a guardian's account for a child).
    """
    return getattr(claim, "account_holder_name", None) or claim.beneficiary_name


def holder_looks_unrelated(claim: Any, threshold: int) -> bool:
    """The recorded account holder's name is not like the beneficiary's (token set ratio under
    `holder_name_similarity`): a guardian's account is fine, a stranger's is a warning sign."""
    holder = getattr(claim, "account_holder_name", None)
    if not holder:
        return False
    ratio = fuzz.token_set_ratio(holder, claim.beneficiary_name, processor=utils.default_process)
    return ratio < threshold


def payout_fingerprint(claim: Any) -> str:
    """What an approver signs off: amount and where the money goes (the account and its holder)."""
    text = "|".join(str(v) for v in (claim.approved_amount, claim.bank_code, claim.account_no,
                                     payee_name(claim)))
    return hashlib.sha256(text.encode()).hexdigest()


def evaluate(claim: Any, *, approval_threshold: int, instalment_benefits: frozenset[str],
             needs_four_eyes: bool = False, lookups: Lookups | None = None,
             benefit_rules: BenefitRules | None = None, waived: Iterable[str] = ()) -> Verdict:
    """The status a claim should take now. `needs_four_eyes`: its bank details were changed by hand.

    `lookups` answers "which other claims share its case, worker, account" (default: the
    database, one claim at a time). Without `benefit_rules` the ceiling, cover and
    beneficiary-list rules are not checked (the death-to-the-worker rule always is).
    `waived`: review reasons a coordinator cleared, with a written reason, for this revision;
    a missing or bad account is never waived (the money could not arrive).
    """
    if claim.decision == "REJECTED":
        return Verdict(S.REJECTED, claim.decision_reason)
    problems = review_problems(claim, instalment_benefits, lookups or DbLookups(), benefit_rules)
    account, waived = _account_problem(claim), frozenset(waived)
    problems = [p for p in problems if p == account or p not in waived]
    if problems:
        return Verdict(S.NEEDS_REVIEW, "; ".join(problems))
    signed = claim.approved_fingerprint
    approved = signed is not None and signed == payout_fingerprint(claim)
    if needs_four_eyes and not approved:
        return Verdict(S.AWAITING_APPROVAL, "Rekening diubah: perlu persetujuan orang kedua")
    if claim.approved_amount >= approval_threshold and not approved:
        return Verdict(S.AWAITING_APPROVAL,
                       "Nilai santunan di atas batas persetujuan: perlu persetujuan orang kedua")
    return Verdict(S.READY)


def review_problems(claim: Any, instalment_benefits: frozenset[str], lookups: Lookups,
                    benefit_rules: BenefitRules | None) -> list[str]:
    """Every reason the claim must be reviewed by a person, the account's first."""
    account = _account_problem(claim)
    problems = [account] if account else []
    rule = benefit_rules.benefits.get(claim.benefit_type) if benefit_rules else None
    if benefit_rules and rule:
        problems += filter(None, [_over_ceiling(claim, rule, benefit_rules.reference_wage)])
    problems += filter(None, [_dies_twice(claim, lookups), _paid_twice(claim, instalment_benefits, lookups)])
    if benefit_rules:
        problems += filter(None, [_not_covered(claim, benefit_rules, lookups)])
    problems += filter(None, [_beneficiary_problem(claim, rule), _shared_account(claim, lookups)])
    return problems


def account_problem(claim: Any) -> str | None:
    """Check 7's account part alone: the one review reason a coordinator may not clear."""
    return _account_problem(claim)


def _account_problem(claim: Any) -> str | None:
    if not claim.bank_code or not claim.account_no:
        return "Rekening bank belum ada: lengkapi kode bank dan nomor rekening"
    if not BANK_CODE.fullmatch(claim.bank_code):
        return f"Kode bank tidak valid ({claim.bank_code}): harus 3 angka"
    if not ACCOUNT_NO.fullmatch(claim.account_no):
        return f"Nomor rekening tidak valid ({claim.account_no}): harus 6-20 angka"
    if claim.approved_amount <= 0:
        return "Nilai santunan nol: tidak ada yang dibayar"
    if claim.beneficiary_relation == "SELF" and claim.beneficiary_nik != claim.nik:
        return "Penerima 'peserta sendiri' tetapi NIK penerima berbeda dari NIK peserta"
    return None


def _over_ceiling(claim: Any, rule: BenefitRule, reference_wage: int) -> str | None:
    """The regulation pays at most this much per claim of the benefit: more is a typing or rule error."""
    ceiling = rule.ceiling_amount(reference_wage)
    if ceiling is None or claim.approved_amount <= ceiling:
        return None
    return (f"Aturan batas manfaat: nilai {fmt.rupiah(claim.approved_amount)} di atas batas "
            f"{claim.benefit_type} {fmt.rupiah(ceiling)}: periksa nilai dengan BPJS")


def _not_covered(claim: Any, rules: BenefitRules, lookups: Lookups) -> str | None:
    """Check 4: the accident falls in the programme and in the worker's roster period (Mulai..Berakhir)."""
    accident = claim.accident_date
    if accident < rules.programme_start:
        return (f"Aturan pertanggungan: kecelakaan tanggal {fmt.date(accident)} sebelum program mulai "
                f"{fmt.date(rules.programme_start)}: tidak ditanggung, periksa dengan BPJS")
    period = lookups.cover(claim)
    if period is None:
        if not rules.roster_required:
            return None
        return (f"Aturan pertanggungan: KPJ {claim.kpj} tidak ada di daftar peserta: periksa kepesertaan "
                f"dengan BPJS atau perbarui daftar peserta")
    start, end = period
    if start <= accident and (end is None or accident <= end):
        return None
    until = fmt.date(end) if end else "sekarang"
    return (f"Aturan pertanggungan: kecelakaan tanggal {fmt.date(accident)} di luar masa kepesertaan "
            f"KPJ {claim.kpj} menurut daftar peserta ({fmt.date(start)} s.d. {until}): periksa dengan BPJS")


def _dies_twice(claim: Any, lookups: Lookups) -> str | None:
    """A worker (same NIK or KPJ) dies once: his death claims share one case, JKM or JKK, not both."""
    if claim.benefit_type not in DEATH_BENEFITS:
        return None
    work = claim.benefit_type in WORK_DEATH
    for other in lookups.same_worker(claim):
        if other.case_no != claim.case_no:
            return (f"Aturan meninggal sekali: peserta ini sudah punya klaim kematian {other.claim_no} "
                    f"({other.benefit_type}) pada kasus {other.case_no}, bukan kasus {claim.case_no}: "
                    f"periksa dengan BPJS")
        if (other.benefit_type in WORK_DEATH) != work:
            return (f"Aturan meninggal sekali: {claim.benefit_type} tidak bisa berdampingan dengan klaim "
                    f"{other.claim_no} ({other.benefit_type}) pada kasus {claim.case_no}; kematian "
                    f"karena kecelakaan kerja (JKK) atau bukan (JKM): periksa dengan BPJS")
    return None


def _paid_twice(claim: Any, instalment_benefits: frozenset[str], lookups: Lookups) -> str | None:
    """A one-off benefit is paid once per case."""
    if claim.benefit_type in instalment_benefits:
        return None
    other = next((o for o in lookups.same_case(claim)
                  if o.benefit_type == claim.benefit_type and o.status in PAYING), None)
    if other is None:
        return None
    return (f"Kasus {claim.case_no} dengan manfaat {claim.benefit_type} sudah dibayar, dikirim atau "
            f"antre bayar lewat klaim {other.claim_no}: kemungkinan pembayaran ganda")


def _beneficiary_problem(claim: Any, rule: BenefitRule | None) -> str | None:
    """Who may receive the benefit (reference data `beneficiaries`); a death never to the worker."""
    relation = claim.beneficiary_relation
    if claim.benefit_type in DEATH_BENEFITS and relation == "SELF":
        return "Santunan kematian tidak bisa dibayar ke peserta sendiri: perlu data ahli waris"
    if rule is None or rule.beneficiaries is None or relation in rule.beneficiaries:
        return None
    allowed = ", ".join(sorted(rule.beneficiaries))
    return (f"Aturan penerima: {claim.benefit_type} tidak boleh dibayar ke penerima {relation} "
            f"(yang boleh: {allowed}): periksa ahli waris dengan BPJS")


def _shared_account(claim: Any, lookups: Lookups) -> str | None:
    """One account, one beneficiary: an account already paid to another NIK is likely a mistake or fraud."""
    if not claim.bank_code or not claim.account_no:
        return None
    other = next((o for o in lookups.same_account(claim) if o.beneficiary_nik != claim.beneficiary_nik), None)
    if other is None:
        return None
    return (f"Aturan rekening bersama: rekening {claim.bank_code}-{claim.account_no} sudah dipakai klaim "
            f"{other.claim_no} untuk penerima lain (NIK {other.beneficiary_nik}): periksa pemilik rekening")


def _earliest(others: Iterable[Other], claim_no: str) -> list[Other]:
    return sorted((o for o in others if o.claim_no != claim_no and o.status not in NOT_STANDING),
                  key=lambda o: o.seq)


def _rows(query: Any) -> list[Other]:
    return [Other(*row) for row in query.tuples()]


class DbLookups:
    """The other claims of one claim, from the database (desk actions: one claim at a time)."""

    def same_case(self, claim: Any) -> list[Other]:
        return _earliest(_rows(Claim.select(*OTHER_FIELDS).where(Claim.case_no == claim.case_no)),
                         claim.claim_no)

    def same_worker(self, claim: Any) -> list[Other]:
        query = Claim.select(*OTHER_FIELDS).where((Claim.nik == claim.nik) | (Claim.kpj == claim.kpj))
        return _earliest((o for o in _rows(query) if o.benefit_type in DEATH_BENEFITS), claim.claim_no)

    def same_account(self, claim: Any) -> list[Other]:
        query = Claim.select(*OTHER_FIELDS).where(Claim.account_no == claim.account_no,
                                                  Claim.bank_code == claim.bank_code)
        return _earliest(_rows(query), claim.claim_no)

    def cover(self, claim: Any) -> Period | None:
        return cover_periods([claim.kpj]).get(claim.kpj)


@dataclass
class ChunkLookups:
    """The other claims of a whole intake chunk: three queries, then the chunk's own claims as decided.

    Claims are keyed by claim_no, so a revision replaces what the database held of it.
    """

    claims: dict[str, Other] = field(default_factory=dict)
    by_case: dict[str, set[str]] = field(default_factory=dict)
    by_worker: dict[str, set[str]] = field(default_factory=dict)  # "nik:..." and "kpj:..." keys
    by_account: dict[tuple[str | None, str | None], set[str]] = field(default_factory=dict)
    covers: dict[str, Period] = field(default_factory=dict)  # kpj -> roster period, one query a chunk
    _next: int = 1  # seq of the next claim of the chunk: after every claim the database held

    @classmethod
    def load(cls, values: list[Mapping[str, Any]]) -> ChunkLookups:
        out = cls()
        cases = {v["case_no"] for v in values}
        dying = [v for v in values if v["benefit_type"] in DEATH_BENEFITS]
        accounts = {v["account_no"] for v in values if v["account_no"]}
        # Statuses and benefit types are filtered here, not in SQL, so each query keeps to one index.
        rows = _rows(Claim.select(*OTHER_FIELDS).where(in_values(Claim.case_no, cases)))
        if dying:
            query = Claim.select(*OTHER_FIELDS).where(in_values(Claim.nik, {v["nik"] for v in dying})
                                                      | in_values(Claim.kpj, {v["kpj"] for v in dying}))
            rows += [o for o in _rows(query) if o.benefit_type in DEATH_BENEFITS]
        if accounts:
            rows += _rows(Claim.select(*OTHER_FIELDS).where(in_values(Claim.account_no, accounts)))
        for other in sorted(rows, key=lambda o: o.seq):
            out._put(other)
        out._next = max((o.seq for o in rows), default=0) + 1
        out.covers = cover_periods({v["kpj"] for v in values})
        return out

    def add(self, values: Mapping[str, Any], status: str) -> None:
        """A claim of this chunk, now decided: later claims of the chunk see it (a revision replaces)."""
        old = self.claims.get(values["claim_no"])
        self._put(Other(old.seq if old else self._next, values["claim_no"], values["case_no"],
                        values["benefit_type"], values["nik"], values["kpj"], values["beneficiary_nik"],
                        values["bank_code"], values["account_no"], status))
        self._next += 1

    def same_case(self, claim: Any) -> list[Other]:
        return self._find(self.by_case.get(claim.case_no, ()), claim.claim_no)

    def same_worker(self, claim: Any) -> list[Other]:
        nos = self.by_worker.get(f"nik:{claim.nik}", set()) | self.by_worker.get(f"kpj:{claim.kpj}", set())
        return [o for o in self._find(nos, claim.claim_no) if o.benefit_type in DEATH_BENEFITS]

    def same_account(self, claim: Any) -> list[Other]:
        return self._find(self.by_account.get((claim.bank_code, claim.account_no), ()), claim.claim_no)

    def cover(self, claim: Any) -> Period | None:
        return self.covers.get(claim.kpj)

    def _find(self, claim_nos: Iterable[str], claim_no: str) -> list[Other]:
        return _earliest((self.claims[n] for n in claim_nos), claim_no)

    def _put(self, other: Other) -> None:
        old = self.claims.get(other.claim_no)
        if old is not None:
            for index, key in self._keys(old):
                index[key].discard(old.claim_no)
        self.claims[other.claim_no] = other
        for index, key in self._keys(other):
            index.setdefault(key, set()).add(other.claim_no)

    def _keys(self, o: Other) -> list[tuple[dict[Any, set[str]], Any]]:
        return [(self.by_case, o.case_no), (self.by_worker, f"nik:{o.nik}"), (self.by_worker, f"kpj:{o.kpj}"),
                (self.by_account, (o.bank_code, o.account_no))]
