"""Multi-step writes on meetings and decisions. Views call these; they validate and
raise ``DomainError`` with a message for the user."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from members.models import (
    AddresseeCategory,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    Cluster,
    ClusterRole,
    Membership,
    Organization,
    PortalRole,
    ProtocolLayout,
    mail_languages,
    user_contact_email,
)
from meetings.models import (
    AgendaItem,
    Assignment,
    Attendance,
    DeadlineMixin,
    Decision,
    DecisionKind,
    Meeting,
    MeetingStatus,
    Speaker,
)
from meetings.signatories import meeting_signatories_freeze
from meetings.protocol import signatory_problems
from ops.mail import Recipient, send_templated


def decision_responsible_organizations(*, decision: Decision) -> list[Organization]:
    """Organisations a decision addresses: named ones, those its addressee categories cover, plus every
    member of its organisation kinds.

    A kind («руководителям образовательных организаций …») means the organisations of that kind that
    are members of the meeting's cluster on the meeting date.
    """
    named = list(decision.responsible_organizations.all())
    named += [org for org in Organization.objects.filter(addressee_categories__decisions=decision)
              .distinct().order_by("short_name", "full_name")]
    named = list({org.pk: org for org in named}.values())
    kinds = decision.responsible_kinds or []
    if not kinds:
        return named
    meeting = decision.agenda_item.meeting
    day = meeting.date
    member_ids = Membership.objects.filter(cluster_id=meeting.cluster_id).active_on(day).values("organization_id")
    by_kind = Organization.objects.filter(pk__in=member_ids, kind__in=kinds).order_by("short_name", "full_name")
    seen = {org.pk for org in named}
    return named + [org for org in by_kind if org.pk not in seen]


def decision_responsible_bodies(*, decision: Decision) -> list[Body]:
    """Bodies a decision addresses: named ones, plus the coordination council of every cluster its addressee
    categories cover (a coordinating authority addresses a cluster through its council)."""
    named = list(decision.responsible_bodies.all())
    clusters = Q(covering_categories__decisions=decision)
    for category in decision.responsible_categories.all():  # categories defined by a rule (issue 17)
        rule = category.rule_q()
        if rule is not None:
            clusters |= rule
    covered_clusters = Cluster.objects.filter(clusters).exclude(pk=decision.cluster_id).values("pk")
    covered = Body.objects.filter(kind=BodyKind.COUNCIL, parent__isnull=True,
                                  cluster__in=covered_clusters).order_by("pk")
    return list({body.pk: body for body in [*named, *covered]}.values())


def decision_category_problem(*, decision: Decision) -> str | None:
    """Why the decision's addressee categories cannot be used in its protocol (None: they can): a
    category belongs to one cluster (or authority) and is used in its protocols only."""
    meeting = decision.agenda_item.meeting
    foreign = [c.name for c in decision.responsible_categories.all() if c.cluster_id != meeting.cluster_id]
    if foreign:
        return _("Decision %(number)s is addressed to categories of another cluster: %(names)s.") % {
            "number": decision.number, "names": "; ".join(foreign)}
    return None


# Every form a deadline takes (date, time, range start …): an assignment copies them all from its decision.
DEADLINE_FIELDS = [field.name for field in DeadlineMixin._meta.fields]
# Which assignments have a deadline of their own, no longer their decision's. tasks, which grants
# extensions («перенос срока»), registers the rule in its AppConfig.ready(): meetings does not import it.
OWN_DEADLINE_RULES: dict[str, Callable[[QuerySet], QuerySet]] = {}


def assignment_own_deadline_rule(name: str, rule: Callable[[QuerySet], QuerySet]) -> None:
    """``rule(assignments)`` → those of the queryset whose deadline stays when their decision's changes."""
    OWN_DEADLINE_RULES[name] = rule


