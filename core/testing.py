"""Test helpers shared by every app: the permission table and the database snapshot.

A permission table is a list of :class:`Row` — a URL (or a function building it from the
test's objects), a method and the status each demo role gets::

    TABLE = [
        Row("list", "/meetings/", "get", expect(200, 200, 200, 200, 200)),
        Row("edit", lambda o: f"/meetings/{o['draft'].pk}/edit/", "post", expect(200, 403, 404, 404, 200)),
    ]

    @pytest.mark.parametrize("row, role", cases(TABLE))
    def test_permission_table(client_as, objects, row, role):
        check(client_as(role), row, role, objects)

:func:`check` requests the URL, asserts the status and, for every POST that was refused
(400, 403, 404, 405, or a redirect to a login page), that the database is exactly as it was
before: every table of the project's apps and of ``auth``, row count and a hash of every
row's values (:func:`database_state`).

This module is application code of the bottom floor: it imports Django and pytest only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pathlib
from typing import Any, Callable

import pytest
from django.apps import apps
from django.conf import settings

ROLES = ("secretary", "chair", "member", "outsider", "admin", None)
REFUSED = (400, 403, 404, 405)
# Columns that change without a write by the user: a login stamps last_login.
VOLATILE = {("auth", "user"): {"last_login"}}


def expect(secretary, chair, member, outsider, admin, anonymous=302, **others) -> dict:
    """The status per demo role, in the order of :data:`ROLES` (``None`` is anonymous);
    extra logins (``other_secretary=…``) by keyword."""
    return {**dict(zip(ROLES, [secretary, chair, member, outsider, admin, anonymous])), **others}


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of a permission table. ``url`` and ``data`` may be callables taking the
    test's objects (whatever the test passes to :func:`check`), so tables stay module-level."""

    name: str
    url: str | Callable[[Any], str]  # "/tasks/{mine}/" is formatted with the objects
    method: str
    expected: dict
    data: dict | Callable[[Any], dict] | None = None
    # For allowed POSTs: True asserts the database changed (the payload really saves).
    saves: bool = False

    def build_url(self, objects) -> str:
        """A callable gets the objects; a string is formatted with them when they are a dict
        (``"/tasks/{mine}/"``)."""
        if callable(self.url):
            return self.url(objects)
        return self.url.format(**objects) if isinstance(objects, dict) else self.url

    def build_data(self, objects) -> dict:
        return (self.data(objects) if callable(self.data) else self.data) or {}


def role_id(role) -> str:
    return "anonymous" if role is None else str(role)


def cases(table, roles=None) -> list:
    """pytest params ``(row, role)``, one per role of every row, with readable ids
    (``post-draft_edit-member``). Roles missing from a row's ``expected`` are skipped."""
    params = []
    for row in table:
        for role in roles or row.expected:
            if role in row.expected:
                params.append(pytest.param(row, role, id=f"{row.method}-{row.name}-{role_id(role)}"))
    return params


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login/" in response.get("Location", "")


def is_refused(response) -> bool:
    return response.status_code in REFUSED or is_login_redirect(response)


def check(client, row: Row, role, objects=None):
    """Request ``row`` as ``client`` (logged in as ``role``) and assert what the table says."""
    url, method = row.build_url(objects), row.method
    before = database_state() if method == "post" else None
    if method == "post":
        response = client.post(url, row.build_data(objects))
    else:
        response = getattr(client, method)(url)
    expected = row.expected[role]
    assert response.status_code == expected, f"{method.upper()} {url} as {role_id(role)}: {response.status_code}"
    if role is None and expected == 302:
        assert is_login_redirect(response), f"anonymous {method.upper()} {url} went to {response['Location']}"
    if before is not None:
        if is_refused(response):
            assert_unchanged(before)
        elif row.saves:
            assert database_state() != before, f"{url}: an allowed POST must save (else the payload proves nothing)"
    return response


# ---------------------------------------------------------------- database snapshot


def _is_project_app(config) -> bool:
    """``auth`` and the apps in the project's folder — not installed packages, even when the virtualenv
    lives inside the project (``.venv``: sessions, axes, django-tasks would count as the project's)."""
    base = pathlib.Path(settings.BASE_DIR).resolve()
    path = pathlib.Path(config.path).resolve()
    if "site-packages" in path.parts or "dist-packages" in path.parts:
        return config.label == "auth"
    return config.label == "auth" or base in path.parents


def snapshot_models() -> list:
    """Every concrete model of the project's apps and of ``auth``, with the m2m tables."""
    labels = {config.label for config in apps.get_app_configs() if _is_project_app(config)}
    return sorted(
        (m for m in apps.get_models(include_auto_created=True)
         if m._meta.app_label in labels and not m._meta.proxy and m._meta.managed),
        key=lambda m: m._meta.label,
    )


def table_state(model) -> tuple[int, str]:
    volatile = VOLATILE.get((model._meta.app_label, model._meta.model_name), set())
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in volatile]
    digest = hashlib.sha256()
    count = 0
    for values in model._base_manager.order_by("pk").values_list(*fields).iterator(chunk_size=2000):
        # PostgreSQL returns a BinaryField as a memoryview, whose repr is its address: hash the bytes.
        digest.update(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in values)).encode())
        count += 1
    return count, digest.hexdigest()


def database_state() -> dict:
    """{model label: (row count, hash of every row's values)}."""
    return {model._meta.label: table_state(model) for model in snapshot_models()}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


def assert_unchanged(before: dict) -> None:
    changed = changed_tables(before, database_state())
    assert not changed, f"a refused request changed {', '.join(changed)}"


def mail_parts(message) -> tuple[str, str]:
    """(text body, HTML alternative) of an e-mail in ``mail.outbox``; fails when it has no HTML part."""
    html = [content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"]
    assert len(html) == 1, f"{message.subject!r} has {len(html)} HTML alternatives"
    return message.body, html[0]


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def listed_pks(page) -> list[int]:
    """The ids of a list page's rows: the task list as it opens holds tuples (id first,
    ``tasks.rows.ROW_COLUMNS``), filtered lists and other pages model instances."""
    return [row[0] if isinstance(row, tuple) else row.pk for row in page]
