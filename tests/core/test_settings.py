import datetime as dt
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, ConfigError, load_settings
from jobs.registry import JOBS, PARTNERS

# What the command line passes at start: the job registry's ids (core does not import jobs).
REGISTRY = {"partners": list(PARTNERS), "jobs": list(JOBS)}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "override.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_hold_every_key_of_the_contract():
    s = load_settings(environ={})
    assert s.timezone == "Asia/Makassar"
    assert s.database == "sqlite:///data/santunan.db"
    assert s.work_dir == PROJECT_ROOT / "data"
    assert (s.organisation_id, s.source_account, s.approval_threshold) == ("PEMPROV_NTT", "0011223344",
                                                                          50_000_000)
    assert (s.web.host, s.web.port) == ("127.0.0.1", 8080)
    e = s.embedded_sftp
    assert (e.enabled, e.host, e.port, e.root, e.simulate) == (True, "127.0.0.1", 2222,
                                                              PROJECT_ROOT / "sftp_drops", True)
    for name, partner_id in (("bpjs", "BPJSTK"), ("bank", "BANKNTT")):
        p = s.partners[name]
        assert (p.id, p.download_dir, p.upload_dir, p.after_download, p.archive_dir) == (
            partner_id, "/outbox", "/inbox", "move", "/outbox/archive")
        assert (p.sftp.host, p.sftp.port, p.sftp.username, p.sftp.password) == ("127.0.0.1", 2222, name, None)
    assert {k: j.cron for k, j in s.jobs.items()} == {
        "bpjs_pull": "0 1 * * *", "bank_push": "0 2 * * *", "bank_pull": "0 6-18/2 * * *",
        "bpjs_push": "0 19 * * *"}
    assert s.layouts_dir == PROJECT_ROOT / "config" / "layouts"


def test_override_file_is_merged_over_defaults(tmp_path):
    s = load_settings(write(tmp_path, "web: {port: 9090}\npartners: {bank: {sftp: {host: bank.example}}}\n"),
                      environ={})
    assert s.web.port == 9090 and s.web.host == "127.0.0.1"
    assert s.partners["bank"].sftp.host == "bank.example"
    assert s.partners["bank"].sftp.username == "bank"


def test_santunan_config_variable_names_the_override(tmp_path):
    path = write(tmp_path, "organisation_id: PEMPROV_TEST\n")
    assert load_settings(environ={"SANTUNAN_CONFIG": str(path)}).organisation_id == "PEMPROV_TEST"


def test_database_url_overrides_database(tmp_path):
    s = load_settings(write(tmp_path, "database: sqlite:///x.db\n"),
                      environ={"DATABASE_URL": "postgresql://u@db/santunan"})
    assert s.database == "postgresql://u@db/santunan"


def test_env_values_are_read_from_the_environment(tmp_path):
    path = write(tmp_path, "partners: {bank: {sftp: {password: 'env:BANK_SFTP_PASSWORD'}}}\n")
    s = load_settings(path, environ={"BANK_SFTP_PASSWORD": "s3cret"})
    assert s.partners["bank"].sftp.password == "s3cret"
    assert "s3cret" not in repr(s)


def test_missing_environment_variable_names_key_and_variable(tmp_path):
    path = write(tmp_path, "web: {session_secret: 'env:SANTUNAN_SECRET'}\n")
    with pytest.raises(ConfigError, match=r"web.session_secret: environment variable SANTUNAN_SECRET"):
        load_settings(path, environ={})


def test_wrong_type_names_file_key_and_expectation(tmp_path):
    path = write(tmp_path, "partners: {bank: {sftp: {port: abc}}}\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path, environ={})
    assert str(err.value) == f'{path}: partners.bank.sftp.port: expected an integer, got "abc"'


def test_unknown_key_is_reported_with_a_suggestion(tmp_path):
    with pytest.raises(ConfigError, match=r"web.prot: unknown key \(did you mean 'port'\?\)"):
        load_settings(write(tmp_path, "web: {prot: 80}\n"), environ={})


@pytest.mark.parametrize(("text", "message"), [
    ("after: [", "not valid YAML"),
    ("timezone: Mars/Olympus\n", "timezone: unknown time zone"),
    ("source_account: 12ab\n", "source_account: expected 6 to 20 digits"),
    ("partners: {bpjs: {after_download: shred}}\n", "expected one of move, delete, keep"),
    ("jobs: {bpjs_pull: {cron: 'every night'}}\n", "jobs.bpjs_pull.cron: expected 5 cron fields"),
    ("jobs: {nightly: {cron: '0 1 * * *'}}\n", "jobs.nightly: unknown job"),
    ("database: mysql://x\n", "database: expected sqlite"),
    ("embedded_sftp: {port: 70000}\n", "embedded_sftp.port: expected a port"),
    ("approval_threshold: 0\n", "approval_threshold: expected a positive amount"),
])
def test_bad_values_are_refused(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), environ={}, **REGISTRY)


def test_every_partner_and_job_of_the_registry_must_be_configured(tmp_path):
    defaults = tmp_path / "defaults.yaml"
    text = (PROJECT_ROOT / "config" / "defaults.yaml").read_text(encoding="utf-8")
    defaults.write_text(text.replace("  bpjs_push: {cron: \"0 19 * * *\"}\n", ""), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"jobs: missing job 'bpjs_push'"):
        load_settings(None, environ={}, defaults=defaults, **REGISTRY)
    with pytest.raises(ConfigError, match=r"partners: missing partner 'pos'"):
        load_settings(None, environ={}, partners=[*PARTNERS, "pos"], jobs=list(JOBS))


def test_the_default_configuration_names_exactly_the_registry(tmp_path):
    s = load_settings(environ={}, **REGISTRY)
    assert list(s.jobs) == list(JOBS) and set(PARTNERS) <= set(s.partners)


def test_missing_override_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.yaml: configuration file not found"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_settings_are_frozen():
    s = load_settings(environ={})
    with pytest.raises(AttributeError):
        s.web.port = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.partners["x"] = s.partners["bank"]  # type: ignore[index]


def test_benefit_rule_keys_default_to_the_contract_and_read_dates(tmp_path):
    s = load_settings(environ={})
    assert (s.programme_start, s.reference_wage, s.non_working_days) == (dt.date(2025, 7, 21), 1_000_000, ())
    text = "non_working_days: [2026-05-20, '2026-08-03']\nreference_wage: 1200000\n"
    s = load_settings(write(tmp_path, text), environ={})
    assert s.non_working_days == (dt.date(2026, 5, 20), dt.date(2026, 8, 3)) and s.reference_wage == 1_200_000


@pytest.mark.parametrize(("text", "message"), [
    ("programme_start: kemarin\n", 'programme_start: expected a date YYYY-MM-DD, got "kemarin"'),
    ("non_working_days: [2026-02-30]\n", "not a valid date .*YYYY-MM-DD"),
    ("non_working_days: ['30/02/2026']\n", r"non_working_days\[0\]: expected a date YYYY-MM-DD"),
    ("non_working_days: 2026-05-20\n", "non_working_days: expected a list"),
    ("reference_wage: 0\n", "reference_wage: expected a positive amount in Rupiah"),
])
def test_bad_benefit_rule_keys_name_file_and_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), environ={})
