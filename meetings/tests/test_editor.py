"""The editor saves the whole protocol at once, validates in Russian and refuses stale forms."""

import datetime

import pytest

from meetings import selectors
from meetings.models import AgendaItem, Decision, Meeting
from members.models import Person
from meetings.tests.conftest import editor_post, meeting_fields

pytestmark = pytest.mark.django_db

TWO_ITEMS = [
    {"title": "О плане работы.", "speakers": [{"name_text": "А.Н. Рудометкин", "position_text": "начальника"}],
     "decisions": [{"text": "Принять к сведению."}, {"text": "Поручить подготовить.", "kind": "assign",
                                                    "deadline": "2026-12-20"}]},
    {"title": "Разное.", "decisions": [{"text": "Одобрить.", "kind": "approve"}]},
]


def create(client, demo, **kwargs):
    data = editor_post(meeting=meeting_fields(demo, **kwargs.pop("meeting", {})), items=kwargs.pop("items", TWO_ITEMS),
                       **kwargs)
    return client.post("/meetings/new/", data)


def test_secretary_creates_a_protocol_with_items_and_decisions(client_as, demo):
    response = create(client_as("secretary"), demo)
    meeting = Meeting.objects.get(number="5", year=2026)
    assert response.status_code == 302
    assert [d.number for d in Decision.objects.filter(agenda_item__meeting=meeting).prefetch_related(
        "agenda_item__decisions")] == ["1.1", "1.2", "2"]


def test_numbers_follow_the_positions_on_the_page(client_as, demo):
    items = [dict(TWO_ITEMS[0], position=2), dict(TWO_ITEMS[1], position=1)]
    create(client_as("secretary"), demo, items=items)
    titles = list(AgendaItem.objects.filter(meeting__number="5", meeting__year=2026).values_list("title", flat=True))
    assert titles == ["Разное.", "О плане работы."]


def test_attendance_person_and_free_text_line_are_saved(client_as, demo):
    attendance = [{"person": demo["people"]["kazakov"].pk, "mode": "online"},
                  {"name_text": "Представитель Департамента экономического развития"}]
    create(client_as("secretary"), demo, attendance=attendance)
    lines = [a.line for a in Meeting.objects.get(number="5", year=2026).attendances.all()]
    assert len(lines) == 2 and "Представитель Департамента экономического развития" in lines


def test_end_before_start_is_refused_beside_the_field(client_as, demo):
    response = create(client_as("secretary"), demo, meeting={"start_time": "14:00", "end_time": "12:00"})
    assert "Время окончания заседания должно быть позже времени начала." in response.content.decode()
    assert not Meeting.objects.filter(number="5", year=2026).exists()


def test_deadline_before_the_meeting_is_refused(client_as, demo):
    items = [{"title": "Вопрос.", "decisions": [{"text": "Поручить.", "kind": "assign", "deadline": "2026-01-01"}]}]
    response = create(client_as("secretary"), demo, items=items)
    assert "Срок не может быть раньше даты заседания." in response.content.decode()
    assert not Meeting.objects.filter(number="5", year=2026).exists()


def test_number_taken_in_that_year_is_refused(client_as, demo):
    response = create(client_as("secretary"), demo, meeting={"number": "2", "date": "2023-05-01"})
    assert "Заседание с таким номером у этого органа в этом году уже существует." in response.content.decode()


def test_typed_input_survives_a_validation_error(client_as, demo):
    items = [{"title": "Очень важный вопрос повестки", "decisions": [{"text": "Текст решения, набранный вручную",
                                                                       "deadline": "2000-01-01"}]}]
    html = create(client_as("secretary"), demo, items=items).content.decode()
    assert "Очень важный вопрос повестки" in html and "Текст решения, набранный вручную" in html


def test_removed_decision_is_deleted_and_kept_one_renumbered(client_as, demo, draft):
    item = draft.agenda_items.first()
    first, second = item.decisions.all()
    items = [{"id": item.pk, "title": item.title, "decisions": [
        {"id": first.pk, "text": first.text, "DELETE": "on"}, {"id": second.pk, "text": second.text, "kind": "assign"}]}]
    data = editor_post(meeting=meeting_fields(demo, number="1"), revision=draft.revision, items=items)
    client_as("secretary").post(f"/meetings/{draft.pk}/edit/", data)
    assert list(item.decisions.values_list("pk", "order")) == [(second.pk, 1)]


def test_second_save_with_a_stale_revision_is_refused_with_what_changed(client_as, demo, draft, users):
    client = client_as("secretary")
    base = editor_post(meeting=meeting_fields(demo, number="1"), revision=draft.revision,
                       items=[{"title": "Первая правка"}])
    client.post(f"/meetings/{draft.pk}/edit/", base)
    stale = editor_post(meeting=meeting_fields(demo, number="1", place="Зал 2"), revision=draft.revision,
                        items=[{"title": "Вторая правка"}])
    html = client.post(f"/meetings/{draft.pk}/edit/", stale).content.decode()
    assert "Ваши изменения НЕ сохранены" in html and "Вторая правка" in html
    assert AgendaItem.objects.get(meeting=draft).title == "Первая правка"


