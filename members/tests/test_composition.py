"""Changing a body's composition as of a date, and portal rights following it."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model

from core.errors import DomainError
from members import services
from members.access import access_for, cluster_roles
from members.models import BodyMembership, BodyRole, PortalRole

pytestmark = pytest.mark.django_db
D = datetime.date


def fresh(user):
    """A new instance: roles are cached on the user object for one request."""
    return get_user_model().objects.get(pk=user.pk)


def hand_over_secretary(demo, on):
    return services.body_change_composition(body=demo["council"], role=BodyRole.SECRETARY,
                                            person=demo["people"]["kazakov"], on=on)


def test_old_secretarys_term_ends_the_day_before(demo):
    hand_over_secretary(demo, D(2025, 9, 1))
    old = BodyMembership.objects.get(body=demo["council"], person=demo["people"]["kudryavtseva"])
    assert old.term_end == D(2025, 8, 31)


def test_the_presidium_follows_the_council(demo):
    seats = hand_over_secretary(demo, D(2025, 9, 1))
    assert {seat.body for seat in seats} == {demo["council"], demo["presidium"]}


def test_new_secretary_gets_the_rights_and_the_old_one_loses_them(demo, users):
    hand_over_secretary(demo, D(2025, 9, 1))
    assert access_for(fresh(users["member"]), demo["cluster"].pk).is_secretary
    assert not access_for(fresh(users["secretary"]), demo["cluster"].pk).is_secretary


def test_rights_move_on_the_date_of_a_future_hand_over(demo, users):
    hand_over_secretary(demo, D(2027, 1, 10))
    cluster = demo["cluster"].pk
    assert PortalRole.SECRETARY not in cluster_roles(fresh(users["member"]), D(2027, 1, 9))[cluster]
    assert PortalRole.SECRETARY in cluster_roles(fresh(users["member"]), D(2027, 1, 10))[cluster]
    assert PortalRole.SECRETARY not in cluster_roles(fresh(users["secretary"]), D(2027, 1, 10))[cluster]


# The pages follow today's composition: look after the hand-over of 01.11.2026.
@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_hand_over_through_the_browser_form_moves_the_pages_too(client_as, demo):
    response = client_as("secretary").post(f"/members/bodies/{demo['council'].pk}/change/", {
        "role": BodyRole.SECRETARY, "person": demo["people"]["kazakov"].pk, "on": "2026-11-01",
        "include_children": "on",
    })
    assert response.status_code == 302
    assert client_as("member").get(f"/members/bodies/{demo['council'].pk}/change/").status_code == 200
    assert client_as("secretary").get(f"/members/bodies/{demo['council'].pk}/change/").status_code == 403


def test_old_composition_stays_visible_as_of_earlier_dates(client_as, demo):
    hand_over_secretary(demo, D(2025, 9, 1))
    client, url = client_as("member"), f"/members/bodies/{demo['council'].pk}/"
    before = client.get(f"{url}?on=2025-08-31").content.decode().split('id="composition"')[1].split("</section>")[0]
    after = client.get(f"{url}?on=2025-09-01").content.decode().split('id="composition"')[1].split("</section>")[0]
    assert "Кудрявцева" in before and "Казаков" not in before.split("Секретарь")[1].split("</tr>")[0]
    assert "Казаков" in after.split("Секретарь")[1].split("</tr>")[0]


# The page shows today's composition: look within the new chair's term.
@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_new_chair_elected_for_five_years_shows_the_terms_end(client_as, demo):
    services.body_change_composition(body=demo["council"], role=BodyRole.CHAIR, person=demo["people"]["taptsov"],
                                     on=D(2026, 1, 1), term_end=D(2030, 12, 31))
    page = client_as("member").get(f"/members/bodies/{demo['council'].pk}/").content.decode()
    assert "Тапцов" in page and "срок полномочий до 31 декабря 2030 г." in page


def test_chair_term_is_cut_short_by_the_hand_over(demo):
    services.body_change_composition(body=demo["council"], role=BodyRole.CHAIR, person=demo["people"]["taptsov"],
                                     on=D(2026, 1, 1))
    rudometkin = BodyMembership.objects.get(body=demo["council"], person=demo["people"]["rudometkin"])
    assert rudometkin.term_end == D(2025, 12, 31)


def test_hand_over_on_the_day_the_holder_started_is_refused(demo):
    with pytest.raises(DomainError, match="начинаются в эту дату или позже"):
        services.body_change_composition(body=demo["council"], role=BodyRole.SECRETARY,
                                         person=demo["people"]["kazakov"], on=D(2022, 12, 16))


def test_the_same_person_cannot_take_over_from_themselves(demo):
    with pytest.raises(DomainError, match="уже занимает эту роль"):
        services.body_change_composition(body=demo["council"], role=BodyRole.SECRETARY,
                                         person=demo["people"]["kudryavtseva"], on=D(2025, 1, 1))


def test_nothing_is_half_saved_when_the_hand_over_fails(demo):
    # A later secretary already appointed in the presidium only: the council part must roll back too.
    BodyMembership.objects.filter(body=demo["presidium"], role=BodyRole.SECRETARY, term_end__isnull=True).update(
        term_end=D(2027, 12, 31))
    BodyMembership.objects.create(body=demo["presidium"], person=demo["people"]["kozlov"], role=BodyRole.SECRETARY,
                                  term_start=D(2028, 1, 1))
    with pytest.raises(DomainError, match="Президиум Координационного совета: в этой роли уже назначен преемник"):
        hand_over_secretary(demo, D(2025, 9, 1))
    assert BodyMembership.objects.get(body=demo["council"], person=demo["people"]["kudryavtseva"]).term_end is None


def test_a_member_seat_is_added_without_ending_others(demo):
    services.body_change_composition(body=demo["working_group"], role=BodyRole.MEMBER,
                                     person=demo["people"]["kozlov"], on=D(2023, 4, 1))
    services.body_change_composition(body=demo["working_group"], role=BodyRole.MEMBER,
                                     person=demo["people"]["kazakov"], on=D(2023, 4, 1))
    assert demo["working_group"].members_on(D(2023, 5, 1)).count() == 2


def test_secretary_ends_a_members_term(client_as, demo):
    seat = BodyMembership.objects.get(body=demo["council"], person=demo["people"]["gavrilov"])
    client_as("secretary").post(f"/members/seats/{seat.pk}/end/", {"on": "2026-06-30"})
    seat.refresh_from_db()
    assert seat.term_end == D(2026, 6, 30)


def test_ending_a_term_before_it_started_is_refused(client_as, demo):
    seat = BodyMembership.objects.get(body=demo["council"], person=demo["people"]["gavrilov"])
    response = client_as("secretary").post(f"/members/seats/{seat.pk}/end/", {"on": "2010-01-01"}, follow=True)
    assert "не может закончиться раньше начала" in response.content.decode()
