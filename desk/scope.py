"""Kabupaten desks (contract section 8): the one place that decides which claims a user may reach.

`User.kabupaten_codes` holds the Kemendagri codes of the kabupaten/kota a desk serves
("5301,5371"); NULL means the whole province. Every read and every action of claim data
asks here:
- `codes_of(user)`: the user's scope, a tuple of codes, or None for the whole province;
- `claim_scope(user)`: the peewee condition on `Claim.kabupaten_code` (None: no condition),
  for queries that are not built from a `ClaimFilter`;
- `scoped(user, f)`: a queue filter narrowed to the scope (the queue, bulk actions, exports);
- `ensure_in_scope(user, code, subject)`: raises `Refused` for a claim (or anything with a
  kabupaten) outside the scope; a direct address or an action on it is refused, never served;
- `ensure_province(user, what)`: raises `Refused` for what is province-wide by nature (a whole
  partner file, the audit log), which a kabupaten desk may not open.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from core.claims.detail import ClaimDetail, claim_detail
from core.claims.queries import ClaimFilter
from core.reference import Reference
from core.text import i18n
from desk.acting import acting_user
from desk.permissions import Action
from desk.refusal import Refused
from models import Claim, User

MAX_STORED = 200  # User.kabupaten_codes is varchar(200): 22 codes of 4 digits and commas fit in 109


def codes_of(user: User | None) -> tuple[str, ...] | None:
    """The kabupaten codes `user` is limited to, or None for the whole province.

    A stored value that holds no code at all ("" or ",") is read as an empty scope (nothing
    is visible), never as the whole province: a damaged value must not widen access.
    """
    raw = getattr(user, "kabupaten_codes", None)
    if raw is None:
        return None
    return tuple(sorted({c.strip() for c in raw.split(",") if c.strip()}))


def claim_scope(user: User | None) -> Any:
    """The condition "claim within the user's kabupaten", or None for a province-wide user."""
    codes = codes_of(user)
    return None if codes is None else Claim.kabupaten_code.in_(codes or ("-",))


def scoped(user: User | None, claim_filter: ClaimFilter) -> ClaimFilter:
    """`claim_filter` narrowed to the user's scope (the scope of the filter is replaced, never widened
    by what a page or an address asked for)."""
    return dataclasses.replace(claim_filter, scope=codes_of(user))


def in_scope(user: User | None, kabupaten_code: str | None) -> bool:
    codes = codes_of(user)
    return codes is None or (kabupaten_code or "") in codes


def ensure_in_scope(user: User | None, kabupaten_code: str | None, claim_no: str) -> None:
    """Refuse (`scope.refused`) when the claim `claim_no`, of `kabupaten_code`, is outside the user's
    desk: a direct address or an action on it is refused, never served."""
    if not in_scope(user, kabupaten_code):
        raise Refused("scope.refused", claim_no=claim_no, desk=", ".join(codes_of(user) or ()))


def claim_detail_for(username: str | None, claim_no: str) -> ClaimDetail | None:
    """The claim page's data for the active user `username`: None when there is no such claim;
    Refused when it belongs to another kabupaten (its case's other claims are listed within the desk)."""
    user = acting_user(username, Action.VIEW)
    detail = claim_detail(claim_no, scope=codes_of(user))
    if detail is not None:
        ensure_in_scope(user, detail.claim.kabupaten_code, detail.claim.claim_no)
    return detail


def ensure_province(user: User | None, what: str) -> None:
    """Refuse (`scope.province_only`) a kabupaten desk what spans the whole province (`what`: a
    message key naming it)."""
    codes = codes_of(user)
    if codes is not None:
        raise Refused("scope.province_only", what=i18n.t(what, "id"), desk=", ".join(codes))


def parse_codes(text: str | Iterable[str] | None, known: Iterable[str]) -> tuple[str, ...] | None:
    """Codes typed by an admin ("5301, 5371", or a list from a select) checked against the 22
    kabupaten/kota of config/reference.yaml; None (whole province) when empty. Raises Refused
    naming the unknown codes."""
    values = text.split(",") if isinstance(text, str) else list(text or ())
    codes = tuple(sorted({v.strip() for v in values if v and v.strip()}))
    if not codes:
        return None
    unknown = [c for c in codes if c not in set(known)]
    if unknown:
        raise Refused("scope.unknown_codes", codes=", ".join(unknown))
    return codes


def stored(codes: tuple[str, ...] | None) -> str | None:
    """The value of `User.kabupaten_codes` for `codes` (None: the whole province)."""
    value = ",".join(codes) if codes else None
    if value is not None and len(value) > MAX_STORED:
        raise Refused("scope.unknown_codes", codes=value)
    return value


def desk_label(codes: tuple[str, ...] | None, reference: Reference, lang: str = "id") -> str:
    """The desk as people say it: "Kab. Kupang, Kota Kupang", or the whole province."""
    if codes is None:
        return i18n.t("scope.province", lang)
    names = [reference.label("kabupaten", c, lang).replace("Kabupaten ", "Kab. ") for c in codes]
    return ", ".join(names) or i18n.t("scope.none", lang)
