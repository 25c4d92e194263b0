from django import template

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
