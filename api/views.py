"""The API's endpoints. Each one calls the scoped lookup or selector its page calls (outsiders get 404,
drafts stay with the secretary and the chair) and prints what the page prints; the one write, an
execution report, goes through the page's form and service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import filters, serializers
from api.throttling import ReportRateThrottle, TokenRateThrottle
from meetings import selectors as meeting_selectors
from meetings.access import can_read_meeting, get_meeting_for_user, readable_meetings
from meetings.models import Decision, decision_numbers, number_decisions
from meetings.protocol import build_protocol
from members import selectors as member_selectors
from members.access import get_cluster_for_user, managed_cluster_ids, visible_clusters
from members.filters import casefold_filter
from plans import selectors as plan_selectors
from tasks import selectors as task_selectors
from tasks import services as task_services
from tasks.forms import ReportForm

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filter_backends = [filters.UserFilterBackend]
    filterset_class = None
    lookup_value_regex = r"\d+"


@extend_schema_view(
    list=extend_schema(summary="Clusters the user belongs to (all of them for a portal administrator)"),
    retrieve=extend_schema(summary="One cluster", parameters=[ID]),
)
class ClusterViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ClusterSerializer
    filter_backends = []

    def get_queryset(self):
        return visible_clusters(self.request.user).order_by("name", "pk")

    def get_object(self):
        cluster, _access = get_cluster_for_user(self.request.user, self.kwargs["pk"])
        return cluster

    @extend_schema(summary="The register: member organisations of the cluster on a day",
                   parameters=[ID], responses=serializers.RegisterEntrySerializer(many=True),
                   filters=True)
    @action(detail=True, methods=["get"], serializer_class=serializers.RegisterEntrySerializer,
            filterset_class=filters.RegisterFilter, filter_backends=[filters.UserFilterBackend])
    def organizations(self, request, pk=None):
        cluster = self.get_object()
        filterset = self._filterset(request, member_selectors.register_memberships(
            cluster, member_selectors.today()))
        day = filterset.form.cleaned_data.get("on") or member_selectors.today()
        queryset = filterset.filter_queryset(member_selectors.register_memberships(cluster, day))
        return self._page(queryset)

    @extend_schema(summary="People of the cluster's register with their seats in its bodies",
                   parameters=[ID], responses=serializers.PersonSerializer(many=True), filters=True)
    @action(detail=True, methods=["get"], serializer_class=serializers.PersonSerializer,
            filterset_class=filters.PersonFilter, filter_backends=[filters.UserFilterBackend])
    def people(self, request, pk=None):
        cluster = self.get_object()
        people = member_selectors.people_visible_in([cluster.pk])
        query = self._filterset(request, people).form.cleaned_data.get("q", "").strip()
        if query:
            people = casefold_filter(people, ["last_name"], query)
        people = member_selectors.with_people_context(people.order_by("last_name", "first_name", "pk"))
        return self._page(people, cluster=cluster)

    def _filterset(self, request, queryset):
        filterset = self.filterset_class(request.query_params, queryset=queryset, user=request.user)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset

    def _page(self, queryset, **context):
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True, context={**self.get_serializer_context(), **context}).data
        return self.get_paginated_response(data)


@extend_schema_view(
    list=extend_schema(summary="Meetings (protocols) the user may read: published ones, drafts only for "
                               "the secretary and the chair"),
    retrieve=extend_schema(summary="A meeting with its protocol as printed: attendance, agenda, decisions",
                           parameters=[ID]),
)
class MeetingViewSet(ReadOnlyViewSet):
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.ApiMeetingFilter

    def get_queryset(self):
        return meeting_selectors.meeting_list(self.request.user)

    def get_serializer_class(self):
        return serializers.MeetingDetailSerializer if self.action == "retrieve" else serializers.MeetingSerializer

    def retrieve(self, request, pk=None):
        # as the protocol page: the meeting row with what the protocol joins, then its parts (fixed queries)
        meeting, _access = get_meeting_for_user(request.user, pk, queryset=meeting_selectors.protocol_page_meetings())
        meeting_selectors.protocol_page_load(meeting)
        context = {**self.get_serializer_context(), "protocol": build_protocol(meeting),
                   "numbers": decision_numbers(meeting, list(meeting.agenda_items.all()))}
        return Response(serializers.MeetingDetailSerializer(meeting, context=context).data)


@extend_schema_view(
    list=extend_schema(summary="Decisions of the protocols the user may read"),
    retrieve=extend_schema(summary="One decision", parameters=[ID]),
)
class DecisionViewSet(ReadOnlyViewSet):
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter

    def get_queryset(self):
        return (
            Decision.objects.filter(readable_meetings(self.request.user, "agenda_item__meeting__"))
            .select_related("agenda_item__meeting__body").prefetch_related("agenda_item__decisions")
            .order_by("-agenda_item__meeting__date", "-agenda_item__meeting_id", "agenda_item__order", "order")
        )

    def list(self, request, *args, **kwargs):
        page = number_decisions(self.paginate_queryset(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        decision = self.get_object()
        number_decisions([decision])
        return Response(self.get_serializer(decision).data)


SCOPE = OpenApiParameter(
    "scope", str, enum=["mine", "all"], default="mine",
    description="mine: addressed to the user or their organisation (as the «Мои» list); all: every assignment "
                "of the clusters where the user is secretary or chair (others get «mine»).",
)


@extend_schema_view(
    list=extend_schema(summary="Assignments, most urgent first (as the assignment list)", parameters=[SCOPE]),
    retrieve=extend_schema(summary="One assignment, with reports and extensions for those who may see them",
                           parameters=[ID], responses=serializers.AssignmentDetailSerializer),
)
class AssignmentViewSet(ReadOnlyViewSet):
    serializer_class = serializers.AssignmentSerializer
    filterset_class = filters.ApiAssignmentFilter
    throttle_classes = [TokenRateThrottle, ReportRateThrottle]

    def get_queryset(self):
        user = self.request.user
        manages = bool(managed_cluster_ids(user))
        if manages and self.request.query_params.get("scope") == "all":
            return task_selectors.cluster_assignments(user)
        return task_selectors.my_assignments(user)

    def list(self, request, *args, **kwargs):
        rows = task_selectors.sorted_by_urgency(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        number_decisions([assignment.decision for assignment in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        assignment, acl = task_selectors.get_assignment_for_user(request.user, pk)
        number_decisions([assignment.decision])
        extra = task_selectors.assignment_detail_context(assignment, with_reports=acl.can_see_reports)
        context = {**self.get_serializer_context(), "acl": acl, "extra": extra}
        return Response(serializers.AssignmentDetailSerializer(assignment, context=context).data)

    @extend_schema(
        summary="Submit an execution report (the responsible party: the user's organisation or the user)",
        parameters=[ID],
        request={"application/json": serializers.ReportCreateSerializer,
                 "multipart/form-data": serializers.ReportCreateSerializer},
        responses={201: serializers.ReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="reports", filter_backends=[])
    def reports(self, request, pk=None):
        assignment, acl = task_selectors.get_assignment_for_user(request.user, pk)
        if not acl.can_report:
            raise PermissionDenied
        if not isinstance(request.data, dict):  # JSON parses to a dict, a form to a QueryDict (a dict too)
            raise ValidationError({"non_field_errors": [_("Send an object: {\"text\": \"…\"}.")]})
        text = request.data.get("text", "")
        if not isinstance(text, str):
            raise ValidationError({"text": [_("Enter the text of the report.")]})
        form = ReportForm({"text": text}, request.FILES)
        if not form.is_valid():
            raise ValidationError({field: [e["message"] for e in errors]
                                   for field, errors in form.errors.get_json_data().items()})
        report = task_services.assignment_report_submit(
            assignment=assignment, author=request.user, text=form.cleaned_data["text"], files=form.cleaned_data["files"])
        return Response(serializers.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Work plans: approved ones, drafts only for the secretary and the chair"),
    retrieve=extend_schema(summary="A plan with its sections and items", parameters=[ID],
                           responses=serializers.WorkPlanDetailSerializer),
)
class WorkPlanViewSet(ReadOnlyViewSet):
    serializer_class = serializers.WorkPlanSerializer
    filterset_class = filters.ApiWorkPlanFilter

    def get_queryset(self):
        return plan_selectors.plan_list(self.request.user)

    def retrieve(self, request, pk=None):
        plan, access = plan_selectors.get_plan_for_user(request.user, pk)
        items = plan_selectors.plan_page_item_list(plan)
        approving = plan_selectors.plan_page_decisions(plan, items)
        meetings = [d.agenda_item.meeting for d in approving]
        for item in items:
            meetings += [*item.meeting_list, *(d.agenda_item.meeting for d in item.decision_list)]
        for meeting in meetings:  # as the plan page: only the protocols the user may open are linked
            meeting.readable = can_read_meeting(meeting, access)
        context = {**self.get_serializer_context(), "approving": approving,
                   "table": plan_selectors.plan_table(plan, items)}
        return Response(serializers.WorkPlanDetailSerializer(plan, context=context).data)
