"""The protocol page and the PDF print the same protocol.

For every demo protocol and for generated ones (attendance under and over the limit, a head
count without a list, Roman numbering, full and short form), the text of the page's protocol
block (``<article id="protocol">`` without what only the screen shows, ``.d-print-none``) and
the PDF's text (``pdftotext -raw``, page numbers dropped) are the same once normalised:
whitespace and hyphens removed, because pdftotext keeps the hyphens WeasyPrint inserts at line
ends and drops some real ones there. Targeted checks then name what must be in both:
attendance (the names or the head count), decision numbers and texts, deadlines, responsible
parties.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from documents.rendering import render_protocol_pdf
from documents.tests.conftest import pdf_text
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceMode,
    ChairTitle,
    Decision,
    DeadlineFormat,
    DecisionKind,
    Meeting,
    MeetingStatus,
    Speaker,
    Vote,
    decision_numbers,
)
from meetings.protocol import responsible_display
from members.models import AddresseeCategory, AgendaNumbering, OrganizationKind

pytestmark = pytest.mark.django_db

FORMS = ["full", "short"]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _BlockText(HTMLParser):
    """The text inside the element with ``id``, leaving out elements marked ``d-print-none``."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id, self.stack, self.parts, self.found = element_id, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.stack and attrs.get("id") != self.element_id:
            return
        self.found = True
        if tag not in VOID:
            hidden = bool(self.stack and self.stack[-1]) or "d-print-none" in (attrs.get("class") or "").split()
            self.stack.append(hidden)
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.stack and tag not in VOID:
            self.stack.pop()
            self.parts.append(" ")

    def handle_data(self, data):
        if self.stack and not self.stack[-1]:
            self.parts.append(data)


def block_text(html: str, element_id: str = "protocol") -> str:
    parser = _BlockText(element_id)
    parser.feed(html)
    assert parser.found, f"no element #{element_id} on the page"
    return " ".join("".join(parser.parts).split())


def page_text(client, meeting, form: str) -> str:
    response = client.get(f"/meetings/{meeting.pk}/" + ("?form=short" if form == "short" else ""))
    assert response.status_code == 200
    return block_text(response.content.decode())


def pdf_protocol_text(data: bytes) -> str:
    """The PDF's text in content order, without the page numbers printed at the top of pages 2…"""
    pages = pdf_text(data, raw=True).split("\f")
    for number, page in enumerate(pages[1:], start=2):
        lines = page.splitlines()
        if str(number) in lines:
            lines.reverse()
            lines.remove(str(number))
            lines.reverse()
        pages[number - 1] = "\n".join(lines)
    return "\n".join(pages)


def norm(text: str) -> str:
    """No whitespace, no hyphens (soft, line-break or real: pdftotext keeps and drops them at line ends)."""
    return re.sub(r"[\s\u00ad\u2010\u2011-]", "", text)


def divergence(a: str, b: str) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at {at}: page …{a[max(0, at - 40):at + 40]}… / PDF …{b[max(0, at - 40):at + 40]}…"


# ---------------------------------------------------------------- what must be in both, from the database

def expected_fragments(meeting: Meeting, limit: int) -> list[str]:
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("person__organization"))
    total = meeting.attendance_total or len(rows)
    if meeting.attendance_limit is not None:
        limit = meeting.attendance_limit
    if rows and total <= limit and meeting.attendance_grouped:
        fragments = ["Присутствовали:"] + [
            f"от {row.organization_name}:" if row.organization_name else row.line for row in rows
        ] + [row.short_name for row in rows if row.organization_name]
    elif rows and total <= limit:
        fragments = ["Присутствовали:"] + [row.line for row in rows]
    elif total:
        note = meeting.attendance_note or ("(список прилагается)" if rows else "")
        fragments = [f"Присутствовали: {total} чел. {note}".strip()]
        online = meeting.attendance_online if meeting.attendance_online is not None else sum(
            1 for row in rows if row.mode == AttendanceMode.ONLINE)
        if online:
            fragments[0] += f", в том числе в режиме ВКС – {online} чел."
        fragments += [row.line for row in rows]  # the appendix
    else:
        fragments = []
    decisions = Decision.objects.filter(agenda_item__meeting=meeting).select_related("agenda_item__meeting__body") \
        .prefetch_related("agenda_item__decisions", "responsible_organizations", "responsible_people", "responsible_bodies")
    # The one numbering rule (a single decision of an item unnumbered, sub-points «2.1.», one block 1, 2, 3 …).
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("meeting__body").prefetch_related("decisions"))
    numbers = decision_numbers(meeting, items)
    for decision in decisions:
        number, printed = numbers[decision.pk]
        fragments.append((f"{number}. " if printed else "") + decision.text)
        if decision.has_deadline:
            fragments.append(f"Срок: {decision.deadline_display}")
        if responsible_display(decision):
            fragments.append(f"Ответственный: {responsible_display(decision)}")
    return fragments


