"""The portal's search (``/search/``): protocols, decisions, assignments, reports, plan items and the
register, in Russian, scoped exactly as the pages are.

Every kind starts from the queryset of the pages that show its objects (``meetings.access``,
``tasks.selectors``, ``plans.selectors``, ``members.selectors``), so a result is never something the
user could not open: drafts only for their secretary and chair, reports of other organisations only
for them, nothing of another cluster.

PostgreSQL: full-text search with the ``russian`` configuration (stemming: «решение» finds
«решения»), ranked by ``ts_rank``, snippets by ``ts_headline``. Each document is the table's stored
column ``search_vector`` (``StoredVector``): ``GENERATED ALWAYS AS (to_tsvector('russian', COALESCE(a, '')
|| ' ' || COALESCE(b, '') …)) STORED`` over the kind's columns, added with its GIN index by
``cluster_portal/migrations/0002_search_vectors.py``, so the index serves the match, the rank reads the
vector instead of recomputing it for every matching row, and both are current after every save
(``test_search_postgres`` checks the plans and the values). Elsewhere (SQLite): every stem of the query (``search_text.query_stems``) must occur in the
document folded by ``portal_fold``; newest first; snippets made in Python.

On PostgreSQL each kind's count and rows are prepared queries (``core.prepared``, issue 13): compiled once per
process and shape, filled with the user's ``Scope`` (lists of ids) and the text; ``tests/test_search_prepared.py``
checks they print what the querysets print.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorExact, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Expression, F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import Contains
from django.http import Http404
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cluster_portal import search_html, search_text
from core.params import id_param
from core.prepared import SENTINEL_ID, prepared
from meetings.access import joint_meeting_ids, readable_meetings_q
from meetings.models import AgendaItem, Assignment, Decision, Speaker, protocol_short_label, protocol_title
from members.access import managed_cluster_ids, user_person, visible_cluster_ids
from members.models import Membership, Organization
from members.selectors import organizations_visible_in, people_visible_in
from plans.selectors import plan_items_readable_in
from tasks import rows
from tasks.models import ReportStatus
from tasks.selectors import MEETING, list_row_numbers, reports_readable_with, secretary_cluster_ids

CONFIG = "russian"
MAX_QUERY = 200
GROUP_SIZE = 5  # results of each kind on the overview
PAGE_SIZE = 20  # results of one kind per page


@dataclasses.dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: tuple[str, ...]  # the document's columns, in the order of its index
    scope: Callable  # Scope -> the queryset the pages show
    scope_uses: tuple[str, ...]  # the fields of ``Scope`` that ``scope`` reads (the prepared queries' placeholders)
    cluster: Callable  # (queryset, cluster id) -> narrowed to that cluster
    year: str | None  # the lookup of the year filter; None: the kind has no year
    newest: tuple[str, ...]  # the order without a rank (the fallback), ties broken by it on PostgreSQL
    load: Callable | None = None  # queryset -> with what the results print (``select_related``)
    result: Callable | None = None  # object -> Result
    # Rows of another model that also make an object match: (model, its columns, the link to the object).
    extra: tuple | None = None
    snippet_fields: tuple[str, ...] = ()  # the columns the snippet quotes, when not all of ``fields``
    # Kinds read as tuples (``values_list``: no model instances, issue 13) instead of ``load``/``result``: the
    # columns a result prints (then the quoted columns, then the snippet), and (row, numbers of decisions) -> Result.
    columns: tuple[str, ...] = ()
    row_result: Callable | None = None
    decision_row: Callable | None = None  # row -> its decision at ``tasks.rows`` indices, when it prints a number

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

    @property
    def results_html(self) -> SafeString:
        """The results as ``includes/search_results.html`` prints them (``search_html``)."""
        return search_html.results_html(self.results)


def by_path(path):
    return lambda queryset, cluster_id: queryset.filter(**{path: cluster_id})


@dataclasses.dataclass(frozen=True)
class Scope:
    """What the user's search scope is made of, as lists of ids (a prepared query's placeholders):
    ``meetings.access.readable_meetings``, ``tasks.selectors.readable_reports``, the register's rule."""
    visible: list
    managed: list
    joint: list
    persons: list  # the user's Person: none or one
    organizations: list  # its organisation: none or one
    answers_for: list  # clusters whose secretary the user is


