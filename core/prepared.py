"""ORM queries compiled once per process, run again with other values (issue 13).

Turning a queryset into SQL costs 0.5–3 ms of CPU (joins, unions, select_related), more than
the database takes to answer the small queries every page makes (the user's roles, the
protocol page's lookups, the dashboard's lists). ``PreparedQuery`` builds the queryset once with
placeholder values, keeps its SQL, its compiler and the positions of the placeholders among the
parameters, and afterwards only substitutes the values and executes::

    UPCOMING = PreparedQuery(lambda cluster_ids, day: Meeting.objects.filter(cluster_id__in=cluster_ids,
                             date__gte=day).select_related("body")[:5], cluster_ids=[SENTINEL_ID], day=SENTINEL_DAY)
    meetings = UPCOMING.objects(cluster_ids=[1, 2], day=today)

- ``rows()`` returns tuples (a ``values_list`` queryset), ``objects()`` model instances with their
  ``select_related`` objects and annotations, then runs the queryset's ``prefetch_related``.
- A placeholder given as a list (``__in``) is compiled once per list length; an empty list is allowed
  (Django leaves its condition out, or the query matches nothing).
- The SQL is kept per database alias and vendor (SQLite in tests, PostgreSQL in production).
- On PostgreSQL each compiled query is also a server-side prepared statement on each connection, so the
  server plans it once too (``DB_SERVER_PREPARED``; see «server-side prepared statements» below).

Every placeholder must reach the SQL as a parameter. The queryset must not depend on anything but
the placeholders (no ``timezone.now()`` inside ``build``: pass it in).
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import re
import uuid
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators

# Placeholder values that no real row has: negative ids and a day before any protocol.
SENTINEL_ID = -7_770_001
SENTINEL_DAY = datetime.date(1001, 2, 3)
SENTINEL_TIME = datetime.time(3, 2, 1, 777_001)


@dataclass
class _Compiled:
    sql: str
    params: list
    slots: dict  # param index -> (placeholder name, list position or None, passed as str)
    compiler: Any
    queryset: Any
    converters: Any = None  # the compiler's per-column converters, found on the first run
    statement: str | None = None  # PostgreSQL: the server-side statement's name; "" where it cannot be one


def _sentinels(value, n: int, k: int):
    """``n`` distinct placeholder values like ``value`` for a list placeholder (the k-th one)."""
    if isinstance(value, datetime.date):
        return [value + datetime.timedelta(days=1000 * k + i) for i in range(n)]
    return [value - 10_000 * k - i for i in range(n)]


class PreparedQuery:
    """``generic_plan=True``: on PostgreSQL the statement always runs its generic plan (``plan_cache_mode``), for a
    query whose planning costs more than any plan made for its values would save (see «generic plans» below)."""

    def __init__(self, build: Callable[..., Any], *, generic_plan: bool = False, **placeholders):
        self.build = build
        self.generic_plan = generic_plan
        self.placeholders = placeholders
        self._compiled: dict[tuple, _Compiled | None] = {}

    def _compile(self, using: str, lengths: dict[str, int]) -> _Compiled | None:
        values = {}
        for k, (name, value) in enumerate(self.placeholders.items()):
            values[name] = _sentinels(value[0], lengths[name], k + 1) if isinstance(value, list) else value
        queryset = self.build(**values).using(using)
        compiler = queryset.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        slots = {}
        for index, param in enumerate(params):
            for name, value in values.items():
                for position, candidate in (enumerate(value) if isinstance(value, list) else [(None, value)]):
                    if param == candidate and type(param) is type(candidate):
                        slots[index] = (name, position, False)
                    elif isinstance(param, str) and param == str(candidate):
                        slots[index] = (name, position, True)
        found = {name for name, _, _ in slots.values()}
        missing = [name for name in values if name not in found and not (isinstance(values[name], list) and not values[name])]
        if missing:
            raise ValueError(f"placeholders not found among the query's parameters: {missing}")
        return _Compiled(sql, list(params), slots, compiler, queryset)

    def _prepare(self, using: str, values: dict):
        lengths = {name: len(values[name]) for name, value in self.placeholders.items() if isinstance(value, list)}
        key = (using, connections[using].vendor, tuple(sorted(lengths.items())))
        if key not in self._compiled:
            self._compiled[key] = self._compile(using, lengths)
        compiled = self._compiled[key]
        if compiled is None:
            return None, None
        params = list(compiled.params)
        for index, (name, position, as_str) in compiled.slots.items():
            value = values[name] if position is None else values[name][position]
            params[index] = str(value) if as_str else value
        return compiled, params

    def _execute(self, compiled: _Compiled, params: list, using: str):
        connection = connections[using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and settings.DB_SERVER_PREPARED and compiled.statement != "":
                _execute_prepared(connection, cursor, compiled, params, self.generic_plan)
            else:
                cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiled.converters is None:  # what results_iter() works out on every call, once
            fields = [s[0] for s in compiler.select[0:compiler.col_count]]
            compiled.converters = False if compiler.has_composite_fields(fields) else compiler.get_converters(fields)
        if compiled.converters is False:
            return compiler.results_iter(results=[rows])
        return compiler.apply_converters(rows, compiled.converters) if compiled.converters else rows

    def sql_and_params(self, using: str = "default", **values) -> tuple[str | None, list | None]:
        compiled, params = self._prepare(using, values)
        return (compiled.sql, params) if compiled else (None, None)

    def rows(self, using: str = "default", **values) -> list[tuple]:
        compiled, params = self._prepare(using, values)
        if compiled is None:
            return []
        return [tuple(row) for row in self._execute(compiled, params, using)]

    def objects(self, using: str = "default", **values) -> list:
        """Model instances, as iterating the queryset would give them (``ModelIterable``)."""
        compiled, params = self._prepare(using, values)
        if compiled is None:
            return []
        queryset, compiler = compiled.queryset, compiled.compiler
        if queryset._iterable_class is not ModelIterable:
            raise TypeError("objects() needs a queryset of model instances; use rows() for values")
        rows = self._execute(compiled, params, using)
        select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
        model_cls = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        result = []
        for row in rows:
            obj = model_cls.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr_name, col_pos in (annotation_col_map or {}).items():
                setattr(obj, attr_name, row[col_pos])
            result.append(obj)
        if queryset._prefetch_related_lookups:
            prefetch_related_objects(result, *queryset._prefetch_related_lookups)
        return result


# ---------------------------------------------------------------- server-side prepared statements (PostgreSQL)
# Planning is PostgreSQL's share of these queries: 1 ms for the protocol page's meeting with its nine joins, against
# 0.1 ms to execute it. Each compiled query becomes a prepared statement on each connection (``PREPARE``, then
# ``EXECUTE name (values)``); after five runs PostgreSQL keeps a generic plan and stops planning it. Prepared
# statements belong to the session, not to a transaction (a rollback keeps them), and die with the connection.
# DB_SERVER_PREPARED=0 turns this off (a pooler in transaction mode, e.g. PgBouncer, does not keep them).

_STATEMENT_NUMBERS = itertools.count(1)
_PREPARED_ON: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # raw connection -> names prepared on it
# Per Python type of a value psycopg2 sends as a literal: the parameter type a statement declares for it, and the
# types PostgreSQL may infer for it. Where it infers another one (a value in the select list becomes ``text``),
# the statement is made again with that parameter's type declared (``_declared``), and where that fails too the
# query is run unprepared.
_PARAMETER_TYPES = {
    bool: ("boolean", {"boolean"}),
    int: ("bigint", {"smallint", "integer", "bigint", "numeric"}),
    float: ("double precision", {"double precision", "real", "numeric"}),
    decimal.Decimal: ("numeric", {"numeric"}),
    str: ("text", {"text", "character varying", "character", "name", "regconfig"}),
    datetime.date: ("date", {"date"}),
    datetime.datetime: ("timestamp with time zone", {"timestamp with time zone", "timestamp without time zone"}),
    datetime.time: ("time without time zone", {"time without time zone"}),
    uuid.UUID: ("uuid", {"uuid"}),
}


def _numbered(sql: str) -> str:
    """Django's ``%s`` placeholders as ``$1, $2, …`` (and ``%%`` as ``%``), for ``PREPARE``."""
    numbers = itertools.count(1)
    return re.sub(r"%([%s])", lambda match: "%" if match.group(1) == "%" else f"${next(numbers)}", sql)


