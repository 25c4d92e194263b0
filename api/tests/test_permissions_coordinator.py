"""The API's permission table for the coordinator (``ministry``, issue 17): with its own token it reads what a
member reads in both demo clusters, never a draft, and submits no report (it answers for no assignment)."""

import pytest

from api.tests.test_permissions import REPORT, TABLE
from coordination.tests.tables import coordinator_table
from core.testing import cases, check

pytestmark = pytest.mark.django_db

NOT_RESPONSIBLE = {
    ("post-/api/v1/assignments/{mine}/reports/", "post"): 403,
    ("post-/api/v1/assignments/{foreign}/reports/", "post"): 403,
}
COORDINATOR_TABLE = coordinator_table(TABLE, overrides=NOT_RESPONSIBLE)


@pytest.mark.parametrize("row, role", cases(COORDINATOR_TABLE))
def test_coordinator_reads_through_the_api_as_a_member(api_as, objects, row, role):
    check(api_as(role), row, role, objects)


def test_coordinator_lists_no_draft_through_the_api(api_as, objects):
    meetings = api_as("ministry").get("/api/v1/meetings/?page_size=100").json()
    ids = {m["id"] for m in meetings.get("results", meetings)}
    assert objects["draft"] not in ids and objects["meeting"] in ids
    assert api_as("ministry").post(f"/api/v1/assignments/{objects['mine']}/reports/", REPORT).status_code == 403
