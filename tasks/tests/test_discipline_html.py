"""The discipline report's chart and table rows are rendered in Python (``tasks.discipline_html``): the
same HTML as the reference templates, for the rows the page shows, with links, zero figures, bodies and
a long name."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tasks import discipline_html

pytestmark = pytest.mark.django_db


def normalised(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).replace("> <", "><").strip()


@pytest.mark.parametrize("role", ["secretary", "chair", "admin"])
def test_python_chart_and_rows_are_the_templates(client_as, demo, make_assignments, role):
    make_assignments(12)
    response = client_as(role).get(reverse("tasks:discipline-report"))
    report, list_url = response.context["report"], response.context["list_url"]
    assert report.shown
    report.shown[0].name = "Очень длинное название организации-исполнителя <с тегом> & амперсандом"
    with translation.override("ru"):
        chart = render_to_string("tasks/_discipline_chart.html", {"report": report, "label": "График"})
        assert normalised(discipline_html.discipline_chart(report, "График")) == normalised(chart)
        rows = render_to_string("tasks/_discipline_rows.html", {"report": report, "list_url": list_url})
        assert normalised(discipline_html.discipline_rows(report.shown, list_url)) == normalised(rows)


def test_the_page_prints_the_python_rows(client_as, demo):
    html = client_as("secretary").get(reverse("tasks:discipline-report")).content.decode()
    assert 'id="discipline-table"' in html and "<svg class=\"discipline-chart\"" in html


@pytest.mark.parametrize("params", [{}, {"date_from": "2026-01-01", "date_to": "2026-12-31"},
                                    {"date_from": "2026-12-31", "date_to": "2026-01-01"}])
def test_filter_fields_are_crispy_fields(demo, params):
    """The report's filter form is written by ``{% filter_field %}``: the same markup as crispy's ``as_crispy_field``
    for the fields as a browser submits them (a date input sends a valid date or nothing; a field's own error
    message is marked up a little differently, as on the other list filters)."""
    from django.template import Context, Template
    from django.test.html import parse_html
    from members.models import Cluster
    from tasks.forms import DisciplineFilterForm

    def field(name):  # a fresh form each time: crispy's rendering adds to the widget's attrs
        form = DisciplineFilterForm(params or None, cluster_ids=list(Cluster.objects.values_list("pk", flat=True)))
        form.is_valid()
        return Context({"field": form[name]})

    with translation.override("ru"):
        for name in ("cluster", "date_from", "date_to"):
            crispy = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(field(name))
            direct = Template("{% load portal %}{% filter_field field %}").render(field(name))
            # Attribute order and whitespace aside; crispy also names the widget's type in its class
            # («select», «dateinput»), which no stylesheet or script of the portal uses.
            crispy = re.sub(r'class="(select|dateinput) ', 'class="', crispy)
            assert parse_html(direct) == parse_html(crispy), name
