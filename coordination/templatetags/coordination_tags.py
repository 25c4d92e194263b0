from django import template

from coordination import figures_html

register = template.Library()


@register.simple_tag
def figures_rows(rows, drill=False, show_region=False, show_clusters=False):
    """``{% include "coordination/_figures_row.html" %}`` of each row without the template engine
    (``coordination.figures_html``); ``drill``: each row links to its ``drill`` query."""
    return figures_html.figures_rows(rows, drill=drill, show_region=show_region, show_clusters=show_clusters)
