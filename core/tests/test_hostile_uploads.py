"""The hostile uploads of issue 11, each refused with a clear Russian message at a bounded cost.

Costs are asserted on CPU time and memory the kernel counted (core.sandbox's Usage of the child,
getrusage of this process), never on wall time: the machine is shared.
"""

import io
import logging
import resource

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from core.tests import hostile
from documents.verification import TOO_COMPLEX as PDF_TOO_COMPLEX
from plans.imports import TOO_COMPLEX as XLSX_TOO_COMPLEX
from plans.models import WorkPlan

CPU_LIMIT = 2  # settings.SANDBOX_CPU_SECONDS
CPU_BOUND = CPU_LIMIT + 0.5  # the kernel stops a child at the soft limit; a little bookkeeping after


def usages(caplog):
    return [record.usage for record in caplog.records if record.name == "core.sandbox"]


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def verify(data: bytes):
    upload = SimpleUploadedFile("protocol.pdf", data, content_type="application/pdf")
    return Client().post(reverse("documents:verify"), {"file": upload})


# ---------------------------------------------------------------- /verify/ (anonymous)


@pytest.mark.django_db
@override_settings(SANDBOX_CPU_SECONDS=CPU_LIMIT)
def test_a_pdf_built_to_cost_minutes_is_stopped_at_the_cpu_limit(caplog):
    """18 MB: a form listing one field three million times (unbounded: ~26 s of CPU, +620 MB)."""
    caplog.set_level(logging.INFO, logger="core.sandbox")
    response = verify(hostile.many_fields_pdf(3_000_000))
    [usage] = usages(caplog)
    assert response.status_code == 200 and "Файл слишком сложен для проверки" in response.content.decode()
    assert PDF_TOO_COMPLEX in response.content.decode()
    assert usage.outcome == "cpu" and usage.cpu_seconds < CPU_BOUND and usage.growth_mb < 400


@pytest.mark.django_db
def test_a_pdf_with_a_huge_cross_reference_table_costs_at_most_the_limit(caplog):
    """18 MB, 900 000 xref entries: read in ~2.3 s before; now within the limit or stopped by it."""
    caplog.set_level(logging.INFO, logger="core.sandbox")
    text = verify(hostile.huge_xref_pdf(900_000)).content.decode()
    [usage] = usages(caplog)
    assert "В файле нет электронных подписей." in text or PDF_TOO_COMPLEX in text
    assert usage.cpu_seconds < CPU_BOUND and usage.growth_mb < 400


@pytest.mark.django_db
def test_a_genuine_unsigned_pdf_is_still_checked_in_the_child(caplog):
    caplog.set_level(logging.INFO, logger="core.sandbox")
    text = verify(hostile.many_fields_pdf(10)).content.decode()
    assert "В файле нет электронных подписей." in text and usages(caplog)[0].outcome == "ok"


# ---------------------------------------------------------------- the plan import (secretary)


@pytest.fixture
def import_as_secretary(client_as, demo):
    client = client_as("secretary")

    def post(data: bytes):
        upload = SimpleUploadedFile("plan.xlsx", data, content_type="application/octet-stream")
        return client.post(reverse("plans:plan-import"), {"cluster": demo["cluster"].pk, "file": upload})

    return post


@pytest.mark.django_db
def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(import_as_secretary, caplog):
    """~90 KB unpacking to ~45 MB: three million cells in one row (unbounded: ~23 s of CPU, +1.3 GB)."""
    caplog.set_level(logging.INFO, logger="core.sandbox")
    bomb = hostile.wide_row_xlsx(3_000_000)
    plans_before = WorkPlan.objects.count()
    assert len(bomb) < 100_000
    cpu = own_cpu()
    response = import_as_secretary(bomb)
    cpu = own_cpu() - cpu
    assert "распакованная таблица заняла бы 42 МБ (допускается не больше 20 МБ)" in response.content.decode()
    assert usages(caplog) == [] and cpu < 1.0  # refused from the zip directory: no child, nothing unpacked
    assert WorkPlan.objects.count() == plans_before


@pytest.mark.django_db
def test_a_workbook_compressed_absurdly_is_refused(import_as_secretary):
    """Under the unpacked ceiling, but 2 MB from a few kilobytes."""
    response = import_as_secretary(hostile.wide_row_xlsx(140_000))
    assert "сжат неправдоподобно сильно" in response.content.decode()


