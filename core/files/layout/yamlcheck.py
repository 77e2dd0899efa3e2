"""Checking a YAML mapping key by key, with messages that name the file and the key.

The layout loader builds on it; kept apart so the loader reads as the layout format.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml

from core.settings import ConfigError
from core.settings import join_key as join
from core.settings import show_value as show

T = TypeVar("T")


def read_yaml(path: Path) -> dict[str, Any]:
    """The top-level mapping of a YAML file; ConfigError when unreadable, invalid or not a mapping."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark else ""
        raise ConfigError(f"{path}:{where} not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    return data


class YamlChecker:
    """Checks on parts of one YAML file; every failure is a ConfigError "FILE: KEY: PROBLEM"."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: {key}: {message}")

    def keys(self, data: Any, key: str, allowed: Iterable[str], required: Iterable[str] = ()) -> dict:
        """`data` itself, once it is a mapping with only `allowed` keys and every `required` one."""
        if not isinstance(data, dict):
            raise self.fail(key or "(top level)", f"expected a mapping, got {show(data)}")
        allowed = list(allowed)
        for name in data:
            if name not in allowed:
                hint = difflib.get_close_matches(str(name), allowed, n=1)
                tip = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise self.fail(join(key, str(name)), f"unknown key{tip}")
        for name in required:
            if name not in data:
                raise self.fail(join(key, name), "missing (this key is required)")
        return data

    def typed(self, value: Any, expected: type, key: str) -> Any:
        """`value` checked to be of `expected` type (YAML lists of scalars become tuples of str)."""
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(key, f"expected an integer, got {show(value)}")
        if expected is bool and not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {show(value)}")
        if expected is str and not isinstance(value, str):
            raise self.fail(key, f"expected text (quote it, e.g. \"1.0\"), got {show(value)}")
        if expected is list:
            if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
                raise self.fail(key, f"expected a list of values, got {show(value)}")
            return tuple(str(v) for v in value)
        return value

    def names(self, value: Any, key: str, known: Mapping[str, Any]) -> tuple[str, ...]:
        """A list of names (or one name) that must all be keys of `known`."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list of field names, got {show(value)}")
        for name in value:
            self.known(name, key, known)
        return tuple(value)

    def known(self, name: Any, key: str, fields: Mapping[str, T]) -> T:
        """The entry `name` of `fields`, or a ConfigError suggesting the closest name."""
        if name not in fields:
            hint = difflib.get_close_matches(str(name), list(fields), n=1)
            tip = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise self.fail(key, f"no field named {show(name)}{tip}")
        return fields[name]
