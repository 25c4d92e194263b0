"""The editor enters protocols of every structure: sub-points, the layout and numbering of the protocol,
the «СЛУШАЛИ» narrative and the phrase before «РЕШИЛИ»; the body's settings do not switch by accident."""

import re

import pytest

from meetings.models import AgendaItem, Decision, Meeting
from meetings.tests.conftest import editor_post, meeting_fields
from meetings.tests.test_editor import _form_data
from members.models import Body, BodyKind, ProtocolLayout

pytestmark = pytest.mark.django_db

INITIATORS = [
    {"title": "О создании центров.", "heard": "Докладчик сообщил:\n- первое;\n- второе.",
     "decision_intro": "Заслушав выступление А.Н. Рудометкина",
     "decisions": [
         {"text": "Принять к сведению."},
         {"text": "Инициаторам создания центров:", "kind": "assign"},
         {"text": "Представить отчёты.", "subpoint": "on", "deadline": "2026-12-20", "responsible_text": "Инициаторам"},
         {"text": "Обеспечить мониторинг.", "subpoint": "on", "deadline": "2026-12-25"},
     ]},
    {"title": "Разное.", "decisions": [{"text": "Одобрить.", "kind": "approve"}]},
]


def post(client, demo, items=INITIATORS, **meeting):
    return client.post("/meetings/new/", editor_post(meeting=meeting_fields(demo, **meeting), items=items))


def saved(number="5"):
    meeting = Meeting.objects.select_related("body").get(number=number, year=2026)
    decisions = Decision.objects.filter(agenda_item__meeting=meeting).select_related("agenda_item__meeting__body") \
        .prefetch_related("agenda_item__decisions").order_by("agenda_item__order", "order")
    return meeting, list(decisions)


def test_sub_points_are_entered_under_the_decision_above_with_their_own_deadlines(client_as, demo):
    assert post(client_as("secretary"), demo).status_code == 302
    meeting, decisions = saved()
    assert [d.number for d in decisions] == ["1.1", "1.2", "1.2.1", "1.2.2", "2"]
    parent = decisions[1]
    assert [d.parent_id for d in decisions] == [None, None, parent.pk, parent.pk, None]
    assert [str(d.deadline) for d in decisions[2:4]] == ["2026-12-20", "2026-12-25"]
    item = AgendaItem.objects.get(meeting=meeting, order=1)
    assert (item.heard, item.decision_intro) == ("Докладчик сообщил:\n- первое;\n- второе.", "Заслушав выступление А.Н. Рудометкина")


def test_the_editor_shows_sub_points_again_and_saving_unchanged_keeps_them(client_as, demo):
    client = client_as("secretary")
    post(client, demo)
    meeting, before = saved()
    page = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert "Добавить подпункт" in page and "Подпункт решения выше" in page
    assert client.post(f"/meetings/{meeting.pk}/edit/", _form_data(page)).status_code == 302
    _, after = saved()
    assert [(d.pk, d.parent_id, d.number) for d in after] == [(d.pk, d.parent_id, d.number) for d in before]


def test_a_sub_point_made_a_decision_again_loses_its_parent(client_as, demo):
    client = client_as("secretary")
    post(client, demo)
    meeting, _ = saved()
    data = _form_data(client.get(f"/meetings/{meeting.pk}/edit/").content.decode())
    data.pop("items-0-dec-3-subpoint")
    assert client.post(f"/meetings/{meeting.pk}/edit/", data).status_code == 302
    assert [d.number for d in saved()[1]] == ["1.1", "1.2", "1.2.1", "1.3", "2"]


def test_the_first_decision_of_an_item_cannot_be_a_sub_point_and_nothing_is_saved(client_as, demo):
    items = [{"title": "Вопрос.", "decisions": [{"text": "Подпункт без решения.", "subpoint": "on"}]}]
    response = post(client_as("secretary"), demo, items=items)
    assert response.status_code == 200
    assert "Первое решение вопроса не может быть подпунктом" in response.content.decode()
    assert not Meeting.objects.filter(number="5", year=2026).exists()


def test_layout_and_numbering_are_set_per_protocol(client_as, demo):
    response = post(client_as("secretary"), demo, protocol_layout=ProtocolLayout.SINGLE_BLOCK, decision_numbering="none")
    assert response.status_code == 302
    meeting, decisions = saved()
    assert (meeting.protocol_layout, meeting.decision_numbering, meeting.layout) == ("single_block", "none", "single_block")
    assert [d.number for d in decisions] == ["1", "2", "2.1", "2.2", "3"]
    page = client_as("secretary").get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'class="decision-number"' not in page and page.count("РЕШИЛИ:") == 1


