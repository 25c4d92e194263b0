"""A signed protocol's page comes from the fragment cache (meetings.protocol_page), its change history
is loaded only when asked for (/meetings/<id>/history/), and neither costs queries that grow."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings import selectors
from meetings.models import Assignment, AssignmentStatus, Decision, Meeting, MeetingStatus
from meetings.tests.conftest import make_protocol
from plans.models import WorkPlan

pytestmark = pytest.mark.django_db


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries.captured_queries)


def content(html: str) -> str:
    """The page without what changes per request (the CSRF token in the head and the forms)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def signed_protocol(demo, *, items, number):
    meeting = make_protocol(demo, items=items, number=number, status=MeetingStatus.APPROVED)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.SIGNED)
    return Meeting.objects.get(pk=meeting.pk)


@pytest.fixture
def signed_2023(demo):
    meeting = demo["meeting_2023"]
    assert meeting.status == MeetingStatus.SIGNED
    return meeting


@pytest.mark.parametrize("role", ["member", "secretary", "admin"])
def test_a_warm_signed_page_is_the_same_page(client_as, signed_2023, role):
    client = client_as(role)
    cold, _ = get(client, f"/meetings/{signed_2023.pk}/")
    warm, queries = get(client, f"/meetings/{signed_2023.pk}/")
    assert content(warm) == content(cold)
    assert "ПРОТОКОЛ" in warm and 'id="documents-panel"' in warm
    # session, user, the meeting (with the fingerprint of its assignments and plans), roles
    assert queries <= 4


@pytest.mark.parametrize("items", [3, 30])

def test_warm_signed_page_queries_do_not_grow_with_the_protocol(client_as, demo, items):
    meeting = signed_protocol(demo, items=items, number=f"6{items}")
    client = client_as("secretary")
    cold, cold_queries = get(client, f"/meetings/{meeting.pk}/")
    warm, warm_queries = get(client, f"/meetings/{meeting.pk}/")
    assert f"Поручить {items}." in warm
    assert warm_queries == 4 and cold_queries <= 15


def test_each_role_gets_its_own_panels(client_as, signed_2023):
    url = f"/meetings/{signed_2023.pk}/"
    member_page, _ = get(client_as("member"), url)  # warms the member's entry first
    secretary_page, _ = get(client_as("secretary"), url)
    assert "Внести исправления" in secretary_page and 'id="meeting-history"' in secretary_page
    assert "Внести исправления" not in member_page and 'id="meeting-history"' not in member_page
    member_again, _ = get(client_as("member"), url)
    assert "Внести исправления" not in member_again


def test_an_assignment_status_change_shows_at_once(client_as, demo, signed_2023):
    client = client_as("member")
    url = f"/meetings/{signed_2023.pk}/"
    assignment = Assignment.objects.filter(decision__agenda_item__meeting=signed_2023).order_by("pk").first()
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.ASSIGNED)
    with translation.override("ru"):
        assigned, accepted = str(AssignmentStatus.ASSIGNED.label), str(AssignmentStatus.ACCEPTED.label)
    before, _ = get(client, url)
    assert f"№ {assignment.pk} · {assigned}<" in before
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.ACCEPTED)
    after, _ = get(client, url)
    assert f"№ {assignment.pk} · {accepted}<" in after


def test_a_change_of_the_plan_a_decision_approves_shows_at_once(client_as, demo):
    meeting = demo["meeting_2017"]
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.SIGNED)
    plan = Decision.objects.get(agenda_item__meeting=meeting, agenda_item__order=3).approves_plan
    client = client_as("member")
    url = f"/meetings/{meeting.pk}/"
    before, _ = get(client, url)
    WorkPlan.objects.filter(pk=plan.pk).update(title="План работы (новая редакция)")
    after, queries = get(client, url)
    assert "новая редакция" not in before and "План работы (новая редакция)" in after
    WorkPlan.objects.filter(pk=plan.pk).update(period="на 2018–2019 гг.")
    assert "(новая редакция) на 2018–2019 гг.</a>" in get(client, url)[0]


@pytest.mark.parametrize("role", ["member", "secretary", "chair"])
def test_a_signed_page_built_anew_stays_within_the_query_budget(client_as, signed_2023, role):
    """The page not in the cache yet (a new version, language or role set): with its signed PDF and the
    signatures in the panel."""
    assert signed_2023.documents.exists()
    caches["local"].clear()
    _, queries = get(client_as(role), f"/meetings/{signed_2023.pk}/")
    assert queries <= 15


