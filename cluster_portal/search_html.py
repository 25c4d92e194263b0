"""The search page's results printed in Python: the loop of ``includes/search_results.html`` (a title,
its context line and date, the snippet, per result) was a third of the search page's CPU, and the groups'
sections around them (``includes/search_groups.html``) most of the rest of its template (issue 13).

``results_html`` and ``groups_html`` return exactly what those templates print
(``cluster_portal/tests/test_search_html.py`` compares them byte for byte, in Russian and English); change
them together.
"""

from __future__ import annotations

from html import escape

from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from core import ru

TITLE_CHARS = 200  # the template's ``truncatechars:200``


def result_html(result) -> str:
    """One ``search.Result``: the snippet is already safe HTML (``search_text``), the rest is escaped."""
    line = escape(str(result.context))
    if result.date:
        line += f" · {escape(ru.ui_date(result.date))}"
    out = ['<li class="card card-body shadow-sm mb-2 py-2 search-result">\n',
           f'  <a class="fw-semibold" href="{escape(str(result.url))}">',
           escape(Truncator(str(result.title)).chars(TITLE_CHARS)), "</a>\n",
           f'  <div class="small text-muted">{line}</div>\n']
    if result.snippet:
        out.append(f'  <div class="search-snippet small mt-1">{conditional_escape(result.snippet)}</div>\n')
    out.append("</li>\n")
    return "".join(out)


def results_html(results) -> SafeString:
    return mark_safe('<ol class="list-unstyled mb-0">\n' + "".join(map(result_html, results)) + "</ol>\n")


def groups_html(groups, *, kind, overview_query: str, query: str) -> SafeString:
    """The sections of ``search.Group``s, as ``includes/search_groups.html`` prints them: ``kind`` is the one kind
    listed (no «all N results» links then), ``overview_query`` the request without the kind and page, ``query``
    without the page (the pagination's links)."""
    out = []
    for group in groups:
        key, count = escape(group.kind.key), escape(localize(group.count))
        out.append(f'<section class="mb-4 search-group" id="results-{key}">\n'
                   f'  <h2 class="h5 d-flex align-items-baseline gap-2">{escape(str(group.kind.label))} '
                   f'<span class="badge text-bg-light border">{count}</span>')
        if not kind and group.count > len(group.results):
            more = gettext("all %(n)s results") % {"n": count}
            out.append(f'\n    <a class="small ms-auto" href="?{escape(overview_query)}&amp;kind={key}">{more} &raquo;</a>')
        out.append("</h2>\n")
        if group.results:
            out.append(group.results_html)
            if group.page:
                out.append(render_to_string("includes/pagination.html", {"page": group.page, "query": query}))
        else:
            out.append(f'  <p class="text-muted small mb-0">{escape(gettext("Nothing found."))}</p>\n')
        out.append("</section>\n")
    return mark_safe("".join(out))