def test_empty_layout_and_numbering_follow_the_body(client_as, demo):
    post(client_as("secretary"), demo, protocol_layout="", decision_numbering="")
    meeting, _ = saved()
    assert (meeting.protocol_layout, meeting.decision_numbering) == ("", "")
    assert (meeting.layout, meeting.numbers_decisions) == ("per_item", True)
    edit = client_as("secretary").get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert "Как задано для органа" in edit and "Один блок «РЕШИЛИ» после всех вопросов повестки" in edit


def test_a_question_style_protocol_restarting_numbers_in_each_item_is_entered(client_as, demo):
    client = client_as("secretary")
    edit = client.get("/meetings/new/").content.decode()
    assert "«Вопрос №1: …», «РЕШЕНИЕ:» под каждым вопросом" in edit and "Заново в каждом вопросе (1., 2.)" in edit
    items = INITIATORS + [{"title": "О плане.", "decisions": [{"text": "Утвердить план."}, {"text": "Опубликовать."}]}]
    response = post(client, demo, items=items, protocol_layout=ProtocolLayout.QUESTION, decision_numbering="per_item")
    assert response.status_code == 302
    meeting, decisions = saved()
    assert (meeting.layout, meeting.numbering) == ("question", "per_item")
    assert [d.number for d in decisions] == ["1", "2", "2.1", "2.2", "1", "1", "2"]
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Вопрос №1: О создании центров." in page and page.count("РЕШЕНИЕ:") == 3 and "РЕШИЛИ" not in page
    assert "Утвердить план." in page and "Опубликовать." in page
    assert re.findall(r'<span class="decision-number">([^<]*)</span>', page) == ["1.", "2.", "2.1.", "2.2.", "1.", "2."]


def test_an_unknown_numbering_is_refused_beside_the_field(client_as, demo):
    response = post(client_as("secretary"), demo, decision_numbering="1")
    assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()
    assert not Meeting.objects.filter(number="5", year=2026).exists()


def test_an_unknown_layout_is_refused_beside_the_field(client_as, demo):
    response = post(client_as("secretary"), demo, protocol_layout="sideways")
    assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()
    assert not Meeting.objects.filter(number="5", year=2026).exists()


# ---------------------------------------------------------------- the date form («г.» or «года»)

DATED = [{"title": "О конкурсе.", "decisions": [
    {"text": "Провести конкурс.", "kind": "assign", "deadline_text": "до 20 декабря 2026 года",
     "responsible_kinds": "edu_higher"},
    {"text": "Подвести итоги.", "kind": "assign", "deadline_text": "с 21 по 25 декабря 2026 г.",
     "responsible_kinds": "edu_higher"},
]}]


def protocol_block(client, meeting) -> str:
    """The protocol as printed on its page (what the PDF prints too), not the page's own title and lists."""
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    return page.split('id="protocol"', 1)[1].split("</article>", 1)[0]


def test_a_protocol_written_with_goda_prints_its_heading_and_deadlines_so(client_as, demo):
    client = client_as("secretary")
    assert "«12 мая 2023 года» (полностью)" in client.get("/meetings/new/").content.decode()
    assert post(client, demo, items=DATED, date_form="full").status_code == 302
    meeting, decisions = saved()
    assert (meeting.date_form, meeting.date_suffix) == ("full", " года")
    # Typed as the protocol prints dates, the deadline is kept as a date (it follows the form);
    # typed in the other form, it is kept as written.
    assert [(str(d.deadline), d.deadline_text) for d in decisions] == [
        ("2026-12-20", ""), ("2026-12-25", "с 21 по 25 декабря 2026 г.")]
    block = protocol_block(client, meeting)
    assert "20 ноября 2026 года" in block and "20 ноября 2026 г." not in block
    assert "Срок: до 20 декабря 2026 года" in block and "Срок: с 21 по 25 декабря 2026 г." in block
    # Saved again unchanged, the deadline reads back as the same date in the same form.
    edit = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert 'value="до 20 декабря 2026 года"' in edit
    assert client.post(f"/meetings/{meeting.pk}/edit/", _form_data(edit)).status_code == 302
    assert [(str(d.deadline), d.deadline_text) for d in saved()[1]] == [
        ("2026-12-20", ""), ("2026-12-25", "с 21 по 25 декабря 2026 г.")]


