"""PDF downloads and signing pages for the coordinator (``ministry``, issue 17): the PDFs a member
downloads, no signing page (not a printed signer), no signature posted (``coordination.tests.tables``)."""

import pytest

from coordination.tests.tables import coordinator_table
from core.testing import cases, check
from documents.tests.test_download import TABLE, pdf_url

pytestmark = pytest.mark.django_db

# The outsider signs his own cluster's protocol as its printed chair and secretary; the coordinator signs nothing.
NOT_A_SIGNER = {("sign_other_cluster", "get"): 403}
COORDINATOR_TABLE = coordinator_table(TABLE, overrides=NOT_A_SIGNER)


@pytest.mark.parametrize("row, role", cases(COORDINATOR_TABLE))
def test_coordinator_downloads_what_a_member_downloads(demo, demo_keys, client_as, row, role):
    check(client_as(role), row, role, {**demo, "demo_keys": demo_keys})


def test_coordinator_gets_no_draft_pdf(demo, client_as):
    meeting = demo["meeting_2017"]
    assert client_as("ministry").get(pdf_url(meeting)).status_code == 403  # unsigned: a member gets no render either
    meeting.status = "draft"
    meeting.save()
    assert client_as("ministry").get(pdf_url(meeting)).status_code == 404
