"""Property-based tests: random and mutated input never crashes the engine or fools it.

- Any bytes: the reader raises nothing but FileRejected, and never yields anything else
  than Record or RecordError.
- Mutated valid files: whenever the reader accepts a file, an independent, naive count of
  its lines and amounts agrees with the trailer (the reader never accepts wrong totals).
- The fast path and the slow path agree on every line; written files read back equal.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.files.layout import (
    FileRejected,
    Layout,
    Layouts,
    Record,
    RecordError,
    check_file,
    read_records,
    write_file,
)
from tests.core.files.layout.builders import BPJS, CLAIM_FIELDS, HEADER, TODAY, claim, claim_line, trailer_for

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
AMOUNT_INDEX = 1 + CLAIM_FIELDS.index("approved_amount")

# Pieces that break things in interesting ways.
TRICKY = ["", "|", "||", "\r", "\n", "\r\n", "\t", " ", "0", "-1", "1.000", "9" * 13, "9" * 40, "00", "H",
          "T", "D", "X", "T|1|0", "H|VERIFIED_CLAIMS", "\ufeff", "\x00", "\u2028", "\x85", "é", "2025-02-30",
          "2099-01-01", "5399", "REJECTED", "APPROVED", "5301051208850000", "+08:00", "Z", "0000", "\x7f"]
TRICKY_BYTES = [b"\xff", b"\xc3", b"\xe2\x82", b"\xef\xbb\xbf", b"\xc3\xa9"]
# Valid in some field, so that mutated lines are often still good.
PLAUSIBLE = ["2024-02-29", "5371", "NELAYAN", "JKM", "CHILD", "5307104506900002", "1", "99", "Ma'ruf",
             "123456", "2025-09-02T15:30:00Z", "2025-09-02T15:30:00.123456-05:30", "KC-1/2025.A", "130",
             "2500000"]


def run_reader(layout: Layout, path: Path) -> None:
    """Both passes; only the engine's own error may come out."""
    try:
        check_file(layout, path, **BPJS)
    except FileRejected:
        pass
    try:
        for item in read_records(layout, path, **BPJS):
            assert isinstance(item, (Record, RecordError))
    except FileRejected:
        pass


@SETTINGS
@given(data=st.binary(max_size=600))
def test_random_bytes_only_raise_the_engines_errors(claims_layout: Layout, tmp_path: Path,
                                                    data: bytes) -> None:
    path = tmp_path / "random.txt"
    path.write_bytes(data)

    run_reader(claims_layout, path)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_after_a_good_header_only_raise_the_engines_errors(claims_layout: Layout, tmp_path: Path,
                                                                        data: bytes) -> None:
    path = tmp_path / "random.txt"
    path.write_bytes(HEADER.encode() + b"\n" + data)

    run_reader(claims_layout, path)


@st.composite
def valid_claims_file(draw: st.DrawFn) -> bytes:
    lines = []
    for n in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            lines.append(claim_line(n, approved_amount=str(draw(st.integers(1, 10**12)))))
        else:
            lines.append(claim_line(n, decision="REJECTED", approved_amount="0",
                                    decision_reason="Tidak memenuhi"))
    return ("\n".join([HEADER, *lines, trailer_for(lines)]) + "\n").encode()


@st.composite
def mutated_file(draw: st.DrawFn) -> bytes:
    data = draw(valid_claims_file())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "line", "truncate", "swap", "bytes"]))
        start = draw(st.sampled_from([0, len(HEADER) + 1]))  # half the time, spare the header
        at = draw(st.integers(min(start, len(data)), len(data)))
        if kind == "insert":
            data = data[:at] + draw(st.sampled_from(TRICKY)).encode() + data[at:]
        elif kind == "bytes":
            data = data[:at] + draw(st.sampled_from(TRICKY_BYTES)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 30)):]
        elif kind == "replace":
            data = data[:at] + draw(st.text(max_size=5)).encode() + data[at + draw(st.integers(1, 5)):]
        elif kind == "truncate":
            data = data[:at]
        else:
            lines = data.split(b"\n")
            last = len(lines) - 1
            i, j = draw(st.integers(min(1, last), last)), draw(st.integers(0, last))
            if kind == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(i, draw(st.sampled_from([lines[j], b"", b"T|0|0", claim_line(99).encode()])))
            data = b"\n".join(lines)
    return data


def naive_totals(data: bytes) -> tuple[int, int, int, int]:
    """(lines counted, amounts summed, trailer count, trailer total) by the simplest reading."""
    text = data.decode("utf-8")
    text = text.removeprefix("\ufeff")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    lines = [line for line in lines if line.strip()]
    details, trailer = lines[1:-1], lines[-1].split("|")
    total = 0
    for line in details:
        parts = line.split("|")
        if len(parts) == 20 and parts[0] == "D" and re.fullmatch("[0-9]{1,13}", parts[AMOUNT_INDEX]):
            amount = int(parts[AMOUNT_INDEX])
            total += amount if amount <= 10**12 else 0
    return len(details), total, int(trailer[1]), int(trailer[2])


