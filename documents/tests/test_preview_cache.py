"""Unsigned renders (previews) come from a cache keyed on their HTML and the CSS version
(``documents.rendering.preview_key``): a second download of an unchanged protocol is not laid out again,
and any change to what the protocol prints, or to the CSS, makes a new render. Signed (archival)
renders are never cached."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from documents import rendering
from documents.tests.conftest import pdf_text
from meetings.models import MeetingStatus, signed_protocol_unlocked

pytestmark = pytest.mark.django_db


@pytest.fixture
def layouts(monkeypatch):
    """The HTML strings WeasyPrint laid out (each fresh render)."""
    done = []
    real = rendering.render_html

    def counting(html, *, archival):
        done.append(html)
        return real(html, archival=archival)

    monkeypatch.setattr(rendering, "render_html", counting)
    caches[rendering.PREVIEW_CACHE].clear()
    return done


def preview(client, meeting, query=""):
    response = client.get(reverse("documents:protocol-pdf", args=[meeting.pk]) + query)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_an_unchanged_protocol_is_laid_out_once(client_as, meeting_2017, layouts):
    secretary = client_as("secretary")
    first = preview(secretary, meeting_2017)
    assert preview(secretary, meeting_2017) == first
    assert len(layouts) == 1


def test_a_changed_protocol_is_rendered_again_and_shows_the_change(client_as, meeting_2017, layouts):
    secretary = client_as("secretary")
    preview(secretary, meeting_2017)
    item = meeting_2017.agenda_items.order_by("order").first()
    item.title = "Совершенно новая формулировка вопроса повестки"
    with signed_protocol_unlocked():
        item.save()
    assert "Совершенно новая формулировка" in pdf_text(preview(secretary, meeting_2017))
    assert len(layouts) == 2


def test_forms_extracts_and_watermarks_are_cached_apart(client_as, meeting_2017, layouts):
    item = meeting_2017.agenda_items.order_by("order").first()
    item.discussion = "Обсуждение, которое печатает только полная форма"
    with signed_protocol_unlocked():
        item.save()
    secretary = client_as("secretary")
    full, short = preview(secretary, meeting_2017), preview(secretary, meeting_2017, "?form=short")
    assert full != short and len(layouts) == 2
    meeting_2017.status = MeetingStatus.DRAFT  # the same protocol as a draft carries «ПРОЕКТ»
    with signed_protocol_unlocked():
        meeting_2017.save(update_fields=["status"])
    preview(secretary, meeting_2017)
    assert len(layouts) == 3 and "ПРОЕКТ" in layouts[-1]  # laid out again, with the watermark


def test_another_protocol_never_gets_this_ones_render(client_as, meeting_2017, meeting_2023, layouts):
    secretary = client_as("secretary")
    older = pdf_text(preview(secretary, meeting_2017, "?form=short"))
    newer = pdf_text(preview(secretary, meeting_2023, "?form=short"))
    assert older != newer and len(layouts) == 2


def test_a_new_css_version_renders_again(client_as, meeting_2017, layouts, monkeypatch):
    secretary = client_as("secretary")
    preview(secretary, meeting_2017)
    monkeypatch.setattr(rendering, "css_version", lambda: "another-stylesheet")
    preview(secretary, meeting_2017)
    assert len(layouts) == 2


def test_archival_renders_are_never_cached(meeting_2017, layouts):
    meeting = rendering.protocol_queryset().get(pk=meeting_2017.pk)
    rendering.render_protocol(meeting, archival=True)
    rendering.render_protocol(meeting, archival=True)
    assert len(layouts) == 2
