"""The discipline report's chart and table rows rendered in Python: 50 organisations a page with a bar
each and seven figures made ~2 600 template variable lookups a request, most of the page's CPU.

``discipline_chart`` and ``discipline_rows`` return exactly what ``tasks/_discipline_chart.html`` and the
table rows of ``tasks/discipline_report.html`` rendered (``tasks/tests/test_discipline_html.py`` compares
them with those templates); change them together.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape as _html_escape

from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from tasks.rows import _truncated


def _n(value, language: str | None = None) -> str:
    """``localize(value)``, escaped; ``language``: the active one, looked up once a table, not once a figure."""
    if type(value) is int:  # the figures and coordinates: ~700 a page
        return _int(value, get_language() if language is None else language)
    return conditional_escape(localize(value))


def _escape(text) -> str:
    """``django.utils.html.escape`` (which is ``html.escape`` of ``str()``) without its lazy-string wrapper:
    ~650 calls a page."""
    return _html_escape(str(text))


@lru_cache(maxsize=4096)
def _int(value: int, language: str | None) -> str:
    """``localize(value)`` of an int in the active language (it depends on nothing else a request changes)."""
    return conditional_escape(localize(value))


def discipline_chart(report, label: str) -> SafeString:
    """``tasks/_discipline_chart.html`` for a ``tasks.reports.DisciplineReport``."""
    parts = [
        '<div class="discipline-legend small mb-2">',
        *(format_html('<span><i class="swatch {}"></i>{}</span>', key, text) for key, text in (
            ("on_time", gettext("Done on time")), ("late", gettext("Done late")),
            ("overdue", gettext("Overdue")), ("open", gettext("Open")))),
        "</div>",
        '<div class="discipline-chart-scroll">',
        format_html('<svg class="discipline-chart" role="img" aria-label="{}" viewBox="0 0 1000 {}" width="100%">',
                    label, localize(report.chart_height)),
    ]
    language = get_language()
    for item in report.chart_rows:
        row, y = item["row"], item["y"]
        # The segments' keys are the four fixed CSS classes: nothing to escape.
        segments = "".join(
            f'<rect class="{seg["key"]}" x="{seg["x"]:.3f}" y="0" width="{seg["width"]:.3f}" height="20">'
            f'<title>{_n(seg["count"], language)}</title></rect>' for seg in item["segments"])
        name = str(row.name)
        parts.append(
            f'<g><title>{_escape(name)}: {_n(row.assigned, language)}</title>'
            f'<text x="0" y="{_n(y + 18, language)}" class="label">{_escape(_truncated(name, 38))}</text>'
            f'<svg x="330" y="{_n(y + 4, language)}" width="620" height="20" viewBox="0 0 100 20" preserveAspectRatio="none">'
            f'{segments}</svg>'
            f'<text x="960" y="{_n(y + 18, language)}" class="count">{_n(row.assigned, language)}</text></g>')
    parts.append("</svg></div>")
    return mark_safe("".join(str(p) for p in parts))


def _cell(value, href: str | None, css: str = "", language: str | None = None) -> str:
    """A figure's cell; ``href`` already escaped."""
    if href is None or not value:
        return f'<td class="text-end">{_n(value, language)}</td>'
    link_class = f' class="{css}"' if css else ""
    return f'<td class="text-end"><a{link_class} href="{href}">{_n(value, language)}</a></td>'


def discipline_rows(rows, list_url: str) -> SafeString:
    """The table rows of ``tasks/discipline_report.html`` (``report.shown``, each with its ``drill`` query)."""
    out, language = [], get_language()
    for row in rows:
        org = row.organization_id
        base = _escape(f"{list_url}?{row.drill}") if org else None  # escaped once, not once a link
        name = f'<a href="{base}">{_escape(row.name)}</a>' if org else _escape(row.name)
        out.append("".join([
            f"<tr><td>{name}</td>",
            f'<td class="text-end">{_n(row.assigned, language)}</td>',
            _cell(row.on_time, base and f"{base}&amp;state=on_time", "", language),
            _cell(row.late, base and f"{base}&amp;state=late", "", language),
            _cell(row.overdue, base and f"{base}&amp;state=overdue", "text-danger fw-semibold", language),
            _cell(row.open, base and f"{base}&amp;state=open", "", language),
            f'<td class="text-end">{_escape(row.on_time_percent)}</td></tr>',
        ]))
    return mark_safe("".join(out))
