"""The parser alone (no database): deadlines in every form, names, decision kinds and addressees,
sub-points and the styles' corner cases."""

import pytest
from django.utils import translation

from meetings.importing.parse import parse_deadline, parse_person, parse_protocol, split_addressee


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


@pytest.mark.parametrize("text, expected", [
    ("до 30 ноября 2017 г.", ("2017-11-30", None, None, "")),
    ("30.11.2017", ("2017-11-30", None, None, "")),
    ("до «12» мая 2023 года", ("2023-05-12", None, None, "")),
    ("до 12:00 (мск) 13 ноября 2023 г.", ("2023-11-13", "12:00", None, "")),
    ("13 ноября 2023 г. до 12.00", ("2023-11-13", "12:00", None, "")),
    ("с 19 по 20 декабря 2023 г.", ("2023-12-20", None, "2023-12-19", "")),
    ("с 25 декабря 2023 г. по 10 января 2024 г.", ("2024-01-10", None, "2023-12-25", "")),
    ("01.02.2024 – 10.02.2024", ("2024-02-10", None, "2024-02-01", "")),
    ("в установленные сроки", (None, None, None, "в установленные сроки")),
    ("постоянно", (None, None, None, "постоянно")),
    ("31.02.2024", (None, None, None, "31.02.2024")),  # no such day: kept as words, not a wrong date
    ("с 25 по 20 декабря 2023 г.", (None, None, None, "с 25 по 20 декабря 2023 г")),  # ends before it starts
])
def test_deadline_forms(text, expected):
    deadline = parse_deadline(text)
    assert (deadline.date, deadline.time, deadline.start, deadline.words) == expected


@pytest.mark.parametrize("text, name, rest", [
    ("А.Н. Рудометкин", ("Рудометкин", "А.", "Н."), ""),
    ("Рудометкин А.Н., начальник", ("Рудометкин", "А.", "Н."), "начальник"),
    ("Чуранов Василий Сергеевич, директор", ("Чуранов", "Василий", "Сергеевич"), "директор"),
    ("Иваненкова М.А", ("Иваненкова", "М.", "А."), ""),
    ("Представитель Департамента по образованию", None, "Представитель Департамента по образованию"),
])
def test_names_in_both_orders(text, name, rest):
    person, remainder = parse_person(text)
    assert ((person.last_name, person.first_name, person.patronymic) if person else None) == name
    assert remainder == rest


@pytest.mark.parametrize("text, addressee", [
    ("ОГБПОУ СмолАПО разработать форму заявления.", "ОГБПОУ СмолАПО"),
    ("ООО «МАН сеть» обеспечить связь.", "ООО «МАН сеть»"),  # «сеть» inside quotes is no verb
    ("Участникам Координационного совета внести предложения.", "Участникам Координационного совета"),
    ("Рекомендовать руководителям колледжей направить заявки.", "руководителям колледжей"),
    ("Направить Губернатору Смоленской области информацию.", ""),
    ("Утвердить план работы на 2024 год.", ""),
])
def test_addressee_before_the_infinitive(text, addressee):
    assert split_addressee(text)[0] == addressee


def test_decision_kinds_and_an_in_text_deadline():
    parsed = parse_protocol("\n".join([
        "ПРОТОКОЛ № 1", "заседания Координационного совета", "от 01.02.2024", "ПОВЕСТКА ДНЯ:", "1. О разном.",
        "СЛУШАЛИ: Иванова И.И. — о разном.", "РЕШИЛИ:", "1.1. Принять к сведению информацию.",
        "1.2. Одобрить программу.", "1.3. Утвердить план.", "1.4. Рекомендовать колледжам провести дни открытых дверей.",
        "1.5. Поручить Петрову П.П. подготовить отчёт в срок до 01.03.2024.", "1.6. Учредить премию.",
    ]))
    decisions = parsed.items[0].decisions
    assert [d.kind for d in decisions] == ["note", "approve", "adopt", "recommend", "assign", "other"]
    assert decisions[4].text == "Поручить Петрову П.П. подготовить отчёт." and decisions[4].deadline.date == "2024-03-01"
    assert parsed.items[0].speakers[0].summary == "о разном."


