"""A protocol with one «РЕШИЛИ» block and sub-points, entered in the editor in Chromium as a secretary
would: the numbers the editor shows are those the protocol prints."""

import os
import re

import pytest

from meetings.models import Decision, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def labels(page, item):
    return [t.strip() for t in page.locator(f'.formset[data-prefix="items-{item}-dec"] .decision-number').all_inner_texts()
            if t.strip()]


def test_a_single_block_protocol_with_sub_points_is_entered_in_the_editor(page, live_server, login, demo, screenshot_dir):
    login("secretary")
    page.goto(f"{live_server.url}/meetings/new/")
    page.fill('[name="m-date"]', "2026-06-10")  # fixed: the deadline below must not be before it
    page.fill('[name="m-number"]', "42")
    page.select_option('[name="m-protocol_layout"]', "single_block")

    page.click("#add-item")
    page.fill('[name="items-0-title"]', "О создании образовательно-производственных центров")
    page.fill('[name="items-0-heard"]', "Докладчик сообщил:\n- о первом;\n- о втором.")
    page.locator('.formset[data-prefix="items-0-dec"] > button[data-action="add"]').click()
    page.fill('[name="items-0-dec-0-text"]', "Принять к сведению информацию.")
    page.locator('.formset[data-prefix="items-0-dec"] > button[data-action="add"]').click()
    page.fill('[name="items-0-dec-1-text"]', "Инициаторам создания центров:")
    page.locator('.decision-row[data-form-prefix="items-0-dec-1"] [data-action="add-subpoint"]').click()
    page.fill('[name="items-0-dec-2-text"]', "Представить отчёты.")
    page.fill('[name="items-0-dec-2-deadline_text"]', "до 20 декабря 2026 г.")
    page.locator('.decision-row[data-form-prefix="items-0-dec-1"] [data-action="add-subpoint"]').click()
    page.fill('[name="items-0-dec-3-text"]', "Обеспечить мониторинг.")
    assert page.is_checked('[name="items-0-dec-3-subpoint"]')
    page.click("#add-item")
    page.fill('[name="items-1-title"]', "Разное")
    page.locator('.formset[data-prefix="items-1-dec"] > button[data-action="add"]').click()
    page.fill('[name="items-1-dec-0-text"]', "Одобрить план.")
    # Decisions run through the protocol: 1, 2 with 2.1 and 2.2, then 3 under the second item.
    assert labels(page, 0) == ["1", "2", "2.1", "2.2"] and labels(page, 1) == ["3"]
    assert not page.is_visible('[name="items-0-decision_intro"]')  # no phrase before a per-item «РЕШИЛИ:»
    assert page.is_visible('[name="items-1-dec-0-no_item"]')  # a decision of the block may answer no item
    page.select_option('[name="m-protocol_layout"]', "per_item")
    assert page.is_visible('[name="items-0-decision_intro"]')
    assert labels(page, 0) == ["1.1", "1.2", "1.2.1", "1.2.2"] and labels(page, 1) == ["2"]
    page.select_option('[name="m-protocol_layout"]', "single_block")
    page.screenshot(path=os.path.join(screenshot_dir, "editor_single_block.png"), full_page=True)

    page.click("#save-protocol")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(number="42")
    assert meeting.protocol_layout == "single_block"
    decisions = list(Decision.objects.filter(agenda_item__meeting=meeting).order_by("agenda_item__order", "order"))
    assert [d.number for d in decisions] == ["1", "2", "2.1", "2.2", "3"]
    assert decisions[2].parent_id == decisions[3].parent_id == decisions[1].pk
    protocol = page.inner_text("#protocol")
    assert protocol.count("РЕШИЛИ:") == 1
    assert re.findall(r'<span class="decision-number">([^<]*)</span>', page.content()) == ["1.", "2.", "2.1.", "2.2.", "3."]
    assert "- о первом;" in protocol and "Срок: до 20 декабря 2026 г." in protocol
    page.screenshot(path=os.path.join(screenshot_dir, "protocol_single_block.png"), full_page=True)


