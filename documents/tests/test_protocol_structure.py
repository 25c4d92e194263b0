"""Protocols as they are written (issue 12 «Structure»): sub-points, one «РЕШИЛИ» block after all items,
the «Заслушав выступление …, РЕШИЛИ:» style, numbering off, typed paragraphs and lists — each printed
the same on the page and in the PDF; «РЕШИЛИ:» and headings never end a PDF page."""

import datetime
import re
import subprocess

import pytest

from documents.rendering import render_protocol_pdf
from documents.tests.conftest import pdf_text
from documents.tests.test_page_pdf_agreement import assert_agree, block_text, norm, page_text, pdf_protocol_text
from meetings.models import (
    AgendaItem, Assignment, Decision, DecisionKind, Meeting, MeetingStatus, Speaker, decision_numbers,
)
from meetings.protocol import build_protocol, protocol_queryset
from members.models import AgendaNumbering, DecisionNumbering, ProtocolLayout

pytestmark = pytest.mark.django_db

NARRATIVE = ("О ходе подготовки кадров докладчик сообщил следующее.\n"
             "Подготовка ведётся по трём направлениям:\n"
             "- программы ДПО;\n"
             "- стажировки на предприятиях;\n"
             "1) конкурсы.\n\n"
             "Второй абзац рассказа.")


def structured(demo, *, layout="", numbering="", roman=False, number="71"):
    """Three items: two decisions, the second with two sub-points (own deadlines and parties); a single
    decision; one decision «Инициаторам …:» with two sub-points. Typed paragraphs and lists, a speaker
    summary that already ends in a period, the phrase before «РЕШИЛИ»."""
    people, orgs = demo["people"], list(demo["orgs"].values())
    body = demo["working_group"]
    body.agenda_numbering = AgendaNumbering.ROMAN if roman else AgendaNumbering.ARABIC
    body.save()
    meeting = Meeting.objects.create(
        cluster=demo["cluster"], body=body, number=number, date=datetime.date(2026, 6, 10), city="г. Смоленск",
        chair=people["rudometkin"], secretary=people["kudryavtseva"], status=MeetingStatus.DRAFT,
        protocol_layout=layout, decision_numbering=numbering,
    )
    first = AgendaItem.objects.create(meeting=meeting, order=1, title="О подготовке кадров для ИТ-отрасли",
                                      heard=NARRATIVE, discussion="Казаков А.В.:\n- о практике;\n- о наставниках.",
                                      decision_intro="Заслушав выступление А.Н. Рудометкина")
    Speaker.objects.create(agenda_item=first, order=1, person=people["rudometkin"], summary="Доклад о кадрах.")
    Decision.objects.create(agenda_item=first, order=1, text="Принять к сведению информацию.")
    parent = Decision.objects.create(agenda_item=first, order=2, kind=DecisionKind.ASSIGN,
                                     text="Участникам кластера:\n- подготовить предложения;\n- направить их секретарю.")
    sub1 = Decision.objects.create(agenda_item=first, order=3, parent=parent, kind=DecisionKind.ASSIGN,
                                   text="СОГАУ ДПО «ЦОПП» обобщить предложения.", deadline=datetime.date(2026, 7, 1))
    sub1.responsible_organizations.set(orgs[:1])
    sub2 = Decision.objects.create(agenda_item=first, order=4, parent=parent, kind=DecisionKind.ASSIGN,
                                   text="Секретарю направить обобщённые предложения.",
                                   deadline=datetime.date(2026, 8, 1), responsible_text="Секретарь совета")
    second = AgendaItem.objects.create(meeting=meeting, order=2, title="О конкурсе «Учи IT»")
    Speaker.objects.create(agenda_item=second, order=1, person=people["zaryankina"])
    Decision.objects.create(agenda_item=second, order=1, text="Рекомендовать провести конкурс.")
    third = AgendaItem.objects.create(meeting=meeting, order=3, title="О создании центров")
    Speaker.objects.create(agenda_item=third, order=1, name_text="И.И. Иванов", position_text="гость")
    initiators = Decision.objects.create(agenda_item=third, order=1, kind=DecisionKind.ASSIGN,
                                         text="Инициаторам создания центров, созданных в 2023 году:")
    Decision.objects.create(agenda_item=third, order=2, parent=initiators, text="Представить отчёты.",
                            deadline=datetime.date(2026, 9, 1), responsible_text="Инициаторам")
    Decision.objects.create(agenda_item=third, order=3, parent=initiators, text="Обеспечить мониторинг.",
                            deadline=datetime.date(2026, 10, 1), responsible_text="Инициаторам")
    return meeting