def _follow_decision_deadline(decision: Decision, assignments: list[Assignment]) -> None:
    """A corrected protocol may move a decision's deadline: its assignments move with it (reminders,
    calendar and the new PDF agree), except those whose deadline is their own."""
    deadline = {name: getattr(decision, name) for name in DEADLINE_FIELDS}
    stale = [a for a in assignments if any(getattr(a, name) != value for name, value in deadline.items())]
    if not stale:
        return
    own = set()
    for rule in OWN_DEADLINE_RULES.values():
        own.update(rule(Assignment.objects.filter(pk__in=[a.pk for a in stale])).values_list("pk", flat=True))
    for assignment in stale:
        if assignment.pk in own:
            continue
        for name, value in deadline.items():
            setattr(assignment, name, value)
        assignment.full_clean(validate_unique=False)
        assignment.save()


@transaction.atomic
def decision_assign(*, decision: Decision) -> list[Assignment]:
    """Fan a decision out into one ``Assignment`` per responsible party.

    Idempotent: parties that already have an assignment for this decision are skipped, and
    their deadline follows the decision's unless it is their own (a granted extension).
    Returns the assignments created by this call. All or nothing.
    """
    problem = decision_category_problem(decision=decision)
    if problem:
        raise DomainError(problem)
    existing = list(decision.assignments.all())
    _follow_decision_deadline(decision, existing)
    have_orgs = {a.organization_id for a in existing if a.organization_id}
    have_people = {a.person_id for a in existing if a.person_id}
    have_bodies = {a.body_id for a in existing if a.body_id}
    deadline = {name: getattr(decision, name) for name in DEADLINE_FIELDS}

    to_create = [
        Assignment(decision=decision, organization=org, **deadline)
        for org in decision_responsible_organizations(decision=decision)
        if org.pk not in have_orgs
    ]
    to_create += [
        Assignment(decision=decision, person=person, **deadline)
        for person in decision.responsible_people.all()
        if person.pk not in have_people
    ]
    to_create += [
        Assignment(decision=decision, body=body, **deadline)
        for body in decision_responsible_bodies(decision=decision)
        if body.pk not in have_bodies
    ]
    for assignment in to_create:
        assignment.full_clean(validate_unique=False)
        assignment.save()
    return to_create


# ---------------------------------------------------------------- the protocol editor

MEETING_FIELDS = [
    "body", "kind", "title", "number", "date", "start_time", "end_time", "city", "place", "format",
    "chair", "chair_title", "secretary", "attendance_total", "attendance_online", "attendance_note",
    "protocol_layout", "decision_numbering", "date_form",
    "attendance_limit", "attendance_numbered", "attendance_grouped",
]
ATTENDANCE_FIELDS = ["person_id", "name_text", "position_text", "organization_text", "mode", "invited"]
SPEAKER_FIELDS = ["person_id", "name_text", "position_text", "summary"]
# Positions are shifted out of the way before renumbering, so that the unique
# (parent, order) constraints never see two rows on one position mid-save.
ORDER_SHIFT = 100000


def _full_clean(obj, **kwargs):
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error


def meeting_changes_since(*, meeting: Meeting, revision: int) -> str:
    """A human description of what others saved after ``revision`` (for the stale-form message)."""
    records = list(meeting.history.select_related("history_user__person").order_by("history_date", "history_id"))
    base = next((r for r in reversed(records) if r.revision <= revision), None)
    newer = [r for r in records if r.revision > revision]
    who = sorted({_user_name(r.history_user) for r in newer if r.history_user})
    changed = []
    if base is not None:
        for field in Meeting._meta.fields:
            if field.attname in ("revision", "updated_at", "created_at", "id"):
                continue
            if getattr(base, field.attname, None) != getattr(meeting, field.attname, None):
                changed.append(str(field.verbose_name))
    # The rows as the other save found them: everything recorded before its own first record (a save
    # writes the meeting first, then its rows), so the rows of the base revision's save are included.
    cut = newer[0].history_date if newer else timezone.now()
    item_ids = set(AgendaItem.history.filter(meeting_id=meeting.pk).values_list("id", flat=True))
    old_items, new_items = _rows_then_and_now(AgendaItem, cut, meeting_id=meeting.pk)
    items = sorted({row["order"] for pk, row in new_items.items() if old_items.get(pk) != row}
                   | {row["order"] for pk, row in old_items.items() if pk not in new_items})
    old_decisions, new_decisions = _rows_then_and_now(Decision, cut, agenda_item_id__in=item_ids)
    decisions = sum(1 for pk in old_decisions.keys() | new_decisions.keys()
                    if old_decisions.get(pk) != new_decisions.get(pk))
    parts = []
    if changed:
        parts.append(_("fields: %(fields)s") % {"fields": ", ".join(changed)})
    if items:
        parts.append(_("agenda items: %(items)s") % {"items": ", ".join(str(o) for o in items)})
    if decisions:
        parts.append(_("decisions changed: %(count)s") % {"count": decisions})
    when = timezone.localtime(newer[-1].history_date).strftime("%d.%m.%Y %H:%M") if newer else ""
    return _(
        "The protocol was changed by %(who)s at %(when)s after you opened it (your version %(yours)s, now %(now)s). "
        "Changed: %(what)s. Your changes were NOT saved; they are still in the form below. Open the protocol in "
        "a new tab, compare and save again."
    ) % {
        "who": ", ".join(who) or _("another user"),
        "when": when,
        "yours": revision,
        "now": meeting.revision,
        "what": "; ".join(parts) or _("attendance or speakers"),
    }


