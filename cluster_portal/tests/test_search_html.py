"""``search_html.results_html`` prints exactly what ``includes/search_results.html`` prints (issue 13: the
template loop was a third of the search page's CPU), for real results of every kind and for edge cases."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from cluster_portal import search, search_html
from cluster_portal.tests.test_search_prepared import WORD, many  # noqa: F401 (a fixture: 25 decisions say WORD)


def template(results):
    return render_to_string("includes/search_results.html", {"results": results})


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("role", ["member", "secretary", "admin"])
@pytest.mark.parametrize("text", ["кластер", "план работы", "кадров"])
def test_real_results_are_the_template(users, role, text, language):
    with translation.override(language):
        groups = search.search(users[role], search.SearchRequest(text))
        results = [result for group in groups for result in group.results]
        assert len(results) >= 2  # the demo finds these words in more than one kind
        assert search_html.results_html(results) == template(results)
        for group in groups:
            assert group.results_html == template(group.results)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_edge_cases_are_the_template(language):
    long_title = "«Кадры» & <b>колледж</b> 'ООО \"Завод\"' " * 12  # past 200 characters, every character escaped
    results = [
        search.Result(long_title, "/meetings/1/#item-1", "Протокол № 1 · <Кластер> & 'Совет'",
                      datetime.date(2023, 3, 30), mark_safe("… про <mark>кадры</mark> &amp; …")),
        search.Result("Без даты и выдержки", "/members/people/2/?a=1&b=2", "", None, ""),
        search.Result("x" * 200, "/plans/3/#item-4", "План", datetime.date(2024, 12, 31), "<не безопасно>"),
        search.Result("x" * 201, "/plans/3/#item-5", "План", None, mark_safe("")),
    ]
    with translation.override(language):
        html = search_html.results_html(results)
        assert html == template(results)
    assert "&lt;не безопасно&gt;" in html  # a snippet not marked safe is escaped, as the template escapes it
    assert "<mark>кадры</mark>" in html
    assert html.count("<li ") == 4


def test_the_page_prints_the_results(client, users):
    client.force_login(users["member"])
    response = client.get("/search/", {"q": "кластер"})
    assert response.status_code == 200
    html = response.content.decode()
    groups = search.search(users["member"], search.SearchRequest("кластер"))
    printed = [group for group in groups if group.results]
    assert printed
    for group in printed:
        assert str(group.results_html) in html
    assert html.count('class="card card-body shadow-sm mb-2 py-2 search-result"') == sum(
        len(group.results) for group in printed)


def groups_template(groups, kind, overview_query, query):
    return render_to_string("includes/search_groups.html", {"groups": groups, "kind": kind,
                                                            "overview_query": overview_query, "query": query})


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("role", ["member", "secretary", "admin", "outsider"])
@pytest.mark.parametrize("params", [
    {"text": "кластер"},  # every kind, more results than shown: the «all N results» links
    {"text": "ъъщщзз"},  # nothing: «Nothing found.» in every group
    {"text": "кластер", "kind": "decisions"},  # one kind: its pagination, no links
    {"text": WORD, "kind": "decisions", "page": 2},  # the second of two pages
])
def test_groups_are_the_template(users, many, role, params, language):
    request = search.SearchRequest(params["text"], kind=params.get("kind"))
    overview, query = "q=%D0%BA&cluster=&year=", "q=%D0%BA&cluster=&kind=x&year=<'\">"  # escaped as the template does
    with translation.override(language):
        groups = search.search(users[role], request, params.get("page"))
        html = search_html.groups_html(groups, kind=request.kind, overview_query=overview, query=query)
        assert html == groups_template(groups, request.kind, overview, query)
    assert html.count('<section class="mb-4 search-group"') == len(groups)
    if not request.kind and any(group.count > len(group.results) for group in groups):
        assert "&amp;cluster=&amp;year=&amp;kind=" in html


def test_a_group_page_prints_its_pagination(users, many):
    groups = search.search(users["admin"], search.SearchRequest(WORD, kind="decisions"), 1)
    assert groups[0].page.paginator.num_pages == 2
    html = search_html.groups_html(groups, kind="decisions", overview_query="q=x", query="q=x&kind=decisions")
    assert 'class="pagination pagination-sm"' in html and "q=x&amp;kind=decisions&amp;page=2" in html
    assert "ms-auto" not in html  # no «all N results» link on a kind's own page
