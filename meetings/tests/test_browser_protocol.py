"""End to end in Chromium: the secretary enters protocol № 2 of 30.03.2023 from the seed
through the editor, sends it for approval, the chair approves, a member reads it."""

import os
import re

import pytest

from meetings.models import Assignment, Meeting, signed_protocol_unlocked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = ("заседания образовательно-производственного кластера информационно-коммуникационных технологий "
         "Смоленской области (Кластер ИКТ)")
ITEMS = [
    ("Общие вопросы развития кадрового потенциала региона в сфере ИКТ. Выполнение поручений заседания Кластера ИКТ "
     "от 16.12.2022. О Программе по популяризации ИТ-специальностей в Смоленской области на 2023-2025 годы. "
     "О согласовании ряда документов, касающихся деятельности Кластера ИКТ.",
     [("rudometkin", "Рудом", "начальника Департамента цифрового развития Смоленской области"),
      ("trofimova", "Трофим", "директора ООО «Твинс»"),
      ("taptsov", "Тапцов", "генерального директора ООО «Айти грэйд»"),
      ("ivanenkova", "Иваненк", "начальника отдела профессионального образования и науки Департамента Смоленской "
                                "области по образованию и науке")]),
    ("О проведении в 2023 году ежегодного областного конкурса «Учи IT».",
     [("kozlov", "Козлов", "заведующего кафедрой прикладной математики и информатики ФГБОУ ВО «Смоленский "
                           "государственный университет»")]),
    ("О дополнительном профессиональном образовании как одном из инструментов подготовки кадров для IT-отрасли "
     "региона.",
     [("zaryankina", "Зарянк", "директора СОГАУ ДПО «Центр опережающей профессиональной подготовки»"),
      ("kazakov", "Казаков", "директора смоленского колледжа телекоммуникаций (филиал) ФГБОУ ВО «Санкт-Петербургский "
                             "государственный университет телекоммуникаций им. проф. М.А. Бонч-Бруевича»")]),
]
DECISIONS = [  # (item index, text, kind, extra)
    (0, "Принять к сведению информацию Департамента цифрового развития Смоленской области (А.Н. Рудометкин) о "
        "подготовке кадров ИТ-специальностей и выполнении поручений заседания Кластера ИКТ от 16.12.2022.", "note", {}),
    (0, "Одобрить Программу по популяризации ИТ-специальностей в Смоленской области на 2023-2025 годы.", "approve", {}),
    (0, "Утвердить План работы Кластер ИКТ на 2023 год.", "adopt", {"plan": True}),
    (0, "Утвердить состав рабочей группы Кластера ИКТ.", "adopt", {}),
    (0, "Секретарю координационного совета Кластера ИКТ направить приглашение к присоединению к Соглашению о создании "
        "Кластера ИКТ, включая комплект документов, необходимых для присоединения к указанному Соглашению, в адрес:\n"
        "- ФГБОУ ВО «Смоленский государственный университет» (М.Н. Артеменков);\n"
        "- АНО «ЦПП Смоленской области» (С.А. Шапкин).", "other",
     {"people": [("kudryavtseva", "Кудряв")], "text": "секретарь координационного совета Кластера ИКТ"}),
    (1, "Рекомендовать руководителям образовательных организаций высшего образования, профессиональных "
        "образовательных организаций, расположенных на территории Смоленской области, направить представителей для "
        "участия в ежегодном областном конкурсе «Учи IT».", "recommend",
     {"deadline": "до 12 мая 2023 года", "kinds": ["edu_higher", "edu_vocational"],
      "text": "руководители образовательных организаций высшего образования, профессиональных образовательных "
              "организаций"}),
    (2, "Принять к сведению доклад СОГАУ ДПО «Центр опережающей профессиональной подготовки» (О.М. Зарянкина).",
     "note", {}),
    (2, "Рекомендовать СОГАУ ДПО «Центр опережающей профессиональной подготовки» (О.М. Зарянкина) проработать "
        "предложения о взаимодействии, поступившие от участников Кластера ИКТ по итогам заседания.", "recommend",
     {"orgs": ["copp"]}),
]


def remove_demo_copy():
    meeting = Meeting.objects.get(number="2", year=2023)
    with signed_protocol_unlocked():  # the signed demo copy makes room for the one the test enters
        meeting.documents.all().delete()  # signatures cascade
        Assignment.objects.filter(decision__agenda_item__meeting=meeting).delete()  # they protect their decisions
        meeting.delete()  # items and decisions cascade


