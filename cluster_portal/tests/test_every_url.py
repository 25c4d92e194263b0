"""Every URL of the project × every role of two clusters × GET and POST (issue 11's trust boundaries).

The URL patterns are read from the resolver (the Django admin's included). Each one has an entry in
:data:`CASES` (or, for an admin page of a model, in :data:`ADMIN_OBJECTS`) that says how to fill its
parameters with the objects of a cluster, what to POST and who of that cluster may write through it.
A pattern without an entry fails :func:`test_every_url_pattern_has_a_case`: adding a page means adding
one line here.

Two clusters are built once for the module: the demo ICT cluster (``A``) and the demo machine-building
cluster (``B``), each with a draft, a protocol on approval, an approved (A: signed) protocol, its
decisions and assignments, a report with a file, an extension request, an approved and a draft plan,
an organisation, a person, a seat, a role grant, an addressee category, a protocol import and a
calendar token. Their data carries marker strings (:data:`MARKERS`).

Each URL is requested by every login — the secretary, chair and member of A; the secretary, deputy
chair and member of B; the secretary of a coordinating authority; a login with no role; the portal
administrator; anonymous — with its parameters filled from A and from B, by GET and by POST. Asserted:

1. nothing answers 500;
2. a URL naming an object of one cluster is refused (403, 404, 405 or the login page) to everyone
   outside that cluster, and no response shows anyone a marker of a cluster they are not in (nor a
   member a marker of what only the secretary and chair see, nor anyone another login's token);
3. a POST by someone who may not write through the URL leaves the database as it was
   (:func:`core.testing.database_state`, with a cheap write counter in front of it);
4. nobody but the superuser gets an admin page.

Every request runs in a savepoint that is rolled back, so each starts from the same data.
"""

from __future__ import annotations

import dataclasses
import os
import datetime
import pathlib
import re
from typing import Any, Callable

import pytest
import time_machine
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.testing import changed_tables, database_state, is_login_redirect

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------- who may write

SECRETARY = frozenset({"secretary"})
CHAIR = frozenset({"chair"})
MANAGERS = frozenset({"secretary", "chair"})
CLUSTER = frozenset({"secretary", "chair", "member"})  # anyone of the object's cluster (the view narrows it)
ANY_LOGIN = frozenset({"any"})  # a personal page: every login writes its own row
NOBODY = frozenset()  # the portal administrator only

TRACE = bool(os.environ.get("MATRIX_TRACE"))  # print every request's outcome
REFUSED = {400, 401, 403, 404, 405}  # 401: the API without a token
PUBLIC_LOGIN_REDIRECTS = ("/accounts/login/", "/admin/login/")


@dataclasses.dataclass(frozen=True)
class Case:
    """How to request one URL pattern for the objects ``o`` of one cluster.

    ``kwargs`` values are a key of ``o`` (its ``pk`` is used) or a callable of ``o``; ``query`` and
    ``data`` may be callables of ``o`` too. ``scoped``: the URL names an object of the cluster, so everyone
    outside it must be refused. ``public``: why the page is open to anyone (then neither the refusal nor the
    markers are checked — only the 500s and forbidden writes)."""

    kwargs: dict
    query: Any = ""
    data: Any = None
    writers: frozenset = SECRETARY
    scoped: bool = True
    public: str = ""
    clusters: tuple = ("A", "B")
    args: tuple = ()  # positional parameters (django-simple-history's admin pages)
    not_by: Any = None  # callable of o: a login of the cluster that must not write through it even so

    def url(self, name: str, o: dict) -> str:
        def fill(value):
            return value(o) if callable(value) else o[value].pk

        kwargs = {key: fill(value) for key, value in self.kwargs.items()}
        if "/" in name or name.startswith("^"):  # an unnamed pattern: keyed by its full route
            url = _fill_route(name, kwargs)
        else:
            url = reverse(name, args=[fill(value) for value in self.args] or None, kwargs=kwargs or None)
        query = self.query(o) if callable(self.query) else self.query
        return url + (f"?{query}" if query else "")

    def payload(self, o: dict) -> dict:
        return (self.data(o) if callable(self.data) else self.data) or {}


def C(*, writers=SECRETARY, query="", data=None, scoped=None, public="", clusters=("A", "B"), not_by=None,
      **kwargs) -> Case:
    return Case(kwargs=kwargs, query=query, data=data, writers=writers,
                scoped=bool(kwargs) if scoped is None else scoped, public=public, clusters=clusters, not_by=not_by)


def _fill_route(route: str, kwargs: dict) -> str:
    """An unnamed pattern's full route with its parameters filled (``<path:object_id>``, ``(?P<url>.*)``)."""
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), url)
    return "/" + url.replace("^", "").replace("$", "").lstrip("/")


# ---------------------------------------------------------------- POST payloads (plausible: they would save)

def editor_data(o, revision=None):
    data = {"m-body": o["council"].pk, "m-kind": "council", "m-number": "77", "m-date": "2026-11-20",
            "m-city": "г. Смоленск", "m-format": "in_person", "m-chair": o["chair_person"].pk, "m-chair_title": "chair",
            "m-secretary": o["secretary_person"].pk, "m-place": "Изменённое место",
            "att-TOTAL_FORMS": 0, "att-INITIAL_FORMS": 0, "items-TOTAL_FORMS": 0, "items-INITIAL_FORMS": 0}
    if revision is not None:
        data["m-revision"] = revision
    return data


