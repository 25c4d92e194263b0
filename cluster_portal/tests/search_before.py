"""The portal's search (``/search/``): protocols, decisions, assignments, reports, plan items and the
register, in Russian, scoped exactly as the pages are.

Every kind starts from the queryset of the pages that show its objects (``meetings.access``,
``tasks.selectors``, ``plans.selectors``, ``members.selectors``), so a result is never something the
user could not open: drafts only for their secretary and chair, reports of other organisations only
for them, nothing of another cluster.

PostgreSQL: full-text search with the ``russian`` configuration (stemming: «решение» finds
«решения»), ranked by ``ts_rank``, snippets by ``ts_headline``. Each document is
``to_tsvector('russian', COALESCE(a, '') || ' ' || COALESCE(b, '') …)`` over the kind's columns, the
very expression of the GIN index that ``cluster_portal/migrations/0001_search_indexes.py`` creates, so
the index serves the match and is current after every save (``test_search_postgres`` checks the
plan). Elsewhere (SQLite): every stem of the query (``search_text.query_stems``) must occur in the
document folded by ``portal_fold``; newest first; snippets made in Python.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector, SearchVectorExact
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import Contains
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cluster_portal import search_text
from core.params import id_param
from meetings.access import readable_meetings
from meetings.models import AgendaItem, Decision, Speaker, number_decisions
from members.access import visible_cluster_ids
from members.models import Membership, Organization
from members.selectors import organizations_visible_to, people_visible_in, people_visible_to
from plans.selectors import readable_plan_items
from tasks.selectors import readable_assignments, readable_reports, with_assignment_context

CONFIG = "russian"
MAX_QUERY = 200
GROUP_SIZE = 5  # results of each kind on the overview
PAGE_SIZE = 20  # results of one kind per page


@dataclasses.dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: tuple[str, ...]  # the document's columns, in the order of its index
    scope: Callable  # user -> the queryset the pages show
    cluster: Callable  # (queryset, cluster id) -> narrowed to that cluster
    year: str | None  # the lookup of the year filter; None: the kind has no year
    newest: tuple[str, ...]  # the order without a rank (the fallback), ties broken by it on PostgreSQL
    load: Callable  # queryset -> with what the results print
    result: Callable  # object -> Result
    # Rows of another model that also make an object match: (model, its columns, the link to the object).
    extra: tuple | None = None
    prepare: Callable = list  # the loaded page -> ready to print (numbers of decisions)
    snippet_fields: tuple[str, ...] = ()  # the columns the snippet quotes, when not all of ``fields``

    @property
    def quoted(self) -> tuple[str, ...]:
        return self.snippet_fields or self.fields


@dataclasses.dataclass
class Result:
    title: str
    url: str
    context: str  # the cluster, the protocol, the party: a line under the title
    date: object = None
    snippet: str = ""


@dataclasses.dataclass
class Group:
    kind: Kind
    count: int
    results: list
    page: object = None  # a Paginator page when one kind is listed


def by_path(path):
    return lambda queryset, cluster_id: queryset.filter(**{path: cluster_id})


def _organizations(user):
    return Organization.objects.filter(pk__in=organizations_visible_to(user).values("pk"))


def _organizations_in(queryset, cluster_id):
    return queryset.filter(pk__in=Membership.objects.filter(cluster_id=cluster_id).values("organization_id"))


def _people_in(queryset, cluster_id):
    return queryset.filter(pk__in=people_visible_in([cluster_id]).values("pk"))


def _numbered(decisions):
    return number_decisions(decisions)


def _numbered_assignments(assignments):
    assignments = list(assignments)
    number_decisions([a.decision for a in assignments])
    return assignments


def _meeting_url(meeting, anchor=""):
    return reverse("meetings:meeting-detail", args=[meeting.pk]) + anchor


def _item_result(item):
    meeting = item.meeting
    return Result(f"{item.number}. {item.title}", _meeting_url(meeting, f"#item-{item.order}"),
                  f"{meeting} · {meeting.cluster}", meeting.date)


def _decision_result(decision):
    meeting = decision.agenda_item.meeting
    return Result(f"{_('Decision')} {decision.number}", _meeting_url(meeting, f"#decision-{decision.pk}"),
                  f"{meeting} · {meeting.cluster}", meeting.date)


def _assignment_result(assignment):
    meeting = assignment.decision.agenda_item.meeting
    return Result(f"{assignment.decision.citation} — {assignment.party}",
                  reverse("tasks:task-detail", args=[assignment.pk]),
                  f"{meeting.short_label} · {assignment.get_status_display()}", assignment.deadline)


def _report_result(report):
    assignment = report.assignment
    return Result(f"{_('Report')}: {assignment.party}", reverse("tasks:task-detail", args=[assignment.pk]) + "#reports",
                  f"{assignment.decision.agenda_item.meeting.short_label} · {report.get_status_display()}",
                  timezone.localdate(report.submitted_at))


def _plan_item_result(item):
    plan = item.section.plan
    return Result(f"{item.number} {item.title}", reverse("plans:plan-detail", args=[plan.pk]) + f"#item-{item.pk}",
                  f"{plan} · {plan.cluster}", item.due_date)


def _organization_result(organization):
    return Result(str(organization), reverse("members:organization-detail", args=[organization.pk]),
                  organization.get_kind_display())


def _person_result(person):
    return Result(person.full_name, reverse("members:person-detail", args=[person.pk]),
                  ", ".join(p for p in (person.position, str(person.organization or "")) if p))


MEETING_RELATED = ("meeting__body", "meeting__cluster")
KINDS = [
    Kind("protocols", _("Protocols"), ("title", "heard", "discussion", "decision_intro"),
         lambda user: AgendaItem.objects.filter(readable_meetings(user, "meeting__")),
         by_path("meeting__cluster_id"), "meeting__year", ("-meeting__date", "meeting_id", "order"),
         lambda qs: qs.select_related(*MEETING_RELATED), _item_result,
         extra=(Speaker, ("name_text", "position_text", "summary"), "agenda_item_id")),
    Kind("decisions", _("Decisions"), ("text", "responsible_text"),
         lambda user: Decision.objects.filter(readable_meetings(user, "agenda_item__meeting__")),
         by_path("cluster_id"), "agenda_item__meeting__year", ("-agenda_item__meeting__date", "agenda_item_id", "order"),
         lambda qs: qs.select_related("agenda_item__meeting__body", "agenda_item__meeting__cluster")
         .prefetch_related("agenda_item__decisions"), _decision_result, prepare=_numbered),
    Kind("assignments", _("Assignments"), ("decision__text", "decision__responsible_text"),
         readable_assignments, by_path("cluster_id"), "decision__agenda_item__meeting__year",
         ("-decision__agenda_item__meeting__date", "decision_id", "id"),
         with_assignment_context, _assignment_result, prepare=_numbered_assignments),
    Kind("reports", _("Execution reports"), ("text",), readable_reports, by_path("assignment__cluster_id"),
         "submitted_at__year", ("-submitted_at", "-id"),
         lambda qs: qs.select_related("assignment__decision__agenda_item__meeting", "assignment__organization",
                                      "assignment__person", "assignment__body"), _report_result),
    Kind("plans", _("Plan items"), ("title", "organizers_text", "report"), readable_plan_items,
         by_path("section__plan__cluster_id"), "year", ("-section__plan__period_start", "section__order", "order"),
         lambda qs: qs.select_related("section__plan__cluster"), _plan_item_result),
    Kind("organizations", _("Organisations"), ("full_name", "short_name"), _organizations, _organizations_in,
         None, ("short_name", "full_name", "id"), lambda qs: qs.select_related("parent"), _organization_result,
         snippet_fields=("full_name",)),
    Kind("people", _("People"), ("last_name", "first_name", "patronymic", "position"), people_visible_to,
         _people_in, None, ("last_name", "first_name", "id"), lambda qs: qs.select_related("organization"),
         _person_result),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def kind_choices():
    return [(kind.key, kind.label) for kind in KINDS]


# ---------------------------------------------------------------- the two ways to match


def document_vector(fields) -> SearchVector:
    """The kind's document as PostgreSQL indexes it (``0001_search_indexes``): keep the two in step."""
    return SearchVector(*fields, config=CONFIG)


