import pytest

from desk.permissions import MIN_ROLE, Action, PermissionDenied, actions_of, allowed, require
from models import Role

COORDINATOR_WORK = {Action.HOLD, Action.RELEASE, Action.CORRECT_BANK, Action.RESEND, Action.ADD_NOTE,
                    Action.RUN_JOB}
SUPERVISOR_WORK = {Action.APPROVE, Action.CANCEL, Action.PAUSE_SCHEDULE, Action.DOWNLOAD_FILE}
ADMIN_WORK = {Action.MANAGE_USERS, Action.VIEW_CONFIG}


def test_every_action_has_a_minimum_role():
    assert set(MIN_ROLE) == set(Action)


def test_viewer_only_reads():
    assert actions_of(Role.VIEWER) == {Action.VIEW, Action.EXPORT}


def test_coordinator_does_the_daily_work_but_not_the_second_pair_of_eyes():
    assert actions_of(Role.COORDINATOR) >= COORDINATOR_WORK
    assert not (SUPERVISOR_WORK | ADMIN_WORK) & actions_of(Role.COORDINATOR)


def test_supervisor_approves_cancels_pauses_and_downloads_but_does_not_manage_users():
    assert actions_of(Role.SUPERVISOR) >= COORDINATOR_WORK | SUPERVISOR_WORK
    assert not ADMIN_WORK & actions_of(Role.SUPERVISOR)


def test_admin_may_do_everything():
    assert actions_of(Role.ADMIN) == set(Action)


@pytest.mark.parametrize("role", Role.ALL)
def test_a_higher_role_includes_every_lower_one(role):
    lower = Role.ALL[:Role.ALL.index(role)]
    for other in lower:
        assert actions_of(other) <= actions_of(role)


@pytest.mark.parametrize("role", [None, "", "root", "ADMIN"])
def test_unknown_or_missing_role_may_do_nothing(role):
    assert actions_of(role) == frozenset()
    with pytest.raises(PermissionDenied):
        require(role, Action.VIEW)


def test_refusal_names_the_role_needed():
    with pytest.raises(PermissionDenied) as err:
        require(Role.COORDINATOR, Action.APPROVE)
    assert err.value.needed == Role.SUPERVISOR
    assert "supervisor" in str(err.value)
    assert allowed(Role.SUPERVISOR, Action.APPROVE)