def _user_name(user) -> str:
    person = getattr(user, "person", None)  # a login without a register entry has none
    return str(person) if person is not None else (user.get_full_name() or user.get_username())


def _rows_then_and_now(model, cut, **filters) -> tuple[dict, dict]:
    """The rows of ``model`` matching ``filters`` as they were before ``cut`` (from their history) and as they
    are now, as ``{pk: {field: value}}`` of their content (``order`` without the save's temporary shift), so
    that a save which rewrote a row with the same values does not count as a change."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in {h.attname for h in model.history.model._meta.fields}
              and f.attname != "id"]

    def content(row):
        values = {name: row[name] for name in fields}
        if "order" in values:
            values["order"] %= ORDER_SHIFT
        return values

    then = {}
    for row in model.history.filter(history_date__lt=cut, **filters).order_by("history_date", "history_id") \
            .values("id", "history_type", *fields):
        then[row["id"]] = None if row["history_type"] == "-" else content(row)
    then = {pk: row for pk, row in then.items() if row is not None}
    now = {row["id"]: content(row) for row in model.objects.filter(**filters).values("id", *fields)}
    return then, now


class AlreadySaved(DomainError):
    """The new-protocol form was sent again: ``meeting`` is the protocol it already created."""

    def __init__(self, meeting: Meeting):
        super().__init__(_("This protocol is already saved; here it is."))
        self.meeting = meeting


def meeting_created_with(creation_key: str | None) -> Meeting | None:
    """The protocol a new-protocol form with this one-time key already created, if any."""
    if not creation_key or len(creation_key) != 32:
        return None
    return Meeting.objects.filter(creation_key=creation_key).first()


@transaction.atomic
def meeting_save_protocol(
    *, meeting: Meeting | None, user, revision: int | None, data: dict, attendance: list[dict], items: list[dict],
    creation_key: str | None = None,
) -> Meeting:
    """Save the whole editor at once: meeting data, attendance, agenda items with speakers
    and decisions. Rows are given in display order; their numbers come from that order.
    Rows with an ``id`` update that row, rows without one are created, rows left out are
    deleted — except a decision whose assignments have execution reports or extensions: then
    nothing is saved (``DecisionInUse``). A ``revision`` other than the stored one is refused
    with what changed."""
    if meeting is not None and meeting.pk:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not meeting.is_editable:
            raise DomainError(_("This protocol is %(status)s and can no longer be edited.") % {
                "status": meeting.get_status_display().lower()})
        if revision is not None and revision != meeting.revision:
            raise DomainError(meeting_changes_since(meeting=meeting, revision=revision))
        meeting.revision += 1
    else:
        if (created := meeting_created_with(creation_key)) is not None:
            raise AlreadySaved(created)
        meeting = Meeting(created_by=user if user and user.is_authenticated else None, creation_key=creation_key)
    for name in MEETING_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    meeting.cluster_id = meeting.body.cluster_id
    _full_clean(meeting)
    meeting.save()
    if "participating_clusters" in data:
        meeting_set_participants(meeting=meeting, clusters=data["participating_clusters"])

    _save_attendance(meeting, attendance)
    _save_agenda(meeting, items)
    return meeting


def meeting_set_participants(*, meeting: Meeting, clusters) -> None:
    """The clusters that took part in a coordinating authority's meeting. Only an authority's meeting names
    them, and only clusters (not the authority itself, nor another authority)."""
    clusters = list(clusters or [])
    authority = meeting.body.cluster
    if clusters and not authority.is_authority:
        raise DomainError(_("Only a meeting of a coordinating authority names participating clusters; "
                            "a cluster's meeting is its own."))
    if any(cluster.pk == authority.pk or cluster.is_authority for cluster in clusters):
        raise DomainError(_("Participating clusters are clusters, not the authority itself or another authority."))
    meeting.participating_clusters.set(clusters)


def _save_attendance(meeting, rows):
    # Nothing refers to attendance rows: replacing them keeps the save simple and ordered.
    meeting.attendances.all().delete()
    objects = []
    for order, row in enumerate(rows, start=1):
        attendance = Attendance(meeting=meeting, order=order, **{f: row.get(f) or _blank(f) for f in ATTENDANCE_FIELDS})
        _full_clean(attendance, validate_constraints=False)
        objects.append(attendance)
    people = [a.person_id for a in objects if a.person_id]
    if len(people) != len(set(people)):
        raise DomainError(_("This person is already in the attendance list."))
    Attendance.objects.bulk_create(objects)


def _blank(field):
    return False if field == "invited" else (None if field.endswith("_id") else "")


def _save_agenda(meeting, rows):
    existing = {item.pk: item for item in meeting.agenda_items.all()}
    keep = {row["id"] for row in rows if row.get("id") in existing}
    kept_decisions = {d["id"] for row in rows for d in row.get("decisions", []) if d.get("id")}
    left_out = Decision.objects.filter(agenda_item__meeting=meeting).exclude(pk__in=kept_decisions)
    _delete_decisions(left_out, removed_items=set(existing) - keep)
    AgendaItem.objects.filter(meeting=meeting).update(order=F("order") + ORDER_SHIFT)
    Decision.objects.filter(agenda_item__meeting=meeting).update(order=F("order") + ORDER_SHIFT)
    Speaker.objects.filter(agenda_item__meeting=meeting).delete()
    decisions = {d.pk: d for d in Decision.objects.filter(agenda_item__meeting=meeting)}
    speakers = []
    one_block = meeting.layout == ProtocolLayout.SINGLE_BLOCK  # only there may a decision answer no item
    for order, row in enumerate(rows, start=1):
        item = existing.get(row.get("id")) or AgendaItem(meeting=meeting)
        item.order, item.title, item.discussion = order, row["title"], row.get("discussion", "")
        item.heard, item.decision_intro = row.get("heard", ""), row.get("decision_intro", "")
        _full_clean(item, exclude=["meeting"], validate_constraints=False)
        item.save()
        keep.add(item.pk)
        for s_order, speaker in enumerate(row.get("speakers", []), start=1):
            obj = Speaker(agenda_item=item, order=s_order, **{f: speaker.get(f) or _blank(f) for f in SPEAKER_FIELDS})
            _full_clean(obj, exclude=["agenda_item"], validate_constraints=False)
            speakers.append(obj)
        _save_decisions(item, row.get("decisions", []), decisions, one_block=one_block)
    # Last (the saved items now in ``keep``), so that a decision moved out of a removed item is not deleted with it.
    AgendaItem.objects.filter(meeting=meeting).exclude(pk__in=keep).delete()
    Speaker.objects.bulk_create(speakers)


class DecisionInUse(DomainError):
    """Decisions the editor left out cannot be deleted: ``by_decision`` maps each one's id to why."""

    def __init__(self, by_decision: dict[int, str]):
        super().__init__(" ".join(by_decision.values()))
        self.by_decision = by_decision


