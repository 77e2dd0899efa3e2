"""Reference data (kabupaten, occupations, benefit types...) loaded from YAML.

The codes validate the partners' files; the labels are what coordinators read. One
`Reference` is built at start and passed down with the settings.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.settings import ConfigError

LISTS = ("kabupaten", "occupation", "benefit_type", "beneficiary_relation", "failure_code",
         "claim_status")


@dataclass(frozen=True)
class Label:
    id: str
    en: str

    def __call__(self, lang: str = "id") -> str:
        return self.en if lang == "en" else self.id


@dataclass(frozen=True)
class Reference:
    lists: Mapping[str, Mapping[str, Label]]
    instalment_benefits: frozenset[str]

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
    unknown = set(data) - set(LISTS) - {"instalment_benefits"}
    if unknown:
        raise ConfigError(f"{path}: {sorted(unknown)[0]}: unknown key")
    instalments = frozenset(str(c) for c in data.get("instalment_benefits") or ())
    stray = instalments - set(lists["benefit_type"])
    if stray:
        raise ConfigError(f"{path}: instalment_benefits: unknown benefit type {sorted(stray)[0]}")
    return Reference(types.MappingProxyType(lists), instalments)
