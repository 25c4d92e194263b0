"""Issue 18 outside the browser: the htmx filters of /tasks/ and /meetings/ answer with the list alone,
and the protocol page waits for a «second signature» only when someone is to sign."""

import pytest

from meetings.models import Meeting

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize("url, fragment", [("/tasks/?state=overdue", 'id="task-results"'),
                                           ("/meetings/?year=2017", 'id="meeting-results"')])
def test_an_htmx_filter_request_gets_only_the_list(client_as, url, fragment):
    response = client_as("secretary").get(url, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<div") and fragment in html and "<nav" not in html.split(fragment)[0]
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("url", ["/tasks/?state=overdue", "/meetings/?year=2017"])
def test_a_history_restore_gets_the_whole_page(client_as, url):
    response = client_as("secretary").get(url, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in response.content.decode()


def test_the_filtered_task_list_keeps_the_filter_in_the_page(client_as):
    response = client_as("secretary").get("/tasks/?state=overdue")
    html = response.content.decode()
    assert 'hx-get="/tasks/"' in html and 'hx-push-url="true"' in html
    assert html.count("<tr class=\"table-danger\">") == 3


def test_an_invalid_htmx_filter_says_so(client_as):
    html = client_as("secretary").get("/tasks/?state=nonsense", **HTMX).content.decode()
    assert "Исправьте фильтр" in html


def test_the_outsider_gets_no_rows_of_another_cluster(client_as):
    html = client_as("outsider").get("/meetings/?year=2017", **HTMX).content.decode()
    assert "Координационный совет" not in html


@pytest.mark.parametrize("url", ["/tasks/", "/meetings/"])
def test_the_htmx_list_costs_no_more_queries_than_the_page(client_as, url, django_assert_max_num_queries):
    client = client_as("secretary")
    client.get(url)  # warm the per-process caches
    with django_assert_max_num_queries(12):
        client.get(url + "?year=2017" if "meetings" in url else url + "?state=overdue", **HTMX)


def test_no_second_signature_is_awaited_when_nobody_signs(client_as, demo):
    meeting = demo["meeting_2017"]
    Meeting.objects.filter(pk=meeting.pk).update(chair=None, secretary=None)
    html = client_as("admin").get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Ожидается вторая подпись" not in html


def test_the_next_signer_is_awaited_by_name(client_as, demo):
    html = client_as("admin").get(f"/meetings/{demo['meeting_2017'].pk}/").content.decode()
    assert "Ожидается подпись" in html