def test_the_short_form_is_cached_apart(client_as, signed_2023):
    client = client_as("member")
    full, _ = get(client, f"/meetings/{signed_2023.pk}/")
    short, _ = get(client, f"/meetings/{signed_2023.pk}/?form=short")
    again, _ = get(client, f"/meetings/{signed_2023.pk}/")
    assert content(full) == content(again) != content(short)


def test_a_draft_is_never_cached(client_as, draft):
    client = client_as("secretary")
    get(client, f"/meetings/{draft.pk}/")
    draft.agenda_items.filter(order=1).update(title="Новый заголовок вопроса")
    html, _ = get(client, f"/meetings/{draft.pk}/")
    assert "Новый заголовок вопроса" in html
    assert not any(str(key).find("protocol-page") >= 0 for key in caches["local"]._cache)


# ---------------------------------------------------------------- history on demand


def test_the_page_links_the_history_instead_of_loading_it(client_as, signed_2023):
    html, _ = get(client_as("secretary"), f"/meetings/{signed_2023.pk}/")
    panel = html.split('id="meeting-history"', 1)[1].split("</section>", 1)[0]
    assert f'hx-get="/meetings/{signed_2023.pk}/history/"' in panel and "Показать историю изменений" in panel


def test_history_page_lists_the_changes(client_as, on_approval):
    client = client_as("chair")
    client.post(f"/meetings/{on_approval.pk}/approve/")
    html, _ = get(client, f"/meetings/{on_approval.pk}/history/")
    assert "<html" in html and "История изменений" in html and "Рудометкин" in html


def test_history_for_htmx_is_the_panel_alone(client_as, on_approval):
    response = client_as("secretary").get(f"/meetings/{on_approval.pk}/history/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card shadow-sm mb-3" id="meeting-history">') and "<html" not in html


@pytest.mark.parametrize("items", [3, 30])
def test_history_queries_do_not_grow(client_as, demo, items):
    meeting = make_protocol(demo, items=items, number=f"7{items}")
    html, queries = get(client_as("secretary"), f"/meetings/{meeting.pk}/history/")
    assert f"Вопрос повестки {items}" in html
    # session, user, roles, meeting, three history tables
    assert queries <= 8


# ---------------------------------------------------------------- list rows


def test_list_rows_follow_a_change_of_what_they_print(client_as, demo):
    client = client_as("member")
    get(client, "/meetings/")
    demo["council"].__class__.objects.filter(pk=demo["council"].pk).update(name="Совет кластера (новое имя)")
    html, _ = get(client, "/meetings/")
    assert "Совет кластера (новое имя)" in html


@pytest.mark.parametrize("extra", [0, 30])
def test_list_queries_do_not_grow_with_cached_rows(client_as, demo, extra):
    for n in range(extra):
        make_protocol(demo, items=1, number=f"8{n}")
    client = client_as("secretary")
    get(client, "/meetings/")
    html, queries = get(client, "/meetings/")
    # session, user, roles, the coordinating authorities' meetings her clusters took part in (issue 17), count,
    # page, the filter's clusters and bodies
    assert queries <= 8 and html.count('class="badge status-') >= min(25, extra)


@pytest.mark.parametrize("role", ["member", "secretary", "outsider", "admin"])
def test_the_unfiltered_list_pages_are_the_filtered_lists_pages(demo, users, role):
    for n in range(30):
        make_protocol(demo, items=1, number=f"9{n}")
    user = users[role].__class__.objects.get(pk=users[role].pk)
    pages, queryset = selectors.MeetingListPages(user), selectors.meeting_list(user)
    # the demo secretary's cluster took part in an authority's meeting: her list has those too
    assert pages.shape == ("joint" if role == "secretary" else "own")
    assert pages.count() == queryset.count()
    for start in (0, 25):
        assert [row[0] for row in pages[start:start + 25]] == [m.pk for m in queryset[start:start + 25]]
    # the tuples the list prints (meetings.list_rows.COLUMNS): body and cluster names joined in
    assert all(row[6] and row[8] for row in pages[0:25])


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "9223372036854775807"])
def test_an_id_past_any_row_is_a_404_on_the_prepared_lookups(client_as, demo, pk):
    """The protocol page and the PDF read the meeting through prepared queries: ids no row can have
    (0, past 64 bits, the largest bigint) are a 404, never a database error."""
    client = client_as("member")
    for url in (f"/meetings/{pk}/", f"/meetings/{pk}/pdf/"):
        assert client.get(url).status_code == 404, url
