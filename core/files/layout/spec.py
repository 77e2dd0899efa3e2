"""Loading layout YAML files (config/layouts/*.yaml) into checked `Layout` objects.

A mistake stops the program at start with a `ConfigError` naming the file, the key and
the problem ("config/layouts/verified_claims.yaml: detail.fields.nik.type: unknown type
'nikk' (did you mean 'nik'?)"), so no job ever runs on a half-understood layout. The
format is described in docs/layouts.md.
"""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.files.layout.errors import FieldInvalid
from core.files.layout.fields import FIELD_TYPES, Field, IntegerField, OptionError, TextField
from core.files.layout.model import FILE_TYPES, Layout, Layouts
from core.files.layout.names import PART_TYPES, PLACEHOLDER, NamePart, NamePattern
from core.files.layout.records import RecordSpec
from core.files.layout.rules import Condition, ControlTotal, Rule
from core.files.layout.yamlcheck import YamlChecker, read_yaml, show
from core.reference import Reference
from core.settings import ConfigError

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
FILE_TYPE = re.compile(r"[A-Z][A-Z0-9_]*")
TOP_KEYS = {"file_type", "layout_version", "description", "encoding", "line_ending", "format", "delimiter",
            "file_name", "header", "detail", "trailer", "control_total"}
COMMON_FIELD_OPTIONS: dict[str, type] = {"name": str, "type": str, "required": bool, "width": int,
                                         "align": str, "pad": str}
HEADER_NEEDS = ("file_type", "file_id", "sender", "receiver", "layout_version")
TRAILER_NEEDS = ("detail_count", "control_total")
RULE_KEYS = {"when", "required", "empty", "equals", "min", "max"}
# Characters that never occur inside a date, timestamp, number or code, so splitting is safe.
DELIMITERS = "|;,\t~^#!"


def load_layouts(layouts_dir: Path, reference: Reference, *, require: Iterable[str] = FILE_TYPES) -> Layouts:
    """Every `*.yaml` layout in the folder, by file type; raises ConfigError.

    `require` names the file types that must be present (the four of the spec by default).
    """
    if not layouts_dir.is_dir():
        raise ConfigError(f"{layouts_dir}: layouts_dir: not a folder")
    found: dict[str, Layout] = {}
    for path in sorted([*layouts_dir.glob("*.yaml"), *layouts_dir.glob("*.yml")]):
        layout = load_layout(path, reference)
        if layout.file_type in found:
            other = found[layout.file_type].source
            raise ConfigError(f"{path}: file_type: {layout.file_type} is already defined in {other}")
        found[layout.file_type] = layout
    for file_type in require:
        if file_type not in found:
            raise ConfigError(f"{layouts_dir}: no layout for {file_type} "
                              f"(a YAML file with file_type: {file_type})")
    return Layouts(found)


def load_layout(path: Path, reference: Reference) -> Layout:
    """One layout file; raises ConfigError naming the file, the key and the problem."""
    return _Loader(path, reference).layout(read_yaml(path))


