"""Conditional rules between fields of a record, and which amounts the control total sums.

Both are data from the layout file. A condition (`when`) is a set of field -> allowed
values that must all hold, e.g. `{decision: [REJECTED]}`. A rule then requires fields
(`required`), forbids them (`empty`) or bounds numbers (`equals`, `min`, `max`; a number
bound also means the field must be present).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Condition = tuple[tuple[str, tuple[str, ...]], ...]


def holds(condition: Condition, values: Mapping[str, Any]) -> bool:
    """True when every field of the condition has one of its listed values."""
    return all(values.get(name) in allowed for name, allowed in condition)


def describe(condition: Condition) -> str:
    """'bila decision = REJECTED' / 'bila status = FAILED atau RETURNED dan ...'."""
    parts = [f"{name} = {' atau '.join(allowed)}" for name, allowed in condition]
    return "bila " + " dan ".join(parts)


@dataclass(frozen=True)
class Rule:
    when: Condition
    required: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()
    equals: tuple[tuple[str, int], ...] = ()
    min: tuple[tuple[str, int], ...] = ()
    max: tuple[tuple[str, int], ...] = ()

    @property
    def fields(self) -> set[str]:
        """Every field the rule mentions (the loader checks they exist)."""
        named = {n for n, _ in self.when} | set(self.required) | set(self.empty)
        return named | {n for n, _ in self.equals + self.min + self.max}

    def violations(self, values: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
        """(field, code, message) for each way `values` breaks this rule."""
        if not holds(self.when, values):
            return
        cond = describe(self.when)
        for name in self.required:
            if values.get(name) is None:
                yield name, "rule_required", f"wajib diisi {cond}"
        for name in self.empty:
            if values.get(name) is not None:
                yield name, "rule_empty", f"harus kosong {cond}"
        for name, bound in self.equals:
            value = values.get(name)
            if value is None or value != bound:
                yield name, "rule_equals", f"harus {bound} {cond}, bukan {_show(value)}"
        for name, bound in self.min:
            value = values.get(name)
            if value is None or value < bound:
                yield name, "rule_min", f"harus minimal {bound} {cond}, bukan {_show(value)}"
        for name, bound in self.max:
            value = values.get(name)
            if value is None or value > bound:
                yield name, "rule_max", f"harus paling banyak {bound} {cond}, bukan {_show(value)}"


@dataclass(frozen=True)
class ControlTotal:
    """The trailer's control total is the sum of `field` over records where `when` holds."""

    field: str
    when: Condition = ()

    def amount(self, values: Mapping[str, Any]) -> int:
        """What one record adds to the total (0 when it does not count or did not parse)."""
        if self.when and not holds(self.when, values):
            return 0
        value = values.get(self.field)
        return value if isinstance(value, int) else 0

    def describe(self) -> str:
        where = f" ({describe(self.when)})" if self.when else ""
        return f"jumlah {self.field}{where}"


def _show(value: Any) -> str:
    return "kosong" if value is None else str(value)
