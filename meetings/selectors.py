"""Read queries shared by pages: scoped to the acting user, with eager loading next to them."""

from django.db.models import F, Func, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.prepared import SENTINEL_DAY, SENTINEL_ID, PreparedQuery
from members.models import BodyRole
from members.access import managed_cluster_ids, visible_cluster_ids
from meetings import list_rows, protocol, protocol_page
from meetings.access import joint_meeting_ids, meetings_visible_to, readable_meetings, readable_q
from meetings.models import PUBLISHED_STATUSES, AgendaItem, Attendance, Decision, Meeting, MeetingStatus

def _upcoming(limit, visible, managed, day):
    # the dashboard prints the date, the time, the body and the place (no cluster)
    return (Meeting.objects.filter(readable_q(visible, managed), date__gte=day).select_related("body")
            .order_by("date", "start_time")[:limit])


def _recent(limit, visible, managed):
    return (Meeting.objects.filter(readable_q(visible, managed), status__in=PUBLISHED_STATUSES)
            .select_related("body", "cluster").order_by("-date", "-id")[:limit])


def _drafts(limit, managed):
    # the dashboard prints the title («Протокол № 7 от 1 декабря 2026 г.») and the status only
    return (Meeting.objects.filter(cluster_id__in=managed, status__in=[MeetingStatus.DRAFT, MeetingStatus.ON_APPROVAL])
            .only("number", "date", "status", "cluster").order_by("-date", "-id")[:limit])


# The dashboard's lists: compiled once per process and limit (core.prepared), filled in per request.
_PREPARED: dict = {}


def _prepared(name, build, arg, **placeholders):
    """The prepared query ``build(arg, **placeholders)``, one per ``arg`` (a limit, a page's slice)."""
    key = (name, arg)
    if key not in _PREPARED:
        _PREPARED[key] = PreparedQuery(lambda **values: build(arg, **values), **placeholders)
    return _PREPARED[key]


def upcoming_meetings(user, limit=5):
    query = _prepared("upcoming", _upcoming, limit, visible=[SENTINEL_ID], managed=[SENTINEL_ID], day=SENTINEL_DAY)
    return query.objects(visible=visible_cluster_ids(user), managed=managed_cluster_ids(user),
                         day=timezone.localdate())


def recent_protocols(user, limit=5):
    query = _prepared("recent", _recent, limit, visible=[SENTINEL_ID], managed=[SENTINEL_ID])
    return query.objects(visible=visible_cluster_ids(user), managed=managed_cluster_ids(user))


def drafts_waiting(user, limit=10):
    query = _prepared("drafts", _drafts, limit, managed=[SENTINEL_ID])
    return query.objects(managed=managed_cluster_ids(user))


# ---------------------------------------------------------------- protocol list, page and editor



def _list_readable(visible, managed, joint=None):
    """``readable_meetings`` for given ids; ``joint``: the authority meetings the user reads too."""
    condition = readable_q(visible, managed)
    if joint is not None:
        condition |= Q(pk__in=joint)
    return Meeting.objects.filter(condition)


def _list_slice(bounds, **values):
    start, stop = bounds
    return _list_readable(**values).order_by("-date", "-id").values_list(*list_rows.COLUMNS)[start:stop]


def _list_count(_arg, **values):
    return _list_readable(**values).order_by().values_list(Func(F("id"), function="COUNT"))


class MeetingListPages:
    """The unfiltered protocol list (``meeting_list``) as a paginator's object list: ``count()`` and
    slices run prepared queries (``core.prepared``), compiled once per process and page. A slice is
    ``meetings.list_rows.COLUMNS`` tuples (``meeting_list_rows`` of the filtered list)."""

    ordered = True

    def __init__(self, user):
        self.values = {"visible": visible_cluster_ids(user), "managed": managed_cluster_ids(user)}
        self.placeholders = {"visible": [SENTINEL_ID], "managed": [SENTINEL_ID]}
        # A secretary whose cluster took part in an authority's meetings reads those too (``readable_meetings``).
        joint = joint_meeting_ids(user)
        self.shape = "joint" if joint else "own"
        if joint:
            self.values["joint"], self.placeholders["joint"] = joint, [SENTINEL_ID]

    def count(self) -> int:
        rows = _prepared(f"list-count-{self.shape}", _list_count, None, **self.placeholders).rows(**self.values)
        return rows[0][0] if rows else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("MeetingListPages takes slices only")
        bounds = (index.start or 0, index.stop)
        return _prepared(f"list-page-{self.shape}", _list_slice, bounds, **self.placeholders).rows(**self.values)


def meeting_list(user):
    """Meetings the user may see (drafts only where secretary/chair), newest first."""
    return meetings_visible_to(user).select_related("cluster", "body").order_by("-date", "-id")


def meeting_list_rows(queryset):
    """A (filtered) ``meeting_list`` as the tuples the list prints (``meetings.list_rows``)."""
    return queryset.values_list(*list_rows.COLUMNS)