def _parameter_type(param) -> tuple[str, set[str]]:
    """``_PARAMETER_TYPES`` of ``param``: by its type, or by the first base type psycopg2 adapts it as (a
    ``TextChoices`` member is sent as a string); ("unknown", no type) for a value without one (``None``)."""
    for kind in type(param).__mro__:
        if kind in _PARAMETER_TYPES:
            return _PARAMETER_TYPES[kind]
    return "unknown", set()


def _types_of(param) -> set[str]:
    """What PostgreSQL may infer for ``param``."""
    return _parameter_type(param)[1]


def _types_agree(inferred: list[str], params: list) -> bool:
    return len(inferred) == len(params) and all(kind in _types_of(param) for kind, param in zip(inferred, params))


def _declared_type(param) -> str:
    """The type to declare for ``param``: its own; ``unknown`` (inferred from the query) for a value without one."""
    if isinstance(param, datetime.datetime) and param.tzinfo is None:
        return "timestamp without time zone"
    return _parameter_type(param)[0]


def _declared(inferred: list[str], params: list) -> str:
    """``(type, …)`` for ``PREPARE``: what PostgreSQL inferred where it is the value's own, else the value's own
    type. A literal in the select list or in a ``CASE`` branch (an ordering's ``Value(0)``) is inferred as
    ``text``; declared as ``bigint`` it stays a number, as psycopg2's literal would be."""
    kinds = [kind if kind in _types_of(param) else _declared_type(param) for kind, param in zip(inferred, params)]
    return f"({', '.join(kinds)})"