def _delete_decisions(decisions, *, removed_items: set[int]) -> None:
    """Delete decisions with their assignments; refuse the whole save if an assignment has execution
    records. Those are protected in the database (``on_delete=PROTECT``: reports, extensions), so
    the rule is the database's and this only says it in words, decision by decision."""
    refused = {}
    decisions = decisions.select_related("agenda_item__meeting__body").prefetch_related("agenda_item__decisions")
    for decision in decisions:  # numbered as the stored protocol numbers them, before anything moves
        try:
            with transaction.atomic():
                decision.assignments.all().delete()
                decision.delete()
        except ProtectedError as error:
            refused[decision.pk] = _undeletable_message(decision, error.protected_objects,
                                                        item_removed=decision.agenda_item_id in removed_items)
    if refused:
        raise DecisionInUse(refused)


def _undeletable_message(decision: Decision, protected, *, item_removed: bool) -> str:
    """«Решение 1.2 нельзя удалить: по нему есть отчёты об исполнении (2), переносы срока (1). …»"""
    counts = Counter(type(obj) for obj in protected)
    records = ", ".join(f"{model._meta.verbose_name_plural} ({count})"
                        for model, count in sorted(counts.items(), key=lambda pair: pair[0]._meta.label))
    values = {"number": decision.number, "item": decision.agenda_item.number, "records": records}
    if item_removed:
        return _("Agenda item %(item)s cannot be removed: its decision %(number)s has %(records)s. "
                 "Keep the item in the protocol and correct it instead.") % values
    return _("Decision %(number)s cannot be removed: it has %(records)s. "
             "Keep it in the protocol and correct its text instead.") % values


