import gc
import subprocess

import pytest

from meetings.models import signed_protocol_unlocked

from documents.rendering import load_protocol, protocol_html, render_html, render_protocol, render_protocol_pdf
from meetings.protocol import protocol_queryset, responsible_display
from documents.tests.conftest import pdf_fonts, pdf_text, squash
from meetings.models import Decision
from members.models import AgendaNumbering

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_2023(meeting_2023):
    return render_protocol_pdf(meeting_2023)


def test_pdf_prints_every_decision_deadline_and_responsible_party(meeting_2023, pdf_2023):
    text = squash(pdf_text(pdf_2023))
    decisions = Decision.objects.filter(agenda_item__meeting=meeting_2023).prefetch_related(
        "responsible_organizations", "responsible_people", "responsible_bodies")
    missing = [d.pk for d in decisions if squash(d.text) not in text
               or squash(d.deadline_display) not in text or squash(responsible_display(d)) not in text]
    assert missing == []


def test_pdf_has_the_protocol_requisites(pdf_2023):
    text = pdf_text(pdf_2023)
    assert "№2" in text.replace(" ", "")
    for needle in ("ПРОТОКОЛ", "30 марта 2023 года", "г. Смоленск", "Председательствующий", "Секретарь",
                   "ПОВЕСТКА ДНЯ", "СЛУШАЛИ", "РЕШИЛИ", "1.1.", "Срок: до 12 мая 2023 года", "Т.В. Кудрявцева"):
        assert needle in text, needle


def test_only_the_shipped_liberation_serif_is_embedded(pdf_2023, tmp_path):
    fonts = pdf_fonts(pdf_2023, tmp_path)
    assert fonts and all("Liberation-Serif" in name for name in fonts)


def test_page_numbers_start_on_page_two(pdf_2023):
    assert pdf_text(pdf_2023, first=1, last=1).split()[0] != "1"
    assert pdf_text(pdf_2023, first=2, last=2).split()[0] == "2"


def test_short_form_leaves_out_the_discussion(meeting_2023):
    item = meeting_2023.agenda_items.get(order=2)
    item.discussion = "Обсуждение конкурса Учи IT продолжалось долго"
    with signed_protocol_unlocked():  # rendering a changed copy, not a stored document
        item.save()
    assert "продолжалось долго" in pdf_text(render_protocol_pdf(meeting_2023, form="full"))
    assert "продолжалось долго" not in pdf_text(render_protocol_pdf(meeting_2023, form="short"))


def test_attendance_above_the_limit_goes_to_an_appendix(meeting_2017):
    body = meeting_2017.body
    body.attendance_list_limit = 5
    body.save()
    text = pdf_text(render_protocol_pdf(meeting_2017))
    assert "Присутствовали: 7 чел. (список прилагается)" in text
    assert "СПИСОК ПРИСУТСТВОВАВШИХ" in text


def test_attendance_within_the_limit_is_listed_by_name(meeting_2017):
    text = pdf_text(render_protocol_pdf(meeting_2017))
    assert "Шаронов Геннадий Петрович" in text
    assert "СПИСОК ПРИСУТСТВОВАВШИХ" not in text


def test_roman_agenda_numbering_is_a_setting_of_the_body(meeting_2017):
    body = meeting_2017.body
    body.agenda_numbering = AgendaNumbering.ROMAN
    body.save()
    assert "II. О ключевых" in pdf_text(render_protocol_pdf(meeting_2017))


def test_draft_carries_the_project_watermark(meeting_2017):
    # The rotated watermark reads as one word only in poppler's raw (content-stream) order.
    assert "ПРОЕКТ" in pdf_text(render_protocol_pdf(meeting_2017, watermark=True), raw=True)
    assert "ПРОЕКТ" not in pdf_text(render_protocol_pdf(meeting_2017), raw=True)


def test_extract_prints_one_item_only(meeting_2023):
    item = meeting_2023.agenda_items.get(order=2)
    text = pdf_text(render_protocol_pdf(meeting_2023, item=item))
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in text
    assert "Учи IT" in text and "3.1." not in text


def test_signature_areas_are_located_on_the_last_page(meeting_2023):
    rendered = render_protocol(protocol_queryset().get(pk=meeting_2023.pk))
    pages = {page for page, _ in rendered.signature_boxes.values()}
    assert set(rendered.signature_boxes) == {"chair", "secretary"} and pages == {rendered.page_count - 1}


def test_verification_link_is_printed(meeting_2023):
    text = pdf_text(render_protocol_pdf(meeting_2023, verify_url="http://portal.example/verify/abc/"))
    assert "http://portal.example/verify/abc/" in text


# ---------------------------------------------------------------- what only makes the render cheaper

def _page_images(pdf: bytes, tmp_path, name: str) -> list[bytes]:
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", f"{name}.pdf", name], cwd=tmp_path, check=True)
    return [path.read_bytes() for path in sorted(tmp_path.glob(f"{name}-*.png"))]


@pytest.mark.parametrize("case", ["archival 2023", "short draft 2017 with appendix"])
def test_the_trimmed_user_agent_stylesheet_lays_out_the_very_same_pages(meeting_2023, meeting_2017, tmp_path,
                                                                        monkeypatch, case):
    from weasyprint import HTML
    from weasyprint.html import UA

    from documents import rendering

    if case == "archival 2023":
        html, archival = protocol_html(load_protocol(meeting_2023.pk), verify_url="http://portal.example/verify/abc/"), True
    else:
        html, archival = protocol_html(load_protocol(meeting_2017.pk), form="short", watermark=True), False
    trimmed = rendering.render_html(html, archival=archival)
    # The trim still finds what it removes (a WeasyPrint upgrade that renames the rules fails here, not silently).
    assert len(rendering._UA_UNUSED_PSEUDO.findall(UA)) == 5 and "\n::marker {" in UA
    monkeypatch.setattr(rendering, "_protocol_html_class", lambda: HTML)
    stock = rendering.render_html(html, archival=archival)
    assert (trimmed.page_count, trimmed.signature_boxes) == (stock.page_count, stock.signature_boxes)
    stock_pages = _page_images(stock.pdf, tmp_path, "stock")
    assert len(stock_pages) == stock.page_count and _page_images(trimmed.pdf, tmp_path, "trimmed") == stock_pages


def test_a_render_leaves_the_cyclic_garbage_collector_as_it_found_it(meeting_2023):
    html = protocol_html(load_protocol(meeting_2023.pk))
    assert gc.isenabled()
    render_html(html, archival=False)
    assert gc.isenabled()
    gc.disable()
    try:
        render_html(html, archival=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
