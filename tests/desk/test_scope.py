"""Kabupaten desks (contract section 8) at the server: a user limited to some kabupaten/kota reads and
acts on their claims only; every query is narrowed, every direct reach (claim page, action by id,
batch, partner file, audit) beyond them is refused with `Refused` and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from core.claims.queries import ClaimFilter, Duty, claims_page, count, count_and_total, dashboard
from desk import claims as ca
from desk.claims import CLAIM_ACTIONS, BankDetails, Rules
from desk.files import file_for_download
from desk.permissions import Action
from desk.refusal import Refused
from desk.scope import claim_detail_for, codes_of, ensure_in_scope, parse_codes, scoped
from desk.users import create_account, set_kabupaten
from desk.views.batches import Overdue, batch_detail, batches_page, instructions_page
from models import (
    AuditLog,
    BatchFile,
    Claim,
    ClaimEvent,
    ClaimStatus,
    PayoutBatch,
    PayoutInstruction,
    Role,
    User,
)
from tests.factories import make_claim

S = ClaimStatus
RULES = Rules(approval_threshold=50_000_000, instalment_benefits=frozenset({"JKK_STMB", "BEASISWA"}))
KUPANG, KOTA, ALOR = "5301", "5371", "5305"
KNOWN = frozenset(f"53{n:02d}" for n in range(1, 22)) | {"5371"}
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def desk(database):
    """A province supervisor, a supervisor of the Kupang desk (Kab. and Kota), an admin; claims in three."""
    users = {
        "prov": User.create(username="prov", role=Role.SUPERVISOR, password_hash="-"),
        "kupang": User.create(username="kupang", role=Role.SUPERVISOR, password_hash="-",
                              kabupaten_codes=f"{KUPANG},{KOTA}"),
        "kupang2": User.create(username="kupang2", role=Role.SUPERVISOR, password_hash="-",
                               kabupaten_codes=KUPANG),
        "admin": User.create(username="admin", role=Role.ADMIN, password_hash="-"),
    }
    claims = {code: make_claim(S.READY, kabupaten_code=code, worker_name=f"Pekerja {code}",
                               approved_amount=amount)
              for code, amount in ((KUPANG, 1_000_000), (KOTA, 2_000_000), (ALOR, 4_000_000))}
    return users, claims


def snapshot():
    return ([tuple(c.__data__.items()) for c in Claim.select().order_by(Claim.id)],
            ClaimEvent.select().count(), AuditLog.select().count())


def test_queue_count_and_search_hold_only_the_desks_claims(desk):
    users, claims = desk
    mine = scoped(users["kupang"], ClaimFilter())
    page = claims_page(mine, duty=Duty(), today=TODAY)
    assert {r["kabupaten_code"] for r in page.rows} == {KUPANG, KOTA} and page.total == 2
    assert count_and_total(mine, Duty(), TODAY) == (2, 3_000_000)
    # a search for another kabupaten's claim (number, name) finds nothing, nor an address's kab filter
    assert count(scoped(users["kupang"], ClaimFilter(search=claims[ALOR].claim_no))) == 0
    assert count(scoped(users["kupang"], ClaimFilter(search="Pekerja 5305"))) == 0
    assert count(scoped(users["kupang"], ClaimFilter(kabupaten=(ALOR,)))) == 0
    assert count(scoped(users["prov"], ClaimFilter())) == 3


def test_the_desk_comes_from_the_account_never_from_the_address(desk):
    users, _ = desk
    asked = ClaimFilter.from_params({"scope": ALOR, "kab": ALOR})
    assert asked.scope is None and "scope" not in scoped(users["kupang"], asked).to_params()
    assert scoped(users["kupang"], ClaimFilter(scope=(ALOR,))).scope == (KUPANG, KOTA)


def test_a_damaged_empty_desk_sees_nothing_not_the_province(desk):
    users, _ = desk
    User.update(kabupaten_codes=",").where(User.id == users["kupang2"].id).execute()
    user = User.get_by_id(users["kupang2"].id)
    assert codes_of(user) == ()
    assert count(scoped(user, ClaimFilter())) == 0


def test_dashboard_figures_are_the_desks_and_list_its_kabupaten_zero_included(desk):
    users, _ = desk
    codes = sorted(KNOWN)
    province = dashboard(Duty(), TODAY, scope=None, kabupaten=codes)
    assert len(province.by_kabupaten) == 22
    rows = {r.code: r for r in province.by_kabupaten}
    assert rows[ALOR].claims == 1 and rows["5314"].claims == 0 and rows["5320"].unpaid == 0
    kupang = dashboard(Duty(), TODAY, scope=codes_of(users["kupang"]), kabupaten=codes)
    assert [r.code for r in kupang.by_kabupaten] == [KUPANG, KOTA]
    assert kupang.by_status[S.READY] == (2, 3_000_000)


def test_claim_page_data_is_refused_for_another_kabupatens_claim(desk):
    _users, claims = desk
    assert claim_detail_for("kupang", claims[KOTA].claim_no).claim.id == claims[KOTA].id
    with pytest.raises(Refused) as refused:
        claim_detail_for("kupang", claims[ALOR].claim_no)
    assert refused.value.key == "scope.refused" and claims[ALOR].claim_no in str(refused.value)
    assert "di luar meja Anda" in str(refused.value)
    assert claim_detail_for("prov", claims[ALOR].claim_no) is not None
    assert claim_detail_for("kupang", "KLM-TIDAK-ADA") is None


def test_case_claims_of_another_kabupaten_are_not_listed_on_the_claim_page(desk):
    _users, _claims = desk
    own = make_claim(S.READY, kabupaten_code=KUPANG, case_no="KASUS-X")
    make_claim(S.READY, kabupaten_code=ALOR, case_no="KASUS-X")
    assert claim_detail_for("kupang", own.claim_no).case_claims == []
    assert len(claim_detail_for("prov", own.claim_no).case_claims) == 1


@pytest.mark.parametrize("action", CLAIM_ACTIONS)
def test_every_claim_action_on_another_kabupatens_claim_is_refused_and_writes_nothing(desk, action):
    _users, claims = desk
    bank = BankDetails("130", "9988776655", "Maria Ndun") if action is Action.CORRECT_BANK else None
    target = [claims[ALOR].id]
    before = snapshot()
    for call in (ca.preview, ca.perform):
        with pytest.raises(Refused) as refused:
            call(action, target, by="kupang", rules=RULES, reason="cek", bank=bank)
        assert refused.value.key == "scope.refused"
    # a mixed selection is refused whole, not half done
    with pytest.raises(Refused):
        ca.perform(action, [claims[KUPANG].id, claims[ALOR].id], by="kupang", rules=RULES, reason="cek",
                   bank=bank)
    assert snapshot() == before


def test_an_action_on_every_matching_claim_touches_the_desks_claims_only(desk):
    _users, claims = desk
    outcome = ca.perform(Action.HOLD, ClaimFilter(), by="kupang", rules=RULES, reason="cek KTP")
    assert outcome.count == 2
    held = {c.kabupaten_code for c in Claim.select().where(Claim.status == S.ON_HOLD)}
    assert held == {KUPANG, KOTA}
    assert Claim.get_by_id(claims[ALOR].id).status == S.READY


def test_own_kabupatens_claim_is_acted_on_as_before(desk):
    _users, claims = desk
    ca.hold(claims[KOTA].id, by="kupang", reason="cek", rules=RULES)
    assert Claim.get_by_id(claims[KOTA].id).status == S.ON_HOLD


def _batch(claims) -> PayoutBatch:
    batch = PayoutBatch.create(batch_id="B-SCOPE", instruction_count=3, total_amount=7_000_000)
    for n, code in enumerate((KUPANG, KOTA, ALOR), 1):
        c = claims[code]
        PayoutInstruction.create(instruction_id=f"I{n}", batch=batch, claim=c, beneficiary_name=c.worker_name,
                                 bank_code="130", account_no="0012345678", amount=c.approved_amount,
                                 remark="r", line_no=n, result_status="SUCCESS" if n == 3 else "SENT")
    return batch


def test_batch_pages_count_and_list_the_desks_claims_only(desk):
    _users, claims = desk
    _batch(claims)
    rows, total = batches_page(Overdue(48), scope=(KUPANG, KOTA))
    assert total == 1 and rows[0]["instructed"] == (2, 3_000_000) and rows[0]["paid"] == (0, 0)
    lines, n = instructions_page("B-SCOPE", scope=(KUPANG, KOTA))
    assert n == 2 and {line["claim_no"] for line in lines} == {claims[KUPANG].claim_no, claims[KOTA].claim_no}
    assert instructions_page("B-SCOPE")[1] == 3
    assert batch_detail("B-SCOPE", Overdue(48), scope=(KUPANG,)).batch["instructed"] == (1, 1_000_000)


def test_a_batch_without_the_desks_claims_is_refused_and_not_listed(desk):
    _users, claims = desk
    _batch(claims)
    assert batches_page(Overdue(48), scope=("5314",)) == ([], 0)
    with pytest.raises(Refused) as refused:
        batch_detail("B-SCOPE", Overdue(48), scope=("5314",))
    assert refused.value.key == "scope.batch_refused"


def test_a_whole_partner_file_is_refused_to_a_kabupaten_desk(desk, tmp_path):
    path = tmp_path / "VERIFIED_CLAIMS_1.txt"
    path.write_text("x")
    f = BatchFile.create(direction="IN", partner="BPJS", file_type="VERIFIED_CLAIMS", name=path.name,
                         status="PROCESSED", local_path=str(path), sha256="0" * 64)
    with pytest.raises(Refused) as refused:
        file_for_download(f.id, "kupang")
    assert refused.value.key == "scope.province_only"
    assert file_for_download(f.id, "prov")[1] == path.name


def test_ensure_in_scope_names_the_claim_and_the_desk(desk):
    users, _ = desk
    with pytest.raises(Refused) as refused:
        ensure_in_scope(users["kupang2"], ALOR, "KLM-9")
    assert "KLM-9" in refused.value.message("id") and "5301" in refused.value.message("en")
    ensure_in_scope(users["prov"], ALOR, "KLM-9")


# -- users ------------------------------------------------------------------------------

def test_admin_creates_a_kabupaten_desk_user_who_must_change_the_password(desk):
    user, password = create_account("rote", Role.COORDINATOR, "admin", kabupaten=["5314"], known=KNOWN)
    assert (codes_of(user), user.must_change_password, bool(password)) == (("5314",), True, True)
    row = AuditLog.get(AuditLog.action == "USER_DESK_CHANGED", AuditLog.target == "rote")
    assert '"5314"' in row.details


def test_an_unknown_kabupaten_code_is_refused_and_no_account_is_made(desk):
    with pytest.raises(Refused) as refused:
        create_account("x1", Role.VIEWER, "admin", kabupaten="5301,9999", known=KNOWN)
    assert refused.value.key == "scope.unknown_codes" and "9999" in str(refused.value)
    assert not User.select().where(User.username == "x1").exists()


def test_admin_sets_and_clears_a_desk_audited_and_others_may_not(desk):
    users, _ = desk
    changed = set_kabupaten(users["prov"].id, [ALOR, KUPANG], "admin", known=KNOWN)
    assert codes_of(changed) == (KUPANG, ALOR)
    assert codes_of(set_kabupaten(users["prov"].id, [], "admin", known=KNOWN)) is None
    assert AuditLog.select().where(AuditLog.action == "USER_DESK_CHANGED").count() == 2
    with pytest.raises(Refused):
        set_kabupaten(users["kupang"].id, None, "kupang", known=KNOWN)  # a supervisor may not widen it
    assert codes_of(User.get_by_id(users["kupang"].id)) == (KUPANG, KOTA)


def test_parse_codes_reads_what_people_type(desk):
    assert parse_codes(" 5371, 5301 ,,", KNOWN) == ("5301", "5371")
    assert parse_codes("", KNOWN) is None and parse_codes(None, KNOWN) is None
