from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cluster_portal import views
from ops import views as ops_views
from ops.mail import QueuedPasswordResetForm

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # public, for the proxy and the orchestrator: the dependencies' state, and whether migrations are applied
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("search/", views.search, name="search"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # the reset e-mail is rendered here and sent by the worker (ops.mail)
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
         name="password_reset"),
    path("accounts/password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("meetings/", include("meetings.urls")),
    # documents: meetings/<id>/pdf/, signing pages and the public verify/ page
    path("", include("documents.urls")),
    path("plans/", include("plans.urls")),
    # tasks: tasks/… and the personal calendar feed calendar/<token>.ics
    path("", include("tasks.urls")),
    path("members/", include("members.urls")),
    path("clusters/", include("members.cluster_urls")),
    path("coordination/", include("coordination.urls")),
    # api: /api/v1/… (REST API, OpenAPI document, docs) and the user's /members/me/api-tokens/
    path("", include("api.urls")),
    # the language switch: Django's cookie, and the login's choice kept for its e-mail (core.UserProfile)
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

# No URL serves MEDIA_ROOT, whatever DEBUG is: report files, accession documents and signed PDFs are
# downloaded only through views that check access first (tasks:report-file, members:membership-document,
# documents:protocol-pdf). The proxy must not serve the media folder either (see README).