def _save_decisions(item, rows, existing, *, one_block: bool):
    """Decisions in display order; a row flagged ``subpoint`` becomes a sub-point of the nearest decision
    above it that is not one (the first decision of an item cannot be a sub-point)."""
    parent = None
    for order, row in enumerate(rows, start=1):
        decision = existing.get(row.get("id")) or Decision()
        decision.agenda_item, decision.order = item, order
        if row.get(Decision.SUBPOINT_FLAG):
            if parent is None:
                raise DomainError(_("The first decision of an item cannot be a sub-point: add the decision it belongs to above it."))
            decision.parent = parent
        else:
            decision.parent = None
        # A sub-point answers what its decision answers; outside the one block every decision answers its item.
        decision.answers_item = parent.answers_item if decision.parent else not (one_block and row.get(Decision.NO_ITEM_FLAG))
        for name in Decision.EDITABLE_FIELDS:
            field, value = Decision._meta.get_field(name), row.get(name)
            # A foreign key arrives as its pk; what was left empty takes the field's default.
            setattr(decision, field.attname, field.get_default() if value in (None, "") else value)
        _full_clean(decision, exclude=["agenda_item", "parent"], validate_constraints=False)
        decision.save()
        categories = row.get("responsible_categories") or []
        if categories and AddresseeCategory.objects.filter(pk__in=categories).exclude(
                cluster_id=item.meeting.cluster_id).exists():
            raise DomainError(_("A decision is addressed to the categories of its own cluster only."))
        if decision.parent_id is None:
            parent = decision
        for name in Decision.EDITABLE_M2M:
            getattr(decision, name).set(row.get(name) or [])


# ---------------------------------------------------------------- workflow

def meeting_submit_problems(*, meeting: Meeting) -> list[str]:
    """What stops a protocol from going to the chair (empty when it may go)."""
    problems = signatory_problems(meeting)  # who signs: the body's setting or the protocol's own
    if "agenda_items" in getattr(meeting, "_prefetched_objects_cache", {}):
        items = meeting.agenda_items.all()  # the protocol page already loaded everything
    else:
        items = meeting.agenda_items.prefetch_related(
            "decisions__responsible_organizations", "decisions__responsible_people", "decisions__responsible_bodies",
            "decisions__responsible_categories",
        )
    for item in items:
        for decision in item.decisions.all():
            if decision.kind != DecisionKind.ASSIGN:
                continue
            parties = (decision.responsible_organizations.all() or decision.responsible_people.all()
                       or decision.responsible_bodies.all() or decision.responsible_categories.all()
                       or decision.responsible_kinds)
            if not parties:
                problems.append(_("Decision %(number)s («поручить») needs at least one responsible party.")
                                % {"number": decision.number})
            if not decision.has_deadline:
                problems.append(_("Decision %(number)s («поручить») needs a deadline.") % {"number": decision.number})
    return problems


