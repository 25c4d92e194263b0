"""«Присутствовали» as real protocols write it (issue 12): grouped by organisation, numbered, in person /
online / invited, free-text rows with their position and organisation, long lines kept whole, and the
limit above which the list goes to the appendix set per body or per protocol by the secretary."""

import datetime

import pytest

from meetings.models import Attendance, AttendanceMode, Meeting
from meetings.protocol import attendance, attendance_list_limit, build_protocol, protocol_queryset
from meetings.tests.conftest import editor_post, meeting_fields

pytestmark = pytest.mark.django_db

INSTITUTE = "ФГБОУ ДПО «Институт развития профессионального образования»"
LONG_POSITION = "заместитель директора по учебно-методической работе " * 20  # over 1000 characters


@pytest.fixture
def meeting(demo):
    return Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], number="61",
                                  date=datetime.date(2026, 6, 10), chair=demo["people"]["rudometkin"],
                                  secretary=demo["people"]["kudryavtseva"])


def add(meeting, *rows):
    for order, row in enumerate(rows, start=1):
        Attendance.objects.create(meeting=meeting, order=order, **row)
    return protocol_queryset().get(pk=meeting.pk)


def test_a_free_text_row_prints_its_position_and_organisation(meeting):
    loaded = add(meeting, {"name_text": "Бондарь Ольга Александровна", "position_text": "проректор",
                           "organization_text": INSTITUTE})
    assert attendance(loaded).members == [f"Бондарь Ольга Александровна, проректор, {INSTITUTE}"]


def test_a_person_keeps_a_typed_organisation_beside_the_register_position(demo, meeting):
    kazakov = demo["people"]["kazakov"]
    loaded = add(meeting, {"person": kazakov, "organization_text": INSTITUTE})
    assert attendance(loaded).members == [f"{kazakov.full_name}, {kazakov.position}, {INSTITUTE}"]


def test_long_lines_are_kept_whole(meeting):
    loaded = add(meeting, {"name_text": "Соколов Андрей Сергеевич", "position_text": LONG_POSITION,
                           "organization_text": INSTITUTE * 5})
    row = loaded.attendances.get()
    assert row.position_text == LONG_POSITION and row.organization_text == INSTITUTE * 5
    assert LONG_POSITION.strip() in attendance(loaded).members[0]


def test_grouped_by_organisation_in_the_order_of_the_first_attendee(demo, meeting):
    meeting.attendance_grouped = True
    meeting.save()
    kazakov = demo["people"]["kazakov"]
    loaded = add(
        meeting,
        {"name_text": "Бондарь О.А.", "organization_text": INSTITUTE},
        {"person": kazakov},
        {"name_text": "Соколов А.С.", "organization_text": INSTITUTE},
        {"name_text": "Представитель Департамента цифрового развития"},
        {"name_text": "Иванов И.И.", "organization_text": INSTITUTE, "mode": AttendanceMode.ONLINE},
        {"name_text": "Петров П.П.", "position_text": "эксперт", "organization_text": "АНО «Центр»", "invited": True},
    )
    block = attendance(loaded)
    assert block.members == [f"от {INSTITUTE}: Бондарь О.А., Соколов А.С.",
                             f"от {kazakov.organization}: {kazakov.surname_initials}",
                             "Представитель Департамента цифрового развития"]
    assert block.online == [f"от {INSTITUTE}: Иванов И.И."]
    assert block.invited == ["от АНО «Центр»: Петров П.П. (эксперт)"]


def test_numbered_lists_count_each_part_from_one(meeting):
    meeting.attendance_numbered = True
    meeting.save()
    loaded = add(meeting, {"name_text": "Бондарь О.А."}, {"name_text": "Соколов А.С."},
                 {"name_text": "Иванов И.И.", "invited": True})
    block = attendance(loaded)
    assert block.members == ["1. Бондарь О.А.", "2. Соколов А.С."]
    assert block.invited == ["1. Иванов И.И."]


