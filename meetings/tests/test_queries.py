"""The list, the protocol page and the editor run a bounded number of queries (3 vs 30 items)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("path", ["/meetings/{pk}/", "/meetings/{pk}/?form=short", "/meetings/{pk}/edit/"])
def test_protocol_pages_do_not_grow_with_items(client_as, protocol_factory, django_assert_max_num_queries, path):
    client = client_as("secretary")
    small = protocol_factory(items=3, number="31")
    baseline = count_queries(client, path.format(pk=small.pk))
    large = protocol_factory(items=30, number="32")
    with django_assert_max_num_queries(baseline):
        client.get(path.format(pk=large.pk))


def test_list_does_not_grow_with_meetings(client_as, protocol_factory, django_assert_max_num_queries):
    client = client_as("secretary")
    for n in range(3):
        protocol_factory(items=1, number=f"4{n}", date=datetime.date(2026, 1, 1 + n))
    baseline = count_queries(client, "/meetings/?q=Вопрос")
    for n in range(27):
        protocol_factory(items=1, number=f"5{n}", date=datetime.date(2026, 2, 1 + n))
    with django_assert_max_num_queries(baseline):
        client.get("/meetings/?q=Вопрос")



def test_protocol_page_query_count_is_small(client_as, protocol_factory, django_assert_max_num_queries):
    # session, user, roles, meeting (twice: its state, then with what it prints), attendance, items,
    # speakers, decisions, 3 M2Ms, assignments, the PDF panel's versions; the history is its own page
    meeting = protocol_factory(items=30, number="33")
    client = client_as("secretary")
    with django_assert_max_num_queries(15):
        client.get(f"/meetings/{meeting.pk}/")
