"""Fields whose value comes from a fixed set: reference-data codes and inline enums."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from core.files.layout.errors import FieldInvalid
from core.files.layout.fields.base import CONTROL_CLASS, Field, OptionError, check_separators


@dataclass(frozen=True, kw_only=True)
class ChoiceField(Field):
    """A value from a fixed set: the base of `code` and `enum`.

    A subclass says which layout option gives the set (`choices_option`, named when the set
    is bad) and how to tell a person a value is not in it (`unknown`, a template of `raw`,
    `ref` and `allowed`); the FieldInvalid code is the type's name.
    """

    choices_option: ClassVar[str] = ""
    unknown: ClassVar[str] = ""

    def __post_init__(self) -> None:
        option = self.choices_option
        if not self.choices:
            raise OptionError(option, "expected at least one value")
        for value in self.choices:
            if not value or (self.delimiter and self.delimiter in value) or re.search(f"[{CONTROL_CLASS}]",
                                                                                      value):
                raise OptionError(option, f"value {value!r} is empty or holds a separator/control character")
        super().__post_init__()

    @property
    def choices(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def fragment(self) -> str:
        return choice_regex(self.choices)

    @property
    def max_chars(self) -> int:
        return max(len(v) for v in self.choices)

    @property
    def min_chars(self) -> int:
        return min(len(v) for v in self.choices)

    def diagnose(self, raw: str) -> None:
        check_separators(raw, self.delimiter)
        message = self.unknown.format(raw=raw, ref=getattr(self, "ref", ""), allowed=", ".join(self.choices))
        raise FieldInvalid(self.type_name, message)


@dataclass(frozen=True, kw_only=True)
class CodeField(ChoiceField):
    """A code from a list of the reference data (`ref: kabupaten`)."""

    ref: str
    codes: frozenset[str] = frozenset()  # filled in by the loader from the Reference

    type_name: ClassVar[str] = "code"
    OPTIONS: ClassVar[dict[str, type]] = {"ref": str}
    choices_option: ClassVar[str] = "ref"
    unknown: ClassVar[str] = "kode {raw!r} tidak ada dalam daftar {ref}"

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(sorted(self.codes))


@dataclass(frozen=True, kw_only=True)
class EnumField(ChoiceField):
    """One of the values listed inline in the layout (`values: [APPROVED, REJECTED]`)."""

    values: tuple[str, ...]

    type_name: ClassVar[str] = "enum"
    OPTIONS: ClassVar[dict[str, type]] = {"values": list}
    choices_option: ClassVar[str] = "values"
    unknown: ClassVar[str] = "nilai {raw!r} tidak dikenal (boleh: {allowed})"

    @property
    def choices(self) -> tuple[str, ...]:
        return self.values


def choice_regex(words: Iterable[str]) -> str:
    """A regex for exactly these words, as a trie: `53(?:0[1-9]|1[0-9]|2[01]|71)`.

    A plain alternation makes the regex engine try each word in turn; the trie decides
    one character at a time, which keeps long code lists (kabupaten) cheap on every line.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return "(?:" + _trie_regex(trie) + ")"


def _trie_regex(node: dict[str, dict]) -> str:
    branches = sorted((c, sub) for c, sub in node.items() if c)
    leaves = [re.escape(c) for c, sub in branches if list(sub) == [""]]
    alternatives = [re.escape(c) + _trie_regex(sub) for c, sub in branches if list(sub) != [""]]
    if leaves:
        alternatives.append(leaves[0] if len(leaves) == 1 else "[" + "".join(leaves) + "]")
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    return f"(?:{body})?" if "" in node else body