def test_approved_protocol_cannot_be_saved(client_as, demo):
    meeting = demo["meeting_2023"]
    data = editor_post(meeting=meeting_fields(demo, number="2", date="2023-03-30"), revision=meeting.revision)
    response = client_as("secretary").post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting).count() == 3


def test_next_number_follows_the_largest_numeric_one(demo):
    assert selectors.next_meeting_number(body_id=demo["council"].pk, year=2023) == "3"


def test_new_protocol_suggests_number_chair_and_secretary(client_as, demo):
    html = client_as("secretary").get("/meetings/new/").content.decode()
    assert 'name="m-number" value="1"' in html and "Рудометкин А.Н." in html


def test_person_search_returns_options(client_as, demo):
    html = client_as("secretary").get("/meetings/people/search/?q=рудом").content.decode()
    assert f'<option value="{demo["people"]["rudometkin"].pk}">' in html


def test_new_person_on_the_spot_is_added_to_the_register(client_as, demo):
    response = client_as("secretary").post("/meetings/people/new/", {
        "np-last_name": "Новиков", "np-first_name": "Иван", "np-organization": demo["orgs"]["copp"].pk})
    assert response.json()["label"].startswith("Новиков")


def test_new_person_on_the_spot_needs_an_organisation_of_the_cluster(client_as, demo):
    # Without one the person would belong to no cluster, and the editor could not offer them.
    response = client_as("secretary").post("/meetings/people/new/", {"np-last_name": "Новиков", "np-first_name": "Иван"})
    assert response.status_code == 400 and response.json()["errors"]["organization"] == ["Обязательное поле."]
    assert not Person.objects.filter(last_name="Новиков").exists()


def test_a_person_already_in_the_organisation_is_refused_and_offered_in_the_editor(client_as, demo):
    # The register's own duplicate check (members.services.person_create): «Ольга Михайловна» is «Зарянкина О. М.».
    existing = demo["people"]["zaryankina"]
    response = client_as("secretary").post("/meetings/people/new/", {
        "np-last_name": "Зарянкина", "np-first_name": "Ольга", "np-patronymic": "Михайловна",
        "np-organization": demo["orgs"]["copp"].pk,
    })
    answer = response.json()
    assert response.status_code == 400 and "уже есть в реестре организации" in answer["errors"]["__all__"][0]
    assert answer["existing"]["id"] == existing.pk and answer["existing"]["label"].startswith("Зарянкина")
    assert Person.objects.filter(last_name="Зарянкина").count() == 1


def test_agenda_of_an_earlier_meeting_can_be_copied(client_as, demo):
    answer = client_as("secretary").get(f"/meetings/{demo['meeting_2023'].pk}/agenda.json").json()
    assert len(answer["items"]) == 3 and answer["items"][1]["speakers"][0]["label"].startswith("Козлов")


