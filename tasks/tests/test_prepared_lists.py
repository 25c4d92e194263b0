"""The dashboard's lists and the task list as it opens run prepared queries (``core.prepared``): they give
the rows, in the order, that the plain querysets give, for every role, joint meetings of an authority
included, on every page, and before and after a deadline passes on its day."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from meetings.models import Assignment
from tasks import selectors
from tasks.rows import assignment_row, party_rows_html, row_id

pytestmark = pytest.mark.django_db

ROLES = ["member", "secretary", "chair", "admin", "outsider", "ministry"]


def pks(rows):
    return [a.pk for a in rows]


def rows_as_printed(rows):
    return [(a.pk, a.decision.citation, a.decision.agenda_item.meeting.short_label, str(a.party)) for a in rows]


@pytest.fixture
def many(make_assignments):
    """Enough rows for two pages, deadlines on one day with and without a time of day."""
    made = make_assignments(60, deadline=datetime.date(2026, 11, 20))
    Assignment.objects.filter(pk__in=[a.pk for a in made[::3]]).update(deadline_time=datetime.time(12, 0))
    return made


@pytest.mark.parametrize("moment", [datetime.datetime(2026, 11, 20, 8, 0), datetime.datetime(2026, 11, 20, 13, 0)])
@pytest.mark.parametrize("role", ROLES)
def test_task_list_pages_are_the_querysets_pages(users, many, role, moment):
    user = users[role]
    with time_machine.travel(timezone.make_aware(moment), tick=False):
        for scope in ("mine", "all"):
            pages = selectors.AssignmentListPages.for_user(user, scope, 50)
            if pages is None:  # no register entry («mine» is empty): the view uses the plain queryset
                continue
            base = selectors.cluster_assignments(user) if scope == "all" else selectors.my_assignments(user)
            expected = selectors.sorted_by_urgency(base)
            assert pages.count() == base.count()
            today = timezone.localdate()
            for start in (0, 50):
                got = pages[start:start + 50]
                want = list(expected[start:start + 50])
                assert [row_id(row) for row in got] == pks(want)
                for a in want:
                    a.days_left = selectors.days_left(a, today)
                # the tuples print what the loaded assignments print, row for row
                assert pages.rows_html(got) == "\n".join(assignment_row(a, with_party=True, with_status=True)
                                                          for a in want)


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_lists_are_the_querysets(users, many, role):
    """The dashboard's lists (tuples) hold the querysets' rows in their order, and print them as the
    loaded assignments print (``{% assignment_row a with_party=True %}``)."""
    user = users[role]
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 11, 20, 13, 0)), tick=False):
        mine = list(selectors.with_assignment_context(selectors.my_assignments(user).open()
                                                      .order_by("deadline", "id")[:10]))
        overdue = list(selectors.with_assignment_context(selectors.cluster_assignments(user).overdue()
                                                         .order_by("deadline", "id")[:10]))
        got_mine = selectors.open_assignments_of_user(user)
        got_overdue = selectors.overdue_assignments_of_managed_clusters(user)
        assert [row_id(row) for row in got_mine] == pks(mine)
        assert [row_id(row) for row in got_overdue] == pks(overdue)
        assert overdue or role not in ("secretary", "admin")
        citations = selectors.list_row_citations([*got_mine, *got_overdue])
        html_mine, html_overdue = party_rows_html(got_mine, citations), party_rows_html(got_overdue, citations)
        assert html_mine == [assignment_row(a, with_party=True) for a in mine]
        assert html_overdue == [assignment_row(a, with_party=True) for a in overdue]


def test_secretary_reads_a_joint_meeting(users):
    """The demo secretary's cluster took part in an authority's meeting: the prepared shapes cover it."""
    from meetings.access import joint_meeting_ids

    assert joint_meeting_ids(users["secretary"])


@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_coordination_overdue_preview_is_the_querysets(users, many, role):
    from coordination import selectors as coordination

    user = users[role]
    ids = list(coordination.coordinated_clusters(user).values_list("pk", flat=True))
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 11, 20, 13, 0)), tick=False):
        now = timezone.now()
        expected = coordination.coordinated_assignments(ids, coordination.State.OVERDUE, now)[:10]
        got = coordination.overdue_preview(ids, 10, now)
        assert [(a.pk, str(a.cluster)) for a in got] == [(a.pk, str(a.cluster)) for a in expected]
        assert rows_as_printed(got) == rows_as_printed(expected)
