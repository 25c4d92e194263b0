"""The member register."""

from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.organization_list, name="organization-list"),
    path("export.xlsx", views.register_export, name="register-export"),
    path("organizations/new/", views.organization_create, name="organization-create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization-detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization-edit"),
    path("organizations/<int:pk>/memberships/<int:membership>/document/", views.membership_document,
         name="membership-document"),
    *[
        path(f"organizations/<int:pk>/{action}/", views.organization_membership, {"action": action},
             name=f"organization-{action}")
        for action in ("invite", "join", "leave")
    ],
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/login/", views.person_login, name="person-login"),
    path("bodies/<int:pk>/", views.body_detail, name="body-detail"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body-edit"),
    path("bodies/<int:pk>/change/", views.body_change, name="body-change"),
    path("bodies/<int:pk>/signatories/", views.body_signatories, name="body-signatories"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat-end"),
]
