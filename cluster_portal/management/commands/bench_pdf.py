"""Benchmark: rendering, signing (both signatures) and downloading protocol PDFs.

Runs inside a transaction that is rolled back, with media and demo keys in a temporary
folder, so the database and the media folder are left as they were. Prints JSON medians.

    python manage.py bench_pdf [--runs 10] [--libreoffice]

``render_s`` is a fresh render (the preview cache bypassed), ``preview_cached_s`` the same render served
from the preview cache (``documents.rendering.preview_key``). ``--libreoffice`` also converts the same
protocol (its HTML, the one WeasyPrint lays out) with ``soffice --headless --convert-to pdf``, one
conversion after each fresh render, and prints the ratio: a benchmark, never a test (LibreOffice is not a
dependency of the portal; ``apt-get install libreoffice-writer-nogui``).
"""

import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from cluster_portal.demo import DEMO_SIGNERS, load_demo
from documents.rendering import load_protocol, protocol_html, render_html, render_protocol
from documents.client import open_pkcs12, sign_with_opened_key
from documents.services import next_signer
from meetings.models import AgendaItem, Decision, DecisionKind, Meeting, MeetingStatus, Speaker, Vote, signed_protocol_unlocked

LOREM = ("Рассмотреть предложения участников кластера о совместной подготовке кадров для организаций "
         "ИТ-сектора Смоленской области, включая организацию практик, стажировок и целевого обучения. ")


