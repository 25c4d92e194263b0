import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import AssignmentStatus
from tasks.models import AssignmentReport, ExtensionStatus, ReportStatus
from core.errors import DomainError
from tasks import services


def pdf(name="отчёт.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def submit(client, assignment, text="Проведено обучение преподавателей", files=()):
    data = {"text": text, "files": list(files)}
    return client.post(f"/tasks/{assignment.pk}/report/", data)


def test_member_submits_a_report_with_a_file(client_as, member_assignment):
    response = submit(client_as("member"), member_assignment, files=[pdf()])
    member_assignment.refresh_from_db()
    report = member_assignment.reports.get()
    assert response.status_code == 302
    assert member_assignment.status == AssignmentStatus.REPORTED
    assert [f.name for f in report.files.all()] == ["отчёт.pdf"]


def test_a_file_of_a_forbidden_type_is_refused_with_a_russian_message(client_as, member_assignment):
    response = submit(client_as("member"), member_assignment, files=[pdf("вирус.exe")])
    assert response.status_code == 400
    assert "такой тип не принимается" in response.content.decode()
    assert not AssignmentReport.objects.filter(assignment=member_assignment).exists()


def test_a_too_large_file_is_refused(client_as, member_assignment, monkeypatch):
    monkeypatch.setattr(services, "REPORT_FILE_MAX_BYTES", 50)
    response = submit(client_as("member"), member_assignment, files=[pdf(size=100)])
    assert "слишком большой" in response.content.decode()
    assert not AssignmentReport.objects.filter(assignment=member_assignment).exists()


def test_an_empty_report_text_is_refused(client_as, member_assignment):
    response = submit(client_as("member"), member_assignment, text="")
    assert response.status_code == 400
    assert "Обязательное поле" in response.content.decode()


def test_report_file_is_served_only_within_access(client_as, member_assignment):
    submit(client_as("member"), member_assignment, files=[pdf()])
    attachment = member_assignment.reports.get().files.get()
    url = f"/tasks/{member_assignment.pk}/files/{attachment.pk}/"
    assert client_as("secretary").get(url).status_code == 200
    assert client_as("outsider").get(url).status_code == 404


def test_secretary_returns_then_accepts_the_resubmitted_report(client_as, member_assignment):
    member, secretary = client_as("member"), client_as("secretary")
    submit(member, member_assignment)
    secretary.post(f"/tasks/{member_assignment.pk}/return/", {"comment": "Приложите программу обучения"})
    member_assignment.refresh_from_db()
    assert member_assignment.status == AssignmentStatus.RETURNED
    submit(member, member_assignment, files=[pdf("программа.pdf")])
    secretary.post(f"/tasks/{member_assignment.pk}/accept/", {"comment": ""})
    member_assignment.refresh_from_db()
    statuses = list(member_assignment.reports.order_by("submitted_at").values_list("status", flat=True))
    assert member_assignment.status == AssignmentStatus.ACCEPTED
    assert statuses == [ReportStatus.RETURNED, ReportStatus.ACCEPTED]


def test_return_needs_a_comment(client_as, member_assignment):
    submit(client_as("member"), member_assignment)
    response = client_as("secretary").post(f"/tasks/{member_assignment.pk}/return/", {"comment": " "})
    assert response.status_code == 400
    assert "Укажите, почему отчёт возвращается" in response.content.decode()


def test_acceptance_records_completion_at_the_submission_time(demo, member_assignment):
    with time_machine.travel(datetime.datetime(2023, 5, 11, 10, 0, tzinfo=datetime.UTC), tick=False):
        report = services.assignment_report_submit(assignment=member_assignment, author=demo["users"]["member"], text="Сделано")
    with time_machine.travel(datetime.datetime(2023, 5, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        services.assignment_report_accept(assignment=member_assignment, reviewer=demo["users"]["secretary"])
    member_assignment.refresh_from_db()
    assert member_assignment.completed_at == report.submitted_at


def test_a_reported_assignment_cannot_be_reported_again(demo, member_assignment):
    services.assignment_report_submit(assignment=member_assignment, author=demo["users"]["member"], text="Сделано")
    with pytest.raises(DomainError, match="Отчёт сейчас отправить нельзя: статус поручения — «отчёт представлен»"):
        services.assignment_report_submit(assignment=member_assignment, author=demo["users"]["member"], text="Ещё раз")


def test_status_history_is_shown_on_the_detail_page(client_as, member_assignment):
    submit(client_as("member"), member_assignment)
    response = client_as("member").get(f"/tasks/{member_assignment.pk}/")
    assert len(response.context["history"]) >= 2
    assert "Отчёт представлен" in response.content.decode() or "Представлен" in response.content.decode()


def test_detail_shows_the_decision_in_context(client_as, member_assignment):
    text = client_as("member").get(f"/tasks/{member_assignment.pk}/").content.decode()
    assert f'href="/meetings/{member_assignment.decision.agenda_item.meeting_id}/"' in text
    assert "СКТ (филиал) СПбГУТ" in text


# ---------------------------------------------------------------- extensions


def request_extension(client, assignment, new_deadline="2027-02-01", reason="Задержка поставки оборудования"):
    return client.post(f"/tasks/{assignment.pk}/extension/", {"new_deadline": new_deadline, "reason": reason})


# The new deadlines (2027) must not be in the past: request them on a frozen day.
@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_granted_extension_moves_the_deadline_and_keeps_the_old_one(client_as, member_assignment):
    request_extension(client_as("member"), member_assignment)
    extension = member_assignment.extensions.get()
    client_as("chair").post(f"/tasks/{member_assignment.pk}/extension/{extension.pk}/grant/", {"comment": ""})
    member_assignment.refresh_from_db()
    extension.refresh_from_db()
    assert member_assignment.deadline == datetime.date(2027, 2, 1)
    assert (extension.status, extension.old_deadline) == (ExtensionStatus.GRANTED, datetime.date(2023, 5, 12))


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_the_secretary_cannot_grant_the_extension_she_requested(client_as, member_assignment, users):
    """Issue 11: whoever requested an extension cannot grant it; the chair can."""
    from tasks.services import assignment_extension_request

    extension = assignment_extension_request(assignment=member_assignment, requested_by=users["secretary"],
                                             new_deadline=datetime.date(2027, 2, 1), reason="Задержка поставки")
    url = f"/tasks/{member_assignment.pk}/extension/{extension.pk}/grant/"
    response = client_as("secretary").post(url, {"comment": ""}, follow=True)
    extension.refresh_from_db()
    member_assignment.refresh_from_db()
    assert extension.status == ExtensionStatus.REQUESTED and member_assignment.deadline == datetime.date(2023, 5, 12)
    assert "Вы сами запросили этот перенос срока" in response.content.decode()
    client_as("chair").post(url, {"comment": ""})
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.GRANTED


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_refused_extension_needs_a_reason_and_keeps_the_deadline(client_as, member_assignment):
    request_extension(client_as("member"), member_assignment)
    extension = member_assignment.extensions.get()
    url = f"/tasks/{member_assignment.pk}/extension/{extension.pk}/refuse/"
    client_as("secretary").post(url, {"comment": ""})
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REQUESTED
    client_as("secretary").post(url, {"comment": "Срок установлен решением совета"})
    extension.refresh_from_db()
    member_assignment.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
    assert member_assignment.deadline == datetime.date(2023, 5, 12)


def test_an_extension_to_an_earlier_date_is_refused_with_a_message(client_as, member_assignment):
    response = request_extension(client_as("member"), member_assignment, new_deadline="2023-05-01")
    assert response.status_code == 400
    assert "Новый срок должен быть позже текущего" in response.content.decode()


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_only_one_pending_extension_at_a_time(client_as, member_assignment):
    request_extension(client_as("member"), member_assignment)
    response = request_extension(client_as("member"), member_assignment, new_deadline="2027-03-01")
    assert "уже ожидает решения" in response.content.decode()
    assert member_assignment.extensions.count() == 1
