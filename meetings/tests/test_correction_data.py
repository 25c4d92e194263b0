"""A correction of a signed protocol never loses execution records, and re-approval moves deadlines.

The signed demo protocol № 2 of 30.03.2023 is reopened for a correction; its decision 2 («рекомендовать»,
срок 12.05.2023) has two assignments, 3.2 one, 1.5 one without reports.
"""

import datetime

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from documents.services import protocol_correction_start
from meetings.models import AgendaItem, Assignment, Decision, Meeting, MeetingStatus
from meetings.services import decision_assign, meeting_approve, meeting_submit
from meetings.tests.test_editor import _form_data
from tasks.models import AssignmentReport, DeadlineExtension
from tasks.services import (
    assignment_extension_decide,
    assignment_extension_request,
    assignment_report_return,
    assignment_report_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected(demo, users):
    """The signed 2023 protocol, back in the editor for a correction."""
    return protocol_correction_start(meeting=demo["meeting_2023"], user=users["secretary"],
                                     reason="В решении 2 неверно указан срок")


def decision(meeting, number) -> Decision:
    decisions = (Decision.objects.filter(agenda_item__meeting=meeting)
                 .select_related("agenda_item__meeting__body").prefetch_related("agenda_item__decisions"))
    return next(d for d in decisions if d.number == number)


def reported_twice(assignment, users) -> None:
    """A report returned for rework and a second one: two execution reports."""
    assignment_report_submit(assignment=assignment, author=users["member"], text="Предложения проработаны.")
    assignment_report_return(assignment=assignment, reviewer=users["secretary"], comment="Приложите протокол.")
    assignment_report_submit(assignment=assignment, author=users["member"], text="Протокол приложен.")


def extended(assignment, users, *, grant=True) -> DeadlineExtension:
    new_deadline = timezone.localdate() + datetime.timedelta(days=30)
    extension = assignment_extension_request(assignment=assignment, requested_by=users["member"],
                                             new_deadline=new_deadline, reason="Нужны данные от работодателей.")
    if grant:
        extension = assignment_extension_decide(extension=extension, decided_by=users["secretary"], grant=True)
    return extension


def edit_url(meeting) -> str:
    return f"/meetings/{meeting.pk}/edit/"


def prefix_of(data: dict, pk: int, kind: str) -> str:
    """The form prefix of the row with this id: ``items-1`` (kind «item») or ``items-1-dec-0`` («dec»)."""
    for key, value in data.items():
        prefix = key.removesuffix("-id")
        if key.endswith("-id") and value == str(pk) and (prefix.count("-") == 1) == (kind == "item"):
            return prefix
    raise AssertionError(f"no {kind} row with id {pk}")


def editor_data(client, meeting, **changes) -> dict:
    data = _form_data(client.get(edit_url(meeting)).content.decode())
    data.update(changes)
    return data


def row_html(html: str, prefix: str) -> str:
    """The opening tag of a decision's row and its content up to the next decision row."""
    at = html.index(f'data-form-prefix="{prefix}"')
    start = html.rindex("<div", 0, at)
    end = html.find("decision-row", at)
    return html[start:end if end != -1 else None]


def test_removing_a_decision_with_reports_is_refused_beside_it_and_nothing_is_saved(corrected, client_as, users):
    target = decision(corrected, "3.2")
    assignment = target.assignments.get()
    reported_twice(assignment, users)
    client = client_as("secretary")
    data = editor_data(client, corrected, **{"m-place": "Другое место"})
    row = prefix_of(data, target.pk, "dec")
    data[f"{row}-DELETE"] = "on"

    response = client.post(edit_url(corrected), data)

    message = ("Решение 3.2 нельзя удалить: по нему есть отчёты об исполнении (2). "
               "Оставьте решение в протоколе и исправьте его текст.")
    html = response.content.decode()
    assert response.status_code == 200 and message in row_html(html, row) and "d-none" not in row_html(html, row)[:200]
    meeting = Meeting.objects.get(pk=corrected.pk)
    assert (meeting.revision, meeting.place) == (corrected.revision, corrected.place)
    assert Decision.objects.filter(pk=target.pk).exists() and Assignment.objects.filter(pk=assignment.pk).exists()
    assert AssignmentReport.objects.filter(assignment=assignment).count() == 2


def test_the_refused_page_saved_again_keeps_the_decision(corrected, client_as, users):
    target = decision(corrected, "3.2")
    reported_twice(target.assignments.get(), users)
    client = client_as("secretary")
    data = editor_data(client, corrected)
    data[f"{prefix_of(data, target.pk, 'dec')}-DELETE"] = "on"
    refused = client.post(edit_url(corrected), data)

    again = client.post(edit_url(corrected), _form_data(refused.content.decode()))

    assert again.status_code == 302 and decision(corrected, "3.2").pk == target.pk


def test_removing_an_agenda_item_whose_decision_has_an_extension_is_refused(corrected, client_as, users):
    target = decision(corrected, "2")
    assignment = target.assignments.first()
    extension = extended(assignment, users, grant=False)
    client = client_as("secretary")
    data = editor_data(client, corrected)
    data[f"{prefix_of(data, target.agenda_item_id, 'item')}-DELETE"] = "on"

    response = client.post(edit_url(corrected), data)

    message = ("Вопрос 2 повестки дня нельзя удалить: по его решению 2 есть переносы срока (1). "
               "Оставьте вопрос в протоколе и исправьте его текст.")
    html = response.content.decode()
    assert message in row_html(html, prefix_of(data, target.pk, "dec"))
    assert AgendaItem.objects.filter(pk=target.agenda_item_id).exists() and target.assignments.count() == 2
    assert DeadlineExtension.objects.filter(pk=extension.pk, assignment=assignment).exists()
    assert Meeting.objects.get(pk=corrected.pk).revision == corrected.revision


def test_a_decision_without_reports_is_removed_with_its_assignments(corrected, client_as):
    target = decision(corrected, "1.5")
    assignment = target.assignments.get()
    client = client_as("secretary")
    data = editor_data(client, corrected)
    data[f"{prefix_of(data, target.pk, 'dec')}-DELETE"] = "on"

    response = client.post(edit_url(corrected), data)

    assert response.status_code == 302
    assert not Decision.objects.filter(pk=target.pk).exists() and not Assignment.objects.filter(pk=assignment.pk).exists()
    assert Meeting.objects.get(pk=corrected.pk).revision == corrected.revision + 1


def test_after_reapproval_unextended_assignments_follow_the_new_deadline(corrected, client_as, users):
    target = decision(corrected, "2")
    moved, kept = target.assignments.order_by("pk")
    extension = extended(kept, users)
    client = client_as("secretary")
    data = editor_data(client, corrected)
    row, other = prefix_of(data, target.pk, "dec"), prefix_of(data, decision(corrected, "1.5").pk, "dec")
    data.update({f"{row}-deadline_text": "2023-06-30", f"{row}-deadline_time": "12:00",
                 f"{row}-deadline_start": "2023-06-29", f"{other}-deadline_text": "29.12.2023"})
    assert client.post(edit_url(corrected), data).status_code == 302

    meeting_approve(meeting=meeting_submit(meeting=corrected, user=users["secretary"]), user=users["chair"])

    moved.refresh_from_db()
    kept.refresh_from_db()
    assert (moved.deadline, moved.deadline_time, moved.deadline_start) == (
        datetime.date(2023, 6, 30), datetime.time(12, 0), datetime.date(2023, 6, 29))
    assert (kept.deadline, kept.deadline_time, kept.deadline_start) == (extension.new_deadline, None, None)
    assert decision(corrected, "1.5").assignments.get().deadline == datetime.date(2023, 12, 29)
    assert Meeting.objects.get(pk=corrected.pk).status == MeetingStatus.APPROVED


def test_decision_assign_stays_idempotent_after_following_the_deadline(corrected, users):
    target = decision(corrected, "2")
    moved, kept = target.assignments.order_by("pk")
    extension = extended(kept, users)
    Decision.objects.filter(pk=target.pk).update(deadline=datetime.date(2023, 6, 30))
    target.refresh_from_db()
    decision_assign(decision=target)
    history = Assignment.history.count()

    assert decision_assign(decision=target) == [] and Assignment.history.count() == history
    assert [a.deadline for a in target.assignments.order_by("pk")] == [datetime.date(2023, 6, 30), extension.new_deadline]


def test_the_database_refuses_to_delete_a_decision_with_a_reported_assignment(corrected, users):
    target = decision(corrected, "3.2")
    assignment = target.assignments.get()
    reported_twice(assignment, users)

    with pytest.raises(ProtectedError, match="Assignment.decision"):
        Decision.objects.get(pk=target.pk).delete()
    with pytest.raises(ProtectedError, match="AssignmentReport.assignment"):
        Assignment.objects.get(pk=assignment.pk).delete()
    assert AssignmentReport.objects.filter(assignment=assignment).count() == 2


def test_the_database_refuses_to_delete_an_assignment_with_an_extension(corrected, users):
    assignment = decision(corrected, "2").assignments.first()
    extended(assignment, users)

    with pytest.raises(ProtectedError, match="DeadlineExtension.assignment"):
        Assignment.objects.get(pk=assignment.pk).delete()
    assert assignment.extensions.count() == 1
