"""ICS calendars (icalendar): the personal feed and a single meeting's download."""

from __future__ import annotations

import datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from meetings.access import meetings_visible_to
from meetings.models import Meeting
from tasks.selectors import my_assignments, with_assignment_context

MOSCOW = ZoneInfo(settings.TIME_ZONE)
DOMAIN = urlparse(settings.SITE_URL).hostname or "cluster-portal.local"
DEFAULT_LENGTH = datetime.timedelta(hours=2)
DEADLINE_LENGTH = datetime.timedelta(minutes=30)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Cluster Portal//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _meeting_event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{DOMAIN}")
    title = f"Заседание: {meeting.body.name}" if meeting.body_id else "Заседание"
    event.add("summary", f"{title} ({meeting.cluster.short_name or meeting.cluster.name})")
    if meeting.start_time:
        start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=MOSCOW)
        end = datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=MOSCOW) if meeting.end_time else start + DEFAULT_LENGTH
        event.add("dtstart", start)
        event.add("dtend", end)
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + datetime.timedelta(days=1))
    location = ", ".join(part for part in (meeting.city, meeting.place) if part)
    if location:
        event.add("location", location)
    url = settings.SITE_URL + reverse("meetings:meeting-detail", args=[meeting.pk])
    event.add("url", url)
    event.add("description", f"{meeting}\n{url}")
    event.add("dtstamp", datetime.datetime.now(tz=datetime.UTC))
    return event


def deadline_span(assignment) -> tuple[datetime.date | datetime.datetime, datetime.date | datetime.datetime]:
    """(DTSTART, DTEND) of a deadline. A time of day («до 12:00») makes a timed event that ends at
    ``deadline_at`` (half an hour long, or from the first day of a range); a date is an all-day
    event, and a range («с 19 по 20 декабря») one that spans its days (DTEND is exclusive)."""
    if assignment.deadline_time:
        end = assignment.deadline_at.astimezone(MOSCOW)
        if assignment.deadline_start:
            return datetime.datetime.combine(assignment.deadline_start, datetime.time(0, 0), tzinfo=MOSCOW), end
        return end - DEADLINE_LENGTH, end
    return assignment.deadline_start or assignment.deadline, assignment.deadline + datetime.timedelta(days=1)


def _deadline_event(assignment) -> Event:
    decision = assignment.decision
    event = Event()
    event.add("uid", f"assignment-{assignment.pk}@{DOMAIN}")
    event.add("summary", f"Срок поручения {decision.citation} — {decision.agenda_item.meeting.short_label}")
    start, end = deadline_span(assignment)
    event.add("dtstart", start)
    event.add("dtend", end)
    url = settings.SITE_URL + reverse("tasks:task-detail", args=[assignment.pk])
    event.add("url", url)
    event.add("description", f"{decision.text}\nОтветственный: {assignment.party}\nСрок: {assignment.deadline_display}\n{url}")
    event.add("dtstamp", datetime.datetime.now(tz=datetime.UTC))
    return event


def user_calendar(user) -> bytes:
    """Meetings of the user's clusters (drafts too where they manage) and their open deadlines."""
    cal = _calendar("Кластерный портал")
    for meeting in meetings_visible_to(user).select_related("body", "cluster").order_by("date", "id"):
        cal.add_component(_meeting_event(meeting))
    deadlines = my_assignments(user).open().filter(deadline__isnull=False).order_by("deadline", "id")
    for assignment in with_assignment_context(deadlines):
        cal.add_component(_deadline_event(assignment))
    return cal.to_ical()


def meeting_calendar(meeting: Meeting) -> bytes:
    cal = _calendar(str(meeting))
    cal.add_component(_meeting_event(meeting))
    return cal.to_ical()
