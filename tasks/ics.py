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
    url = f"{settings.SITE_URL}/meetings/{meeting.pk}/"
    event.add("url", url)
    event.add("description", f"{meeting}\n{url}")
    event.add("dtstamp", datetime.datetime.now(tz=datetime.UTC))
    return event


def _deadline_event(assignment) -> Event:
    decision = assignment.decision
    event = Event()
    event.add("uid", f"assignment-{assignment.pk}@{DOMAIN}")
    event.add("summary", f"Срок поручения {decision.number} — {decision.agenda_item.meeting.short_label}")
    if assignment.deadline_time:
        moment = datetime.datetime.combine(assignment.deadline, assignment.deadline_time, tzinfo=MOSCOW)
        event.add("dtstart", moment - datetime.timedelta(minutes=30))
        event.add("dtend", moment)
    else:
        event.add("dtstart", assignment.deadline)
        event.add("dtend", assignment.deadline + datetime.timedelta(days=1))
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