SCOPE_FIELDS = tuple(field.name for field in dataclasses.fields(Scope))


def scope_of(user) -> Scope:
    person = user_person(user)
    return Scope(visible_cluster_ids(user), managed_cluster_ids(user), joint_meeting_ids(user),
                 [person.pk] if person is not None else [],
                 [person.organization_id] if person is not None and person.organization_id else [],
                 secretary_cluster_ids(user))


def _meetings_q(scope: Scope, prefix: str) -> Q:
    return readable_meetings_q(scope.visible, scope.managed, scope.joint, prefix)


def _reports(scope: Scope):
    return reports_readable_with(scope.visible, scope.managed, scope.joint, persons=scope.persons,
                                 organizations=scope.organizations, answers_for=scope.answers_for)


def _organizations(scope: Scope):
    return Organization.objects.filter(pk__in=organizations_visible_in(scope.visible).values("pk"))


def _organizations_in(queryset, cluster_id):
    return queryset.filter(pk__in=Membership.objects.filter(cluster_id=cluster_id).values("organization_id"))


def _people_in(queryset, cluster_id):
    return queryset.filter(pk__in=people_visible_in([cluster_id]).values("pk"))


_PATH_PK = 987_654_321  # stands for the pk in a reversed path
_PATHS: dict = {}