def median_seconds(function, runs: int, reset=None) -> dict:
    """Medians of wall-clock and of this process's CPU time (the machine is shared: CPU time
    shows the cost of the code itself when other work competes for the cores)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if reset:
            reset()
    return {"wall": round(statistics.median(wall), 4), "cpu": round(statistics.median(cpu), 4)}


def generated_meeting(template: Meeting, items: int = 14) -> Meeting:
    meeting = Meeting.objects.create(
        cluster=template.cluster, body=template.body, date=template.date.replace(day=1), number="Б-1",
        city=template.city, chair=template.chair, secretary=template.secretary, status=MeetingStatus.APPROVED,
        kind=template.kind,
    )
    people = [template.chair, template.secretary]
    for order in range(1, items + 1):
        item = AgendaItem.objects.create(meeting=meeting, order=order, title=f"Вопрос {order}. " + LOREM,
                                         discussion=(LOREM * 2 + "\n") * 2)
        for n, person in enumerate(people, start=1):
            Speaker.objects.create(agenda_item=item, person=person, order=n, summary=LOREM)
        for n in range(1, 5):
            Decision.objects.create(agenda_item=item, order=n, text=LOREM * 2, kind=DecisionKind.ASSIGN,
                                    vote=Vote.UNANIMOUS, deadline=template.date, responsible_text="участники кластера")
    return meeting


class Command(BaseCommand):
    help = "Median timings of protocol PDF rendering, signing and download (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10)
        parser.add_argument("--libreoffice", action="store_true",
                            help="Also convert the same protocol with LibreOffice (soffice) and print the ratio.")

    def handle(self, *args, runs=10, libreoffice=False, **options):
        soffice = shutil.which("soffice") if libreoffice else None
        if libreoffice and soffice is None:
            raise CommandError("soffice not found: apt-get install --no-install-recommends libreoffice-writer-nogui")
        with tempfile.TemporaryDirectory() as media, tempfile.TemporaryDirectory() as pki:
            with override_settings(MEDIA_ROOT=media, DEMO_PKI_DIR=pki, DEMO_MODE=True, ALLOWED_HOSTS=["testserver"]):
                with transaction.atomic():
                    result = self.measure(runs)
                    if soffice:
                        result["libreoffice"] = self.against_libreoffice(soffice, runs)
                    transaction.set_rollback(True)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def against_libreoffice(self, soffice: str, runs: int) -> dict:
        """The seed protocol: WeasyPrint's fresh render and LibreOffice's conversion of the same HTML,
        alternately in one run (shared-machine load falls on both alike). LibreOffice's CPU is its
        processes' (``RUSAGE_CHILDREN``); its profile is made once before timing."""
        seed = Meeting.objects.get(pk=self.seed_pk)
        meeting = load_protocol(seed.pk)
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "protocol.html"
            html = protocol_html(meeting)
            source.write_text(html, encoding="utf-8")
            profile = Path(work, "profile").as_uri()
            command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                       "--convert-to", "pdf", "--outdir", work, str(source)]

            def convert():
                subprocess.run(command, check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": work})
                if not (Path(work) / "protocol.pdf").exists():
                    raise CommandError("LibreOffice made no PDF")

            convert()  # the first start creates the profile
            ours_cpu, ours_wall, theirs_cpu, theirs_wall, html_cpu, html_wall = [], [], [], [], [], []
            for _ in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                render_protocol(load_protocol(seed.pk), cache=False)
                ours_wall.append(time.perf_counter() - start)
                ours_cpu.append(time.process_time() - start_cpu)
                start, start_cpu = time.perf_counter(), time.process_time()
                render_html(html, archival=False)  # the very input LibreOffice converts
                html_wall.append(time.perf_counter() - start)
                html_cpu.append(time.process_time() - start_cpu)
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                convert()
                theirs_wall.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                theirs_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        median = statistics.median
        return {
            "what": "the seed protocol's HTML: WeasyPrint fresh render vs soffice --headless --convert-to pdf",
            # From the database: load the protocol, render its template, lay it out, write the PDF.
            "weasyprint_s": {"wall": round(median(ours_wall), 4), "cpu": round(median(ours_cpu), 4)},
            # From the same HTML file LibreOffice is given: lay it out and write the PDF.
            "weasyprint_from_html_s": {"wall": round(median(html_wall), 4), "cpu": round(median(html_cpu), 4)},
            "libreoffice_s": {"wall": round(median(theirs_wall), 4), "cpu": round(median(theirs_cpu), 4)},
            "ratio_cpu": round(median(theirs_cpu) / median(ours_cpu), 1),
            "ratio_wall": round(median(theirs_wall) / median(ours_wall), 1),
            "ratio_cpu_from_html": round(median(theirs_cpu) / median(html_cpu), 1),
        }

    def measure(self, runs: int) -> dict:
        ctx = load_demo()
        users, seed = ctx["users"], ctx["meeting_2023"]
        self.seed_pk = seed.pk
        # The demo certificates, made by load_demo in the temporary DEMO_PKI_DIR: signing accepts
        # only certificates of a trusted CA, and the demo CA is trusted in DEMO_MODE.
        pki = ctx["demo_pki"]
        # Each signer's PKCS#12 opened once, before any timing: the browser opens the file once (its PBKDF2
        # is the browser's CPU, not the server's); what is timed is the server's prepare and finish and
        # the signature of the signed attributes.
        keys = {login: open_pkcs12(pki[login].read_bytes(), pki["password"]) for login in DEMO_SIGNERS}
        logins = {users[login].person.pk: login for login in DEMO_SIGNERS}

        def sign_all(meeting):
            """Every printed signer in order (the seed: Рудометкин, Кудрявцева; the generated one: Чуранов, Белокопытов)."""
            while (signer := next_signer(Meeting.objects.get(pk=meeting.pk))) is not None:
                login = logins[signer.person_id]
                sign_with_opened_key(meeting=meeting, user=users[login], opened=keys[login])

        big = generated_meeting(ctx["meeting_2017"])
        result = {"runs": runs, "unit": "seconds (median wall-clock and CPU time)"}
        for name, meeting in (("seed_protocol", seed), ("generated_protocol", big)):
            loaded = load_protocol(meeting.pk)
            pages = render_protocol(loaded).page_count

            def sign_both(meeting=meeting):
                sign_all(meeting)

            def reset(meeting=meeting):
                meeting.documents.all().delete()
                with signed_protocol_unlocked():  # back to «approved» for the next signing round
                    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.APPROVED)

            reset()
            result[name] = {
                "pages": pages,
                "render_s": median_seconds(lambda m=meeting: render_protocol(load_protocol(m.pk), cache=False),
                                           runs),
                "preview_cached_s": median_seconds(lambda m=meeting: render_protocol(load_protocol(m.pk)), runs),
                "render_and_both_signatures_s": median_seconds(sign_both, runs, reset),
            }
        sign_both_seed = result  # the seed is left unsigned by reset(): sign it once for the download
        sign_all(seed)
        client = Client()
        client.force_login(users["chair"])
        url = reverse("documents:protocol-pdf", args=[seed.pk])

        def download():
            response = client.get(url)
            assert response.status_code == 200
            b"".join(response.streaming_content)

        timing = median_seconds(download, max(runs, 20))
        sign_both_seed["download_stored_pdf_ms"] = {key: round(value * 1000, 2) for key, value in timing.items()}
        return result