@SETTINGS
@given(data=mutated_file())
def test_an_accepted_file_always_has_matching_totals(claims_layout: Layout, tmp_path: Path,
                                                     data: bytes) -> None:
    path = tmp_path / "mutated.txt"
    path.write_bytes(data)

    try:
        check = check_file(claims_layout, path, **BPJS)
    except FileRejected:
        run_reader(claims_layout, path)
        return

    counted, summed, declared_count, declared_total = naive_totals(data)
    assert check.detail_count == counted == declared_count
    assert check.control_total == summed == declared_total
    items = list(read_records(claims_layout, path, **BPJS))
    assert len({i.line_no for i in items}) == counted


field_value = st.one_of(st.sampled_from(TRICKY), st.sampled_from(PLAUSIBLE), st.text(max_size=12))


@st.composite
def claim_like_line(draw: st.DrawFn) -> str:
    values = claim(1)
    if draw(st.booleans()):
        values.update(decision="REJECTED", approved_amount="0", decision_reason="Tidak")
    for name in draw(st.lists(st.sampled_from(CLAIM_FIELDS), max_size=3)):
        values[name] = draw(field_value)
    return "|".join(["D", *(values[f] for f in CLAIM_FIELDS)])


@SETTINGS
@given(line=claim_like_line(), today=st.sampled_from([TODAY, date(2025, 8, 1), None]))
def test_the_fast_path_agrees_with_the_slow_path(claims_layout: Layout, line: str,
                                                 today: date | None) -> None:
    spec = claims_layout.detail
    match = spec.fast.match(line)
    fast = spec.fast.build(match.groups(), today) if match else None
    slow = spec.parse(line, today)

    assert fast == slow.values  # the same verdict and, when good, the same typed values


def test_the_fast_path_takes_every_good_sample_line(claims_layout: Layout) -> None:
    spec = claims_layout.detail
    for n, changes in enumerate([{}, {"bank_code": "", "account_no": ""}, {"decision": "REJECTED",
                                 "approved_amount": "0", "decision_reason": "Tidak"}]):
        assert spec.fast.match(claim_line(n, **changes)) is not None


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                              exclude_characters="|"),
                min_size=1, max_size=35).filter(lambda s: not re.search("[\x80-\x9f]", s))
WITA = timezone(timedelta(hours=8))


@st.composite
def instruction_rows(draw: st.DrawFn) -> list[dict]:
    rows = []
    for n in range(draw(st.integers(0, 5))):
        rows.append({
            "instruction_id": f"INS-{n:06d}", "claim_no": draw(st.from_regex(r"[A-Z0-9-]{1,30}",
                                                                             fullmatch=True)),
            "beneficiary_name": draw(names), "bank_code": draw(st.from_regex(r"[0-9]{3}", fullmatch=True)),
            "account_no": draw(st.from_regex(r"[0-9]{6,20}", fullmatch=True)),
            "amount": draw(st.integers(1, 10**12)), "currency": "IDR", "remark": draw(names)})
    return rows


@SETTINGS
@given(rows=instruction_rows(), created=st.datetimes(min_value=datetime(2000, 1, 1), timezones=st.just(WITA)))
def test_written_records_read_back_equal(layouts: Layouts, tmp_path: Path, rows: list[dict],
                                         created: datetime) -> None:
    layout = layouts["PAYOUT_INSTRUCTION"]
    path = tmp_path / "batch.txt"
    header = {"file_id": "B1", "created_at": created, "sender": "PEMPROV_NTT", "receiver": "BANKNTT",
              "source_account": "0011223344"}

    written = write_file(layout, path, header, rows, overwrite=True)

    check = check_file(layout, path, expected_sender="PEMPROV_NTT", expected_receiver="BANKNTT", today=TODAY)
    back = [i.values for i in read_records(layout, path, expected_sender=None, expected_receiver=None,
                                           today=TODAY)]
    assert back == rows and check.header["created_at"] == created
    assert written.control_total == check.control_total == sum(r["amount"] for r in rows)


@SETTINGS
@given(raw=field_value)
def test_every_field_type_either_parses_or_says_why(layouts: Layouts, raw: str) -> None:
    assume(raw)
    for layout in layouts.values():
        for spec in (layout.header, layout.detail, layout.trailer):
            for f in spec.fields:
                try:
                    f.parse(raw, TODAY)
                except ValueError as exc:  # FieldInvalid, with a message
                    assert str(exc)


@pytest.mark.parametrize("amount", ["1000000000000", "0"])
def test_the_amount_bounds_of_the_spec_are_inclusive(claims_layout: Layout, amount: str) -> None:
    changes = {"approved_amount": amount}
    if amount == "0":
        changes.update(decision="REJECTED", decision_reason="Tidak")
    values = claims_layout.detail.parse(claim_line(1, **changes), TODAY).values

    assert values is not None and values["approved_amount"] == int(amount)
