import pytest
from nicegui.testing import User

from desk.jobs import pause, run_now
from models import AuditLog, JobPause, JobRun, utcnow
from models import User as Account
from tests.ui.conftest import confirm, login
from tests.ui.desk_helpers import HOST_KEY_CHANGED, FakeJob, app_ctx, finished_run
from tests.ui.desk_helpers import wait_until_no_run_is_running as wait_for_runs


@pytest.fixture
def fake_pull(monkeypatch, app_config):
    job = FakeJob("bpjs_pull").install(monkeypatch)
    yield job
    job.release()
    wait_for_runs()


async def test_each_job_shows_its_schedule_in_words_next_run_and_last_outcome(accounts, user: User):
    finished_run("bank_pull", "FAILED", seconds=125, error="Kunci host server Bank NTT berubah",
                 error_cause="host_key_changed")
    await login(user, "viewer")
    await user.open("/tugas")
    await user.should_see("setiap hari pukul 01.00 WITA")
    await user.should_see("setiap hari tiap 2 jam dari pukul 06.00 sampai 18.00 WITA")
    await user.should_see(marker="next-bpjs_pull", content="Berikutnya:")
    await user.should_see(marker="last-bank_pull", content="2 mnt 5 dtk")
    await user.should_see("Kunci host server Bank NTT berubah")
    await user.should_see("belum pernah berjalan")


async def test_run_now_asks_first_then_shows_the_log_live_and_says_when_done(accounts, fake_pull, user):
    await login(user, "coordinator")
    await user.open("/tugas")
    user.find(marker="run-bpjs_pull").click()
    await user.should_see(marker="confirm-dialog")
    assert not JobRun.select().exists()  # nothing before the confirmation
    user.find(marker="confirm-ok").click()
    await user.should_see("langkah 2: menunggu berkas", retries=60)
    await user.should_not_see("langkah 3: selesai")
    run = JobRun.get()
    assert (run.trigger, run.user.username, run.outcome) == ("manual", "coordinator", "RUNNING")
    assert AuditLog.get(AuditLog.action == "JOB_RUN").username == "coordinator"
    fake_pull.release()
    await user.should_see("langkah 3: selesai", retries=60)
    await user.should_see(marker="run-outcome", content="Berhasil", retries=30)
    assert any("selesai: Berhasil" in message for message in user.notify.messages)


async def test_a_run_started_elsewhere_appears_on_an_open_page(accounts, fake_pull, user: User):
    await login(user, "viewer")
    await user.open("/tugas")
    run = run_now(app_ctx(), "bpjs_pull", "coordinator")
    await user.should_see(marker=f"run-watch-{run.id}", retries=60)
    await user.should_see("langkah 2: menunggu berkas", retries=60)
    fake_pull.failure = HOST_KEY_CHANGED
    fake_pull.release()
    await user.should_see(marker="run-outcome", content="Gagal", retries=60)
    await user.should_see(marker="run-error", content="Kunci host server Bank NTT")


async def test_a_pause_by_another_user_shows_on_an_open_page(accounts, user: User):
    await login(user, "viewer")
    await user.open("/tugas")
    await user.should_see(marker="schedule-bpjs_push")
    pause("bpjs_push", "supervisor", "BPJS minta ditunda")
    await user.should_see(marker="paused-bpjs_push", content="Jadwal dijeda oleh supervisor", retries=60)


async def test_a_second_run_while_one_runs_is_refused_with_a_message(accounts, fake_pull, user: User):
    await login(user, "coordinator")
    await user.open("/tugas")
    run_now(app_ctx(), "bpjs_pull", "supervisor")
    await confirm(user, "run-bpjs_pull")
    await user.should_see(marker="confirm-error", content="sedang berjalan", retries=30)
    assert JobRun.select().count() == 1


async def test_pause_and_resume_ask_first_and_are_audited(accounts, user: User):
    await login(user, "supervisor")
    await user.open("/tugas")
    user.find(marker="pause-bank_push").click()
    await user.should_see(marker="confirm-dialog")
    user.find(marker="confirm-reason").type("Bank NTT sedang migrasi sistem")
    user.find(marker="confirm-ok").click()
    await user.should_see(marker="paused-bank_push", content="Jadwal dijeda oleh supervisor", retries=30)
    await user.should_see("Alasan: Bank NTT sedang migrasi sistem")
    assert JobPause.get(JobPause.job == "bank_push").reason == "Bank NTT sedang migrasi sistem"
    await confirm(user, "resume-bank_push")
    await user.should_see(marker="pause-bank_push", retries=30)
    assert not JobPause.select().exists()
    assert [a.action for a in AuditLog.select().where(AuditLog.target == "bank_push")] == ["JOB_PAUSE",
                                                                                           "JOB_RESUME"]


REFUSED = [("viewer", "run-bpjs_pull"), ("viewer", "pause-bpjs_pull"), ("coordinator", "pause-bpjs_pull"),
           ("viewer", "resume-bank_pull"), ("coordinator", "resume-bank_pull")]