def signatories_data(style="chair"):
    return {"style": style, "signers-TOTAL_FORMS": 0, "signers-INITIAL_FORMS": 0,
            "signers-MIN_NUM_FORMS": 0, "signers-MAX_NUM_FORMS": 20}


def plan_data(o):
    return {"cluster": o["cluster"].pk, "title": "План работы", "period": "на 2027 год",
            "period_start": "2027-01-01", "period_end": "2027-12-31"}


def item_data(o):
    return {"section": o["section"].pk, "title": "Новое мероприятие", "timeframe_kind": "year", "year": 2027,
            "organizers_text": "Рабочая группа"}


def body_data(**overrides):
    return {"kind": "working_group", "name": "Рабочая группа по цифровой экономике", "name_genitive": "рабочей группы",
            "agenda_numbering": "arabic", "attendance_list_limit": "20", **overrides}


def cluster_data():
    return {"name": "Образовательно-производственный кластер агропромышленного комплекса", "short_name": "Агрокластер",
            "region": "Смоленская область", "founded_on": "2026-01-01", "council_name": "Координационный совет",
            "council_name_genitive": "Координационного совета", "agenda_numbering": "roman",
            "attendance_list_limit": "10", "council_signatories": "chair_secretary",
            "secretary_username": "agro-secretary", "secretary_email": "agro@example.org",
            "secretary_last_name": "Агроноева", "secretary_first_name": "Мария"}


def org_data(o):
    return {"cluster": o["cluster"].pk, "full_name": "ООО «Новая организация»", "short_name": "Новая",
            "kind": "employer", "status": "joined", "document_title": "Заявление"}


def person_data(o):
    return {"last_name": "Новикова", "first_name": "Нина", "organization": o["org"].pk, "position": "инженер"}


# ---------------------------------------------------------------- the cases: one line per URL pattern

