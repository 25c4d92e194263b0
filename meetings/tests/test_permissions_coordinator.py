"""The meetings permission table for the coordinator (``ministry``, issue 17): a member's reading of both
demo clusters, no draft, no write (``coordination.tests.tables``)."""

import pytest

from coordination.tests.tables import coordinator_table
from core.testing import cases, check
from meetings.tests.test_permissions import TABLE, urls  # noqa: F401 (the table's fixture)

pytestmark = pytest.mark.django_db

COORDINATOR_TABLE = coordinator_table(TABLE)


@pytest.mark.parametrize("row, role", cases(COORDINATOR_TABLE))
def test_coordinator_gets_what_a_member_gets(client_as, urls, row, role):  # noqa: F811
    check(client_as(role), row, role, urls)


def test_coordinator_sees_no_draft_in_the_list(client_as, draft, on_approval):
    html = client_as("ministry").get("/meetings/").content.decode()
    assert f"/meetings/{draft.pk}/" not in html and f"/meetings/{on_approval.pk}/" not in html