def pick_person(page, select_name, pk, query):
    select = page.locator(f'select[name="{select_name}"]')
    select.locator("xpath=preceding-sibling::input[1]").fill(query)
    page.wait_for_selector(f'select[name="{select_name}"] option[value="{pk}"]', state="attached")
    select.select_option(value=str(pk))


def add_row(page, formset_prefix):
    page.locator(f'.formset[data-prefix="{formset_prefix}"] > button[data-action="add"]').click()


def test_secretary_enters_protocol_chair_approves_member_reads(page, live_server, login, demo, screenshot_dir):
    remove_demo_copy()
    people, orgs = demo["people"], demo["orgs"]
    login("secretary")
    page.goto(f"{live_server.url}/meetings/new/")

    page.select_option('[name="m-body"]', value=str(demo["council"].pk))
    page.select_option('[name="m-kind"]', value="cluster")
    page.fill('[name="m-date"]', "2023-03-30")
    page.fill('[name="m-number"]', "2")
    page.fill('[name="m-title"]', TITLE)
    page.fill('[name="m-city"]', "г. Смоленск")
    page.select_option('[name="m-format"]', value="hybrid")
    pick_person(page, "m-chair", people["rudometkin"].pk, "Рудом")
    page.select_option('[name="m-chair_title"]', value="presiding")
    pick_person(page, "m-secretary", people["kudryavtseva"].pk, "Кудряв")
    page.fill('[name="m-attendance_total"]', "17")
    page.fill('[name="m-attendance_online"]', "2")
    page.fill('[name="m-attendance_note"]', "(приложение)")

    for i, (title, speakers) in enumerate(ITEMS):
        page.click("#add-item")
        page.fill(f'[name="items-{i}-title"]', title)
        for j, (key, query, position) in enumerate(speakers):
            add_row(page, f"items-{i}-sp")
            pick_person(page, f"items-{i}-sp-{j}-person", people[key].pk, query)
            page.fill(f'[name="items-{i}-sp-{j}-position_text"]', position)

    counters = [0, 0, 0]
    for item, text, kind, extra in DECISIONS:
        j = counters[item]
        counters[item] += 1
        prefix = f"items-{item}-dec-{j}"
        add_row(page, f"items-{item}-dec")
        page.fill(f'[name="{prefix}-text"]', text)
        page.select_option(f'[name="{prefix}-kind"]', value=kind)
        if "deadline" in extra:
            page.fill(f'[name="{prefix}-deadline_text"]', extra["deadline"])
        for key in extra.get("orgs", []):
            page.select_option(f'[name="{prefix}-responsible_organizations"]', value=str(orgs[key].pk))
        for key, query in extra.get("people", []):
            pick_person(page, f"{prefix}-responsible_people", people[key].pk, query)
        for value in extra.get("kinds", []):
            page.check(f'[name="{prefix}-responsible_kinds"][value="{value}"]')
        if "text" in extra:
            page.fill(f'[name="{prefix}-responsible_text"]', extra["text"])
        if extra.get("plan"):
            page.select_option(f'[name="{prefix}-approves_plan"]', value=str(demo["plan_2023"].pk))

    assert page.locator('[data-number-for="items-0-dec-4"]').text_content() == "1.5"
    page.screenshot(path=os.path.join(screenshot_dir, "protocol_editor.png"), full_page=True)
    page.click("#save-protocol")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting_url = page.url

    page.click("#submit-for-approval")
    page.wait_for_load_state()
    assert "отправлен председателю" in page.content()

    login("chair")
    page.goto(meeting_url)
    page.click("#approve-protocol")
    page.wait_for_load_state()
    html = page.content()
    # Item 2 has a single decision: unnumbered, on the page as in the PDF.
    numbers = re.findall(r'<span class="decision-number">([^<]*)</span>', html)
    assert numbers == ["1.1.", "1.2.", "1.3.", "1.4.", "1.5.", "3.1.", "3.2."]
    assert "Срок: до 12 мая 2023 года" in html
    assert html.count("Ответственный:") == 3
    page.screenshot(path=os.path.join(screenshot_dir, "protocol_page.png"), full_page=True)

    login("member")
    response = page.goto(meeting_url)
    assert response.status == 200 and "Утверждён" in page.content()
    page.goto(f"{live_server.url}/meetings/")
    page.screenshot(path=os.path.join(screenshot_dir, "meeting_list.png"), full_page=True)