def page_numbers(client, meeting) -> list[str]:
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    return re.findall(r'<span class="decision-number">([^<]*)</span>', block_html(html))


def block_html(html: str) -> str:
    return html[html.index('<article class="protocol"'):html.index("</article>")]


TEXTS = ["Принять к сведению информацию.", "Участникам кластера:", "СОГАУ ДПО «ЦОПП» обобщить предложения.",
         "Секретарю направить обобщённые предложения.", "Рекомендовать провести конкурс.",
         "Инициаторам создания центров, созданных в 2023 году:", "Представить отчёты.", "Обеспечить мониторинг."]

LAYOUTS = {
    # layout, roman, numbering → the printed numbers of TEXTS, in order («» for none)
    "per item": (ProtocolLayout.PER_ITEM, False, "", ["1.1.", "1.2.", "1.2.1.", "1.2.2.", "", "", "3.1.", "3.2."]),
    "heard, roman": (ProtocolLayout.HEARD, True, "", ["I.1.", "I.2.", "I.2.1.", "I.2.2.", "", "", "III.1.", "III.2."]),
    "one block": (ProtocolLayout.SINGLE_BLOCK, False, "", ["1.", "2.", "2.1.", "2.2.", "3.", "4.", "4.1.", "4.2."]),
    "questions, restarting": (ProtocolLayout.QUESTION, False, DecisionNumbering.PER_ITEM,
                              ["1.", "2.", "2.1.", "2.2.", "", "", "1.1.", "1.2."]),
    "one block, restarting": (ProtocolLayout.SINGLE_BLOCK, False, DecisionNumbering.PER_ITEM,
                              ["1.", "2.", "2.1.", "2.2.", "3.", "4.", "4.1.", "4.2."]),
    "numbering off": (ProtocolLayout.PER_ITEM, False, DecisionNumbering.NONE, [""] * 8),
}


@pytest.mark.parametrize("form", ["full", "short"])
@pytest.mark.parametrize("case", list(LAYOUTS))
def test_each_layout_numbers_decisions_and_sub_points_the_same_on_the_page_and_in_the_pdf(demo, client_as, case, form):
    layout, roman, numbering, numbers = LAYOUTS[case]
    meeting = structured(demo, layout=layout, roman=roman, numbering=numbering)
    client = client_as("secretary")
    page, pdf = assert_agree(client, meeting, form, 15)
    assert ("ВЫСТУПИЛИ" in page) == (form == "full") and ("Второй абзац рассказа." in page) == (form == "full")
    assert page_numbers(client, meeting) == [n for n in numbers if n]
    for number, text in zip(numbers, TEXTS):
        line = f"{number} {text}".strip()
        assert norm(line) in norm(page) and norm(line) in norm(pdf), line
    assert "Срок: до 1 июля 2026 г." in page and "Ответственный: Секретарь совета" in page
    assert ".." not in page and ",." not in page and ". ." not in page
    question = layout == ProtocolLayout.QUESTION
    for text in (page, pdf):
        assert ("Вопрос №1: О подготовке кадров для ИТ-отрасли" in text) == question
        assert ("РЕШЕНИЕ:" in text) == question and ("РЕШИЛИ:" in text) != question


