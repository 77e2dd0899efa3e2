from pathlib import Path

import pytest

from core.reference import load_reference
from core.settings import ConfigError

NTT = {"5301", "5302", "5303", "5304", "5305", "5306", "5307", "5308", "5309", "5310", "5311", "5312",
       "5313", "5314", "5315", "5316", "5317", "5318", "5319", "5320", "5321", "5371"}


def test_reference_holds_the_22_kabupaten_kota_of_ntt(reference):
    assert reference.codes("kabupaten") == NTT
    assert reference.label("kabupaten", "5371") == "Kota Kupang"
    assert reference.label("kabupaten", "5371", "en") == "Kupang City"


def test_claim_status_labels_are_the_contract_labels(reference):
    assert reference.options("claim_status") == {
        "NEEDS_REVIEW": "Perlu Ditinjau", "AWAITING_APPROVAL": "Menunggu Persetujuan",
        "READY": "Siap Dibayar", "ON_HOLD": "Ditunda", "INSTRUCTED": "Dikirim ke Bank",
        "PAID": "Berhasil Dibayar", "PAYOUT_FAILED": "Gagal Dibayar", "REJECTED": "Ditolak BPJS",
        "CANCELLED": "Dibatalkan"}


def test_benefit_labels_are_the_contract_labels(reference):
    assert reference.options("benefit_type") == {
        "JKK_STMB": "JKK - Santunan Sementara Tidak Mampu Bekerja (STMB)",
        "JKK_CACAT": "JKK - Santunan Cacat", "JKK_MENINGGAL": "JKK - Santunan Kematian",
        "JKK_SANTUNAN_BERKALA": "JKK - Santunan Berkala (dibayar sekaligus)",
        "JKK_PEMAKAMAN": "JKK - Biaya Pemakaman", "JKK_PENGGANTIAN_BIAYA": "JKK - Penggantian Biaya",
        "JKM": "JKM - Jaminan Kematian", "BEASISWA": "Beasiswa Anak"}


def test_relation_codes_are_the_regulations_heirs_with_indonesian_labels(reference):
    labels = reference.options("beneficiary_relation")
    assert list(labels) == ["SELF", "SPOUSE", "CHILD", "PARENT", "SIBLING", "GRANDCHILD", "GRANDPARENT",
                            "PARENT_IN_LAW", "TESTAMENT", "GUARDIAN", "FUNERAL_ORGANISER", "OTHER"]
    assert (labels["GUARDIAN"], labels["FUNERAL_ORGANISER"], labels["GRANDCHILD"], labels["GRANDPARENT"],
            labels["PARENT_IN_LAW"], labels["TESTAMENT"]) == (
        "Wali", "Pihak yang Mengurus Pemakaman", "Cucu", "Kakek/Nenek", "Mertua", "Penerima Wasiat")


def test_every_list_has_both_languages(reference):
    for name in ("occupation", "benefit_type", "beneficiary_relation", "failure_code"):
        for code in reference.codes(name):
            assert reference.label(name, code, "id") and reference.label(name, code, "en")
    assert {"JKK_STMB", "JKK_CACAT", "JKK_MENINGGAL", "JKK_PEMAKAMAN", "JKK_PENGGANTIAN_BIAYA", "JKM",
            "BEASISWA"} <= reference.codes("benefit_type")
    assert reference.codes("failure_code") == {"ACCOUNT_CLOSED", "ACCOUNT_NOT_FOUND", "NAME_MISMATCH",
                                               "ACCOUNT_DORMANT", "INSUFFICIENT_FUNDS", "OTHER"}


def test_reference_entry_without_english_label_is_refused(tmp_path: Path):
    path = tmp_path / "ref.yaml"
    path.write_text("kabupaten: {'5301': {id: Kupang}}\n")
    with pytest.raises(ConfigError, match="kabupaten"):
        load_reference(path)