CASES: dict[str, Case | list[Case]] = {
    "dashboard": C(writers=NOBODY),
    "login": C(public="the login form", writers=NOBODY, data={"username": "secretary", "password": "wrong"}),
    "logout": C(public="logging out", writers=NOBODY),
    "password_reset": C(public="asking for a reset link", writers=NOBODY, data=lambda o: {"email": o["member"].email}),
    "password_reset_done": C(public="a static notice", writers=NOBODY),
    "password_reset_confirm": C(public="the link's token is the credential", writers=NOBODY, scoped=False,
                                uidb64=lambda o: urlsafe_base64_encode(force_bytes(o["member"].pk)),
                                token=lambda o: default_token_generator.make_token(o["member"]),
                                data={"new_password1": "Xx-12345-long", "new_password2": "Xx-12345-long"}),
    "password_reset_complete": C(public="a static notice", writers=NOBODY),
    "set_language": C(public="the language cookie", writers=ANY_LOGIN, data={"language": "ru", "next": "/"}),
    # meetings
    "meetings:meeting-list": C(writers=NOBODY),
    "meetings:meeting-create": C(query=lambda o: f"body={o['council'].pk}", data=editor_data),
    "meetings:person-search": C(query=lambda o: f"q={o['search']}"),
    "meetings:person-create": C(data=lambda o: {"last_name": "Новикова", "first_name": "Нина",
                                                "organization": o["org"].pk, "body": o["council"].pk}),
    "meetings:decision-search": C(query=lambda o: f"q={o['decision_search']}"),
    "meetings:next-number": C(query=lambda o: f"body={o['council'].pk}&date=2026-11-22", scoped=True),
    "meetings:import": C(data=lambda o: {"body": o["council"].pk, "text": IMPORT_TEXT}),
    "meetings:import-review": [C(token=lambda o: o["import"].token, data={"number": "7", "date": "2026-01-10"}),
                               C(token=lambda o: o["import"].token, data={"discard": "1"})],
    "meetings:meeting-detail": [C(pk="draft"), C(pk="submitted"), C(pk="approved"),
                                C(pk="approved", query="form=short")],
    "meetings:meeting-history": [C(pk="draft"), C(pk="approved")],
    "meetings:meeting-edit": [C(pk="draft", data=lambda o: editor_data(o, o["draft"].revision)),
                              C(pk="approved", data=lambda o: editor_data(o, o["approved"].revision))],
    "meetings:meeting-agenda": [C(pk="draft"), C(pk="approved")],
    "meetings:meeting-person-search": C(pk="draft", query=lambda o: f"q={o['search']}"),
    "meetings:meeting-decision-search": C(pk="draft", query=lambda o: f"q={o['decision_search']}"),
    "meetings:meeting-signatories": C(pk="draft", data=signatories_data()),
    "meetings:meeting-submit": C(pk="draft"),
    "meetings:meeting-approve": C(pk="submitted", writers=CHAIR),
    "meetings:meeting-return": C(pk="submitted", writers=CHAIR, data={"comment": "Исправьте номер."}),
    # documents
    "documents:protocol-pdf": [C(pk="approved"), C(pk="draft")],
    "documents:protocol-certified-copy": C(pk="approved", writers=MANAGERS),
    "documents:protocol-sign": C(pk="approved", writers=MANAGERS, data={"password": "demo"}),
    "documents:demo-certificate": C(pk="approved", writers=MANAGERS),
    "documents:protocol-correction": C(pk="approved", data={"reason": "Опечатка в фамилии.", "confirm": "on"}),
    "documents:verify": C(public="anyone checks a PDF's signatures", writers=NOBODY),
    "documents:verify-document": C(public="the link printed on the PDF", writers=NOBODY, clusters=("A",),
                                   key=lambda o: o["document"].public_id),
    # plans
    "plans:plan-list": C(writers=NOBODY),
    "plans:plan-detail": [C(pk="plan"), C(pk="draft_plan")],
    "plans:plan-create": C(data=plan_data),
    "plans:plan-import": C(data=lambda o: {"cluster": o["cluster"].pk}),
    "plans:plan-edit": C(pk="draft_plan", data=plan_data),
    "plans:plan-approve": C(pk="draft_plan", writers=MANAGERS, data=lambda o: {"decision": o["decision"].pk}),
    "plans:plan-new-version": C(pk="plan"),
    "plans:section-create": C(pk="draft_plan", data={"title": "Новый раздел"}),
    "plans:section-edit": C(pk="section", data={"title": "Изменённый раздел"}),
    "plans:item-create": C(pk="section", data=item_data),
    "plans:item-edit": C(pk="item", data=item_data),
    "plans:item-report": C(pk="plan_item", writers=MANAGERS, data={"status": "done", "report": "Выполнено."}),
    "plans:structure-action": [C(kind=lambda o: "item", pk="item", action=lambda o: "delete"),
                               C(kind=lambda o: "section", pk="section", action=lambda o: "down")],
    "plans:plan-export-xlsx": [C(pk="plan"), C(pk="draft_plan")],
    "plans:plan-export-pdf": C(pk="plan"),
    # tasks
    "tasks:task-list": C(writers=NOBODY),
    "tasks:discipline-report": C(writers=NOBODY, query=lambda o: f"cluster={o['cluster'].pk}"),
    "tasks:calendar-settings": C(writers=ANY_LOGIN),
    "tasks:task-detail": C(pk="assignment"),
    "tasks:report-file": C(pk="assignment", file_pk="report_file"),
    "tasks:assignment-start": C(pk="assignment", writers=CLUSTER),
    "tasks:report-submit": C(pk="assignment", writers=CLUSTER, data={"text": "Сделано всё."}),
    "tasks:report-accept": C(pk="assignment", writers=MANAGERS, data={"comment": ""}),
    "tasks:report-return": C(pk="assignment", writers=MANAGERS, data={"comment": "Приложите программу."}),
    "tasks:extension-request": C(pk="assignment", writers=CLUSTER,
                                 data={"new_deadline": "2031-12-31", "reason": "Нужно больше времени."}),
    # A's extension was requested by A's secretary: she must not grant it herself.
    "tasks:extension-decide": [C(pk="assignment", extension_pk="extension", decision=lambda o: "grant",
                                 writers=MANAGERS, data={"comment": ""}, not_by=lambda o: o["reporter"]),
                               C(pk="assignment", extension_pk="extension", decision=lambda o: "refuse",
                                 writers=MANAGERS, data={"comment": "Нет."})],
    "tasks:calendar-feed": C(public="the token in the URL is the credential", writers=NOBODY,
                             token=lambda o: o["token"].token),
    "tasks:meeting-ics": C(pk="approved"),
    # members
    "members:organization-list": C(writers=NOBODY),
    "members:register-export": C(writers=NOBODY, query=lambda o: f"cluster={o['cluster'].pk}"),
    "members:organization-create": C(data=org_data),
    "members:organization-detail": C(pk="org"),
    "members:organization-edit": C(pk="org", data=lambda o: {"full_name": "ООО «Переименованная»", "short_name": "П",
                                                             "kind": "employer"}),
    "members:organization-invite": C(pk="org", data=lambda o: {"cluster": o["cluster"].pk, "on": "2026-01-10"}),
    # The cluster's organisation put into the other cluster (an admin finding): nobody but the administrator.
    "members:organization-join": [C(pk="org", data=lambda o: {"cluster": o["cluster"].pk, "on": "2026-01-10"}),
                                  C(pk="org", writers=NOBODY,
                                    data=lambda o: {"cluster": o["other"]["cluster"].pk, "on": "2026-01-10"})],
    "members:organization-leave": C(pk="org", data=lambda o: {"cluster": o["cluster"].pk, "on": "2026-01-10"}),
    "members:person-list": C(writers=NOBODY),
    "members:person-create": C(data=person_data),
    "members:person-detail": C(pk="person"),
    "members:person-edit": C(pk="person", data=person_data),
    "members:person-login": C(pk="person", writers=NOBODY, data=lambda o: {"user": o["guest"].pk}),
    "members:body-detail": C(pk="group"),
    "members:body-edit": C(pk="group", data=body_data(name="Переименованная группа")),
    "members:body-change": C(pk="group", data=lambda o: {"role": "member", "person": o["person"].pk,
                                                          "on": "2026-01-10"}),
    "members:body-signatories": C(pk="council", data=signatories_data("secretary")),
    "members:seat-end": C(pk="seat", data={"on": "2026-01-10"}),
    # clusters
    "clusters:cluster-list": C(writers=NOBODY),
    "clusters:cluster-create": C(writers=NOBODY, data=cluster_data()),
    "clusters:cluster-edit": C(pk="cluster", data=lambda o: {"name": o["cluster"].name, "region": "Другой регион"}),
    "clusters:cluster-roles": C(pk="cluster", data=lambda o: {"user": o["guest"].pk, "role": "secretary"}),
    "clusters:role-revoke": C(pk="cluster", grant="grant"),
    "clusters:body-create": C(pk="cluster", data=body_data()),
    "clusters:addressee-list": C(pk="cluster"),
    "clusters:addressee-create": C(pk="cluster", data=lambda o: {"name": "Колледжам", "organizations": [o["org"].pk]}),
    "clusters:addressee-edit": C(pk="cluster", category="category",
                                 data=lambda o: {"name": "Другим", "organizations": [o["org"].pk]}),
    # probes, search, coordination, the signing steps (merged from main: first mappings, to be refined)
    "healthz": C(public="the load balancer's liveness probe", writers=NOBODY),
    "readyz": C(public="the load balancer's readiness probe", writers=NOBODY),
    "search": C(writers=NOBODY, query=lambda o: f"q={o['search']}"),
    "documents:protocol-sign-prepare": C(pk="approved", writers=MANAGERS),
    "documents:protocol-sign-finish": C(pk="approved", writers=MANAGERS),
    "members:membership-document": C(pk="org", membership="membership"),
    "coordination:overview": C(writers=NOBODY),
    "coordination:assignment-list": C(writers=NOBODY),
    "coordination:protocol": C(pk="approved", writers=NOBODY),
    # /api/v1/: read-only JSON for token holders
    "api:openapi": C(public="the API's description", writers=NOBODY),
    "api:docs": C(public="the API's documentation page", writers=NOBODY),
    "api:cluster-list": C(writers=NOBODY),
    "api:cluster-detail": C(pk="cluster", writers=NOBODY),
    "api:cluster-organizations": C(pk="cluster", writers=NOBODY),
    "api:cluster-people": C(pk="cluster", writers=NOBODY),
    "api:meeting-list": C(writers=NOBODY),
    "api:meeting-detail": [C(pk="approved", writers=NOBODY), C(pk="draft", writers=NOBODY)],
    "api:decision-list": C(writers=NOBODY),
    "api:decision-detail": C(pk="decision", writers=NOBODY),
    "api:assignment-list": C(writers=NOBODY),
    "api:assignment-detail": C(pk="assignment", writers=NOBODY),
    "api:assignment-reports": C(pk="assignment", writers=NOBODY),
    "api:plan-list": C(writers=NOBODY),
    "api:plan-detail": [C(pk="plan", writers=NOBODY), C(pk="draft_plan", writers=NOBODY)],
    "^api/": C(writers=NOBODY),
    "api:token-list": C(writers=ANY_LOGIN, data={"name": "Интеграция"}),
    "api:token-revoke": C(writers=ANY_LOGIN, scoped=False, pk=lambda o: 987654),
    # The admin's own pages (a model's pages come from ADMIN_OBJECTS).
    "admin:index": C(writers=NOBODY),
    "admin:login": C(public="the admin's login form (refuses everyone but superusers)", writers=NOBODY,
                     data={"username": "secretary", "password": "demo12345"}),
    "admin:logout": C(writers=NOBODY),
    "admin:password_change": C(writers=NOBODY),
    "admin:password_change_done": C(writers=NOBODY),
    "admin:autocomplete": C(writers=NOBODY, query="app_label=members&model_name=person&field_name=person&term=а"),
    "admin:jsi18n": C(writers=NOBODY),
    "admin:view_on_site": C(writers=NOBODY, content_type_id=lambda o: ContentType.objects.get_for_model(o["draft"]).pk,
                            object_id="draft"),
    "admin:app_list": [C(writers=NOBODY, app_label=lambda o: label, scoped=False)
                       for label in ("auth", "members", "meetings", "tasks")],
    "admin/(?P<url>.*)$": C(writers=NOBODY, url=lambda o: "members/nothing-here/", scoped=False),
}

