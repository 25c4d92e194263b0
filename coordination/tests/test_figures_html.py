"""The overview's figure rows are printed in Python (``coordination.figures_html``): byte for byte what
``coordination/_figures_row.html`` printed for every combination the overview includes it with, zero
figures, a long name with markup, both languages; and the page prints them."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from coordination import figures_html
from coordination.selectors import ClusterDisciplineRow

pytestmark = pytest.mark.django_db


def rows():
    full = ClusterDisciplineRow(None, "Кластер <«Смоленск»> & Ко", assigned=12345, on_time=3, late=2, overdue=1, open=6339,
                                cluster_id=7, region="Смоленская область", clusters=3)
    empty = ClusterDisciplineRow(None, "Пустой", cluster_id=8, region="", clusters=1)
    overdue_only = ClusterDisciplineRow(None, "Только просрочено", assigned=4, overdue=4, cluster_id=9, region="Регион")
    for row in (full, empty, overdue_only):
        row.drill = f"cluster={row.cluster_id}&"
    return [full, empty, overdue_only]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("drill, show_region, show_clusters", [(True, True, False), (False, False, False),
                                                               (False, False, True), (True, False, True)])
def test_python_rows_are_the_include(demo, language, drill, show_region, show_clusters):
    with translation.override(language):
        for row in rows():
            context = {"row": row, "link": row.drill if drill else "", "show_region": show_region,
                       "show_clusters": show_clusters}
            expected = render_to_string("coordination/_figures_row.html", context)
            assert figures_html.figures_row(row, context["link"], show_region=show_region,
                                            show_clusters=show_clusters) == expected
        expected = "".join(render_to_string("coordination/_figures_row.html", {
            "row": row, "link": row.drill if drill else "", "show_region": show_region, "show_clusters": show_clusters})
            for row in rows())
        assert figures_html.figures_rows(rows(), drill=drill, show_region=show_region,
                                         show_clusters=show_clusters) == expected


def test_the_overview_prints_them(client_as, demo):
    response = client_as("ministry").get("/coordination/")
    html = response.content.decode()
    report, regions = response.context["report"], response.context["regions"]
    by_cluster = html.split('id="by-cluster"')[1].split("</section>")[0]
    assert str(figures_html.figures_rows(report.shown, drill=True, show_region=True)) in by_cluster
    assert f'<tfoot class="fw-semibold">{figures_html.figures_row(report.total)}</tfoot>' in by_cluster
    by_region = html.split('id="by-region"')[1].split("</section>")[0]
    assert str(figures_html.figures_rows(regions.rows, show_clusters=True)) in by_region
    assert re.search(r"state=all\">", by_cluster)


OLD_LINES = [  # the overview's loops before the rows were printed in Python
    ('{% figures_rows report.shown drill=True show_region=True %}',
     '{% for row in report.shown %}\n        {% include "coordination/_figures_row.html" with link=row.drill show_region=True %}\n'
     '      {% endfor %}'),
    ('{% figures_rows totals %}', '{% include "coordination/_figures_row.html" with row=report.total link="" %}'),
    ('{% figures_rows regions.rows show_clusters=True %}',
     '{% for row in regions.rows %}{% include "coordination/_figures_row.html" with link="" show_clusters=True %}{% endfor %}'),
]


def _comparable(html: str) -> str:
    html = re.sub(r'(value="|"X-CSRFToken": ")[A-Za-z0-9]{64}', "", html)
    return re.sub(r">\s+<", "><", html)


@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_the_overview_is_the_include_loops_page(client_as, demo, role):
    from django.template import engines
    from django.template.loader import get_template

    response = client_as(role).get("/coordination/")
    source = get_template("coordination/overview.html").template.source
    for new, old in OLD_LINES:
        assert new in source
        source = source.replace(new, old)
    context = {key: response.context[key] for key in ("report", "regions", "page", "query", "overdue", "protocols",
                                                      "protocols_query")}
    with translation.override("ru"):
        old_page = engines["django"].from_string(source).render(context, response.wsgi_request)
    assert _comparable(response.content.decode()) == _comparable(old_page)
