"""The protocol page reads like the printed protocol."""

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
    assert "Присутствовали: 17 чел. (приложение), в том числе в режиме ВКС - 2 чел." in page_2023


def test_every_decision_has_its_number(page_2023):
    numbers = ["1.1.", "1.2.", "1.3.", "1.4.", "1.5.", ">2.<", "3.1.", "3.2."]
    assert all(n in page_2023 for n in numbers)


def test_deadline_and_responsible_are_printed(page_2023):
    assert "Срок: до 12 мая 2023 г." in page_2023
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
    assert "Присутствовали: 20 чел. (список прилагается), в том числе в режиме ВКС - 4 чел." in html


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