# Patterns that exist only in some configurations (``static()`` serves media when DEBUG is on).
OPTIONAL = {"^media/(?P<path>.*)$": C(path=lambda o: o["report_file"].file.name, writers=NOBODY)}

# Findings of the matrix left to the engineer whose work fixes them (strict: the day it is fixed, remove it).
# Known findings, marked xfail (strict) until fixed: none left (the /media/ route is gone, issue 11).
KNOWN: dict[str, str] = {}

# The object of a cluster whose admin pages (change, delete, history, redirect) are opened; None: the
# model has no row of a cluster here (the page answers for a missing id).
ADMIN_OBJECTS: dict[str, Callable | None] = {
    "auth.Group": None,
    "auth.User": lambda o: o["member"],
    "axes.AccessAttempt": None,
    "axes.AccessFailureLog": None,
    "axes.AccessLog": None,
    "django_tasks_database.DBTaskResult": None,
    "ops.ScheduledRun": None,
    "ops.WorkerHeartbeat": None,
    "documents.ProtocolCorrection": None,
    "documents.ProtocolDocument": lambda o: o.get("document"),
    "meetings.AgendaItem": lambda o: o["approved"].agenda_items.first(),
    "meetings.Assignment": lambda o: o["assignment"],
    "meetings.Decision": lambda o: o["decision"],
    "meetings.Meeting": lambda o: o["approved"],
    "meetings.ProtocolImport": lambda o: o["import"],
    "members.Body": lambda o: o["council"],
    "members.BodyMembership": lambda o: o["seat"],
    "members.Cluster": lambda o: o["cluster"],
    "members.ClusterRole": lambda o: o["grant"],
    "members.Membership": lambda o: o["membership"],
    "members.Organization": lambda o: o["org"],
    "members.Person": lambda o: o["person"],
    "plans.PlanItem": lambda o: o["item"],
    "plans.PlanSection": lambda o: o["section"],
    "plans.WorkPlan": lambda o: o["plan"],
    "tasks.AssignmentReport": lambda o: o["report"],
    "tasks.CalendarToken": lambda o: o["token"],
    "tasks.DeadlineExtension": lambda o: o["extension"],
    "tasks.SentNotification": None,
}
ADMIN_MODEL_PAGES = {"changelist": "", "add": "add/", "history": "history/", "delete": "delete/", "change": "change/"}


