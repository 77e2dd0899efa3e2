"""Reference data (kabupaten, occupations, benefit types...) loaded from YAML.

The codes validate the partners' files; the labels are what coordinators read. One
`Reference` is built at start and passed down with the settings. Each benefit type also
carries its rules (`benefit_rules`: programme, payment duty, ceiling, one-off or
instalment, who may receive it), so adding a benefit type stays a change of the YAML.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from core.settings import ConfigError

LISTS = ("kabupaten", "occupation", "benefit_type", "beneficiary_relation", "failure_code",
         "claim_status")
PROGRAMMES = ("JKK", "JKM")
PAYMENTS = ("one_off", "instalment")
RULE_KEYS = {"programme", "duty_days", "payment", "ceiling", "ceiling_wages", "beneficiaries"}


@dataclass(frozen=True)
class Label:
    id: str
    en: str

    def __call__(self, lang: str = "id") -> str:
        return self.en if lang == "en" else self.id


@dataclass(frozen=True)
class BenefitRule:
    """What the regulation (PP 44/2015 as amended by PP 82/2019) says of one benefit type."""

    code: str
    programme: str  # JKK or JKM
    duty_days: int  # BPJS pays within this many working days of verifying the file
    one_off: bool  # paid once per case; False: in instalments, each its own claim_no
    ceiling: int | None = None  # Rupiah per claim, absolute
    ceiling_wages: int | None = None  # or this many times `reference_wage`
    beneficiaries: frozenset[str] | None = None  # relation codes allowed to receive it; None: any

    def ceiling_amount(self, reference_wage: int) -> int | None:
        """The most one claim of this benefit may pay, in Rupiah (None: no ceiling)."""
        if self.ceiling_wages is not None:
            return self.ceiling_wages * reference_wage
        return self.ceiling


@dataclass(frozen=True)
class Reference:
    lists: Mapping[str, Mapping[str, Label]]
    benefits: Mapping[str, BenefitRule]

    @property
    def instalment_benefits(self) -> frozenset[str]:
        """Benefit types paid in several instalments under one case."""
        return frozenset(code for code, rule in self.benefits.items() if not rule.one_off)

    def benefit(self, code: str) -> BenefitRule | None:
        return self.benefits.get(code)

    def codes(self, name: str) -> frozenset[str]:
        """The allowed codes of one list; raises KeyError for an unknown list."""
        return frozenset(self.lists[name])

    def label(self, name: str, code: str, lang: str = "id") -> str:
        """The label of a code, or the code itself when it is not in the list."""
        entry = self.lists.get(name, {}).get(code)
        return entry(lang) if entry else code

    def options(self, name: str, lang: str = "id") -> dict[str, str]:
        """code -> label, in file order, for select boxes."""
        return {code: label(lang) for code, label in self.lists[name].items()}


def load_reference(path: Path) -> Reference:
    """Read and check the reference YAML; raises ConfigError naming file and key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read reference data ({exc})") from None
    lists: dict[str, Mapping[str, Label]] = {}
    for name in LISTS:
        entries = data.get(name)
        if not isinstance(entries, dict) or not entries:
            raise ConfigError(f"{path}: {name}: expected a mapping of code -> {{id, en}}")
        parsed = {}
        for code, labels in entries.items():
            if not isinstance(labels, dict) or set(labels) != {"id", "en"}:
                raise ConfigError(f"{path}: {name}.{code}: expected {{id: ..., en: ...}}")
            parsed[str(code)] = Label(str(labels["id"]), str(labels["en"]))
        lists[name] = types.MappingProxyType(parsed)
    unknown = set(data) - set(LISTS) - {"benefit_rules"}
    if unknown:
        raise ConfigError(f"{path}: {sorted(unknown)[0]}: unknown key")
    benefits = _benefit_rules(path, data.get("benefit_rules"), lists)
    return Reference(types.MappingProxyType(lists), types.MappingProxyType(benefits))


def _benefit_rules(path: Path, data: Any, lists: Mapping[str, Mapping[str, Label]]) -> dict[str, BenefitRule]:
    """Every benefit type has exactly one rule, and every rule names a known benefit type."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: benefit_rules: expected a mapping of benefit type -> its rule")
    known = lists["benefit_type"]
    missing = [code for code in known if code not in data]
    if missing:
        raise ConfigError(f"{path}: benefit_rules: no rule for benefit type {missing[0]}")
    rules = {}
    for code, raw in data.items():
        key = f"{path}: benefit_rules.{code}"
        if str(code) not in known:
            raise ConfigError(f"{key}: unknown benefit type (add it to benefit_type first)")
        if not isinstance(raw, dict):
            raise ConfigError(f"{key}: expected a mapping")
        stray = set(raw) - RULE_KEYS
        if stray:
            known_keys = ", ".join(sorted(RULE_KEYS))
            raise ConfigError(f"{key}.{sorted(stray)[0]}: unknown key (known: {known_keys})")
        if raw.get("programme") not in PROGRAMMES:
            raise ConfigError(f"{key}.programme: expected one of {', '.join(PROGRAMMES)}")
        if raw.get("payment") not in PAYMENTS:
            raise ConfigError(f"{key}.payment: expected one of {', '.join(PAYMENTS)}")
        if "ceiling" in raw and "ceiling_wages" in raw:
            raise ConfigError(f"{key}: give ceiling (Rupiah) or ceiling_wages (x reference_wage), not both")
        relations = raw.get("beneficiaries")
        if relations is not None:
            if not isinstance(relations, list) or not relations:
                raise ConfigError(f"{key}.beneficiaries: expected a list of beneficiary_relation codes")
            stray = [r for r in relations if str(r) not in lists["beneficiary_relation"]]
            if stray:
                raise ConfigError(f"{key}.beneficiaries: unknown beneficiary_relation {stray[0]}")
        rules[str(code)] = BenefitRule(
            code=str(code), programme=raw["programme"],
            duty_days=_positive(raw.get("duty_days"), f"{key}.duty_days", "working days"),
            one_off=raw["payment"] == "one_off",
            ceiling=_positive(raw["ceiling"], f"{key}.ceiling", "Rupiah") if raw.get("ceiling") is not None
            else None,
            ceiling_wages=_positive(raw["ceiling_wages"], f"{key}.ceiling_wages", "times reference_wage")
            if raw.get("ceiling_wages") is not None else None,
            beneficiaries=frozenset(str(r) for r in relations) if relations is not None else None)
    return rules


def _positive(value: Any, key: str, unit: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{key}: expected a whole number of {unit} above 0, got {value!r}")
    return value