def test_sub_points_are_cited_by_their_numbers_in_lists(demo):
    meeting = structured(demo, roman=True)
    subs = Decision.objects.filter(agenda_item__meeting=meeting, parent__isnull=False).order_by("agenda_item__order", "order")
    assert [d.number for d in subs] == ["I.2.1", "I.2.2", "III.1", "III.2"]
    meeting.protocol_layout = ProtocolLayout.SINGLE_BLOCK
    meeting.save()
    subs = Decision.objects.filter(agenda_item__meeting=meeting).select_related("agenda_item__meeting__body") \
        .order_by("agenda_item__order", "order")
    assert [d.number for d in subs] == ["1", "2", "2.1", "2.2", "3", "4", "4.1", "4.2"]


def test_a_single_decision_is_unnumbered_on_the_page_and_in_the_pdf_alike(demo, client_as):
    meeting = structured(demo)
    client = client_as("secretary")
    page, pdf = assert_agree(client, meeting, "short", 15)
    for text in ("Рекомендовать провести конкурс.", "Инициаторам создания центров, созданных в 2023 году:"):
        assert not re.search(r"\d\.\s*" + re.escape(norm(text)), norm(pdf))
        assert not re.search(r"\d\.\s*" + re.escape(norm(text)), norm(page))


def test_one_block_prints_one_decided_after_all_items(demo, client_as):
    meeting = structured(demo, layout=ProtocolLayout.SINGLE_BLOCK)
    client = client_as("secretary")
    page, pdf = assert_agree(client, meeting, "full", 15)
    for text in (page, pdf_text(render_protocol_pdf(meeting))):
        assert text.count("РЕШИЛИ:") == 1
        assert text.index("О создании центров") < text.index("РЕШИЛИ:") < text.index("Принять к сведению информацию.")
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "РЕШИЛИ" not in block_text(html, "item-1") and "1. Принять к сведению" in block_text(html, "decided")


def test_the_extract_of_an_item_in_one_block_keeps_the_protocols_numbers(demo):
    meeting = structured(demo, layout=ProtocolLayout.SINGLE_BLOCK)
    item = AgendaItem.objects.get(meeting=meeting, order=3)
    extract = norm(pdf_protocol_text(render_protocol_pdf(meeting, item=item)))
    assert norm("4. Инициаторам создания центров") in extract and norm("4.1. Представить отчёты.") in extract
    assert norm("Принять к сведению информацию.") not in extract


def test_heard_style_prints_the_speaker_in_brackets_and_the_phrase_before_decided(demo, client_as):
    meeting = structured(demo, layout=ProtocolLayout.HEARD, roman=True)
    page, pdf = assert_agree(client_as("secretary"), meeting, "full", 15)
    for text in (page, pdf):
        assert "СЛУШАЛИ" not in text
        assert norm("I. О подготовке кадров для ИТ-отрасли (А.Н. Рудометкин)") in norm(text)
        assert norm("Заслушав выступление А.Н. Рудометкина, РЕШИЛИ: I.1. Принять к сведению") in norm(text)
        assert norm("III. О создании центров (И.И. Иванов) РЕШИЛИ:") in norm(text)


def test_typed_paragraphs_and_lists_are_lines_of_their_own_on_the_page_and_in_the_pdf(demo, client_as):
    meeting = structured(demo)
    html = client_as("secretary").get(f"/meetings/{meeting.pk}/").content.decode()
    assert '<p class="typed typed-li">- стажировки на предприятиях;</p>' in html
    assert '<p class="typed">О ходе подготовки кадров докладчик сообщил следующее.<br>Подготовка ведётся' in html
    assert '<p class="typed typed-li">- направить их секретарю.</p>' in html
    lines = [line.strip() for line in pdf_text(render_protocol_pdf(meeting)).splitlines()]
    for line in ("- программы ДПО;", "- стажировки на предприятиях;", "1) конкурсы.", "- о практике;",
                 "- подготовить предложения;", "Второй абзац рассказа."):
        assert line in lines, line
    # The speaker's summary ended in a period: no second one.
    assert "– Доклад о кадрах." in html and "Доклад о кадрах.." not in html


