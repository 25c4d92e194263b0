"""The import pages: who may upload and review (roles × URLs, an outsider and another cluster's import),
bad input refused on the form with nothing saved, one review per file, and bounded query counts."""

import io
import pathlib
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import Row, cases, check, expect
from meetings.importing import services
from meetings.importing.models import ProtocolImport
from meetings.models import Meeting
from members.models import ClusterRole, Person, PortalRole

pytestmark = pytest.mark.django_db

SAMPLES = pathlib.Path(__file__).parent / "import_samples"
WORKING_GROUP = (SAMPLES / "working_group_heard_spoke.txt").read_text(encoding="utf-8")
SEED_2017 = (SAMPLES / "protocol_smolensk_ict_2017-11-20.txt").read_text(encoding="utf-8")
CONFIRM = {"number": "77", "date": "2023-11-14"}

TABLE = [
    Row("upload", "/meetings/import/", "get", expect(200, 403, 403, 403, 200)),
    Row("upload", "/meetings/import/", "post", expect(302, 403, 403, 403, 302),
        data=lambda o: {"body": o["council"], "text": WORKING_GROUP}, saves=True),
    Row("review", "/meetings/import/{mine}/", "get", expect(200, 403, 404, 404, 200)),
    Row("review", "/meetings/import/{mine}/", "post", expect(302, 403, 404, 404, 302), data=CONFIRM, saves=True),
    Row("review_rematch", "/meetings/import/{mine}/", "post", expect(302, 403, 404, 404, 302), data={"rematch": "1"}),
    Row("review_discard", "/meetings/import/{mine}/", "post", expect(302, 403, 404, 404, 302), data={"discard": "1"},
        saves=True),
    Row("other_cluster_review", "/meetings/import/{other}/", "get", expect(404, 404, 404, 404, 200)),
    Row("other_cluster_review", "/meetings/import/{other}/", "post", expect(404, 404, 404, 404, 302), data=CONFIRM),
    Row("junk_token", "/meetings/import/no-such-token/", "get", expect(404, 404, 404, 404, 404)),
    Row("junk_token", "/meetings/import/no-such-token/", "post", expect(404, 404, 404, 404, 404), data=CONFIRM),
]


@pytest.fixture
def objects(demo, users):
    mine = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=WORKING_GROUP,
                                         file_name="wg.txt")
    other_body = demo["other_cluster"].bodies.get()
    other = services.protocol_import_read(body=other_body, user=users["admin"], text=WORKING_GROUP)
    return {"mine": mine.token, "other": other.token, "council": demo["council"].pk}


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_role_gets_expected_status(client_as, objects, row, role):
    check(client_as(role), row, role, objects)


def test_confirm_creates_one_draft_of_the_body_and_links_the_editor(client_as, demo, objects):
    client = client_as("secretary")
    response = client.post(f"/meetings/import/{objects['mine']}/", CONFIRM, follow=True)
    meeting = ProtocolImport.objects.get(token=objects["mine"]).meeting
    assert (meeting.status, meeting.body_id, meeting.number) == ("draft", demo["council"].pk, "77")
    assert f'href="/meetings/{meeting.pk}/edit/"' in response.content.decode()
    client.post(f"/meetings/import/{objects['mine']}/", CONFIRM)  # a second click creates nothing more
    assert Meeting.objects.filter(number="77").count() == 1


def test_a_body_of_another_cluster_is_refused_and_nothing_is_saved(client_as, demo):
    other_body = demo["other_cluster"].bodies.get()
    response = client_as("secretary").post("/meetings/import/", {"body": other_body.pk, "text": WORKING_GROUP})
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not ProtocolImport.objects.exists()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (40 * 1024 * 1024))
    return buffer.getvalue()


