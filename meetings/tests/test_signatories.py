"""Who signs a protocol (``meetings.protocol.signatories``): the body's setting, or the protocol's own
(/meetings/<id>/signatories/, on a draft). A published protocol keeps its signers whatever the body's
setting becomes. The protocol page prints the same signers as the PDF (documents/tests)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.testing import Row, cases, check, expect
from meetings.models import Meeting, MeetingSignatory, MeetingStatus, SignedProtocolLocked
from meetings.protocol import build_protocol, protocol_queryset, signatories
from meetings.services import meeting_approve, meeting_submit
from meetings.tests.conftest import make_protocol
from members.models import Body, BodyMembership, BodyRole, BodySignatory, Person, SignatoriesStyle
from members.tests.test_body_signatories import signatories_post

pytestmark = pytest.mark.django_db


def signed_by(meeting):
    return [(s.position, s.name) for s in signatories(protocol_queryset().get(pk=meeting.pk))]


def set_body(demo, style, rows=()):
    council = demo["council"]
    Body.objects.filter(pk=council.pk).update(signatories=style)
    for n, (key, label) in enumerate(rows, start=1):
        BodySignatory.objects.create(body=council, person=demo["people"][key], label=label, order=n)


CHAIR = ("Председатель Координационного совета", "А.Н. Рудометкин")
SECRETARY = ("Секретарь Координационного совета", "Т.В. Кудрявцева")


@pytest.mark.parametrize("style, expected", [
    (SignatoriesStyle.CHAIR_SECRETARY, [CHAIR, SECRETARY]),
    (SignatoriesStyle.CHAIR, [CHAIR]),
    (SignatoriesStyle.SECRETARY, [SECRETARY]),
    (SignatoriesStyle.HEAD, [("Начальник Департамента цифрового развития Смоленской области", "А.Н. Рудометкин")]),
])
def test_the_body_setting_names_the_signers(demo, draft, style, expected):
    set_body(demo, style)
    assert signed_by(draft) == expected
    assert [(s.position, s.name) for s in build_protocol(protocol_queryset().get(pk=draft.pk)).signers] == expected


def test_signers_in_a_set_order(demo, draft):
    set_body(demo, SignatoriesStyle.CUSTOM, [("ivanova", "Начальник отдела"), ("rudometkin", "Начальник Департамента")])
    assert signed_by(draft) == [("Начальник отдела", "А.А. Иванова"), ("Начальник Департамента", "А.Н. Рудометкин")]
    assert [s.role for s in signatories(protocol_queryset().get(pk=draft.pk))] == ["signer-1", "signer-2"]


def test_the_protocols_own_setting_wins(demo, draft):
    set_body(demo, SignatoriesStyle.CUSTOM, [("ivanova", "Начальник отдела")])
    Meeting.objects.filter(pk=draft.pk).update(signatories=SignatoriesStyle.SECRETARY)
    assert signed_by(draft) == [SECRETARY]


def test_a_protocol_keeps_its_signers_once_approved(demo, on_approval, users):
    set_body(demo, SignatoriesStyle.CUSTOM, [("rudometkin", "Начальник Департамента")])
    meeting_approve(meeting=on_approval, user=users["chair"])
    Body.objects.filter(pk=demo["council"].pk).update(signatories=SignatoriesStyle.SECRETARY)
    BodySignatory.objects.all().delete()
    assert signed_by(on_approval) == [("Начальник Департамента", "А.Н. Рудометкин")]


def test_the_secretary_alone_signs_a_protocol_without_a_chair(demo, draft, users):
    set_body(demo, SignatoriesStyle.SECRETARY)
    Meeting.objects.filter(pk=draft.pk).update(chair=None)
    assert meeting_submit(meeting=draft, user=users["secretary"]).status == MeetingStatus.ON_APPROVAL


def test_a_new_protocol_gets_no_chair_line_when_the_secretary_alone_signs(client_as, demo):
    set_body(demo, SignatoriesStyle.SECRETARY)
    html = client_as("secretary").get("/meetings/new/").content.decode()
    assert "Кудрявцева Т.В." in html and "Рудометкин А.Н." not in html
    suggestion = client_as("secretary").get(f"/meetings/next-number/?body={demo['council'].pk}").json()
    assert suggestion["chair"] is None and suggestion["secretary"] == demo["people"]["kudryavtseva"].pk


# ---------------------------------------------------------------- the page /meetings/<id>/signatories/

def url(meeting):
    return f"/meetings/{meeting.pk}/signatories/"


def test_secretary_gives_a_draft_its_own_signers(client_as, demo, draft):
    p = demo["people"]
    response = client_as("secretary").post(url(draft), signatories_post(SignatoriesStyle.CUSTOM, [
        (p["rudometkin"].pk, "Начальник Департамента цифрового развития Смоленской области")]))
    assert response.status_code == 302
    assert signed_by(draft) == [("Начальник Департамента цифрового развития Смоленской области", "А.Н. Рудометкин")]
    page = client_as("secretary").get(f"/meetings/{draft.pk}/").content.decode()
    assert "Начальник Департамента цифрового развития Смоленской области</td><td>А.Н. Рудометкин" in page
    client_as("secretary").post(url(draft), signatories_post(""))
    assert signed_by(draft) == [CHAIR, SECRETARY] and not MeetingSignatory.objects.filter(meeting=draft).exists()


def test_an_empty_list_is_refused_with_a_russian_message(client_as, draft):
    response = client_as("secretary").post(url(draft), signatories_post(SignatoriesStyle.CUSTOM))
    assert response.status_code == 200 and "Укажите хотя бы одного подписанта" in response.content.decode()
    draft.refresh_from_db()
    assert draft.signatories == ""


def test_an_approved_protocol_keeps_its_signers(client_as, demo):
    meeting = demo["meeting_2017"]
    response = client_as("secretary").post(url(meeting), signatories_post(SignatoriesStyle.SECRETARY))
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    meeting.refresh_from_db()
    assert meeting.signatories == SignatoriesStyle.CHAIR_SECRETARY


@pytest.fixture
def objects(demo, draft, django_user_model):
    user = django_user_model.objects.create_user("other-secretary")
    person = Person.objects.create(last_name="Смирнова", first_name="Ольга", user=user)
    BodyMembership.objects.create(body=Body.objects.get(cluster=demo["other_cluster"]), person=person,
                                  role=BodyRole.SECRETARY, term_start=datetime.date(2021, 2, 1))
    other = make_protocol(demo, number="77")
    Meeting.objects.filter(pk=other.pk).update(cluster=demo["other_cluster"],
                                               body=Body.objects.get(cluster=demo["other_cluster"]))
    return {"draft": draft, "other": Meeting.objects.get(pk=other.pk), "other_secretary": user, **demo}


DRAFT = expect(200, 403, 404, 404, 200, other_secretary=404)
OTHER = expect(404, 404, 404, 404, 200, other_secretary=200)
TABLE = [
    Row("draft", lambda o: url(o["draft"]), "get", DRAFT),
    Row("other_cluster", lambda o: url(o["other"]), "get", OTHER),
    Row("draft", lambda o: url(o["draft"]), "post", {**DRAFT, "secretary": 302, "admin": 302},
        data=signatories_post(SignatoriesStyle.CHAIR), saves=True),
    Row("other_cluster", lambda o: url(o["other"]), "post", {**OTHER, "other_secretary": 302, "admin": 302},
        data=signatories_post(SignatoriesStyle.SECRETARY), saves=True),
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(client_as, objects, row, role):
    if role == "other_secretary":
        client = Client()
        client.force_login(objects["other_secretary"])
    else:
        client = client_as(role)
    check(client, row, role, objects)


def test_page_queries_do_not_grow(client_as, demo, draft, django_assert_max_num_queries):
    client = client_as("secretary")
    people = list(demo["people"].values())
    Meeting.objects.filter(pk=draft.pk).update(signatories=SignatoriesStyle.CUSTOM)
    MeetingSignatory.objects.create(meeting=draft, person=people[0], label="Член 1", order=1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(draft)).status_code == 200
    large = make_protocol(demo, items=30, number="78")
    Meeting.objects.filter(pk=large.pk).update(signatories=SignatoriesStyle.CUSTOM)
    MeetingSignatory.objects.bulk_create(MeetingSignatory(meeting=large, person=person, label=f"Член {n}", order=n)
                                         for n, person in enumerate(people[:15], start=1))
    with django_assert_max_num_queries(len(small)):
        response = client.get(url(large))
    assert "Член 15" in response.content.decode()


def test_a_signed_protocols_signers_cannot_change(demo):
    meeting = demo["meeting_2023"]
    with pytest.raises(SignedProtocolLocked, match="Протокол подписан и изменить его нельзя"):
        MeetingSignatory.objects.create(meeting=meeting, person=demo["people"]["ivanova"], label="Гость", order=1)
    with pytest.raises(SignedProtocolLocked, match="Протокол подписан и изменить его нельзя"):
        Meeting.objects.filter(pk=meeting.pk).update(signatories=SignatoriesStyle.CHAIR)
    assert not MeetingSignatory.objects.filter(meeting=meeting).exists()
