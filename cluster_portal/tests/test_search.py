"""The search page (issue 17): Russian word forms, scoping exactly as the pages, filters, bounded input,
the role × URL table and a fixed number of queries. Runs on SQLite (the fallback) and on PostgreSQL
(full-text search): the same assertions hold for both."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cluster_portal import search_text
from cluster_portal.search import MAX_QUERY, PAGE_SIZE
from core.testing import Row, cases, check, expect
from meetings.models import AgendaItem, Assignment, Decision, DecisionKind, Meeting, MeetingStatus, Speaker
from plans.models import PlanItem, PlanSection, WorkPlan
from tasks.models import AssignmentReport


def make_protocol(demo, *, status, date, number, item_title, decision_text, cluster=None, body=None):
    meeting = Meeting.objects.create(cluster=cluster or demo["cluster"], body=body or demo["council"], number=number,
                                     date=date, city="г. Смоленск", status=status)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title=item_title, heard="Доклад секретаря.")
    decision = Decision.objects.create(agenda_item=item, order=1, text=decision_text, kind=DecisionKind.ASSIGN)
    return meeting, item, decision


@pytest.fixture
def published(demo):
    """An approved protocol of the ICT cluster whose decision says «решения» (never «решение»)."""
    return make_protocol(demo, status=MeetingStatus.APPROVED, date=datetime.date(2025, 4, 10), number="41",
                         item_title="О кадровом обеспечении отрасли",
                         decision_text="Принять к сведению решения рабочей группы по кадрам.")


@pytest.fixture
def draft(demo):
    return make_protocol(demo, status=MeetingStatus.DRAFT, date=datetime.date(2025, 5, 10), number="42",
                         item_title="О стажировках студентов", decision_text="Организовать стажировки летом.")


@pytest.fixture
def member_assignment(demo):
    member = demo["users"]["member"]
    return Assignment.objects.get(organization_id=member.person.organization_id,
                                  decision__agenda_item__meeting=demo["meeting_2023"])


@pytest.fixture
def other_assignment(demo, member_assignment):
    return (Assignment.objects.filter(cluster=demo["cluster"], decision__agenda_item__meeting=demo["meeting_2023"])
            .exclude(organization_id=member_assignment.organization_id).order_by("pk").first())


@pytest.fixture
def reports(users, member_assignment, other_assignment):
    own = AssignmentReport.objects.create(assignment=member_assignment, author=users["member"],
                                          text="Наш отчёт: проведена профориентация школьников.")
    other = AssignmentReport.objects.create(assignment=other_assignment, author=users["secretary"],
                                            text="Чужой отчёт: проведена профориентация студентов.")
    return own, other


@pytest.fixture
def draft_plan_item(demo):
    plan = WorkPlan.objects.create(cluster=demo["cluster"], title="План работы кластера", period="на 2026 год",
                                   period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31))
    section = PlanSection.objects.create(plan=plan, order=1, title="Организационная работа")
    return PlanItem.objects.create(section=section, order=1, title="Хакатон по робототехнике", year=2026, q2=True)


def results(client, **params):
    """{kind: [result URLs]} of the search page, and the response."""
    response = client.get("/search/", params)
    assert response.status_code == 200, response.content[:500]
    found = {group.kind.key: [r.url for r in group.results] for group in response.context["groups"] or []}
    return found, response


def urls(client, **params) -> list[str]:
    found, _ = results(client, **params)
    return [url for group in found.values() for url in group]


# ---------------------------------------------------------------- Russian


def test_the_nominative_finds_the_genitive_plural(client_as, published):
    _, _, decision = published
    found, _ = results(client_as("member"), q="решение")
    assert f"/meetings/{decision.agenda_item.meeting_id}/#decision-{decision.pk}" in found["decisions"]


@pytest.mark.parametrize("query", ["РЕШЕНИЕ", "Решениями", "рабочая группа"])
def test_case_and_other_forms_find_it_too(client_as, published, query):
    _, _, decision = published
    assert f"/meetings/{decision.agenda_item.meeting_id}/#decision-{decision.pk}" in urls(client_as("member"), q=query)


def test_a_word_that_is_nowhere_finds_nothing(client_as, published):
    found, response = results(client_as("secretary"), q="бегемот")
    assert not any(found.values())
    assert "Ничего не найдено" in response.content.decode()


def test_the_matched_word_is_highlighted_and_the_text_escaped(client_as, demo):
    make_protocol(demo, status=MeetingStatus.APPROVED, date=datetime.date(2025, 6, 1), number="43",
                  item_title="О сайте", decision_text="Разместить <script>alert(1)</script> на сайте кластера.")
    text = client_as("member").get("/search/", {"q": "сайт", "kind": "decisions"}).content.decode()
    assert "<script>alert(1)</script>" not in text  # escaped (SQLite) or dropped by ts_headline (PostgreSQL)
    assert re.search(r"<mark>сайт[а-я]*</mark>", text)


def test_speakers_make_their_agenda_item_found(client_as, published):
    _, item, _ = published
    Speaker.objects.create(agenda_item=item, order=1, name_text="Иванов И.И.", summary="О цифровизации колледжей.")
    found, _ = results(client_as("member"), q="цифровизация", kind="protocols")
    assert found["protocols"] == [f"/meetings/{item.meeting_id}/#item-1"]


# ---------------------------------------------------------------- scope


def test_drafts_are_found_by_their_secretary_and_chair_only(client_as, draft):
    _, _, decision = draft
    url = f"/meetings/{decision.agenda_item.meeting_id}/#decision-{decision.pk}"
    for role in ("secretary", "chair", "admin"):
        assert url in urls(client_as(role), q="стажировка"), role
    for role in ("member", "outsider"):
        assert urls(client_as(role), q="стажировка") == [], role


def test_another_clusters_protocols_are_never_found(client_as):
    assert urls(client_as("outsider"), q="Смоленской области") == []
    assert urls(client_as("outsider"), q="Демо-Машзавод") != []
    assert not any("/meetings/" in url for url in urls(client_as("secretary"), q="Демо-Машзавод"))


def test_members_find_only_their_own_organisations_reports(client_as, reports, member_assignment, other_assignment):
    member = results(client_as("member"), q="профориентация", kind="reports")[0]["reports"]
    assert member == [f"/tasks/{member_assignment.pk}/#reports"]
    secretary = results(client_as("secretary"), q="профориентация", kind="reports")[0]["reports"]
    assert sorted(secretary) == sorted([f"/tasks/{member_assignment.pk}/#reports", f"/tasks/{other_assignment.pk}/#reports"])
    assert results(client_as("outsider"), q="профориентация", kind="reports")[0]["reports"] == []


def test_draft_plans_are_found_by_their_secretary_only(client_as, draft_plan_item):
    plan_url = f"/plans/{draft_plan_item.section.plan_id}/#item-{draft_plan_item.pk}"
    assert results(client_as("secretary"), q="хакатон")[0]["plans"] == [plan_url]
    assert results(client_as("member"), q="хакатон")[0]["plans"] == []


@pytest.mark.parametrize("role", ["secretary", "chair", "member", "outsider", "admin"])
def test_every_result_opens_for_the_one_who_found_it(client_as, role, published, draft, reports, draft_plan_item):
    client = client_as(role)
    found = set()
    for query in ("решение", "кластер", "профориентация", "Смоленской", "Демо-Машзавод", "хакатон", "стажировки"):
        found.update(url.split("#")[0] for url in urls(client, q=query))
    assert found
    for url in sorted(found):
        assert client.get(url).status_code == 200, f"{role}: {url}"


# ---------------------------------------------------------------- filters and pages


def test_cluster_filter_keeps_one_cluster(client_as, demo):
    admin = client_as("admin")
    everywhere = urls(admin, q="план работы")
    other = urls(admin, q="план работы", cluster=demo["other_cluster"].pk)
    assert len(other) < len(everywhere)
    foreign_meeting = Meeting.objects.get(cluster=demo["other_cluster"])
    assert other and all(f"/meetings/{foreign_meeting.pk}/" in url for url in other if "/meetings/" in url)


def test_kind_filter_lists_one_kind(client_as, published):
    found, _ = results(client_as("member"), q="решение", kind="decisions")
    assert list(found) == ["decisions"]


def test_year_filter_keeps_that_years_protocols_and_leaves_out_the_register(client_as, demo, published):
    _, _, decision = published
    found, _ = results(client_as("secretary"), q="решение", year=2025)
    assert found["decisions"] == [f"/meetings/{decision.agenda_item.meeting_id}/#decision-{decision.pk}"]
    assert "organizations" not in found and "people" not in found
    assert results(client_as("secretary"), q="решение", year=2024)[0]["decisions"] == []


def bulk_decisions(demo, count, word="стажировка"):
    meeting = Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], number=f"B{count}",
                                     date=datetime.date(2025, 9, 1), status=MeetingStatus.APPROVED)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title=f"О стажировках ({count})")
    decisions = Decision.objects.bulk_create(
        Decision(agenda_item=item, order=n + 1, text=f"Провести {word} № {n}.", kind=DecisionKind.ASSIGN)
        for n in range(count))
    orgs = list(demo["orgs"].values())
    assignments = Assignment.objects.bulk_create(
        Assignment(decision=d, organization=orgs[n % len(orgs)], deadline=datetime.date(2026, 12, 1))
        for n, d in enumerate(decisions))
    AssignmentReport.objects.bulk_create(
        AssignmentReport(assignment=a, author=demo["users"]["secretary"], text=f"Проведена {word} № {n}.",
                         submitted_at=timezone.now()) for n, a in enumerate(assignments))
    return decisions


def test_one_kind_goes_page_by_page(client_as, demo):
    bulk_decisions(demo, PAGE_SIZE + 5)
    client = client_as("secretary")
    first = results(client, q="стажировка", kind="decisions")[0]["decisions"]
    second, response = results(client, q="стажировка", kind="decisions", page=2)
    assert len(first) == PAGE_SIZE and len(second["decisions"]) == 5 and not set(first) & set(second["decisions"])
    assert response.context["groups"][0].count == PAGE_SIZE + 5


@pytest.mark.parametrize("params", [
    {"q": "стажировка"},
    {"q": "стажировка", "kind": "decisions", "page": "2"},
    {"q": "стажировка", "kind": "assignments"},
    {"q": "стажировка", "kind": "reports"},
])
def test_queries_do_not_grow_with_the_results(client_as, demo, django_assert_max_num_queries, params):
    client = client_as("secretary")
    bulk_decisions(demo, PAGE_SIZE + 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/search/", params).status_code == 200
    bulk_decisions(demo, 400)
    with django_assert_max_num_queries(len(small)):
        assert client.get("/search/", params).status_code == 200


# ---------------------------------------------------------------- bounded input


def test_an_empty_query_shows_help_and_searches_nothing(client_as, django_assert_max_num_queries):
    client = client_as("member")
    with django_assert_max_num_queries(4):  # session, user, roles, clusters of the filter
        response = client.get("/search/", {"q": "  "})
    assert response.status_code == 200 and 'id="search-help"' in response.content.decode()


def test_an_over_long_query_is_a_bad_request_with_a_message(client_as):
    response = client_as("member").get("/search/", {"q": "а" * (MAX_QUERY + 1)})
    assert response.status_code == 400
    assert "не более 200" in response.content.decode()


@pytest.mark.parametrize("query", ['"', "!!! & | :* ()", "-", "'; DROP TABLE", "ёЁ", "1 2 3 4 5 6 7 8 9 10 11 12 13 14"])
def test_odd_queries_are_answered(client_as, query):
    assert client_as("secretary").get("/search/", {"q": query}).status_code == 200


def test_a_nul_byte_is_a_bad_request(client_as):
    assert client_as("member").get("/search/?q=a%00b").status_code == 400


def test_the_navbar_box_carries_no_query(client_as):
    text = client_as("member").get("/search/", {"q": "уникальноеслово"}).content.decode()
    navbar = text[text.index("<nav"):text.index("</nav>")]
    assert 'class="portal-search"' in navbar and "уникальноеслово" not in navbar


# ---------------------------------------------------------------- roles × URLs


def row(name, url, *statuses):
    return Row(name, url, "get", expect(*statuses))


#        name            url                                               secretary chair member outsider admin anonymous
TABLE = [
    row("empty",         "/search/",                                       200, 200, 200, 200, 200, 302),
    row("query",         "/search/?q=решение",                             200, 200, 200, 200, 200, 302),
    row("one-kind",      "/search/?q=решение&kind=decisions&page=2",       200, 200, 200, 200, 200, 302),
    row("own-cluster",   "/search/?q=решение&cluster={cluster}",           200, 200, 200, 404, 200, 302),
    row("other-cluster", "/search/?q=решение&cluster={other_cluster}",     404, 404, 404, 200, 200, 302),
    row("junk-cluster",  "/search/?q=решение&cluster=abc",                 400, 400, 400, 400, 400, 302),
    row("junk-kind",     "/search/?q=решение&kind=secrets",                400, 400, 400, 400, 400, 302),
    row("junk-year",     "/search/?q=решение&year=20x5",                   400, 400, 400, 400, 400, 302),
    row("far-year",      "/search/?q=решение&year=99999",                  400, 400, 400, 400, 400, 302),
    row("post",          "/search/?q=решение",                             200, 200, 200, 200, 200, 302),
]
TABLE[-1] = Row("post", "/search/", "post", expect(405, 405, 405, 405, 405, 302))


@pytest.fixture
def objects(demo):
    return {"cluster": demo["cluster"].pk, "other_cluster": demo["other_cluster"].pk}


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(client_as, objects, row, role):
    check(client_as(role), row, role, objects)


# ---------------------------------------------------------------- the fallback's text helpers


@pytest.mark.parametrize("word, stem", [("решение", "решен"), ("решения", "решен"), ("Решениями", "решен"),
                                        ("отчёт", "отчет"), ("поручить", "поруч"), ("ИКТ", "икт")])
def test_the_crude_stemmer(word, stem):
    assert search_text.stem(word) == stem


def test_query_stems_leave_out_minus_words_and_repeats():
    assert search_text.query_stems("решение решения -проект") == ["решен"]


def test_snippet_escapes_and_marks_the_words():
    html = search_text.snippet("Принять <b>решения</b> группы", ["решен"])
    assert html == "Принять &lt;b&gt;<mark>решения</mark>&lt;/b&gt; группы"


def test_headline_escapes_what_postgresql_returns():
    marked = f"a <i> {search_text.START}решения{search_text.STOP}"
    assert search_text.headline(marked) == "a &lt;i&gt; <mark>решения</mark>"


def test_the_overview_with_results_of_every_kind_stays_within_the_page_budget(
        client_as, demo, django_assert_max_num_queries):
    """Every kind counted in one query, then one query (and its eager loading) per kind with results."""
    from members.models import Membership, Organization, OrganizationKind, Person

    bulk_decisions(demo, 3)
    section = PlanSection.objects.filter(plan__cluster=demo["cluster"]).first()
    PlanItem.objects.create(section=section, order=99, year=section.plan.period_start.year,
                            title="Стажировка преподавателей колледжей")
    centre = Organization.objects.create(full_name="Центр стажировки кадров", kind=OrganizationKind.NONPROFIT)
    Membership.objects.create(cluster=demo["cluster"], organization=centre, joined_on=datetime.date(2024, 1, 15))
    Person.objects.create(last_name="Иванова", position="руководитель стажировки", organization=centre)
    client = client_as("secretary")
    with django_assert_max_num_queries(15):
        response = client.get("/search/", {"q": "стажировка"})
    counts = {group.kind.key: group.count for group in response.context["groups"]}
    assert all(counts.values()), counts
    assert counts["decisions"] == 3 and counts["reports"] == 3
