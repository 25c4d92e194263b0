"""ORM queries compiled once per process, run again with other values (issue 13).

Turning a queryset into SQL costs 0.5–3 ms of CPU (joins, unions, select_related), more than
the database takes to answer the small queries every page makes (the user's roles, the
protocol page's lookups). ``PreparedQuery`` builds the queryset once with placeholder values,
keeps its SQL and the positions of the placeholders among the parameters, and afterwards only
substitutes the values and executes::

    ROLES = PreparedQuery(lambda user_id, day: Seat.objects.filter(user_id=user_id, start__lte=day)
                          .values_list("cluster_id", "role"), user_id=SENTINEL_ID, day=SENTINEL_DAY)
    rows = ROLES.rows(user_id=7, day=today)

The queryset must return plain values (``values_list``); every placeholder must reach the SQL as a
parameter (not inside an ``IN`` list whose length varies). The SQL is kept per database alias and
vendor, so tests on SQLite and the server on PostgreSQL each compile their own.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable

from django.db import connections

# Placeholder values that no real row has: a negative id and a day before any protocol.
SENTINEL_ID = -7_770_001
SENTINEL_DAY = datetime.date(1001, 2, 3)


class PreparedQuery:
    def __init__(self, build: Callable[..., Any], **placeholders):
        self.build = build
        self.placeholders = placeholders
        self._compiled: dict[tuple, tuple[str, list, dict[int, tuple[str, bool]]]] = {}

    def _compile(self, using: str):
        queryset = self.build(**self.placeholders).using(using)
        sql, params = queryset.query.get_compiler(using).as_sql()
        slots: dict[int, tuple[str, bool]] = {}  # param index -> (placeholder name, passed as str)
        for index, param in enumerate(params):
            for name, value in self.placeholders.items():
                if param == value and type(param) is type(value):
                    slots[index] = (name, False)
                elif isinstance(param, str) and param == str(value):
                    slots[index] = (name, True)
        missing = set(self.placeholders) - {name for name, _ in slots.values()}
        if missing:
            raise ValueError(f"placeholders not found among the query's parameters: {sorted(missing)}")
        return sql, list(params), slots

    def sql_and_params(self, using: str = "default", **values) -> tuple[str, list]:
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        sql, params, slots = compiled
        params = list(params)
        for index, (name, as_str) in slots.items():
            value = values[name]
            params[index] = str(value) if as_str else value
        return sql, params

    def rows(self, using: str = "default", **values) -> list[tuple]:
        sql, params = self.sql_and_params(using, **values)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
