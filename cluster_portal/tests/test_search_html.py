"""``search_html.results_html`` prints exactly what ``includes/search_results.html`` prints (issue 13: the
template loop was a third of the search page's CPU), for real results of every kind and for edge cases."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from cluster_portal import search, search_html


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
