"""The seed protocols and protocols in the other styles, as text and as .docx built here, parse and
match against the demo register into exactly the decisions (number, text), deadlines, responsible
parties, attendance and agenda the demo data holds for them. Each test prints the share recovered."""

import datetime
import io
import pathlib

import docx
import pytest

from core.errors import DomainError
from meetings.importing import reading, services
from meetings.importing.models import ProtocolImport
from meetings.models import Decision, Meeting

pytestmark = pytest.mark.django_db

# The seed protocols (copies of shared/seeds) and protocols written in the other styles.
SAMPLES = SEEDS = pathlib.Path(__file__).parent / "import_samples"
SEED_FILES = {"meeting_2017": "protocol_smolensk_ict_2017-11-20.txt", "meeting_2023": "protocol_smolensk_ict_2023-03-30.txt"}


def seed_text(key):
    return (SEEDS / SEED_FILES[key]).read_text(encoding="utf-8")


def as_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- what the demo data holds


def stored_decisions(meeting):
    rows = []
    for item in meeting.agenda_items.prefetch_related("decisions__responsible_organizations",
                                                      "decisions__responsible_people", "decisions__responsible_bodies"):
        for d in item.decisions.all():
            rows.append({
                "number": d.number, "text": d.text,
                "deadline": (d.deadline, d.deadline_time, d.deadline_start),
                "parties": (sorted(o.pk for o in d.responsible_organizations.all()),
                            sorted(p.pk for p in d.responsible_people.all()),
                            sorted(b.pk for b in d.responsible_bodies.all()), sorted(d.responsible_kinds),
                            d.responsible_text),
            })
    return rows


def _d(value):
    return datetime.date.fromisoformat(value) if value else None


def parsed_decisions(result):
    rows = []
    for item in result["items"]:
        for d in item["decisions"]:
            deadline, parties = d["deadline"] or {}, d["parties"]
            rows.append({
                "number": d["number"], "text": d["text"],
                "deadline": (_d(deadline.get("date")),
                             datetime.time.fromisoformat(deadline["time"]) if deadline.get("time") else None,
                             _d(deadline.get("start"))),
                "parties": (sorted(o["id"] for o in parties["organizations"]), sorted(p["id"] for p in parties["people"]),
                            sorted(b["id"] for b in parties["bodies"]), sorted(parties["kinds"]), parties["text"]),
            })
    return rows


def score(name, got, want):
    """Per file: the share of decisions (number and text), deadlines and parties recovered exactly."""
    pairs = list(zip(got, want))
    shares = {}
    for part in ("decision", "deadline", "parties"):
        key = {"decision": None, "deadline": "deadline", "parties": "parties"}[part]
        right = sum(1 for g, w in pairs if ((g["number"], g["text"]) == (w["number"], w["text"]) if key is None
                                            else g[key] == w[key]))
        shares[part] = right / max(len(want), 1)
    print(f"\n{name}: {len(got)}/{len(want)} decisions; exact: decisions {shares['decision']:.0%}, "
          f"deadlines {shares['deadline']:.0%}, responsible parties {shares['parties']:.0%}")
    return shares


def misses(got, want):
    return [(w["number"], field, g[field], w[field]) for g, w in zip(got, want)
            for field in ("number", "text", "deadline", "parties") if g[field] != w[field]]


# ---------------------------------------------------------------- the seeds


@pytest.mark.parametrize("key", SEED_FILES)
@pytest.mark.parametrize("fmt", ["txt", "docx"])

def test_seed_protocol_parses_into_the_demo_decisions(demo, key, fmt):
    text = seed_text(key)
    if fmt == "docx":
        text = reading.read_upload("protocol.docx", as_docx(text))
    result = services.parse_and_match(body=demo["council"], text=text)
    got, want = parsed_decisions(result), stored_decisions(demo[key])
    shares = score(f"{key}.{fmt}", got, want)
    assert len(got) == len(want) and misses(got, want) == []
    assert shares == {"decision": 1, "deadline": 1, "parties": 1}


