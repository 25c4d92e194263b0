"""A search group's results printed in Python: the loop of ``includes/search_results.html`` (a title,
its context line and date, the snippet, per result) was a third of the search page's CPU (issue 13).

``results_html`` returns exactly what ``{% include "includes/search_results.html" %}`` prints
(``cluster_portal/tests/test_search_html.py`` compares them byte for byte, in Russian and English); change
them together.
"""

from __future__ import annotations

from html import escape

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

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
