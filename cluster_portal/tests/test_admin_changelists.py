"""The large changelists (meetings, decisions, assignments) print their action checkboxes
without the widget templates and show 50 rows a page; the page a superuser sees is Django's."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.utils.html import format_html
from django.utils.translation import gettext, override

from cluster_portal.admin_site import DirectActionCheckbox
from cluster_portal.demo import load_demo
from meetings.admin import ADMIN_LIST_PER_PAGE
from meetings.models import Assignment, Decision, Meeting

pytestmark = pytest.mark.django_db

LARGE = [Meeting, Decision, Assignment]


def widget_checkbox(obj):
    """What ``ModelAdmin.action_checkbox`` renders (Django 5.2)."""
    attrs = {"class": "action-select", "aria-label": format_html(gettext("Select this object for an action - {}"), str(obj))}
    return forms.CheckboxInput(attrs, lambda value: False).render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("model", LARGE, ids=lambda m: m.__name__)
def test_checkbox_is_the_widgets_markup(model, language):
    load_demo()
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, DirectActionCheckbox)
    objects = list(model.objects.all()[:5])
    assert objects
    with override(language):
        for obj in objects:
            assert model_admin.action_checkbox(obj) == widget_checkbox(obj)


def test_a_title_with_markup_is_escaped_in_the_label():
    load_demo()
    meeting = Meeting.objects.first()
    meeting.title = '<b>"x"</b> & y'
    model_admin = admin.site._registry[Meeting]
    html = model_admin.action_checkbox(meeting)
    assert html == widget_checkbox(meeting)
    assert "<b>" not in html


@pytest.mark.parametrize("model", LARGE, ids=lambda m: m.__name__)
def test_changelist_pages_by_fifty_and_every_checkbox_selects(model, client_as):
    load_demo()
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert admin.site._registry[model].list_per_page == ADMIN_LIST_PER_PAGE == 50
    response = client_as("admin").get(url)
    assert response.status_code == 200
    assert response.context["cl"].list_per_page == 50
    shown = list(response.context["cl"].result_list)
    assert len(shown) == min(ADMIN_LIST_PER_PAGE, model.objects.count())
    html = response.content.decode()
    for obj in shown:
        assert f'name="_selected_action" value="{obj.pk}" class="action-select"' in html
    assert 'id="action-toggle"' in html


def test_selected_rows_reach_the_action(client_as):
    """The checkboxes still feed the admin's actions: deleting two selected assignments asks to confirm them."""
    load_demo()
    picked = list(Assignment.objects.values_list("pk", flat=True)[:2])
    response = client_as("admin").post(
        "/admin/meetings/assignment/", {"action": "delete_selected", "_selected_action": picked}
    )
    assert response.status_code == 200
    assert list(response.context["queryset"].values_list("pk", flat=True).order_by("pk")) == sorted(picked)