def test_numbering_off_on_the_body_and_on_again_for_one_protocol(demo, client_as):
    body = demo["working_group"]
    body.decision_numbering = DecisionNumbering.NONE
    body.save()
    meeting = structured(demo)
    client = client_as("secretary")
    assert page_numbers(client, meeting) == []
    Meeting.objects.filter(pk=meeting.pk).update(decision_numbering=DecisionNumbering.HIERARCHICAL)
    assert page_numbers(client, meeting) == ["1.1.", "1.2.", "1.2.1.", "1.2.2.", "3.1.", "3.2."]


def test_the_builder_costs_no_query(demo, django_assert_num_queries):
    meeting = structured(demo, layout=ProtocolLayout.SINGLE_BLOCK)
    loaded = protocol_queryset().get(pk=meeting.pk)
    with django_assert_num_queries(0):
        protocol = build_protocol(loaded)
        numbers = decision_numbers(loaded, list(loaded.agenda_items.all()))
    assert [d.number for d in protocol.decisions][:3] == ["1.", "2.", "2.1."] and len(numbers) == 8


# ---------------------------------------------------------------- keep-with-next

LABELS = ("РЕШИЛИ:", "СЛУШАЛИ:", "ВЫСТУПИЛИ:")


def long_protocol(demo, layout=""):
    """Forty items of varying length, so that headings and labels fall near page ends at many places."""
    people = list(demo["people"].values())
    meeting = Meeting.objects.create(cluster=demo["cluster"], body=demo["working_group"], number="72",
                                     date=datetime.date(2026, 6, 10), chair=people[0], secretary=people[1],
                                     protocol_layout=layout)
    for n in range(1, 41):
        item = AgendaItem.objects.create(meeting=meeting, order=n, title=f"Вопрос повестки {n}",
                                         discussion=" ".join(["Обсуждение вопроса повестки."] * (n % 7 + 1)))
        Speaker.objects.create(agenda_item=item, order=1, person=people[n % len(people)],
                               summary=" ".join(["Доклад о ходе работы."] * (n % 5)))
        for k in range(1, n % 3 + 2):
            Decision.objects.create(agenda_item=item, order=k, text=" ".join([f"Решение {n}.{k}."] * (n % 4 * 6 + 1)))
    return meeting


def page_ends(data: bytes):
    """For each page but the last: its last line of text, how far (pt) that line ends above the page's bottom,
    whether «РЕШИЛИ» is on the page."""
    html = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
    ends = []
    for page in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', html, re.S)[:-1]:
        height, body = float(page[0]), page[1]
        lines = re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', body, re.S)
        y_max, words = max(lines, key=lambda line: float(line[0]))
        text = " ".join(re.findall(r">([^<]+)</word>", words))
        ends.append((text, height - float(y_max), "РЕШИЛИ" in body))
    return ends


@pytest.mark.parametrize("layout", [ProtocolLayout.PER_ITEM, ProtocolLayout.HEARD])
def test_decided_and_item_headings_never_end_a_pdf_page_and_pages_stay_full(demo, layout):
    meeting = long_protocol(demo, layout)
    ends = page_ends(render_protocol_pdf(meeting))
    assert len(ends) >= 8
    # From the first page with decisions on (before it the agenda lists the same headings).
    first = next(n for n, (_, _, decided) in enumerate(ends) if decided)
    for n, (text, gap, _) in enumerate(ends[first:], start=first):
        assert not text.endswith(LABELS) and not re.fullmatch(r"\d+\. Вопрос повестки \d+", text), text
        assert not text.startswith("(") or not text.endswith(")"), text  # the speaker in brackets
        # 20 mm bottom margin (57 pt), then at most what is kept together — the item's spacing (12 pt), its
        # heading, a label and two lines of what follows (17 pt a line) — carried to the next page.
        # (Not before the last page: the signatures take the last lines of text along, an older rule.)
        assert gap < 57 + 12 + 5 * 17 or n == len(ends) - 1, (text, gap)