def test_sub_points_stay_with_their_decision():
    parsed = parse_protocol("\n".join([
        "ПРОТОКОЛ № 2", "от 01.02.2024", "ПОВЕСТКА ДНЯ:", "1. О плане.", "РЕШИЛИ:",
        "1. Утвердить план с изменениями:", "а) включить конкурс;", "б) исключить выезд.", "2. Принять к сведению.",
    ]))
    first, second = parsed.items[0].decisions
    assert first.text == "Утвердить план с изменениями:\nа) включить конкурс;\nб) исключить выезд."
    assert [n for n, _text in first.subpoints] == ["а", "б"] and second.text == "Принять к сведению."


def test_a_text_without_a_protocol_gets_flags_not_an_exception():
    parsed = parse_protocol("Просто письмо.\nБез даты и решений.")
    assert {f.field for f in parsed.flags} >= {"date", "agenda"}
    assert parsed.items == []


def test_one_block_numbered_past_the_agenda_is_flagged():
    parsed = parse_protocol("\n".join([
        "ПРОТОКОЛ № 3", "от 01.02.2024", "ПОВЕСТКА ДНЯ:", "1. О плане.", "2. О конкурсе.",
        "По первому вопросу слушали Иванова И.И.", "По второму вопросу слушали Петрова П.П.", "РЕШИЛИ:",
        "1. Принять к сведению.", "2. Провести конкурс.", "3. Утвердить смету.",
    ]))
    first, second = parsed.items
    assert [d.text for d in first.decisions] == ["Принять к сведению."]
    assert [d.text for d in second.decisions] == ["Провести конкурс.", "Утвердить смету."]
    assert "вопроса повестки с таким номером нет" in second.decisions[1].flags[0].message


@pytest.mark.parametrize("lines, number, title, date", [
    (["ПРОТОКОЛ заседания Координационного совета", "Кластера ИКТ Смоленской области", "№ 4 от 01.02.2024"],
     "4", "заседания Координационного совета Кластера ИКТ Смоленской области", "2024-02-01"),
    (["Протокол заседания рабочей группы № 5 от 1 марта 2024 г.", "г. Смоленск"], "5", "заседания рабочей группы",
     "2024-03-01"),
    (["# ПРОТОКОЛ № 6", "**заседания президиума**", "«5» апреля 2024 года"], "6", "заседания президиума", "2024-04-05"),
])
def test_heading_variants(lines, number, title, date):
    parsed = parse_protocol("\n".join(lines))
    assert (parsed.number, parsed.title, parsed.date) == (number, title, date)


def test_votes_counted_with_words():
    parsed = parse_protocol("\n".join([
        "ПРОТОКОЛ № 8", "от 01.02.2024", "ПОВЕСТКА ДНЯ:", "1. О плане.", "РЕШИЛИ:", "1. Утвердить план.",
        "Голосовали: за — 12; против — нет; воздержались — 1.",
    ]))
    decision = parsed.items[0].decisions[0]
    assert (decision.vote, decision.votes_for, decision.votes_against, decision.votes_abstained) == ("counted", 12, 0, 1)


def test_speaker_lines_groups_and_several_responsible_parties():
    parsed = parse_protocol("\n".join([
        "ПРОТОКОЛ № 9", "от 01.02.2024", "Присутствовали:", "Члены Координационного совета:", "Иванов Иван Иванович",
        "ПОВЕСТКА ДНЯ:", "1. О плане.", "Вопрос 1. О плане.", "Докладчик: Петров П.П. — о плане.", "РЕШЕНИЕ:",
        "1. Подготовить отчёт.", "Срок исполнения: до 01.12.2024", "Ответственные: ОГБПОУ СмолАПО, Козлов С.В.",
    ]))
    assert [a.name.last_name for a in parsed.attendance] == ["Иванов"]
    item = parsed.items[0]
    assert [s.name.last_name for s in item.speakers] == ["Петров"]
    decision = item.decisions[0]
    assert decision.deadline.date == "2024-12-01" and decision.responsible_written == ["ОГБПОУ СмолАПО", "Козлов С.В."]
    assert decision.kind == "assign"


def test_any_order_of_protocol_lines_parses_without_an_error():
    """Shuffled, cut and repeated lines of every sample: flags, never an exception."""
    import pathlib
    import random

    lines = [line for path in sorted((pathlib.Path(__file__).parent / "import_samples").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(15)
    for _n in range(300):
        sample = rng.sample(lines, rng.randint(1, 60))
        parse_protocol("\n".join(sample))
