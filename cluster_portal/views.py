from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views import i18n
from django.views.decorators.http import require_GET, require_POST

from cluster_portal import search as portal_search
from cluster_portal import search_html
from core import ru
from core.links import id_url_parts
from core.models import UserProfile, user_language_set
from members.access import coordinated_cluster_ids, managed_cluster_ids, user_person, visible_cluster_list
from meetings import selectors
from meetings.models import MeetingStatus
from tasks import selectors as task_selectors
from tasks.rows import party_rows_html


@login_required
def dashboard(request):
    user = request.user
    manages = bool(managed_cluster_ids(user))
    now = timezone.now()
    # the two assignment lists as tuples, printed in Python (one string a row) with the citations from one query
    mine = task_selectors.open_assignments_of_user(user)
    overdue = task_selectors.overdue_assignments_of_managed_clusters(user, now=now) if manages else []
    citations = task_selectors.list_row_citations([*mine, *overdue])
    mine, overdue = party_rows_html(mine, citations, now), party_rows_html(overdue, citations, now)
    context = {
        "person": user_person(user),
        "clusters": visible_cluster_list(user),
        "my_assignments": mine,
        "upcoming_meetings": selectors.upcoming_meetings(user),
        "recent_protocols": selectors.recent_protocols(user),
        "manages": manages,
        "coordinates": bool(coordinated_cluster_ids(user)),
        "overdue": overdue,
        "drafts": selectors.drafts_waiting(user) if manages else [],
    }
    url_before, url_after = id_url_parts("meetings:meeting-detail")
    for name in ("upcoming_meetings", "recent_protocols", "drafts"):
        for meeting in context[name]:
            # ``{% url 'meetings:meeting-detail' m.pk %}`` and ``get_status_display`` without their per-row cost
            meeting.detail_url = f"{url_before}{int(meeting.pk)}{url_after}"
            meeting.status_label = ru.choice_label(MeetingStatus, meeting.status)
    return render(request, "dashboard.html", context)


@require_POST
def set_language(request):
    """Django's language switch (the cookie), and for a login the choice is kept: its e-mail follows it."""
    response = i18n.set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, ""))
    return response


class LoginView(auth_views.LoginView):
    """Django's login; a browser that never used the switch gets the language the login chose elsewhere."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            language = UserProfile.objects.filter(user=form.get_user()).values_list("language", flat=True).first()
            if language:
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                                    path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                                    secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                                    samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response


@login_required
@require_GET
def search(request):
    """``/search/?q=&cluster=&kind=&year=``: results grouped by kind, or one kind page by page."""
    cluster_id = portal_search.parse_cluster(request.user, request.GET)
    form = portal_search.SearchForm(request.GET or None)
    valid = form.is_valid()
    query = request.GET.copy()
    query.pop("page", None)
    overview = query.copy()
    overview.pop("kind", None)
    context = {"form": form, "clusters": visible_cluster_list(request.user), "cluster_id": cluster_id,
               "groups": None, "query": query.urlencode(), "overview_query": overview.urlencode()}
    if valid and form.cleaned_data["q"]:
        search_request = portal_search.search_request(form, cluster_id)
        groups = portal_search.search(request.user, search_request, request.GET.get("page"))
        context.update(groups=groups, kind=search_request.kind, groups_html=search_html.groups_html(
            groups, kind=search_request.kind, overview_query=context["overview_query"], query=context["query"]))
    return render(request, "search.html", context, status=200 if valid or not form.is_bound else 400)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): a Russian page, 429."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/lockout.html", context, status=429)
