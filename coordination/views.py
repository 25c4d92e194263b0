"""/coordination/: a coordinating authority's view of the clusters it follows (issue 17). Read-only pages
for coordinators and the portal administrator; every figure counts published protocols only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.params import id_param
from coordination import selectors
from coordination.selectors import State
from meetings.access import get_meeting_for_user
from meetings.models import number_decisions
from members.access import coordinated_cluster_ids

CLUSTERS_PAGE_SIZE = 25
PROTOCOLS_PAGE_SIZE = 10
OVERDUE_PREVIEW = 10
LIST_PAGE_SIZE = 50


def _coordinated_clusters(user) -> list:
    """The clusters the user follows; 403 for a login that coordinates nothing."""
    if not coordinated_cluster_ids(user):
        raise PermissionDenied
    return selectors.coordinated_cluster_list(user)


def _numbered(assignments) -> list:
    """The assignments, their decisions ready to print their numbers without a query each."""
    assignments = list(assignments)
    number_decisions([a.decision for a in assignments])
    return assignments


def _query(request, drop: str) -> str:
    query = request.GET.copy()
    query.pop(drop, None)
    return query.urlencode()


@login_required
@require_safe
def overview(request):
    clusters = _coordinated_clusters(request.user)
    now = timezone.now()
    by_cluster, by_region = selectors.coordination_discipline(clusters, now=now)
    page = Paginator(by_cluster.rows, CLUSTERS_PAGE_SIZE).get_page(request.GET.get("page"))
    by_cluster.shown = list(page.object_list)
    for row in by_cluster.shown:  # drill-down: the list of exactly the rows counted here
        row.drill = urlencode({"cluster": row.cluster_id}) + "&"
    overdue = _numbered(selectors.overdue_preview([c.pk for c in clusters], OVERDUE_PREVIEW, now))
    protocols = Paginator(selectors.AuthorityMeetingPages(request.user), PROTOCOLS_PAGE_SIZE).get_page(
        request.GET.get("protocols"))
    protocols.object_list = list(protocols.object_list)
    selectors.meeting_figures(protocols.object_list, now=now)
    return render(request, "coordination/overview.html", {
        "report": by_cluster, "totals": [by_cluster.total], "regions": by_region, "page": page,
        "query": _query(request, "page"),
        "overdue": overdue, "protocols": protocols, "protocols_query": _query(request, "protocols"),
    })


@login_required
@require_safe
def assignment_list(request):
    """The drill-down: one cluster's (or every coordinated cluster's) assignments of one column of the report."""
    clusters = _coordinated_clusters(request.user)
    state = request.GET.get("state") or State.OVERDUE
    if state not in State.CHOICES:
        raise BadRequest("unknown state")
    cluster_id = id_param(request.GET, "cluster")
    chosen = None
    if cluster_id is not None:
        chosen = next((c for c in clusters if c.pk == cluster_id), None)
        if chosen is None:
            raise Http404  # a cluster the user does not follow: nothing about it
    ids = [chosen.pk] if chosen else [c.pk for c in clusters]
    page = Paginator(selectors.coordinated_assignments(ids, state), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _numbered(page.object_list)
    return render(request, "coordination/assignment_list.html", {
        "page": page, "query": _query(request, "page"), "cluster": chosen, "state": state,
        "states": State.CHOICES, "several": len(clusters) > 1,
    })


@login_required
@require_safe
def protocol(request, pk):
    """What each cluster did with the assignments of one of the authority's protocols: its coordinators and
    secretaries (and the portal administrator); a participating cluster reads the protocol, not this page."""
    meeting, access = get_meeting_for_user(request.user, pk)
    if not meeting.cluster.is_authority or not meeting.is_published:
        raise Http404
    if not (access.is_coordinator or access.can_manage):
        raise PermissionDenied
    report = selectors.meeting_by_cluster(meeting)
    page = Paginator(selectors.meeting_assignments(meeting), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _numbered(page.object_list)
    return render(request, "coordination/protocol.html", {
        "meeting": meeting, "report": report, "page": page, "query": _query(request, "page"),
    })
