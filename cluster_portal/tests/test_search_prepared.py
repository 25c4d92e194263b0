"""The search through prepared queries (issue 13) finds, orders, counts, quotes and pages exactly as the
ORM querysets it replaced (``search_before``: the module as it was, over the per-user scope functions),
for every kind of login, on SQLite and on PostgreSQL; and after the data changes, not from a stale copy."""

import datetime

import pytest

from cluster_portal import search
from cluster_portal.tests import search_before
from meetings.models import AgendaItem, Assignment, Decision, DecisionKind, Meeting, MeetingStatus
from tasks.models import AssignmentReport

ROLES = ["member", "secretary", "chair", "admin", "outsider", "ministry"]
WORD = "хакатон"  # the fixture's 25 decisions and reports say it, nothing in the demo does
QUERIES = [
    {"text": "кластер"},  # a common word of every kind
    {"text": "план работы"},
    {"text": '"рабочей группы"'},  # a phrase
    {"text": "кадров или стажировки"},
    {"text": "ъъщщзз"},  # nothing
    {"text": WORD},
    {"text": WORD, "kind": "decisions"},
    {"text": "кластер", "kind": "organizations"},
    {"text": "кластер", "year": 2023},  # the year: the querysets' path
]
PAGED = [({"text": WORD, "kind": "decisions"}, page) for page in (1, 2, "2", 3, "junk", 99)]


@pytest.fixture
def many(demo, users):
    """25 decisions of one published protocol and a draft that say «хакатон», two reports that do."""
    meeting = Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], number="77",
                                     date=datetime.date(2025, 6, 1), city="г. Смоленск", status=MeetingStatus.APPROVED)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="О хакатоне", heard="Доклад.")
    for n in range(1, 26):
        Decision.objects.create(agenda_item=item, order=n, text=f"Провести хакатон № {n} среди студентов.",
                                kind=DecisionKind.ASSIGN)
    draft = Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], number="78",
                                   date=datetime.date(2025, 7, 1), city="г. Смоленск", status=MeetingStatus.DRAFT)
    draft_item = AgendaItem.objects.create(meeting=draft, order=1, title="О хакатоне осенью", heard="Доклад.")
    Decision.objects.create(agenda_item=draft_item, order=1, text="Хакатон осенью.", kind=DecisionKind.ASSIGN)
    member = users["member"]
    own = Assignment.objects.filter(organization_id=member.person.organization_id,
                                    decision__agenda_item__meeting=demo["meeting_2023"]).first()
    other = (Assignment.objects.filter(cluster=demo["cluster"], decision__agenda_item__meeting=demo["meeting_2023"])
             .exclude(organization_id=member.person.organization_id).order_by("pk").first())
    for assignment in (own, other):
        AssignmentReport.objects.create(assignment=assignment, author=users["secretary"],
                                        text=f"Проведён хакатон для {assignment.pk}.")
    return item


def printed(groups):
    """What the page prints of the groups: kinds, counts, every result's fields, the page's numbers."""
    return [(g.kind.key, g.count, [(r.title, r.url, r.context, r.date, str(r.snippet)) for r in g.results],
             (g.page.number, g.page.paginator.num_pages) if g.page else None) for g in groups]


def both(user, params, page=None):
    request = search.SearchRequest(params["text"], params.get("cluster"), params.get("kind"), params.get("year"))
    old = search_before.SearchRequest(params["text"], params.get("cluster"), params.get("kind"), params.get("year"))
    return printed(search.search(user, request, page)), printed(search_before.search(user, old, page))


@pytest.mark.parametrize("role", ROLES)
def test_results_are_those_of_the_querysets(users, many, role):
    found_any = False
    for params in QUERIES:
        new, old = both(users[role], params)
        assert new == old, (role, params)
        found_any |= any(group[2] for group in new)
    assert found_any or role == "outsider"


@pytest.mark.parametrize("role", ["member", "secretary", "admin", "outsider"])
def test_pages_are_those_of_the_querysets(users, many, role):
    for params, page in PAGED:
        new, old = both(users[role], params, page)
        assert new == old, (role, params, page)


@pytest.mark.parametrize("role", ["member", "secretary", "admin"])
def test_one_cluster_is_that_of_the_querysets(demo, users, many, role):
    for text in ("кластер", WORD):
        new, old = both(users[role], {"text": text, "cluster": demo["cluster"].pk})
        assert new == old, (role, text)


def test_the_demo_finds_the_fixture_as_expected(users, many):
    """The fixture is what the comparisons above see: the member pages through 25 decisions, the secretary
    has the draft's too, and of the reports the member reads his organisation's only."""
    member, _ = both(users["member"], {"text": WORD})
    secretary, _ = both(users["secretary"], {"text": WORD})
    counts = {key: count for key, count, _, _ in member}
    assert counts["decisions"] == 25 and counts["reports"] == 1
    assert {key: count for key, count, _, _ in secretary}["decisions"] == 26
    page_two, _ = both(users["member"], {"text": WORD, "kind": "decisions"}, 2)
    assert page_two[0][3] == (2, 2) and len(page_two[0][2]) == 5


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_results_follow_changes_of_the_data(users, many, role):
    """A prepared query keeps its SQL, never its rows: a new decision, a renamed one, a protocol taken back
    to draft show at once, as the querysets show them."""
    user = users[role]
    both(user, {"text": WORD})  # compiled and run once
    Decision.objects.create(agenda_item=many, order=26, text="Ещё один хакатон.", kind=DecisionKind.ASSIGN)
    Decision.objects.filter(agenda_item=many, order=1).update(text="Провести олимпиаду.")
    new, old = both(user, {"text": WORD})
    assert new == old
    assert {key: count for key, count, _, _ in new}["decisions"] == (25 if role == "member" else 26)
    Meeting.objects.filter(pk=many.meeting_id).update(status=MeetingStatus.DRAFT)
    new, old = both(user, {"text": WORD})
    assert new == old
    assert {key: count for key, count, _, _ in new}["decisions"] == (0 if role == "member" else 26)


@pytest.mark.parametrize("name", ["meetings:meeting-detail", "tasks:task-detail", "plans:plan-detail",
                                  "members:organization-detail", "members:person-detail"])
def test_result_paths_are_the_reversed_ones(name):
    from django.urls import reverse, set_script_prefix

    for pk in (1, 42, 987_654_321, 10**12):
        assert search._path(name, pk) == reverse(name, args=[pk])
    set_script_prefix("/portal/")
    try:
        assert search._path(name, 7) == reverse(name, args=[7])
        assert search._path(name, 7).startswith("/portal/")
    finally:
        set_script_prefix("/")
