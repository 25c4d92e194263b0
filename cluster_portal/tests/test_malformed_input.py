"""The malformed requests of issue 11 answer 400/404, never 500."""

import pytest
from django.core.exceptions import BadRequest
from django.http import QueryDict

from core.params import id_param

pytestmark = pytest.mark.django_db


def get(client, url):
    client.raise_request_exception = False
    return client.get(url)


def test_nul_in_the_calendar_token_is_a_bad_request(client):
    assert get(client, "/calendar/%00.ics").status_code == 400


@pytest.mark.parametrize("url", ["/meetings/people/search/?q=%00", "/members/people/?q=ab%00c",
                                 "/meetings/decisions/search/?q=%00"])
def test_nul_in_a_search_is_a_bad_request(client_as, url):
    assert get(client_as("secretary"), url).status_code == 400


def test_nul_in_a_posted_form_is_a_bad_request(client_as, demo):
    client = client_as("secretary")
    response = client.post(f"/meetings/{demo['meeting_2017'].pk}/edit/", {"meeting-place": "x\x00y"})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/meetings/new/?body=abc", "/meetings/next-number/?body=abc",
                                 "/meetings/next-number/?body=99999999999999999999999",
                                 "/meetings/new/?body=%C2%B2"])
def test_a_non_numeric_body_is_a_bad_request(client_as, url):
    assert get(client_as("secretary"), url).status_code == 400


def test_a_real_body_still_works(client_as, demo):
    client = client_as("secretary")
    response = client.get(f"/meetings/next-number/?body={demo['council'].pk}&date=2024-05-01")
    assert response.status_code == 200 and "number" in response.json()
    assert client.get(f"/meetings/new/?body={demo['council'].pk}").status_code == 200


@pytest.mark.parametrize("url", ["/meetings/{pk}/pdf/?version=abc", "/meetings/{pk}/pdf/?item=%C2%B2"])
def test_junk_document_parameters_are_bad_requests(client_as, demo, url):
    assert get(client_as("secretary"), url.format(pk=demo["meeting_2023"].pk)).status_code == 400


@pytest.mark.parametrize("url", ["/admin/meetings/meeting/abc/history/", "/admin/members/person/abc/change/"])
def test_admin_junk_object_ids_are_not_found(client_as, url):
    assert get(client_as("admin"), url).status_code == 404


def test_admin_junk_initial_relation_is_a_bad_request(client_as):
    assert get(client_as("admin"), "/admin/members/person/add/?organization=abc").status_code == 400


@pytest.mark.parametrize("raw,expected", [(None, None), ("", None), ("42", 42)])
def test_id_param_reads_ids(raw, expected):
    params = QueryDict(mutable=True)
    if raw is not None:
        params["id"] = raw
    assert id_param(params, "id") == expected


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "²", "٣", "9" * 20, " 1"])
def test_id_param_refuses_junk(raw):
    with pytest.raises(BadRequest, match="id must be a number"):
        id_param({"id": raw}, "id")
