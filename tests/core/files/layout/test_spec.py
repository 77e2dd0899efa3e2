"""Layout files: the defaults load, and a mistake is refused naming file, key and problem."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.files.layout import FILE_TYPES, load_layout, load_layouts
from core.reference import Reference
from core.settings import ConfigError
from tests.core.files.layout.builders import LAYOUTS_DIR, TODAY, claim_line

CLAIMS_YAML = yaml.safe_load((LAYOUTS_DIR / "verified_claims.yaml").read_text())


def test_the_four_default_layouts_load(reference: Reference) -> None:
    layouts = load_layouts(LAYOUTS_DIR, reference)

    assert sorted(layouts) == sorted(FILE_TYPES)
    assert all(layout.version == "1.0" and layout.delimiter == "|" for layout in layouts.values())
    assert len(layouts["VERIFIED_CLAIMS"].field_names) == 19
    assert layouts["PAYOUT_INSTRUCTION"].header.names[-1] == "source_account"
    assert layouts["PAYOUT_RESULT"].header.names[-1] == "batch_id"


def field_index(name: str) -> int:
    return [f["name"] for f in CLAIMS_YAML["detail"]["fields"]].index(name)


def set_field(field: str, **changes: Any) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        data["detail"]["fields"][field_index(field)].update(changes)
    return change


def drop_field_option(name: str, option: str) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        del data["detail"]["fields"][field_index(name)][option]
    return change


def setting(path: str, value: Any) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is DELETE:
            del node[last]
        else:
            node[int(last) if isinstance(node, list) else last] = value
    return change


DELETE = object()


@pytest.mark.parametrize("change, key, problem", [
    (set_field("nik", type="nikk"), "detail.fields.nik.type", "unknown type \"nikk\" (did you mean 'nik'?)"),
    (setting("delimter", ";"), "delimter", "unknown key (did you mean 'delimiter'?)"),
    (setting("file_type", DELETE), "file_type", "missing (this key is required)"),
    (setting("layout_version", 1.0), "layout_version", "expected text (quote it, e.g. \"1.0\"), got 1.0"),
    (setting("layout_version", "1.0|x"), "header.fields.layout_version", "does not accept '1.0|x'"),
    (setting("encoding", "utf-9"), "encoding", "unknown encoding 'utf-9'"),
    (setting("format", "csv"), "format", "expected delimited or fixed"),
    (setting("delimiter", "ab"), "delimiter", "expected one of"),
    (setting("delimiter", "-"), "delimiter", "expected one of"),
    (setting("line_ending", "CR"), "line_ending", "expected LF or CRLF"),
    (set_field("kabupaten_code", ref="kabupatn"), "detail.fields.kabupaten_code.ref",
     "unknown reference list \"kabupatn\""),
    (set_field("claim_no", chars="A-Z|"), "detail.fields.claim_no.chars", "must not allow '|'"),
    (set_field("claim_no", chars="A-Z]()"), "detail.fields.claim_no.chars",
     "write a '[' or ']' inside chars"),
    (set_field("claim_no", chars="[A-Z"), "detail.fields.claim_no.chars", "write a '[' or ']' inside chars"),
    (set_field("claim_no", chars="Z-A"), "detail.fields.claim_no.chars", "not a valid character class"),
    (set_field("claim_no", width=30), "detail.fields.claim_no.width", "only for fixed-width layouts"),
    (set_field("claim_no", colour="red"), "detail.fields.claim_no.colour", "unknown key"),
    (set_field("revision", min=-1), "detail.fields.revision.min", "expected 0 <= min <= max"),
    (set_field("revision", min="1"), "detail.fields.revision.min", "expected an integer"),
    (set_field("decision", values=[]), "detail.fields.decision.values", "expected at least one value"),
    (set_field("decision_reason", required="no"), "detail.fields.decision_reason.required",
     "expected true or false"),
    (drop_field_option("worker_name", "max_length"), "detail.fields.worker_name.max_length", "missing"),
    (set_field("kpj", min_length=12), "detail.fields.kpj.length",
     "give either length or min_length/max_length"),
    (set_field("verified_at", name="Verified At"), "detail.fields[18].name", "expected a name in lower case"),
    (set_field("case_no", name="claim_no"), "detail.fields.claim_no", "this field name is used twice"),
    (setting("detail.fields.3", "kpj"), "detail.fields[3]", "expected a mapping with name and type"),
    (setting("detail.marker", "H"), "detail.marker", "need different markers"),
    (setting("detail.marker", "d|"), "detail.marker", "expected 1-4 capitals or digits"),
    (setting("detail.key", "claim"), "detail.key", "no field named \"claim\""),
    (setting("detail.rules.0.required", ["decision_reasn"]), "detail.rules[0].required",
     "no field named \"decision_reasn\" (did you mean 'decision_reason'?)"),
    (setting("detail.rules.0.when", {"decision": "REJECTD"}), "detail.rules[0].when.decision",
     "'REJECTD' is not a value of decision (APPROVED, REJECTED)"),
    (setting("detail.rules.0.when", {"approved_amount": 0}), "detail.rules[0].when.approved_amount",
     "conditions compare text fields"),
    (setting("detail.rules.0.equals", {"worker_name": 0}), "detail.rules[0].equals.worker_name",
     "only for integer and amount fields"),
    (setting("detail.rules.1", {"when": {"decision": "APPROVED"}}), "detail.rules[1]",
     "expected at least one of required, empty, equals, min, max"),
    (setting("detail.rules.1.unless", {}), "detail.rules[1].unless", "unknown key"),
    (setting("control_total.field", "worker_name"), "control_total.field",
     "expected an amount or integer field"),
    (setting("control_total.field", "amount"), "control_total.field", "no field named \"amount\""),
    (setting("header.fields.3", {"name": "snder", "type": "text", "max_length": 30}), "header.fields",
     "missing the field 'sender'"),
    (setting("trailer.fields.1.type", "text"), "trailer.fields.control_total.max_length", "missing"),
    (setting("trailer.fields.1", {"name": "control_total", "type": "date"}), "trailer.fields.control_total",
     "expected type integer or amount"),
    (setting("file_name.pattern", "BPJSTK_KLAIM_{date}_{seq}_{part}.txt"), "file_name.parts.part", "missing"),
    (setting("file_name.pattern", "in/BPJSTK_{date}_{seq}.txt"), "file_name.pattern",
     "a file name, not a path"),
    (setting("file_name.parts.seq.type", "counter"), "file_name.parts.seq.type",
     "expected one of date, number, text"),
])
def test_a_mistake_is_refused_with_file_key_and_problem(reference: Reference, tmp_path: Path,
                                                        change: Callable[[dict], None], key: str,
                                                        problem: str) -> None:
    data = copy.deepcopy(CLAIMS_YAML)
    change(data)
    path = tmp_path / "verified_claims.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))

    with pytest.raises(ConfigError) as caught:
        load_layout(path, reference)

    assert str(caught.value).startswith(f"{path}: {key}: ")
    assert problem in str(caught.value)


def test_broken_yaml_is_refused_with_its_line(reference: Reference, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("file_type: VERIFIED_CLAIMS\ndetail: [unclosed\n")

    with pytest.raises(ConfigError, match=r"broken.yaml: line 3: not valid YAML"):
        load_layout(path, reference)


def test_two_files_for_one_file_type_are_refused(reference: Reference, tmp_path: Path) -> None:
    for layout in LAYOUTS_DIR.glob("*.yaml"):
        shutil.copy(layout, tmp_path)
    shutil.copy(LAYOUTS_DIR / "verified_claims.yaml", tmp_path / "claims_copy.yaml")

    with pytest.raises(ConfigError, match="file_type: VERIFIED_CLAIMS is already defined in"):
        load_layouts(tmp_path, reference)


def test_a_missing_file_type_is_refused(reference: Reference, tmp_path: Path) -> None:
    shutil.copy(LAYOUTS_DIR / "verified_claims.yaml", tmp_path)

    with pytest.raises(ConfigError, match="no layout for PAYOUT_INSTRUCTION"):
        load_layouts(tmp_path, reference)

    assert list(load_layouts(tmp_path, reference, require=["VERIFIED_CLAIMS"])) == ["VERIFIED_CLAIMS"]


def test_a_missing_folder_is_refused(reference: Reference, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="layouts_dir: not a folder"):
        load_layouts(tmp_path / "nowhere", reference)


def test_a_rule_without_when_always_applies(reference: Reference, tmp_path: Path) -> None:
    data = copy.deepcopy(CLAIMS_YAML)
    data["detail"]["rules"].append({"required": ["bank_code"]})
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    spec = load_layout(path, reference).detail
    line = claim_line(1, bank_code="", account_no="")

    parsed = spec.parse(line, TODAY)

    assert [(p[0], p[2]) for p in parsed.problems] == [("bank_code", "rule_required")]
    match = spec.fast.match(line)
    assert match is not None and spec.fast.build(match.groups(), TODAY) is None  # the fast path declines too