def test_editor_round_trip_keeps_everything(client_as, demo, draft):
    """Saving the editor's own GET form unchanged changes nothing but the revision."""
    client = client_as("secretary")
    before = list(Decision.objects.filter(agenda_item__meeting=draft).order_by("pk").values_list("pk", "order", "text"))
    html = client.get(f"/meetings/{draft.pk}/edit/").content.decode()
    data = _form_data(html)
    response = client.post(f"/meetings/{draft.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    after = list(Decision.objects.filter(agenda_item__meeting=draft).order_by("pk").values_list("pk", "order", "text"))
    assert before == after and Meeting.objects.get(pk=draft.pk).revision == draft.revision + 1


def test_the_decision_form_offers_exactly_the_models_editable_fields():
    from meetings.forms import DecisionForm

    assert set(DecisionForm.base_fields) - {"id", "position", Decision.SUBPOINT_FLAG, Decision.NO_ITEM_FLAG} == {
        *Decision.EDITABLE_FIELDS, *Decision.EDITABLE_M2M}


def test_every_editable_decision_field_survives_the_editor_round_trip(client_as, demo, draft):
    """Form, initial data and save service go by ``Decision.EDITABLE_FIELDS``: a decision with every field
    set comes back from the editor's own form unchanged."""
    decision = Decision.objects.get(agenda_item__meeting=draft, agenda_item__order=1, order=2)
    values = {
        "text": "Поручить всё.", "kind": "assign", "vote": "counted", "votes_for": 5, "votes_against": 1,
        "votes_abstained": 2, "deadline": datetime.date(2026, 12, 20), "deadline_time": datetime.time(12, 0),
        "deadline_start": datetime.date(2026, 12, 19), "responsible_kinds": ["edu_vocational"],
        "responsible_text": "Руководителям ПОО", "approves_plan": demo["plan_2023"],
    }
    Decision.objects.filter(pk=decision.pk).update(**values)
    decision.continues.set([demo["decisions_2023"][0]])
    before = _editable(Decision.objects.get(pk=decision.pk))
    client = client_as("secretary")
    data = _form_data(client.get(f"/meetings/{draft.pk}/edit/").content.decode())
    assert client.post(f"/meetings/{draft.pk}/edit/", data).status_code == 302
    after = _editable(Decision.objects.get(pk=decision.pk))
    assert after == before and after["deadline_time"] == datetime.time(12, 0) and after["continues"]


def _editable(decision):
    row = {name: getattr(decision, name) for name in Decision.EDITABLE_FIELDS}
    row.update({name: sorted(r.pk for r in getattr(decision, name).all()) for name in Decision.EDITABLE_M2M})
    return row


def _form_data(html):
    """The values a browser would submit from the editor page (outside <template>s)."""
    import re
    from html import unescape
    from html.parser import HTMLParser

    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    # nested templates leave their closing tags behind; strip any remains
    form = html[html.index('id="protocol-editor"'):]
    data = {}

    class Parser(HTMLParser):
        select = None
        textarea = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name"):
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        data.setdefault(a["name"], []).append(a.get("value", "on"))
                elif a.get("type") != "submit":
                    data[a["name"]] = a.get("value", "")
            elif tag == "select" and a.get("name"):
                self.select = a["name"]
                data.setdefault(a["name"], [])
            elif tag == "option" and self.select and "selected" in a:
                data[self.select].append(a.get("value", ""))
            elif tag == "textarea":
                self.textarea = a.get("name")
                data[self.textarea] = ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            if tag == "textarea":
                self.textarea = None

        def handle_data(self, text):
            if self.textarea:
                data[self.textarea] += text

    Parser().feed(form)
    return {k: ([unescape(x) for x in v] if isinstance(v, list) else unescape(v).lstrip("\n")) for k, v in data.items()}


def test_the_conflict_message_names_only_what_really_changed(client_as, demo, draft):
    """Another user's save that changed only the place (and rewrote every row with the same values) is
    reported as the place, not as changed items and decisions."""
    secretary = client_as("secretary")
    html = secretary.get(f"/meetings/{draft.pk}/edit/").content.decode()
    data = _form_data(html)
    other = dict(data, **{"m-place": "Малый зал"})
    assert secretary.post(f"/meetings/{draft.pk}/edit/", other).status_code == 302
    stale = dict(data, **{"m-city": "г. Вязьма"})
    page = secretary.post(f"/meetings/{draft.pk}/edit/", stale).content.decode()
    assert "Ваши изменения НЕ сохранены" in page
    message = page.split("Ваши изменения НЕ сохранены", 1)[0].rsplit("Изменено", 1)[1]
    assert "мест" in message.lower() and "решени" not in message and "вопрос" not in message.lower()


def test_the_conflict_message_counts_a_changed_decision(client_as, demo, draft):
    secretary = client_as("secretary")
    data = _form_data(secretary.get(f"/meetings/{draft.pk}/edit/").content.decode())
    text_key = next(k for k in data if k.endswith("-text") and "-dec-" in k)
    assert secretary.post(f"/meetings/{draft.pk}/edit/", dict(data, **{text_key: "Другой текст решения."})).status_code == 302
    page = secretary.post(f"/meetings/{draft.pk}/edit/", dict(data, **{"m-city": "г. Вязьма"})).content.decode()
    message = page.split("Ваши изменения НЕ сохранены", 1)[0].rsplit("Изменено", 1)[1]
    assert "изменено решений: 1" in message and "поля" not in message


def test_the_new_protocol_form_sent_twice_makes_one_protocol(client_as, demo):
    """A double click, or the browser's back button and «Сохранить» again: the second POST of the same
    form finds the protocol the first made (no second protocol, no «number taken» error)."""
    client = client_as("secretary")
    html = client.get("/meetings/new/").content.decode()
    key = html.split('name="m-creation_key" value="', 1)[1].split('"', 1)[0]
    data = editor_post(meeting=meeting_fields(demo, number="41"), items=[{"title": "Вопрос"}])
    data["m-creation_key"] = key
    first = client.post("/meetings/new/", data)
    created = Meeting.objects.get(body=demo["council"], number="41", year=2026)
    assert first.status_code == 302 and created.creation_key == key
    again = client.post("/meetings/new/", data, follow=True)
    assert again.redirect_chain[-1][0] == f"/meetings/{created.pk}/edit/"
    assert "Этот протокол уже сохранён" in again.content.decode()
    assert Meeting.objects.filter(body=demo["council"], number="41").count() == 1
    # Back to an empty form: it says where the protocol went, once.
    back = client.get("/meetings/new/").content.decode()
    assert "Вы только что сохранили протокол № 41" in back
    assert "Вы только что сохранили" not in client.get("/meetings/new/").content.decode()


def test_another_secretarys_key_does_not_open_her_protocol(client_as, demo, users):
    from meetings.services import AlreadySaved, meeting_save_protocol
    client = client_as("secretary")
    data = editor_post(meeting=meeting_fields(demo, number="42"), items=[{"title": "Вопрос"}])
    data["m-creation_key"] = "b" * 32
    client.post("/meetings/new/", data)
    created = Meeting.objects.get(number="42", year=2026)
    with pytest.raises(AlreadySaved) as caught:
        meeting_save_protocol(meeting=None, user=users["secretary"], revision=None, data={}, attendance=[], items=[],
                              creation_key="b" * 32)
    assert caught.value.meeting == created
