"""The admin's page of protocol imports: the portal administrator sees every import with its body, cluster,
author, dates and draft, reads the source and the parsed result but edits nothing; deletes an unconfirmed
import, never a confirmed one (it names its draft's source). Nobody else gets in."""

import datetime
import pathlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import Row, cases, check, expect
from meetings.importing import services
from meetings.importing.models import ProtocolImport

pytestmark = pytest.mark.django_db

SAMPLES = pathlib.Path(__file__).parent / "import_samples"
WORKING_GROUP = (SAMPLES / "working_group_heard_spoke.txt").read_text(encoding="utf-8")
LIST = "/admin/meetings/protocolimport/"


@pytest.fixture
def objects(demo, users):
    waiting = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=WORKING_GROUP,
                                            file_name="waiting.txt")
    confirmed = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=WORKING_GROUP,
                                              file_name="confirmed.txt")
    meeting = services.protocol_import_confirm(record=confirmed, user=users["secretary"], number="adm-1",
                                               date=datetime.date(2023, 11, 14))
    return {"waiting": waiting.pk, "confirmed": confirmed.pk, "meeting": meeting}


TABLE = [
    Row("list", LIST, "get", expect(302, 302, 302, 302, 200)),
    Row("view", LIST + "{waiting}/change/", "get", expect(302, 302, 302, 302, 200)),
    Row("edit", LIST + "{waiting}/change/", "post", expect(302, 302, 302, 302, 403), data={"file_name": "x.txt"}),
    Row("add", LIST + "add/", "get", expect(302, 302, 302, 302, 403)),
    Row("delete_waiting", LIST + "{waiting}/delete/", "post", expect(302, 302, 302, 302, 302), data={"post": "yes"},
        saves=True),
    Row("delete_confirmed", LIST + "{confirmed}/delete/", "get", expect(302, 302, 302, 302, 403)),
    Row("delete_confirmed", LIST + "{confirmed}/delete/", "post", expect(302, 302, 302, 302, 403),
        data={"post": "yes"}),
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_role_gets_expected_status(client_as, objects, row, role):
    check(client_as(role), row, role, objects)


def test_the_list_names_body_cluster_author_dates_and_draft(client_as, demo, objects):
    html = client_as("admin").get(LIST).content.decode()
    for text in ("waiting.txt", "confirmed.txt", demo["council"].name, str(demo["cluster"]), "secretary",
                 str(objects["meeting"])):
        assert text in html, text


def test_the_record_is_shown_read_only_with_its_source_and_result(client_as, objects):
    client = client_as("admin")
    html = client.get(f"{LIST}{objects['waiting']}/change/").content.decode()
    assert "Казаков А.В." in html and "&quot;attendance&quot;" in html  # the source and the parsed JSON
    assert 'name="source_text"' not in html and 'name="result"' not in html and 'name="_save"' not in html
    before = ProtocolImport.objects.values().get(pk=objects["waiting"])
    client.post(f"{LIST}{objects['waiting']}/change/", {"file_name": "x.txt", "source_text": "x"})
    assert ProtocolImport.objects.values().get(pk=objects["waiting"]) == before


def test_an_unconfirmed_import_is_deleted_a_confirmed_one_kept(client_as, objects):
    client = client_as("admin")
    assert client.post(f"{LIST}{objects['waiting']}/delete/", {"post": "yes"}).status_code == 302
    assert not ProtocolImport.objects.filter(pk=objects["waiting"]).exists()
    assert client.post(f"{LIST}{objects['confirmed']}/delete/", {"post": "yes"}).status_code == 403
    assert ProtocolImport.objects.filter(pk=objects["confirmed"]).exists()


def test_a_bulk_delete_with_a_confirmed_import_deletes_nothing(client_as, objects):
    client = client_as("admin")
    data = {"action": "delete_selected", "_selected_action": [objects["waiting"], objects["confirmed"]], "post": "yes"}
    response = client.post(LIST, data)
    assert response.status_code == 200 and "confirmed.txt" in response.content.decode()
    assert ProtocolImport.objects.count() == 2
    data["_selected_action"] = [objects["waiting"]]
    assert client.post(LIST, data).status_code == 302
    assert list(ProtocolImport.objects.values_list("pk", flat=True)) == [objects["confirmed"]]


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_does_not_grow_with_the_imports(client_as, demo, users, objects, django_assert_max_num_queries):
    client = client_as("admin")
    baseline = _count(client, LIST)
    other_body = demo["other_cluster"].bodies.get()
    for n in range(15):
        services.protocol_import_read(body=other_body if n % 2 else demo["council"], user=users["admin"],
                                      text=WORKING_GROUP, file_name=f"more{n}.txt")
    with django_assert_max_num_queries(baseline):
        client.get(LIST)