def assert_agree(client, meeting, form, limit):
    page = page_text(client, meeting, form)
    pdf = pdf_protocol_text(render_protocol_pdf(meeting, form=form))
    missing = [f for f in expected_fragments(meeting, limit) if norm(f) not in norm(page) or norm(f) not in norm(pdf)]
    assert missing == [], f"{meeting} ({form}): not on both the page and the PDF"
    assert norm(page) == norm(pdf), f"{meeting} ({form}): the page and the PDF differ {divergence(norm(page), norm(pdf))}"
    return page, pdf


# ---------------------------------------------------------------- demo protocols

@pytest.mark.parametrize("form", FORMS)
def test_every_demo_protocol_reads_the_same_on_the_page_and_in_the_pdf(demo, client_as, settings, form):
    client = client_as("admin")
    meetings = list(Meeting.objects.select_related("body").order_by("pk"))
    assert len(meetings) >= 3  # 2017, 2023 and the other cluster's
    for meeting in meetings:
        assert_agree(client, meeting, form, meeting.body.attendance_list_limit or settings.PROTOCOL_ATTENDANCE_LIST_LIMIT)


def test_the_2017_protocol_over_a_lower_limit_prints_the_head_count_on_both(demo, client_as):
    meeting = demo["meeting_2017"]
    meeting.body.attendance_list_limit = 5
    meeting.body.save()
    page, pdf = assert_agree(client_as("admin"), meeting, "full", 5)
    assert "Присутствовали: 7 чел. (список прилагается)" in page


def test_the_stored_signed_pdf_carries_what_the_page_prints(demo, client_as):
    meeting = demo["meeting_2023"]
    response = client_as("member").get(reverse("documents:protocol-pdf", args=[meeting.pk]))
    assert response.status_code == 200 and meeting.documents.filter(is_complete=True).exists()
    stored = norm(pdf_protocol_text(b"".join(response.streaming_content)))
    page = page_text(client_as("member"), meeting, "full")
    missing = [f for f in expected_fragments(meeting, 15) if norm(f) not in stored or norm(f) not in norm(page)]
    assert missing == []


def test_the_2023_protocol_writes_its_dates_as_the_seed_on_the_page_and_in_both_pdfs(demo, client_as):
    """The seed writes «30 марта 2023 года» and «до 12 мая 2023 года»: the demo protocol is set so
    (``Meeting.date_form``), and the page, a rendered PDF and the stored signed PDF print it alike."""
    meeting = demo["meeting_2023"]
    assert meeting.dates_form == "full"
    client = client_as("member")
    response = client.get(reverse("documents:protocol-pdf", args=[meeting.pk]))
    texts = {"page": page_text(client, meeting, "full"),
             "pdf": pdf_protocol_text(render_protocol_pdf(meeting)),
             "signed pdf": pdf_protocol_text(b"".join(response.streaming_content))}
    for where, text in texts.items():
        assert norm("30 марта 2023 года") in norm(text), where
        assert norm("Срок: до 12 мая 2023 года") in norm(text), where
        assert "2023 г." not in text, where


def test_an_extract_prints_the_item_as_the_page_does(demo, client_as):
    meeting = demo["meeting_2023"]
    html = client_as("admin").get(f"/meetings/{meeting.pk}/").content.decode()
    for item in AgendaItem.objects.filter(meeting=meeting):
        section = block_text(html, f"item-{item.order}")
        extract = pdf_protocol_text(render_protocol_pdf(meeting, item=item))
        assert norm(section) in norm(extract), item
        others = [i for i in AgendaItem.objects.filter(meeting=meeting) if i.pk != item.pk]
        assert all(norm(block_text(html, f"item-{i.order}")) not in norm(extract) for i in others)


# ---------------------------------------------------------------- generated protocols