def _admin_object_id(label):
    def object_id(o):
        obj = ADMIN_OBJECTS[label](o) if ADMIN_OBJECTS[label] else None
        return obj.pk if obj is not None else 987654

    return object_id


def _admin_history_id(label):
    def history_id(o):
        obj = ADMIN_OBJECTS[label](o) if ADMIN_OBJECTS[label] else None
        record = obj.history.order_by("history_id").last() if obj is not None and hasattr(obj, "history") else None
        return record.history_id if record is not None else 987654

    return history_id


def _admin_model_cases() -> dict[str, Case]:
    cases = {}
    for model in admin.site._registry:
        app, name, label = model._meta.app_label, model._meta.model_name, model._meta.label
        if label not in ADMIN_OBJECTS:
            continue  # test_every_admin_model_has_an_object fails
        for page in ADMIN_MODEL_PAGES:
            kwargs = {} if page in ("changelist", "add") else {"object_id": _admin_object_id(label)}
            cases[f"admin:{app}_{name}_{page}"] = Case(kwargs=kwargs, writers=NOBODY, scoped=bool(kwargs))
        # django-simple-history's page of one historical version
        cases[f"admin:{app}_{name}_simple_history"] = Case(
            kwargs={}, args=(_admin_object_id(label), _admin_history_id(label)), writers=NOBODY, scoped=True)
        if label == "auth.User":
            cases["admin:auth_user_password_change"] = Case(kwargs={"id": _admin_object_id(label)}, writers=NOBODY)
        cases[f"admin/{app}/{name}/<path:object_id>/"] = Case(kwargs={"object_id": _admin_object_id(label)},
                                                              writers=NOBODY)
    return cases


# ---------------------------------------------------------------- the resolver


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else route


def enumerated_patterns() -> list[str]:
    """Every URL pattern of the project: its name (``meetings:meeting-edit``) or, unnamed, its full route."""
    return list(_walk(get_resolver().url_patterns))


def all_cases() -> dict[str, Case | list[Case]]:
    return {**CASES, **_admin_model_cases(), **OPTIONAL}


PATTERNS = enumerated_patterns()


def test_every_url_pattern_has_a_case():
    """A new URL pattern must be added to CASES (or its model to ADMIN_OBJECTS): the matrix covers it then."""
    cases = all_cases()
    assert len(PATTERNS) == len(set(PATTERNS)), "two patterns share a name: give them distinct names"
    missing = [name for name in PATTERNS if name not in cases]
    assert missing == [], f"URL patterns without a case in test_every_url.CASES: {missing}"
    stale = sorted(set(CASES) - set(PATTERNS))
    assert stale == [], f"cases for URL patterns that no longer exist: {stale}"


def test_every_admin_model_has_an_object():
    registered = sorted(model._meta.label for model in admin.site._registry)
    assert sorted(ADMIN_OBJECTS) == registered


def test_the_walk_finds_the_portal_and_the_admin():
    assert {"meetings:meeting-edit", "tasks:report-file", "admin:index", "admin:members_clusterrole_add"} <= set(PATTERNS)
    assert len(PATTERNS) > 150


# ---------------------------------------------------------------- two clusters, built once

IMPORT_TEXT = (pathlib.Path(__file__).resolve().parents[2] / "meetings" / "tests" / "import_samples"
               / "working_group_heard_spoke.txt").read_text(encoding="utf-8")

