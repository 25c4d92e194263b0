"""Work plans."""

from django.urls import path, re_path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("new/", views.plan_create, name="plan-create"),
    path("import/", views.plan_import, name="plan-import"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("<int:pk>/new-version/", views.plan_new_version, name="plan-new-version"),
    path("<int:pk>/sections/new/", views.section_create, name="section-create"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section-edit"),
    path("sections/<int:pk>/items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/report/", views.item_report, name="item-report"),
    re_path(r"^(?P<kind>section|item)s/(?P<pk>\d+)/(?P<action>up|down|delete)/$", views.structure_action,
            name="structure-action"),
    path("<int:pk>/export.xlsx", views.plan_export_xlsx, name="plan-export-xlsx"),
    path("<int:pk>/export.pdf", views.plan_export_pdf, name="plan-export-pdf"),
]
