"""Long texts keep what the secretary typed: paragraphs, line breaks, list lines; no stray marks."""

import pytest
from django.template import Context, Template

from core.text import close_sentence, typed_blocks


def render(template: str, **context) -> str:
    return Template("{% load portal %}" + template).render(Context(context))


def test_paragraphs_line_breaks_and_list_lines_are_kept():
    text = "Первый абзац,\nего вторая строка.\n\nВторой абзац:\n- первый пункт;\n– второй пункт;\n1) третий;\nа) четвёртый.\n\n2.1. Подпункт."
    blocks = typed_blocks(text)
    assert [(b.kind, b.lines) for b in blocks] == [
        ("p", ["Первый абзац,", "его вторая строка."]),
        ("p", ["Второй абзац:"]),
        ("li", ["- первый пункт;"]), ("li", ["– второй пункт;"]), ("li", ["1) третий;"]), ("li", ["а) четвёртый."]),
        ("li", ["2.1. Подпункт."]),
    ]


def test_windows_line_ends_and_extra_spaces_do_not_make_empty_paragraphs():
    assert [b.lines for b in typed_blocks("  Один  абзац \r\n\r\n\r\n  второй ")] == [["Один абзац"], ["второй"]]


def test_the_filter_prints_paragraphs_with_the_number_in_the_first_and_escapes_the_text():
    html = render("{{ text|typed_text:number }}", text="Поручить <b>всем</b>:\n- одно;\n- другое.", number="2.")
    assert html == ('<p class="typed"><span class="decision-number">2.</span> Поручить &lt;b&gt;всем&lt;/b&gt;:</p>'
                    '<p class="typed typed-li">- одно;</p><p class="typed typed-li">- другое.</p>')
    assert render("{{ text|typed_text }}", text="строка\nещё строка") == '<p class="typed">строка<br>ещё строка</p>'
    assert render("{{ text|typed_text }}", text="  \n ") == ""


@pytest.mark.parametrize(("text", "closed"), [
    ("Доклад о ходе подготовки", "Доклад о ходе подготовки."),
    ("Доклад о ходе подготовки.", "Доклад о ходе подготовки."),
    ("Доклад, вопросы,", "Доклад, вопросы,"),
    ("Что дальше?", "Что дальше?"),
    ("О конкурсе «Учи IT»", "О конкурсе «Учи IT»."),
    ("Принять «к сведению.»", "Принять «к сведению.»"),
    ("Итоги …", "Итоги …"),
    ("", ""),
])
def test_a_final_period_only_where_the_text_has_no_mark(text, closed):
    assert close_sentence(text) == closed
    assert render("{{ text|close_sentence }}", text=text) == closed


def test_another_closing_mark_can_be_asked_for():
    assert close_sentence("Заслушав выступление А.Н. Рудометкина", ",") == "Заслушав выступление А.Н. Рудометкина,"
    assert close_sentence("Заслушав и обсудив:", ",") == "Заслушав и обсудив:"
