"""The member register's groups (``/members/``) printed in Python.

``groups_html`` returns exactly what ``members/includes/register_groups.html`` renders
(``members/tests/test_register_html.py`` compares them byte for byte); change them together.
Through the template each entry was an ``{% include %}`` and a ``{% url %}``: most of the page's CPU.
"""

from __future__ import annotations

import hashlib
from html import escape

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core import fragments
from core.links import id_url_parts
from members.models import MembershipStatus


def _entry(m, before: str, after: str, invited: str, left: str) -> str:
    """``members/_register_entry.html`` of a membership (with ``state``) and its organisation."""
    organization = m.organization
    full, short = organization.full_name, organization.short_name
    aside = f' <span class="text-muted">({escape(short)})</span>' if short and short != full else ""
    badge = ""
    if m.state == MembershipStatus.INVITED:
        badge = f'<span class="badge text-bg-warning">{invited}{f" {m.invited_on:%d.%m.%Y}" if m.invited_on else ""}</span>'
    elif m.state == MembershipStatus.LEFT:
        badge = f'<span class="badge text-bg-secondary">{left}{f" {m.left_on:%d.%m.%Y}" if m.left_on else ""}</span>'
    return f'<a href="{before}{int(organization.pk)}{after}">{escape(full)}</a>{aside}\n{badge}\n'


def groups_html(groups) -> SafeString:
    """The register's sections of ``selectors.group_register``, or «No organisations match.»."""
    if not groups:
        return mark_safe(f'\n          <p class="text-muted mb-0">{escape(gettext("No organisations match."))}</p>\n        ')
    before, after = id_url_parts("members:organization-detail")
    invited, left = escape(gettext("invited")), escape(gettext("left"))
    total_line = gettext("In the cluster in total: %(total)s")
    out = []
    for group in groups:
        out.append(f'\n          <section class="register-group mt-3">\n'
                   f'            <h3 class="h6 fw-semibold mb-2">{escape(str(group.title))} '
                   f'<span class="badge text-bg-light border">{group.count}</span></h3>\n'
                   f'            <ol class="register-list mb-1">\n              ')
        for row in group.rows:
            out.append(f'\n                <li>{_entry(row.membership, before, after, invited, left)}\n                  ')
            if row.branches:
                branches = "".join(f"<li>{_entry(b, before, after, invited, left)}</li>" for b in row.branches)
                out.append(f'\n                    <ul class="register-branches">\n                      {branches}'
                           f'\n                    </ul>\n                  ')
            out.append('\n                </li>\n              ')
        out.append('\n            </ol>\n            ')
        for total in group.totals:
            out.append(f'\n              <p class="small text-muted mb-0 register-total">'
                       f'{total_line % {"total": escape(str(total))}}</p>\n            ')
        out.append('\n          </section>\n        ')
    return mark_safe("".join(out))


def filter_html(*, register, clusters: list, cluster, dated: bool, day) -> SafeString:
    """``members/_register_filter.html`` from the ``local`` cache, keyed on everything it prints: the
    language, the visible clusters (ids and names), the chosen one, the date and the form's values."""
    form = register.form
    values = (form["kind"].value(), form["status"].value(), form["text"].value())
    key = "register-filter:" + hashlib.sha256(repr((
        get_language(), [(c.pk, str(c)) for c in clusters], cluster.pk, dated, day.isoformat() if dated else "", values,
    )).encode()).hexdigest()
    html = fragments.get(key)
    if html is None:
        html = render_to_string("members/_register_filter.html", {
            "filter": register, "clusters": clusters, "cluster": cluster, "dated": dated, "day": day})
        fragments.put(key, html)
    return mark_safe(html)
