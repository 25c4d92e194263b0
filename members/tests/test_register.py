"""The register page: organisations grouped as protocols list them, as of a date, filtered."""

import datetime

import pytest
from django.utils import translation

from members import selectors
from members.models import Membership, MembershipStatus, Organization, OrganizationKind

pytestmark = pytest.mark.django_db


def page(client, url="/members/"):
    return client.get(url).content.decode()


def test_groups_follow_the_protocol_order(client_as, demo):
    html = page(client_as("member"))
    order = [html.index(title) for title in ("Органы государственной власти", "Работодатели и представители бизнеса",
                                             "Образовательные организации")]
    assert order == sorted(order)


def test_counts_read_like_a_protocol(client_as, demo):
    html = page(client_as("member"))
    assert "Всего в составе кластера 2 профессиональные образовательные организации (с филиалами)" in html
    assert "Всего в составе кластера 6 работодателей" in html


def test_count_phrase_declines_the_russian_way():
    with translation.override("ru"):
        assert selectors.count_phrase(OrganizationKind.EDU_VOCATIONAL, 11) == \
            "11 профессиональных образовательных организаций"
        assert selectors.count_phrase(OrganizationKind.GOVERNMENT, 1) == "1 орган государственной власти"


def test_branch_is_listed_under_its_head_organisation(client_as, demo):
    Membership.objects.create(cluster=demo["cluster"], organization=demo["orgs"]["spbgut"],
                              status=MembershipStatus.JOINED, joined_on=datetime.date(2018, 1, 1))
    groups = selectors.group_register(selectors.register_memberships(demo["cluster"], datetime.date(2024, 1, 1)))
    education = groups[-1]
    head = next(row for row in education.rows if row.organization == demo["orgs"]["spbgut"])
    assert [m.organization for m in head.branches] == [demo["orgs"]["college"]]


def test_invited_organisations_are_not_members(client_as, demo):
    html = page(client_as("member"))
    assert "Смоленский государственный университет" not in html
    assert "Смоленский государственный университет" in page(client_as("member"), "/members/?status=invited")


def test_register_as_of_a_date_shows_who_was_in_then(client_as, demo):
    smolapo = Membership.objects.get(cluster=demo["cluster"], organization=demo["orgs"]["smolapo"])
    smolapo.status, smolapo.left_on = MembershipStatus.LEFT, datetime.date(2022, 6, 30)
    smolapo.save()
    client = client_as("member")
    assert "Смоленская академия" in page(client, "/members/?on=2022-01-01")
    assert "Смоленская академия" not in page(client, "/members/?on=2023-01-01")
    assert "состав на 01.01.2023" in page(client, "/members/?on=2023-01-01")


def test_before_the_founding_the_register_is_empty(client_as, demo):
    assert "Ни одна организация не подходит" in page(client_as("member"), "/members/?on=2017-01-01")


def test_invitation_by_decision_shows_as_of_its_date(client_as, demo):
    client = client_as("member")
    assert "Смоленский государственный университет" not in page(client, "/members/?status=invited&on=2023-03-29")
    assert "Смоленский государственный университет" in page(client, "/members/?status=invited&on=2023-03-30")


def test_filter_by_kind(client_as, demo):
    html = page(client_as("member"), f"/members/?kind={OrganizationKind.EMPLOYER}")
    assert "ООО «МАН сеть»" in html and "Департамент цифрового развития" not in html


def test_filter_by_text_ignores_case_in_cyrillic(client_as, demo):
    html = page(client_as("member"), "/members/?text=смолапо")
    assert "Смоленская академия" in html and "ООО «МАН сеть»" not in html


def test_left_organisations_by_status(client_as, demo):
    Membership.objects.filter(organization=demo["orgs"]["man"]).update(
        status=MembershipStatus.LEFT, left_on=datetime.date(2024, 1, 1))
    client = client_as("member")
    assert "ООО «МАН сеть»" not in page(client)
    assert "ООО «МАН сеть»" in page(client, "/members/?status=left")


def test_admin_switches_cluster(client_as, demo):
    html = page(client_as("admin"), f"/members/?cluster={demo['other_cluster'].pk}")
    assert "ООО «Демо-Машзавод»" in html and "ООО «МАН сеть»" not in html


def test_outsider_cannot_switch_to_the_ict_cluster(client_as, demo):
    assert client_as("outsider").get(f"/members/?cluster={demo['cluster'].pk}").status_code == 404


def test_organisation_of_another_cluster_only_is_not_in_the_register(client_as, demo):
    Organization.objects.create(full_name="ООО «Чужая»", kind=OrganizationKind.EMPLOYER)
    assert "ООО «Чужая»" not in page(client_as("admin"), "/members/?status=any")
