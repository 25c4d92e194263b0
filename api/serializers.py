"""What the API prints: read-only serializers over what the pages load (no query of their own,
except where noted), and the execution report's input."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.access import cluster_roles
from meetings.models import Assignment, Decision, Meeting
from plans.models import PlanItem, WorkPlan


# ---------------------------------------------------------------- small references

class RefSerializer(serializers.Serializer):
    """An object named by its id and its name as the portal prints it."""

    id = serializers.IntegerField()
    name = serializers.CharField()


def ref(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


class PartySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["organization", "person", "body"])
    id = serializers.IntegerField()
    name = serializers.CharField()


def party(assignment: Assignment) -> dict:
    for kind in ("organization", "person", "body"):
        obj = getattr(assignment, kind)
        if obj is not None:
            return {"type": kind, "id": obj.pk, "name": str(obj)}
    return None


class MeetingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()
    label = serializers.CharField(help_text="«протокол № 2 от 30.03.2023»")


def meeting_ref(meeting: Meeting) -> dict:
    return {"id": meeting.pk, "number": meeting.number, "date": meeting.date, "label": meeting.short_label}


# ---------------------------------------------------------------- clusters and the register

class ClusterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField()
    founded_on = serializers.DateField(allow_null=True)
    description = serializers.CharField()
    my_roles = serializers.SerializerMethodField(help_text="The roles of the token's user in the cluster.")

    def get_my_roles(self, cluster) -> list[str]:
        return sorted(cluster_roles(self.context["request"].user).get(cluster.pk, ()))


class OrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    parent_id = serializers.IntegerField(allow_null=True)
    inn = serializers.CharField()
    website = serializers.CharField()


class RegisterEntrySerializer(serializers.Serializer):
    """A membership of the register, with its state on the requested day."""

    id = serializers.IntegerField()
    organization = OrganizationSerializer()
    state = serializers.CharField(help_text="joined, invited or left, on the day asked for (``on``)")
    status = serializers.CharField()
    invited_on = serializers.DateField(allow_null=True)
    joined_on = serializers.DateField(allow_null=True)
    left_on = serializers.DateField(allow_null=True)
    document_title = serializers.CharField()


class SeatSerializer(serializers.Serializer):
    body = RefSerializer()
    role = serializers.CharField()
    term_start = serializers.DateField()
    term_end = serializers.DateField(allow_null=True)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    patronymic = serializers.CharField()
    position = serializers.CharField()
    organization = serializers.SerializerMethodField(allow_null=True)
    email = serializers.CharField()
    phone = serializers.CharField()
    seats = serializers.SerializerMethodField(help_text="Seats in the bodies of this cluster.")

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_organization(self, person):
        return ref(person.organization)

    @extend_schema_field(SeatSerializer(many=True))
    def get_seats(self, person):
        cluster_id = self.context["cluster"].pk
        return [{"body": ref(seat.body), "role": seat.role, "term_start": seat.term_start, "term_end": seat.term_end}
                for seat in person.body_memberships.all() if seat.body.cluster_id == cluster_id]


# ---------------------------------------------------------------- meetings and their protocols

class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cluster_id = serializers.IntegerField()
    body = serializers.SerializerMethodField()
    kind = serializers.CharField()
    title = serializers.CharField(source="display_title")
    number = serializers.CharField()
    date = serializers.DateField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    city = serializers.CharField()
    place = serializers.CharField()
    format = serializers.CharField()

    @extend_schema_field(RefSerializer())
    def get_body(self, meeting):
        return ref(meeting.body)


class OfficerSerializer(serializers.Serializer):
    word = serializers.CharField()
    name = serializers.CharField()


class AttendeeSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(allow_null=True)
    line = serializers.CharField(help_text="As the protocol prints the attendee.")
    organization = serializers.CharField()
    mode = serializers.CharField()
    invited = serializers.BooleanField()


class AppendixRowSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    line = serializers.CharField()
    participation = serializers.CharField()


class AttendanceSerializer(serializers.Serializer):
    listed = serializers.BooleanField(help_text="False: the protocol prints only the head count (count_line).")
    members = serializers.ListField(child=serializers.CharField())
    invited = serializers.ListField(child=serializers.CharField())
    online = serializers.ListField(child=serializers.CharField())
    count_line = serializers.CharField()
    appendix = AppendixRowSerializer(many=True)
    attendees = AttendeeSerializer(many=True)


class ProtocolAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    organization_id = serializers.IntegerField(allow_null=True)
    person_id = serializers.IntegerField(allow_null=True)
    body_id = serializers.IntegerField(allow_null=True)


class ProtocolDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agenda_item_id = serializers.IntegerField()
    number = serializers.CharField(help_text="The number a citation uses: «1.1», «2».")
    printed_number = serializers.CharField(help_text="As printed: «1.1.», empty for a lone decision.")
    subpoint = serializers.BooleanField()
    parent_id = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()
    kind = serializers.CharField()
    vote = serializers.CharField()
    vote_display = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    deadline_display = serializers.CharField()
    responsible = serializers.CharField()
    answers_item = serializers.BooleanField()
    approves_plan_id = serializers.IntegerField(allow_null=True)
    assignments = ProtocolAssignmentSerializer(many=True)


class SpeakerSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    line = serializers.CharField()
    summary = serializers.CharField()


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    speakers = SpeakerSerializer(many=True)
    heard = serializers.CharField()
    discussion = serializers.CharField()
    intro = serializers.CharField()
    decisions = ProtocolDecisionSerializer(many=True, help_text="Empty in the one «РЕШИЛИ» block layout.")


class SignerSerializer(serializers.Serializer):
    role = serializers.CharField()
    position = serializers.CharField()
    name = serializers.CharField()


class MeetingDetailSerializer(MeetingSerializer):
    """The meeting and its protocol as printed (``meetings.protocol.build_protocol``)."""

    layout = serializers.CharField()
    start_time = serializers.TimeField(allow_null=True)
    end_time = serializers.TimeField(allow_null=True)
    chair = serializers.SerializerMethodField(allow_null=True)
    secretary = serializers.SerializerMethodField(allow_null=True)
    attendance = serializers.SerializerMethodField()
    agenda_items = serializers.SerializerMethodField()
    block_decisions = serializers.SerializerMethodField(
        help_text="The one «РЕШИЛИ» block after all items (layout single_block); empty otherwise.")
    signers = serializers.SerializerMethodField()

    @property
    def protocol(self):
        return self.context["protocol"]

    def _officer(self, officer):
        return None if officer is None else {"word": officer.word, "name": officer.name}

    @extend_schema_field(OfficerSerializer(allow_null=True))
    def get_chair(self, meeting):
        return self._officer(self.protocol.chair)

    @extend_schema_field(OfficerSerializer(allow_null=True))
    def get_secretary(self, meeting):
        return self._officer(self.protocol.secretary)

    @extend_schema_field(AttendanceSerializer())
    def get_attendance(self, meeting):
        block = self.protocol.attendance
        return {
            "listed": block.listed, "members": block.members, "invited": block.invited, "online": block.online,
            "count_line": block.count_line,
            "appendix": [{"number": r.number, "line": r.line, "participation": r.participation} for r in block.appendix],
            "attendees": [{"person_id": row.person_id, "line": row.line, "organization": row.organization_name,
                           "mode": row.mode, "invited": row.invited} for row in meeting.attendances.all()],
        }

    def _decision(self, entry):
        d = entry.source
        return {
            "id": d.pk, "agenda_item_id": d.agenda_item_id, "number": self.context["numbers"][d.pk][0],
            "printed_number": entry.number, "subpoint": entry.subpoint, "parent_id": d.parent_id, "text": entry.text,
            "kind": d.kind, "vote": d.vote, "vote_display": entry.vote, "deadline": d.deadline,
            "deadline_display": entry.deadline, "responsible": entry.responsible, "answers_item": d.answers_item,
            "approves_plan_id": d.approves_plan_id,
            "assignments": [{"id": a.pk, "status": a.status, "organization_id": a.organization_id,
                             "person_id": a.person_id, "body_id": a.body_id} for a in d.assignments.all()],
        }

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda_items(self, meeting):
        items = list(meeting.agenda_items.all())
        result = []
        for item, entry in zip(items, self.protocol.items):
            result.append({
                "id": item.pk, "number": entry.number, "order": item.order, "title": item.title,
                "speakers": [{"person_id": s.person_id, "name": s.name, "line": s.line, "summary": s.summary}
                             for s in item.speakers.all()],
                "heard": entry.heard, "discussion": entry.discussion, "intro": entry.intro,
                "decisions": [self._decision(d) for d in entry.decisions],
            })
        return result

    @extend_schema_field(ProtocolDecisionSerializer(many=True))
    def get_block_decisions(self, meeting):
        return [self._decision(d) for d in self.protocol.decisions]

    @extend_schema_field(SignerSerializer(many=True))
    def get_signers(self, meeting):
        return [{"role": s.role, "position": s.position, "name": s.name} for s in self.protocol.signers]


# ---------------------------------------------------------------- decisions

class AgendaItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cluster_id = serializers.IntegerField()
    meeting = serializers.SerializerMethodField()
    agenda_item = serializers.SerializerMethodField()
    number = serializers.CharField(help_text="«1.1», as protocols cite the decision.")
    text = serializers.CharField()
    kind = serializers.CharField()
    vote = serializers.CharField()
    vote_display = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    deadline_display = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    approves_plan_id = serializers.IntegerField(allow_null=True)

    @extend_schema_field(MeetingRefSerializer())
    def get_meeting(self, decision: Decision):
        return meeting_ref(decision.agenda_item.meeting)

    @extend_schema_field(AgendaItemRefSerializer())
    def get_agenda_item(self, decision: Decision):
        item = decision.agenda_item
        return {"id": item.pk, "number": item.number, "title": item.title}


# ---------------------------------------------------------------- assignments

class DecisionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    text = serializers.CharField()


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cluster_id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    is_open = serializers.BooleanField()
    is_overdue = serializers.BooleanField()
    deadline = serializers.DateField(allow_null=True)
    deadline_time = serializers.TimeField(allow_null=True, help_text="Moscow time")
    deadline_start = serializers.DateField(allow_null=True)
    deadline_display = serializers.CharField()
    party = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    meeting = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(PartySerializer())
    def get_party(self, assignment):
        return party(assignment)

    @extend_schema_field(DecisionRefSerializer())
    def get_decision(self, assignment):
        decision = assignment.decision
        return {"id": decision.pk, "number": decision.number, "text": decision.text}

    @extend_schema_field(MeetingRefSerializer())
    def get_meeting(self, assignment):
        return meeting_ref(assignment.decision.agenda_item.meeting)


class ReportFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    author = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_comment = serializers.CharField()
    files = ReportFileSerializer(many=True, source="files.all")

    def get_author(self, report) -> str:
        return report.author.get_full_name() or report.author.get_username() if report.author_id else ""


class ExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField()
    old_deadline = serializers.DateField(allow_null=True)
    new_deadline = serializers.DateField()
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_comment = serializers.CharField()


class AssignmentDetailSerializer(AssignmentSerializer):
    can_report = serializers.SerializerMethodField(help_text="The token's user may report on it (POST …/reports/).")
    can_see_reports = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField(help_text="Only for the responsible party, the secretary and the chair.")
    extensions = serializers.SerializerMethodField()

    def get_can_report(self, assignment) -> bool:
        return self.context["acl"].can_report

    def get_can_see_reports(self, assignment) -> bool:
        return self.context["acl"].can_see_reports

    @extend_schema_field(ReportSerializer(many=True))
    def get_reports(self, assignment):
        return ReportSerializer(self.context["extra"]["reports"], many=True).data

    @extend_schema_field(ExtensionSerializer(many=True))
    def get_extensions(self, assignment):
        return ExtensionSerializer(self.context["extra"]["extensions"], many=True).data


class ReportCreateSerializer(serializers.Serializer):
    """The report's input: JSON ``{"text": …}``, or multipart with ``files`` (the page's form validates both)."""

    text = serializers.CharField(help_text="What was done.")
    files = serializers.ListField(child=serializers.FileField(), required=False,
                                  help_text="multipart/form-data only: PDF, DOC(X), XLS(X), ODT, ODS, JPG, PNG, ZIP.")


# ---------------------------------------------------------------- plans

class WorkPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cluster_id = serializers.IntegerField()
    title = serializers.CharField()
    period = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    approved_at = serializers.DateTimeField(allow_null=True)
    item_count = serializers.IntegerField()
    done_count = serializers.IntegerField()


class LinkedMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="null when the user may not open that protocol")
    label = serializers.CharField()


class LinkedDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="null when the user may not open that protocol")
    number = serializers.CharField()
    meeting = LinkedMeetingSerializer()


class PlanItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    timeframe_kind = serializers.CharField()
    timeframe_display = serializers.CharField()
    year = serializers.IntegerField()
    quarters = serializers.ListField(child=serializers.IntegerField())
    month = serializers.IntegerField(allow_null=True)
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    due_date = serializers.DateField()
    status = serializers.CharField()
    progress_status = serializers.CharField(help_text="The status, or «overdue» (computed).")
    organizers = serializers.SerializerMethodField()
    organizer_bodies = serializers.SerializerMethodField()
    organizers_text = serializers.CharField()
    report = serializers.CharField()
    reported_at = serializers.DateTimeField(allow_null=True)
    meetings = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    @extend_schema_field(RefSerializer(many=True))
    def get_organizers(self, item: PlanItem):
        return [ref(o) for o in item.organizer_list]

    @extend_schema_field(RefSerializer(many=True))
    def get_organizer_bodies(self, item: PlanItem):
        return [ref(b) for b in item.organizer_body_list]

    @staticmethod
    def _meeting(meeting):
        return {"id": meeting.pk if meeting.readable else None, "label": str(meeting)}

    @extend_schema_field(LinkedMeetingSerializer(many=True))
    def get_meetings(self, item: PlanItem):
        return [self._meeting(m) for m in item.meeting_list]

    @extend_schema_field(LinkedDecisionSerializer(many=True))
    def get_decisions(self, item: PlanItem):
        return [{"id": d.pk if d.agenda_item.meeting.readable else None, "number": d.number,
                 "meeting": self._meeting(d.agenda_item.meeting)} for d in item.decision_list]


class PlanSectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(source="order")
    title = serializers.CharField()
    items = PlanItemSerializer(many=True)


class WorkPlanDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cluster_id = serializers.IntegerField()
    title = serializers.CharField()
    period = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    approved_at = serializers.DateTimeField(allow_null=True)
    previous_version_id = serializers.IntegerField(allow_null=True)
    approving_decisions = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()

    @extend_schema_field(LinkedDecisionSerializer(many=True))
    def get_approving_decisions(self, plan: WorkPlan):
        return [{"id": d.pk if d.agenda_item.meeting.readable else None, "number": d.number,
                 "meeting": PlanItemSerializer._meeting(d.agenda_item.meeting)} for d in self.context["approving"]]

    @extend_schema_field(PlanSectionSerializer(many=True))
    def get_sections(self, plan: WorkPlan):
        return [PlanSectionSerializer({"id": s.pk, "order": s.order, "title": s.title, "items": items}).data
                for s, items in self.context["table"]]