def document_text(fields):
    if len(fields) == 1:
        return Coalesce(F(fields[0]), Value(""), output_field=TextField())
    parts = []
    for name in fields:
        parts += [F(name), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


class PostgresMatch:
    """Full-text search: ``websearch_to_tsquery`` takes any input (quotes, «или», «-слово») without errors."""

    def __init__(self, text: str):
        self.query = SearchQuery(text, config=CONFIG, search_type="websearch")

    def condition(self, fields) -> Q:
        return Q(SearchVectorExact(document_vector(fields), self.query))

    def filter(self, queryset, kind: Kind):
        condition = self.condition(kind.fields)
        if kind.extra:
            # Both sides as id subqueries: each is served by its GIN index. ``vector @@ query OR id IN
            # (…)`` cannot use the index and computed every agenda item's vector (0.6 s at 50 × 10).
            model, fields, link = kind.extra
            condition = (Q(pk__in=queryset.model.objects.filter(condition).values("pk"))
                         | Q(pk__in=model.objects.filter(self.condition(fields)).values(link)))
        return queryset.filter(condition)

    def ordered(self, queryset, kind: Kind):
        return queryset.annotate(rank=SearchRank(document_vector(kind.fields), self.query)).order_by(
            "-rank", *kind.newest)

    def with_snippets(self, queryset, kind: Kind):
        return queryset.annotate(search_snippet=SearchHeadline(
            document_text(kind.quoted), self.query, config=CONFIG, start_sel=search_text.START,
            stop_sel=search_text.STOP, max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … "))

    def snippet(self, obj, kind: Kind):
        return search_text.headline(obj.search_snippet)


class FoldedMatch:
    """The fallback: every stem of the query occurs in the document folded by ``portal_fold``."""

    def __init__(self, text: str):
        self.stems = search_text.query_stems(text)

    def condition(self, fields) -> Q:
        folded = Func(document_text(fields), function="portal_fold", output_field=TextField())
        condition = Q()
        for stem in self.stems:
            condition &= Q(Contains(folded, stem))
        return condition

    def filter(self, queryset, kind: Kind):
        if not self.stems:
            return queryset.none()
        condition = self.condition(kind.fields)
        if kind.extra:
            model, fields, link = kind.extra
            condition |= Q(pk__in=model.objects.filter(self.condition(fields)).values(link))
        return queryset.filter(condition)

    def ordered(self, queryset, kind: Kind):
        return queryset.order_by(*kind.newest)

    def with_snippets(self, queryset, kind: Kind):
        return queryset

    def snippet(self, obj, kind: Kind):
        return search_text.snippet(" ".join(_value(obj, name) for name in kind.quoted), self.stems)


def _value(obj, path: str) -> str:
    for name in path.split("__"):
        obj = getattr(obj, name)
    return str(obj or "")


def matcher(text: str):
    return PostgresMatch(text) if connection.vendor == "postgresql" else FoldedMatch(text)


# ---------------------------------------------------------------- the search


@dataclasses.dataclass(frozen=True)
class SearchRequest:
    text: str
    cluster_id: int | None = None
    kind: str | None = None
    year: int | None = None


def kinds_for(request: SearchRequest) -> list[Kind]:
    """The kinds searched: the one asked for, else all; a year leaves out those without one (the register)."""
    kinds = [KINDS_BY_KEY[request.kind]] if request.kind else KINDS
    return [kind for kind in kinds if request.year is None or kind.year]


def matching(user, request: SearchRequest, kind: Kind, match=None) -> QuerySet:
    """The kind's objects the user may open that match the request, in result order."""
    match = match or matcher(request.text)
    queryset = kind.scope(user)
    if request.cluster_id is not None:
        queryset = kind.cluster(queryset, request.cluster_id)
    if request.year is not None and kind.year:
        queryset = queryset.filter(**{kind.year: request.year})
    return match.ordered(match.filter(queryset, kind), kind)


def _results(objects, kind: Kind, match) -> list[Result]:
    results = []
    for obj in kind.prepare(objects):
        result = kind.result(obj)
        result.snippet = match.snippet(obj, kind)
        results.append(result)
    return results


def counts(querysets: list[QuerySet]) -> list[int]:
    """How many rows each queryset has, in one query (``SELECT (SELECT COUNT(*) …), (…)``)."""
    if not querysets:
        return []
    parts, params = [], []
    for n, queryset in enumerate(querysets):
        try:
            sql, part_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # ``.none()``: a query with nothing to look for
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{n})")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [int(value) for value in cursor.fetchone()]


def search(user, request: SearchRequest, page_number=None) -> list[Group]:
    """Groups of results by kind: the first ``GROUP_SIZE`` of each kind with its count, or, for one
    kind, a page of ``PAGE_SIZE``. The overview counts every kind in one query, then reads the rows
    of the kinds that have any (one query each, plus its eager loading)."""
    match = matcher(request.text)
    kinds = kinds_for(request)
    if request.kind:
        if not kinds:  # a kind without a year, asked for with a year
            return []
        kind = kinds[0]
        queryset = kind.load(match.with_snippets(matching(user, request, kind, match), kind))
        page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
        page.object_list = _results(page.object_list, kind, match)
        return [Group(kind, page.paginator.count, page.object_list, page)]
    matches = [matching(user, request, kind, match) for kind in kinds]
    groups = []
    for kind, queryset, count in zip(kinds, matches, counts(matches)):
        rows = kind.load(match.with_snippets(queryset, kind))[:GROUP_SIZE] if count else []
        groups.append(Group(kind, count, _results(rows, kind, match) if count else []))
    return groups


# ---------------------------------------------------------------- the request


class SearchForm(forms.Form):
    """The page's form: ``q`` is bounded (``MAX_QUERY``), ``kind`` one of ``KINDS``, ``year`` a year.
    The cluster is checked apart (``parse_cluster``): another cluster's id is a 404, as on the lists."""

    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY, required=False, strip=True,
                        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY,
                                                      "placeholder": _("e.g. решение о плане работы")}))
    kind = forms.ChoiceField(label=_("What"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100,
                              widget=forms.NumberInput(attrs={"placeholder": _("e.g. 2023")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *kind_choices()]


def parse_cluster(user, params) -> int | None:
    """``?cluster=``: an id of one of the user's clusters, or None; junk is a 400, another cluster's a 404."""
    cluster_id = id_param(params, "cluster")
    if cluster_id is not None and cluster_id not in visible_cluster_ids(user):
        raise Http404
    return cluster_id


def search_request(form: SearchForm, cluster_id) -> SearchRequest:
    data = form.cleaned_data
    return SearchRequest(text=data["q"], cluster_id=cluster_id, kind=data["kind"] or None, year=data["year"])