def test_seed_2017_attendance_and_agenda_match_the_register(demo):
    result = services.parse_and_match(body=demo["council"], text=seed_text("meeting_2017"))
    meeting = demo["meeting_2017"]
    stored = [(a.person_id, a.position_text, a.mode) for a in meeting.attendances.order_by("order")]
    assert [(a["match"]["id"], a["position_text"], a["mode"]) for a in result["attendance"]] == stored
    assert [i["title"] for i in result["items"]] == [i.title for i in meeting.agenda_items.all()]
    assert (result["date"], result["start_time"], result["end_time"], result["place"]) == (
        "2017-11-20", "12:00", "14:00", "конференц-зал ОГБПОУ СмолАПО")
    # The 2017 protocol names no chair or secretary: the council's composition on the day does, flagged.
    assert (result["chair_match"]["id"], result["secretary_match"]["id"]) == (meeting.chair_id, meeting.secretary_id)
    assert {f["field"] for f in result["flags"]} >= {"chair", "secretary"}


def test_seed_2023_head_count_chair_and_speakers(demo):
    result = services.parse_and_match(body=demo["council"], text=seed_text("meeting_2023"))
    meeting = demo["meeting_2023"]
    assert (result["attendance_total"], result["attendance_online"], result["attendance_note"], result["format"]) == (
        17, 2, "(приложение)", "hybrid")
    assert (result["number"], result["kind"], result["title"], result["city"]) == (
        "2", meeting.kind, meeting.title, meeting.city)
    assert (result["chair_match"]["id"], result["chair_title"], result["secretary_match"]["id"]) == (
        meeting.chair_id, "presiding", meeting.secretary_id)
    assert [i["title"] for i in result["items"]] == [i.title for i in meeting.agenda_items.all()]
    speakers = {s["match"]["id"] for i in result["items"] for s in i["speakers"]}
    assert speakers == {s.person_id for i in meeting.agenda_items.all() for s in i.speakers.all()}
    assert [s["name_text"] for s in result["signatures"]] == ["А. Н. Рудометкин", "Т.В. Кудрявцева"]


def test_seed_2017_duplicate_decision_number_is_flagged_with_its_line(demo):
    result = services.parse_and_match(body=demo["council"], text=seed_text("meeting_2017"))
    fifth = result["items"][0]["decisions"][4]
    assert fifth["number"] == "5" and result["decision_numbering"] == "per_item" and fifth["number_as_written"] == "4"
    assert any("«4» повторяется" in f["message"] and f["line"] == fifth["line"] for f in fifth["flags"])
    assert seed_text("meeting_2017").splitlines()[fifth["line"] - 1].startswith("4. Направить Губернатору")


# ---------------------------------------------------------------- other styles


def other_styles(demo):
    o, p, council = demo["orgs"], demo["people"], demo["council"]
    none = ([], [], [], [], "")
    return {
        "working_group_heard_spoke.txt": [
            ("1.1", "Принять информацию к сведению.", (None, None, None), none),
            ("1.2", "ОГБПОУ СмолАПО подготовить предложения по набору на 2024 год.",
             (datetime.date(2023, 12, 13), datetime.time(12, 0), None), ([o["smolapo"].pk], [], [], [], "")),
            ("2.1", "Провести хакатон для студентов колледжей.",
             (datetime.date(2023, 12, 20), None, datetime.date(2023, 12, 19)), ([o["itgrade"].pk], [], [], [], "")),
            ("2.2", "Рекомендовать работодателям — участникам кластера предоставить задания для хакатона в "
                    "установленные сроки.", (None, None, None),
             ([], [], [], ["employer"], "работодатели — участникам кластера")),
        ],
        "ministry_roman.txt": [
            ("1.1", "Информацию принять к сведению.", (None, None, None), none),
            ("1.2", "СОГАУ ДПО «Центр опережающей профессиональной подготовки» (О.М. Зарянкина) представить отчёт о "
                    "ходе реализации программы.", (datetime.date(2023, 12, 1), datetime.time(12, 0), None),
             ([o["copp"].pk], [], [], [], "")),
            ("2.1", "ООО «Айти грэйд», ООО «Смолтелеком» направить в Департамент цифрового развития Смоленской "
                    "области сведения о потребности в кадрах.", (datetime.date(2023, 12, 15), None, None),
             (sorted([o["itgrade"].pk, o["smoltelecom"].pk]), [], [], [], "")),
            ("2.2", "Поручить Казакову А.В. обобщить сведения и представить результаты в течение месяца.",
             (None, None, None), ([], [p["kazakov"].pk], [], [], "")),
        ],
        "presidium_one_block.txt": [
            ("1", "Принять к сведению итоги конкурса «Учи IT».", (None, None, None), none),
            # «2.1.», «2.2.» under «2.» are its sub-points, decisions of their own
            ("2", "Утвердить план работы на второе полугодие 2024 года с изменениями:", (None, None, None), none),
            ("2.1", "включить в план финал конкурса «Учи IT»;", (None, None, None), none),
            ("2.2", "исключить из плана выездное заседание.", (None, None, None), none),
            ("3", "ФГБОУ ВО «Смоленский государственный университет» провести финал конкурса.",
             (datetime.date(2024, 9, 12), None, datetime.date(2024, 9, 10)), ([], [p["kozlov"].pk], [], [], "")),
        ],
    }, council