def test_the_protocols_limit_overrides_the_bodys_and_the_portals(demo, meeting, settings):
    settings.PROTOCOL_ATTENDANCE_LIST_LIMIT = 15
    loaded = add(meeting, *({"name_text": f"Участник {n}"} for n in range(6)))
    assert attendance_list_limit(loaded) == 15 and attendance(loaded).listed
    demo["council"].attendance_list_limit = 10
    demo["council"].save()
    meeting.attendance_limit = 5
    meeting.save()
    loaded = protocol_queryset().get(pk=meeting.pk)
    assert attendance_list_limit(loaded) == 5
    protocol = build_protocol(loaded)
    assert not protocol.attendance.listed
    assert protocol.attendance.count_line == "6 чел. (список прилагается)"
    assert [row.line for row in protocol.appendix] == [f"Участник {n}" for n in range(6)]
    assert protocol.appendix_heading == "к протоколу № 61 от 10 июня 2026 г."


def test_the_secretary_sets_layout_limit_and_free_text_rows_in_the_editor(client_as, demo):
    data = editor_post(
        meeting=meeting_fields(demo, attendance_limit="3", attendance_numbered="on", attendance_grouped="on"),
        attendance=[{"name_text": "Бондарь О.А.", "position_text": LONG_POSITION, "organization_text": INSTITUTE},
                    {"name_text": "Соколов А.С.", "organization_text": INSTITUTE, "mode": "online"}],
    )
    assert client_as("secretary").post("/meetings/new/", data).status_code == 302
    meeting = Meeting.objects.get(number="5", year=2026)
    assert (meeting.attendance_limit, meeting.attendance_numbered, meeting.attendance_grouped) == (3, True, True)
    rows = list(meeting.attendances.all())
    assert [(r.name_text, r.position_text, r.organization_text) for r in rows] == [
        ("Бондарь О.А.", LONG_POSITION.strip(), INSTITUTE), ("Соколов А.С.", "", INSTITUTE)]
    html = client_as("secretary").get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert INSTITUTE in html and 'name="m-attendance_limit" value="3"' in html


def test_a_negative_limit_is_refused_beside_the_field_and_nothing_is_saved(client_as, demo):
    data = editor_post(meeting=meeting_fields(demo, attendance_limit="-1"), attendance=[{"name_text": "Бондарь О.А."}])
    response = client_as("secretary").post("/meetings/new/", data)
    assert response.status_code == 200
    assert "Убедитесь, что это значение больше либо равно 0." in response.content.decode()
    assert not Meeting.objects.filter(number="5", year=2026).exists()


def test_the_page_prints_the_grouped_numbered_list(client_as, meeting):
    meeting.attendance_grouped = meeting.attendance_numbered = True
    meeting.save()
    add(meeting, {"name_text": "Бондарь О.А.", "organization_text": INSTITUTE},
        {"name_text": "Соколов А.С.", "organization_text": INSTITUTE})
    html = client_as("secretary").get(f"/meetings/{meeting.pk}/").content.decode()
    assert "1. от ФГБОУ ДПО «Институт развития профессионального образования»: Бондарь О.А., Соколов А.С." in html \
        .replace("&laquo;", "«").replace("&raquo;", "»")


def test_the_secretary_sets_the_bodys_limit_and_its_protocols_attach_the_list(client_as, demo):
    from members.tests.test_bodies_and_duplicates import body_post

    group = demo["working_group"]
    post = body_post(kind=group.kind, name=group.name, name_genitive=group.name_genitive,
                     parent=group.parent_id or "", attendance_list_limit="2")
    assert client_as("secretary").post(f"/members/bodies/{group.pk}/edit/", post).status_code == 302
    meeting = Meeting.objects.create(cluster=demo["cluster"], body=group, number="3", date=datetime.date(2026, 6, 1))
    add(meeting, *({"name_text": f"Участник {n}"} for n in range(3)))
    html = client_as("secretary").get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Присутствовали: 3 чел. (список прилагается)" in html and 'id="protocol-appendix"' in html
