"""What the main pages cost per request, beside a bare template view (docs/PERFORMANCE.md).

    python manage.py bench_pages [--runs 10] [--warmup 2] [--json] [--only TEXT] [--profile TEXT]

Every page is requested through ``django.test.Client`` as a demo login — the whole middleware
stack, the session and the user lookup included — with DEBUG off. Per page: the number of SQL
queries and their summed time (``CaptureQueriesContext``, in separate requests so that recording
does not inflate the timings), the median (and minimum) CPU time of this process over the warm
runs (``time.process_time``; on PostgreSQL the database server's own CPU is not in it, see «SQL
ms»), the response size, and its throughput as a percentage of the bare view's. The timed runs
go round-robin — every page once per round — so that other load on a shared machine falls on
every page alike.

The bare view renders a two-line ``django.template.Template`` into an ``HttpResponse`` behind
``login_required``, at ``/_bench/bare/``: this module is the URLconf while the command runs (the
project's URLs plus that one), so the URL exists nowhere else. It is measured twice, through the
same middleware:

- «bare Django view», the reference of every percentage: the session and the user are looked up
  as Django ships it (its database session store and ``ModelBackend``), so the reference is what a
  bare Django view costs on this machine, and it does not move when the portal's own per-request
  floor gets cheaper;
- «bare view, portal's session and user»: the same view through the portal's session store and
  backend (``core.sessions``, ``members.backends``: prepared queries), the floor every page of the
  portal pays.

Needs the demo data (``load_demo``); pages of the generated cluster are added after ``generate_scale``.
Reads only; the sessions of the demo logins it creates are deleted at the end.
"""

from __future__ import annotations

import cProfile
import os
import json
import pstats
import statistics
import sys
import time
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone

# Models that the lead is moving between apps: keep their imports in this one block.
from documents.models import ProtocolDocument

from cluster_portal.demo import CLUSTER_NAME
from cluster_portal.scale import big_cluster
from meetings.models import Assignment, Decision, Meeting, MeetingStatus
from members.models import Cluster
from plans.models import PlanStatus, WorkPlan

DJANGO_SESSIONS = "django.contrib.sessions.backends.db"
DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"

BARE_TEMPLATE = Template("<!doctype html><title>{{ title }}</title><p>{{ user.get_username }}</p>")


@login_required
def bare_view(request):
    return HttpResponse(BARE_TEMPLATE.render(Context({"title": "bench", "user": request.user})))


# This module is the URLconf while the command runs (override_settings(ROOT_URLCONF=__name__)).
urlpatterns = [
    path("_bench/bare/", bare_view, name="bench-bare"),
    path("", include("cluster_portal.urls")),
]


@dataclass(frozen=True)
class Page:
    label: str
    role: str
    url: str


def _protocol_and_plan(cluster) -> tuple[Meeting | None, WorkPlan | None]:
    """The newest signed protocol of the cluster (one with a stored PDF when there is one) and its
    newest approved plan."""
    signed = Meeting.objects.filter(cluster=cluster, status=MeetingStatus.SIGNED)
    stored = signed.filter(documents__in=ProtocolDocument.objects.filter(is_complete=True, superseded_at__isnull=True))
    meeting = stored.order_by("-date", "-id").first() or signed.order_by("-date", "-id").first()
    plan = WorkPlan.objects.filter(cluster=cluster, status=PlanStatus.APPROVED).order_by("-period_start", "-id").first()
    return meeting, plan


