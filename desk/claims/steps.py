"""What a claim action will do, claim by claim (`Step`), and the plan a person confirms (`Preview`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from core.claims.checks import Verdict
from desk.permissions import Action
from models import Claim


@dataclass(frozen=True)
class Step:
    """What will happen to one claim. `to_status == from_status`: an event without a move."""

    claim_id: int
    claim_no: str
    amount: int
    from_status: str
    to_status: str
    version: str  # the claim's updated_at: any change to the claim changes the plan's digest
    changes: tuple[tuple[str, Any], ...] = ()
    details: tuple[tuple[str, Any], ...] = ()
    note_key: str | None = None  # why it lands where it does (e.g. the check that failed)
    note: str | None = None


@dataclass(frozen=True)
class Move:
    from_status: str
    to_status: str
    count: int
    total: int


@dataclass(frozen=True)
class Preview:
    action: Action
    steps: tuple[Step, ...]
    skipped: dict[str, int] = field(default_factory=dict)  # message key -> number of claims
    warnings: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def count(self) -> int:
        return len(self.steps)

    @property
    def total(self) -> int:
        return sum(s.amount for s in self.steps)

    @property
    def moves(self) -> list[Move]:
        groups: dict[tuple[str, str], list[Step]] = {}
        for step in self.steps:
            groups.setdefault((step.from_status, step.to_status), []).append(step)
        return [Move(a, b, len(g), sum(s.amount for s in g)) for (a, b), g in sorted(groups.items())]

    @property
    def digest(self) -> str:
        """Fingerprint of the plan: which claims, as they were, from and to which status, for how much.

        The person's own input (reason, new account) is not part of it: it is checked again
        when the action is performed.
        """
        text = "\n".join(f"{s.claim_id}|{s.version}|{s.from_status}|{s.to_status}|{s.amount}"
                         for s in self.steps)
        return hashlib.sha256(f"{self.action}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Outcome:
    action: Action
    count: int
    total: int
    moves: list[Move]


def step(claim: Claim, to_status: str, verdict: Verdict | None = None,
         details: tuple[tuple[str, Any], ...] | None = None, **changes: Any) -> Step:
    """The step taking `claim` to `to_status` with `changes`; the check's reason (if any) is its note.

    `details` (for the claim's event) default to the failed check, if one failed.
    """
    if details is None:
        details = (("check", verdict.reason),) if verdict and verdict.reason else ()
    return Step(claim.id, claim.claim_no, claim.approved_amount, claim.status, to_status,
                str(claim.updated_at), tuple(sorted(changes.items())), details,
                note=verdict.reason if verdict else None)