# Marker strings in each cluster's data, by who of that cluster may see them: «cluster» — everyone of the
# cluster; «managers» — its secretary and chair only (drafts, another organisation's report).
MARKERS = {
    "A": {
        "cluster": ["Альфамаркерова", "ООО «Альфа-Маркер-Завод»", "Альфа-Маркер-Адресат",
                    "Одобрить Программу по популяризации ИТ-специальностей"],
        "managers": ["Альфа-Маркер-Черновик", "Альфа-Маркер-Согласование", "Альфа-Маркер-Отчёт", "alfa-marker-file",
                     "Альфа-Маркер-Перенос", "Альфа-Маркер-План", "alfa-marker-import"],
    },
    "B": {
        "cluster": ["Бетамаркерова", "ООО «Бета-Маркер-Завод»", "Бета-Маркер-Адресат", "Бета-Маркер-Мероприятие",
                    "Бета-Маркер-Отчёт", "beta-marker-file", "Бета-Маркер-Перенос"],
        "managers": ["Бета-Маркер-Черновик", "Бета-Маркер-Согласование", "Бета-Маркер-План", "beta-marker-import"],
    },
}
SEARCH = {"A": "Альфамаркер", "B": "Бетамаркер"}
DECISION_SEARCH = {"A": "Одобрить Программу", "B": "Бета-Маркер-Решение"}


def _meeting(o, status, place, number):
    from meetings.models import AgendaItem, Attendance, Decision, DecisionKind, Meeting

    meeting = Meeting.objects.create(
        cluster=o["cluster"], body=o["council"], number=number, date=datetime.date(2026, 11, 20), city="г. Смоленск",
        place=place, chair=o["chair_person"], secretary=o["secretary_person"], status=status,
    )
    Attendance.objects.create(meeting=meeting, person=o["person"], order=1)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title=f"{place}: вопрос", discussion="Обсуждение.")
    Decision.objects.create(agenda_item=item, order=1, text=f"{place}: принять к сведению.", kind=DecisionKind.NOTE)
    return meeting


def _login(username, person=None):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.org", password="demo12345")
    if person is not None:
        person.user = user
        person.save()
    return user


def _common(o, key, prefix):
    """The register, drafts, plans, reports and tokens every cluster gets (markers ``prefix``: Альфа/Бета)."""
    from meetings.importing.services import protocol_import_read
    from meetings.models import MeetingStatus
    from members.models import (BodyMembership, BodyRole, ClusterRole, Membership, MembershipStatus, Organization,
                                OrganizationKind, Person, PortalRole)
    from members.services import addressee_category_save
    from plans.models import PlanItem, PlanSection, WorkPlan
    from tasks import services as tasks
    from tasks.models import AssignmentReportFile, CalendarToken

    latin = {"Альфа": "alfa", "Бета": "beta"}[prefix]
    o["org"] = Organization.objects.create(full_name=f"ООО «{prefix}-Маркер-Завод»", short_name=f"{prefix}-Завод",
                                           kind=OrganizationKind.EMPLOYER)
    o["membership"] = Membership.objects.create(cluster=o["cluster"], organization=o["org"],
                                                status=MembershipStatus.JOINED, joined_on=datetime.date(2021, 3, 1))
    o["outside_org"] = Organization.objects.create(full_name=f"ООО «{prefix}-Кандидат»", short_name=f"{prefix}-Канд",
                                                   kind=OrganizationKind.EMPLOYER)
    o["person"] = Person.objects.create(last_name=f"{prefix}маркерова", first_name="Анна", organization=o["org"])
    o["seat"] = BodyMembership.objects.create(body=o["group"], person=o["person"], role=BodyRole.MEMBER,
                                              term_start=datetime.date(2023, 1, 1))
    o["guest"] = _login(f"guest-{latin}")
    o["grant"] = ClusterRole.objects.create(user=o["guest"], cluster=o["cluster"], role=PortalRole.MEMBER)
    o["category"] = addressee_category_save(cluster=o["cluster"], name=f"{prefix}-Маркер-Адресат",
                                            organizations=[o["org"]])
    o["draft"] = _meeting(o, MeetingStatus.DRAFT, f"{prefix}-Маркер-Черновик", "31")
    o["submitted"] = _meeting(o, MeetingStatus.ON_APPROVAL, f"{prefix}-Маркер-Согласование", "32")
    o["draft_plan"] = WorkPlan.objects.create(
        cluster=o["cluster"], title=f"{prefix}-Маркер-План", period="на 2027 год",
        period_start=datetime.date(2027, 1, 1), period_end=datetime.date(2027, 12, 31))
    o["section"] = PlanSection.objects.create(plan=o["draft_plan"], order=1, title="Организационная работа")
    o["item"] = PlanItem.objects.create(section=o["section"], order=1, title="Заседание", year=2027, q2=True)
    o["section_2"] = PlanSection.objects.create(plan=o["draft_plan"], order=2, title="Мониторинг")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False):
        o["report"] = tasks.assignment_report_submit(
            assignment=o["assignment"], author=o["reporter"], text=f"{prefix}-Маркер-Отчёт",
            files=[SimpleUploadedFile(f"{latin}-marker-file.pdf", b"%PDF-1.4 report", content_type="application/pdf")])
        o["extension"] = tasks.assignment_extension_request(
            assignment=o["assignment"], requested_by=o["reporter"], new_deadline=datetime.date(2030, 12, 31),
            reason=f"{prefix}-Маркер-Перенос")
    o["assignment"].refresh_from_db()
    o["report_file"] = AssignmentReportFile.objects.get(report=o["report"])
    o["import"] = protocol_import_read(body=o["council"], user=o["secretary"], text=IMPORT_TEXT,
                                       file_name=f"{latin}-marker-import.txt")
    o["token"] = CalendarToken.objects.get_or_create(user=o["member"])[0]
    o["search"], o["decision_search"] = SEARCH[key], DECISION_SEARCH[key]


