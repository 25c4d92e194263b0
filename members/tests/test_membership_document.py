"""A membership's accession document is downloaded through the register's access check (not /media/)."""

import pytest
from django.core.files.base import ContentFile

from core.testing import Row, cases, check, expect
from members.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(demo):
    membership = Membership.objects.get(cluster=demo["cluster"], organization=demo["orgs"]["man"])
    membership.document.save("soglashenie.pdf", ContentFile(b"%PDF-1.4 accession"), save=False)
    Membership.objects.filter(pk=membership.pk).update(document=membership.document.name, document_title="Соглашение")
    foreign = Membership.objects.filter(cluster=demo["other_cluster"]).first()
    return {"org": membership.organization_id, "m": membership.pk, "foreign_org": foreign.organization_id,
            "foreign_m": foreign.pk}


TABLE = [
    Row("document", "/members/organizations/{org}/memberships/{m}/document/", "get", expect(200, 200, 200, 404, 200)),
    Row("document-post", "/members/organizations/{org}/memberships/{m}/document/", "post",
        expect(405, 405, 405, 405, 405)),
    Row("other-org", "/members/organizations/{foreign_org}/memberships/{m}/document/", "get",
        expect(404, 404, 404, 404, 404)),
    Row("no-document", "/members/organizations/{foreign_org}/memberships/{foreign_m}/document/", "get",
        expect(404, 404, 404, 404, 404)),
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(client_as, objects, row, role):
    check(client_as(role), row, role, objects)


def test_the_organisation_page_links_the_checked_view(client_as, objects):
    text = client_as("member").get(f"/members/organizations/{objects['org']}/").content.decode()
    assert f"/members/organizations/{objects['org']}/memberships/{objects['m']}/document/" in text
    assert "/media/" not in text


def test_the_document_is_the_stored_file(client_as, objects):
    response = client_as("secretary").get(f"/members/organizations/{objects['org']}/memberships/{objects['m']}/document/")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 accession"