def test_bad_files_are_named_with_a_russian_reason_and_nothing_is_saved(client_as, demo):
    files = [SimpleUploadedFile("good.txt", WORKING_GROUP.encode()),
             SimpleUploadedFile("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 64),
             SimpleUploadedFile("bomb.docx", _zip_bomb())]
    response = client_as("secretary").post("/meetings/import/", {"body": demo["council"].pk, "file": files})
    html = response.content.decode()
    assert response.status_code == 200
    assert "«old.doc»: Файлы .doc не импортируются" in html and "«bomb.docx»: Документ не принят" in html
    assert not ProtocolImport.objects.exists()


def test_an_empty_upload_asks_for_a_file_or_text(client_as, demo):
    response = client_as("secretary").post("/meetings/import/", {"body": demo["council"].pk, "text": "  "})
    assert "Выберите файл или вставьте текст протокола." in response.content.decode()


def test_several_files_become_one_review_each(client_as, demo):
    files = [SimpleUploadedFile("wg.txt", WORKING_GROUP.encode()), SimpleUploadedFile("2017.md", SEED_2017.encode())]
    client = client_as("secretary")
    response = client.post("/meetings/import/", {"body": demo["council"].pk, "file": files}, follow=True)
    html = response.content.decode()
    records = list(ProtocolImport.objects.order_by("id"))
    assert [r.file_name for r in records] == ["wg.txt", "2017.md"]
    assert all(f'href="/meetings/import/{r.token}/"' in html for r in records)


def test_a_large_upload_without_a_worker_is_parsed_right_after_its_request(client_as, demo,
                                                                          django_capture_on_commit_callbacks):
    """The immediate task backend (a deployment with no worker): the jobs run once the upload commits."""
    files = [SimpleUploadedFile(f"wg{n}.txt", WORKING_GROUP.encode()) for n in range(services.PARSE_IN_REQUEST + 1)]
    client = client_as("secretary")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/meetings/import/", {"body": demo["council"].pk, "file": files})
    assert response.status_code == 302
    assert ProtocolImport.objects.filter(parsed_at__isnull=False).count() == len(files)
    html = client.get("/meetings/import/").content.decode()
    assert "остальные читаются" not in html and "hx-trigger" not in html
    assert all(f'href="/meetings/import/{r.token}/"' in html for r in ProtocolImport.objects.all())


def test_review_shows_the_source_beside_the_protocol_and_marks_what_is_uncertain(client_as, demo, users):
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=SEED_2017)
    html = client_as("secretary").get(f"/meetings/import/{record.token}/").content.decode()
    assert '<span id="L41">' in html  # every source line, to link to
    duplicate = record.result["items"][0]["decisions"][4]
    assert f'<a href="#L{duplicate["line"]}">строка {duplicate["line"]}</a>: Номер «4» повторяется' in html
    assert "Председатель в тексте не указан" in html
    assert "ОГБПОУ СмолАПО" in html and "до 8 декабря 2017 г." in html
    assert not Meeting.objects.filter(date="2017-11-20", status="draft").exists()  # nothing saved by reviewing


def test_a_taken_number_is_said_on_the_form_and_nothing_is_saved(client_as, demo, users):
    text = (SAMPLES / "protocol_smolensk_ict_2023-03-30.txt").read_text(encoding="utf-8")
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=text)
    count = Meeting.objects.count()
    response = client_as("secretary").post(f"/meetings/import/{record.token}/", {"number": "2", "date": "2023-03-30"})
    assert response.status_code == 200 and 'id="confirm-errors"' in response.content.decode()
    assert Meeting.objects.count() == count


def test_rematch_finds_a_person_added_to_the_register_after_the_upload(client_as, demo, users):
    text = WORKING_GROUP.replace("3. Казаков А.В., директор", "3. Новикова Анна Сергеевна, методист")
    record = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=text)
    assert record.result["attendance"][2]["match"] is None
    html = client_as("secretary").get(f"/meetings/import/{record.token}/").content.decode()
    assert "нет в реестре" in html and 'href="/members/people/new/"' in html
    novikova = Person.objects.create(last_name="Новикова", first_name="Анна", patronymic="Сергеевна",
                                     organization=demo["orgs"]["copp"])
    client_as("secretary").post(f"/meetings/import/{record.token}/", {"rematch": "1"})
    record.refresh_from_db()
    assert record.result["attendance"][2]["match"]["id"] == novikova.pk and not record.is_confirmed