@pytest.mark.parametrize(("role", "marker"), REFUSED)
async def test_a_role_that_may_not_is_refused_on_the_server_and_nothing_is_written(accounts, user: User,
                                                                                    role, marker):
    JobPause.create(job="bank_pull", paused_by="supervisor", reason="libur")
    await login(user, role)
    await user.open("/tugas")
    button = user.find(marker=marker)
    assert not next(iter(button.elements)).enabled
    audited = AuditLog.select().count()
    button.trigger("click")  # a disabled button is only a courtesy: the handler checks again
    await user.should_see("tidak boleh melakukan ini", retries=30)
    await user.should_not_see(marker="confirm-dialog")
    assert not JobRun.select().exists()
    assert [p.job for p in JobPause.select()] == ["bank_pull"]
    assert AuditLog.select().count() == audited


async def test_a_user_demoted_while_the_page_is_open_is_refused(accounts, user: User):
    await login(user, "coordinator")
    await user.open("/tugas")
    user.find(marker="run-bpjs_pull").click()
    await user.should_see(marker="confirm-dialog")
    Account.update(role="viewer").where(Account.username == "coordinator").execute()
    user.find(marker="confirm-ok").click()
    await user.should_see(marker="confirm-error", content="tidak boleh melakukan ini", retries=30)
    assert not JobRun.select().exists()
    assert not AuditLog.select().where(AuditLog.action == "JOB_RUN").exists()


async def test_each_job_keeps_open_failures_apart_from_handled_ones(accounts, user: User):
    """Two failed runs of bank_pull, one marked handled: the card counts one open (linked to the open
    list of that job) and one handled; a job whose only failure is handled has no open failure."""
    still_open = finished_run("bank_pull", "FAILED", error="Kunci host server Bank NTT berubah")
    finished_run("bank_pull", "FAILED", error="Server Bank NTT tidak menjawab",
                 handled_at=utcnow(), handled_by="supervisor", handled_note="dijalankan ulang")
    finished_run("bpjs_pull", "FAILED", error="berkas rusak", handled_at=utcnow(), handled_by="supervisor",
                 handled_note="BPJS mengirim ulang")
    finished_run("bank_pull", "SUCCEEDED")  # not a failure: counted nowhere
    await login(user, "viewer")
    await user.open("/tugas")
    link = user.find(marker="open-failures-bank_pull").elements.pop()
    assert link.text == "1 kegagalan terbuka"
    assert link.props["href"] == "/tugas/riwayat?job=bank_pull&failures=open"
    handled = user.find(marker="handled-failures-bank_pull").elements.pop()
    assert (handled.text, handled.props["href"]) == ("1 kegagalan sudah ditangani",
                                                      "/tugas/riwayat?job=bank_pull&failures=handled")
    await user.should_see(marker="open-failures-bpjs_pull", content="Tidak ada kegagalan terbuka")
    await user.should_see("berkas rusak (sudah ditangani)")  # the last run's error, no longer red
    # the number is the count of the list it opens
    await user.open("/tugas/riwayat?job=bank_pull&failures=open")
    await user.should_see(marker="runs-count", content="1 proses")
    assert [r["id"] for r in user.find(marker="runs-table").elements.pop().rows] == [still_open.id]


@pytest.fixture
def demo_partners(monkeypatch, app_config):
    """`serve` with the demo partners acting: their cadence where demo/embedded.py puts it."""
    def schedule(ctx):
        ctx.extras["demo_cadence"] = {"bpjs_drop": 300, "bank_answer": 45, "jobs": {"bpjs_pull": 180}}

    monkeypatch.setattr("cli.serve.schedule_demo_partners", schedule)


async def test_in_demo_mode_the_page_says_when_the_demo_partners_act(accounts, demo_partners, user: User):
    await login(user, "viewer")
    await user.open("/tugas")
    await user.should_see(marker="demo-banner", content="BPJS demo mengirim berkas tiap 5 mnt")
    await user.should_see(marker="demo-banner", content="menjawab dalam 45 dtk")
    await user.should_see(marker="demo-every-bpjs_pull", content="Mode demo: juga berjalan tiap 3 mnt")
    await user.should_not_see(marker="demo-every-bank_push")


async def test_without_the_demo_partners_the_page_names_only_the_schedule(accounts, user: User):
    await login(user, "viewer")
    await user.open("/tugas")
    await user.should_see(marker="next-bpjs_pull")
    await user.should_not_see(marker="demo-banner")
    await user.should_not_see(marker="demo-every-bpjs_pull")


async def test_a_viewer_reads_a_jobs_last_error_with_numbers_masked(accounts, user: User):
    error = "Berkas hasil ditolak: NIK 5371011505850001, rekening 0012345678"
    finished_run("bank_pull", "FAILED", error=error, error_cause="file_rejected")
    await login(user, "viewer")
    await user.open("/tugas")
    await user.should_see("NIK 537101••••••0001, rekening ••••••5678")
    await user.should_not_see("5371011505850001")
    await user.should_not_see("0012345678")