def make_meeting(demo, *, number, attendees, invited=0, online=0, total=None, online_total=None, note="",
                 roman=False, presiding=False, grouped=False, numbered=False, limit=None, date_form=""):
    """A protocol with every kind of line the protocol prints: attendees from the register and free
    text, invited and online, a discussion, single and several decisions, a counted and a unanimous
    vote, deadlines as a date, with a time and as a range, parties named and as categories."""
    people, orgs = list(demo["people"].values()), list(demo["orgs"].values())
    body = demo["council"]
    if roman:
        body.agenda_numbering = AgendaNumbering.ROMAN
        body.save()
    meeting = Meeting.objects.create(
        cluster=demo["cluster"], body=body, number=number, date=datetime.date(2026, 6, 10), city="г. Смоленск",
        place="конференц-зал ОГБПОУ СмолАПО", start_time=datetime.time(11), end_time=datetime.time(13, 30),
        chair=demo["people"]["rudometkin"], chair_title=ChairTitle.PRESIDING if presiding else ChairTitle.CHAIR,
        secretary=demo["people"]["kudryavtseva"], status=MeetingStatus.DRAFT,
        attendance_total=total, attendance_online=online_total, attendance_note=note,
        attendance_grouped=grouped, attendance_numbered=numbered, attendance_limit=limit, date_form=date_form,
    )
    for n in range(attendees):
        named = n < len(people)
        # Free-text rows keep a position and an organisation as said; two of them share one.
        Attendance.objects.create(
            meeting=meeting, person=people[n] if named else None,
            name_text="" if named else f"Представитель организации № {n}", invited=n < invited, order=n,
            position_text="" if named else "заместитель директора по учебной работе",
            organization_text="" if named else f"ФГБОУ ДПО «Институт развития № {n // 2}»",
            mode=AttendanceMode.ONLINE if n >= attendees - online else AttendanceMode.IN_PERSON,
        )
    first = AgendaItem.objects.create(meeting=meeting, order=1, title="О ходе подготовки кадров для ИТ-отрасли",
                                      discussion="Зарянкина О.М. о программах ДПО.\n\nКазаков А.В. о практике студентов.")
    Speaker.objects.create(agenda_item=first, order=1, person=people[0], summary="Доклад о ходе подготовки.")
    Speaker.objects.create(agenda_item=first, order=2, name_text="Представитель работодателей", position_text="гость")
    Decision.objects.create(agenda_item=first, order=1, text="Принять к сведению информацию.", kind=DecisionKind.NOTE,
                            vote=Vote.UNANIMOUS)
    counted = Decision.objects.create(
        agenda_item=first, order=2, text="Поручить подготовить предложения\nпо программе стажировок.",
        kind=DecisionKind.ASSIGN, vote=Vote.COUNTED, votes_for=12, votes_against=1, votes_abstained=2,
        deadline=datetime.date(2026, 7, 1), deadline_time=datetime.time(12),
    )
    counted.responsible_organizations.set(orgs[:2])
    counted.responsible_people.set([people[1]])
    counted.responsible_bodies.set([demo["working_group"]])
    second = AgendaItem.objects.create(meeting=meeting, order=2, title="О конкурсе «Учи IT»")
    Speaker.objects.create(agenda_item=second, order=1, person=people[2])
    Decision.objects.create(
        agenda_item=second, order=1, text="Рекомендовать провести конкурс.", kind=DecisionKind.RECOMMEND,
        deadline=datetime.date(2026, 12, 20), deadline_start=datetime.date(2026, 12, 19),
        responsible_kinds=[OrganizationKind.EDU_HIGHER, OrganizationKind.EDU_VOCATIONAL],
    )
    # Deadlines as typed: words, a numeric date as written, a numeric date printed from the date.
    third = AgendaItem.objects.create(meeting=meeting, order=3, title="О мониторинге трудоустройства")
    for order, (text, deadline, written) in enumerate([
        ("в установленные сроки", None, DeadlineFormat.WORDS),
        ("28.05.2027", datetime.date(2027, 5, 28), DeadlineFormat.NUMERIC),
        ("", datetime.date(2027, 6, 30), DeadlineFormat.NUMERIC),
        ("ежеквартально до 5 числа", None, DeadlineFormat.WORDS),
    ], start=1):
        Decision.objects.create(agenda_item=third, order=order, text=f"Поручить представить сведения {order}.",
                                kind=DecisionKind.ASSIGN, deadline=deadline, deadline_text=text,
                                deadline_format=written, responsible_text="руководителям ПОО" if order < 4 else "")
    # A named addressee category, printed as written beside a named party.
    category, _ = AddresseeCategory.objects.get_or_create(
        cluster=demo["cluster"], name="Инициаторам создания образовательно-производственных центров (кластеров)")
    category.organizations.set([demo["orgs"]["smolapo"]])
    last = Decision.objects.get(agenda_item=third, order=4)
    last.responsible_categories.set([category])
    last.responsible_organizations.set([demo["orgs"]["copp"]])
    return meeting