@pytest.mark.parametrize("name", ["working_group_heard_spoke.txt", "ministry_roman.txt", "presidium_one_block.txt"])
@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_protocol_in_another_style_parses(demo, name, fmt):
    expected, council = other_styles(demo)
    text = (SAMPLES / name).read_text(encoding="utf-8")
    if fmt == "docx":
        text = reading.read_upload("protocol.docx", as_docx(text))
    result = services.parse_and_match(body=council, text=text)
    got = parsed_decisions(result)
    want = [{"number": n, "text": t, "deadline": d, "parties": p} for n, t, d, p in expected[name]]
    shares = score(f"{name} ({fmt})", got, want)
    assert len(got) == len(want)
    assert min(shares.values()) >= 0.95, misses(got, want)


def test_ministry_style_votes_signatures_and_word_deadlines(demo):
    result = services.parse_and_match(body=demo["council"], text=(SAMPLES / "ministry_roman.txt").read_text())
    assert (result["number"], result["date"], result["kind"], result["format"]) == (
        "Д05-124/05пр", "2023-11-13", "conference_call", "online")
    first, second = result["items"]
    assert [s["match"]["id"] for s in first["speakers"]] == [demo["people"]["rudometkin"].pk, demo["people"]["zaryankina"].pk]
    assert [d["vote"] for d in second["decisions"]] == ["unanimous", "unanimous"]
    words = second["decisions"][1]
    assert words["deadline"]["words"] == "в течение месяца" and any(f["field"] == "deadline" for f in words["flags"])
    assert result["signatures"][0]["role"] == "Заместитель министра"


def test_counted_votes_groups_and_online_attendance(demo):
    result = services.parse_and_match(body=demo["council"],
                                      text=(SAMPLES / "working_group_heard_spoke.txt").read_text())
    first = result["items"][0]["decisions"]
    assert [(d["vote"], d["votes_for"], d["votes_against"], d["votes_abstained"]) for d in first] == [
        ("counted", 10, 0, 1)] * 2
    rows = [((a["match"] or {}).get("id"), a["mode"], a["invited"]) for a in result["attendance"]]
    p = demo["people"]
    assert rows == [(p["taptsov"].pk, "in_person", False), (p["ivanenkova"].pk, "in_person", False),
                    (p["kazakov"].pk, "online", False), (None, "in_person", True)]
    assert result["attendance"][1]["position_text"] == "ОГБПОУ СмолАПО"  # the group «от …» it was listed under
    assert any(f["line"] == 17 for f in result["flags"])  # the unnamed representative, flagged with its line


# ---------------------------------------------------------------- into a draft



def test_confirmed_seed_becomes_a_draft_with_the_demo_decisions(demo, users):
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"],
                                           text=seed_text("meeting_2017"), file_name="2017.txt")
    assert not record.is_confirmed and not Meeting.objects.filter(date=datetime.date(2017, 11, 20), status="draft").exists()
    meeting = services.protocol_import_confirm(record=record, user=users["secretary"], number="",
                                               date=datetime.date(2017, 11, 20))
    assert meeting.status == "draft" and meeting.cluster_id == demo["cluster"].pk
    assert stored_decisions(meeting) == stored_decisions(demo["meeting_2017"])
    assert [(a.person_id, a.position_text) for a in meeting.attendances.all()] == [
        (a.person_id, a.position_text) for a in demo["meeting_2017"].attendances.all()]
    assert ProtocolImport.objects.get(pk=record.pk).meeting == meeting


