"""«Срок:» as the secretary types it (issue 12): words printed as written, a date controlled wherever it
is written, the numeric or the words form kept, a date the calendar does not have refused beside the
field with nothing saved."""

import datetime

import pytest

from core import ru
from core.errors import DomainError
from meetings.models import Assignment, Decision, DeadlineFormat, Meeting, MeetingStatus
from meetings.protocol import build_protocol, protocol_queryset
from meetings.services import meeting_approve, meeting_submit
from meetings.tests.conftest import editor_post, meeting_fields
from meetings.tests.test_editor import _form_data

pytestmark = pytest.mark.django_db


def save_with(client, demo, *deadlines, number="5"):
    """A new protocol of 20.11.2026 with one «поручить» decision per typed deadline."""
    decisions = [{"text": f"Поручить {n}.", "kind": "assign", "deadline_text": typed,
                  "responsible_organizations": demo["orgs"]["smolapo"].pk}
                 for n, typed in enumerate(deadlines, start=1)]
    data = editor_post(meeting=meeting_fields(demo, number=number), items=[{"title": "Вопрос.", "decisions": decisions}])
    return client.post("/meetings/new/", data)


def saved_decisions(number="5"):
    return list(Decision.objects.filter(agenda_item__meeting__number=number, agenda_item__meeting__year=2026)
                .order_by("order"))


@pytest.mark.parametrize("typed, dates, written", [
    ("28.05.2027", [datetime.date(2027, 5, 28)], ru.NUMERIC),
    ("до 28 мая 2027 г.", [datetime.date(2027, 5, 28)], ru.WORDS),
    ("2027-05-28", [datetime.date(2027, 5, 28)], ru.WORDS),
    ("с 19.12.2026 по 20.12.2026", [datetime.date(2026, 12, 19), datetime.date(2026, 12, 20)], ru.NUMERIC),
    ("в установленные сроки", [], ""),
    ("ежеквартально до 5 числа", [], ""),
    ("постоянно", [], ""),
])
def test_the_dates_a_typed_deadline_names(typed, dates, written):
    assert ru.dates_in(typed) == (dates, written)


@pytest.mark.parametrize("typed, fragment", [("31.02.2023", "31.02.2023"), ("до 30 февраля 2024 г.", "30 февраля 2024"),
                                             ("12.13.2023", "12.13.2023")])
def test_a_date_the_calendar_does_not_have_is_named(typed, fragment):
    with pytest.raises(ru.NoSuchDate, match=fragment):
        ru.dates_in(typed)


def test_an_impossible_date_is_refused_beside_the_field_and_nothing_is_saved(client_as, demo):
    response = save_with(client_as("secretary"), demo, "до 31.02.2027")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Нет такой даты: 31.02.2027. Проверьте день и месяц." in html
    assert 'value="до 31.02.2027"' in html  # what was typed stays in the field
    assert not Meeting.objects.filter(number="5", year=2026).exists()


def test_words_are_printed_as_written_and_have_no_date(client_as, demo):
    assert save_with(client_as("secretary"), demo, "в установленные сроки", "ежеквартально до 5 числа").status_code == 302
    first, second = saved_decisions()
    assert (first.deadline, first.deadline_text) == (None, "в установленные сроки")
    assert second.deadline_display == "ежеквартально до 5 числа"
    protocol = build_protocol(protocol_queryset().get(pk=first.agenda_item.meeting_id))
    assert [d.deadline for d in protocol.items[0].decisions] == ["в установленные сроки", "ежеквартально до 5 числа"]


def test_a_numeric_date_is_printed_as_typed_and_controlled(client_as, demo):
    assert save_with(client_as("secretary"), demo, "28.05.2027", "до 28 мая 2027 г.").status_code == 302
    numeric, words = saved_decisions()
    assert (numeric.deadline, numeric.deadline_format, numeric.deadline_display) == (
        datetime.date(2027, 5, 28), DeadlineFormat.NUMERIC, "28.05.2027")
    # Typed exactly as the protocol prints a date: stored as the date alone.
    assert (words.deadline, words.deadline_text, words.deadline_display) == (
        datetime.date(2027, 5, 28), "", "до 28 мая 2027 г.")


