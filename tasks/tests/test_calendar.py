import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from meetings.models import Assignment
from tasks.models import CalendarToken


def feed_url(client):
    return client.get("/tasks/calendar/").context["feed_url"]


def events(response):
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_feed_has_the_members_meetings_and_deadlines(client_as, users, demo, member_assignment, foreign_assignment):
    url = feed_url(client_as("member"))
    response = client_as(None).get(url)
    uids = events(response)
    assert response["Content-Type"].startswith("text/calendar")
    assert f"assignment-{member_assignment.pk}@127.0.0.1" in uids
    assert f"meeting-{demo['meeting_2023'].pk}@127.0.0.1" in uids
    assert f"meeting-{foreign_assignment.decision.agenda_item.meeting_id}@127.0.0.1" not in uids


def test_deadline_event_is_on_the_deadline_day(client_as, member_assignment):
    event = events(client_as(None).get(feed_url(client_as("member"))))[f"assignment-{member_assignment.pk}@127.0.0.1"]
    assert event.decoded("dtstart") == datetime.date(2023, 5, 12)
    assert "2 — протокол № 2 от 30.03.2023" in str(event["summary"])


def deadline_event(client_as, make_assignments, member_assignment, **deadline):
    assignment, = make_assignments(1, organization=member_assignment.organization, deadline=deadline.pop("deadline"))
    Assignment.objects.filter(pk=assignment.pk).update(**deadline)
    return events(client_as(None).get(feed_url(client_as("member"))))[f"assignment-{assignment.pk}@127.0.0.1"]


def test_a_range_deadline_is_an_all_day_event_over_its_days(client_as, make_assignments, member_assignment):
    # «с 19 по 20 декабря 2023 г.»: DTEND is exclusive, so the event covers the 19th and the 20th.
    event = deadline_event(client_as, make_assignments, member_assignment, deadline=datetime.date(2023, 12, 20),
                           deadline_start=datetime.date(2023, 12, 19))
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (datetime.date(2023, 12, 19), datetime.date(2023, 12, 21))


def test_a_deadline_with_a_time_is_a_timed_event_ending_at_it(client_as, make_assignments, member_assignment):
    # «до 12:00 (мск) 13 ноября 2023 г.»
    event = deadline_event(client_as, make_assignments, member_assignment, deadline=datetime.date(2023, 11, 13),
                           deadline_time=datetime.time(12, 0))
    end = event.decoded("dtend")
    assert end == datetime.datetime(2023, 11, 13, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    assert event.decoded("dtstart") == end - datetime.timedelta(minutes=30)


def test_a_date_deadline_is_a_one_day_event(client_as, make_assignments, member_assignment):
    event = deadline_event(client_as, make_assignments, member_assignment, deadline=datetime.date(2023, 11, 13))
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (datetime.date(2023, 11, 13), datetime.date(2023, 11, 14))


def test_regenerated_token_kills_the_old_url(client_as, users):
    client = client_as("member")
    old = feed_url(client)
    client.post("/tasks/calendar/")
    new = feed_url(client)
    assert old != new
    assert client_as(None).get(old).status_code == 404
    assert client_as(None).get(new).status_code == 200


def test_a_deactivated_users_feed_is_gone(client_as, users):
    url = feed_url(client_as("member"))
    users["member"].is_active = False
    users["member"].save()
    assert client_as(None).get(url).status_code == 404


def test_one_token_per_user(client_as, users):
    client = client_as("member")
    feed_url(client)
    feed_url(client)
    assert CalendarToken.objects.filter(user=users["member"]).count() == 1


def test_meeting_ics_download(client_as, demo):
    response = client_as("member").get(f"/meetings/{demo['meeting_2023'].pk}/calendar.ics")
    (event,) = events(response).values()
    assert response["Content-Disposition"].startswith("attachment")
    start = event.decoded("dtstart")
    assert (start.date() if isinstance(start, datetime.datetime) else start) == datetime.date(2023, 3, 30)


def test_calendar_button_template_links_to_the_meeting_ics(demo):
    from django.template.loader import render_to_string

    html = render_to_string("tasks/_meeting_calendar_button.html", {"meeting": demo["meeting_2023"]})
    assert f'href="/meetings/{demo["meeting_2023"].pk}/calendar.ics"' in html
    assert "Добавить в календарь" in html


def test_feed_queries_do_not_grow(client_as, make_assignments, member_assignment, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = feed_url(client_as("member"))
    anonymous = client_as(None)
    make_assignments(10, organization=member_assignment.organization)
    with CaptureQueriesContext(connection) as small:
        anonymous.get(url)
    make_assignments(990, organization=member_assignment.organization)
    with django_assert_max_num_queries(len(small)):
        assert anonymous.get(url).status_code == 200