class _Loader(YamlChecker):
    def __init__(self, path: Path, reference: Reference):
        super().__init__(path)
        self.reference = reference
        self.delimiter = "|"

    # -- the layout ------------------------------------------------------------------------------

    def layout(self, data: dict[str, Any]) -> Layout:
        required = ("file_type", "layout_version", "file_name", "header", "detail", "trailer",
                    "control_total")
        self.keys(data, "", TOP_KEYS, required)
        file_type = self.typed(data["file_type"], str, "file_type")
        if not FILE_TYPE.fullmatch(file_type):
            raise self.fail("file_type",
                            f"expected capitals, digits and _, e.g. VERIFIED_CLAIMS, got {file_type!r}")
        version = self.typed(data["layout_version"], str, "layout_version")
        encoding = self.encoding(data.get("encoding", "utf-8"))
        line_ending = data.get("line_ending", "LF")
        if line_ending not in ("LF", "CRLF"):
            raise self.fail("line_ending", f"expected LF or CRLF, got {show(line_ending)}")
        self.delimiter = self.separator(data)
        header = self.record(data["header"], "header", HEADER_NEEDS)
        detail = self.record(data["detail"], "detail", ())
        trailer = self.record(data["trailer"], "trailer", TRAILER_NEEDS)
        self.check_markers(header, detail, trailer)
        for name, value in (("file_type", file_type), ("layout_version", version)):
            try:
                header.get_field(name).parse(value, None)
            except FieldInvalid as exc:
                raise self.fail(f"header.fields.{name}",
                                f"does not accept {value!r}: {exc.message}") from None
        for name in TRAILER_NEEDS:
            if not isinstance(trailer.get_field(name), IntegerField):
                raise self.fail(f"trailer.fields.{name}", "expected type integer or amount")
        return Layout(
            file_type=file_type, version=version, source=self.path,
            description=str(data.get("description", "")), encoding=encoding,
            line_ending="\r\n" if line_ending == "CRLF" else "\n", delimiter=self.delimiter,
            file_name=self.file_name(data["file_name"]), header=header, detail=detail, trailer=trailer,
            control_total=self.control_total(data["control_total"], detail))

    def encoding(self, value: Any) -> str:
        self.typed(value, str, "encoding")
        try:
            return codecs.lookup(value).name
        except LookupError:
            raise self.fail("encoding", f"unknown encoding {value!r} (e.g. utf-8)") from None

    def separator(self, data: dict[str, Any]) -> str:
        form = data.get("format", "delimited")
        if form not in ("delimited", "fixed"):
            raise self.fail("format", f"expected delimited or fixed, got {show(form)}")
        if form == "fixed":
            if "delimiter" in data:
                raise self.fail("delimiter", "a fixed-width layout has no delimiter (remove this key)")
            return ""
        delimiter = self.typed(data.get("delimiter", "|"), str, "delimiter")
        if len(delimiter) != 1 or delimiter not in DELIMITERS:
            shown = " ".join(repr(c) for c in DELIMITERS)
            raise self.fail("delimiter", f"expected one of {shown}, got {delimiter!r}")
        return delimiter

    def check_markers(self, *records: RecordSpec) -> None:
        markers = [r.marker for r in records]
        if len(set(markers)) != 3:
            raise self.fail("detail.marker",
                            f"header, detail and trailer need different markers, got {markers}")
        if not self.delimiter and len({len(m) for m in markers}) != 1:
            raise self.fail("detail.marker", "in a fixed-width layout all markers have the same length")

    # -- records and fields ----------------------------------------------------------------------

    def record(self, data: Any, role: str, needs: Iterable[str]) -> RecordSpec:
        allowed = ("marker", "fields", "key", "rules") if role == "detail" else ("marker", "fields")
        self.keys(data, role, allowed, ("marker", "fields"))
        marker = self.typed(data["marker"], str, f"{role}.marker")
        if not re.fullmatch(r"[A-Z0-9]{1,4}", marker):
            raise self.fail(f"{role}.marker",
                            f"expected 1-4 capitals or digits such as H, D or T, got {marker!r}")
        raw_fields = data["fields"]
        if not isinstance(raw_fields, list) or not raw_fields:
            raise self.fail(f"{role}.fields", "expected a list of fields")
        fields: dict[str, Field] = {}
        for i, raw in enumerate(raw_fields):
            f = self.field(raw, f"{role}.fields[{i}]")
            if f.name in fields:
                raise self.fail(f"{role}.fields.{f.name}", "this field name is used twice")
            fields[f.name] = f
        for name in needs:
            if name not in fields:
                raise self.fail(f"{role}.fields", f"missing the field {name!r} (the engine checks it)")
        key = data.get("key")
        if key is not None:
            self.known(key, f"{role}.key", fields)
        rules = data.get("rules") or []
        if not isinstance(rules, list):
            raise self.fail(f"{role}.rules", "expected a list of rules")
        parsed_rules = tuple(self.rule(r, f"{role}.rules[{i}]", fields) for i, r in enumerate(rules))
        return RecordSpec(role, marker, tuple(fields.values()), self.delimiter, parsed_rules, key)

    def field(self, data: Any, key: str) -> Field:
        if not isinstance(data, dict):
            raise self.fail(key, f"expected a mapping with name and type, got {show(data)}")
        name = data.get("name")
        if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
            raise self.fail(f"{key}.name", f"expected a name in lower case, digits and _, got {show(name)}")
        key = key.rsplit("[", 1)[0] + f".{name}"
        type_name = data.get("type")
        if type_name not in FIELD_TYPES:
            hint = difflib.get_close_matches(str(type_name), list(FIELD_TYPES), n=1)
            tip = f" (did you mean {hint[0]!r}?)" if hint else f" (known: {', '.join(FIELD_TYPES)})"
            raise self.fail(f"{key}.type", f"unknown type {show(type_name)}{tip}")
        cls = FIELD_TYPES[type_name]
        options = {**COMMON_FIELD_OPTIONS, **cls.OPTIONS}
        self.keys(data, key, options)
        kwargs = {k: self.typed(v, options[k], f"{key}.{k}") for k, v in data.items() if k != "type"}
        kwargs["delimiter"] = self.delimiter
        self.fixed_options(kwargs, cls, key)
        if cls.type_name == "code":
            ref = kwargs.get("ref")
            if ref not in self.reference.lists:
                known = ", ".join(self.reference.lists)
                raise self.fail(f"{key}.ref", f"unknown reference list {show(ref)} (known: {known})")
            kwargs["codes"] = self.reference.codes(ref)
        try:
            f = cls(**kwargs)
        except OptionError as exc:
            raise self.fail(f"{key}.{exc.option}" if exc.option else key, str(exc)) from None
        except TypeError as exc:  # a missing option of the type
            missing = re.findall(r"'(\w+)'", str(exc))
            raise self.fail(f"{key}.{missing[0] if missing else 'type'}",
                            "missing (this type needs it)") from None
        if f.width is not None and f.width < f.min_chars:
            raise self.fail(f"{key}.width",
                            f"{f.width} is narrower than the shortest valid value ({f.min_chars})")
        return f

    def fixed_options(self, kwargs: dict[str, Any], cls: type[Field], key: str) -> None:
        """Fixed-width layouts need `width`; numbers sit right, zero-padded, unless told otherwise."""
        given = [k for k in ("width", "align", "pad") if k in kwargs]
        if self.delimiter:
            if given:
                raise self.fail(f"{key}.{given[0]}", "only for fixed-width layouts (format: fixed)")
            return
        if "width" not in kwargs:
            raise self.fail(f"{key}.width", "missing (a fixed-width layout needs the width of every field)")
        if kwargs["width"] < 1:
            raise self.fail(f"{key}.width", "expected at least 1")
        numeric = issubclass(cls, IntegerField)
        kwargs.setdefault("align", "right" if numeric else "left")
        kwargs.setdefault("pad", "0" if numeric else " ")
        if kwargs["align"] not in ("left", "right"):
            raise self.fail(f"{key}.align", f"expected left or right, got {show(kwargs['align'])}")
        if len(kwargs["pad"]) != 1:
            raise self.fail(f"{key}.pad", f"expected one character, got {show(kwargs['pad'])}")
        if cls is TextField:
            kwargs.setdefault("max_length", kwargs["width"])
            if kwargs["max_length"] > kwargs["width"]:
                raise self.fail(f"{key}.max_length",
                                f"{kwargs['max_length']} is wider than width {kwargs['width']}")

    def rule(self, data: Any, key: str, fields: dict[str, Field]) -> Rule:
        self.keys(data, key, RULE_KEYS)
        if not (RULE_KEYS - {"when"}) & set(data):
            raise self.fail(key, "expected at least one of required, empty, equals, min, max")
        numbers = {}
        for op in ("equals", "min", "max"):
            raw = data.get(op) or {}
            if not isinstance(raw, dict):
                raise self.fail(f"{key}.{op}", f"expected a mapping of field: number, got {show(raw)}")
            for name, bound in raw.items():
                if not isinstance(self.known(name, f"{key}.{op}", fields), IntegerField):
                    raise self.fail(f"{key}.{op}.{name}", "only for integer and amount fields")
                self.typed(bound, int, f"{key}.{op}.{name}")
            numbers[op] = tuple(raw.items())
        return Rule(when=self.condition(data.get("when") or {}, f"{key}.when", fields),
                    required=self.names(data.get("required") or [], f"{key}.required", fields),
                    empty=self.names(data.get("empty") or [], f"{key}.empty", fields), **numbers)

    def condition(self, data: Any, key: str, fields: dict[str, Field]) -> Condition:
        if not isinstance(data, dict):
            raise self.fail(key, f"expected a mapping of field: value(s), got {show(data)}")
        out = []
        for name, allowed in data.items():
            f = self.known(name, key, fields)
            if f.kind != "str":
                raise self.fail(f"{key}.{name}", "conditions compare text fields (enum, code, text, digits)")
            values = self.typed(allowed if isinstance(allowed, list) else [allowed], list, f"{key}.{name}")
            choices = getattr(f, "choices", None)
            for value in values:
                if choices is not None and value not in choices:
                    raise self.fail(f"{key}.{name}",
                                    f"{value!r} is not a value of {name} ({', '.join(choices)})")
            out.append((name, values))
        return tuple(out)

    def control_total(self, data: Any, detail: RecordSpec) -> ControlTotal:
        self.keys(data, "control_total", ("field", "when"), ("field",))
        fields = dict(zip(detail.names, detail.fields, strict=True))
        if not isinstance(self.known(data["field"], "control_total.field", fields), IntegerField):
            raise self.fail("control_total.field", "expected an amount or integer field of the detail record")
        when = self.condition(data.get("when") or {}, "control_total.when", fields)
        return ControlTotal(data["field"], when)

    def file_name(self, data: Any) -> NamePattern:
        self.keys(data, "file_name", ("pattern", "parts"), ("pattern",))
        pattern = self.typed(data["pattern"], str, "file_name.pattern")
        if "/" in pattern or "\\" in pattern:
            raise self.fail("file_name.pattern", "a file name, not a path")
        found = PLACEHOLDER.findall(pattern)
        if len(set(found)) != len(found):
            raise self.fail("file_name.pattern", "each {part} may appear only once")
        raw_parts = data.get("parts") or {}
        self.keys(raw_parts, "file_name.parts", found)
        parts = []
        for name in found:
            if name not in raw_parts:
                raise self.fail(f"file_name.parts.{name}", "missing (describe every {part} of the pattern)")
            part_key = f"file_name.parts.{name}"
            spec = self.keys(raw_parts[name], part_key, ("type", "width", "chars", "max_length"), ("type",))
            if spec["type"] not in PART_TYPES:
                raise self.fail(f"{part_key}.type", f"expected one of {', '.join(PART_TYPES)}")
            options = {k: self.typed(v, str if k in ("type", "chars") else int, f"{part_key}.{k}")
                       for k, v in spec.items()}
            for k in ("width", "max_length"):
                if options.get(k, 1) < 1:
                    raise self.fail(f"{part_key}.{k}", "expected at least 1")
            try:
                re.compile(f"[{options.get('chars', 'A-Z')}]")
            except re.error:
                raise self.fail(f"{part_key}.chars", "not a valid character class") from None
            parts.append(NamePart(name=name, **options))
        return NamePattern(pattern, tuple(parts))