# ---------------------------------------------------------------- the 2017 seed: «Вопрос №1:», «РЕШЕНИЕ:», 1. 2. 3.

SEED_2017_FIRST_WORDS = ["Принять к сведению доклад начальника", "Учредить на территории", "Подписать Соглашение",
                         "Утвердить президиум", "Направить Губернатору", "Участникам Координационного совета",
                         "ОГБПОУ СмолАПО разработать", "ОГБПОУ СмолАПО направить"]


@pytest.mark.parametrize("form", ["full", "short"])
def test_the_2017_protocol_prints_as_the_seed_on_the_page_and_in_the_pdf(demo, client_as, form):
    meeting = demo["meeting_2017"]
    page, pdf = assert_agree(client_as("admin"), meeting, form, 15)
    for text in (page, pdf):
        assert "Вопрос №1: О кластерной модели развития" in text and "Вопрос №3: Об утверждении плана" in text
        assert text.count("РЕШЕНИЕ:") == 3 and "РЕШИЛИ" not in text
        # Decisions 1.–8. restart under item 1 (the seed's second «4.» is its typo: printed as 5.).
        for n, words in enumerate(SEED_2017_FIRST_WORDS, start=1):
            assert norm(f"{n}. {words}") in norm(text), (n, words)
        # The single decisions of items 2 and 3 print without a number.
        assert norm("РЕШЕНИЕ: Принять к сведению доклад Кудрявцевой") in norm(text)
        assert norm("РЕШЕНИЕ: Утвердить план работы") in norm(text)
    assert page_numbers(client_as("admin"), meeting) == [f"{n}." for n in range(1, 9)]


def test_the_2017_decisions_are_cited_by_the_seeds_numbers(demo):
    decisions = Decision.objects.filter(agenda_item__meeting=demo["meeting_2017"]) \
        .select_related("agenda_item__meeting__body").prefetch_related("agenda_item__decisions") \
        .order_by("agenda_item__order", "order")
    assert [d.number for d in decisions] == ["1", "2", "3", "4", "5", "6", "7", "8", "1", "1"]


# ---------------------------------------------------------------- a decision of the one block that answers no item

def test_a_decision_answering_no_item_prints_in_the_block_and_not_in_the_items_extract(demo, client_as):
    meeting = structured(demo, layout=ProtocolLayout.SINGLE_BLOCK)
    third = AgendaItem.objects.get(meeting=meeting, order=3)
    general = Decision.objects.create(agenda_item=third, order=4, answers_item=False, kind=DecisionKind.ASSIGN,
                                      text="Следующее заседание провести в мае 2027 г.",
                                      deadline=datetime.date(2027, 5, 31), responsible_text="Секретарь совета")
    client = client_as("secretary")
    for form in ("full", "short"):
        page, pdf = assert_agree(client, meeting, form, 15)
        for text in (page, pdf):
            assert norm("5. Следующее заседание провести в мае 2027 г.") in norm(text)
    loaded = protocol_queryset().get(pk=meeting.pk)
    item = next(i for i in loaded.agenda_items.all() if i.order == 3)
    extract = build_protocol(loaded, item=item)
    assert [d.number for d in extract.decisions] == ["4.", "4.1.", "4.2."]
    pdf = pdf_protocol_text(render_protocol_pdf(meeting, item=third))
    assert "Обеспечить мониторинг." in pdf and "Следующее заседание" not in pdf
    Assignment.objects.create(decision=general, body=demo["council"], deadline=general.deadline)
    task = client.get(f"/tasks/{general.assignments.get().pk}/").content.decode()
    assert "Следующее заседание провести" in task and "О создании центров" not in task
    tied = Decision.objects.get(agenda_item=third, order=2)
    Assignment.objects.create(decision=tied, body=demo["council"], deadline=tied.deadline)
    assert "О создании центров" in client.get(f"/tasks/{tied.assignments.get().pk}/").content.decode()
