"""Organisation, person and body pages: what each shows."""

import datetime

import pytest
import time_machine

from meetings.models import Attendance

pytestmark = pytest.mark.django_db


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_organisation_page_lists_representatives_and_history(client_as, demo):
    page = html(client_as("member"), f"/members/organizations/{demo['orgs']['copp'].pk}/")
    assert "Зарянкина" in page and "Вступила 20 ноября 2017 г." in page


def test_organisation_page_shows_open_assignments_and_plan_items(client_as, demo):
    # Decision 3.2 of 30.03.2023 recommends СОГАУ ДПО «ЦОПП» to work out proposals.
    page = html(client_as("member"), f"/members/organizations/{demo['orgs']['copp'].pk}/")
    assert "3.2 — протокол № 2 от 30.03.2023" in page
    digital = html(client_as("member"), f"/members/organizations/{demo['orgs']['dep_digital'].pk}/")
    assert "Актуализация состава участников" in digital


def test_invitation_shows_the_decision_that_sent_it(client_as, demo):
    page = html(client_as("member"), f"/members/organizations/{demo['orgs']['smolgu'].pk}/")
    assert "Приглашена 30 марта 2023 г. — решение 1.5, протокол № 2 от 30.03.2023" in page


def test_branch_page_names_its_head_organisation(client_as, demo):
    page = html(client_as("member"), f"/members/organizations/{demo['orgs']['college'].pk}/")
    assert "Головная организация" in page and "СПбГУТ" in page


def test_person_page_shows_bodies_with_terms(client_as, demo):
    page = html(client_as("member"), f"/members/people/{demo['people']['rudometkin'].pk}/")
    assert "председатель" in page and "по 15 декабря 2027 г." in page


def test_person_page_shows_meetings_attended(client_as, demo):
    page = html(client_as("member"), f"/members/people/{demo['people']['churanov'].pk}/")
    assert "20 ноября 2017 г. — Координационный совет" in page


def test_member_does_not_see_draft_meetings_on_a_person_page(client_as, demo):
    from meetings.models import Meeting, MeetingStatus

    draft = Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], date=datetime.date(2026, 12, 1),
                                   status=MeetingStatus.DRAFT)
    Attendance.objects.create(meeting=draft, person=demo["people"]["churanov"])
    url = f"/members/people/{demo['people']['churanov'].pk}/"
    assert "1 декабря 2026 г." not in html(client_as("member"), url)
    assert "1 декабря 2026 г." in html(client_as("secretary"), url)


def test_person_page_shows_their_assignments(client_as, demo):
    # Decision 1.5 is addressed to the secretary of the council in person.
    page = html(client_as("member"), f"/members/people/{demo['people']['kudryavtseva'].pk}/")
    assert "1.5 — протокол № 2 от 30.03.2023" in page


def test_person_search_by_surname_is_case_insensitive(client_as, demo):
    page = html(client_as("member"), "/members/people/?q=кудряв")
    assert "Кудрявцева Татьяна Владимировна" in page and "Рудометкин" not in page


# Today's composition: Рудометкин's term ends on 15.12.2027, so look on a fixed day within it.
@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_body_shows_the_current_composition_with_the_chairs_term(client_as, demo):
    page = html(client_as("member"), f"/members/bodies/{demo['council'].pk}/")
    assert "Рудометкин" in page and "срок полномочий до 15 декабря 2027 г." in page


def test_body_as_of_2018_shows_the_first_presidium(client_as, demo):
    page = html(client_as("member"), f"/members/bodies/{demo['council'].pk}/?on=2018-01-01")
    composition = page.split('id="composition"')[1].split("</section>")[0]
    assert "Чуранов" in composition and "Рудометкин" not in composition


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_body_today_lists_the_2017_presidium_as_past_terms(client_as, demo):
    page = html(client_as("member"), f"/members/bodies/{demo['council'].pk}/")
    past = page.split('id="past"')[1]
    assert "Белокопытов" in past and "20 ноября 2017 г. – 15 декабря 2022 г." in past
