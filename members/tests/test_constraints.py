import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import BodyMembership, BodyRole, Membership, MembershipStatus, Organization, OrganizationKind

pytestmark = pytest.mark.django_db


def test_second_open_secretary_is_rejected_by_the_database(demo):
    with pytest.raises(IntegrityError, match=r"body_one_open_chair_or_secretary|UNIQUE constraint failed: members_bodymembership\.body_id"), \
            transaction.atomic():
        BodyMembership.objects.create(
            body=demo["council"], person=demo["people"]["kazakov"], role=BodyRole.SECRETARY,
            term_start=datetime.date(2024, 1, 1),
        )


def test_chair_overlapping_a_fixed_term_is_rejected_on_validation(demo):
    # Рудометкин's five-year term runs to 2027-12-15.
    seat = BodyMembership(body=demo["council"], person=demo["people"]["kazakov"], role=BodyRole.CHAIR,
                          term_start=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="уже есть другой председатель"):
        seat.full_clean()


def test_overlapping_chair_terms_get_a_clear_message(demo):
    seat = BodyMembership(
        body=demo["council"], person=demo["people"]["kazakov"], role=BodyRole.CHAIR,
        term_start=datetime.date(2020, 1, 1), term_end=datetime.date(2020, 12, 31),
    )
    with pytest.raises(ValidationError, match="другой председатель|another chair"):
        seat.full_clean()


def test_term_cannot_end_before_it_starts(demo):
    seat = BodyMembership(
        body=demo["working_group"], person=demo["people"]["kazakov"], role=BodyRole.MEMBER,
        term_start=datetime.date(2024, 1, 1), term_end=datetime.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError, match="Окончание срока полномочий не может быть раньше его начала"):
        seat.full_clean()
    with pytest.raises(IntegrityError, match="body_membership_end_after_start"), transaction.atomic():
        seat.save()


def test_one_open_membership_per_organisation_and_cluster(demo):
    duplicate = Membership(cluster=demo["cluster"], organization=demo["orgs"]["smolapo"],
                           status=MembershipStatus.JOINED, joined_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="Эта организация уже является участником этого кластера"):
        duplicate.full_clean()


def test_joined_membership_needs_a_date(demo):
    org = Organization.objects.create(full_name="ООО «Новая»", kind=OrganizationKind.EMPLOYER)
    with pytest.raises(IntegrityError, match="membership_joined_has_date"), transaction.atomic():
        Membership.objects.create(cluster=demo["cluster"], organization=org, status=MembershipStatus.JOINED)


def test_inn_must_be_10_or_12_digits(db):
    org = Organization(full_name="ООО «Тест»", kind=OrganizationKind.EMPLOYER, inn="12345")
    with pytest.raises(ValidationError, match="ИНН состоит из 10 цифр") as error:
        org.full_clean()
    assert "inn" in error.value.message_dict


def test_person_names_print_both_russian_orders(demo):
    person = demo["people"]["churanov"]
    assert person.initials_surname == "В.С. Чуранов"
    assert person.surname_initials == "Чуранов В.С."
    assert demo["people"]["rudometkin"].initials_surname == "А.Н. Рудометкин"