def _prepare_statement(connection, cursor, name: str, compiled: _Compiled) -> bool:
    """``PREPARE`` the query as ``name`` on this connection and check the parameter types PostgreSQL inferred;
    False, and the statement dropped, where they are not the values' own. Run on the driver's cursor, so that it
    is not counted among the request's queries (a page's query count stays the same on the first request and the
    next ones), in a savepoint inside a transaction, so that a failure leaves the transaction usable."""
    raw = cursor.cursor
    savepoint = connection.in_atomic_block
    try:
        if savepoint:
            raw.execute("SAVEPOINT cp_prepare")
        raw.execute(f"PREPARE {name} AS {_numbered(compiled.sql)}")
        inferred = _parameter_types(raw, name)
        agree = _types_agree(inferred, compiled.params)
        if not agree and len(inferred) == len(compiled.params):
            # again, with the parameters PostgreSQL typed otherwise declared as the values' own types
            raw.execute(f"DEALLOCATE {name}")
            raw.execute(f"PREPARE {name} {_declared(inferred, compiled.params)} AS {_numbered(compiled.sql)}")
            agree = _types_agree(_parameter_types(raw, name), compiled.params)
        if not agree:
            raw.execute(f"DEALLOCATE {name}")
        if savepoint:
            raw.execute("RELEASE SAVEPOINT cp_prepare")
    except connection.Database.Error:  # the driver's own: this ran on its cursor
        if savepoint:
            raw.execute("ROLLBACK TO SAVEPOINT cp_prepare")
        return False
    return agree


def _parameter_types(raw, name: str) -> list[str]:
    raw.execute("SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = %s", [name])
    return list(raw.fetchone()[0])


# Generic plans. PostgreSQL's default (``plan_cache_mode = auto``) plans a statement afresh for its values on every
# run where the generic plan's estimate looks dearer than a custom one. For the task lists' and the dashboard's
# assignment rows (eight joins, an OR of person and organisation) that is 5 ms of planning a request against
# 0.4 ms of execution, with the same plan either way; for others (the coordination overview, search) the custom
# plans are worth it. So a ``PreparedQuery(generic_plan=True)`` switches its connection to
# ``force_generic_plan`` in front of its EXECUTE, in the same round trip, and the next ordinary statement switches
# it back. The mode a connection is in is kept here; where a rollback undid a switch, the next EXECUTE runs in the
# other mode: the same rows, only planned otherwise.
_PLAN_MODE_OF: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # raw connection -> True: forced generic


