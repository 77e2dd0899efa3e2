"""The job registry (jobs/registry.py): the one table of partners and jobs, a leaf of the jobs layer."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.context import build_context
from core.settings import PROJECT_ROOT, load_settings
from jobs.registry import JOBS, PARTNERS, UnknownJob, get_job, partner_label

OUR_PACKAGES = ("jobs", "core", "desk", "ui", "cli", "demo", "models")


def test_importing_the_registry_imports_nothing_of_ours():
    code = ("import json, sys; import jobs.registry; "
            f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {OUR_PACKAGES!r})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout) == ["jobs", "jobs.registry"]


@pytest.mark.parametrize("job_id", list(JOBS))
def test_every_job_names_a_function_a_partner_and_its_labels(job_id):
    spec = get_job(job_id)
    assert callable(spec.function())
    assert spec.partner in PARTNERS and spec.direction in ("IN", "OUT") and spec.file_type
    assert all((spec.label, spec.label_en, spec.short, spec.short_en))


def test_every_partner_and_job_is_in_the_default_configuration_and_has_a_layout():
    defaults = load_settings(environ={})
    assert set(PARTNERS) <= set(defaults.partners) and list(defaults.jobs) == list(JOBS)
    layouts = build_context(defaults).layouts
    assert {spec.file_type for spec in JOBS.values()} <= set(layouts)


def test_an_unknown_job_says_which_ones_exist():
    with pytest.raises(UnknownJob, match="bpjs_pull, bank_push, bank_pull, bpjs_push"):
        get_job("nightly")


def test_partner_labels_are_the_registrys():
    assert (partner_label("bpjs"), partner_label("bank"), partner_label("pos")) == (
        "BPJS Ketenagakerjaan", "Bank NTT", "pos")
