"""«Взять в работу»: the responsible party moves an assignment to «В работе» (in progress)."""

import pytest

from meetings.models import AssignmentStatus
from core.errors import DomainError
from tasks import services


def test_member_takes_their_assignment_into_work(client_as, member_assignment):
    response = client_as("member").post(f"/tasks/{member_assignment.pk}/start/", follow=True)
    member_assignment.refresh_from_db()
    assert member_assignment.status == AssignmentStatus.IN_PROGRESS
    assert "Поручение взято в работу." in response.content.decode()


def test_the_start_is_kept_in_the_history_with_who_did_it(client_as, users, member_assignment):
    client_as("member").post(f"/tasks/{member_assignment.pk}/start/")
    latest = member_assignment.history.order_by("-history_date", "-history_id").first()
    assert (latest.status, latest.history_user) == (AssignmentStatus.IN_PROGRESS, users["member"])


def test_a_returned_assignment_can_be_taken_into_work_again(users, member_assignment):
    services.assignment_report_submit(assignment=member_assignment, author=users["member"], text="Сделано")
    services.assignment_report_return(assignment=member_assignment, reviewer=users["secretary"], comment="Нет приложения")
    assert services.assignment_start(assignment=member_assignment, user=users["member"]).status == AssignmentStatus.IN_PROGRESS


@pytest.mark.parametrize("status", [AssignmentStatus.IN_PROGRESS, AssignmentStatus.REPORTED, AssignmentStatus.ACCEPTED,
                                    AssignmentStatus.CANCELLED])
def test_only_assigned_or_returned_assignments_can_be_started(users, member_assignment, status):
    type(member_assignment).objects.filter(pk=member_assignment.pk).update(status=status)
    with pytest.raises(DomainError, match="Взять поручение в работу сейчас нельзя: статус поручения"):
        services.assignment_start(assignment=member_assignment, user=users["member"])


def test_a_refused_start_is_explained_and_changes_nothing(client_as, member_assignment):
    type(member_assignment).objects.filter(pk=member_assignment.pk).update(status=AssignmentStatus.REPORTED)
    response = client_as("member").post(f"/tasks/{member_assignment.pk}/start/", follow=True)
    member_assignment.refresh_from_db()
    assert member_assignment.status == AssignmentStatus.REPORTED
    assert "Взять поручение в работу сейчас нельзя" in response.content.decode()


def test_the_button_is_shown_only_to_the_responsible_party(client_as, member_assignment):
    url = f"/tasks/{member_assignment.pk}/"
    assert "Взять в работу" in client_as("member").get(url).content.decode()
    assert "Взять в работу" not in client_as("secretary").get(url).content.decode()
