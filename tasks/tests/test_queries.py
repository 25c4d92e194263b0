"""Every list and the report run a fixed number of queries: counted at 10 assignments,
then the same pages at 1,000 must not need more."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

URLS = [
    ("secretary", "/tasks/?scope=all"),
    ("secretary", "/tasks/?scope=all&state=overdue&page=2"),
    ("member", "/tasks/"),
    ("secretary", "/tasks/report/"),
    ("secretary", "/tasks/report/?format=xlsx"),
    ("member", "/tasks/{mine}/"),
]


@pytest.mark.parametrize("role, url", URLS)
def test_queries_do_not_grow_with_assignments(client_as, make_assignments, member_assignment, django_assert_max_num_queries,
                                              role, url):
    url = url.format(mine=member_assignment.pk)
    client = client_as(role)
    make_assignments(10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    make_assignments(990)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200