def protocol_queryset():
    """A meeting for the protocol page and the editor: what the protocol prints (``meetings.protocol``)
    plus the approver, and each decision's plan, assignments and the decisions it continues.

    Queries: meeting+cluster+body+chair+secretary+approver (1), attendances+people+orgs (1), items (1),
    speakers+people+orgs (1), decisions+plan (1), their organisations/people/bodies (3), assignments (1),
    continued decisions (1).
    """
    decisions = Decision.objects.select_related("approves_plan").prefetch_related(
        *protocol.DECISION_PARTIES, "assignments", "continues"
    )
    return protocol.protocol_queryset(decisions=decisions).select_related("approved_by")


def _protocol_page_meeting(pk):
    # one row by its key: no ORDER BY (Meeting's default ordering would sort it)
    return (Meeting.objects.select_related(*protocol.PROTOCOL_RELATED, "approved_by__person").filter(pk=pk)
            .annotate(page_fingerprint=protocol_page.fingerprint_expression()).order_by())


# compiled once: the warm page (from the fragment cache) costs this query's execution, not its compilation
PROTOCOL_PAGE_MEETING = PreparedQuery(_protocol_page_meeting, pk=SENTINEL_ID)


def protocol_page_meetings():
    """The protocol page's meeting row: what ``protocol_page_load`` needs joined in (1 query), so that a
    page served from the fragment cache and one built anew load the meeting once. A ``PreparedQuery`` with a
    ``pk`` placeholder, which ``get_meeting_for_user`` takes in place of a queryset."""
    return PROTOCOL_PAGE_MEETING


def protocol_page_load(meeting):
    """Everything the protocol page prints, onto a meeting of ``protocol_page_meetings``: ``protocol_prefetches``
    without the decisions it continues, which only the editor shows. Queries: attendance (1), items (1),
    speakers (1), decisions (1), their parties (4), assignments (1)."""
    decisions = Decision.objects.select_related("approves_plan").prefetch_related(
        *protocol.DECISION_PARTIES, "assignments"
    )
    prefetch_related_objects([meeting], *protocol.protocol_prefetches(decisions=decisions))
    return meeting


def next_meeting_number(*, body_id, year) -> str:
    """The next integer after the largest numeric number of that body in that year («2» → «3»)."""
    numbers = Meeting.objects.filter(body_id=body_id, year=year).values_list("number", flat=True)
    numeric = [int(n) for n in numbers if n and n.strip().isdigit()]
    return str(max(numeric, default=0) + 1)


def body_officers(*, body, day):
    """(chair, secretary) Persons of the body's current composition (or None)."""
    chair = secretary = None
    for seat in body.members_on(day):
        if seat.role == BodyRole.CHAIR and chair is None:
            chair = seat.person
        elif seat.role == BodyRole.SECRETARY and secretary is None:
            secretary = seat.person
    return chair, secretary


def _changed_fields(model, old, new, skip=("history_id", "history_date", "history_change_reason", "history_type",
                                           "history_user_id", "revision", "updated_at", "created_at", "approved_by")):
    names = []
    for field in model._meta.fields:
        if field.attname in skip or field.name in skip:
            continue
        if getattr(old, field.attname, None) != getattr(new, field.attname, None):
            names.append(str(field.verbose_name))
    return names


def meeting_history(meeting, limit=60):
    """Every recorded change of the meeting, its agenda items and decisions, newest first.

    Three queries whatever the size: the meeting's, the items' and the decisions' history.
    Changes are diffed in Python against the previous record of the same object.
    """
    HMeeting, HItem, HDecision = Meeting.history.model, AgendaItem.history.model, Decision.history.model
    item_ids = HItem.objects.filter(meeting_id=meeting.pk).values("id")
    groups = [
        (Meeting, _("Protocol"), list(HMeeting.objects.filter(id=meeting.pk).select_related("history_user__person"))),
        (AgendaItem, _("Agenda item"), list(HItem.objects.filter(meeting_id=meeting.pk).select_related("history_user__person"))),
        (Decision, _("Decision"), list(HDecision.objects.filter(agenda_item_id__in=item_ids).select_related("history_user__person"))),
    ]
    entries = []
    for model, label, records in groups:
        records.sort(key=lambda r: (r.id, r.history_date, r.history_id))
        previous = {}
        for record in records:
            old = previous.get(record.id)
            changed = _changed_fields(model, old, record) if old is not None and record.history_type == "~" else []
            previous[record.id] = record
            if record.history_type == "~" and not changed and model is not Meeting:
                continue
            if model is Meeting:
                what = str(label)
            elif model is AgendaItem:
                what = f"{label} {record.order}: {record.title[:60]}"
            else:
                what = f"{label}: {record.text[:60]}"
            entries.append({
                "date": record.history_date,
                "user": record.history_user,
                "type": record.history_type,
                "what": what,
                "changed": changed,
                "status": getattr(record, "status", None),
                "revision": getattr(record, "revision", None),
            })
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


def person_attendance(user, person):
    """Meetings the person attended that the user may read, newest first (the person page)."""
    return list(
        Attendance.objects.filter(readable_meetings(user, "meeting__"), person=person)
        .select_related("meeting__body")
        .order_by("-meeting__date")
    )
