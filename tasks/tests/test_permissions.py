"""Roles × URLs × methods → status. Placeholders: {mine} the member's assignment, {other} another
organisation's in the same cluster, {foreign} the outsider cluster's, {ext} a pending extension
of {mine}, {meeting} protocol № 2 of the ICT cluster, {foreign_meeting} the outsider cluster's,
{cluster} the ICT cluster, {foreign_cluster} the outsider's cluster."""

import datetime

import pytest
import time_machine

from core.testing import Row, cases, check, expect, listed_pks
from meetings.models import signed_protocol_unlocked

from tasks import services


def row(url, method, *statuses):
    return Row(url, url, method, expect(*statuses))


#       url                                          method  secretary chair member outsider admin anonymous
TABLE = [
    row("/tasks/",                                      "get",  200, 200, 200, 200, 200, 302),
    row("/tasks/?scope=all",                            "get",  200, 200, 200, 200, 200, 302),
    row("/tasks/{mine}/",                               "get",  200, 200, 200, 404, 200, 302),
    row("/tasks/{other}/",                              "get",  200, 200, 200, 404, 200, 302),
    row("/tasks/{foreign}/",                            "get",  404, 404, 404, 200, 200, 302),
    row("/tasks/{mine}/report/",                        "get",  405, 405, 405, 405, 405, 302),
    row("/tasks/{mine}/start/",                         "get",  405, 405, 405, 405, 405, 302),
    row("/tasks/{mine}/start/",                         "post",403, 403, 302, 404, 403, 302),
    row("/tasks/{other}/start/",                        "post",403, 403, 403, 404, 403, 302),
    row("/tasks/{foreign}/start/",                      "post",404, 404, 404, 302, 403, 302),
    row("/tasks/{mine}/report/",                        "post",403, 403, 400, 404, 403, 302),
    row("/tasks/{other}/report/",                       "post",403, 403, 403, 404, 403, 302),
    row("/tasks/{foreign}/report/",                     "post",404, 404, 404, 400, 403, 302),
    row("/tasks/{mine}/accept/",                        "post",400, 400, 403, 404, 400, 302),
    row("/tasks/{mine}/return/",                        "post",400, 400, 403, 404, 400, 302),
    row("/tasks/{foreign}/accept/",                     "post",404, 404, 404, 403, 400, 302),
    row("/tasks/{mine}/extension/",                     "post",403, 403, 400, 404, 403, 302),
    row("/tasks/{mine}/extension/{ext}/refuse/",        "post",302, 302, 403, 404, 302, 302),
    row("/tasks/{mine}/extension/{ext}/grant/",         "post",302, 302, 403, 404, 302, 302),
    row("/tasks/{mine}/extension/{ext}/other/",         "post",404, 404, 404, 404, 404, 302),
    row("/tasks/report/",                               "get",  200, 200, 403, 403, 200, 302),
    row("/tasks/report/?format=xlsx",                   "get",  200, 200, 403, 403, 200, 302),
    row("/tasks/report/?cluster={cluster}",             "get",  200, 200, 403, 403, 200, 302),
    row("/tasks/report/?cluster={foreign_cluster}",     "get",  404, 404, 403, 403, 200, 302),
    row("/tasks/report/?cluster=nonsense",              "get",  404, 404, 403, 403, 404, 302),
    row("/tasks/calendar/",                             "get",  200, 200, 200, 200, 200, 302),
    row("/tasks/calendar/",                             "post",302, 302, 302, 302, 302, 302),
    row("/calendar/not-a-token.ics",                    "get",  404, 404, 404, 404, 404, 404),
    row("/meetings/{meeting}/calendar.ics",             "get",  200, 200, 200, 404, 200, 302),
    row("/meetings/{foreign_meeting}/calendar.ics",     "get",  404, 404, 404, 200, 200, 302),
]


@pytest.fixture
def placeholders(demo, member_assignment, other_assignment, foreign_assignment):
    # A new deadline cannot be in the past: ask for 31.01.2027 on a day before it.
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False):
        extension = services.assignment_extension_request(
            assignment=member_assignment, requested_by=demo["users"]["member"],
            new_deadline=datetime.date(2027, 1, 31), reason="Нужно больше времени",
        )
    return {
        "mine": member_assignment.pk,
        "other": other_assignment.pk,
        "foreign": foreign_assignment.pk,
        "ext": extension.pk,
        "meeting": demo["meeting_2023"].pk,
        "foreign_meeting": foreign_assignment.decision.agenda_item.meeting_id,
        "cluster": demo["cluster"].pk,
        "foreign_cluster": demo["other_cluster"].pk,
    }


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(client_as, placeholders, row, role):
    check(client_as(role), row, role, placeholders)


def test_outsider_sees_none_of_the_ict_clusters_assignments_in_lists(client_as, foreign_assignment):
    response = client_as("outsider").get("/tasks/?scope=all")
    assert listed_pks(response.context["page"]) == [foreign_assignment.pk]


def test_member_cannot_see_assignments_of_a_draft_protocol(client_as, member_assignment):
    meeting = member_assignment.decision.agenda_item.meeting
    with signed_protocol_unlocked():  # as while a correction is under way
        type(meeting).objects.filter(pk=meeting.pk).update(status="draft")
    assert client_as("member").get(f"/tasks/{member_assignment.pk}/").status_code == 404
    assert client_as("secretary").get(f"/tasks/{member_assignment.pk}/").status_code == 200
