"""`roster import` and `roster export` as an operator runs them (real subprocesses of run.py)."""

import csv
import json

from core.roster.tables import Participant
from models import AuditLog
from tests.cli.test_run_commands import config, run  # noqa: F401  (fixture)

NIK = "5371014107850001"
HEADER = "KPJ;NIK;Nama;Kode Kabupaten;Desa/Kelurahan;Pekerjaan;Mulai;Berakhir;Sumber Dana\n"
GOOD = f"26000000001;{NIK};Maria Bria;5371;Oebobo;Nelayan;21/07/2025;31/12/2026;APBD Provinsi\n"
BAD = f"2600000000;{NIK};Yohanes Lay;5301;;Petani;2025-08-01;;CSR\n"


def test_import_prints_the_counts_and_each_bad_row_and_writes_the_rejected_rows(tmp_path, config):  # noqa: F811
    path = tmp_path / "roster.csv"
    path.write_text("\ufeff" + HEADER + GOOD + BAD, encoding="utf-8")
    rejected = tmp_path / "ditolak.csv"
    result = run("roster", "import", str(path), "--rejected", str(rejected), config=config)
    assert result.returncode == 0, result.stderr
    said = "Roster roster.csv: 1 ditambahkan, 0 diperbarui, 1 ditolak / Roster roster.csv: 1 added"
    assert said in result.stdout
    assert "Baris 3: kolom KPJ: KPJ harus tepat 11 angka" in result.stderr
    lines = list(csv.reader(rejected.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0][-1] == "Kesalahan" and lines[1][:3] == ["2600000000", NIK, "Yohanes Lay"]
    assert Participant.select().count() == 1
    entry = AuditLog.get(AuditLog.action == "ROSTER_IMPORT")
    assert entry.username == "cli" and json.loads(entry.details) == {"added": 1, "updated": 0, "rejected": 1}
    again = run("roster", "import", str(path), config=config)
    assert "0 ditambahkan, 1 diperbarui, 1 ditolak" in again.stdout


def test_import_of_a_file_missing_a_header_exits_1_with_one_line_and_applies_nothing(tmp_path, config):  # noqa: F811
    path = tmp_path / "roster.csv"
    path.write_text(HEADER.replace(";Sumber Dana", "") + GOOD, encoding="utf-8")
    rejected = tmp_path / "ditolak.csv"
    result = run("roster", "import", str(path), "--rejected", str(rejected), config=config)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "tidak punya kolom wajib Sumber Dana" in result.stderr
    assert " / Roster file roster.csv lacks" in result.stderr
    assert not rejected.exists() and Participant.select().count() == 0


def test_import_of_a_missing_file_exits_1_naming_it(tmp_path, config):  # noqa: F811
    result = run("roster", "import", str(tmp_path / "tidak-ada.csv"), config=config)
    assert result.returncode == 1 and "tidak-ada.csv tidak bisa dibuka" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_json_prints_the_contract_fields_with_iso_dates(tmp_path, config):  # noqa: F811
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    assert run("roster", "import", str(path), config=config).returncode == 0
    result = run("roster", "export", "--format", "json", config=config)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{
        "kpj": "26000000001", "nik": NIK, "name": "Maria Bria", "kabupaten_code": "5371", "village": "Oebobo",
        "occupation": "NELAYAN", "start": "2025-07-21", "end": "2026-12-31", "funding": "APBD_PROVINSI"}]
    as_csv = run("roster", "export", config=config)
    assert as_csv.stdout.splitlines()[0] == "kpj,nik,name,kabupaten_code,village,occupation,start,end,funding"
