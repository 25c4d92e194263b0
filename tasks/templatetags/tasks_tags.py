from django import template

from tasks import discipline_html
from tasks.rows import assignment_row as render_assignment_row

register = template.Library()


@register.simple_tag
def assignment_row(assignment, with_party=False, with_status=False):
    """``{% include "tasks/_assignment_row.html" %}`` without the template engine (``tasks.rows``)."""
    return render_assignment_row(assignment, with_party=with_party, with_status=with_status)


@register.filter(name="abs")
def absolute(value):
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value


@register.simple_tag
def discipline_chart(report, label):
    """``{% include "tasks/_discipline_chart.html" %}`` without the template engine (``tasks.discipline_html``)."""
    return discipline_html.discipline_chart(report, label)


@register.simple_tag
def discipline_rows(rows, list_url):
    """The discipline report's table rows (``tasks/_discipline_rows.html``) without the template engine."""
    return discipline_html.discipline_rows(rows, list_url)