def test_a_heard_style_protocol_with_numbering_off_is_entered_in_the_editor(page, live_server, login, demo):
    login("secretary")
    page.goto(f"{live_server.url}/meetings/new/")
    page.fill('[name="m-date"]', "2026-06-10")
    page.fill('[name="m-number"]', "43")
    page.select_option('[name="m-protocol_layout"]', "heard")
    page.select_option('[name="m-decision_numbering"]', "none")
    page.click("#add-item")
    page.fill('[name="items-0-title"]', "О ходе реализации программы")
    page.locator('.formset[data-prefix="items-0-sp"] > button[data-action="add"]').click()
    page.fill('[name="items-0-sp-0-name_text"]', "И.И. Иванов")
    page.fill('[name="items-0-decision_intro"]', "Заслушав выступление И.И. Иванова")
    for n, text in enumerate(["Принять к сведению информацию.", "Продолжить работу:\n- по первому направлению;\n- по второму."]):
        page.locator('.formset[data-prefix="items-0-dec"] > button[data-action="add"]').click()
        page.fill(f'[name="items-0-dec-{n}-text"]', text)
    page.click("#save-protocol")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(number="43")
    assert (meeting.protocol_layout, meeting.decision_numbering) == ("heard", "none")
    protocol = page.inner_text("#protocol")
    assert "СЛУШАЛИ" not in protocol and "(И.И. Иванов)" in protocol
    assert "Заслушав выступление И.И. Иванова, РЕШИЛИ:" in protocol
    assert "1.1." not in protocol and "- по первому направлению;" in protocol


def test_a_question_style_protocol_numbered_per_item_is_entered_in_the_editor(page, live_server, login, demo,
                                                                               screenshot_dir):
    """The 2017 seed's style: «Вопрос №1: …», «РЕШЕНИЕ:», decisions 1., 2., 3. restarting in each item."""
    login("secretary")
    page.goto(f"{live_server.url}/meetings/new/")
    page.fill('[name="m-date"]', "2026-06-10")
    page.fill('[name="m-number"]', "44")
    page.select_option('[name="m-protocol_layout"]', "question")
    page.select_option('[name="m-decision_numbering"]', "per_item")
    for item, (title, texts) in enumerate([("О кластерной модели", ["Принять к сведению доклад.", "Учредить кластер.",
                                                                    "Подписать Соглашение."]),
                                           ("О ключевых направлениях", ["Принять к сведению доклад Кудрявцевой."])]):
        page.click("#add-item")
        page.fill(f'[name="items-{item}-title"]', title)
        for n, text in enumerate(texts):
            page.locator(f'.formset[data-prefix="items-{item}-dec"] > button[data-action="add"]').click()
            page.fill(f'[name="items-{item}-dec-{n}-text"]', text)
    assert labels(page, 0) == ["1", "2", "3"] and labels(page, 1) == ["1"]
    assert not page.is_visible('[name="items-0-dec-0-no_item"]')  # a choice of the one «РЕШИЛИ» block only
    page.select_option('[name="m-decision_numbering"]', "hierarchical")
    assert labels(page, 0) == ["1.1", "1.2", "1.3"] and labels(page, 1) == ["2"]
    page.select_option('[name="m-decision_numbering"]', "per_item")
    page.click("#save-protocol")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(number="44")
    assert (meeting.protocol_layout, meeting.decision_numbering) == ("question", "per_item")
    protocol = page.inner_text("#protocol")
    assert "Вопрос №1: О кластерной модели" in protocol and protocol.count("РЕШЕНИЕ:") == 2 and "РЕШИЛИ" not in protocol
    assert re.findall(r'<span class="decision-number">([^<]*)</span>', page.content()) == ["1.", "2.", "3."]
    page.screenshot(path=os.path.join(screenshot_dir, "protocol_question_style.png"), full_page=True)