def test_discard_drops_an_unconfirmed_import_only(client_as, objects):
    client = client_as("secretary")
    client.post(f"/meetings/import/{objects['mine']}/", CONFIRM)
    client.post(f"/meetings/import/{objects['mine']}/", {"discard": "1"})
    assert ProtocolImport.objects.get(token=objects["mine"]).is_confirmed  # the draft keeps its source
    assert client.post(f"/meetings/import/{objects['other']}/", {"discard": "1"}).status_code == 404


def test_a_missing_date_is_asked_for(client_as, objects):
    response = client_as("secretary").post(f"/meetings/import/{objects['mine']}/", {"number": "5", "date": ""})
    assert response.status_code == 200 and "Обязательное поле." in response.content.decode()


# ---------------------------------------------------------------- query counts


def _protocol(items: int) -> str:
    lines = ["ПРОТОКОЛ № 9", "заседания Координационного совета", "Дата проведения: 01.02.2024", "ПОВЕСТКА ДНЯ:"]
    lines += [f"{n}. Вопрос {n}." for n in range(1, items + 1)]
    for n in range(1, items + 1):
        lines += [f"Вопрос №{n}: Вопрос {n}.", "РЕШЕНИЕ:", f"1. Принять к сведению доклад {n}.",
                  f"2. ОГБПОУ СмолАПО подготовить отчёт {n} в срок до 01.03.2024.", "Ответственный: Козлов С.В."]
    return "\n".join(lines)


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_review_page_does_not_grow_with_the_protocol(client_as, demo, users, django_assert_max_num_queries):
    client = client_as("secretary")
    small = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=_protocol(2))
    large = services.protocol_import_read(body=demo["council"], user=users["secretary"], text=_protocol(30))
    baseline = _count(client, f"/meetings/import/{small.token}/")
    with django_assert_max_num_queries(baseline):
        client.get(f"/meetings/import/{large.token}/")


def test_upload_page_does_not_grow_with_waiting_imports(client_as, demo, users, django_assert_max_num_queries):
    client = client_as("secretary")
    services.protocol_import_read(body=demo["council"], user=users["secretary"], text=_protocol(1))
    baseline = _count(client, "/meetings/import/")
    for _n in range(20):
        services.protocol_import_read(body=demo["council"], user=users["secretary"], text=_protocol(1))
    with django_assert_max_num_queries(baseline):
        client.get("/meetings/import/")


def test_reading_a_protocol_costs_a_fixed_number_of_queries(demo, users, django_assert_max_num_queries):
    services.protocol_import_read(body=demo["council"], user=users["secretary"], text=_protocol(2))
    with CaptureQueriesContext(connection) as small:
        services.protocol_import_read(body=demo["council"], user=users["secretary"], text=_protocol(2))
    with django_assert_max_num_queries(len(small.captured_queries)):
        services.protocol_import_read(body=demo["council"], user=users["secretary"], text=_protocol(30))


# ---------------------------------------------------------------- across clusters


def test_another_clusters_secretary_imports_only_into_her_cluster_and_matches_only_its_register(
        client_as, demo, users, objects):
    ClusterRole.objects.create(user=users["outsider"], cluster=demo["other_cluster"], role=PortalRole.SECRETARY)
    client = client_as("outsider")
    assert client.get(f"/meetings/import/{objects['mine']}/").status_code == 404
    before = ProtocolImport.objects.count()
    response = client.post("/meetings/import/", {"body": demo["council"].pk, "text": SEED_2017})
    assert "Выберите корректный вариант" in response.content.decode() and ProtocolImport.objects.count() == before

    other_body = demo["other_cluster"].bodies.get()
    response = client.post("/meetings/import/", {"body": other_body.pk, "text": SEED_2017})
    record = ProtocolImport.objects.latest("id")
    assert response.status_code == 302 and record.body == other_body
    ict_people = set(Person.objects.filter(organization__memberships__cluster=demo["cluster"]).values_list("pk", flat=True))
    matched = {a["match"]["id"] for a in record.result["attendance"] if a["match"]}
    parties = [d["parties"] for item in record.result["items"] for d in item["decisions"]]
    assert not matched & ict_people and not any(p["organizations"] or p["people"] for p in parties)
    assert any("ОГБПОУ СмолАПО" in s for p in parties for s in p["suggestions"])  # offered as new, not matched
