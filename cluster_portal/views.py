from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from members.access import managed_cluster_ids, user_person, visible_clusters
from meetings import selectors
from tasks import selectors as task_selectors


@login_required
def dashboard(request):
    user = request.user
    manages = bool(managed_cluster_ids(user))
    context = {
        "person": user_person(user),
        "clusters": list(visible_clusters(user)),
        "my_assignments": task_selectors.open_assignments_of_user(user),
        "upcoming_meetings": selectors.upcoming_meetings(user),
        "recent_protocols": selectors.recent_protocols(user),
        "manages": manages,
        "overdue": task_selectors.overdue_assignments_of_managed_clusters(user) if manages else [],
        "drafts": selectors.drafts_waiting(user) if manages else [],
    }
    return render(request, "dashboard.html", context)
