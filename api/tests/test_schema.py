"""The OpenAPI document validates, the docs load from the portal's own static files, every GET of the
document answers what the document says, and a client made from the document sees what the pages show."""

import re

import pytest
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from api.tests.schema_client import SchemaClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_openapi_document_validates(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"]}


def test_every_path_is_under_v1_and_documents_its_errors(spec):
    assert all(path.startswith("/api/v1/") for path in spec["paths"])
    assert {"/api/v1/clusters/", "/api/v1/clusters/{id}/organizations/", "/api/v1/clusters/{id}/people/",
            "/api/v1/meetings/", "/api/v1/meetings/{id}/", "/api/v1/decisions/", "/api/v1/assignments/",
            "/api/v1/assignments/{id}/", "/api/v1/assignments/{id}/reports/", "/api/v1/plans/",
            "/api/v1/plans/{id}/"} <= set(spec["paths"])


def test_the_assignment_filters_are_documented(spec):
    names = {p["name"] for p in spec["paths"]["/api/v1/assignments/"]["get"]["parameters"]}
    assert {"cluster", "status", "state", "deadline_after", "deadline_before", "year", "page", "page_size",
            "scope"} <= names


def test_the_docs_page_loads_only_the_portals_own_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert len(sources) == 5
    for source in sources:
        assert source.startswith("/static/") or source.startswith("/api/v1/docs/?"), source
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), f"{source} is not among the static files"
    assert "<script>" not in html and "<style>" not in html  # the portal's CSP allows neither
    script = client.get(re.search(r'<script src="(/api/v1/docs/\?[^"]+)"', html).group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert "/api/v1/openapi.json" in script.content.decode()


def _walk_ids(demo, objects):
    """A real id for every {id} of the document, as the member may read it."""
    return {
        "/api/v1/clusters/": objects["cluster"], "/api/v1/meetings/": objects["meeting"],
        "/api/v1/decisions/": objects["decision"], "/api/v1/assignments/": objects["mine"],
        "/api/v1/plans/": objects["plan"],
    }


@pytest.mark.parametrize("role", ["member", "secretary", "admin"])
def test_every_get_answers_what_the_document_says(spec, api_as, demo, objects, role):
    client = SchemaClient(api_as(role), spec)
    ids = _walk_ids(demo, objects)
    called = 0
    for operation_id, (path, method, _operation) in client.operations.items():
        if method != "get":
            continue
        params = {}
        if "{id}" in path:
            params["id"] = next(value for prefix, value in ids.items() if path.startswith(prefix))
        client.call(operation_id, **params)
        called += 1
    assert called >= 12


def test_a_generated_client_lists_the_members_assignments_and_none_to_an_outsider(spec, api_as, objects):
    member = SchemaClient(api_as("member"), spec)
    outsider = SchemaClient(api_as("outsider"), spec)
    mine = {row["id"] for row in member.assignments_list(page_size=200)["results"]}
    theirs = {row["id"] for row in outsider.assignments_list(page_size=200)["results"]}
    assert objects["mine"] in mine
    assert theirs and not mine & theirs
    outsider_all = {row["id"] for row in outsider.assignments_list(scope="all", page_size=200)["results"]}
    assert not mine & outsider_all
    response = outsider.http.get(f"/api/v1/assignments/{objects['mine']}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_generated_client_submits_a_report(spec, api_as, objects):
    member = SchemaClient(api_as("member"), spec)
    report = member.assignments_reports_create(id=objects["mine"], body={"text": "Отчёт через API."}, expect=201)
    assert report["status"] == "submitted"
    assert member.assignments_retrieve(id=objects["mine"])["status"] == "reported"