def build_world() -> dict:
    from cluster_portal.demo import load_demo
    from documents.models import ProtocolDocument
    from meetings.models import Assignment, Decision, Meeting
    from members.models import Body, BodyKind, BodyMembership, BodyRole, Cluster, ClusterKind, Person
    from plans.models import PlanItem, PlanSection, PlanStatus, WorkPlan

    ctx = load_demo()
    users = ctx["users"]
    a = {"cluster": ctx["cluster"], "council": ctx["council"], "group": ctx["working_group"],
         "secretary": users["secretary"], "chair": users["chair"], "member": users["member"],
         "secretary_person": ctx["people"]["kudryavtseva"], "chair_person": ctx["people"]["rudometkin"],
         "approved": ctx["meeting_2023"], "plan": ctx["plan_2023"], "plan_item": ctx["plan_items_2023"][0]}
    a["document"] = ProtocolDocument.objects.filter(meeting=a["approved"]).order_by("-version").first()
    a["decision"] = ctx["decisions_2023"][1]
    # Another organisation's assignment than the member's: the member must not read its report.
    a["assignment"] = (Assignment.objects.filter(decision__agenda_item__meeting=a["approved"], organization__isnull=False)
                       .exclude(organization_id=users["member"].person.organization_id).order_by("pk").first())
    a["reporter"] = users["secretary"]
    _common(a, "A", "Альфа")

    other = ctx["other_cluster"]
    council_b = Body.objects.get(cluster=other, kind=BodyKind.COUNCIL)
    group_b = Body.objects.create(cluster=other, kind=BodyKind.WORKING_GROUP, name="Рабочая группа (демо)",
                                  name_genitive="рабочей группы", parent=council_b)
    since = datetime.date(2021, 2, 1)
    secretary_person = Person.objects.create(last_name="Секретарёва", first_name="Ольга")
    deputy_person = Person.objects.create(last_name="Заместителев", first_name="Олег")
    BodyMembership.objects.create(body=council_b, person=secretary_person, role=BodyRole.SECRETARY, term_start=since)
    BodyMembership.objects.create(body=council_b, person=deputy_person, role=BodyRole.DEPUTY_CHAIR, term_start=since)
    approved_b = Meeting.objects.get(cluster=other, body=council_b)
    b = {"cluster": other, "council": council_b, "group": group_b,
         "secretary": _login("beta-secretary", secretary_person), "chair": _login("beta-deputy", deputy_person),
         "member": users["outsider"], "secretary_person": secretary_person, "chair_person": deputy_person,
         "approved": approved_b, "decision": Decision.objects.get(agenda_item__meeting=approved_b)}
    b["assignment"] = Assignment.objects.get(decision=b["decision"])
    b["reporter"] = users["outsider"]  # his organisation is the addressee
    Decision.objects.filter(pk=b["decision"].pk).update(text=f"{b['decision'].text} Бета-Маркер-Решение")
    b["plan"] = WorkPlan.objects.create(cluster=other, title="План работы кластера машиностроения", period="на 2023 год",
                                        period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2023, 12, 31),
                                        status=PlanStatus.APPROVED)
    section = PlanSection.objects.create(plan=b["plan"], order=1, title="Раздел")
    b["plan_item"] = PlanItem.objects.create(section=section, order=1, title="Бета-Маркер-Мероприятие", year=2023)
    _common(b, "B", "Бета")

    # Logins of neither cluster: the secretary of a coordinating authority, and a login with no role.
    authority = Cluster.objects.create(name="Департамент (демо)", short_name="Департамент", kind=ClusterKind.AUTHORITY)
    body = Body.objects.create(cluster=authority, kind=BodyKind.COUNCIL, name="Совещание", name_genitive="совещания")
    authority_person = Person.objects.create(last_name="Бондарь", first_name="Ольга")
    BodyMembership.objects.create(body=body, person=authority_person, role=BodyRole.SECRETARY, term_start=since)
    logins = {
        "A-secretary": ("A", "secretary", a["secretary"]), "A-chair": ("A", "chair", a["chair"]),
        "A-member": ("A", "member", a["member"]),
        "B-secretary": ("B", "secretary", b["secretary"]), "B-deputy": ("B", "chair", b["chair"]),
        "B-member": ("B", "member", b["member"]),
        "authority-secretary": ("C", "secretary", _login("authority-secretary", authority_person)),
        "no-role": (None, None, _login("no-role")),
        "admin": ("*", "admin", users["admin"]),
        "anonymous": (None, None, None),
    }
    # Nobody but the login itself sees its calendar token.
    tokens = {a["member"].pk: a["token"].token, b["member"].pk: b["token"].token}
    a["other"], b["other"] = b, a
    return {"A": a, "B": b, "logins": logins, "tokens": tokens}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both clusters, built once in a transaction that the module's end rolls back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---------------------------------------------------------------- checking one request


def write_count() -> int | None:
    """A counter that grows with every row the connection inserts, updates or deletes (None: unknown)."""
    if connection.vendor == "sqlite":
        return connection.connection.total_changes
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables")
            return int(cursor.fetchone()[0])
    return None


