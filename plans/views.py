"""Plan pages. Views are thin: the scoped lookup first (outsiders get 404), then a selector or a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from members.access import user_organization_id
from plans import selectors
from plans.filters import PlanItemFilter, WorkPlanFilter


@login_required
def plan_list(request):
    filterset = WorkPlanFilter(request.GET, queryset=selectors.plan_list(request.user))
    can_create = bool(selectors.secretary_cluster_ids(request.user))
    return render(request, "plans/workplan_list.html", {"filter": filterset, "plans": filterset.qs, "can_create": can_create})


@login_required
def plan_detail(request, pk):
    plan, access = selectors.get_plan_for_user(request.user, pk)
    filterset = PlanItemFilter(request.GET, queryset=selectors.plan_items(plan), plan=plan, request=request)
    items = list(filterset.qs)
    filtered = filterset.is_valid() and any(filterset.form.cleaned_data.values())
    context = {
        "plan": plan,
        "access": access,
        "filter": filterset,
        "filtered": filtered,
        "table": selectors.plan_table(plan, items, keep_empty=not filtered),
        "progress": selectors.quarter_progress(items),
        "approving": selectors.approving_decisions(plan),
        "newer": selectors.newer_versions(plan),
        "my_org_id": user_organization_id(request.user),
    }
    return render(request, "plans/workplan_detail.html", context)
