"""The fast path for delimited detail records: one regex and one generated function.

Reading a million records in Python leaves about 3 microseconds per record, less than a
Python-level loop over 20 field validators costs. So, for each delimited record type:
- the fields' `fragment`s are joined into ONE compiled regex for the whole line (syntax,
  lengths, characters, NIK structure, codes and enums are all checked in C), and
- the conversions and the checks a regex cannot do (int range, calendar dates,
  `not_future`, the layout's conditional rules) are written out as the source of one
  small function, compiled once when the layout is loaded.

The fast path only ever says "this record is good, here are its values" or "ask the slow
path": it never produces an error message. `RecordSpec.parse_raws` stays the authority;
tests check the two agree on good records and that the fast path accepts them.

Generated source is built only from validated identifiers (field names) and integers;
every other constant (value sets, conversion functions) is passed in the namespace.

Why generated and not plain loops: measured on the VERIFIED_CLAIMS benchmark
(benchmarks/layout_throughput.py, 100k records, CPU time, back to back), a plain `build`
(`dict(zip(names, groups))`, then loops over precomputed tables of conversions, ranges and
rule bounds) took 2.5-2.9 us a record against 1.4-1.5 us for the generated one, and made
`read_records` 5.0-5.3 -> 6.0-6.7 us a record: 3.1-3.9x the bare csv.reader pass instead
of 2.5-2.9x, over the 3x target. The generated dict literal and straight-line checks are
what keep it under.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.files.layout.fields import Field, IntegerField
from core.files.layout.rules import Condition, Rule

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class FastPath:
    match: Callable[[str], re.Match[str] | None]
    build: Callable[[Sequence[str | None], date | None], dict[str, Any] | None]
    source: str  # kept for debugging: print(layout.detail.fast.source)


def compile_fast(marker: str, delimiter: str, fields: Sequence[Field], rules: Sequence[Rule]) -> FastPath:
    sep = re.escape(delimiter)
    pattern = re.escape(marker) + "".join(
        f"{sep}({f.fragment})" if f.required else f"{sep}({f.fragment})?" for f in fields)
    regex = re.compile(pattern)
    if regex.groups != len(fields):  # a fragment must never add a capturing group
        raise ValueError(f"internal: {regex.groups} groups for {len(fields)} fields")
    namespace: dict[str, Any] = {"_int": int, "_date": date.fromisoformat, "_ts": datetime.fromisoformat}
    source = _source(fields, rules, namespace)
    exec(compile(source, f"<layout fast path {marker}>", "exec"), namespace)
    return FastPath(regex.fullmatch, namespace["build"], source)


def _source(fields: Sequence[Field], rules: Sequence[Rule], namespace: dict[str, Any]) -> str:
    for f in fields:
        if not IDENTIFIER.fullmatch(f.name):
            raise ValueError(f"internal: field name {f.name!r} is not an identifier")
    lines = ["def build(g, today):", "    try:", "        v = {"]
    for i, f in enumerate(fields):
        lines.append(f"            {f.name!r}: {_convert(f, f'g[{i}]')},")
    lines += ["        }", "    except ValueError:", "        return None"]
    for f in fields:
        lines += _checks(f)
    for i, rule in enumerate(rules):
        lines += _rule(rule, i, namespace)
    lines.append("    return v")
    return "\n".join(lines) + "\n"


def _convert(f: Field, item: str) -> str:
    call = {"int": "_int", "date": "_date", "timestamp": "_ts"}.get(f.kind)
    if call is None:
        return item
    if f.required:
        return f"{call}({item})"
    return f"(None if {item} is None else {call}({item}))"


def _checks(f: Field) -> list[str]:
    out: list[str] = []
    guard = "" if f.required else "x is not None and "
    if isinstance(f, IntegerField):
        out = [f"    x = v[{f.name!r}]", f"    if {guard}(x < {int(f.min)} or x > {int(f.max)}):",
               "        return None"]
    elif getattr(f, "not_future", False):
        out = [f"    x = v[{f.name!r}]", f"    if {guard}today is not None and x > today:",
               "        return None"]
    return out


def _rule(rule: Rule, index: int, namespace: dict[str, Any]) -> list[str]:
    test = " and ".join(_condition(rule.when, index, namespace)) or "True"
    body: list[str] = []
    for name in rule.required:
        body.append(f"v[{name!r}] is None")
    for name in rule.empty:
        body.append(f"v[{name!r}] is not None")
    for op, pairs in (("!=", rule.equals), ("<", rule.min), (">", rule.max)):
        for name, bound in pairs:
            body.append(f"v[{name!r}] is None or v[{name!r}] {op} {int(bound)}")
    if not body:
        return []
    return [f"    if {test}:"] + [f"        if {cond}:\n            return None" for cond in body]


def _condition(condition: Condition, index: int, namespace: dict[str, Any]) -> list[str]:
    out = []
    for j, (name, allowed) in enumerate(condition):
        constant = f"_when_{index}_{j}"
        namespace[constant] = frozenset(allowed)
        out.append(f"v[{name!r}] in {constant}")
    return out