def _path(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a view with one integer argument: the path is reversed once per
    process and script prefix, then the pk put in (15 results: 15 resolver walks saved, ~0.5 ms)."""
    key = (name, get_script_prefix())
    if key not in _PATHS:
        _PATHS[key] = reverse(name, args=[_PATH_PK]).split(str(_PATH_PK))
    head, tail = _PATHS[key]
    return f"{head}{int(pk)}{tail}"


def _meeting_url(meeting, anchor=""):
    return _path("meetings:meeting-detail", meeting.pk) + anchor


def _item_result(item):
    meeting = item.meeting
    return Result(f"{item.number}. {item.title}", _meeting_url(meeting, f"#item-{item.order}"),
                  f"{meeting} · {meeting.cluster}", meeting.date)


# Decisions, assignments and reports are read as tuples with the columns of the task list's rows
# (``tasks.rows``: ``DECISION_COLUMNS``, ``ROW_COLUMNS``) and printed by its functions, as their models print
# them (``Decision.number``/``citation``, ``Assignment.party``, ``Meeting.short_label``, ``str(meeting)``).
DECISION_RESULT_COLUMNS = (*rows.DECISION_COLUMNS, "agenda_item__meeting__cluster__short_name",
                           "agenda_item__meeting__cluster__name")
_CLUSTER_SHORT = len(rows.ROW_COLUMNS)  # in a decision row at ``tasks.rows`` indices (``rows.decision_row``)
REPORT_RESULT_COLUMNS = (*(f"assignment__{column}" for column in rows.ROW_COLUMNS), "id", "status", "submitted_at")
_REPORT_STATUS, _REPORT_SUBMITTED = len(rows.ROW_COLUMNS) + 1, len(rows.ROW_COLUMNS) + 2


def _decision_result(row, numbers):
    row = rows.decision_row(row)
    pk, meeting_id = row[rows.D_ID], row[rows.M_ID]
    cluster = row[_CLUSTER_SHORT] or row[_CLUSTER_SHORT + 1]  # ``str(cluster)``
    return Result(f"{_('Decision')} {numbers[pk]}", _path("meetings:meeting-detail", meeting_id) + f"#decision-{pk}",
                  f"{protocol_title(row[rows.M_NUMBER], row[rows.M_DATE])} · {cluster}", row[rows.M_DATE])


def _assignment_result(row, numbers):
    return Result(f"{rows.citation_of(row, numbers[row[rows.D_ID]])} — {rows.party_name(row)}",
                  _path("tasks:task-detail", row[rows.A_ID]),
                  f"{protocol_short_label(row[rows.M_NUMBER], row[rows.M_DATE])} · {rows.status_label(row[rows.A_STATUS])}",
                  row[rows.A_DEADLINE])


def _report_result(row, numbers):
    return Result(f"{_('Report')}: {rows.party_name(row)}", _path("tasks:task-detail", row[rows.A_ID]) + "#reports",
                  f"{protocol_short_label(row[rows.M_NUMBER], row[rows.M_DATE])} · "
                  f"{rows.status_label(row[_REPORT_STATUS], ReportStatus)}", timezone.localdate(row[_REPORT_SUBMITTED]))


def _plan_item_result(item):
    plan = item.section.plan
    return Result(f"{item.number} {item.title}", _path("plans:plan-detail", plan.pk) + f"#item-{item.pk}",
                  f"{plan} · {plan.cluster}", item.due_date)


def _organization_result(organization):
    return Result(str(organization), _path("members:organization-detail", organization.pk),
                  organization.get_kind_display())


def _person_result(person):
    return Result(person.full_name, _path("members:person-detail", person.pk),
                  ", ".join(p for p in (person.position, str(person.organization or "")) if p))


MEETING_RELATED = ("meeting__body", "meeting__cluster")
MEETING_SCOPE = ("visible", "managed", "joint")
KINDS = [
    Kind("protocols", _("Protocols"), ("title", "heard", "discussion", "decision_intro"),
         lambda scope: AgendaItem.objects.filter(_meetings_q(scope, "meeting__")), MEETING_SCOPE,
         by_path("meeting__cluster_id"), "meeting__year", ("-meeting__date", "meeting_id", "order"),
         lambda qs: qs.select_related(*MEETING_RELATED), _item_result,
         extra=(Speaker, ("name_text", "position_text", "summary"), "agenda_item_id")),
    Kind("decisions", _("Decisions"), ("text", "responsible_text"),
         lambda scope: Decision.objects.filter(_meetings_q(scope, "agenda_item__meeting__")), MEETING_SCOPE,
         by_path("cluster_id"), "agenda_item__meeting__year", ("-agenda_item__meeting__date", "agenda_item_id", "order"),
         columns=DECISION_RESULT_COLUMNS, row_result=_decision_result, decision_row=rows.decision_row),
    Kind("assignments", _("Assignments"), ("decision__text", "decision__responsible_text"),
         lambda scope: Assignment.objects.filter(_meetings_q(scope, MEETING)), MEETING_SCOPE,
         by_path("cluster_id"), "decision__agenda_item__meeting__year",
         ("-decision__agenda_item__meeting__date", "decision_id", "id"),
         columns=rows.ROW_COLUMNS, row_result=_assignment_result, decision_row=tuple),
    Kind("reports", _("Execution reports"), ("text",), _reports, SCOPE_FIELDS, by_path("assignment__cluster_id"),
         "submitted_at__year", ("-submitted_at", "-id"), columns=REPORT_RESULT_COLUMNS, row_result=_report_result),
    Kind("plans", _("Plan items"), ("title", "organizers_text", "report"),
         lambda scope: plan_items_readable_in(scope.visible, scope.managed), ("visible", "managed"),
         by_path("section__plan__cluster_id"), "year", ("-section__plan__period_start", "section__order", "order"),
         lambda qs: qs.select_related("section__plan__cluster"), _plan_item_result),
    Kind("organizations", _("Organisations"), ("full_name", "short_name"), _organizations, ("visible",),
         _organizations_in,
         None, ("short_name", "full_name", "id"), lambda qs: qs.select_related("parent"), _organization_result,
         snippet_fields=("full_name",)),
    Kind("people", _("People"), ("last_name", "first_name", "patronymic", "position"),
         lambda scope: people_visible_in(scope.visible), ("visible",),
         _people_in, None, ("last_name", "first_name", "id"), lambda qs: qs.select_related("organization"),
         _person_result),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def kind_choices():
    return [(kind.key, kind.label) for kind in KINDS]


# ---------------------------------------------------------------- the two ways to match


VECTOR_COLUMN = "search_vector"


class StoredVector(Expression):
    """The document of ``fields`` as PostgreSQL stores it: the generated column ``search_vector`` of the table
    that holds the fields (``0002_search_vectors``, the same columns in the same order: keep the two in step).
    The column is in no model; the first field is resolved as usual (joins included) and only its table's
    alias is used, so the expression follows subqueries and relabelled aliases like any column."""

    output_field = SearchVectorField()

    def __init__(self, fields):
        super().__init__()
        self.fields = tuple(fields)
        self.source = F(self.fields[0])

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs):
        (self.source,) = exprs

    def as_sql(self, compiler, connection):
        column = connection.ops.quote_name(VECTOR_COLUMN)
        alias = getattr(self.source, "alias", None)
        return (f"{compiler.quote_name_unless_alias(alias)}.{column}" if alias else column), []


def document_vector(fields) -> StoredVector:
    """The kind's document: its stored ``search_vector``."""
    return StoredVector(fields)


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

    snippet_columns = ("search_snippet",)

    def snippet(self, obj, kind: Kind):
        return search_text.headline(obj.search_snippet)

    def row_snippet(self, row, kind: Kind):
        return search_text.headline(row[-1])


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

    snippet_columns = ()

    def snippet(self, obj, kind: Kind):
        return search_text.snippet(" ".join(_value(obj, name) for name in kind.quoted), self.stems)

    def row_snippet(self, row, kind: Kind):
        start = len(kind.columns)
        return search_text.snippet(" ".join(str(value or "") for value in row[start:start + len(kind.quoted)]), self.stems)


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


def matching(scope: Scope, request: SearchRequest, kind: Kind, match=None) -> QuerySet:
    """The kind's objects in the user's ``scope`` that match the request, in result order."""
    match = match or matcher(request.text)
    queryset = kind.scope(scope)
    if request.cluster_id is not None:
        queryset = kind.cluster(queryset, request.cluster_id)
    if request.year is not None and kind.year:
        queryset = queryset.filter(**{kind.year: request.year})
    return match.ordered(match.filter(queryset, kind), kind)


def _queryset(scope: Scope, request: SearchRequest, kind: Kind, match, bounds):
    """What is read of the kind: its ids to count (``bounds`` None) or the rows ``bounds`` = (start, stop)
    of the results with what they print."""
    queryset = matching(scope, request, kind, match)
    if bounds is None:
        return queryset.order_by().values("pk")
    queryset = match.with_snippets(queryset, kind)
    if kind.columns:
        return queryset.values_list(*kind.columns, *kind.quoted, *match.snippet_columns)[bounds[0]:bounds[1]]
    return kind.load(queryset)[bounds[0]:bounds[1]]


# Placeholder values of the prepared queries: ids no row has, a text nobody types.
SENTINEL_TEXT = "\ue002search placeholder\ue003"
SENTINEL_CLUSTER = SENTINEL_ID - 1
MAX_PREPARED_PAGE = 10  # pages past it are compiled each time (a prepared query is kept per page)


class _Reader:
    """Reads a kind's count SQL and rows: on PostgreSQL through prepared queries (compiled once per process
    and shape, filled with the scope's ids and the text: issue 13), else (SQLite, a year filter, a far
    page) the querysets themselves. Both run ``_queryset``: one definition of what is read."""

    def __init__(self, scope: Scope, request: SearchRequest):
        self.scope, self.request = scope, request
        self.match = matcher(request.text)
        self.prepared = connection.vendor == "postgresql" and request.year is None

    def _prepared_query(self, kind: Kind, bounds):
        shape = (kind.key, self.request.cluster_id is not None, bounds)
        placeholders = {name: [SENTINEL_ID] for name in kind.scope_uses}
        placeholders["text"] = SENTINEL_TEXT
        if self.request.cluster_id is not None:
            placeholders["cluster"] = SENTINEL_CLUSTER
        return prepared(("search", *shape), _prepared_build, shape, **placeholders)

    def _values(self, kind: Kind) -> dict:
        values = {name: getattr(self.scope, name) for name in kind.scope_uses}
        values["text"] = self.request.text
        if self.request.cluster_id is not None:
            values["cluster"] = self.request.cluster_id
        return values

    def count_sql(self, kind: Kind):
        """(sql, params) of the kind's matching ids, or None when nothing can match."""
        if self.prepared:
            sql, params = self._prepared_query(kind, None).sql_and_params(**self._values(kind))
            return (sql, params) if sql is not None else None
        try:
            return _queryset(self.scope, self.request, kind, self.match, None).query.sql_with_params()
        except EmptyResultSet:  # ``.none()``: a query with nothing to look for
            return None

    def objects(self, kind: Kind, start: int, stop: int) -> list:
        """The rows: model instances, or tuples for a kind with ``columns``."""
        if start >= stop:
            return []
        if self.prepared and start < PAGE_SIZE * MAX_PREPARED_PAGE:
            query = self._prepared_query(kind, (start, stop))
            return (query.rows if kind.columns else query.objects)(**self._values(kind))
        return list(_queryset(self.scope, self.request, kind, self.match, (start, stop)))

    def results_of(self, loaded) -> list[list[Result]]:
        """The results of every (kind, rows) in ``loaded``; the numbers of all their decisions from one query
        (with one more where a protocol has one «РЕШИЛИ» block)."""
        numbers = list_row_numbers([kind.decision_row(row) for kind, objects in loaded if kind.decision_row
                                    for row in objects])
        return [_results(objects, kind, self.match, numbers) for kind, objects in loaded]

    def results(self, kind: Kind, start: int, stop: int) -> list[Result]:
        return self.results_of([(kind, self.objects(kind, start, stop))])[0]


def _prepared_build(shape, *, text, cluster=None, **scope_values):
    key, _has_cluster, bounds = shape
    scope = Scope(**{name: scope_values.get(name, []) for name in SCOPE_FIELDS})
    return _queryset(scope, SearchRequest(text, cluster), KINDS_BY_KEY[key], PostgresMatch(text), bounds)


def _results(objects, kind: Kind, match, numbers: dict) -> list[Result]:
    results = []
    for obj in objects:
        if kind.columns:
            result = kind.row_result(obj, numbers)
            result.snippet = match.row_snippet(obj, kind)
        else:
            result = kind.result(obj)
            result.snippet = match.snippet(obj, kind)
        results.append(result)
    return results


def counts(statements: list) -> list[int]:
    """How many rows each ``(sql, params)`` (None: none) has, in one query (``SELECT (SELECT COUNT(*) …), (…)``)."""
    if not statements:
        return []
    parts, params = [], []
    for n, statement in enumerate(statements):
        if statement is None:
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({statement[0]}) AS counted_{n})")
        params.extend(statement[1])
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [int(value) for value in cursor.fetchone()]