def _chair_recipients(meeting: Meeting) -> list[Recipient]:
    """The chair(s) of :func:`_chair_emails`, each with the language of its login."""
    emails = _chair_emails(meeting)
    languages = mail_languages(emails)
    return [Recipient(email, languages.get(email, settings.LANGUAGE_CODE)) for email in emails]


def _chair_emails(meeting: Meeting) -> list[str]:
    """The meeting's chair, the body's current chair and deputies, and chair grants of the cluster."""
    day = timezone.localdate()
    people = [meeting.chair] if meeting.chair_id else []
    seats = (
        BodyMembership.objects.filter(body=meeting.body, role__in=[BodyRole.CHAIR, BodyRole.DEPUTY_CHAIR])
        .current_on(day)
        .select_related("person__user")
    )
    people += [seat.person for seat in seats]
    emails = [person.contact_email for person in people]
    grants = ClusterRole.objects.filter(cluster_id=meeting.cluster_id,
                                        role__in=[PortalRole.CHAIR, PortalRole.DEPUTY_CHAIR]).select_related("user__person")
    emails += [user_contact_email(g.user) for g in grants]
    return sorted({e for e in emails if e})


def _meeting_url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}{reverse('meetings:meeting-detail', args=[meeting.pk])}"


def _lock_for_workflow(meeting: Meeting, expected: str) -> Meeting:
    locked = Meeting.objects.select_for_update().select_related("body", "cluster").get(pk=meeting.pk)
    if locked.status != expected:
        raise DomainError(_("The protocol is %(status)s: this step is not possible now.")
                          % {"status": locked.get_status_display().lower()})
    return locked


@transaction.atomic
def meeting_submit(*, meeting: Meeting, user) -> Meeting:
    """Draft → on approval; the chair(s) get an e-mail with a link."""
    meeting = _lock_for_workflow(meeting, MeetingStatus.DRAFT)
    problems = meeting_submit_problems(meeting=meeting)
    if problems:
        raise DomainError(" ".join(problems))
    meeting.status = MeetingStatus.ON_APPROVAL
    meeting.submitted_at = timezone.now()
    meeting.return_comment = ""
    _full_clean(meeting)
    meeting.save()
    recipients = _chair_recipients(meeting)
    # sent by the worker once this transaction commits
    send_templated("meetings/protocol_submitted", {"meeting": meeting, "url": _meeting_url(meeting)}, recipients)
    return meeting


@transaction.atomic
def meeting_approve(*, meeting: Meeting, user) -> Meeting:
    """On approval → approved; every decision fans out into assignments."""
    meeting = _lock_for_workflow(meeting, MeetingStatus.ON_APPROVAL)
    problems = meeting_submit_problems(meeting=meeting)
    if problems:
        raise DomainError(" ".join(problems))
    meeting.status = MeetingStatus.APPROVED
    meeting.approved_at = timezone.now()
    meeting.approved_by = user
    meeting_signatories_freeze(meeting=meeting)  # the body's setting may change later; this protocol's stays
    _full_clean(meeting)
    meeting.save()
    for decision in Decision.objects.filter(agenda_item__meeting=meeting).select_related("agenda_item__meeting"):
        decision_assign(decision=decision)
    return meeting


@transaction.atomic
def meeting_return(*, meeting: Meeting, user, comment: str) -> Meeting:
    """On approval → draft, with the chair's comment for the secretary."""
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Write what the secretary should correct."))
    meeting = _lock_for_workflow(meeting, MeetingStatus.ON_APPROVAL)
    meeting.status = MeetingStatus.DRAFT
    meeting.return_comment = comment
    meeting.submitted_at = None
    _full_clean(meeting)
    meeting.save()
    if meeting.secretary_id:
        email = meeting.secretary.contact_email
        language = mail_languages([email]).get(email, settings.LANGUAGE_CODE)
        send_templated("meetings/protocol_returned", {"meeting": meeting, "comment": comment,
                                                       "url": _meeting_url(meeting)}, Recipient(email, language))
    return meeting