def test_a_taken_number_is_refused_and_nothing_is_saved(demo, users):
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"],
                                           text=seed_text("meeting_2023"))
    before = Meeting.objects.count()
    with pytest.raises(DomainError, match="номером|number"):
        services.protocol_import_confirm(record=record, user=users["secretary"], number="2",
                                         date=datetime.date(2023, 3, 30))
    assert Meeting.objects.count() == before and ProtocolImport.objects.get(pk=record.pk).meeting is None
    meeting = services.protocol_import_confirm(record=record, user=users["secretary"], number="2-и",
                                               date=datetime.date(2023, 3, 30))
    assert stored_decisions(meeting) == stored_decisions(demo["meeting_2023"])
    assert (meeting.attendance_total, meeting.attendance_online, meeting.chair_id) == (
        17, 2, demo["meeting_2023"].chair_id)


def test_what_the_database_refuses_is_a_message_not_an_error(demo, users):
    text = (SAMPLES / "protocol_smolensk_ict_2023-03-30.txt").read_text(encoding="utf-8").replace(
        "17 чел. (приложение), в том числе в режиме ВКС - 2 чел.", "2 чел. (приложение), в том числе в режиме ВКС - 17 чел.")
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=text)
    with pytest.raises(DomainError, match="ВКС|online|Online|режиме"):
        services.protocol_import_confirm(record=record, user=users["secretary"], number="2-б",
                                         date=datetime.date(2023, 3, 30))
    assert not Meeting.objects.filter(number="2-б").exists()


def test_an_addressee_category_outside_the_register_is_kept_as_written_and_flagged(demo):
    text = "\n".join(["ПРОТОКОЛ № 5", "от 01.02.2024", "ПОВЕСТКА ДНЯ:", "1. О кластерах.", "РЕШИЛИ:",
                      "1. Инициаторам создания кластеров представить документы в срок до 01.03.2024."])
    decision = services.parse_and_match(body=demo["council"], text=text)["items"][0]["decisions"][0]
    assert decision["parties"]["text"] == "инициаторы создания кластеров"
    assert decision["parties"]["suggestions"] == ["Инициаторам создания кластеров"]
    assert any("Нет в реестре" in f["message"] for f in decision["flags"])


FEDERAL = """ПРОТОКОЛ № 7
совещания Координационного совета
Дата проведения: 14.10.2026
ПОВЕСТКА ДНЯ:
1. О ходе создания образовательно-производственных центров.
СЛУШАЛИ: Рудометкин А.Н. — о ходе работы.
РЕШИЛИ:
1. Информацию принять к сведению.
2. Инициаторам создания кластеров обеспечить:
2.1. представление отчётов о реализации программ в срок до 20.12.2026;
Ответственный: ОГБПОУ СмолАПО
2.2. проведение мониторинга трудоустройства выпускников.
Срок: до 25 декабря 2026 г.
3. Секретарю разослать протокол.
Председатель А.Н. Рудометкин
Секретарь Т.В. Кудрявцева
"""


def test_sub_points_import_as_sub_points_with_their_own_deadlines_and_parties(client_as, demo, users):
    result = services.parse_and_match(body=demo["council"], text=FEDERAL)
    decisions = result["items"][0]["decisions"]
    # numbered as written: «1.», «2.», its sub-points «2.1.», «2.2.», then «3.»
    assert [(d["number"], d["is_subpoint"]) for d in decisions] == [
        ("1", False), ("2", False), ("2.1", True), ("2.2", True), ("3", False)]
    assert not [f for f in decisions[1]["flags"] if f["field"] == "text"]  # «…обеспечить:» has its list
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=FEDERAL)
    meeting = services.protocol_import_confirm(record=record, user=users["secretary"], number="7-и",
                                               date=datetime.date(2026, 10, 14))
    rows = list(Decision.objects.filter(agenda_item__meeting=meeting).order_by("order"))
    parent = rows[1]
    assert [(d.parent_id, d.deadline) for d in rows] == [
        (None, None), (None, None), (parent.pk, datetime.date(2026, 12, 20)), (parent.pk, datetime.date(2026, 12, 25)),
        (None, None)]
    assert [o.short_name for o in rows[2].responsible_organizations.all()] == ["ОГБПОУ СмолАПО"]
    page = client_as("secretary").get(f"/meetings/{meeting.pk}/").content.decode()
    assert "2.1." in page and "2.2." in page and "1.2.1" not in page


