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
