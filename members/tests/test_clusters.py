"""Setting up a cluster is one portal page: the cluster, its council, who signs, the first secretary;
she sets her password from the e-mail and enters her first protocol with no admin page."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from core.errors import DomainError
from meetings.models import Meeting
from meetings.tests.conftest import editor_post, meeting_fields
from members import services
from members.access import access_for
from members.models import AgendaNumbering, Body, BodyKind, BodyRole, Cluster, Person, SignatoriesStyle

pytestmark = pytest.mark.django_db
User = get_user_model()


def founded():
    return timezone.localdate() - datetime.timedelta(days=30)


def cluster_post(**overrides):
    return {
        "name": "Образовательно-производственный кластер агропромышленного комплекса", "short_name": "Агрокластер",
        "region": "Смоленская область", "founded_on": founded().isoformat(),
        "council_name": "Координационный совет", "council_name_genitive": "Координационного совета",
        "agenda_numbering": AgendaNumbering.ROMAN, "attendance_list_limit": "10",
        "council_signatories": SignatoriesStyle.CHAIR_SECRETARY,
        "secretary_username": "agro-secretary", "secretary_email": "ivanova@example.org",
        "secretary_last_name": "Иванова", "secretary_first_name": "Мария", "secretary_patronymic": "Петровна",
        "secretary_position": "ведущий специалист",
        "chair_last_name": "Сидоров", "chair_first_name": "Олег", "chair_patronymic": "Игоревич",
        "chair_position": "ректор",
        **overrides,
    }


def set_up(client_as, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client_as("admin").post("/clusters/new/", cluster_post(**overrides))


def test_administrator_sets_up_a_cluster_with_council_chair_and_secretary(client_as, django_capture_on_commit_callbacks):
    response = set_up(client_as, django_capture_on_commit_callbacks)
    cluster = Cluster.objects.get(short_name="Агрокластер")
    council = cluster.bodies.get()
    assert response["Location"] == f"/clusters/{cluster.pk}/roles/"
    assert (council.kind, council.agenda_numbering, council.attendance_list_limit) == (
        BodyKind.COUNCIL, AgendaNumbering.ROMAN, 10)
    seats = {seat.role: seat.person.full_name for seat in council.memberships.select_related("person")}
    assert seats == {BodyRole.SECRETARY: "Иванова Мария Петровна", BodyRole.CHAIR: "Сидоров Олег Игоревич"}


@pytest.mark.parametrize("style", [SignatoriesStyle.CHAIR, SignatoriesStyle.SECRETARY, SignatoriesStyle.HEAD])
def test_the_council_is_set_up_with_who_signs_its_protocols(client_as, django_capture_on_commit_callbacks, style):
    set_up(client_as, django_capture_on_commit_callbacks, council_signatories=style)
    assert Cluster.objects.get(short_name="Агрокластер").bodies.get().signatories == style


def test_a_set_list_of_signers_is_not_offered_before_the_council_exists(client_as, django_capture_on_commit_callbacks):
    response = set_up(client_as, django_capture_on_commit_callbacks, council_signatories=SignatoriesStyle.CUSTOM)
    assert response.status_code == 200 and "council_signatories" in response.context["form"].errors
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Cluster.objects.filter(short_name="Агрокластер").exists()


def test_new_secretary_gets_the_secretary_role_from_her_seat(client_as, django_capture_on_commit_callbacks):
    set_up(client_as, django_capture_on_commit_callbacks)
    user = User.objects.get(username="agro-secretary")
    cluster = Cluster.objects.get(short_name="Агрокластер")
    assert access_for(user, cluster.pk).is_secretary and not access_for(user, cluster.pk).is_chair
    assert not user.has_usable_password() and not user.is_staff


def test_new_secretary_gets_a_set_password_email_in_russian(client_as, django_capture_on_commit_callbacks):
    set_up(client_as, django_capture_on_commit_callbacks)
    message = mail.outbox[-1]
    assert message.to == ["ivanova@example.org"]
    assert message.subject == "Ваша учётная запись на кластерном портале: Агрокластер"
    assert "Здравствуйте, Мария Иванова!" in message.body and "Ваша учётная запись: agro-secretary" in message.body
    assert re.search(r"http://\S+/accounts/reset/\S+/\S+/", message.body)


def test_cluster_create_from_the_set_up_to_the_first_protocol(client_as, django_capture_on_commit_callbacks, demo):
    set_up(client_as, django_capture_on_commit_callbacks)
    link = re.search(r"http://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    client = Client()
    form_url = client.get(link)["Location"]  # Django hides the token behind a redirect
    done = client.post(form_url, {"new_password1": "Pole-Wheat-2026", "new_password2": "Pole-Wheat-2026"})
    assert done.status_code == 302

    assert client.login(username="agro-secretary", password="Pole-Wheat-2026")
    page = client.get("/meetings/new/")
    council = Body.objects.get(cluster__short_name="Агрокластер")
    assert page.status_code == 200
    assert f'<option value="{council.pk}" selected>Координационный совет (Агрокластер)</option>' in page.content.decode()

    secretary = Person.objects.get(user__username="agro-secretary")
    chair = Person.objects.get(last_name="Сидоров", first_name="Олег")
    fields = meeting_fields(demo, body=council.pk, number="1", date=timezone.localdate().isoformat(),
                            chair=chair.pk, secretary=secretary.pk)
    saved = client.post("/meetings/new/", editor_post(meeting=fields, items=[
        {"title": "Об организации работы кластера.", "decisions": [{"text": "Принять к сведению."}]}]))
    meeting = Meeting.objects.get(body=council)
    assert saved.status_code == 302 and saved["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.agenda_items.get().title == "Об организации работы кластера."


def test_existing_login_becomes_secretary_with_her_register_entry(client_as, users, demo):
    cluster_fields = {k: v for k, v in cluster_post().items() if not k.startswith("secretary_")}
    response = client_as("admin").post("/clusters/new/", {**cluster_fields, "secretary_user": users["member"].pk})
    council = Body.objects.get(cluster__short_name="Агрокластер")
    assert response.status_code == 302
    assert council.memberships.get(role=BodyRole.SECRETARY).person == demo["people"]["kazakov"]


def test_existing_login_without_a_person_gets_one(users, django_user_model):
    login = django_user_model.objects.create_user("petrova", first_name="Анна", last_name="Петрова")
    cluster = services.cluster_create(by=users["admin"], name="Кластер", council_name="Совет", secretary=login)
    assert cluster.bodies.get().memberships.get().person.user == login


def test_new_login_and_existing_login_together_are_refused(client_as, users):
    response = client_as("admin").post("/clusters/new/", cluster_post(secretary_user=users["member"].pk))
    assert "Выберите существующую учётную запись или заполните новую" in response.content.decode()
    assert not Cluster.objects.filter(short_name="Агрокластер").exists()


def test_taken_login_is_refused_and_nothing_is_created(client_as, django_capture_on_commit_callbacks):
    response = set_up(client_as, django_capture_on_commit_callbacks, secretary_username="Secretary")
    assert "Учётная запись Secretary уже занята." in response.content.decode()
    assert not Cluster.objects.filter(short_name="Агрокластер").exists() and not mail.outbox


def test_new_login_needs_an_email(client_as):
    response = client_as("admin").post("/clusters/new/", cluster_post(secretary_email=""))
    assert "Нужно для новой учётной записи" in response.content.decode()


def test_only_the_portal_administrator_sets_up_clusters(users):
    with pytest.raises(DomainError, match="Кластеры создаёт администратор портала."):
        services.cluster_create(by=users["secretary"], name="Кластер", council_name="Совет", secretary=users["member"])


def test_administrator_does_not_make_himself_secretary(users):
    with pytest.raises(DomainError, match="Назначить роль самому себе нельзя."):
        services.cluster_create(by=users["admin"], name="Кластер", council_name="Совет", secretary=users["admin"])


def test_secretary_edits_her_cluster_details(client_as, demo):
    cluster = demo["cluster"]
    response = client_as("secretary").post(f"/clusters/{cluster.pk}/edit/", {
        "name": cluster.name, "short_name": cluster.short_name, "region": "Смоленская обл.",
        "description": "Кластер ИКТ Смоленской области.",
    })
    cluster.refresh_from_db()
    assert response.status_code == 302 and (cluster.region, cluster.description) == (
        "Смоленская обл.", "Кластер ИКТ Смоленской области.")


def test_name_of_a_cluster_with_signed_protocols_is_fixed(demo):
    with pytest.raises(DomainError, match="напечатано его наименование"):
        services.cluster_update(cluster=demo["cluster"], name="Другое наименование")


def test_cluster_list_shows_the_set_up_button_to_the_administrator_only(client_as):
    assert "/clusters/new/" in client_as("admin").get("/clusters/").content.decode()
    assert "/clusters/new/" not in client_as("secretary").get("/clusters/").content.decode()


def test_cluster_list_shows_only_the_users_clusters(client_as):
    html = client_as("outsider").get("/clusters/").content.decode()
    assert "Кластер машиностроения" in html and "информационно-коммуникационных" not in html
