"""The register's groups printed in Python (``members.register_html``) are the reference template's."""

import datetime

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from members import register_html, selectors
from members.models import Membership, MembershipStatus, Organization

pytestmark = pytest.mark.django_db

QUERIES = ["", "?status=any", "?status=invited", "?status=left", "?kind=employer", "?text=орг", "?text=%26",
           "?on=2000-01-01", "?on=2024-06-01&status=any"]


def _tricky(demo, add_organizations):
    """Names with every HTML character, no short name, a short name equal to the full one, branches,
    an invitation with and without a date, a departure with and without a date."""
    made = add_organizations(9)
    made[0].full_name, made[0].short_name = 'ООО «A & B» <i>x</i> \'q\' "d"', "A&B <s>"
    made[1].short_name = ""
    made[2].short_name = made[2].full_name
    Organization.objects.bulk_update(made[:3], ["full_name", "short_name"])
    states = [(MembershipStatus.INVITED, {"invited_on": datetime.date(2024, 3, 5), "joined_on": None}),
              (MembershipStatus.INVITED, {"invited_on": None, "joined_on": None}),
              (MembershipStatus.LEFT, {"left_on": datetime.date(2023, 2, 1)}),
              (MembershipStatus.LEFT, {"left_on": None})]
    for org, (status, dates) in zip(made[3:], states):
        Membership.objects.filter(organization=org).update(status=status, **dates)


def _reference(groups) -> str:
    return render_to_string("members/includes/register_groups.html", {"groups": groups})


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("role", ["member", "secretary", "admin", "outsider"])
def test_register_page_prints_the_template_groups(demo, users, add_organizations, role, query, language):
    _tricky(demo, add_organizations)
    client = Client()
    client.force_login(users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/members/{query}")
    assert response.status_code == 200
    groups = response.context["groups"]
    with translation.override(language):
        expected = _reference(groups)
        assert str(register_html.groups_html(groups)) == expected
    assert expected in response.content.decode()
    assert "register-group" in expected or "No organisations" in expected or "Нет организаций" in expected or not groups


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_state_is_the_template(demo, add_organizations, language):
    _tricky(demo, add_organizations)
    memberships = selectors.register_memberships(demo["cluster"], datetime.date(2025, 1, 1))
    groups = selectors.group_register(memberships)
    assert {m.state for m in memberships} == {MembershipStatus.JOINED, MembershipStatus.INVITED, MembershipStatus.LEFT}
    assert any(row.branches for group in groups for row in group.rows)
    with translation.override(language):
        assert str(register_html.groups_html(groups)) == _reference(groups)
        assert str(register_html.groups_html([])) == _reference([])


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("role", ["member", "admin"])
def test_filter_from_the_cache_is_the_template(demo, users, role, language):
    """The filter (cached per language, clusters, chosen cluster, date and values) is what the template
    prints for each request, on a miss and a hit, and follows a cluster's new name."""
    from django.core.cache import caches

    from members.access import visible_cluster_list
    from members.filters import RegisterFilter

    user = users[role].__class__.objects.get(pk=users[role].pk)
    client = Client()
    client.force_login(users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    caches["local"].clear()
    for query in ["", "?status=any&kind=employer", "?text=<a%20href='x'>%26\"", "?on=2024-06-01", "?status=junk"]:
        for _ in range(2):
            response = client.get(f"/members/{query}")
            context = response.context
            register = RegisterFilter(context["request"].GET, queryset=Membership.objects.none())
            with translation.override(language):
                expected = render_to_string("members/_register_filter.html", {
                    "filter": register, "clusters": visible_cluster_list(user), "cluster": context["cluster"],
                    "dated": context["dated"], "day": context["day"]})
            assert expected in response.content.decode(), query
    demo["cluster"].short_name = "IT & <co>"
    demo["cluster"].save()
    assert "IT &amp; &lt;co&gt;" in client.get("/members/").content.decode()