def test_an_empty_date_form_follows_the_body_and_a_deadline_in_the_other_form_stays_as_typed(client_as, demo):
    client = client_as("secretary")
    assert post(client, demo, items=DATED, date_form="").status_code == 302
    meeting, decisions = saved()
    assert (meeting.date_form, meeting.dates_form) == ("", "short")
    assert decisions[0].deadline_text == "до 20 декабря 2026 года" and str(decisions[0].deadline) == "2026-12-20"
    block = protocol_block(client, meeting)
    assert "20 ноября 2026 г." in block and "Срок: до 20 декабря 2026 года" in block
    Body.objects.filter(pk=demo["council"].pk).update(date_form="full")
    assert "20 ноября 2026 года" in protocol_block(client, meeting)


def test_an_unknown_date_form_is_refused_beside_the_field(client_as, demo):
    response = post(client_as("secretary"), demo, date_form="года")
    assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()
    assert not Meeting.objects.filter(number="5", year=2026).exists()


def test_the_date_form_is_fixed_when_the_protocol_is_approved(client_as, demo):
    from django.urls import reverse

    from members.services import body_update

    secretary = client_as("secretary")
    post(secretary, demo, items=DATED)
    approved, _ = saved()
    post(secretary, demo, items=DATED, number="6")
    draft, _ = saved("6")
    assert secretary.post(reverse("meetings:meeting-submit", args=[approved.pk])).status_code == 302
    assert Meeting.objects.get(pk=approved.pk).status == "on_approval"
    response = client_as("chair").post(reverse("meetings:meeting-approve", args=[approved.pk]))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.date_form) == ("approved", "short")
    # The body writes «года» from now on (allowed, though it has approved protocols): the approved
    # protocol prints as approved, the draft follows the body.
    body_update(body=demo["council"], date_form="full")
    assert "20 ноября 2026 г." in protocol_block(secretary, approved)
    assert "20 ноября 2026 года" in protocol_block(secretary, draft)


# ---------------------------------------------------------------- the body's settings

def body_post(**overrides):
    return {"kind": BodyKind.WORKING_GROUP, "name": "Рабочая группа по цифровой экономике",
            "name_genitive": "рабочей группы", "agenda_numbering": "arabic", "attendance_list_limit": "20", **overrides}


def test_a_body_form_posted_without_the_numbering_field_keeps_numbering_on(client_as, demo):
    group = demo["working_group"]
    assert group.decision_numbering == "hierarchical"
    response = client_as("secretary").post(f"/members/bodies/{group.pk}/edit/", body_post())
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.decision_numbering, group.protocol_layout) == ("hierarchical", "per_item")


def test_the_secretary_sets_the_bodys_date_form_and_a_form_without_it_keeps_it(client_as, demo):
    group = demo["working_group"]
    client = client_as("secretary")
    page = client.get(f"/members/bodies/{group.pk}/edit/").content.decode()
    assert "Форма даты" in page and "«12 мая 2023 года» (полностью)" in page
    assert client.post(f"/members/bodies/{group.pk}/edit/", body_post(date_form="full")).status_code == 302
    assert Body.objects.get(pk=group.pk).date_form == "full"
    assert client.post(f"/members/bodies/{group.pk}/edit/", body_post()).status_code == 302
    assert Body.objects.get(pk=group.pk).date_form == "full"


def test_the_secretary_sets_the_bodys_layout_and_switches_numbering_off(client_as, demo):
    group = demo["working_group"]
    client = client_as("secretary")
    page = client.get(f"/members/bodies/{group.pk}/edit/").content.decode()
    assert "Номера решений" in page and "Вид протокола" in page
    client.post(f"/members/bodies/{group.pk}/edit/", body_post(protocol_layout="heard", decision_numbering="none"))
    group = Body.objects.get(pk=group.pk)
    assert (group.protocol_layout, group.decision_numbering) == ("heard", "none")
    client.post(f"/members/bodies/{group.pk}/edit/", body_post(decision_numbering="hierarchical"))
    assert Body.objects.get(pk=group.pk).decision_numbering == "hierarchical"


