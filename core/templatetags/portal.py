from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe

from core import ru
from core.text import close_sentence as _close_sentence
from core.text import typed_blocks

register = template.Library()


@register.filter
def ru_date(value):
    """{{ meeting.date|ru_date }} → «30 марта 2023 г.»"""
    return ru.ru_date(value)


@register.filter
def ru_date_numeric(value):
    return ru.ru_date_numeric(value)


@register.filter
def close_sentence(value, mark="."):
    """{{ text|close_sentence }}: a final period only when the text does not end in a mark already."""
    return _close_sentence(str(value or ""), mark)


@register.filter(needs_autoescape=True)
def typed_text(value, prefix="", autoescape=True):
    """A long text as typed: paragraphs as ``<p class="typed">``, line breaks kept as ``<br>``, list
    lines («- …», «1) …») as ``<p class="typed typed-li">`` with their marker. ``prefix`` (a decision's
    number «1.2.», as ``<span class="decision-number">``) opens the first block. The protocol page and the PDF both print with it."""
    esc = conditional_escape if autoescape else (lambda s: s)
    blocks = typed_blocks(str(value or ""))
    if not blocks:
        return mark_safe(f'<p class="typed"><span class="decision-number">{esc(prefix)}</span></p>') if prefix else ""
    html = []
    for n, block in enumerate(blocks):
        body = mark_safe("<br>".join(str(esc(line)) for line in block.lines))
        if n == 0 and prefix:
            body = mark_safe(f'<span class="decision-number">{esc(prefix)}</span> {body}')
        css = "typed typed-li" if block.kind == "li" else "typed"
        html.append((css, body))
    return format_html_join("", '<p class="{}">{}</p>', html)
