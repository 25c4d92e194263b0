from django import template

from core import ru

register = template.Library()


@register.filter
def ru_date(value):
    """{{ meeting.date|ru_date }} → «30 марта 2023 г.»"""
    return ru.ru_date(value)


@register.filter
def ru_date_numeric(value):
    return ru.ru_date_numeric(value)
