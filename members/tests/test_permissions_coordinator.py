"""The register's permission table for the coordinator (``ministry``, issue 17): reads like a member, edits
nothing (``coordination.tests.tables``)."""

import pytest

from coordination.tests.tables import coordinator_table
from core.testing import cases, check
from members.tests.test_permissions import TABLE

pytestmark = pytest.mark.django_db

COORDINATOR_TABLE = coordinator_table(TABLE)


@pytest.mark.parametrize("row, role", cases(COORDINATOR_TABLE))
def test_coordinator_gets_what_a_member_gets(client_as, demo, row, role):
    check(client_as(role), row, role, demo)


def test_coordinator_gets_no_role_page_nor_addressee_page(client_as, demo):
    client = client_as("ministry")
    for url in (f"/clusters/{demo['cluster'].pk}/roles/", f"/clusters/{demo['cluster'].pk}/addressees/",
                f"/clusters/{demo['authority'].pk}/addressees/", f"/clusters/{demo['cluster'].pk}/edit/"):
        assert client.get(url).status_code == 403, url