@pytest.mark.django_db
def test_a_workbook_of_thousands_of_parts_is_refused(import_as_secretary):
    assert "больше 200 частей" in import_as_secretary(hostile.many_members_xlsx(5000)).content.decode()


@pytest.mark.django_db
@override_settings(SANDBOX_CPU_SECONDS=CPU_LIMIT)
def test_an_expensive_workbook_within_the_zip_limits_is_stopped_at_the_cpu_limit(import_as_secretary, caplog):
    """4.5 MB stored uncompressed (ratio 1): 1.1 million empty cells in one row."""
    caplog.set_level(logging.INFO, logger="core.sandbox")
    plans_before = WorkPlan.objects.count()
    response = import_as_secretary(hostile.wide_row_xlsx(1_100_000, cell=b"<c/>", compression=0))
    [usage] = usages(caplog)
    assert XLSX_TOO_COMPLEX in response.content.decode()
    assert usage.outcome == "cpu" and usage.cpu_seconds < CPU_BOUND and usage.growth_mb < 400
    assert WorkPlan.objects.count() == plans_before


@pytest.mark.django_db
def test_a_genuine_workbook_is_still_imported_through_the_child(import_as_secretary, caplog):
    caplog.set_level(logging.INFO, logger="core.sandbox")
    response = import_as_secretary(hostile.plan_xlsx())
    assert response.status_code == 302 and usages(caplog)[0].outcome == "ok"
    assert WorkPlan.objects.filter(title="План работы кластера", period="на 2024 год").exists()


# ---------------------------------------------------------------- request bodies


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it; counts what was asked for."""

    asked = 0

    def read(self, size=-1):
        type(self).asked += 1
        raise AssertionError("the body was read")

    readline = read


def post_declaring(path: str, length: int, **extra):
    Unreadable.asked = 0
    return Client().generic("POST", path, b"", content_type="multipart/form-data; boundary=x",
                            CONTENT_LENGTH=str(length), **{"wsgi.input": Unreadable()}, **extra)


@pytest.mark.django_db
def test_a_100_mb_body_to_verify_is_refused_unread():
    response = post_declaring("/verify/", 100 * 1024 * 1024)
    assert response.status_code == 413 and Unreadable.asked == 0
    assert "Эта страница принимает не больше 21,0\xa0МБ" in response.content.decode()


@pytest.mark.django_db
def test_a_7_mb_body_to_the_plan_import_is_refused_unread():
    assert post_declaring("/plans/import/", 7 * 1024 * 1024).status_code == 413 and Unreadable.asked == 0


@pytest.mark.django_db
def test_a_body_above_the_default_on_any_other_url_is_refused_unread():
    assert post_declaring("/meetings/new/", 26 * 1024 * 1024).status_code == 413 and Unreadable.asked == 0


@pytest.mark.django_db
def test_a_chunked_body_without_a_length_is_refused():
    response = Client().generic("POST", "/verify/", b"", content_type="application/octet-stream",
                                CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411 and "не указан размер" in response.content.decode()


@pytest.mark.django_db
def test_a_nonsense_content_length_is_a_400():
    assert Client().generic("POST", "/verify/", b"", CONTENT_LENGTH="-5").status_code == 400


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_form():
    assert verify(b"not a pdf").status_code == 200


def test_each_limit_covers_its_forms_largest_upload():
    from django.conf import settings

    from documents.forms import VERIFY_MAX_BYTES
    from meetings.importing import reading
    from plans.imports import MAX_FILE_BYTES
    from tasks.services import REPORT_FILE_MAX_BYTES, REPORT_MAX_FILES

    limits = settings.REQUEST_BODY_LIMITS
    assert limits["documents:verify"] > VERIFY_MAX_BYTES and limits["plans:plan-import"] > MAX_FILE_BYTES
    assert limits["tasks:report-submit"] > REPORT_MAX_FILES * REPORT_FILE_MAX_BYTES
    assert limits["meetings:import"] > reading.MAX_FILES * reading.MAX_FILE_BYTES


def test_every_limited_url_name_exists():
    from django.conf import settings
    from django.urls import get_resolver

    names = {f"{namespace}:{name}" for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items()
             for name in resolver.reverse_dict if isinstance(name, str)}
    assert set(settings.REQUEST_BODY_LIMITS) <= names
