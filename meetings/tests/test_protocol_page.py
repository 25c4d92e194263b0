"""The protocol page reads like the printed protocol."""

import re

import pytest

from meetings.models import Attendance, AttendanceMode

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_2023(demo, client_as):
    return client_as("member").get(f"/meetings/{demo['meeting_2023'].pk}/").content.decode()


def test_heading_has_number_date_and_place(page_2023):
    assert "ПРОТОКОЛ" in page_2023
    assert "№ 2" in page_2023 and "30 марта 2023 г." in page_2023 and "г. Смоленск" in page_2023


def test_head_count_is_printed_when_there_is_no_list(page_2023):
    assert "Присутствовали: 17 чел. (приложение), в том числе в режиме ВКС – 2 чел." in page_2023


def test_decisions_are_numbered_as_the_pdf_numbers_them(page_2023):
    # Item 2 has a single decision: unnumbered, as the seed protocols (and the PDF) print it.
    numbers = re.findall(r'<span class="decision-number">([^<]*)</span>', page_2023)
    assert numbers == ["1.1.", "1.2.", "1.3.", "1.4.", "1.5.", "3.1.", "3.2."]


def test_deadline_and_responsible_are_printed(page_2023):
    assert "Срок: до 12 мая 2023 года" in page_2023
    assert "Ответственный: секретарь координационного совета Кластера ИКТ" in page_2023
    assert "Ответственный: СОГАУ ДПО «ЦОПП»" in page_2023


def test_decisions_link_to_their_assignments(demo, page_2023):
    decision = demo["decisions_2023"][4]
    assert f'href="/tasks/{decision.assignments.get().pk}/"' in page_2023


def test_short_form_leaves_out_the_discussion(client_as, draft):
    client = client_as("secretary")
    assert "ВЫСТУПИЛИ" in client.get(f"/meetings/{draft.pk}/").content.decode()
    assert "ВЫСТУПИЛИ" not in client.get(f"/meetings/{draft.pk}/?form=short").content.decode()


def test_long_attendance_prints_only_the_count(client_as, protocol_factory, settings):
    settings.PROTOCOL_ATTENDANCE_LIST_LIMIT = 15
    meeting = protocol_factory(items=20, number="77")
    html = client_as("secretary").get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Присутствовали: 20 чел. (список прилагается), в том числе в режиме ВКС – 4 чел." in html


def test_short_attendance_lists_people(client_as, draft):
    attendee = Attendance.objects.filter(meeting=draft, mode=AttendanceMode.IN_PERSON).first()
    html = client_as("secretary").get(f"/meetings/{draft.pk}/").content.decode()
    assert attendee.line in html


def test_history_is_shown_to_the_secretary_not_to_members(client_as, demo):
    url = f"/meetings/{demo['meeting_2023'].pk}/"
    assert 'id="meeting-history"' in client_as("chair").get(url).content.decode()
    assert 'id="meeting-history"' not in client_as("member").get(url).content.decode()


def test_page_includes_the_documents_and_calendar_panels(page_2023):
    assert 'id="documents-panel"' in page_2023


@pytest.mark.parametrize("role, protocol, shown, hidden", [
    ("secretary", "draft", ['id="submit-for-approval"', "Редактировать протокол"],
     ['id="approve-protocol"', 'id="return-comment"']),
    ("chair", "draft", [], ['id="submit-for-approval"', 'id="approve-protocol"', "Редактировать протокол"]),
    ("chair", "on_approval", ['id="approve-protocol"', 'id="return-comment"'], ['id="submit-for-approval"']),
    ("secretary", "on_approval", ["Ожидает утверждения председателем"],
     ['id="approve-protocol"', 'id="submit-for-approval"']),
])
def test_workflow_buttons_follow_the_view_flags(request, client_as, role, protocol, shown, hidden):
    meeting = request.getfixturevalue(protocol)
    html = client_as(role).get(f"/meetings/{meeting.pk}/").content.decode()
    assert [s for s in shown if s not in html] == [] and [s for s in hidden if s in html] == []


def test_the_returned_comment_is_shown_to_the_secretary(client_as, draft):
    draft.return_comment = "Уточнить сроки по вопросу 2."
    draft.save()
    assert "Уточнить сроки по вопросу 2." in client_as("secretary").get(f"/meetings/{draft.pk}/").content.decode()