def test_benefit_rules_are_the_contracts_table(reference):
    """Programme, payment duty and ceiling per benefit type (PP 44/2015 as amended by PP 82/2019)."""
    wage = 1_000_000
    got = {code: (rule.programme, rule.duty_days, rule.ceiling_amount(wage), rule.one_off)
           for code, rule in reference.benefits.items()}
    assert got == {
        "JKK_STMB": ("JKK", 7, None, False), "JKK_CACAT": ("JKK", 7, 56_000_000, True),
        "JKK_MENINGGAL": ("JKK", 7, 48_000_000, True), "JKK_SANTUNAN_BERKALA": ("JKK", 7, 12_000_000, True),
        "JKK_PEMAKAMAN": ("JKK", 7, 10_000_000, True), "JKK_PENGGANTIAN_BIAYA": ("JKK", 7, None, False),
        "JKM": ("JKM", 3, 42_000_000, True), "BEASISWA": ("JKK", 7, 12_000_000, False)}
    assert reference.benefit("JKK_CACAT").ceiling_amount(2_000_000) == 112_000_000  # follows reference_wage
    assert reference.instalment_benefits == {"JKK_STMB", "JKK_PENGGANTIAN_BIAYA", "BEASISWA"}


def test_beneficiary_rules_follow_the_contract(reference):
    assert "SELF" not in reference.benefit("JKM").beneficiaries
    assert reference.benefit("BEASISWA").beneficiaries == {"CHILD", "GUARDIAN"}
    assert reference.benefit("JKK_STMB").beneficiaries == {"SELF", "GUARDIAN"}
    with_organiser = {code for code, rule in reference.benefits.items()
                      if "FUNERAL_ORGANISER" in (rule.beneficiaries or ())}
    assert with_organiser == {"JKK_PEMAKAMAN", "JKM"}


HOMECARE = "JKK_HOMECARE: {id: JKK - Homecare, en: Homecare}"


def test_a_new_benefit_type_is_a_yaml_change(tmp_path: Path):
    path = tmp_path / "ref.yaml"
    text = (Path(__file__).resolve().parents[2] / "config" / "reference.yaml").read_text(encoding="utf-8")
    text = text.replace("benefit_type:\n", f"benefit_type:\n  {HOMECARE}\n")
    text = text.replace("benefit_rules:\n", "benefit_rules:\n  JKK_HOMECARE: {programme: JKK, duty_days: 5, "
                                            "ceiling: 20000000, payment: one_off}\n")
    path.write_text(text, encoding="utf-8")
    reference = load_reference(path)
    assert reference.benefit("JKK_HOMECARE").duty_days == 5
    assert reference.options("benefit_type")["JKK_HOMECARE"] == "JKK - Homecare"


@pytest.mark.parametrize(("rule", "message"), [
    (None, "no rule for benefit type JKK_HOMECARE"),
    ("{programme: JKK, duty_days: 0, payment: one_off}", "duty_days: expected a whole number"),
    ("{programme: JKN, duty_days: 7, payment: one_off}", "programme: expected one of JKK, JKM"),
    ("{programme: JKK, duty_days: 7, payment: twice}", "payment: expected one of one_off, instalment"),
    ("{programme: JKK, duty_days: 7, payment: one_off, ceiling: 1, ceiling_wages: 2}", "not both"),
    ("{programme: JKK, duty_days: 7, payment: one_off, beneficiaries: [COUSIN]}",
     "unknown beneficiary_relation COUSIN"),
])
def test_a_bad_benefit_rule_names_the_benefit_and_the_key(tmp_path: Path, rule, message):
    path = tmp_path / "ref.yaml"
    text = (Path(__file__).resolve().parents[2] / "config" / "reference.yaml").read_text(encoding="utf-8")
    text = text.replace("benefit_type:\n", f"benefit_type:\n  {HOMECARE}\n")
    if rule:
        text = text.replace("benefit_rules:\n", f"benefit_rules:\n  JKK_HOMECARE: {rule}\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_reference(path)
