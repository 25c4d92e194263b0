"""The English UI is English: on the main pages, every Cyrillic word is one that users typed (it is in the
database), never the portal's own text (issue 18). Russian stays the default."""

import bisect
import html
import re

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

pytestmark = pytest.mark.django_db

APPS = ("members", "meetings", "plans", "tasks", "documents")
WORD = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё-]*")


def typed_words() -> set[str]:
    """Every Cyrillic word of every text column of the project's rows: data, not UI."""
    words = set()
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        for row in model.objects.values_list(*names) if names else ():
            for value in row:
                words.update(w.lower() for w in WORD.findall(value or ""))
    return words


def page_words(content: str) -> set[str]:
    """The Cyrillic words a reader sees, but for two things that are Russian on purpose: the protocol
    itself (``<article class="protocol">``: the official document, the same as its PDF) and the
    document's own terms quoted in «…» beside their English names («Attendance («Присутствовали»)»)."""
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    content = re.sub(r'<article class="protocol".*?</article>', " ", content, flags=re.S)
    content = re.sub(r'<option[^>]*value="[^"]*"[^>]*>', " ", content)
    text = html.unescape(re.sub(r"<[^>]+>", " ", content))
    text = re.sub(r"«[^«»]*(?:«[^«»]*»[^«»]*)*»", " ", text)
    return {w.lower() for w in WORD.findall(text)}


def is_cut(word: str, data: list[str]) -> bool:
    """A typed word cut short by a list's excerpt («информацион…»): the start of a word of the data."""
    word = word.rstrip("-")
    i = bisect.bisect_left(data, word)
    return i < len(data) and data[i].startswith(word)


@pytest.fixture
def english(client_as):
    def make(role):
        client = client_as(role)
        with translation.override(translation.get_language()):
            client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        return client
    return make


def main_pages(demo):
    meeting = demo["meeting_2023"]
    assignment = meeting.agenda_items.order_by("order")[1].decisions.first().assignments.first()
    return ["/", "/meetings/", f"/meetings/{meeting.pk}/", "/tasks/", f"/tasks/{assignment.pk}/", "/tasks/report/",
            "/plans/", "/members/", "/meetings/new/", "/search/?q=кластер"]


@pytest.mark.parametrize("role", ["secretary", "member"])
def test_the_english_ui_shows_no_russian_but_typed_data(english, demo, role):
    client, data = english(role), sorted(typed_words())
    known = set(data)
    found = {}
    with translation.override(translation.get_language()):
        for url in main_pages(demo):
            response = client.get(url)
            if response.status_code == 403:  # not this role's page (the discipline report for a member)
                continue
            assert response.status_code == 200, url
            assert 'lang="en"' in response.content.decode()
            stray = {w for w in page_words(response.content.decode()) - known if not is_cut(w, data)}
            if stray:
                found[url] = sorted(stray)
    for url, words in found.items():
        print(url, " ".join(words))
    assert found == {}