def pages() -> list[Page]:
    """The main pages by role: the demo cluster's signed protocol, PDF and plan at any size, and
    the generated big cluster's newest signed protocol and plan when it exists."""
    demo = Cluster.objects.filter(name=CLUSTER_NAME).first()
    if demo is None:
        raise CommandError("No demo data: run `manage.py load_demo` first.")
    meeting, plan = _protocol_and_plan(demo)
    if meeting is None or plan is None:
        raise CommandError("The demo cluster has no signed protocol or approved plan: run `manage.py load_demo` again.")
    result = [
        *[Page("protocol page (signed, demo)", role, reverse("meetings:meeting-detail", args=[meeting.pk]))
          for role in ("member", "secretary")],
        *[Page("dashboard", role, reverse("dashboard")) for role in ("member", "secretary", "admin")],
        *[Page("meeting list", role, reverse("meetings:meeting-list")) for role in ("member", "secretary")],
        *[Page("plan page (demo)", role, reverse("plans:plan-detail", args=[plan.pk])) for role in ("member", "secretary")],
        *[Page("tasks, mine", role, reverse("tasks:task-list")) for role in ("member", "secretary", "admin")],
        *[Page("tasks, scope=all", role, reverse("tasks:task-list") + "?scope=all") for role in ("secretary", "admin")],
        *[Page("discipline report", role, reverse("tasks:discipline-report")) for role in ("secretary", "admin")],
        *[Page("member register", role, reverse("members:organization-list")) for role in ("member", "secretary")],
        *[Page("coordination", role, reverse("coordination:overview")) for role in ("ministry", "admin")],
        Page("signed PDF download (stored)", "member", reverse("documents:protocol-pdf", args=[meeting.pk])),
        # a word of many decisions, assignments and reports; a phrase; one kind page by page
        *[Page("search, common word", role, reverse("search") + "?q=информация") for role in ("member", "secretary", "admin")],
        *[Page("search, phrase", role, reverse("search") + "?q=программа+повышения+квалификации")
          for role in ("member", "admin")],
        *[Page("search, decisions page 2", role, reverse("search") + "?q=информация&kind=decisions&page=2")
          for role in ("member", "admin")],
        *[Page(f"admin changelist: {model._meta.model_name}", "admin",
               reverse(f"admin:meetings_{model._meta.model_name}_changelist")) for model in (Meeting, Decision, Assignment)],
    ]
    big = big_cluster()
    if big is not None:
        meeting, plan = _protocol_and_plan(big)
        if meeting:
            result += [Page("protocol page (signed, generated)", role, reverse("meetings:meeting-detail", args=[meeting.pk]))
                        for role in ("member", "secretary")]
        if plan:
            result += [Page("plan page (generated)", role, reverse("plans:plan-detail", args=[plan.pk]))
                       for role in ("member", "secretary")]
    return result


def django_client(user) -> Client:
    """A client whose requests look up the session and the user as Django ships it (its database session
    store, ``ModelBackend``), whatever the portal's ``SESSION_ENGINE`` and backends are. The session
    middleware takes its store when the client's handler loads the middleware; ``ModelBackend`` must
    be among ``AUTHENTICATION_BACKENDS`` while the client's requests run (``Command.handle``)."""
    client = Client()
    with override_settings(SESSION_ENGINE=DJANGO_SESSIONS):
        client.handler.load_middleware()
        client.force_login(user, backend=DJANGO_BACKEND)
    return client


def fetch(client: Client, page: Page) -> int:
    """One request, body read to the end (streamed files too); returns the body size."""
    response = client.get(page.url)
    if response.status_code != 200:
        raise CommandError(f"{page.url} as {page.role}: HTTP {response.status_code}")
    # The test client closes the response itself (a streamed one once it is read to the end) with
    # close_old_connections disconnected; closing it again here would drop the database connection.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(body)