@pytest.mark.parametrize("name, layout, numbering", [
    ("protocol_smolensk_ict_2017-11-20.txt", "question", "per_item"),
    ("protocol_smolensk_ict_2023-03-30.txt", "", ""),
    ("ministry_roman.txt", "heard", ""),
    ("presidium_one_block.txt", "single_block", ""),
    ("working_group_heard_spoke.txt", "", ""),
])
def test_the_layout_and_numbering_the_text_shows_become_the_drafts(demo, users, name, layout, numbering):
    council = demo["council"]
    record = services.protocol_import_read(body=council, user=users["secretary"],
                                           text=(SAMPLES / name).read_text(encoding="utf-8"))
    assert (record.result["protocol_layout"], record.result["decision_numbering"]) == (layout, numbering)
    meeting = services.protocol_import_confirm(record=record, user=users["secretary"], number=f"imp-{name[:8]}",
                                               date=datetime.date(2026, 10, 14))
    assert meeting.layout == (layout or council.protocol_layout)
    assert meeting.numbering == (numbering or council.decision_numbering)
    # The heading's date form («30 марта 2023 года» against the body's «г.») becomes the protocol's own.
    if name.startswith("protocol_smolensk_ict_"):
        assert meeting.dates_form == ("full" if "2023" in name else "short")
    if layout == "heard":  # «Заслушав …» is the phrase before «РЕШИЛИ:», not a «Слушали» text
        first = meeting.agenda_items.order_by("order").first()
        assert (first.decision_intro, first.discussion) == ("Заслушав выступления Рудометкина А.Н. и Зарянкиной О.М.", "")


# ---------------------------------------------------------------- what the confirmed draft stores

MAPPED = """ПРОТОКОЛ № 8
заседания Координационного совета
Дата проведения: 14.10.2026
ПОВЕСТКА ДНЯ:
1. О профориентации.
Заслушав информацию Рудометкина А.Н., РЕШИЛИ:
1. Информацию принять к сведению.
2. ОГБПОУ СмолАПО проводить профориентационные мероприятия ежеквартально.
3. Рабочей группе обеспечить:
3.1. подготовку предложений по программе;
3.2. проведение мониторинга трудоустройства выпускников.
Срок: в течение месяца
4. Секретарю разослать протокол в установленные сроки.
Председатель А.Н. Рудометкин
Секретарь Т.В. Кудрявцева
"""


@pytest.fixture
def mapped(demo, users):
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=MAPPED)
    meeting = services.protocol_import_confirm(record=record, user=users["secretary"], number="8-и",
                                               date=datetime.date(2026, 10, 14))
    return meeting, list(Decision.objects.filter(agenda_item__meeting=meeting).order_by("order"))


def test_confirmed_sub_points_are_stored_under_their_decision(mapped):
    _meeting, rows = mapped
    top = rows[2]
    assert [(d.text[:20], d.parent_id) for d in rows] == [
        ("Информацию принять к", None), ("ОГБПОУ СмолАПО прово", None), ("Рабочей группе обесп", None),
        ("подготовку предложен", top.pk), ("проведение мониторин", top.pk), ("Секретарю разослать ", None)]
    assert [d.number for d in rows] == ["1", "2", "3", "3.1", "3.2", "4"]


def test_confirmed_heard_intro_is_the_items_decision_intro(mapped):
    meeting, _rows = mapped
    [item] = meeting.agenda_items.all()
    assert (item.decision_intro, item.discussion) == ("Заслушав информацию Рудометкина А.Н.", "")


def test_confirmed_deadlines_in_words_are_stored_as_written(mapped):
    _meeting, rows = mapped
    assert [(d.deadline, d.deadline_text) for d in rows] == [
        (None, ""), (None, "ежеквартально"), (None, ""), (None, ""), (None, "в течение месяца"),
        (None, "в установленные сроки")]
    assert rows[1].deadline_display == "ежеквартально"
