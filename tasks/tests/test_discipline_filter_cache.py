"""As the discipline report opens its filter controls come from the local cache
(``tasks.reports.opening_discipline_filter_html``): the page is the same on a miss and on a hit, the
controls are those the inline template rendered, and a renamed cluster is another key."""

import re

import pytest
from django.core.cache import caches
from django.template import Context, Template
from django.utils import translation

from members.models import ClusterRole, PortalRole
from tasks.forms import DisciplineFilterForm
from tasks.reports import discipline_filter_html
from tasks.views import managed_cluster_ids

pytestmark = pytest.mark.django_db

REFERENCE = Template(  # the controls as tasks/discipline_report.html wrote them inline
    '{% load portal %}'
    '{% if several_clusters %}<div class="col-sm-12 col-lg-3">{% filter_field form.cluster %}</div>{% endif %}\n'
    '    <div class="col-sm-4 col-lg-3">{% filter_field form.date_from %}</div>\n'
    '    <div class="col-sm-4 col-lg-3">{% filter_field form.date_to %}</div>')


def _without_tokens(html: str) -> str:
    return re.sub(r'(value="|"X-CSRFToken": ")[A-Za-z0-9]{64}', "", html)


@pytest.fixture
def several(demo, users):
    ClusterRole.objects.create(user=users["secretary"], cluster=demo["other_cluster"], role=PortalRole.SECRETARY)


@pytest.mark.parametrize("role", ["secretary", "chair", "admin"])
@pytest.mark.parametrize("url", ["/tasks/report/", "/tasks/report/?page=2"])
def test_opening_filter_controls_from_the_cache_are_the_rendered_ones(client_as, demo, several, users, role, url):
    client = client_as(role)
    caches["local"].clear()
    miss = client.get(url)
    hit = client.get(url)
    assert miss.context["form"] is not None and hit.context["form"] is None
    assert _without_tokens(hit.content.decode()) == _without_tokens(miss.content.decode())
    managed = managed_cluster_ids(type(users[role]).objects.get(pk=users[role].pk))
    with translation.override("ru"):
        form = DisciplineFilterForm(None, cluster_ids=managed)
        expected = REFERENCE.render(Context({"form": form, "several_clusters": len(managed) > 1}))
    assert str(hit.context["filter_html"]) == expected
    assert ('name="cluster"' in hit.content.decode()) == (len(managed) > 1)


def test_a_renamed_cluster_is_another_key(client_as, demo, several):
    from members.models import Cluster

    client = client_as("secretary")
    caches["local"].clear()
    client.get("/tasks/report/")
    assert client.get("/tasks/report/").context["form"] is None
    cluster = demo["cluster"]
    Cluster.objects.filter(pk=cluster.pk).update(name=cluster.name + " (новое имя)", short_name="")
    renamed = client.get("/tasks/report/")
    assert renamed.context["form"] is not None
    assert "(новое имя)" in renamed.content.decode()


@pytest.mark.parametrize("query", ["?date_from=2020-01-01", "?date_from=2030-01-01&date_to=2020-01-01"])
def test_a_filtered_report_renders_its_controls_around_the_value(client_as, demo, several, users, query):
    response = client_as("secretary").get("/tasks/report/" + query)
    form = response.context["form"]
    assert form is not None
    with translation.override("ru"):
        expected = REFERENCE.render(Context({"form": form, "several_clusters": True}))
    assert str(response.context["filter_html"]) == expected
    assert str(discipline_filter_html(form, True)) == expected
    assert 'value="2020-01-01"' in response.content.decode() or "2020" in response.content.decode()
