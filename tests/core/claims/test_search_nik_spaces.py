"""A NIK typed as printed on a KTP, in groups of four (issue 17), finds the claim."""

from core.claims.queries import ClaimFilter, count
from models import ClaimStatus
from tests.factories import make_claim


def test_a_nik_with_spaces_finds_the_claim(database):
    make_claim(ClaimStatus.READY, nik="5371011505850001", beneficiary_nik="5371011505850001")
    assert count(ClaimFilter(search="5371 0115 0585 0001")) == 1
    assert count(ClaimFilter(search="5371-0115-0585-0002")) == 0
