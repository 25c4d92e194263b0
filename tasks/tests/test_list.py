import datetime

import pytest
import time_machine

from meetings.models import Assignment, AssignmentStatus


def rows(response):
    return list(response.context["page"])


def pks(response):
    """The ids of a page's rows: tuples (``tasks.rows.ROW_COLUMNS``) as the list opens, assignments when filtered."""
    return [row[0] if isinstance(row, tuple) else row.pk for row in rows(response)]


def test_member_sees_their_organisations_assignment_with_protocol_and_deadline(client_as, member_assignment):
    response = client_as("member").get("/tasks/")
    text = response.content.decode()
    assert pks(response) == [member_assignment.pk]
    assert "2 — протокол № 2 от 30.03.2023" in text
    assert "до 12 мая 2023 года" in text


@time_machine.travel(datetime.datetime(2023, 5, 10, 12, 0), tick=False)
def test_days_left_before_the_deadline(client_as, member_assignment):
    response = client_as("member").get("/tasks/")
    assert "осталось 2 дня" in response.content.decode()


@time_machine.travel(datetime.datetime(2023, 5, 15, 12, 0), tick=False)
def test_days_overdue_after_the_deadline(client_as, member_assignment):
    response = client_as("member").get("/tasks/")
    assert '<tr class="table-danger">' in response.content.decode()
    assert "просрочено на 3 дня" in response.content.decode()


@time_machine.travel(datetime.datetime(2023, 5, 12, 20, 0), tick=False)
def test_not_overdue_on_the_deadline_day(client_as, member_assignment):
    assert client_as("member").get("/tasks/?state=overdue").context["page"].paginator.count == 0


def test_member_scope_all_falls_back_to_mine(client_as, member_assignment):
    assert pks(client_as("member").get("/tasks/?scope=all")) == [member_assignment.pk]


def test_secretary_scope_all_lists_the_whole_cluster(client_as, demo):
    response = client_as("secretary").get("/tasks/?scope=all")
    # its own protocols' and the coordinating authority's orders to its council (issue 17)
    in_cluster = Assignment.objects.filter(decision__agenda_item__meeting__cluster=demo["cluster"]).count() \
        + Assignment.objects.filter(cluster=demo["authority"], body__cluster=demo["cluster"]).count()
    assert response.context["page"].paginator.count == in_cluster


# "soon" and "later" are relative to this frozen day, so the test holds on any date.
@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_list_is_sorted_by_urgency(client_as, make_assignments, member_assignment):
    org = member_assignment.organization
    later, = make_assignments(1, organization=org, deadline=datetime.date(2027, 3, 1))
    accepted, = make_assignments(1, organization=org, deadline=datetime.date(2020, 1, 1), status=AssignmentStatus.ACCEPTED)
    soon, = make_assignments(1, organization=org, deadline=datetime.date(2026, 11, 25))
    assert pks(client_as("member").get("/tasks/")) == [member_assignment.pk, soon.pk, later.pk, accepted.pk]


@pytest.mark.parametrize("query, expected", [
    ("state=overdue", {"old"}),
    ("state=week", {"soon"}),
    ("status=accepted", {"done"}),
    ("deadline_after=2026-11-01&deadline_before=2026-12-31", {"soon"}),
])
@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_filters(client_as, make_assignments, member_assignment, query, expected):
    org = member_assignment.organization
    made = {
        "soon": make_assignments(1, organization=org, deadline=datetime.date(2026, 11, 25))[0],
        "far": make_assignments(1, organization=org, deadline=datetime.date(2027, 6, 1))[0],
        "done": make_assignments(1, organization=org, deadline=datetime.date(2027, 6, 1), status="accepted")[0],
        "old": member_assignment,
    }
    got = {a.pk for a in rows(client_as("member").get(f"/tasks/?{query}"))}
    assert got == {made[k].pk for k in expected}


def test_organisation_filter_covers_its_people(client_as, demo):
    person_assignment = Assignment.objects.filter(person__isnull=False, decision__agenda_item__meeting__cluster=demo["cluster"]).first()
    org_id = person_assignment.person.organization_id
    pks = {a.pk for a in rows(client_as("secretary").get(f"/tasks/?scope=all&organization={org_id}"))}
    assert person_assignment.pk in pks


def test_meeting_filter(client_as, demo):
    meeting = demo["meeting_2017"]
    page = client_as("secretary").get(f"/tasks/?scope=all&meeting={meeting.pk}").context["page"]
    assert {a.decision.agenda_item.meeting_id for a in page} == {meeting.pk}


def _without_tokens(html: str) -> str:
    import re

    html = re.sub(r'(value="|"X-CSRFToken": ")[A-Za-z0-9]{64}', "", html)
    return re.sub(r"\s+", " ", html).replace("> <", "><")


@pytest.mark.parametrize("user, url", [("member", "/tasks/"), ("secretary", "/tasks/?scope=all"),
                                       ("secretary", "/tasks/?scope=all&page=2")])
def test_opening_filter_controls_from_the_cache_are_the_rendered_ones(client_as, demo, user, url):
    """As the list opens the filter's controls come from the local cache (``tasks.rows.opening_filter_html``):
    the page is the same on a miss and on a hit, and a filtered page renders the same controls around its value."""
    from django.core.cache import caches

    from members.models import Cluster

    client = client_as(user)
    caches["local"].clear()
    miss = client.get(url)
    hit = client.get(url)
    assert miss.context["filter"] is not None and hit.context["filter"] is None
    assert _without_tokens(hit.content.decode()) == _without_tokens(miss.content.decode())
    assert 'name="party"' in hit.content.decode() and 'name="status"' in hit.content.decode()
    # a renamed cluster is another key: the cached controls never show an old name
    cluster = demo["cluster"]
    Cluster.objects.filter(pk=cluster.pk).update(name=cluster.name + " (новое имя)", short_name="")
    renamed = client.get(url)
    assert renamed.context["filter"] is not None
