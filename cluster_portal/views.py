from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from members.access import coordinated_cluster_ids, managed_cluster_ids, user_person, visible_clusters
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
        "coordinates": bool(coordinated_cluster_ids(user)),
        "overdue": task_selectors.overdue_assignments_of_managed_clusters(user) if manages else [],
        "drafts": selectors.drafts_waiting(user) if manages else [],
    }
    return render(request, "dashboard.html", context)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): a Russian page, 429."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/lockout.html", context, status=429)