def _execute_prepared(connection, cursor, compiled: _Compiled, params: list, generic_plan: bool = False) -> None:
    raw = connection.connection
    names = _PREPARED_ON.setdefault(raw, set())
    if compiled.statement not in names:
        name = compiled.statement or f"cp_prepared_{next(_STATEMENT_NUMBERS)}"
        if not _prepare_statement(connection, cursor, name, compiled):
            compiled.statement = ""  # never again: the query runs unprepared
            cursor.execute(compiled.sql, params)
            return
        compiled.statement = name
        names.add(name)
    execute = f"EXECUTE {compiled.statement}" + (f" ({', '.join(['%s'] * len(params))})" if params else "")
    if _PLAN_MODE_OF.get(raw, False) != generic_plan:
        mode = "force_generic_plan" if generic_plan else "auto"
        execute = f"SET plan_cache_mode = {mode}; {execute}"
        _PLAN_MODE_OF[raw] = generic_plan
    cursor.execute(execute, params or None)


_REGISTRY: dict = {}


def prepared(key, build: Callable[..., Any], arg, *, generic_plan: bool = False, **placeholders) -> PreparedQuery:
    """The prepared query ``build(arg, **placeholders)`` kept per process under ``key``: one per shape
    of a query that also depends on a value compiled into it (a limit, a page's slice, a flag)."""
    if key not in _REGISTRY:
        _REGISTRY[key] = PreparedQuery(lambda **values: build(arg, **values), generic_plan=generic_plan, **placeholders)
    return _REGISTRY[key]


def _set_prefetched(instance, relation: str, cache_name: str, rows: list) -> None:
    """``instance.<relation>`` answered from ``rows``, as ``prefetch_related`` leaves it."""
    queryset = getattr(instance, relation).get_queryset()
    queryset._result_cache, queryset._prefetch_done = rows, True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = queryset


def fill_reverse_prefetch(instances, relation: str, related: list) -> None:
    """What ``prefetch_related(relation)`` leaves on ``instances`` (a reverse foreign key, e.g. an agenda
    item's ``decisions``), from ``related`` rows loaded by a prepared query in the relation's order:
    ``instance.<relation>.all()`` then gives them without a query, and each row's foreign key
    points back to its instance. ``instances`` may hold several objects of one row (``select_related``
    makes one per parent); each gets the rows."""
    if not instances:
        return
    descriptor = getattr(type(instances[0]), relation)
    field = descriptor.rel.field  # the foreign key on the related model
    cache_name = field.remote_field.cache_name
    by_owner: dict = {}
    for obj in related:
        by_owner.setdefault(getattr(obj, field.attname), []).append(obj)
    for instance in instances:
        rows = by_owner.get(instance.pk, [])
        for obj in rows:
            field.set_cached_value(obj, instance)
        _set_prefetched(instance, relation, cache_name, list(rows))


def fill_m2m_prefetch(instances, relation: str, pairs) -> None:
    """What ``prefetch_related(relation)`` leaves on ``instances`` for a many-to-many field (e.g. a decision's
    ``responsible_organizations``), from ``(instance pk, related object)`` pairs loaded by a prepared query in
    the relation's order (the related model's ordering): ``instance.<relation>.all()`` then gives them without
    a query. A related row of several instances comes once per instance, a separate object each, as Django's
    prefetch makes them (one row per link)."""
    if not instances:
        return
    cache_name = getattr(type(instances[0]), relation).field.name  # the forward manager's prefetch_cache_name
    by_owner: dict = {}
    for owner_pk, obj in pairs:
        by_owner.setdefault(owner_pk, []).append(obj)
    for instance in instances:
        _set_prefetched(instance, relation, cache_name, by_owner.get(instance.pk, []))
