from django import forms, template
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from core import fragments, ru
from core.text import close_sentence as _close_sentence
from core.text import typed_blocks

register = template.Library()


@register.filter
def ru_date(value):
    """{{ meeting.date|ru_date }} → «30 марта 2023 г.»; «30 March 2023» in the English UI."""
    return ru.ui_date(value)


@register.filter
def user_name(user):
    """A login as people read it everywhere: its register entry «Рудометкин А.Н.», else the login's own name,
    else the login. Views load ``…__person`` with the user (``select_related``) so this costs no query."""
    if user is None:
        return ""
    try:
        person = user.person
    except Exception:  # RelatedObjectDoesNotExist: a login without a register entry
        person = None
    return str(person) if person is not None else (user.get_full_name() or user.get_username())


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


NAV_SECTIONS = (("/meetings/", "meetings"), ("/plans/", "plans"), ("/tasks/", "tasks"), ("/members/", "members"))


@register.simple_tag
def nav_section(path: str) -> str:
    """The navbar entry a path belongs to («dashboard», «meetings», …, or «»): base.html marks it active,
    and its cached navbar fragment is keyed on it rather than on the whole path."""
    if path == "/":
        return "dashboard"
    for prefix, section in NAV_SECTIONS:
        if path.startswith(prefix):
            return section
    return ""


def _choice_value(value) -> str:
    value = getattr(value, "value", value)  # ModelChoiceIteratorValue
    return "" if value is None else str(value)


def _options(choices, selected: set[str]) -> str:
    parts = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an <optgroup>
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', value, mark_safe(_options(label, selected))))
            continue
        value = _choice_value(value)
        parts.append(format_html('<option value="{}"{}>{}</option>', value,
                                 mark_safe(" selected") if value in selected else "", label))
    return "".join(parts)


def _attrs(attrs: dict) -> str:
    return format_html_join("", ' {}="{}"', ((k, v) for k, v in attrs.items() if v is not None and v is not False))


@register.simple_tag
def filter_field(bound, css_class: str = ""):
    """A list filter's field as crispy's bootstrap5 pack lays it out (label, control, error), written
    directly instead of through the widget and crispy templates: a filter form is on every list page.

    Select, text, number, date and checkbox widgets; any other widget falls back to Django's own
    rendering of the control."""
    widget = bound.field.widget
    errors = bound.errors
    attrs = {**widget.attrs, "name": bound.html_name, "id": bound.auto_id or None}
    if bound.field.disabled:
        attrs["disabled"] = True
    if errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{bound.auto_id}_error"})
    value = bound.value()
    if isinstance(widget, forms.CheckboxInput):
        attrs["class"] = " ".join(c for c in (attrs.get("class") or "form-check-input", "is-invalid" if errors else "") if c)
        checked = widget.check_test(value)
        control = format_html('<input type="checkbox"{}{}>', _attrs(attrs), mark_safe(" checked") if checked else "")
        body = format_html('<div class="form-check">{}<label for="{}" class="form-check-label">{}</label>{}</div>',
                           control, bound.auto_id, bound.label, _errors(bound))
        return format_html('<div id="div_{}" class="mb-3{}">{}</div>', bound.auto_id, css_class and " " + css_class, body)
    control = _control(bound, attrs, value, errors)
    label = format_html('<label for="{}" class="form-label">{}</label>', bound.auto_id, bound.label) if bound.label else ""
    return format_html('<div id="div_{}" class="mb-3{}">{}{}{}</div>', bound.auto_id, css_class and " " + css_class,
                       label, control, _errors(bound))


def _control(bound, attrs: dict, value, errors) -> str:
    """The control alone: a select, an input (text, number, date, search, hidden), else Django's widget."""
    widget = bound.field.widget
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        attrs["class"] = _with_invalid(attrs.get("class") or "form-select", errors)
        selected = {_choice_value(value)} if not isinstance(value, (list, tuple)) else {_choice_value(v) for v in value}
        return format_html("<select{}>{}</select>", _attrs(attrs), mark_safe(_options(_choices(bound.field), selected)))
    if isinstance(widget, forms.widgets.Input) and widget.input_type in ("text", "number", "date", "search", "hidden"):
        if widget.input_type != "hidden":
            attrs["class"] = _with_invalid(attrs.get("class") or "form-control", errors)
        attrs["type"] = widget.input_type
        formatted = widget.format_value(value)
        if formatted is not None and formatted != "":
            attrs["value"] = formatted
        return format_html("<input{}>", _attrs(attrs))
    return bound.as_widget(attrs={"class": _with_invalid(widget.attrs.get("class", "form-control"), errors)})


@register.simple_tag
def filter_control(bound):
    """``{{ field }}`` of a list filter (the control only, for a template that lays out the label
    itself) without the widget templates; ``filter_field``'s controls."""
    attrs = {**bound.field.widget.attrs, "name": bound.html_name, "id": bound.auto_id or None}
    if bound.field.disabled:
        attrs["disabled"] = True
    return _control(bound, attrs, bound.value(), None)


def _choices(field):
    """A model choice field's choices from its queryset evaluated as a list: iterating ``field.choices``
    runs ``queryset.iterator()``, a server-side cursor on PostgreSQL (three round trips) for a few rows."""
    choices = field.choices
    if not isinstance(choices, ModelChoiceIterator) or getattr(field, "null_label", None):
        return choices
    head = [("", field.empty_label)] if field.empty_label is not None else []
    return head + [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset]


def _with_invalid(css: str, errors) -> str:
    return f"{css} is-invalid" if errors else css


def _errors(bound) -> str:
    if not bound.errors:
        return ""
    messages = format_html_join("", "<p><strong>{}</strong></p>", ((e,) for e in bound.errors))
    return format_html('<div id="{}_error" class="invalid-feedback d-block">{}</div>', bound.auto_id, messages)


class CachedIfNode(template.Node):
    def __init__(self, nodelist, key_var, html_var):
        self.nodelist, self.key_var, self.html_var = nodelist, key_var, html_var

    def render(self, context):
        key = self.key_var.resolve(context)
        if not key:
            return self.nodelist.render(context)
        html = (self.html_var.resolve(context) if self.html_var else None) or fragments.get(key)
        if html is None:
            html = self.nodelist.render(context)
            fragments.put(key, html)
        return mark_safe(html)


@register.tag
def cached_if(parser, token):
    """``{% cached_if key [html] %}…{% endcached_if %}``: with a key, the block is rendered once and
    then served from the per-process fragment cache (``core.fragments``); with an empty key it is
    rendered every time. ``html``, when the view already fetched the entry, is used as is. The view
    builds the key from everything the block shows (a signed protocol's page, ``meetings.protocol_page``),
    and the block must hold nothing per request (no CSRF token)."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("cached_if takes the cache key and, optionally, the cached HTML")
    nodelist = parser.parse(("endcached_if",))
    parser.delete_first_token()
    return CachedIfNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]) if len(bits) == 3 else None)
