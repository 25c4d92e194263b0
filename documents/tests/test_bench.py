import json
from io import StringIO

import pytest
from django.core.management import call_command

from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_bench_pdf_prints_json_and_leaves_the_database_as_it_was(demo):
    before = Meeting.objects.count()
    out = StringIO()
    call_command("bench_pdf", "--runs", "1", stdout=out)
    result = json.loads(out.getvalue())
    assert result["generated_protocol"]["pages"] >= 20 and "download_stored_pdf_ms" in result
    assert Meeting.objects.count() == before