def test_the_body_form_offers_the_question_layout_and_numbers_restarting_in_each_item(client_as, demo):
    group = demo["working_group"]
    client = client_as("secretary")
    page = client.get(f"/members/bodies/{group.pk}/edit/").content.decode()
    assert "Заново в каждом вопросе (1., 2.)" in page and "«Вопрос №1: …», «РЕШЕНИЕ:» под каждым вопросом" in page
    response = client.post(f"/members/bodies/{group.pk}/edit/",
                           body_post(protocol_layout="question", decision_numbering="per_item"))
    assert response.status_code == 302
    group = Body.objects.get(pk=group.pk)
    assert (group.protocol_layout, group.decision_numbering) == ("question", "per_item")


# ---------------------------------------------------------------- query counts

def structured_protocol(demo, *, items, number):
    """``make_protocol`` in one «РЕШИЛИ» block, every item's second decision with two sub-points."""
    from meetings.tests.conftest import make_protocol

    meeting = make_protocol(demo, items=items, number=number)
    Meeting.objects.filter(pk=meeting.pk).update(protocol_layout=ProtocolLayout.SINGLE_BLOCK)
    for item in AgendaItem.objects.filter(meeting=meeting):
        parent = item.decisions.get(order=2)
        for k in (3, 4):
            Decision.objects.create(agenda_item=item, order=k, parent=parent, text=f"Подпункт {k}.")
    return meeting


@pytest.mark.parametrize("path", ["/meetings/{pk}/", "/meetings/{pk}/?form=short", "/meetings/{pk}/edit/"])
def test_one_block_protocol_pages_do_not_grow_with_items(client_as, demo, django_assert_max_num_queries, path):
    from meetings.tests.test_queries import count_queries

    client = client_as("secretary")
    # Each editor offers the decisions of the other one-block protocols for «continues»: one is there for both.
    structured_protocol(demo, items=1, number="30")
    small = structured_protocol(demo, items=3, number="31")
    baseline = count_queries(client, path.format(pk=small.pk))
    large = structured_protocol(demo, items=30, number="32")
    with django_assert_max_num_queries(baseline):
        response = client.get(path.format(pk=large.pk))
    assert response.status_code == 200


# ---------------------------------------------------------------- a decision that answers no agenda item

GENERAL = INITIATORS[:1] + [{"title": "Разное.", "decisions": [
    {"text": "Одобрить.", "kind": "approve"},
    {"text": "Следующее заседание провести в мае 2027 г.", "no_item": "on"},
    {"text": "Секретарю разослать приглашения.", "subpoint": "on", "kind": "assign", "deadline": "2027-04-20",
     "responsible_text": "Секретарь совета"},
]}]


def test_a_decision_of_the_one_block_answers_no_item_and_the_editor_shows_it_again(client_as, demo):
    client = client_as("secretary")
    assert "Не относится к вопросу повестки (общий блок «РЕШИЛИ»)" in client.get("/meetings/new/").content.decode()
    response = post(client, demo, items=GENERAL, protocol_layout=ProtocolLayout.SINGLE_BLOCK)
    assert response.status_code == 302
    meeting, decisions = saved()
    assert [(d.number, d.answers_item) for d in decisions] == [
        ("1", True), ("2", True), ("2.1", True), ("2.2", True), ("3", True), ("4", False), ("4.1", False)]
    page = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert re.search(r'name="items-1-dec-1-no_item"[^>]*checked', page)
    assert not re.search(r'name="items-1-dec-0-no_item"[^>]*checked', page)
    # Saving the editor unchanged keeps the flag; unticking it ties the decision to its item again.
    data = _form_data(page)
    assert client.post(f"/meetings/{meeting.pk}/edit/", data).status_code == 302
    assert [d.answers_item for d in saved()[1]] == [True] * 5 + [False] * 2
    data = _form_data(client.get(f"/meetings/{meeting.pk}/edit/").content.decode())
    data.pop("items-1-dec-1-no_item")
    assert client.post(f"/meetings/{meeting.pk}/edit/", data).status_code == 302
    assert all(d.answers_item for d in saved()[1])


def test_outside_the_one_block_every_decision_answers_its_item(client_as, demo):
    client = client_as("secretary")
    assert post(client, demo, items=GENERAL, protocol_layout=ProtocolLayout.SINGLE_BLOCK).status_code == 302
    meeting, _ = saved()
    data = _form_data(client.get(f"/meetings/{meeting.pk}/edit/").content.decode())
    data["m-protocol_layout"] = ProtocolLayout.PER_ITEM  # the flag stays ticked in the hidden box
    assert client.post(f"/meetings/{meeting.pk}/edit/", data).status_code == 302
    assert all(d.answers_item for d in saved()[1])
