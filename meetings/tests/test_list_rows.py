"""The protocol list's rows printed in Python (``meetings.list_rows``) are the reference template's."""

import datetime

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from meetings import list_rows, selectors
from meetings.models import Meeting, MeetingKind, MeetingStatus
from meetings.tests.conftest import make_protocol

pytestmark = pytest.mark.django_db


def _reference(meetings) -> str:
    return render_to_string("meetings/includes/meeting_rows.html", {"meetings": meetings})


def _tricky(demo):
    """Meetings whose texts hold every HTML character, a long title, no title, every status and kind."""
    body, cluster = demo["council"], demo["cluster"]
    body.name = 'Совет <«&»> \'x\' "y"'
    body.save()
    cluster.short_name = "IT & <co>"
    cluster.save()
    titles = ['A & B <b>bold</b> \'quoted\' "double"', " ".join(f"слово{i}" for i in range(30)), "", "  spaced   title  "]
    kinds = [MeetingKind.COUNCIL, MeetingKind.WORKING_GROUP, MeetingKind.CONFERENCE_CALL, MeetingKind.PRESIDIUM]
    for n, (status, title, kind) in enumerate(zip(MeetingStatus.values, titles, kinds)):
        meeting = make_protocol(demo, items=1, number=f"7{n}", date=datetime.date(2026, 10, 1 + n))
        # one update: a signed protocol could not be changed afterwards
        Meeting.objects.filter(pk=meeting.pk).update(status=status, title=title, kind=kind, number=f"7{n}" if title else "")


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("role", ["member", "secretary", "admin", "outsider"])
def test_rows_are_the_template(demo, users, role, language):
    _tricky(demo)
    for n in range(30):
        make_protocol(demo, items=1, number=f"9{n}", status=MeetingStatus.APPROVED)
    user = users[role].__class__.objects.get(pk=users[role].pk)
    queryset = selectors.meeting_list(user)
    pages = selectors.MeetingListPages(user)
    with translation.override(language):
        for start in (0, 25):
            instances = list(queryset[start:start + 25])
            expected = _reference(instances)
            assert str(list_rows.rows_html(pages[start:start + 25])) == expected
            assert str(list_rows.rows_html(selectors.meeting_list_rows(queryset)[start:start + 25])) == expected
        assert '<a href="/meetings/' in expected or role == "outsider"


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("query", ["", "?page=2", "?status=draft", "?year=2026", "?q=%26", "?q=<b>"])
@pytest.mark.parametrize("role", ["member", "secretary"])
def test_list_page_prints_the_template_rows(demo, users, role, query, language):
    """The whole list's ``<tbody>`` as the template loop prints the filtered queryset's page."""
    _tricky(demo)
    for n in range(30):
        make_protocol(demo, items=1, number=f"9{n}", status=MeetingStatus.APPROVED)
    client = Client()
    client.force_login(users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"/meetings/{query}").content.decode()
    from django.http import QueryDict
    from meetings.filters import MeetingFilter

    data = QueryDict(query.lstrip("?"))
    user = users[role].__class__.objects.get(pk=users[role].pk)
    filtered = MeetingFilter(data, queryset=selectors.meeting_list(user), user=user).qs
    page = int(data.get("page", 1))
    instances = list(filtered[(page - 1) * 25:page * 25])
    with translation.override(language):
        expected = _reference(instances)
    if instances:
        assert "<tbody>" in html, html[-3000:]
        assert html.split("<tbody>\n    ")[1].split("\n    </tbody>")[0] == expected
    else:
        assert "<tbody>" not in html


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("role", ["member", "secretary", "admin", "outsider"])
def test_opening_filter_is_the_built_filter(demo, users, role, language):
    """The unfiltered list's controls (from the cache, miss and hit) are the filter form the filtered
    list builds, with the names of a renamed body and cluster (HTML characters in them) followed."""
    from django.core.cache import caches
    from django.http import QueryDict

    from meetings.filters import MeetingFilter

    user = users[role].__class__.objects.get(pk=users[role].pk)
    client = Client()
    client.force_login(users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def controls(query=""):
        html = client.get(f"/meetings/{query}").content.decode()
        return html.split('<div class="row g-2 align-items-end">')[1].split('<div class="col-auto mb-3">')[0]

    def built():
        meeting_filter = MeetingFilter(QueryDict(), queryset=Meeting.objects.all(), user=user)
        with translation.override(language):
            return render_to_string("meetings/_meeting_filter_fields.html", {"filter": meeting_filter})

    caches["local"].clear()
    assert controls() == controls("?page=2") == controls("?year=&q=") == "\n    " + built() + "\n    "
    demo["council"].name = 'Совет <«&»> "x"'
    demo["council"].save()
    assert controls() == "\n    " + built() + "\n    "
    assert "Совет &lt;«&amp;»&gt; &quot;x&quot;" in controls() or role == "outsider"
