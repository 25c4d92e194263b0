"""The assignments permission table for the coordinator (``ministry``, issue 17): reads the published
assignments of both demo clusters, reports on none of them (it is no responsible party), reviews nothing
(``coordination.tests.tables``)."""

import pytest

from coordination.tests.tables import coordinator_table
from core.testing import cases, check
from tasks.tests.test_permissions import TABLE, placeholders  # noqa: F401 (the table's fixture)

pytestmark = pytest.mark.django_db

# The member and the outsider answer for their organisations' assignments; the coordinator answers for none.
NOT_RESPONSIBLE = {
    ("/tasks/{mine}/start/", "post"): 403,
    ("/tasks/{mine}/report/", "post"): 403,
    ("/tasks/{mine}/extension/", "post"): 403,
    ("/tasks/{foreign}/start/", "post"): 403,
    ("/tasks/{foreign}/report/", "post"): 403,
}
COORDINATOR_TABLE = coordinator_table(TABLE, overrides=NOT_RESPONSIBLE,
                                      allowed_posts={("/tasks/calendar/", "post")})  # a new link to her own feed


@pytest.mark.parametrize("row, role", cases(COORDINATOR_TABLE))
def test_coordinator_reads_and_never_acts(client_as, placeholders, row, role):  # noqa: F811
    check(client_as(role), row, role, placeholders)
