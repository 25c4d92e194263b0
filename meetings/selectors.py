"""Read queries shared by pages: scoped to the acting user, with eager loading next to them."""

from django.db.models import Q
from django.utils import timezone

from members.access import managed_cluster_ids, user_organization_id, user_person, visible_cluster_ids
from meetings.access import meetings_visible_to
from meetings.models import Assignment, MeetingStatus

ASSIGNMENT_RELATED = [
    "decision__agenda_item__meeting__body",
    "organization",
    "person",
    "body",
]


def with_assignment_context(queryset):
    """Everything a row prints («1.5 — протокол № 2 от 30.03.2023», the party) in fixed queries."""
    return queryset.select_related(*ASSIGNMENT_RELATED).prefetch_related("decision__agenda_item__decisions")


def assignments_of_user(user):
    """Assignments addressed to the user or to their organisation, in the user's clusters."""
    person = user_person(user)
    if person is None:
        return Assignment.objects.none()
    party = Q(person=person)
    if person.organization_id:
        party |= Q(organization_id=person.organization_id)
    return Assignment.objects.filter(party, decision__agenda_item__meeting__cluster_id__in=visible_cluster_ids(user))


def open_assignments_of_user(user, limit=10):
    queryset = assignments_of_user(user).open().order_by("deadline", "id")
    return list(with_assignment_context(queryset)[:limit])


def overdue_assignments_of_managed_clusters(user, limit=10):
    queryset = Assignment.objects.overdue().filter(
        decision__agenda_item__meeting__cluster_id__in=managed_cluster_ids(user)
    )
    return list(with_assignment_context(queryset.order_by("deadline", "id"))[:limit])


def upcoming_meetings(user, limit=5):
    today = timezone.localdate()
    queryset = meetings_visible_to(user).filter(date__gte=today).select_related("body", "cluster")
    return list(queryset.order_by("date", "start_time")[:limit])


def recent_protocols(user, limit=5):
    queryset = meetings_visible_to(user).filter(status__in=[MeetingStatus.APPROVED, MeetingStatus.SIGNED])
    return list(queryset.select_related("body", "cluster").order_by("-date", "-id")[:limit])


def drafts_waiting(user, limit=10):
    queryset = meetings_visible_to(user).filter(
        cluster_id__in=managed_cluster_ids(user), status__in=[MeetingStatus.DRAFT, MeetingStatus.ON_APPROVAL]
    )
    return list(queryset.select_related("body", "cluster").order_by("-date", "-id")[:limit])
