"""The coordination overview's figure rows printed in Python: ``coordination/_figures_row.html`` included once
a row (clusters, total, regions) was the largest part of the page's template time.

``figures_row`` returns exactly what ``{% include "coordination/_figures_row.html" %}`` printed
(``coordination/tests/test_figures_html.py`` compares them byte for byte); change them together.
"""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tasks.discipline_html import _n


def figures_row(row, link: str = "", *, show_region: bool = False, show_clusters: bool = False,
                list_url: str | None = None, language: str | None = None) -> str:
    """One row: ``row`` (``coordination.selectors.ClusterDisciplineRow``) and ``link``, the drill-down list's
    query without the state («cluster=3&»), or empty for no links."""
    language = get_language() if language is None else language
    href = f"{list_url or reverse('coordination:assignment-list')}?{escape(link)}" if link else ""
    name = escape(str(row.name))
    cells = [f'<a href="{href}state=all">{name}</a>' if link else name]
    if row.region and show_region:
        cells.append(f'<div class="small text-muted">{escape(str(row.region))}</div>')
    out = ["<tr>\n  <td>", *cells, "</td>\n  "]
    if show_clusters:
        out.append(f'<td class="text-end">{_n(row.clusters, language)}</td>')
    out.append(f'\n  <td class="text-end">{_n(row.assigned, language)}</td>\n')
    for state, value in (("on_time", row.on_time), ("late", row.late)):
        cell = f'<a href="{href}state={state}">{_n(value, language)}</a>' if link and value else _n(value, language)
        out.append(f'  <td class="text-end">{cell}</td>\n')
    if link and row.overdue:
        cell = f'<a class="text-danger fw-semibold" href="{href}state=overdue">{_n(row.overdue, language)}</a>'
    elif row.overdue:
        cell = f'<span class="text-danger fw-semibold">{_n(row.overdue, language)}</span>'
    else:
        cell = "0"
    out.append(f'  <td class="text-end">{cell}</td>\n')
    cell = f'<a href="{href}state=open">{_n(row.open, language)}</a>' if link and row.open else _n(row.open, language)
    out.append(f'  <td class="text-end">{cell}</td>\n')
    out.append(f'  <td class="text-end">{escape(str(row.on_time_percent))}</td>\n</tr>\n')
    return "".join(out)


def figures_rows(rows, *, drill: bool = False, show_region: bool = False, show_clusters: bool = False) -> SafeString:
    """``figures_row`` of each row, linked to its ``drill`` query when ``drill``."""
    list_url, language = reverse("coordination:assignment-list"), get_language()
    return mark_safe("".join(
        figures_row(row, row.drill if drill else "", show_region=show_region, show_clusters=show_clusters,
                    list_url=list_url, language=language) for row in rows))