class SqlTimer:
    """An execute wrapper summing the time spent in the database driver (and server)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def count_queries(client: Client, page: Page, *, repeat: int = 3) -> dict:
    """Queries of one request, their summed time (median of ``repeat``) and the body size."""
    queries, sql_ms = [], []
    for _ in range(repeat):
        timer = SqlTimer()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            size = fetch(client, page)
        queries.append(len(captured.captured_queries))
        sql_ms.append(1000 * timer.seconds)
    return {"page": page.label, "role": page.role, "url": page.url, "queries": max(queries),
            "sql_ms": round(statistics.median(sql_ms), 2), "kb": round(size / 1024, 1)}


def timed(client: Client, page: Page) -> tuple[float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    fetch(client, page)
    return time.process_time() - start_cpu, time.perf_counter() - start


def measure(targets: list[tuple[Client, Page]], *, runs: int, warmup: int) -> list[dict]:
    """Warm-up, query counts, then ``runs`` rounds that request every page once each: other load
    on the machine then falls on every page alike, the bare view included."""
    for _ in range(warmup):
        for client, page in targets:
            fetch(client, page)
    rows = [count_queries(client, page, repeat=min(3, runs)) for client, page in targets]
    cpu, wall = [[] for _ in targets], [[] for _ in targets]
    for _ in range(runs):
        for n, (client, page) in enumerate(targets):
            seconds_cpu, seconds = timed(client, page)
            cpu[n].append(seconds_cpu)
            wall[n].append(seconds)
    for row, cpu_times, wall_times in zip(rows, cpu, wall):
        row["cpu_ms"] = round(1000 * statistics.median(cpu_times), 2)
        row["cpu_min_ms"] = round(1000 * min(cpu_times), 2)
        row["wall_ms"] = round(1000 * statistics.median(wall_times), 2)
    return rows


def profile(client: Client, page: Page, stream, top: int = int(os.environ.get("BENCH_TOP", 25))) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(fetch, client, page)
    stream.write(f"\n--- profile: {page.label} as {page.role} ({page.url}), by own time\n")
    pstats.Stats(profiler, stream=stream).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(top)


def database_summary() -> dict:
    settings_dict = connection.settings_dict
    return {
        "vendor": connection.vendor, "name": str(settings_dict["NAME"]),
        "clusters": Cluster.objects.count(), "meetings": Meeting.objects.count(),
        "decisions": Decision.objects.count(), "assignments": Assignment.objects.count(),
    }


class Command(BaseCommand):
    help = "Queries, CPU ms and HTML size of the main pages per role, beside a bare template view."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10, help="Timed warm requests per page (median).")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed requests per page first.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="JSON instead of a table.")
        parser.add_argument("--only", metavar="TEXT", default="",
                            help="Measure only the pages whose label, role or URL contains TEXT.")
        parser.add_argument("--profile", metavar="TEXT", default="",
                            help="cProfile one request of the pages whose label, role or URL contains TEXT (to stderr).")

    def handle(self, *args, runs=10, warmup=2, as_json=False, only="", profile="", **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        backends = [*settings.AUTHENTICATION_BACKENDS, *([] if DJANGO_BACKEND in settings.AUTHENTICATION_BACKENDS
                                                         else [DJANGO_BACKEND])]
        with override_settings(DEBUG=False, ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"],
                               AUTHENTICATION_BACKENDS=backends), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "No directory at")  # WhiteNoise: no collectstatic needed here
            result = self.measure_all(runs=runs, warmup=warmup, only=only, profile_filter=profile)
        self.stdout.write(self.as_json(result) if as_json else self.as_table(result))

    def measure_all(self, *, runs: int, warmup: int, only: str, profile_filter: str) -> dict:
        targets = [p for p in pages() if not only or only in f"{p.label} {p.role} {p.url}"]
        User = get_user_model()
        clients = {}
        for role in sorted({"member", *(p.role for p in targets)}):
            clients[role] = Client()
            clients[role].force_login(User.objects.get(username=role))
        clients["django"] = django_client(User.objects.get(username="member"))
        bare = Page("bare Django view", "member", reverse("bench-bare"))
        floor = Page("bare view, portal's session and user", "member", reverse("bench-bare"))
        try:
            bare_row, floor_row, *rows = measure(
                [(clients["django"], bare), (clients["member"], floor), *((clients[p.role], p) for p in targets)],
                runs=runs, warmup=warmup)
            if profile_filter:
                for p in targets:
                    if profile_filter in f"{p.label} {p.role} {p.url}":
                        profile(clients[p.role], p, sys.stderr)
        finally:
            for client in clients.values():
                client.logout()
        for row in [floor_row, *rows]:
            row["percent_of_bare"] = round(100 * bare_row["cpu_ms"] / row["cpu_ms"], 1) if row["cpu_ms"] else None
        return {
            "date": timezone.localdate().isoformat(), "runs": runs, "warmup": warmup, "debug": False,
            "database": database_summary(), "bare": bare_row, "floor": floor_row, "pages": rows,
        }

    @staticmethod
    def as_json(result: dict) -> str:
        return json.dumps(result, ensure_ascii=False, indent=2)

    @staticmethod
    def as_table(result: dict) -> str:
        db, bare = result["database"], result["bare"]
        lines = [
            f"{result['date']}, {db['vendor']} «{db['name']}»: {db['clusters']} clusters, {db['meetings']} meetings, "
            f"{db['decisions']} decisions, {db['assignments']} assignments; median of {result['runs']} warm runs, DEBUG off",
            f"{'page':<38} {'role':<10} {'queries':>7} {'CPU ms':>8} {'min':>8} {'SQL ms':>8} {'HTML KB':>8} {'% of bare':>9}",
            f"{bare['page']:<38} {bare['role']:<10} {bare['queries']:>7} {bare['cpu_ms']:>8.2f} {bare['cpu_min_ms']:>8.2f} "
            f"{bare['sql_ms']:>8.2f} {bare['kb']:>8.1f} {100:>8.1f}%",
        ]
        for row in [result["floor"], *result["pages"]]:
            lines.append(
                f"{row['page']:<38} {row['role']:<10} {row['queries']:>7} {row['cpu_ms']:>8.2f} {row['cpu_min_ms']:>8.2f} "
                f"{row['sql_ms']:>8.2f} {row['kb']:>8.1f} {row['percent_of_bare'] or 0:>8.1f}%"
            )
        return "\n".join(lines)