class Baseline:
    """The database as every request finds it; computed on the first need."""

    state = None

    @classmethod
    def changed(cls, writes_before) -> list[str]:
        after = write_count()
        if writes_before is not None and after == writes_before:
            return []
        if cls.state is None:
            raise AssertionError("baseline not taken")
        return changed_tables(cls.state, database_state())


def visible_markers(world, login) -> set[str]:
    """The markers this login may see (everything, for the portal administrator)."""
    cluster, kind, user = world["logins"][login]
    if cluster == "*":
        return {m for c in MARKERS.values() for level in c.values() for m in level} | set(world["tokens"].values())
    seen = set()
    if cluster in MARKERS:
        seen |= set(MARKERS[cluster]["cluster"])
        if kind in ("secretary", "chair"):
            seen |= set(MARKERS[cluster]["managers"])
    if user is not None and user.pk in world["tokens"]:
        seen.add(world["tokens"][user.pk])
    return seen


def forbidden_markers(world, login) -> set[str]:
    every = {m for c in MARKERS.values() for level in c.values() for m in level} | set(world["tokens"].values())
    return every - visible_markers(world, login)


def may_write(world, login, case: Case, cluster_key: str) -> bool:
    cluster, kind, user = world["logins"][login]
    if case.not_by is not None and user is not None and case.not_by(world[cluster_key]).pk == user.pk:
        return False
    if cluster == "*":
        return True
    if "any" in case.writers:
        return user is not None
    return cluster == cluster_key and kind in case.writers


def _is_refused(response) -> bool:
    return response.status_code in REFUSED or (
        response.status_code == 302 and response.get("Location", "").startswith(PUBLIC_LOGIN_REDIRECTS))


class Clients:
    """One logged-in test client per login, made again when a request changed its session (log in/out)."""

    def __init__(self, world):
        self.world, self.clients = world, {}

    def get(self, login):
        if login not in self.clients:
            client = Client()
            client.raise_request_exception = False
            user = self.world["logins"][login][2]
            if user is not None:
                client.force_login(user)
            self.clients[login] = client
        return self.clients[login]

    def forget_if_session_changed(self, login, before):
        if self._session(login) != before:
            del self.clients[login]

    def _session(self, login):
        cookie = self.clients[login].cookies.get(settings.SESSION_COOKIE_NAME) if login in self.clients else None
        return cookie.value if cookie else None


def request_all(world, name: str, case: Case) -> list[str]:
    """Every login × the case's clusters × GET and POST: the list of what went wrong."""
    failures = []
    clients = Clients(world)
    is_admin_page = name.startswith("admin")
    for cluster_key in case.clusters:
        o = world[cluster_key]
        url = case.url(name, o)
        data = case.payload(o)
        echoed = url + " ".join(map(str, data.values()))  # what a page may repeat back (a search box, a 404)
        for login, (cluster, kind, user) in world["logins"].items():
            outsider = cluster not in ("*", cluster_key)
            forbidden = {m for m in forbidden_markers(world, login) if m not in echoed}
            for method in ("get", "post"):
                client = clients.get(login)
                session = clients._session(login)
                writes = write_count()
                sid = transaction.savepoint()
                try:
                    response = client.post(url, data) if method == "post" else client.get(url)
                    changed = Baseline.changed(writes)
                finally:
                    transaction.savepoint_rollback(sid)
                clients.forget_if_session_changed(login, session)
                where = f"{login} {method.upper()} {url} [{cluster_key}]"
                status = response.status_code
                if TRACE:  # MATRIX_TRACE=1 pytest -s: every outcome
                    print(f"TRACE {where} -> {status} {response.get('Location', '')} changed={changed}")
                if status >= 500:
                    failures.append(f"{where}: {status}")
                    continue
                if is_admin_page and cluster != "*" and not case.public and status == 200:
                    failures.append(f"{where}: an admin page for a non-superuser")
                if case.public:
                    pass
                elif case.scoped and outsider and not _is_refused(response):
                    failures.append(f"{where}: {status}, not refused to a login outside the cluster")
                if not case.public and forbidden and not getattr(response, "streaming", False):
                    body = response.content.decode("utf-8", "replace")
                    leaked = sorted(m for m in forbidden if m in body)
                    if leaked:
                        failures.append(f"{where}: shows {leaked}")
                if method == "post" and changed and not may_write(world, login, case, cluster_key):
                    failures.append(f"{where}: {status}, a forbidden POST changed {changed}")
                elif method == "post" and changed and _is_refused(response):
                    failures.append(f"{where}: refused ({status}) but changed {changed}")
    return failures


def _params():
    params = []
    for name, cases in all_cases().items():
        if name not in PATTERNS:
            continue
        for n, case in enumerate(cases if isinstance(cases, list) else [cases]):
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN[name])] if name in KNOWN else []
            params.append(pytest.param(name, case, id=f"{name}#{n}" if isinstance(cases, list) else name, marks=marks))
    return params


@pytest.fixture
def baseline(world):
    if Baseline.state is None:
        Baseline.state = database_state()
    return Baseline.state


@pytest.mark.parametrize("name, case", _params())
def test_url_holds_the_trust_boundaries(world, baseline, name, case):
    failures = request_all(world, name, case)
    assert failures == [], "\n".join(failures)
