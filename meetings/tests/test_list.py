"""The meeting list: newest first, filtered by year, status and free text over agenda and decisions."""

import pytest

pytestmark = pytest.mark.django_db


def rows(client, query=""):
    html = client.get(f"/meetings/{query}").content.decode()
    return html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""


def test_newest_meeting_comes_first(client_as, demo):
    body = rows(client_as("member"))
    assert body.index("30 марта 2023 г.") < body.index("20 ноября 2017 г.")


def test_year_filter(client_as, demo):
    body = rows(client_as("member"), "?year=2017")
    assert "20 ноября 2017 г." in body and "30 марта 2023 г." not in body


def test_free_text_finds_a_decision(client_as, demo):
    body = rows(client_as("member"), "?q=Учи IT")
    assert "30 марта 2023 г." in body and "20 ноября 2017 г." not in body


def test_status_filter_shows_drafts_to_the_secretary(client_as, draft):
    body = rows(client_as("secretary"), "?status=draft")
    assert f"/meetings/{draft.pk}/" in body and "30 марта 2023 г." not in body


def test_outsider_does_not_see_the_ict_cluster(client_as, demo):
    assert "30 марта 2023 г." not in rows(client_as("outsider"))


@pytest.mark.parametrize("query", [{}, {"cluster": "x"}, {"status": "draft", "year": "2023"}])
@pytest.mark.parametrize("username", ["member", "secretary", "admin", "outsider"])
def test_prepared_filter_options_render_as_the_querysets(demo, users, username, query):
    """``MeetingFilter.prepare_options`` (prepared queries) prints the same cluster and body
    options as the querysets it replaces, selected value included."""
    from django.http import QueryDict

    from core.templatetags.portal import filter_field
    from meetings.filters import MeetingFilter
    from meetings.models import Meeting
    from members.models import Body

    user = users[username]
    data = QueryDict(mutable=True)
    data.update(query)
    if query:
        data["body"] = str(Body.objects.filter(cluster=demo["cluster"]).order_by("-pk").first().pk)
    plain = MeetingFilter(data, queryset=Meeting.objects.all(), user=user)
    prepared = MeetingFilter(data, queryset=Meeting.objects.all(), user=user)
    prepared.prepare_options(user)
    for name in ("cluster", "body"):
        assert str(filter_field(prepared.form[name])) == str(filter_field(plain.form[name]))
    assert "<option" in str(filter_field(prepared.form["body"])) or username == "outsider"