class _KindPage:
    """What ``Paginator`` pages through: the count known, the rows of a slice read when asked for."""

    def __init__(self, reader: _Reader, kind: Kind, count: int):
        self.reader, self.kind, self._count = reader, kind, count

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, bounds: slice):
        return self.reader.results(self.kind, bounds.start, bounds.stop)


def search(user, request: SearchRequest, page_number=None) -> list[Group]:
    """Groups of results by kind: the first ``GROUP_SIZE`` of each kind with its count, or, for one
    kind, a page of ``PAGE_SIZE``. The counts come from one query, then the rows of the kinds that have
    any (one query each), then the sibling decisions the numbers of decisions and assignments need (one)."""
    kinds = kinds_for(request)
    if request.kind and not kinds:  # a kind without a year, asked for with a year
        return []
    reader = _Reader(scope_of(user), request)
    found = counts([reader.count_sql(kind) for kind in kinds])
    if request.kind:
        kind, count = kinds[0], found[0]
        page = Paginator(_KindPage(reader, kind, count), PAGE_SIZE).get_page(page_number)
        return [Group(kind, count, page.object_list, page)]
    loaded = [(kind, reader.objects(kind, 0, GROUP_SIZE) if count else []) for kind, count in zip(kinds, found)]
    return [Group(kind, count, results) for kind, count, results in zip(kinds, found, reader.results_of(loaded))]


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
