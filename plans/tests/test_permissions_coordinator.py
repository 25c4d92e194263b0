"""The plans permission table for the coordinator (``ministry``, issue 17): approved plans only, no draft,
no write (``coordination.tests.tables``)."""

import pytest

from coordination.tests.tables import coordinator_table
from core.testing import cases, check
from plans.tests.test_permissions import ROWS

pytestmark = pytest.mark.django_db

COORDINATOR_TABLE = coordinator_table(ROWS)


@pytest.mark.parametrize("row, role", cases(COORDINATOR_TABLE))
def test_coordinator_gets_what_a_member_gets(client_as, demo, draft_plan, row, role):
    check(client_as(role), row, role, (demo, draft_plan))


def test_coordinator_sees_no_draft_plan_in_the_list(client_as, draft_plan):
    assert f"/plans/{draft_plan.pk}/" not in client_as("ministry").get("/plans/").content.decode()