def test_a_numeric_date_without_text_prints_numerically():
    decision = Decision(deadline=datetime.date(2021, 5, 28), deadline_format=DeadlineFormat.NUMERIC)
    assert decision.deadline_display == "до 28.05.2021"
    decision.deadline_start = datetime.date(2021, 5, 20)
    assert decision.deadline_display == "с 20.05.2021 по 28.05.2021"


def test_a_typed_range_sets_the_start_too(client_as, demo):
    assert save_with(client_as("secretary"), demo, "с 19.12.2026 по 20.12.2026").status_code == 302
    decision = saved_decisions()[0]
    assert (decision.deadline_start, decision.deadline) == (datetime.date(2026, 12, 19), datetime.date(2026, 12, 20))


def test_a_typed_date_before_the_meeting_is_refused_beside_the_field(client_as, demo):
    response = save_with(client_as("secretary"), demo, "01.01.2026")
    assert "Срок не может быть раньше даты заседания." in response.content.decode()
    assert not Meeting.objects.filter(number="5", year=2026).exists()


def test_the_editor_shows_the_deadline_as_printed_and_saves_it_back_unchanged(client_as, demo):
    client = client_as("secretary")
    save_with(client, demo, "28.05.2027", "до 28 мая 2027 г.", "постоянно")
    before = [(d.deadline, d.deadline_text, d.deadline_format) for d in saved_decisions()]
    meeting = Meeting.objects.get(number="5", year=2026)
    html = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert 'value="28.05.2027"' in html and 'value="до 28 мая 2027 г."' in html and 'value="постоянно"' in html
    assert client.post(f"/meetings/{meeting.pk}/edit/", _form_data(html)).status_code == 302
    assert [(d.deadline, d.deadline_text, d.deadline_format) for d in saved_decisions()] == before


def test_a_deadline_in_words_lets_the_protocol_go_and_its_assignments_have_no_date(client_as, demo, users):
    save_with(client_as("secretary"), demo, "постоянно", "28.05.2027")
    meeting = Meeting.objects.get(number="5", year=2026)
    meeting_submit(meeting=meeting, user=users["secretary"])
    meeting_approve(meeting=Meeting.objects.get(pk=meeting.pk), user=users["chair"])
    deadlines = list(Assignment.objects.filter(decision__agenda_item__meeting=meeting)
                     .order_by("decision__order").values_list("deadline", flat=True))
    assert deadlines == [None, datetime.date(2027, 5, 28)]
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.APPROVED


def test_an_assign_decision_with_neither_date_nor_words_cannot_go(client_as, demo, users):
    save_with(client_as("secretary"), demo, "")
    with pytest.raises(DomainError, match="1 .*срок"):
        meeting_submit(meeting=Meeting.objects.get(number="5", year=2026), user=users["secretary"])


def test_an_assignment_shows_the_deadline_as_its_decision_prints_it(client_as, demo, users):
    save_with(client_as("secretary"), demo, "ежеквартально до 5 числа", "28.05.2027")
    meeting = Meeting.objects.get(number="5", year=2026)
    meeting_submit(meeting=meeting, user=users["secretary"])
    meeting_approve(meeting=Meeting.objects.get(pk=meeting.pk), user=users["chair"])
    words, numeric = Assignment.objects.filter(decision__agenda_item__meeting=meeting).order_by("decision__order")
    client = client_as("secretary")
    assert 'id="deadline">ежеквартально до 5 числа' in client.get(f"/tasks/{words.pk}/").content.decode()
    assert 'id="deadline">28.05.2027' in client.get(f"/tasks/{numeric.pk}/").content.decode()
    numeric.deadline = datetime.date(2027, 6, 30)  # its own deadline now (as an extension sets it)
    assert numeric.deadline_display == "до 30 июня 2027 г."
