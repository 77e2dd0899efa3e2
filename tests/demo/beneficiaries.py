"""The contract's beneficiary rule, written out apart so that demo tests do not trust the code they test."""

from __future__ import annotations

DEATH = {"JKK_MENINGGAL", "JKK_PEMAKAMAN", "JKM"}
OWN = {"JKK_STMB", "JKK_CACAT", "JKK_PENGGANTIAN_BIAYA"}


def misfit(benefit: str, relation: str) -> bool:
    """True when a pre-payout check would stop `benefit` paid to `relation`."""
    return ((benefit in DEATH and relation == "SELF")
            or (benefit in OWN and relation not in {"SELF", "GUARDIAN"})
            or (benefit == "BEASISWA" and relation not in {"CHILD", "GUARDIAN"})
            or (relation == "FUNERAL_ORGANISER" and benefit not in {"JKK_PEMAKAMAN", "JKM"}))
