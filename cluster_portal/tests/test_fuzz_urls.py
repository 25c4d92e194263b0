"""Every URL of the project with junk in its ids and query string: 400/404/…, never a 500.

The URL list is read from the resolver, so a new page is covered the day it is added.
Each int slot gets a real demo id and junk («abc», «%00», a number too large for the
database); str slots get junk; the query string gets junk values for every parameter
a view reads, once with a NUL byte.
"""

from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

pytestmark = pytest.mark.django_db

SENTINEL = 7_777_777
JUNK_IDS = ["abc", "%00", "99999999", "999999999999999999999999", "-1"]
JUNK_QUERY = (
    "?body=abc&q=%E2%80%8F%27%22%3C&page=abc&cluster=abc&version=abc&item=abc&date=abc&organization=abc"
    "&role=abc&status=abc&year=abc&format=xlsx&form=short&scope=all&next=//evil.example&date_from=abc"
    "&date_to=abc&kind=abc&on=abc&o=abc"
)
NUL_QUERY = "?q=%00&body=1%00&cluster=%00"
CHOICES = ["item", "section", "up", "down", "delete", "grant", "refuse", "abc"]


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern.url_patterns, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.pattern


def _template(name, pattern):
    """The URL with SENTINEL in every int slot (to replace), or None when it cannot be built."""
    converters = getattr(pattern, "converters", {})
    names = list(pattern.regex.groupindex)
    kwargs = {}
    for kwarg in names:
        converter = converters.get(kwarg)
        if isinstance(converter, IntConverter) or pattern.regex.pattern.find(f"(?P<{kwarg}>\\d+)") >= 0:
            kwargs[kwarg] = SENTINEL
        elif converter is None:
            continue  # a regex choice, filled below
        else:
            kwargs[kwarg] = "abc"
    choices = [k for k in names if k not in kwargs]
    for combo in _combos(choices):
        try:
            return reverse(name, kwargs={**kwargs, **combo})
        except NoReverseMatch:
            continue
    return None


def _combos(keys):
    if not keys:
        yield {}
        return
    for value in CHOICES:
        for rest in _combos(keys[1:]):
            yield {keys[0]: value, **rest}


URLS = sorted({(name, template) for name, pattern in _walk(get_resolver().url_patterns)
               if (template := _template(name, pattern))})


def test_the_walk_finds_the_portal_and_the_admin():
    names = {name for name, _ in URLS}
    assert {"meetings:meeting-create", "meetings:next-number", "tasks:calendar-feed",
            "documents:verify", "plans:plan-import", "admin:index"} <= names
    assert len(URLS) > 100


def _variants(template, real_ids):
    if str(SENTINEL) not in template:
        yield template, template + JUNK_QUERY
        yield template, template + NUL_QUERY
        yield template, template.replace("abc", quote("\x00")) if "abc" in template else template
        return
    for real in real_ids:
        url = template.replace(str(SENTINEL), str(real))
        yield template, url + JUNK_QUERY
        yield template, url + NUL_QUERY
    for junk in JUNK_IDS:
        yield template, template.replace(str(SENTINEL), junk)


@pytest.mark.parametrize("name,template", URLS, ids=[name for name, _ in URLS])
def test_junk_never_answers_500(client_as, demo, name, template):
    real_ids = sorted({1, demo["meeting_2023"].pk, demo["plan_2023"].pk})
    failures = []
    for role in ("admin", None):
        client = client_as(role)
        client.raise_request_exception = False
        for _template_url, url in _variants(template, real_ids):
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{role or 'anonymous'} GET {url} -> {response.status_code}")
    assert failures == []