CASES = {
    "under the limit": dict(attendees=8, invited=2, online=2),
    "over the limit": dict(attendees=20, invited=3, online=4),
    "head count only": dict(attendees=0, total=30, online_total=5, note="(приложение)"),
    "roman numbering, presiding": dict(attendees=4, online=1, roman=True, presiding=True),
    "grouped by organisation, numbered": dict(attendees=30, invited=1, online=2, grouped=True,
                                              numbered=True, limit=40),
    "over the protocol's own limit": dict(attendees=6, online=1, limit=5),
    "dates written «года»": dict(attendees=6, online=1, limit=5, date_form="full"),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", list(CASES))
def test_generated_protocols_read_the_same_on_the_page_and_in_the_pdf(demo, client_as, settings, case, form):
    settings.PROTOCOL_ATTENDANCE_LIST_LIMIT = 15
    meeting = make_meeting(demo, number=f"9{list(CASES).index(case)}", **CASES[case])
    page, _ = assert_agree(client_as("secretary"), meeting, form, 15)
    assert ("ВЫСТУПИЛИ" in page) == (form == "full")
    assert all(f"Срок: {text}" in page for text in (
        "в установленные сроки", "28.05.2027", "до 30.06.2027", "ежеквартально до 5 числа"))
    assert "Ответственный: СОГАУ ДПО «ЦОПП», Инициаторам создания образовательно-производственных центров (кластеров)" \
        in page


def test_over_the_limit_the_page_prints_the_count_and_offers_the_list_as_the_appendix(demo, client_as, settings):
    settings.PROTOCOL_ATTENDANCE_LIST_LIMIT = 15
    meeting = make_meeting(demo, number="81", **CASES["over the limit"])
    html = client_as("secretary").get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Присутствовали: 20 чел. (список прилагается), в том числе в режиме ВКС – 4 чел." in block_text(html)
    appendix = block_text(html, "protocol-appendix")
    assert appendix.startswith("Приложение к протоколу № 81 от 10 июня 2026 г. СПИСОК ПРИСУТСТВОВАВШИХ")
    assert all(row.line in appendix for row in Attendance.objects.filter(meeting=meeting))


def test_under_the_limit_there_is_no_appendix(demo, client_as, settings):
    settings.PROTOCOL_ATTENDANCE_LIST_LIMIT = 15
    meeting = make_meeting(demo, number="82", **CASES["under the limit"])
    html = client_as("secretary").get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="protocol-appendix"' not in html
    assert "Приглашённые:" in block_text(html) and "В режиме ВКС:" in block_text(html)


def test_over_the_protocols_own_limit_the_pdf_ends_with_the_appendix_on_a_page_of_its_own(demo, client_as, settings):
    settings.PROTOCOL_ATTENDANCE_LIST_LIMIT = 15
    meeting = make_meeting(demo, number="83", attendees=8, online=1, limit=5)
    pages = [page for page in pdf_text(render_protocol_pdf(meeting)).split("\f") if page.strip()]
    appendix = norm(pages[-1]).removeprefix(str(len(pages)))  # the page number printed at the top
    assert appendix.startswith(norm("Приложение к протоколу № 83 от 10 июня 2026 г."))
    assert norm("СПИСОК ПРИСУТСТВОВАВШИХ") in appendix
    assert all(norm(row.line) in appendix for row in Attendance.objects.filter(meeting=meeting))
    assert norm("Присутствовали: 8 чел. (список прилагается), в том числе в режиме ВКС – 1 чел.") in norm(pages[0])


@pytest.mark.parametrize("date_form, suffix", [("", "г."), ("full", "года")])
def test_the_date_form_is_the_same_in_the_heading_deadlines_and_appendix_on_the_page_and_in_the_pdf(
        demo, client_as, date_form, suffix):
    meeting = make_meeting(demo, number="84", attendees=6, online=1, limit=5, date_form=date_form)
    page, pdf = assert_agree(client_as("secretary"), meeting, "full", 5)
    other = "года" if suffix == "г." else "г."
    for where, text in (("page", page), ("pdf", pdf)):
        text = norm(text)
        for fragment in (f"10 июня 2026 {suffix}", f"Срок: до 12:00 (мск) 1 июля 2026 {suffix}",
                         f"Срок: с 19 по 20 декабря 2026 {suffix}", f"Приложение к протоколу № 84 от 10 июня 2026 {suffix}"):
            assert norm(fragment) in text, (where, fragment)
        assert norm(f"2026 {other}") not in text, where
        assert norm("Срок: до 30.06.2027") in text, where  # a numeric deadline has no ending

