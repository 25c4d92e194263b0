"""The plan page from its caches and tuples is the page as rendered from model instances (issue 13).

The reference rendering runs the same view and template with every fragment key empty (rendered each
time), the items' relations read through the model managers (``selectors.plan_items``), the approving
decisions from ``approving_decisions`` and the organizer choices from two plain querysets. The page
must come out the same, cold (fragment cache empty) and warm, and follow a change of what it prints,
today's date among it («overdue»)."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from members.models import Organization
from plans import filters, selectors, views
from plans.models import ItemStatus, PlanItem, PlanSection

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"')


def _html(client, plan, params) -> str:
    response = client.get(reverse("plans:plan-detail", args=[plan.pk]), params)
    assert response.status_code == 200
    return CSRF.sub(r'\1"', response.content.decode())


def _reference_items(plan, items=None):
    items = list(selectors.plan_items(plan, PlanItem.objects.filter(pk__in=[i.pk for i in items]) if items is not None else None))
    for item in items:
        item.organizer_list = list(item.organizers.all())
        item.organizer_body_list = list(item.organizer_bodies.all())
        item.meeting_list = list(item.meetings.all())
        item.decision_list = list(item.decisions.all())
    return items


def _reference_choices(cluster_id):
    orgs = [(o.pk, str(o)) for o in selectors.cluster_organizations(cluster_id)]
    return orgs, [(b.pk, b.name) for b in selectors.cluster_bodies(cluster_id)]


def reference(client, plan, params, monkeypatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(selectors, "plan_page_item_list", _reference_items)
        patch.setattr(selectors, "plan_page_sibling_decisions", selectors.approving_decisions)
        patch.setattr(selectors, "plan_page_decisions", lambda plan, items, siblings: list(siblings))
        patch.setattr(filters, "organizer_choices", _reference_choices)
        for name in ("_content_key", "_row_key", "_table_key", "_organizer_key", "_controls_key"):
            patch.setattr(views, name, lambda *args, **kwargs: "")
        return _html(client, plan, params)


@pytest.mark.parametrize("size", [0, 45])
@pytest.mark.parametrize("role", ["member", "secretary", "admin"])
@pytest.mark.parametrize("params", [{}, {"quarter": "2"}, {"status": "overdue", "mine": "true", "text": "рабоч"}])
def test_cached_plan_page_is_the_page_rendered_from_instances(client_as, plan, grow, size, role, params, monkeypatch):
    if size:
        grow(plan, size)
    client = client_as(role)
    expected = reference(client, plan, params, monkeypatch)
    caches["local"].clear()
    assert _html(client, plan, params) == expected  # cold: every fragment rendered and stored
    assert _html(client, plan, params) == expected  # warm: table, rows and organizer select from the cache


def test_plan_page_cache_follows_what_the_page_prints(client_as, plan, demo, monkeypatch):
    client = client_as("member")
    _html(client, plan, {})  # warm
    item = PlanItem.objects.filter(section__plan=plan).order_by("pk").first()
    organization = Organization.objects.filter(pk=demo["cluster"].memberships.values("organization")[:1]).first()
    PlanItem.objects.filter(pk=item.pk).update(report="Отчёт об исполнении", status="done")
    item.organizers.add(organization)
    Organization.objects.filter(pk=organization.pk).update(short_name="Новое имя организации")
    section = item.section
    type(section).objects.filter(pk=section.pk).update(title="Переименованный раздел")
    html = _html(client, plan, {})
    assert html == reference(client, plan, {}, monkeypatch)
    assert "Отчёт об исполнении" in html and "Переименованный раздел" in html
    assert html.count("Новое имя организации") >= 2  # in the row and in the organizer select


@pytest.mark.parametrize("role", ["member", "secretary", "admin"])
def test_cached_plan_content_follows_each_change(client_as, plan, demo, role, monkeypatch):
    """The whole content is one fragment (``views._content_key``): each change of what it prints is seen
    on the next page, equal to the uncached rendering."""
    client = client_as(role)
    item = PlanItem.objects.filter(section__plan=plan).order_by("pk").first()
    organization = Organization.objects.filter(pk=demo["cluster"].memberships.values("organization")[:1]).first()
    changes = [
        lambda: PlanItem.objects.filter(pk=item.pk).update(report="Отчёт об исполнении"),
        lambda: PlanItem.objects.filter(pk=item.pk).update(status=ItemStatus.CANCELLED),
        lambda: PlanItem.objects.filter(pk=item.pk).update(title="Переименованное мероприятие"),
        lambda: item.organizers.add(organization),
        lambda: Organization.objects.filter(pk=organization.pk).update(short_name="Новое имя организации"),
        lambda: PlanSection.objects.filter(pk=item.section_id).update(title="Переименованный раздел"),
    ]
    marks = ["Отчёт об исполнении", "plan-status-cancelled", "Переименованное мероприятие", None,
             "Новое имя организации", "Переименованный раздел"]
    for change, mark in zip(changes, marks):
        _html(client, plan, {})  # warm
        change()
        html = _html(client, plan, {})
        assert html == reference(client, plan, {}, monkeypatch)
        assert mark is None or mark in html


def test_cached_plan_content_follows_the_date(client_as, plan, monkeypatch):
    """An open item whose timeframe ends today is overdue tomorrow: the cached page follows the calendar."""
    today = timezone.localdate()
    item = PlanItem.objects.filter(section__plan=plan).order_by("pk").first()
    PlanItem.objects.filter(pk=item.pk).update(status=ItemStatus.PLANNED, due_date=today)
    client = client_as("member")
    before = _html(client, plan, {})
    assert before == _html(client, plan, {}) == reference(client, plan, {}, monkeypatch)
    tomorrow = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(12))
    with time_machine.travel(timezone.make_aware(tomorrow), tick=False):
        after = _html(client, plan, {})
        assert after == reference(client, plan, {}, monkeypatch)

    def row(html):
        return html.split(f'id="item-{item.pk}"', 1)[1].split("</tr>", 1)[0]

    assert "plan-status-overdue" not in row(before) and "plan-status-overdue" in row(after)
